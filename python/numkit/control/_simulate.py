"""Trajectories (measured or simulated), policies, and the simulator.

The simulator samples each interval of length T at N equispaced points. For a LinearSystem under a
linear feedback it propagates exactly with the matrix exponential of the closed loop (no ODE
tolerance in the data); otherwise it runs scipy's DOP853 with rtol 1e-13 and reads the samples from
its 7th-order dense output, so the data are accurate far below the quadrature errors under study.
"""

from __future__ import annotations

from typing import Any, Callable, Literal

import numpy as np

from numkit._lib.validation import check_count, positive_scalar

from ._systems import ControlAffineSystem, LinearSystem


class SimulationError(RuntimeError):
    """The simulation blew up (state norm past the limit, non-finite values, solver failure).

    Attributes
    ----------
    t : float
        Time at which it was detected.
    x : ndarray
        State there.
    """

    def __init__(self, message: str, t: float, x: np.ndarray) -> None:
        super().__init__(message)
        self.t = float(t)
        self.x = np.asarray(x)


class LinearPolicy:
    """u = -K x."""

    def __init__(self, K: Any) -> None:
        self.K = np.atleast_2d(np.asarray(K, dtype=np.float64))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return -(self.K @ x)

    def batch(self, X: np.ndarray) -> np.ndarray:
        return -(X @ self.K.T)

    def __repr__(self) -> str:
        return f"LinearPolicy(K={np.array2string(self.K, precision=6)})"


class ValuePolicy:
    """The greedy policy of V = w^T phi: u(x) = -1/2 R^-1 g(x)^T grad phi(x)^T w."""

    def __init__(self, system: ControlAffineSystem, basis: Any, weights: np.ndarray) -> None:
        self.system, self.basis = system, basis
        self.weights = np.array(weights, dtype=np.float64)
        # For V = x^T P x the gradient is 2 P x: no basis evaluation inside the ODE right-hand side.
        to_matrix = getattr(basis, "to_matrix", None)
        self._P = None if to_matrix is None else to_matrix(self.weights)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.with_g(x, self.system.g(x))

    def with_g(self, x: np.ndarray, G: np.ndarray) -> np.ndarray:
        """u(x) given G = g(x) (the simulator evaluates g once per step for both uses)."""
        if self._P is not None:
            return -self.system.R_inv @ (G.T @ (self._P @ x))
        D = self.basis.grad(x[None, :])[0]  # (p, n)
        return -0.5 * self.system.R_inv @ (G.T @ (D.T @ self.weights))

    def batch(self, X: np.ndarray) -> np.ndarray:
        grad_v = np.einsum("mpn,p->mn", self.basis.grad(X), self.weights)
        gtv = np.einsum("mnk,mn->mk", self.system.g_batch(X), grad_v)
        return -0.5 * gtv @ self.system.R_inv.T

    def __repr__(self) -> str:
        return f"ValuePolicy(weights={np.array2string(self.weights, precision=6)})"


def policy_batch(policy: Callable, X: np.ndarray, m: int) -> np.ndarray:
    """Controls of a policy at states X (M, n) as (M, m)."""
    if hasattr(policy, "batch"):
        return np.asarray(policy.batch(X), dtype=np.float64).reshape(X.shape[0], m)
    return np.array([_controls(policy(x), m, "policy(x)") for x in X])


class Trajectory:
    """Samples of a trajectory: times ``t`` (M,), states ``x`` (M, n), controls ``u`` (M, m).

    Build one from measured data, ``Trajectory(t, x, u)``, or get one from :func:`simulate`. For
    integral RL the samples must cover consecutive intervals of length T with N equispaced
    samples each (shared end points): ``t = t0 + k T / (N - 1)``.
    """

    def __init__(self, t: Any, x: Any, u: Any) -> None:
        t = np.asarray(t, dtype=np.float64)
        x = np.asarray(x, dtype=np.float64)
        u = np.asarray(u, dtype=np.float64)
        if t.ndim != 1 or t.size < 2:
            raise ValueError(f"t must be 1-D with at least 2 times, got shape {t.shape}")
        if x.ndim == 1:
            x = x[:, None]
        if u.ndim == 1:
            u = u[:, None]
        if x.shape[0] != t.size or u.shape[0] != t.size:
            raise ValueError(
                f"x and u must have one row per time: t {t.shape}, x {x.shape}, u {u.shape}"
            )
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(x)) and np.all(np.isfinite(u))):
            raise ValueError("t, x and u must be finite")
        if not np.all(np.diff(t) > 0):
            raise ValueError("t must be strictly increasing")
        for a in (t, x, u):
            a.flags.writeable = False
        self.t, self.x, self.u = t, x, u

    def __repr__(self) -> str:
        return (
            f"Trajectory(t=[{self.t[0]:.6g}, {self.t[-1]:.6g}], samples={self.t.size}, "
            f"n={self.x.shape[1]}, m={self.u.shape[1]})"
        )

    def intervals(self, T: float, N: int) -> tuple[np.ndarray, np.ndarray]:
        """States (K, N, n) and controls (K, N, m) of the K whole intervals in the data."""
        h = T / (N - 1)
        d = np.diff(self.t)
        # Relative 1e-9, plus the rounding of the times themselves (ulp(1e8) = 1.5e-8: at large
        # t0 simulate's own samples were refused).
        tol = 1e-9 * h + 4.0 * float(np.spacing(np.abs(self.t).max()))
        if not np.all(np.abs(d - h) <= tol):
            raise ValueError(
                f"data must be sampled every T / (N - 1) = {h:.6g} (N = {N} samples per interval "
                f"of T = {T:.6g}); found spacings {d.min():.6g} .. {d.max():.6g}"
            )
        K = (self.t.size - 1) // (N - 1)
        if K < 1:
            raise ValueError(f"data hold {self.t.size} samples, fewer than one interval of {N}")
        idx = np.arange(K)[:, None] * (N - 1) + np.arange(N)[None, :]
        return self.x[idx], self.u[idx]


