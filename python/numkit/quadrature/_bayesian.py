"""Bayesian quadrature on an interval: weights, posterior std, marginal-likelihood lengthscale.

The compiled core (cpp/src/quadrature/bq.cpp) never forms the Gram matrix: it uses the Gauss-Markov
(state-space) form of the Matern-(p + 1/2) kernels, so the weights and the posterior variance keep
their accuracy down to rounding, without jitter, for any ratio of lengthscale to node spacing.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Union

import numpy as np
import numpy.typing as npt

from numkit._core import quadrature as _core

from .._lib.validation import normalize_axis, positive_scalar
from ._validation import KernelName, bq_nodes, kernel_code, real_pair

# Lengthscales outside this range would make the kernel's rate sqrt(2p + 1) / ell leave the normal
# double range.
_ELL_RANGE = (1e-300, 1e300)


def _lengthscale(value: Any, name: str = "lengthscale") -> float:
    ell = positive_scalar(value, name)
    if not _ELL_RANGE[0] <= ell <= _ELL_RANGE[1]:
        raise ValueError(f"{name} must lie in [1e-300, 1e300], got {ell}")
    return ell


def _check_scale(code: Any, ell: float, a: float, b: float) -> None:
    """The interval measured in lengthscales must be a finite double (for the Matern kernels)."""
    p = int(code.value)
    if p < 0:  # Wiener: the prior variance of the integral ell L^2 + L^3 / 3 must be finite
        L = b - a
        if not math.isfinite(L * L * (ell + L / 3.0)):
            raise ValueError(
                f"the 'wiener' kernel needs (b - a)^2 (lengthscale + (b - a) / 3) to be finite, "
                f"got b - a = {L:g}, lengthscale = {ell:g}"
            )
        return
    if not math.isfinite(math.sqrt(2 * p + 1) / ell * (b - a)):
        raise ValueError(
            f"domain length / lengthscale overflows ((b - a) = {b - a:g}, lengthscale = {ell:g}): "
            "use a longer lengthscale or a shorter domain"
        )


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


# Largest measured error / (eps ratio^p) of the weights per Matern order p (close pairs in a grid,
# random nodes; ratio = max gap / min gap up to 1.25e5): double sweep, long-double sweep.
_SWEEP_ERROR_FACTOR = {1: 1.0, 2: 0.3, 3: 0.1}
_EXTENDED_ERROR_FACTOR = {1: 1.0, 2: 1e-3, 3: 4e-5}
# x87 extended precision (64-bit significand); where long double is plain double (MSVC), the
# long-double sweep rounds like the double one.
_HAS_EXTENDED = np.finfo(np.longdouble).nmant >= 63


def _weight_error_estimate(n: int, ratio: float, p: int) -> float:
    """Measured bound on the weights' rounding error relative to max |w| (not the std's), at most 1.

    Long-double sweep, Matern-7/2 with a close pair in a 9-node grid: ratio 125 -> 1e-14,
    1250 -> 5e-13, 4170 -> 4e-10, 1.25e4 -> 2e-8; Matern-5/2: 1.25e4 -> 3e-12; Matern-3/2:
    1.25e4 -> 7e-13. The product form (near-uniform nodes only): eps ratio^(2p + 1) / 1e3.
    The algorithm choice (thresholds) is the C++ core's own (numkit._core.quadrature.SWEEP_*).
    Computed in logarithms: any ratio, no overflow.
    """
    eps = float(np.finfo(float).eps)
    log_ratio = math.log(max(ratio, 1.0))
    if n > _core.SWEEP_MAX_N or (n > _core.SWEEP_ALWAYS_N and ratio <= _core.SWEEP_RATIO):
        log_est = math.log(eps * 1e-3) + (2 * p + 1) * log_ratio
    else:
        extended = ratio > _core.EXTENDED_RATIO and _HAS_EXTENDED
        factor = (_EXTENDED_ERROR_FACTOR if extended else _SWEEP_ERROR_FACTOR).get(p, 0.0)
        if factor == 0.0:
            return 0.0
        log_est = math.log(factor * eps) + p * log_ratio
    return math.exp(min(log_est, 0.0))


def _warn_uneven(xs: np.ndarray, p: int) -> None:
    """Warn where the weights may lose more than ~1e-11: very unequal spacings.

    Uniformly small spacings are not affected (weights within 1e-14 at lengthscale / spacing =
    2e4). The posterior std (unit and per integrand) and the marginal likelihood are computed in
    the same difference-basis formulation as the weights and do not carry this loss.
    """
    if p < 1 or xs.size < 3:
        return
    gaps = np.diff(xs)
    # (capped at e^690 ~ 1e300: a subnormal gap next to 1 made exp overflow and bq_weights
    # raise OverflowError; the estimate is 1, its cap, long before)
    ratio = math.exp(min(math.log(float(gaps.max())) - math.log(float(gaps.min())), 690.0))
    estimate = _weight_error_estimate(xs.size, ratio, p)
    if estimate > 1e-11:
        warnings.warn(
            f"node spacings differ by a factor {ratio:.3g}: Bayesian-quadrature weights may carry "
            f"relative errors up to ~{estimate:.0e} of the largest weight (the posterior std "
            "does not include this rounding error). Avoid nearly coincident nodes, or use a "
            "rougher kernel (matern32).",
            RuntimeWarning,
            stacklevel=3,
        )


def _weights(
    order: np.ndarray, xs: np.ndarray, code: Any, ell: float, a: float, b: float
) -> tuple[np.ndarray, float, float]:
    """Weights in the original node order, the unit-amplitude std and the model std."""
    _check_scale(code, ell, a, b)
    _warn_uneven(xs, int(code.value))
    res = _core.weights(xs, code, ell, a, b)
    w = np.empty_like(res.weights)
    w[order] = res.weights
    return w, float(res.std), float(res.model_std)


@dataclass(frozen=True, repr=False)
class BQWeights:
    """Result of :func:`bq_weights`; unpacks as ``weights, std = bq_weights(...)``.

    Attributes
    ----------
    weights : ndarray
        Quadrature weights in the order of the nodes: ``integral ~= weights @ y``.
    std : float
        Posterior standard deviation of the integral for the unit-amplitude kernel, i.e. the
        worst-case error of the rule over the unit ball of the kernel's RKHS.
    kernel : str
    lengthscale : float
    domain : (float, float)
    """

    weights: npt.NDArray[np.float64]
    std: float
    kernel: KernelName
    lengthscale: float
    domain: tuple[float, float]

    def __iter__(self) -> Any:
        return iter((self.weights, self.std))

    def __repr__(self) -> str:
        return (
            f"BQWeights(kernel={self.kernel!r}, lengthscale={self.lengthscale:.6g}, "
            f"domain={self.domain}, n={self.weights.size}, sum={self.weights.sum():.12g}, "
            f"std={self.std:.3e})"
        )


def bq_weights(
    nodes: npt.ArrayLike,
    *,
    kernel: KernelName = "matern52",
    lengthscale: float,
    domain: tuple[float, float] | None = None,
) -> BQWeights:
    """Bayesian-quadrature weights for ``int_a^b f(t) dt`` from the values of f at ``nodes``.

    Parameters
    ----------
    nodes : array_like, shape (N,)
        Distinct points inside ``domain``, in any order.
    kernel : {"matern12", "matern32", "matern52", "matern72", "wiener"}, optional
        ``"matern12"``, ``"matern32"``, ``"matern52"`` (default), ``"matern72"``, or ``"wiener"``
        (Brownian motion pinned to 0 at ``a - lengthscale``; with nodes at both ends of the domain
        its weights are exactly the trapezoid weights).
    lengthscale : float
        Kernel lengthscale in [1e-300, 1e300] (for ``"wiener"``: the offset of the pinning
        point). Lengthscales far beyond the interval give the limit rule (below).
    domain : (float, float), optional
        Integration interval (Lebesgue measure). Default ``(min(nodes), max(nodes))``.

    Returns
    -------
    BQWeights
        ``weights`` and posterior ``std`` (unit-amplitude kernel).

    Raises
    ------
    TypeError, ValueError
        Bad input (named in the message), nodes too close to be resolved.
    RuntimeError
        "the derivative precision Q_dd is singular": nodes and lengthscale leave the state
        numerically undetermined (seen only at extreme lengthscales with few nodes).

    Notes
    -----
    Matern-(p + 1/2) is the covariance of a Gauss-Markov process of order p + 1, so the weights
    follow from a block-tridiagonal system over the derivative states at the nodes (O(N p^3)),
    with transition covariances assembled from nonnegative terms and the posterior variance as a
    sum of nonnegative terms. No jitter is added and the dense Gram matrix (condition number up
    to 1e18 for long lengthscales) is never inverted, so the error keeps its theoretical rate
    down to rounding.

    The weights come from a QR sweep over the states with the data in a difference basis
    (y_0 and y_{k+1} - y_k) and the states as increments, so a segment between nearly coincident
    nodes is never the difference of two huge numbers. That sweep costs O(N^2 p) and is used for
    N <= 64, and for up to 4000 nodes whose largest gap exceeds twice the smallest; it runs in
    long double (x87) when the largest gap exceeds 8 times the smallest (N = 17: ~0.1-0.2 ms
    instead of ~30 us; N = 1000 random nodes: ~0.2-0.3 s; N = 4000: ~2-3 s). Otherwise
    (near-uniform nodes, or very many) the O(N p^2) product form, as accurate for even spacings.

    Accuracy (against 50-digit dense BQ): weights within 1e-14 relative and the std within
    5e-15 for equispaced or irregular nodes, at any lengthscale / spacing ratio tested (up to
    2e4). Nodes much closer to each other than to their neighbours are the weak case for the
    weights (not the std): with a close pair in a grid, max gap / min gap = 125 / 1250 / 1.25e4
    gives 1e-14 / 5e-13 / 2e-8 (Matern-7/2), 4e-15 / 1e-13 / 3e-12 (Matern-5/2),
    1e-14 / 4e-15 / 7e-13 (Matern-3/2); a ``RuntimeWarning`` says so above ~1e-11.

    Long lengthscales: as ``lengthscale / (b - a) -> inf`` Matern-(p + 1/2) BQ tends to the rule of
    p-fold integrated Brownian motion (exact for polynomials of degree p). Where
    ``lengthscale / (b - a)`` exceeds ~1e3 the core works in units of the interval with the
    amplitude rescaled (no transition underflows), so the weights converge to that limit for
    every lengthscale up to 1e300 and the std falls as ``lengthscale^-(p + 1/2)`` (it underflows
    to 0 only where its true value does). Nodes whose gap is below ~1e-40 (p = 3) to 1e-100
    (p = 1) of the time unit (lengthscale / sqrt(2p + 1), or the interval in the limit) cannot
    be resolved: ValueError.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.quadrature import bq_weights
    >>> t = np.linspace(0.0, 0.1, 9)
    >>> w, std = bq_weights(t, kernel="matern52", lengthscale=0.3, domain=(0.0, 0.1))
    >>> err = abs(w @ np.exp(-t) - (1 - np.exp(-0.1)))  # 2.5e-7 (9 nodes)
    >>> bool(err < std)  # the worst-case bound over the RKHS unit ball (std 2.4e-6)
    True
    """
    code = kernel_code(kernel)
    ell = _lengthscale(lengthscale)
    _, (a, b), order, xs = bq_nodes(nodes, domain)
    w, std, _ = _weights(order, xs, code, ell, a, b)
    w.flags.writeable = False
    return BQWeights(w, std, kernel, ell, (a, b))


Floats = Union[float, npt.NDArray[np.float64]]


class BQIntegral(NamedTuple):
    """Result of :meth:`BayesianQuadrature.integrate`: ``integral, std = bq.integrate(Y)``.

    ``integral`` has the shape of ``Y`` without the node axis (a NumPy scalar for one integrand;
    complex for complex ``Y``); ``std`` the same shape, or None with ``with_std=False``.
    """

    integral: float | complex | npt.NDArray[np.inexact[Any]]
    std: Floats | None


@dataclass(frozen=True, repr=False)
class LengthscaleFit:
    """Marginal-likelihood fit of the lengthscale (amplitude profiled out per integrand).

    Attributes
    ----------
    lengthscale : float
    log_likelihood : float
        Profiled log marginal likelihood at ``lengthscale`` summed over the integrands.
    at_bound : bool
        True when the maximum sits at a search bound (the data do not identify the lengthscale).
    bounds : (float, float)
    n_eval : int
    """

    lengthscale: float
    log_likelihood: float
    at_bound: bool
    bounds: tuple[float, float]
    n_eval: int

    def __repr__(self) -> str:
        return (
            f"LengthscaleFit(lengthscale={self.lengthscale:.6g}, "
            f"log_likelihood={self.log_likelihood:.6g}, at_bound={self.at_bound}, "
            f"n_eval={self.n_eval})"
        )


def _log_likelihood(
    xs: np.ndarray, code: Any, ell: float, a: float, b: float, Ys: np.ndarray
) -> float:
    """Profiled log marginal likelihood of the rows of Ys (columns sorted like xs).

    The core returns y^T K^-1 y and log det K for its model amplitude (1, or rescaled in the
    flat limit); with the amplitude profiled out the likelihood does not depend on it. Where the
    weights come from the difference-basis sweep (uneven nodes), so do both terms.
    """
    m, n = Ys.shape
    _check_scale(code, ell, a, b)
    # Each row scaled by a power of two near its max |y| (exact): y^T K^-1 y under- or
    # overflowed for |y| ~ 1e-155 or 1e155 and the fitted lengthscale moved (x2 at 1e-155, to
    # the bound at 1e-160); the profiled likelihood obeys L(c y) = L(y) - N log c per row.
    Zs, e = _pow2_rows(Ys)
    res = _core.quadforms(xs, code, ell, a, b, Zs)
    quad = np.maximum(res.quad, np.finfo(float).tiny)
    shift = n * np.log(2.0) * float(np.sum(e))
    return float(-0.5 * n * np.sum(np.log(quad / n)) - 0.5 * m * res.logdet - 0.5 * m * n - shift)


def _pow2_rows(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Z 2^-e, e) row by row, e the binary exponent of the row's max |z| (0 for rows that are
    all zero or not finite): an exact rescaling that keeps quadratic forms in range."""
    with np.errstate(invalid="ignore"):
        big = np.max(np.abs(Z), axis=1) if Z.shape[1] else np.zeros(Z.shape[0])
    ok = np.isfinite(big) & (big > 0)
    e = np.where(ok, np.frexp(np.where(ok, big, 1.0))[1], 0)
    return np.ldexp(Z, -e[:, None]), e


