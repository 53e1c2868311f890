"""AdaptiveSpline: the object autoknots returns, and the derivative/antiderivative views on it."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._core.splines import SplineCore as _SplineCore

X_SCALES = ("linear", "log", "asinh")
Y_SCALES = ("linear", "log")
MAX_NU = 3  # derivatives beyond third order of a transformed cubic are not computed
MAX_ANTIDERIVATIVE = 32  # repeated integrals: a moment table of order x knots per order


def _points(x: ArrayLike) -> tuple[NDArray[np.float64], np.dtype]:
    """Validate evaluation points: real numbers, any shape; remember float32 to return float32."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"x must be real numbers, got an array of dtype {arr.dtype}")
    out_dtype = np.dtype(np.float32) if arr.dtype == np.float32 else np.dtype(np.float64)
    return np.asarray(arr, dtype=np.float64, order="C"), out_dtype


def _finish(values: NDArray[np.float64], dtype: np.dtype, scalar: bool) -> Any:
    values = values.astype(dtype, copy=False)
    return values[()] if scalar else values


def _order(nu: object, name: str = "nu") -> int:
    if isinstance(nu, bool) or not isinstance(nu, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(nu).__name__}")
    return int(nu)


class AdaptiveSpline:
    """A cubic spline whose knots were chosen to reach a stated precision (see `autoknots`).

    The spline is a not-a-knot cubic in ``u = X(x)`` fitting ``v = Y(y)``, where X is the
    identity, ``ln`` or ``asinh`` (``x_scale``) and Y the identity or ``ln`` (``y_scale``). Every
    method works in the user's coordinates: ``s(x)`` returns y, ``s(x, nu)`` returns d^nu y / dx^nu
    (chain rule through X and Y), `integrate` integrates y dx.

    Attributes
    ----------
    knots : ndarray
        The x at which f was evaluated, increasing (every evaluation of f is a knot).
    values : ndarray
        f at the knots.
    nfev : int
        Number of evaluations of f.
    n_passes : int
        Number of calls of f (one per refinement pass with ``vectorized=True``).
    converged : bool
        True if every interval passed the tests; False only for the partial spline attached to an
        `AutoKnotsError`.
    max_error_estimate : float
        Largest error seen in the last midpoint test of every interval, as a relative error
        with ``|f|`` floored at ``atol / rtol`` (absolute when ``rtol == 0``). It measures the
        spline *before* the last knots were inserted: an upper estimate for the returned one.
    x_scale, y_scale : str
        The fitting coordinates.
    """

    def __init__(
        self,
        core: _SplineCore,
        *,
        nfev: int,
        n_passes: int,
        converged: bool,
        max_error_estimate: float,
        rtol: float,
        atol: float,
        x_scale: str | None = None,
        y_scale: str | None = None,
    ) -> None:
        self._core = core
        self.nfev = int(nfev)
        self.n_passes = int(n_passes)
        self.converged = bool(converged)
        self.max_error_estimate = float(max_error_estimate)
        self.rtol = float(rtol)
        self.atol = float(atol)
        # autoknots passes the scales it already knows (asking the core costs two calls into C++)
        self.x_scale = X_SCALES[core.x_scale] if x_scale is None else x_scale
        self.y_scale = Y_SCALES[core.y_scale] if y_scale is None else y_scale

    # -- data ---------------------------------------------------------------------------------
    @property
    def knots(self) -> NDArray[np.float64]:
        """The x at which f was evaluated (increasing)."""
        return self._core.x

    @property
    def values(self) -> NDArray[np.float64]:
        """f at the knots."""
        return self._core.y

    @property
    def x(self) -> NDArray[np.float64]:
        """Alias of `knots` (scipy.interpolate naming)."""
        return self.knots

    @property
    def domain(self) -> tuple[float, float]:
        """(a, b): the interval the spline was built on."""
        k = self.knots
        return float(k[0]), float(k[-1])

    def __repr__(self) -> str:
        a, b = self.domain
        return (
            f"AdaptiveSpline(domain=[{a:g}, {b:g}], knots={len(self.knots)}, nfev={self.nfev}, "
            f"n_passes={self.n_passes}, converged={self.converged}, "
            f"max_error_estimate={self.max_error_estimate:.3g}, x_scale={self.x_scale!r}, "
            f"y_scale={self.y_scale!r})"
        )

    # -- evaluation ---------------------------------------------------------------------------
    def __call__(self, x: ArrayLike, nu: int = 0, extrapolate: bool = False) -> Any:
        """Evaluate y (or its nu-th derivative with respect to x) at x.

        Parameters
        ----------
        x : array_like
            Points, any shape. float32 in gives float32 out; everything else float64.
        nu : int, optional
            Derivative order, 0 to 3 (any order for linear scales, where orders above 3 are 0).
            For transformed scales the derivative is taken with respect to x by the chain rule,
            e.g. with log-log scales ``dy/dx = (y/x) ds/du``.
        extrapolate : bool, optional
            Outside ``domain`` return NaN (default: the precision was only established inside) or,
            if True, continue the end cubics (NaN for x <= 0 with ``x_scale="log"``).

        Returns
        -------
        ndarray or float
            Same shape as x. NaN in gives NaN out.
        """
        nu = _order(nu)
        if nu < 0:
            raise ValueError(f"nu must be >= 0 (use antiderivative for integrals), got {nu}")
        linear = self.x_scale == "linear" and self.y_scale == "linear"
        if nu > MAX_NU and not linear:
            raise ValueError(
                f"nu must be <= {MAX_NU} with x_scale={self.x_scale!r}, "
                f"y_scale={self.y_scale!r}, got {nu}"
            )
        pts, dtype = _points(x)
        out = self._core.evaluate(pts, nu, bool(extrapolate)).reshape(pts.shape)
        return _finish(out, dtype, np.ndim(x) == 0)

    def derivative(self, nu: int = 1) -> SplineDerivative:
        """The nu-th derivative d^nu y / dx^nu as a callable (chain rule for transformed scales)."""
        nu = _order(nu)
        if nu < 1:
            raise ValueError(f"nu must be >= 1, got {nu}")
        return SplineDerivative(self, nu)

    def antiderivative(self, nu: int = 1) -> SplineAntiderivative:
        """The nu-fold integral of y dx from ``domain[0]``, as a callable.

        ``nu=1`` gives ``F(x) = integral of y dx from domain[0] to x``; higher orders are the
        repeated integrals, computed by Cauchy's formula
        ``F_nu(x) = integral of (x - t)^(nu - 1) / (nu - 1)! y(t) dt from domain[0] to x``, so that
        ``F_nu(domain[0]) = 0`` together with its first nu - 1 derivatives (scipy's convention
        for ``PPoly.antiderivative``). For linear scales the pieces are integrated exactly; for
        transformed scales by the same adaptive Gauss-Legendre rule as `integrate` (to a few ulp
        of the spline's integral).

        Parameters
        ----------
        nu : int, optional
            Order, 1 to 32.
        """
        nu = _order(nu)
        if not 1 <= nu <= MAX_ANTIDERIVATIVE:
            raise ValueError(f"nu must be in 1..{MAX_ANTIDERIVATIVE}, got {nu}")
        return SplineAntiderivative(self, nu)

    def integrate(self, a: float, b: float, extrapolate: bool = False) -> float:
        """Integral of y dx from a to b, in the user's coordinates.

        For transformed scales the integrand y(x) is not a polynomial; each piece is integrated in
        u by Gauss-Legendre with bisection until the rule agrees to a few ulp, so the result is the
        integral of the spline to rounding (its error is the interpolation error, not quadrature's).

        Parameters
        ----------
        a, b : float
            Limits (b < a gives the negative). Outside ``domain`` NaN unless ``extrapolate``.
        extrapolate : bool, optional
            Integrate the continued end cubics outside the domain.
        """
        a_f, b_f = float(a), float(b)
        return float(self._core.integrate(a_f, b_f, bool(extrapolate)))

    def roots(self) -> NDArray[np.float64]:
        """Zeros of y inside the domain (none with ``y_scale="log"``, where y > 0)."""
        if self.y_scale == "log":
            return np.empty(0)
        u_roots = self._ppoly_u().roots(discontinuity=False, extrapolate=False)
        return np.unique(self._from_u(u_roots))

    # -- conversions --------------------------------------------------------------------------
    def _ppoly_u(self) -> Any:
        from scipy.interpolate import PPoly

        c = self._core.coefficients.T[::-1].copy()
        return PPoly(c, self._core.u, extrapolate=False)

    def _from_u(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.x_scale == "log":
            return np.exp(u)
        if self.x_scale == "asinh":
            return np.sinh(u)
        return np.asarray(u, dtype=np.float64)

    def to_scipy(self, *, transformed: bool = False) -> Any:
        """The same spline as a `scipy.interpolate.PPoly` (``extrapolate=False``).

        Exact for linear scales. With a log or asinh scale y(x) is not piecewise polynomial: pass
        ``transformed=True`` to get the PPoly of v = Y(y) in u = X(x) instead.
        """
        if not transformed and (self.x_scale != "linear" or self.y_scale != "linear"):
            raise ValueError(
                f"with x_scale={self.x_scale!r}, y_scale={self.y_scale!r} the spline is not a "
                "piecewise polynomial in x; use to_scipy(transformed=True) for the PPoly in "
                "(X(x), Y(y)) coordinates"
            )
        return self._ppoly_u()

    def plot(self, ax: Any = None, *, n: int = 2000) -> Any:
        """Plot the spline and its knots (matplotlib); returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        a, b = self.domain
        if self.x_scale == "log":
            t = np.geomspace(a, b, n)
        else:
            t = np.linspace(a, b, n)
        ax.plot(t, self(t), lw=1, label="spline")
        ax.plot(self.knots, self.values, ".", ms=3, label=f"{len(self.knots)} knots")
        if self.x_scale == "log":
            ax.set_xscale("log")
        if self.y_scale == "log":
            ax.set_yscale("log")
        ax.legend()
        return ax

    # -- pickling: the knots and values determine the spline (the solve is deterministic) -----
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (
            _rebuild,
            (
                self.knots,
                self.values,
                self.x_scale,
                self.y_scale,
                self.nfev,
                self.n_passes,
                self.converged,
                self.max_error_estimate,
                self.rtol,
                self.atol,
                self._core.u,
            ),
        )


def _rebuild(
    knots: NDArray[np.float64],
    values: NDArray[np.float64],
    x_scale: str,
    y_scale: str,
    nfev: int,
    n_passes: int,
    converged: bool,
    max_error_estimate: float,
    rtol: float,
    atol: float,
    u: NDArray[np.float64] | None = None,
) -> AdaptiveSpline:
    # u: the builder's knots in the fitting coordinate (the exact midpoints it tested; X(knots)
    # can differ in the last bit), so that the reloaded spline is the same to the bit.
    core = _SplineCore(knots, values, X_SCALES.index(x_scale), Y_SCALES.index(y_scale), u)
    return AdaptiveSpline(
        core,
        nfev=nfev,
        n_passes=n_passes,
        converged=converged,
        max_error_estimate=max_error_estimate,
        rtol=rtol,
        atol=atol,
    )


class SplineDerivative:
    """d^order y / dx^order of an `AdaptiveSpline`, as a callable (pickles with its spline)."""

    def __init__(self, spline: AdaptiveSpline, order: int) -> None:
        self.spline = spline
        self.order = order

    def __call__(self, x: ArrayLike, nu: int = 0, extrapolate: bool = False) -> Any:
        """Evaluate the derivative (or ``nu`` more) at x; see `AdaptiveSpline.__call__`."""
        return self.spline(x, nu=self.order + _order(nu), extrapolate=extrapolate)

    def derivative(self, nu: int = 1) -> SplineDerivative:
        """A higher derivative of the same spline."""
        return SplineDerivative(self.spline, self.order + _order(nu))

    def __repr__(self) -> str:
        return f"SplineDerivative(order={self.order}, spline={self.spline!r})"


class SplineAntiderivative:
    """x -> the ``order``-fold integral of y dx from ``domain[0]`` (pickles with its spline)."""

    def __init__(self, spline: AdaptiveSpline, order: int = 1) -> None:
        self.spline = spline
        self.order = order

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("order", 1)  # pickled before orders > 1 existed

    def __call__(self, x: ArrayLike, nu: int = 0, extrapolate: bool = False) -> Any:
        """Evaluate the antiderivative, or its nu-th derivative (``nu = order`` gives y)."""
        nu = _order(nu)
        if nu < 0:
            raise ValueError(f"nu must be >= 0, got {nu}")
        if nu >= self.order:
            return self.spline(x, nu=nu - self.order, extrapolate=extrapolate)
        pts, dtype = _points(x)
        core = self.spline._core
        out = core.antiderivative(pts, bool(extrapolate), self.order - nu).reshape(pts.shape)
        return _finish(out, dtype, np.ndim(x) == 0)

    def derivative(self, nu: int = 1) -> AdaptiveSpline | SplineDerivative | SplineAntiderivative:
        """The nu-th derivative: a lower antiderivative, the spline itself, or its derivative."""
        nu = _order(nu)
        if nu < 1:
            raise ValueError(f"nu must be >= 1, got {nu}")
        if nu < self.order:
            return SplineAntiderivative(self.spline, self.order - nu)
        return self.spline if nu == self.order else self.spline.derivative(nu - self.order)

    def antiderivative(self, nu: int = 1) -> SplineAntiderivative:
        """A higher antiderivative of the same spline."""
        return self.spline.antiderivative(self.order + _order(nu))

    def __repr__(self) -> str:
        return f"SplineAntiderivative(order={self.order}, spline={self.spline!r})"
