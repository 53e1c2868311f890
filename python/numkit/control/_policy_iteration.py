"""Integral reinforcement learning: policy iteration from sampled trajectories (Vrabie-Lewis IntRL).

Policy evaluation (PEV) on each interval [t, t + T] of the data, with V = w^T phi:

    w^T [phi(x(t)) - phi(x(t + T)) + int grad phi g (u - u_k) ds] = int Q(x) + u_k^T R u_k ds,

where u is the recorded input and u_k the policy being evaluated. On-policy data (u = u_k, the
paper's setting) make the middle term vanish; it makes measured off-policy data (exploration, any
behaviour input) usable too (f stays unknown, g is needed anyway for the improvement step).
Every integral comes from the N samples of its interval through one weight vector (the chosen
quadrature). Policy improvement: u_{k+1}(x) = -1/2 R^-1 g(x)^T grad phi(x)^T w.

With ``x0`` each PEV simulates ``n_intervals`` intervals from x0 under the current policy. (The
paper continues one trajectory across iterations and stops when ||w_k - w_{k-1}|| < 1e-3; that
iteration has no fixed point, since its data change every iteration. Restarting at x0 gives a
well-defined fixed point that the iteration reaches to ``tol``, so the final weight error is the
error of the quadrature alone.)
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from numkit._lib.validation import check_count, positive_scalar

from ._basis import CallableBasis, QuadraticBasis, _Basis
from ._rules import interval_weights, lyapunov_interval_matrix
from ._simulate import LinearPolicy, SimulationError, Trajectory, ValuePolicy, policy_batch
from ._systems import ControlAffineSystem, LinearSystem


class PolicyIterationWarning(UserWarning):
    """intrl_policy_iteration stopped without converging (the result has converged=False and
    says why in ``message``)."""


EPS = float(np.finfo(float).eps)
# Smallest singular value of the column-scaled least-squares matrix, relative to the largest,
# below which the weights are not determined by the data (rank deficiency).
RANK_RTOL = 1e-12


@dataclass(frozen=True, repr=False, eq=False)
class IntRLResult:
    """Result of :func:`intrl_policy_iteration`.

    Attributes
    ----------
    weights : ndarray (p,)
        Final value weights, in the basis order.
    weight_history : ndarray (n_iter, p)
        Weights after each policy evaluation.
    P : ndarray (n, n) or None
        The symmetric value matrix (V = x^T P x) when the basis is quadratic.
    policy : callable
        The final (improved) policy ``u = policy(x)``.
    residuals : ndarray (n_iter,)
        Relative least-squares residual ||S w - b|| / ||b|| of each evaluation.
    condition_numbers : ndarray (n_iter,)
        Condition number of each (column-scaled) least-squares matrix.
    converged : bool
    n_iter : int
    message : str
    quadrature : str
    timings : dict
        Seconds spent in ``simulation``, ``quadrature`` (integrands and rule) and
        ``least_squares`` (solve, checks and policy improvement).
    """

    weights: np.ndarray
    weight_history: np.ndarray
    P: np.ndarray | None
    policy: Callable
    residuals: np.ndarray
    condition_numbers: np.ndarray
    converged: bool
    n_iter: int
    message: str
    quadrature: str
    timings: dict = field(default_factory=dict)
    basis: Any = None

    def __repr__(self) -> str:
        return (
            f"IntRLResult(converged={self.converged}, n_iter={self.n_iter}, "
            f"weights={np.array2string(self.weights, precision=8)}, "
            f"quadrature={self.quadrature!r},\n  message={self.message!r})"
        )

    def error(self, reference: Any) -> float:
        """||w - w_ref|| for reference weights, or ||P - P_ref||_F for a reference matrix."""
        ref = np.asarray(reference, dtype=np.float64)
        if ref.ndim == 2:
            if self.P is None or ref.shape != self.P.shape:
                raise ValueError("a matrix reference needs a quadratic basis of the same size")
            return float(np.linalg.norm(self.P - ref))
        if ref.shape != self.weights.shape:
            raise ValueError(f"reference must have shape {self.weights.shape}, got {ref.shape}")
        return float(np.linalg.norm(self.weights - ref))

    def plot(self, ax: Any = None, reference: Any = None) -> Any:
        """Weights per iteration, or (with ``reference``) the weight error per iteration."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        it = np.arange(1, self.n_iter + 1)
        if reference is None:
            names = getattr(self.basis, "names", None) or [
                f"w{k + 1}" for k in range(self.weights.size)
            ]
            for k in range(self.weights.size):
                ax.plot(it, self.weight_history[:, k], marker="o", label=names[k])
            ax.set_ylabel("weight")
            ax.legend()
        else:
            ref = np.asarray(reference, dtype=np.float64)
            if ref.ndim == 2:
                errs = [np.linalg.norm(self.basis.to_matrix(w) - ref) for w in self.weight_history]
            else:
                errs = [np.linalg.norm(w - ref) for w in self.weight_history]
            ax.semilogy(it, errs, marker="o")
            ax.set_ylabel("weight error")
        ax.set_xlabel("policy iteration")
        ax.set_title(self.quadrature)
        return ax