def _fit_lengthscale(
    xs: np.ndarray,
    code: Any,
    a: float,
    b: float,
    Ys: np.ndarray,
    bounds: tuple[float, float],
) -> LengthscaleFit:
    from scipy.optimize import minimize_scalar

    lo, hi = np.log(bounds[0]), np.log(bounds[1])
    grid = np.linspace(lo, hi, 25)

    def objective(g: float) -> float:
        # A lengthscale where the model is numerically singular (extreme bounds) is skipped.
        try:
            return -_log_likelihood(xs, code, float(np.exp(g)), a, b, Ys)
        except RuntimeError:
            return np.inf

    vals = [objective(g) for g in grid]
    if not np.isfinite(min(vals)):
        raise ValueError(f"the marginal likelihood could not be evaluated inside bounds={bounds}")
    k = int(np.argmin(vals))
    left, right = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    res = minimize_scalar(
        objective,
        bounds=(left, right),
        method="bounded",
        options={"xatol": 1e-5},
    )
    best_g, best_v = (res.x, res.fun) if res.fun <= vals[k] else (grid[k], vals[k])
    step = grid[1] - grid[0]
    at_bound = bool(best_g - lo < 0.5 * step or hi - best_g < 0.5 * step)
    return LengthscaleFit(
        float(np.exp(best_g)), float(-best_v), at_bound, bounds, len(grid) + int(res.nfev)
    )