def _sample_times(t_span: Any, T: float, N: int) -> np.ndarray:
    try:
        t0, t1 = (float(v) for v in t_span)
    except (TypeError, ValueError):
        raise ValueError(f"t_span must be a pair (t0, t1), got {t_span!r}") from None
    if not (np.isfinite(t0) and np.isfinite(t1) and t1 > t0):
        raise ValueError(f"t_span must be finite with t0 < t1, got ({t0}, {t1})")
    k = round((t1 - t0) / T)
    if k < 1 or abs(k * T - (t1 - t0)) > 1e-9 * T * k:
        raise ValueError(f"t_span length {t1 - t0:.6g} must be a whole number of intervals T={T}")
    return t0 + np.arange(k * (N - 1) + 1) * (T / (N - 1))


def simulate(
    system: ControlAffineSystem,
    policy: Callable,
    x0: Any,
    t_span: Any,
    *,
    n_samples_per_interval: int,
    T: float,
    exploration: Callable | None = None,
    method: Literal["auto", "expm", "DOP853", "RK45", "Radau", "LSODA"] = "auto",
    rtol: float = 1e-13,
    atol: float | None = None,
    max_state_norm: float | None = None,
) -> Trajectory:
    """Simulate dx/dt = f(x) + g(x) (policy(x) + exploration(t)) and sample it for integral RL.

    Parameters
    ----------
    system : ControlAffineSystem
    policy : callable
        ``policy(x) -> u`` of shape (m,).
    x0 : array_like (n,)
    t_span : (t0, t1)
        A whole number of intervals of length T.
    n_samples_per_interval : int
        N >= 2 equispaced samples per interval (end points shared between intervals).
    T : float
        Interval length.
    exploration : callable, optional
        ``e(t) -> (m,)`` added to the control (probing signal); the recorded ``u`` includes it.
    method : str, optional
        ``"auto"`` (default): the exact matrix exponential for a LinearSystem under a
        :class:`LinearPolicy` without exploration, else ``"DOP853"``; or any solve_ivp method.
    rtol, atol : float, optional
        ODE tolerances; default 1e-13 and ``1e-2 rtol max|x0|``. (DOP853 at rtol 1e-12 leaves
        state errors of ~5e-12 relative, which the least squares of the paper's linear task
        (cond ~7e5) turn into weight errors of ~2e-7; 1e-13 brings them to ~1e-8.)
    max_state_norm : float, optional
        Blow-up limit on ``max|x|``; default ``1e4 max(1, max|x0|)``.

    Returns
    -------
    Trajectory

    Raises
    ------
    SimulationError
        When the state passes the limit, becomes non-finite, or the solver fails.
    """
    if not isinstance(system, ControlAffineSystem):
        raise TypeError(f"system must be a ControlAffineSystem, got {type(system).__name__}")
    if not callable(policy):
        raise TypeError("policy must be callable policy(x) -> u")
    if exploration is not None and not callable(exploration):
        raise TypeError("exploration must be None or callable e(t) -> (m,)")
    N = check_count(n_samples_per_interval, "n_samples_per_interval", minimum=2)
    T = positive_scalar(T, "T")
    rtol = positive_scalar(rtol, "rtol")
    atol = None if atol is None else positive_scalar(atol, "atol", zero_ok=True)
    if max_state_norm is not None:
        max_state_norm = positive_scalar(max_state_norm, "max_state_norm")
    x0 = system.check_state(x0)
    times = _sample_times(t_span, T, int(N))
    scale = max(float(np.abs(x0).max()), 1e-300)
    limit = 1e4 * max(1.0, scale) if max_state_norm is None else float(max_state_norm)
    m = system.m
    if method == "auto":
        linear = isinstance(system, LinearSystem) and isinstance(policy, LinearPolicy)
        method = "expm" if linear and exploration is None else "DOP853"
    if method == "expm":
        if not (isinstance(system, LinearSystem) and isinstance(policy, LinearPolicy)):
            raise ValueError("method='expm' needs a LinearSystem and a LinearPolicy")
        if exploration is not None:
            raise ValueError("method='expm' cannot add exploration; use an ODE method")
        X = _propagate_linear(system, policy, x0, times, limit)
    else:
        X = _integrate(system, policy, exploration, x0, times, method, rtol, atol, scale, limit)
    U = policy_batch(policy, X, m)
    if exploration is not None:
        U = U + np.array([_controls(exploration(t), m, "exploration(t)") for t in times])
    return Trajectory(times, X, U)