def _initial_policy(system, basis, initial_weights, initial_policy):
    if initial_weights is not None and initial_policy is not None:
        raise ValueError("give initial_weights or initial_policy, not both")
    if initial_weights is not None:
        w0 = np.asarray(initial_weights, dtype=np.float64)
        if w0.shape != (basis.size,) or not np.all(np.isfinite(w0)):
            raise ValueError(f"initial_weights must be {basis.size} finite numbers, got {w0}")
        return _greedy(system, basis, w0), w0
    if initial_policy is None:
        if isinstance(system, LinearSystem):
            return LinearPolicy(np.zeros((system.m, system.A.shape[0]))), None
        m = system.m
        return (lambda x: np.zeros(m)), None
    if callable(initial_policy):
        return initial_policy, None
    K = np.asarray(initial_policy)
    if isinstance(system, LinearSystem) and K.dtype.kind in "biuf":
        m, n = system.B.shape[1], system.A.shape[0]
        if not (K.shape == (m, n) or (m == 1 and K.shape == (n,))):
            # (checked by shape, not size: an (n, m) gain was silently reshaped to (m, n))
            raise ValueError(f"an initial gain K must have shape ({m}, {n}), got {K.shape}")
        return LinearPolicy(K.reshape(system.m, system.A.shape[0])), None
    raise TypeError("initial_policy must be callable u(x) (or a gain matrix K for LinearSystem)")


def _greedy(system, basis, w):
    if isinstance(system, LinearSystem) and isinstance(basis, QuadraticBasis):
        return LinearPolicy(system.R_inv @ system.B.T @ basis.to_matrix(w))
    return ValuePolicy(system, basis, w)


def _unstable_gain(system, policy) -> str | None:
    """For a linear closed loop: the offending eigenvalue, else None."""
    if isinstance(system, LinearSystem) and isinstance(policy, LinearPolicy):
        ev = np.linalg.eigvals(system.A - system.B @ policy.K)
        worst = ev[np.argmax(ev.real)]
        if worst.real >= 0:
            return f"A - B K has the eigenvalue {worst:.6g} (real part >= 0)"
    return None


def _collect_data(data, T, N, n_intervals, system):
    trajs = [data] if isinstance(data, Trajectory) else list(data)
    if not trajs or not all(isinstance(d, Trajectory) for d in trajs):
        raise TypeError("data must be a Trajectory or a list of Trajectory objects")
    Xs, Us = [], []
    for d in trajs:
        X, U = d.intervals(T, N)
        if X.shape[2] != (system.n or X.shape[2]) or U.shape[2] != system.m:
            raise ValueError(
                f"data have n = {X.shape[2]} states and m = {U.shape[2]} inputs; the system "
                f"has n = {system.n}, m = {system.m}"
            )
        Xs.append(X)
        Us.append(U)
    X, U = np.concatenate(Xs), np.concatenate(Us)
    if n_intervals is not None:
        if X.shape[0] < n_intervals:
            raise ValueError(f"data hold {X.shape[0]} whole intervals, n_intervals={n_intervals}")
        X, U = X[:n_intervals], U[:n_intervals]
    return X, U


