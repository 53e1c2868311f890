"""Value-function bases V(x) = w^T phi(x): quadratic, polynomial, user-supplied.

Every basis evaluates a batch of states at once: ``phi(X)`` maps (M, n) to (M, p) and ``grad(X)``
to (M, p, n). No constant term: it cancels from V(x(t)) - V(x(t + T)) and would make the
least-squares system of integral RL singular.
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from typing import Any, Callable

import numpy as np


def _check_n(n: Any, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


class _Basis:
    n: int
    size: int
    names: tuple[str, ...]

    def _states(self, X: Any) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n:
            raise ValueError(f"states must have shape (M, {self.n}), got {np.shape(X)}")
        return X

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self.names)})"

    def value(self, w: np.ndarray, X: Any) -> np.ndarray:
        """V(x) = w^T phi(x) at states X (M, n)."""
        return self.phi(X) @ w


class PolynomialBasis(_Basis):
    """All monomials of total degree 2 ... ``degree`` in n variables, graded lexicographic order.

    Degree 2 comes first, in the order of :class:`QuadraticBasis` (x1^2, x1 x2, ..., xn^2), then
    degree 3 (x1^3, x1^2 x2, ...), and so on.
    """

    def __init__(self, n: int, degree: int = 2) -> None:
        self.n = _check_n(n)
        degree = _check_n(degree, "degree")
        if degree < 2:
            raise ValueError(f"degree must be >= 2 (no constant or linear terms), got {degree}")
        self.degree = degree
        exps = []
        for d in range(2, degree + 1):
            for combo in combinations_with_replacement(range(self.n), d):
                e = np.zeros(self.n, dtype=np.int64)
                for i in combo:
                    e[i] += 1
                exps.append(e)
        self.exponents = np.array(exps)
        self.size = len(exps)
        self.names = tuple(_monomial_name(e) for e in self.exponents)

    def phi(self, X: Any) -> np.ndarray:
        X = self._states(X)
        return np.prod(X[:, None, :] ** self.exponents[None, :, :], axis=2)

    def grad(self, X: Any) -> np.ndarray:
        X = self._states(X)
        E = self.exponents
        out = np.empty((X.shape[0], self.size, self.n))
        for j in range(self.n):
            Ej = E.copy()
            Ej[:, j] = np.maximum(E[:, j] - 1, 0)
            out[:, :, j] = E[None, :, j] * np.prod(X[:, None, :] ** Ej[None], axis=2)
        return out


class QuadraticBasis(PolynomialBasis):
    """x_i x_j for i <= j in row-major upper-triangle order (n = 2: x1^2, x1 x2, x2^2).

    ``V = w^T phi(x) = x^T P x`` with ``P_ii = w_ii`` and ``P_ij = P_ji = w_ij / 2``
    (:meth:`to_matrix`, :meth:`from_matrix`).
    """

    def __init__(self, n: int) -> None:
        super().__init__(n, 2)
        self._iu = np.triu_indices(self.n)

    def __repr__(self) -> str:
        return f"QuadraticBasis({self.n})"

    def phi(self, X: Any) -> np.ndarray:
        X = self._states(X)
        return X[:, self._iu[0]] * X[:, self._iu[1]]

    def grad(self, X: Any) -> np.ndarray:
        # d(x_i x_j)/dx_l = delta_il x_j + delta_jl x_i
        X = self._states(X)
        i, j = self._iu
        out = np.zeros((X.shape[0], self.size, self.n))
        k = np.arange(self.size)
        out[:, k, i] += X[:, j]
        out[:, k, j] += X[:, i]
        return out

    def to_matrix(self, w: Any) -> np.ndarray:
        """The symmetric P with x^T P x = w^T phi(x)."""
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (self.size,):
            raise ValueError(f"w must have shape ({self.size},), got {w.shape}")
        P = np.zeros((self.n, self.n))
        P[self._iu] = w
        P = 0.5 * (P + P.T)
        P[np.diag_indices(self.n)] = w[self._iu[0] == self._iu[1]]
        return P

    def from_matrix(self, P: Any) -> np.ndarray:
        """Weights of x^T P x (P symmetrized first)."""
        P = np.asarray(P, dtype=np.float64)
        if P.shape != (self.n, self.n):
            raise ValueError(f"P must have shape ({self.n}, {self.n}), got {P.shape}")
        S = 0.5 * (P + P.T)
        i, j = self._iu
        return np.where(i == j, 1.0, 2.0) * S[i, j]


class CallableBasis(_Basis):
    """A basis from two functions of one state: ``phi(x) -> (p,)`` and ``grad_phi(x) -> (p, n)``.

    Parameters
    ----------
    phi, grad_phi : callable
    n : int, optional
        State dimension; found from the first call when omitted.
    """

    def __init__(self, phi: Callable, grad_phi: Callable, n: int | None = None) -> None:
        if not callable(phi) or not callable(grad_phi):
            raise TypeError("phi and grad_phi must be callables of one state x of shape (n,)")
        self._phi, self._grad = phi, grad_phi
        self.n = 0 if n is None else _check_n(n)
        self.size = 0
        self.names = ()

    def bind(self, n: int) -> None:
        """Fix the state dimension and check the shapes once (called by the solver)."""
        if self.n and self.n != n:
            raise ValueError(f"this basis is for n = {self.n} states, the system has {n}")
        self.n = n
        x = np.linspace(0.3, 0.7, n)
        p = np.asarray(self._phi(x), dtype=np.float64)
        if p.ndim != 1 or p.size == 0:
            raise ValueError(f"phi(x) must return a 1-D array, got shape {p.shape}")
        G = np.asarray(self._grad(x), dtype=np.float64)
        if G.shape != (p.size, n):
            raise ValueError(f"grad_phi(x) must return shape {(p.size, n)}, got {G.shape}")
        self.size = p.size
        self.names = tuple(f"phi{k + 1}" for k in range(p.size))

    def phi(self, X: Any) -> np.ndarray:
        X = self._states(X)
        return np.array([np.asarray(self._phi(x), dtype=np.float64) for x in X])

    def grad(self, X: Any) -> np.ndarray:
        X = self._states(X)
        return np.array([np.asarray(self._grad(x), dtype=np.float64) for x in X])


def _monomial_name(e: np.ndarray) -> str:
    parts = []
    for i, k in enumerate(e):
        if k == 1:
            parts.append(f"x{i + 1}")
        elif k > 1:
            parts.append(f"x{i + 1}^{k}")
    return " ".join(parts)


Basis = _Basis
