"""Bayesian quadrature on an interval: weights, posterior std, marginal-likelihood lengthscale.

The compiled core (cpp/src/quadrature/bq.cpp) never forms the Gram matrix: it uses the Gauss-Markov
(state-space) form of the Matern-(p + 1/2) kernels, so the weights and the posterior variance keep
their accuracy down to rounding, without jitter, for any ratio of lengthscale to node spacing.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from numkit._core import quadrature as _core

from .._lib.validation import normalize_axis, positive_scalar
from ._validation import bq_nodes, kernel_code


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


# Mirror of the algorithm choice in cpp/include/numkit/quadrature/bq.hpp (kSweep*, kExtended*):
# the difference-basis QR sweep (O(N^2 p)) for N <= 64, and up to 4000 nodes when the largest gap
# exceeds twice the smallest, carried in long double when it exceeds 8 times the smallest;
# otherwise the O(N p^2) product form.
_SWEEP_ALWAYS_N, _SWEEP_MAX_N, _SWEEP_RATIO, _EXTENDED_RATIO = 64, 4000, 2.0, 8.0
# Largest measured error / (eps ratio^p) of the weights per Matern order p (close pairs in a grid,
# random nodes; ratio = max gap / min gap up to 1.25e5): double sweep, long-double sweep.
_SWEEP_ERROR_FACTOR = {1: 1.0, 2: 0.3, 3: 0.1}
_EXTENDED_ERROR_FACTOR = {1: 1.0, 2: 1e-3, 3: 4e-5}
# x87 extended precision (64-bit significand); where long double is plain double (MSVC), the
# long-double sweep rounds like the double one.
_HAS_EXTENDED = np.finfo(np.longdouble).nmant >= 63


def _weight_error_estimate(n: int, ratio: float, p: int) -> float:
    """Measured bound on the weights' rounding error relative to max |w| (not the std's).

    Long-double sweep, Matern-7/2 with a close pair in a 9-node grid: ratio 125 -> 1e-14,
    1250 -> 5e-13, 4170 -> 4e-10, 1.25e4 -> 2e-8; Matern-5/2: 1.25e4 -> 3e-12; Matern-3/2:
    1.25e4 -> 7e-13. The product form (near-uniform nodes only): eps ratio^(2p + 1) / 1e3.
    """
    eps = float(np.finfo(float).eps)
    if n > _SWEEP_MAX_N or (n > _SWEEP_ALWAYS_N and ratio <= _SWEEP_RATIO):
        return eps * ratio ** (2 * p + 1) * 1e-3
    extended = ratio > _EXTENDED_RATIO and _HAS_EXTENDED
    factor = (_EXTENDED_ERROR_FACTOR if extended else _SWEEP_ERROR_FACTOR).get(p, 0.0)
    return factor * eps * ratio**p


def _warn_uneven(xs: np.ndarray, code: int) -> None:
    """Warn where the weights (not the std) may lose more than ~1e-11: very unequal spacings.

    Uniformly small spacings are not affected (weights within 1e-14 at lengthscale / spacing =
    2e4), and the posterior std stays accurate (<= 1e-14) whatever the spacings.
    """
    p = code
    if p < 1 or xs.size < 3:
        return
    gaps = np.diff(xs)
    ratio = float(gaps.max() / gaps.min())
    estimate = _weight_error_estimate(xs.size, ratio, p)
    if estimate > 1e-11:
        warnings.warn(
            f"node spacings differ by a factor {ratio:.3g}: Bayesian-quadrature weights may carry "
            f"relative errors up to ~{min(estimate, 1.0):.0e} (the posterior std is not affected). "
            "Avoid nearly coincident nodes, or use a rougher kernel (matern32).",
            RuntimeWarning,
            stacklevel=3,
        )


def _weights(order: np.ndarray, xs: np.ndarray, code: int, ell: float, a: float, b: float):
    """Weights in the original node order and the posterior variance (>= 0)."""
    _warn_uneven(xs, code)
    w_sorted, var = _core.weights(xs, code, ell, a, b)
    w = np.empty_like(w_sorted)
    w[order] = w_sorted
    return w, max(float(var), 0.0)


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

    weights: np.ndarray
    std: float
    kernel: str
    lengthscale: float
    domain: tuple[float, float]

    def __iter__(self):
        return iter((self.weights, self.std))

    def __repr__(self) -> str:
        return (
            f"BQWeights(kernel={self.kernel!r}, lengthscale={self.lengthscale:.6g}, "
            f"domain={self.domain}, n={self.weights.size}, sum={self.weights.sum():.12g}, "
            f"std={self.std:.3e})"
        )


def bq_weights(
    nodes: Any, *, kernel: str = "matern52", lengthscale: float, domain: Any = None
) -> BQWeights:
    """Bayesian-quadrature weights for ``int_a^b f(t) dt`` from the values of f at ``nodes``.

    Parameters
    ----------
    nodes : array_like, shape (N,)
        Distinct points inside ``domain``, in any order.
    kernel : str, optional
        ``"matern12"``, ``"matern32"``, ``"matern52"`` (default), ``"matern72"``, or ``"wiener"``
        (Brownian motion pinned to 0 at ``a - lengthscale``; with nodes at both ends of the domain
        its weights are exactly the trapezoid weights).
    lengthscale : float
        Kernel lengthscale, > 0 (for ``"wiener"``: the offset of the pinning point).
    domain : (float, float), optional
        Integration interval (Lebesgue measure). Default ``(min(nodes), max(nodes))``.

    Returns
    -------
    BQWeights
        ``weights`` and posterior ``std`` (unit-amplitude kernel).

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
    ell = positive_scalar(lengthscale, "lengthscale")
    _, (a, b), order, xs = bq_nodes(nodes, domain)
    w, var = _weights(order, xs, code, ell, a, b)
    w.flags.writeable = False
    return BQWeights(w, float(np.sqrt(var)), kernel, ell, (a, b))