def intrl_policy_iteration(
    system: ControlAffineSystem,
    basis: _Basis,
    *,
    T: float,
    N: int,
    quadrature: Any = "simpson",
    n_intervals: int | None = None,
    x0: Any = None,
    data: Any = None,
    max_iter: int = 50,
    tol: float = 1e-10,
    initial_weights: Any = None,
    initial_policy: Any = None,
    max_state_norm: float | None = None,
) -> IntRLResult:
    """Learn the optimal value function and controller by integral-RL policy iteration.

    Parameters
    ----------
    system : ControlAffineSystem or LinearSystem
    basis : QuadraticBasis, PolynomialBasis or CallableBasis
    T : float
        Interval length of the integral Bellman equation.
    N : int
        Samples per interval (>= 2), equispaced, end points included.
    quadrature : str, BayesianQuadrature or array_like, optional
        ``"trapezoid"``, ``"simpson"`` (default), ``"gregory"`` (Gregory's end-corrected rule
        of the highest positive order N allows: 8 for N >= 7, 6 (Boole) for N = 5, 6),
        ``"gregory4"``/``"gregory6"``/``"gregory8"``, a BQ kernel name (``"matern32"``,
        ``"matern52"``, ``"matern72"``, ...; lengthscale 3 T, the paper's 0.3 s at T = 0.1 s),
        a :class:`numkit.quadrature.BayesianQuadrature` on ``linspace(a, a + T, N)``, N weights
        (or an object with ``.weights``, e.g. ``numkit.quadrature.centred_bq_weights`` built on
        ``linspace(0, T, N)``),
        or ``"exact"`` (LinearSystem with ``x0`` only: the matrix-exponential identity, and the
        data propagated exactly).
    n_intervals : int
        Intervals per policy evaluation (rows of the least-squares system; at least the basis
        size). Required with ``x0``; with ``data`` defaults to all whole intervals in the data.
    x0 : array_like, optional
        Initial state: each evaluation simulates ``n_intervals`` intervals from it, on-policy.
    data : Trajectory or list of Trajectory, optional
        Measured data (any input, e.g. with exploration) used by every evaluation (off-policy
        form above). Give exactly one of ``x0`` and ``data``.
    max_iter : int, optional
        Bound on policy iterations (default 50).
    tol : float, optional
        Stop when ||w_k - w_{k-1}|| <= tol ||w_k|| (relative: the weights scale with the costs
        Q and R, and an absolute floor would stop early at small costs), or when the change is
        at the rounding floor of the least-squares solve (16 eps cond ||w||). Default 1e-10.
    initial_weights : array_like (p,), optional
        Start from the greedy policy of these weights (the paper's nonlinear task).
    initial_policy : callable or (m, n) gain, optional
        Start from this policy. Default: u = 0 (K0 = 0 for a LinearSystem). It must stabilize.
    max_state_norm : float, optional
        Blow-up limit of the on-policy simulations (``x0``), as in :func:`simulate`. Default:
        none for a linear policy on a LinearSystem (its eigenvalues have already shown the loop
        stable, so a large transient of a non-normal A - B K is not a blow-up), else
        simulate's default ``1e4 max(1, max|x0|)``.

    Returns
    -------
    IntRLResult

    Raises
    ------
    ValueError
        Bad input; a non-stabilizing initial policy (eigenvalues for a LinearSystem, or a fitted
        cost-to-go that is not positive); too few intervals or data
        that do not excite the basis (rank-deficient least squares, with the number needed).
    SimulationError
        The simulation under the initial policy blew up (unstable loop, finite escape time).
    Failures after the first iteration end with ``converged=False`` and a message instead.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.control import LinearSystem, QuadraticBasis, intrl_policy_iteration
    >>> system = LinearSystem([[0.0, 1.0], [-1.0, -2.0]], [0.0, 1.0], np.eye(2), np.eye(1))
    >>> res = intrl_policy_iteration(
    ...     system, QuadraticBasis(2), T=0.1, N=11, n_intervals=10, x0=[1.0, 0.0],
    ...     quadrature="gregory",
    ... )
    >>> res.converged, res.n_iter
    (True, 5)
    >>> bool(np.abs(res.P - system.lqr().P).max() < 1e-12)  # the Riccati solution
    True
    """
    if not isinstance(system, ControlAffineSystem):
        raise TypeError(f"system must be a ControlAffineSystem, got {type(system).__name__}")
    if not isinstance(basis, _Basis):
        raise TypeError(f"basis must be a numkit.control basis, got {type(basis).__name__}")
    T = positive_scalar(T, "T")
    N = check_count(N, "N", minimum=2)
    max_iter = check_count(max_iter, "max_iter")
    tol = positive_scalar(tol, "tol", zero_ok=True)
    if max_state_norm is not None:
        max_state_norm = positive_scalar(max_state_norm, "max_state_norm")
    if (x0 is None) == (data is None):
        raise ValueError("give exactly one of x0 (simulate on-policy) and data (measured)")
    if n_intervals is not None:
        n_intervals = check_count(n_intervals, "n_intervals")
    if x0 is not None:
        if n_intervals is None:
            raise ValueError("n_intervals is required with x0")
        x0 = system.check_state(x0)
        n = x0.size
    else:
        Xd, Ud = _collect_data(data, T, N, n_intervals, system)
        n = Xd.shape[2]
        system.check_state(Xd[0, 0], "data.x[0]")
    if isinstance(basis, CallableBasis):
        basis.bind(n)
    elif basis.n != n:
        raise ValueError(f"basis is for n = {basis.n} states, the system has {n}")
    p = basis.size
    n_rows = n_intervals if x0 is not None else Xd.shape[0]
    if n_rows < p:
        raise ValueError(
            f"{n_rows} intervals give {n_rows} equations for the {p} basis weights: the "
            f"least-squares system needs at least {p} intervals (n_intervals >= {p}; more, with "
            "varied states, for a well-conditioned fit)"
        )
    label, wq = interval_weights(quadrature, T, N)
    exact = wq is None
    if exact and not (isinstance(system, LinearSystem) and x0 is not None):
        raise ValueError("quadrature='exact' needs a LinearSystem and x0 (on-policy simulation)")
    policy, w_prev = _initial_policy(system, basis, initial_weights, initial_policy)
    bad = _unstable_gain(system, policy)
    if bad:
        raise ValueError(f"the initial policy is not stabilizing: {bad}")
    if exact and not isinstance(policy, LinearPolicy):
        raise ValueError("quadrature='exact' needs a linear initial policy (a gain K)")
    if exact and not isinstance(basis, QuadraticBasis):
        # Only a quadratic basis keeps the improved policies linear gains, which the identity
        # needs at every iteration (the second one failed with an AttributeError before).
        raise ValueError(
            f"quadrature='exact' needs a QuadraticBasis (got {type(basis).__name__}): the "
            "greedy policies of other bases are not linear gains; use a quadrature rule such "
            "as 'gregory'"
        )

    timings = {"simulation": 0.0, "quadrature": 0.0, "least_squares": 0.0}
    history, residuals, conds = [], [], []
    converged, message = False, ""
    w = w_init = w_prev
    for k in range(max_iter):
        t0 = time.perf_counter()
        if x0 is not None:
            from ._simulate import simulate

            limit = max_state_norm
            if (
                limit is None
                and isinstance(system, LinearSystem)
                and isinstance(policy, LinearPolicy)
            ):
                limit = float(np.finfo(np.float64).max)  # (its gain passed _unstable_gain)
            try:
                traj = simulate(
                    system,
                    policy,
                    x0,
                    (0.0, n_intervals * T),
                    n_samples_per_interval=N,
                    T=T,
                    max_state_norm=limit,
                )
            except SimulationError as exc:
                if k == 0:
                    msg = f"the initial policy is not stabilizing (iteration 1): {exc}"
                    raise SimulationError(msg, exc.t, exc.x) from exc
                message = f"iteration {k + 1}: the policy of iteration {k} blew up: {exc}"
                break
            X, U = traj.intervals(T, N)
        else:
            X, U = Xd, Ud
        t1 = time.perf_counter()
        K_int, _, _ = X.shape
        flat = X.reshape(-1, n)
        S = basis.phi(X[:, 0]) - basis.phi(X[:, -1])
        if exact:
            AK = system.A - system.B @ policy.K
            QK = system.Q + policy.K.T @ system.R @ policy.K
            M = lyapunov_interval_matrix(AK, QK, T)
            b = np.einsum("ij,jk,ik->i", X[:, 0], M, X[:, 0])
        else:
            Uk = policy_batch(policy, flat, system.m)
            ell = system.state_cost(flat) + system.control_cost(Uk)
            b = ell.reshape(K_int, N) @ wq
            dU = U.reshape(-1, system.m) - Uk
            if np.any(dU != 0):  # off-policy correction int grad phi g (u - u_k)
                gdu = np.einsum("mnk,mk->mn", system.g_batch(flat), dU)
                corr = np.einsum("mpn,mn->mp", basis.grad(flat), gdu)
                S = S + np.einsum("kjp,j->kp", corr.reshape(K_int, N, p), wq)
        t2 = time.perf_counter()
        timings["simulation"] += t1 - t0
        timings["quadrature"] += t2 - t1
        if not (np.all(np.isfinite(S)) and np.all(np.isfinite(b))):
            message = f"iteration {k + 1}: non-finite values in the least-squares system"
            if k == 0:
                raise ValueError(message)
            break
        scale = np.linalg.norm(S, axis=0)
        scale[scale == 0] = 1.0
        sol, _, _, sv = np.linalg.lstsq(S / scale, b, rcond=None)
        cond = float(sv[0] / sv[-1]) if sv[-1] > 0 else np.inf
        r = int(np.sum(sv > RANK_RTOL * sv[0]))
        if r < p:
            msg = (
                f"iteration {k + 1}: the least-squares matrix has numerical rank {r} < {p} "
                f"(cond {cond:.2e}): the data do not excite the basis. It needs at least {p} "
                f"intervals with independent rows; {K_int} intervals gave rank {r}. Use another "
                "x0, more intervals from varied states, or data with exploration "
                "(simulate(..., exploration=...), then data=)"
            )
            if k == 0:
                raise ValueError(msg)
            message = msg
            break
        w_new = sol / scale
        res = float(np.linalg.norm(S @ w_new - b) / max(np.linalg.norm(b), np.finfo(float).tiny))
        V = basis.value(w_new, flat)
        big = np.linalg.norm(flat, axis=1) > 1e-6 * np.abs(flat).max()
        # (Every interval cost exactly 0, as with Q = 0 under u = 0: V = 0 is then the answer,
        # not a sign of an unstable policy.)
        msg = ""
        if np.any(b != 0) and np.any(V[big] <= 0):
            i = int(np.flatnonzero(big & (V <= 0))[0])
            msg = (
                f"the fitted cost-to-go is not positive (V = {V[i]:.3g} at x = {flat[i]}): the "
                "evaluated policy is not stabilizing, the basis cannot represent its cost, or the "
                "quadrature weights are wrong"
            )
        elif np.any(b != 0) and isinstance(basis, QuadraticBasis):
            # V > 0 on the samples is not enough: a cost-to-go x^T P x needs P >= 0 (an
            # unstable direction the data barely visit gave an eigenvalue of -10 and the blame
            # fell on the improved policy)
            ev = np.linalg.eigvalsh(basis.to_matrix(w_new))
            if ev[0] < -1e-3 * max(abs(ev[0]), abs(ev[-1])):
                msg = (
                    f"the fitted cost-to-go matrix P has the eigenvalue {ev[0]:.3g} < 0 (largest "
                    f"{ev[-1]:.3g}): the evaluated policy is not stabilizing, or the data do not "
                    "determine its cost"
                )
        if msg:
            if k == 0:
                raise ValueError(f"the initial policy is not stabilizing: {msg}")
            message = f"iteration {k + 1}: {msg}"
            break
        history.append(w_new)
        residuals.append(res)
        conds.append(cond)
        policy_new = _greedy(system, basis, w_new)
        bad = _unstable_gain(system, policy_new)
        timings["least_squares"] += time.perf_counter() - t2
        w = w_new
        policy = policy_new
        if bad:
            message = f"iteration {k + 1}: the improved policy is not stabilizing: {bad}"
            break
        if w_prev is not None:
            dw = float(np.linalg.norm(w - w_prev))
            wn = float(np.linalg.norm(w))
            floor = 16 * EPS * cond * wn
            if dw <= tol * wn:
                converged = True
                message = f"converged: ||w_k - w_k-1|| = {dw:.2e} <= tol ||w_k||"
            elif dw <= floor:
                converged = True
                message = (
                    f"converged to the rounding floor of the least squares: ||w_k - w_k-1|| = "
                    f"{dw:.2e} <= 16 eps cond ||w|| = {floor:.2e}"
                )
            if converged:
                break
        w_prev = w
    else:
        seq = ([] if w_init is None else [w_init]) + history
        if len(seq) > 1:
            change = f"last change {np.linalg.norm(seq[-1] - seq[-2]):.2e} > tol = {tol:g}"
        else:  # (max_iter = 1 from u = 0: one evaluation, nothing to compare it with)
            change = "one evaluation, so no change to compare with tol"
        message = f"not converged after max_iter = {max_iter} iterations: {change}"
    if not history:  # only reachable for failures after iteration 0, which append first
        raise ValueError(message)
    if not converged:  # as fit_vmf and VMFMixture do: the result alone is easy to miss
        warnings.warn(
            f"intrl_policy_iteration did not converge: {message}",
            PolicyIterationWarning,
            stacklevel=2,
        )
    W = np.array(history)
    W.flags.writeable = False
    return IntRLResult(
        weights=W[-1],
        weight_history=W,
        P=basis.to_matrix(W[-1]) if isinstance(basis, QuadraticBasis) else None,
        policy=policy,
        residuals=np.array(residuals),
        condition_numbers=np.array(conds),
        converged=converged,
        n_iter=len(history),
        message=message,
        quadrature=label,
        timings=timings,
        basis=basis,
    )
