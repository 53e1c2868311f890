"""Control-affine systems dx/dt = f(x) + g(x) u with cost integrand l(x, u) = Q(x) + u^T R u."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np


def _matrix(value: Any, name: str, shape: tuple[int, int] | None = None) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric matrix, got dtype {arr.dtype}")
    arr = np.atleast_2d(np.asarray(arr, dtype=np.float64))
    if arr.ndim != 2 or (shape is not None and arr.shape != shape):
        want = f"shape {shape}" if shape is not None else "a 2-D matrix"
        raise ValueError(f"{name} must be {want}, got shape {np.shape(value)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def _symmetric(M: np.ndarray, name: str, *, definite: bool) -> np.ndarray:
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must be square, got shape {M.shape}")
    scale = max(float(np.abs(M).max()), np.finfo(float).tiny)
    if not np.allclose(M, M.T, rtol=0, atol=1e-12 * scale):
        raise ValueError(f"{name} must be symmetric")
    M = 0.5 * (M + M.T)
    lo = float(np.linalg.eigvalsh(M).min())
    if definite and not lo > 0:
        raise ValueError(f"{name} must be positive definite (smallest eigenvalue {lo:.3g})")
    if not definite and lo < -1e-12 * scale:
        raise ValueError(f"{name} must be positive semidefinite (smallest eigenvalue {lo:.3g})")
    return M


class ControlAffineSystem:
    """dx/dt = f(x) + g(x) u, running cost l(x, u) = Q(x) + u^T R u.

    Parameters
    ----------
    f : callable
        Drift, ``f(x)`` for a state of shape ``(n,)`` returns shape ``(n,)``. Integral RL never
        needs it to learn (only the simulator calls it).
    g : callable
        Input matrix, ``g(x)`` returns shape ``(n, m)`` (shape ``(n,)`` is read as ``m = 1``).
        Policy improvement uses it: ``u = -1/2 R^-1 g(x)^T grad V(x)``.
    Q : array_like (n, n) or callable
        State cost: ``x^T Q x`` for a positive semidefinite matrix, or ``Q(x) -> float``.
    R : array_like (m, m)
        Control cost, symmetric positive definite.
    """

    def __init__(self, f: Callable, g: Callable, Q: Any, R: Any) -> None:
        if not callable(f):
            raise TypeError(f"f must be callable f(x) -> (n,), got {type(f).__name__}")
        if not callable(g):
            raise TypeError(f"g must be callable g(x) -> (n, m), got {type(g).__name__}")
        self.f = f
        self.g_raw = g
        self.R = _symmetric(_matrix(R, "R"), "R", definite=True)
        self.R_inv = np.linalg.inv(self.R)
        self.m = self.R.shape[0]
        if callable(Q):
            self.Q: np.ndarray | Callable = Q
            self.n: int | None = None
        else:
            Qm = _symmetric(_matrix(Q, "Q"), "Q", definite=False)
            self.Q = Qm
            self.n = Qm.shape[0]

    def __repr__(self) -> str:
        n = "?" if self.n is None else self.n
        return f"{type(self).__name__}(n={n}, m={self.m})"

    def g(self, x: np.ndarray) -> np.ndarray:
        """g(x) as an (n, m) array."""
        G = np.asarray(self.g_raw(x), dtype=np.float64)
        return G.reshape(-1, 1) if G.ndim == 1 else G

    def check_state(self, x0: Any, name: str = "x0") -> np.ndarray:
        """``x0`` as a finite float64 state; checks f(x0) and g(x0) shapes once."""
        x = np.asarray(x0)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be a real numeric vector, got dtype {x.dtype}")
        x = np.array(x, dtype=np.float64).reshape(-1) if x.ndim <= 1 else x
        if x.ndim != 1 or (self.n is not None and x.size != self.n):
            raise ValueError(f"{name} must have shape ({self.n},), got {np.shape(x0)}")
        if not np.all(np.isfinite(x)):
            raise ValueError(f"{name} must be finite")
        fx = np.asarray(self.f(x), dtype=np.float64).reshape(-1)
        if fx.shape != x.shape:
            raise ValueError(f"f(x) must return shape {x.shape}, got {np.shape(self.f(x))}")
        G = self.g(x)
        if G.shape != (x.size, self.m):
            raise ValueError(f"g(x) must return shape {(x.size, self.m)} (m from R), got {G.shape}")
        return x

    def dynamics(self, x: np.ndarray, u: np.ndarray) -> np.ndarray:
        """f(x) + g(x) u."""
        return np.asarray(self.f(x), dtype=np.float64).reshape(-1) + self.g(x) @ u

    def state_cost(self, X: np.ndarray) -> np.ndarray:
        """Q(x) for states X of shape (M, n)."""
        if callable(self.Q):
            return np.array([float(self.Q(x)) for x in X])
        return np.einsum("ij,jk,ik->i", X, self.Q, X)

    def control_cost(self, U: np.ndarray) -> np.ndarray:
        """u^T R u for controls U of shape (M, m)."""
        return np.einsum("ij,jk,ik->i", U, self.R, U)

    def g_batch(self, X: np.ndarray) -> np.ndarray:
        """g at states X (M, n): shape (M, n, m)."""
        return np.stack([self.g(x) for x in X])


class LQRSolution(NamedTuple):
    """CARE solution: value matrix P, optimal gain K (u = -K x), closed-loop eigenvalues."""

    P: np.ndarray
    K: np.ndarray
    eigenvalues: np.ndarray


class LinearSystem(ControlAffineSystem):
    """dx/dt = A x + B u with cost x^T Q x + u^T R u.

    Parameters
    ----------
    A : array_like (n, n)
    B : array_like (n, m) (or (n,) for one input)
    Q : array_like (n, n), symmetric positive semidefinite
    R : array_like (m, m), symmetric positive definite
    """

    def __init__(self, A: Any, B: Any, Q: Any, R: Any) -> None:
        self.A = _matrix(A, "A")
        n = self.A.shape[0]
        if self.A.shape != (n, n):
            raise ValueError(f"A must be square, got shape {self.A.shape}")
        Bm = np.asarray(B)
        self.B = _matrix(Bm.reshape(-1, 1) if Bm.ndim == 1 else Bm, "B")
        if self.B.shape[0] != n:
            raise ValueError(f"B must have {n} rows (the states of A), got shape {np.shape(B)}")
        Rm = _matrix(R, "R")
        if Rm.shape != (self.B.shape[1], self.B.shape[1]):
            raise ValueError(f"R must be ({self.B.shape[1]}, {self.B.shape[1]}) to match B")
        Qm = _matrix(Q, "Q", (n, n))
        # Bound methods, not lambdas: a LinearSystem pickles (joblib, multiprocessing).
        super().__init__(self._drift, self.g, Qm, Rm)

    def _drift(self, x: np.ndarray) -> np.ndarray:
        return self.A @ x

    def g(self, x: np.ndarray) -> np.ndarray:
        return self.B

    def g_batch(self, X: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.B, (X.shape[0], *self.B.shape))

    def dynamics(self, x: np.ndarray, u: np.ndarray) -> np.ndarray:
        return self.A @ x + self.B @ u

    def lqr(self) -> LQRSolution:
        """The CARE solution (scipy.linalg.solve_continuous_are): the reference for learning."""
        import scipy.linalg as sl

        try:
            P = sl.solve_continuous_are(self.A, self.B, self.Q, self.R)
        except (np.linalg.LinAlgError, ValueError) as exc:
            msg = f"the CARE has no stabilizing solution for this (A, B, Q, R): {exc}"
            raise ValueError(msg) from exc
        P = 0.5 * (P + P.T)
        K = self.R_inv @ self.B.T @ P
        return LQRSolution(P, K, np.linalg.eigvals(self.A - self.B @ K))