def _controls(value: Any, m: int, what: str) -> np.ndarray:
    """A policy's or exploration's output as m controls, or ValueError naming it."""
    u = np.asarray(value, dtype=np.float64)
    if u.size != m:
        raise ValueError(f"{what} must return {m} control value(s), got shape {u.shape}")
    return u.reshape(m)


def _propagate_linear(system, policy, x0, times, limit) -> np.ndarray:
    from scipy.linalg import expm

    h = times[1] - times[0]
    Phi = expm((system.A - system.B @ policy.K) * h)
    X = np.empty((times.size, x0.size))
    X[0] = x0
    for k in range(1, times.size):
        X[k] = Phi @ X[k - 1]
        if not np.abs(X[k]).max() < limit:
            raise SimulationError(
                f"the state grew past {limit:.3g} (max|x| = {np.abs(X[k]).max():.3g}) at "
                f"t = {times[k]:.6g}: the closed loop A - B K is unstable",
                times[k],
                X[k],
            )
    return X


def _integrate(system, policy, exploration, x0, times, method, rtol, atol, scale, limit):
    from scipy.integrate import solve_ivp

    atol = 1e-2 * rtol * scale if atol is None else float(atol)

    f, g = system.f, system.g
    m = system.m
    with_g = getattr(policy, "with_g", None)
    # The solver runs in local time tau = t - t0: at t0 = 1e8 the times' own rounding (1.5e-8)
    # is far above what rtol 1e-13 asks, and the step size collapsed (minutes for 0.5 s).
    t0 = float(times[0])
    # A bound on right-hand sides (a smooth run needs ~30 per sample): an exploration of
    # absolute time is piecewise constant on steps of ulp(t) (1.5e-8 at t = 1e8), and at rtol
    # 1e-13 the solver resolves every step (600k calls for 0.03 s).
    budget = max(100_000, 2_000 * times.size)
    calls = [0]

    def rhs(tau, x):
        calls[0] += 1
        if calls[0] > budget:
            t = t0 + tau
            raise SimulationError(
                f"the ODE solver took over {budget} steps' worth of dx/dt calls by t = {t:.9g}: "
                f"the right-hand side is not smooth at rtol = {rtol:.3g} (an exploration of "
                f"absolute time steps every ulp(t) = {np.spacing(abs(t)):.2g}; write it in "
                "t - t0, or start nearer t = 0), or the system is stiff (method='Radau')",
                t,
                x,
            )
        G = g(x)
        u = with_g(x, G) if with_g is not None else _controls(policy(x), m, "policy(x)")
        if exploration is not None:
            u = u + _controls(exploration(t0 + tau), m, "exploration(t)")
        dx = np.asarray(f(x), dtype=np.float64).reshape(-1) + G @ u.reshape(-1)
        if not np.all(np.isfinite(dx)):
            raise SimulationError(f"non-finite dx/dt at t = {t0 + tau:.6g}", t0 + tau, x)
        return dx

    def escape(tau, x):
        return limit - np.abs(x).max()

    escape.terminal = True
    local = times - t0
    try:
        sol = solve_ivp(
            rhs,
            (0.0, local[-1]),
            x0,
            method=method,
            t_eval=local,
            rtol=rtol,
            atol=atol,
            events=escape,
        )
    except SimulationError:
        raise
    except ValueError as exc:
        raise ValueError(f"solve_ivp rejected the problem: {exc}") from None
    if sol.status == 1:
        t_e, x_e = t0 + float(sol.t_events[0][0]), sol.y_events[0][0]
        raise SimulationError(
            f"the state grew past {limit:.3g} at t = {t_e:.6g} (x0 had max|x| = {scale:.3g}): "
            "the closed loop is unstable under this policy, or the system escapes in finite time",
            t_e,
            x_e,
        )
    if sol.status != 0 or sol.y.shape[1] != times.size:
        t_f = t0 + float(sol.t[-1]) if sol.t.size else t0
        x_f = sol.y[:, -1] if sol.y.size else x0
        raise SimulationError(f"the ODE solver stopped at t = {t_f:.6g}: {sol.message}", t_f, x_f)
    return np.ascontiguousarray(sol.y.T)