class BQIntegral(NamedTuple):
    """Result of :meth:`BayesianQuadrature.integrate`: ``integral, std = bq.integrate(Y)``."""

    integral: Any
    std: Any


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


def _log_likelihood(xs: np.ndarray, code: int, ell: float, a: float, Ys: np.ndarray) -> float:
    """Profiled log marginal likelihood of the rows of Ys (columns sorted like xs)."""
    m, n = Ys.shape
    quad, logdet = _core.quadforms(xs, code, ell, a, Ys)
    quad = np.maximum(quad, np.finfo(float).tiny)
    return float(-0.5 * n * np.sum(np.log(quad / n)) - 0.5 * m * logdet - 0.5 * m * n)


def _fit_lengthscale(xs, code, a, b, Ys, bounds) -> LengthscaleFit:
    from scipy.optimize import minimize_scalar

    lo, hi = np.log(bounds[0]), np.log(bounds[1])
    grid = np.linspace(lo, hi, 25)
    vals = [-_log_likelihood(xs, code, float(np.exp(g)), a, Ys) for g in grid]
    k = int(np.argmin(vals))
    left, right = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    res = minimize_scalar(
        lambda g: -_log_likelihood(xs, code, float(np.exp(g)), a, Ys),
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


@dataclass(frozen=True, repr=False, eq=False)
class BayesianQuadrature:
    """A Bayesian-quadrature rule on fixed nodes: weights computed once, applied to any batch.

    Parameters
    ----------
    nodes : array_like, shape (N,)
        Distinct points inside ``domain``.
    kernel : str, optional
        As in :func:`bq_weights`. Default ``"matern52"``.
    lengthscale : float or "mle"
        A positive lengthscale, or ``"mle"`` to maximize the marginal likelihood of ``data``
        (amplitude profiled out for each integrand, lengthscale shared).
    domain : (float, float), optional
        Integration interval. Default ``(min(nodes), max(nodes))``.
    data : array_like, shape (..., N), optional
        Sample values at the nodes (last axis), required for ``lengthscale="mle"``.
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
    """

    nodes: np.ndarray
    kernel: str
    lengthscale: float
    domain: tuple[float, float]
    weights: np.ndarray
    std: float
    fit: LengthscaleFit | None = None
    _order: np.ndarray = field(default=None, repr=False)
    _code: int = field(default=0, repr=False)

    def __init__(
        self,
        nodes: Any,
        *,
        kernel: str = "matern52",
        lengthscale: float | str,
        domain: Any = None,
        data: Any = None,
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
            Y = np.asarray(data, dtype=np.float64)
            if Y.ndim == 0 or Y.shape[-1] != x.size:
                raise ValueError(
                    f"data must have the {x.size} node values on its last axis, got shape "
                    f"{np.shape(data)}"
                )
            Ys = np.ascontiguousarray(Y.reshape(-1, x.size)[:, order])
            if not np.all(np.isfinite(Ys)):
                raise ValueError("data must be finite for lengthscale='mle'")
            if bounds is None:
                bounds = (0.1 * (b - a) / (x.size - 1), 100.0 * (b - a))
            lo = positive_scalar(bounds[0], "bounds[0]")
            hi = positive_scalar(bounds[1], "bounds[1]")
            if not lo < hi:
                raise ValueError(f"bounds must satisfy lo < hi, got {bounds}")
            fit = _fit_lengthscale(xs, code, a, b, Ys, (lo, hi))
            ell = fit.lengthscale
        else:
            ell = positive_scalar(lengthscale, "lengthscale")
        w, var = _weights(order, xs, code, ell, a, b)
        set_ = object.__setattr__
        set_(self, "nodes", _frozen(x))
        set_(self, "kernel", kernel)
        set_(self, "lengthscale", ell)
        set_(self, "domain", (a, b))
        set_(self, "weights", _frozen(w))
        set_(self, "std", float(np.sqrt(var)))
        set_(self, "fit", fit)
        set_(self, "_order", order)
        set_(self, "_code", code)

    def __repr__(self) -> str:
        how = " (mle)" if self.fit is not None else ""
        return (
            f"BayesianQuadrature(kernel={self.kernel!r}, lengthscale={self.lengthscale:.6g}{how}, "
            f"domain={self.domain}, n={self.nodes.size}, std={self.std:.3e})"
        )

    def __reduce__(self):
        return (_rebuild, (self.nodes, self.kernel, self.lengthscale, self.domain, self.fit))

    def integrate(self, Y: Any, axis: int = -1, *, with_std: bool = True) -> BQIntegral:
        """Integrals of a batch of integrands sampled at the nodes, with posterior std.

        Parameters
        ----------
        Y : array_like
            Values at the nodes along ``axis`` (``Y.shape[axis] == N``), any other shape.
        axis : int, optional
            Axis holding the node values. Default -1.
        with_std : bool, optional
            Also compute the std (default True); False skips the O(N p^2) pass per integrand.

        Returns
        -------
        BQIntegral
            ``integral`` (shape of ``Y`` without ``axis``) and ``std``: the posterior std with
            the kernel amplitude set for each integrand to its maximum-likelihood value
            ``sigma^2 = y^T K^-1 y / N``, i.e. ``std = self.std * sigma``.
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
        R = self._whitener()
        U = Ym @ R.T if Ya.dtype == np.float64 else Ym.astype(np.float64) @ R.T
        quad = np.einsum("...i,...i->...", U, U)
        std = self.std * np.sqrt(np.maximum(quad, 0.0) / n)
        return BQIntegral(integral, std[()] if std.ndim == 0 else std)

    def _whitener(self) -> np.ndarray:
        """R (N x N, node order) with y^T K^-1 y = |R y|^2, computed once.

        The C++ core returns the whitened state-space residual map W (N (p + 1) x N); a QR
        factorization compresses it to a triangular R with the same norms, so the std of a batch
        is one more matrix product.
        """
        R = self.__dict__.get("_R")
        if R is None:
            xs = np.ascontiguousarray(self.nodes[self._order])
            W = _core.whitener(xs, self._code, self.lengthscale, self.domain[0])
            Rs = np.linalg.qr(W, mode="r")
            R = np.empty_like(Rs)
            R[:, self._order] = Rs
            R.flags.writeable = False
            object.__setattr__(self, "_R", R)
        return R

    def log_likelihood(self, Y: Any) -> float:
        """Profiled log marginal likelihood of the rows of ``Y`` (shape ``(..., N)``)."""
        Ya = np.asarray(Y, dtype=np.float64)
        n = self.nodes.size
        if Ya.ndim == 0 or Ya.shape[-1] != n:
            raise ValueError(f"Y must have the {n} node values on its last axis")
        Ys = np.ascontiguousarray(Ya.reshape(-1, n)[:, self._order])
        xs = np.ascontiguousarray(self.nodes[self._order])
        return _log_likelihood(xs, self._code, self.lengthscale, self.domain[0], Ys)


def _rebuild(nodes, kernel, lengthscale, domain, fit):
    bq = BayesianQuadrature(nodes, kernel=kernel, lengthscale=lengthscale, domain=domain)
    object.__setattr__(bq, "fit", fit)
    return bq