class BQLengthscaleWarning(UserWarning):
    """lengthscale="mle" ended at a search bound: the data do not identify the lengthscale."""


@dataclass(frozen=True, repr=False, eq=False)
class BayesianQuadrature:
    """A Bayesian-quadrature rule on fixed nodes: weights computed once, applied to any batch.

    Parameters
    ----------
    nodes : array_like, shape (N,)
        Distinct points inside ``domain``.
    kernel : {"matern12", "matern32", "matern52", "matern72", "wiener"}, optional
        As in :func:`bq_weights`. Default ``"matern52"``.
    lengthscale : float or "mle"
        A lengthscale in [1e-300, 1e300], or ``"mle"`` to maximize the marginal likelihood of
        ``data`` (amplitude profiled out for each integrand, lengthscale shared).
    domain : (float, float), optional
        Integration interval. Default ``(min(nodes), max(nodes))``.
    data : array_like, shape (..., N), optional
        Real sample values at the nodes (last axis), required for ``lengthscale="mle"``.
    bounds : (float, float), optional
        Search interval for the lengthscale. Default ``(mean spacing / 10, 100 (b - a))``.

    Attributes
    ----------
    weights : ndarray
        ``integral ~= weights @ y``, in the order of ``nodes``.
    std : float
        Posterior std of the integral for the unit-amplitude kernel.
    fit : LengthscaleFit or None
        The marginal-likelihood fit when ``lengthscale="mle"``.

    Notes
    -----
    The weights depend only on the node positions (relative to the interval and the
    lengthscale), so one object serves every interval and every trajectory sampled at the same
    relative positions: ``integrate`` is one matrix product.

    Where the weights come from the difference-basis sweep (N <= 64, or uneven nodes), the
    marginal likelihood and the per-integrand std come from the same QR: y^T K^-1 y is the norm
    of a triangular matrix times the differences of y (``y_{k+1} - y_k``), so nearly coincident
    nodes do not turn it into rounding noise (129 random nodes on [0, 2] with a pair 5.9e-6
    apart, Matern-7/2: the log-likelihood moved from 1076 to 702 under a 1e-12 relative change
    of the lengthscale before, and by < 1e-9 relative now).
    """

    nodes: npt.NDArray[np.float64]
    kernel: KernelName
    lengthscale: float
    domain: tuple[float, float]
    weights: npt.NDArray[np.float64]
    std: float
    fit: LengthscaleFit | None = None
    _order: np.ndarray = field(default=None, repr=False)
    _code: Any = field(default=None, repr=False)
    _model_std: float = field(default=0.0, repr=False)

    def __init__(
        self,
        nodes: npt.ArrayLike,
        *,
        kernel: KernelName = "matern52",
        lengthscale: float | str,
        domain: tuple[float, float] | None = None,
        data: npt.ArrayLike | None = None,
        bounds: tuple[float, float] | None = None,
    ) -> None:
        code = kernel_code(kernel)
        x, (a, b), order, xs = bq_nodes(nodes, domain)
        fit = None
        if isinstance(lengthscale, str):
            if lengthscale != "mle":
                raise ValueError(
                    f"lengthscale must be a positive number or 'mle', got {lengthscale!r}"
                )
            if data is None:
                raise ValueError("lengthscale='mle' needs sample values: pass data=Y (..., N)")
            if x.size < 3:
                raise ValueError("lengthscale='mle' needs at least 3 nodes")
            Y = np.asarray(data)
            if Y.dtype.kind == "c":
                raise TypeError(
                    "data must be real for lengthscale='mle' (fit the real and imaginary parts "
                    "separately, or stack them as rows)"
                )
            if Y.dtype.kind not in "biuf":
                raise TypeError(f"data must be a real numeric array, got dtype {Y.dtype}")
            Y = Y.astype(np.float64, copy=False)
            if Y.ndim == 0 or Y.shape[-1] != x.size:
                raise ValueError(
                    f"data must have the {x.size} node values on its last axis, got shape "
                    f"{np.shape(data)}"
                )
            Ys = np.ascontiguousarray(Y.reshape(-1, x.size)[:, order])
            if Ys.shape[0] == 0:
                raise ValueError("data must hold at least one integrand")
            if not np.all(np.isfinite(Ys)):
                raise ValueError("data must be finite for lengthscale='mle'")
            if bounds is None:
                bounds = (0.1 * (b - a) / (x.size - 1), 100.0 * (b - a))
            lo, hi = real_pair(bounds, "bounds")
            lo = _lengthscale(lo, "bounds[0]")
            hi = _lengthscale(hi, "bounds[1]")
            fit = _fit_lengthscale(xs, code, a, b, Ys, (lo, hi))
            ell = fit.lengthscale
            if fit.at_bound:  # the result says so too (fit.at_bound), but is easy to miss
                side = "lower" if abs(np.log(ell / lo)) < abs(np.log(ell / hi)) else "upper"
                warnings.warn(
                    f"lengthscale='mle': the marginal likelihood is largest at the {side} search "
                    f"bound (lengthscale {ell:.3g}, bounds ({lo:.3g}, {hi:.3g})): the data do not "
                    "identify the lengthscale; widen bounds= or give a lengthscale",
                    BQLengthscaleWarning,
                    stacklevel=2,
                )
        else:
            if bounds is not None:
                raise ValueError("bounds applies to lengthscale='mle' only")
            ell = _lengthscale(lengthscale)
        w, std, model_std = _weights(order, xs, code, ell, a, b)
        set_ = object.__setattr__
        set_(self, "nodes", _frozen(x))
        set_(self, "kernel", kernel)
        set_(self, "lengthscale", ell)
        set_(self, "domain", (a, b))
        set_(self, "weights", _frozen(w))
        set_(self, "std", std)
        set_(self, "fit", fit)
        set_(self, "_order", order)
        set_(self, "_code", code)
        set_(self, "_model_std", model_std)

    def __repr__(self) -> str:
        how = " (mle)" if self.fit is not None else ""
        return (
            f"BayesianQuadrature(kernel={self.kernel!r}, lengthscale={self.lengthscale:.6g}{how}, "
            f"domain={self.domain}, n={self.nodes.size}, std={self.std:.3e})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.nodes, self.kernel, self.lengthscale, self.domain, self.fit))

    def integrate(self, Y: npt.ArrayLike, axis: int = -1, *, with_std: bool = True) -> BQIntegral:
        """Integrals of a batch of integrands sampled at the nodes, with posterior std.

        Parameters
        ----------
        Y : array_like
            Values at the nodes along ``axis`` (``Y.shape[axis] == N``), any other shape.
        axis : int, optional
            Axis holding the node values. Default -1.
        with_std : bool, optional
            Also compute the std (default True); False skips the matrix product with the
            whitening matrix.

        Returns
        -------
        BQIntegral
            ``integral`` (shape of ``Y`` without ``axis``) and ``std``: the posterior std with
            the kernel amplitude set for each integrand to its maximum-likelihood value
            ``sigma^2 = y^T K^-1 y / N``, i.e. ``std = self.std * sigma``. NaN in a row gives
            NaN for that row; the std is finite for any finite row (no overflow of y^T K^-1 y).

        Notes
        -----
        The std of a batch is one matrix product: ``|W y|`` for each row with the triangular
        whitening matrix W of the nodes (computed once per object), applied to the differences
        ``y_{k+1} - y_k`` where the weights use the difference-basis sweep.
        """
        Ya = np.asarray(Y)
        if Ya.dtype.kind not in "biufc":
            raise TypeError(f"Y must be numeric, got dtype {Ya.dtype}")
        if Ya.ndim == 0:
            raise ValueError("Y must have at least one dimension")
        ax = normalize_axis(axis, Ya.ndim)
        n = self.nodes.size
        if Ya.shape[ax] != n:
            raise ValueError(f"Y has {Ya.shape[ax]} values along axis {axis}, expected N={n}")
        Ym = np.moveaxis(Ya, ax, -1)
        integral = Ym @ self.weights
        if not with_std:
            return BQIntegral(integral, None)
        if Ya.dtype.kind == "c":
            raise TypeError("with_std=True needs real Y (use with_std=False for complex data)")
        Yf = Ym if Ym.dtype == np.float64 else Ym.astype(np.float64)
        norm, scale = self._whitened_norm(Yf)
        with np.errstate(over="ignore", invalid="ignore"):
            std = (self._model_std * norm / math.sqrt(n)) * scale
        return BQIntegral(integral, std[()] if std.ndim == 0 else std)

    def _whitened_norm(self, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(r, s) with |W y| = r s for the rows of Y (last axis, node order): one matrix product
        of the rows scaled by s, a power of two near their max |y| (exact), so that |W y|^2
        neither overflows (|y| ~ 1e150 and up) nor underflows (the std of y ~ 1e-170 was 0)."""
        Wt, diff = self._whitener()
        shape = Y.shape[:-1]
        Z = Y.reshape(-1, Y.shape[-1])
        if diff:  # (y_0, y_1 - y_0, ...) at the sorted nodes, in one pass
            S = Z[:, self._order]
            Z = np.empty_like(S)
            Z[:, 0] = S[:, 0]
            np.subtract(S[:, 1:], S[:, :-1], out=Z[:, 1:])
        Zs, e = _pow2_rows(Z)
        with np.errstate(over="ignore", invalid="ignore"):
            U = Zs @ Wt
            out = np.sqrt(np.einsum("ij,ij->i", U, U))
        return out.reshape(shape), np.ldexp(1.0, e).reshape(shape)

    def _whitener(self) -> tuple[np.ndarray, bool]:
        """(W^T, difference_basis) with y^T K^-1 y = |W y|^2 (or |W D y|^2), computed once.

        Product form: the C++ core returns the whitened state-space residual map (N (p + 1) x N),
        compressed here by a QR factorization to a triangular N x N with the same norms, in node
        order. Difference-basis sweep: the core's lower-triangular N x N acting on the
        differences of y at the sorted nodes.
        """
        cached = self.__dict__.get("_W")
        if cached is None:
            xs = np.ascontiguousarray(self.nodes[self._order])
            a, b = self.domain
            _check_scale(self._code, self.lengthscale, a, b)
            res = _core.whitener(xs, self._code, self.lengthscale, a, b)
            if res.difference_basis:
                W = np.ascontiguousarray(res.matrix.T)
            else:
                Rs = np.linalg.qr(res.matrix, mode="r")
                R = np.empty_like(Rs)
                R[:, self._order] = Rs
                W = np.ascontiguousarray(R.T)
            W.flags.writeable = False
            cached = (W, bool(res.difference_basis))
            object.__setattr__(self, "_W", cached)
        return cached

    def log_likelihood(self, Y: npt.ArrayLike) -> float:
        """Profiled log marginal likelihood of the rows of ``Y`` (shape ``(..., N)``, real)."""
        Ya = np.asarray(Y)
        if Ya.dtype.kind not in "biuf":
            raise TypeError(f"Y must be a real numeric array, got dtype {Ya.dtype}")
        Ya = Ya.astype(np.float64, copy=False)
        n = self.nodes.size
        if Ya.ndim == 0 or Ya.shape[-1] != n:
            raise ValueError(f"Y must have the {n} node values on its last axis")
        Ys = np.ascontiguousarray(Ya.reshape(-1, n)[:, self._order])
        xs = np.ascontiguousarray(self.nodes[self._order])
        a, b = self.domain
        return _log_likelihood(xs, self._code, self.lengthscale, a, b, Ys)

    def plot(self, y: npt.ArrayLike, ax: Any = None, *, n: int = 400) -> Any:
        """Plot the posterior of the integrand given its node values ``y`` (matplotlib).

        The posterior mean and a +-2 std band of f on a grid over the domain (amplitude from
        ``y`` as in :meth:`integrate`), the nodes, and the integral with its std in the title.
        The curve is computed densely (Gram matrix, eigenvalue cut-off at 1e-14): for display
        only, not for numbers. Returns the Axes.
        """
        import matplotlib.pyplot as plt

        yv = np.asarray(y)
        if yv.dtype.kind not in "biuf" or yv.shape != self.nodes.shape:
            raise ValueError(f"y must be {self.nodes.size} real node values, got {yv.shape}")
        yv = yv.astype(np.float64)
        if ax is None:
            _, ax = plt.subplots()
        a, b = self.domain
        t = np.linspace(a, b, n)
        mean, band = _posterior_curve(self, yv, t)
        integral, std = self.integrate(yv)
        ax.fill_between(t, mean - 2 * band, mean + 2 * band, alpha=0.3, label="mean +- 2 std")
        ax.plot(t, mean, lw=1, label="posterior mean")
        ax.plot(self.nodes, yv, "k.", ms=4, label="nodes")
        ax.set_xlabel("t")
        ax.set_ylabel("f(t)")
        ax.set_title(
            f"BQ {self.kernel}, lengthscale {self.lengthscale:.3g}: "
            f"integral {float(integral):.10g} +- {float(std):.2g}",
            fontsize=9,
        )
        ax.legend(fontsize=7)
        return ax


def _posterior_curve(
    bq: BayesianQuadrature, y: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and std of f(t) given y, dense and regularized (plots only)."""
    from ._kernels import kernel_matrix

    a = bq.domain[0]
    both = np.concatenate([bq.nodes, t])
    K_all = kernel_matrix(both, kernel=bq.kernel, lengthscale=bq.lengthscale, domain=bq.domain)
    n = bq.nodes.size
    K, Kt = K_all[:n, :n], K_all[n:, :n]
    evals, evecs = np.linalg.eigh(K)
    keep = evals > 1e-14 * evals.max()
    inv = (evecs[:, keep] / evals[keep]) @ evecs[:, keep].T
    mean = Kt @ (inv @ y)
    prior = np.diag(K_all)[n:] if bq.kernel == "wiener" else np.ones(t.size)
    var = np.maximum(prior - np.einsum("ij,jk,ik->i", Kt, inv, Kt), 0.0)
    r, s = bq._whitened_norm(y)
    sigma2 = (bq._model_std * float(r) * float(s) / max(bq.std, 1e-300)) ** 2 / n
    del a
    return mean, np.sqrt(var * sigma2)


def _rebuild(
    nodes: np.ndarray,
    kernel: KernelName,
    lengthscale: float,
    domain: tuple[float, float],
    fit: LengthscaleFit | None,
) -> BayesianQuadrature:
    bq = BayesianQuadrature(nodes, kernel=kernel, lengthscale=lengthscale, domain=domain)
    object.__setattr__(bq, "fit", fit)
    return bq
