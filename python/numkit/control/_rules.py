"""The quadrature rule of one interval [0, T] with N equispaced samples, as a weight vector.

One weight vector serves every interval (and every integrand): the rules depend only on the relative
node layout. ``"exact"`` is the matrix-exponential identity for a LinearSystem (Van Loan 1978):

    int_0^T e^{A^T t} Q e^{A t} dt = F22^T F12  with  exp([[-A^T, Q], [0, A]] T) = [[F11, F12],
                                                                                   [0, F22]],

which equals X - e^{A^T T} X e^{A T} with A^T X + X A = -Q whenever that Lyapunov equation is
solvable, and needs no stability of A.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numkit.quadrature import BayesianQuadrature, bq_weights, gregory_weights, simpson, trapezoid

BQ_KERNELS = ("matern12", "matern32", "matern52", "matern72", "wiener")
NAMES = (
    "trapezoid",
    "simpson",
    "gregory",
    "gregory4",
    "gregory6",
    "gregory8",
    "exact",
    *BQ_KERNELS,
)
# Lengthscale of BQ given by a kernel name, in units of T (the paper: 0.3 s for T = 0.1 s).
BQ_LENGTHSCALE_PER_T = 3.0


def default_gregory_order(N: int) -> int:
    """The highest Gregory order with positive weights that N samples allow (8, 6, 4 or 2)."""
    return 8 if N >= 7 else 6 if N >= 5 else 4 if N >= 3 else 2


def interval_weights(quadrature: Any, T: float, N: int) -> tuple[str, np.ndarray | None]:
    """(label, weights of shape (N,)) for a rule spec; weights None for ``"exact"``."""
    t = np.linspace(0.0, T, N)
    h = T / (N - 1)
    if isinstance(quadrature, str):
        q = quadrature
        if q == "exact":
            return q, None
        if q == "trapezoid":
            return q, trapezoid(np.eye(N), dx=h)
        if q == "simpson":
            return q, simpson(np.eye(N), dx=h)
        if q.startswith("gregory") and q in NAMES:
            order = default_gregory_order(N) if q == "gregory" else int(q[len("gregory") :])
            if N < order - 1:
                raise ValueError(f"quadrature={q!r} needs N >= {order - 1}, got N = {N}")
            return f"gregory{order}", gregory_weights(N, order=order, dx=h)
        if q in BQ_KERNELS:
            ell = BQ_LENGTHSCALE_PER_T * T
            return f"{q} BQ, ell={ell:.3g}", bq_weights(
                t, kernel=q, lengthscale=ell, domain=(0.0, T)
            ).weights
        raise ValueError(
            f"quadrature must be one of {list(NAMES)}, a BayesianQuadrature or N weights; "
            f"got {quadrature!r}"
        )
    if isinstance(quadrature, BayesianQuadrature):
        a, b = quadrature.domain
        nodes = np.asarray(quadrature.nodes)
        order = np.argsort(nodes)
        ok = nodes.size == N and abs((b - a) - T) <= 1e-12 * T
        ok = ok and np.allclose(nodes[order] - a, t, rtol=0, atol=1e-12 * T)
        if not ok:
            raise ValueError(
                f"the BayesianQuadrature must have the N = {N} nodes linspace(a, a + T, N) on a "
                f"domain of length T = {T}; got {nodes.size} nodes on {quadrature.domain}"
            )
        return repr(quadrature), np.asarray(quadrature.weights)[order]
    w = getattr(quadrature, "weights", quadrature)
    w = np.asarray(w)
    if w.dtype.kind not in "biuf" or w.shape != (N,) or not np.all(np.isfinite(w)):
        raise ValueError(
            f"quadrature weights must be {N} finite real numbers (one per sample of an "
            f"interval), got {type(quadrature).__name__} with shape {np.shape(w)}"
        )
    label = repr(quadrature) if hasattr(quadrature, "weights") else "custom weights"
    return label, np.asarray(w, dtype=np.float64)


def lyapunov_interval_matrix(A: np.ndarray, Q: np.ndarray, T: float) -> np.ndarray:
    """M = int_0^T e^{A^T t} Q e^{A t} dt.

    Van Loan's block exponential, whose block e^{-A^T T} overflows when A is strongly stable
    (a gain of 1e9 after a policy iteration step gives e^{2.5e8}): there, and only for a stable A,
    M = X - e^{A^T T} X e^{A T} with A^T X + X A = -Q (the exponential is then small, so the
    difference does not cancel). ValueError for an unstable A whose exponential overflows.
    """
    from scipy.linalg import expm, solve_continuous_lyapunov

    n = A.shape[0]
    C = np.zeros((2 * n, 2 * n))
    C[:n, :n] = -A.T
    C[:n, n:] = Q
    C[n:, n:] = A
    with np.errstate(over="ignore", invalid="ignore"):
        E = expm(C * T)
    if np.all(np.isfinite(E)):
        M = E[n:, n:].T @ E[:n, n:]
    elif np.linalg.eigvals(A).real.max() < 0:
        X = solve_continuous_lyapunov(A.T, -Q)
        F = expm(A * T)
        M = X - F.T @ X @ F
    else:
        raise ValueError(
            "the interval cost matrix overflows: A - B K is unstable with |eigenvalue| T > ~700"
        )
    return 0.5 * (M + M.T)
