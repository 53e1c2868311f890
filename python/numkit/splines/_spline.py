"""AdaptiveSpline: the object autoknots returns, and the derivative/antiderivative views on it."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._core.splines import SplineCore as _SplineCore
from .._core.splines import XScale, YScale
from ._sing import EndSingularity

XScaleName = Literal["linear", "log", "asinh"]
YScaleName = Literal["linear", "log"]
X_SCALES: tuple[XScaleName, ...] = ("linear", "log", "asinh")
Y_SCALES: tuple[YScaleName, ...] = ("linear", "log")
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


class SplineBuild(NamedTuple):
    """How a spline's construction went: `AdaptiveSpline`'s keyword fields, in its pickle order."""

    nfev: int
    n_passes: int
    converged: bool
    max_error_estimate: float
    rtol: float
    atol: float


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
        x_scale: XScaleName | None = None,
        y_scale: YScaleName | None = None,
        sing: EndSingularity | None = None,
    ) -> None:
        self._core = core
        self._sing = sing
        self.nfev = int(nfev)
        self.n_passes = int(n_passes)
        self.converged = bool(converged)
        self.max_error_estimate = float(max_error_estimate)
        self.rtol = float(rtol)
        self.atol = float(atol)
        # autoknots passes the scales it already knows (asking the core costs two calls into C++)
        self.x_scale: XScaleName = core.x_scale.name if x_scale is None else x_scale  # type: ignore[assignment]
        self.y_scale: YScaleName = core.y_scale.name if y_scale is None else y_scale  # type: ignore[assignment]

    def _build(self) -> SplineBuild:
        return SplineBuild(
            self.nfev, self.n_passes, self.converged, self.max_error_estimate, self.rtol, self.atol
        )

    # -- data ---------------------------------------------------------------------------------
    @property
    def knots(self) -> NDArray[np.float64]:
        """The x at which f was evaluated (increasing)."""
        sing = self._sing
        if sing is None:
            return self._core.x
        x = sing.from_xi(self._core.x)
        return np.concatenate([[sing.a], x]) if sing.side == "left" else np.append(x[::-1], sing.b)

    @property
    def values(self) -> NDArray[np.float64]:
        """f at the knots."""
        sing = self._sing
        if sing is None:
            return self._core.y
        y = self._core.y
        return (
            np.concatenate([[sing.f_end], y])
            if sing.side == "left"
            else np.append(y[::-1], sing.f_end)
        )

    @property
    def sing(self) -> str | None:
        """The end treated as singular (``"left"``, ``"right"``) or None; see `autoknots`."""
        return None if self._sing is None else self._sing.side

    @property
    def x(self) -> NDArray[np.float64]:
        """Alias of `knots` (scipy.interpolate naming)."""
        return self.knots

    @property
    def domain(self) -> tuple[float, float]:
        """(a, b): the interval the spline was built on."""
        if self._sing is not None:
            return self._sing.a, self._sing.b
        k = self.knots
        return float(k[0]), float(k[-1])

    def __repr__(self) -> str:
        a, b = self.domain
        return (
            f"AdaptiveSpline(domain=[{a:g}, {b:g}], knots={len(self.knots)}, nfev={self.nfev}, "
            f"n_passes={self.n_passes}, converged={self.converged}, "
            f"max_error_estimate={self.max_error_estimate:.3g}, x_scale={self.x_scale!r}, "
            f"y_scale={self.y_scale!r}"
            + ("" if self._sing is None else f", sing={self.sing!r}")
            + ")"
        )

    # -- evaluation ---------------------------------------------------------------------------
    @overload
    def __call__(self, x: float, nu: int = 0, extrapolate: bool = False) -> np.floating[Any]: ...
    @overload
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]: ...
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]:
        """Evaluate y (or its nu-th derivative with respect to x) at x.

        Parameters
        ----------
        x : array_like
            Points, any shape. float32 in gives float32 out; everything else float64.
        nu : int, optional
            Derivative order, 0 to 3 (any order for linear scales, where orders above 3 are 0).
            For transformed scales the derivative is taken with respect to x by the chain rule,
            e.g. with log-log scales ``dy/dx = (y/x) ds/du``. See `derivative` for the accuracy
            of derivatives.
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
        if self._sing is not None:
            return _finish(self._evaluate_sing(pts, nu, bool(extrapolate)), dtype, np.ndim(x) == 0)
        # Orders above 3 of a cubic are 0 (linear scales): any larger nu computes the same.
        out = self._core.evaluate(pts, min(nu, MAX_NU + 1), bool(extrapolate)).reshape(pts.shape)
        return _finish(out, dtype, np.ndim(x) == 0)

    def _evaluate_sing(self, pts: NDArray[np.float64], nu: int, extrapolate: bool) -> Any:
        sing = self._sing
        assert sing is not None
        xi = sing.to_xi(pts)
        out = self._core.evaluate(xi, nu, extrapolate)
        below = (xi > 0) & (xi < sing.xi_min)  # subnormal distances: the end cubic continued
        if np.any(below):
            out[below] = self._core.evaluate(np.ascontiguousarray(xi[below]), nu, True)
        out = out.reshape(pts.shape) * sing.sign**nu
        # at the singular end itself: f as it returned there; its derivatives are not defined
        return np.where(xi == 0, sing.f_end if nu == 0 else np.nan, out)

    def derivative(self, nu: int = 1) -> SplineDerivative:
        """The nu-th derivative d^nu y / dx^nu as a callable (chain rule for transformed scales).

        The result has the spline's methods (call, ``roots``, ``integrate``, ``derivative``,
        ``antiderivative``, ``plot``).

        Accuracy: the knots are placed for y, not for its derivatives. A cubic spline's k-th
        derivative converges one power of the knot spacing slower per order (error ~ h^(4-k)),
        so expect roughly ``rtol**((4 - k) / 4)`` relative to the derivative's scale in the
        interior (measured on ``x**2.5 * exp(-x / 3)`` at rtol 1e-12: 1e-9, 2e-6 and 2e-2 for
        k = 1, 2, 3), and more in the first and last intervals, where the not-a-knot end
        condition holds no derivative information (measured: 4.6% for the second derivative at
        the left end of a log-scaled table). The third derivative is piecewise constant in the
        fitting coordinate. For accurate derivatives tabulate them with their own `autoknots`.
        """
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
        sing = self._sing
        if sing is not None:
            # dx = sign dxi; the spline starts at xi_min: the sliver [0, xi_min) next to the
            # singular end is the end's power law (_end_sliver)
            ends = sing.to_xi(np.array([a_f, b_f]))
            xa, xb = (max(v, sing.xi_min) if 0 <= v < sing.xi_min else v for v in ends)
            core = float(self._core.integrate(xa, xb, bool(extrapolate)))
            return sing.sign * (core + float(self._end_piece(ends[0], ends[1])))
        return float(self._core.integrate(a_f, b_f, bool(extrapolate)))

    def _antiderivative(self, pts: NDArray[np.float64], order: int, extrapolate: bool) -> Any:
        """The order-fold integral from domain[0] at pts (flat array)."""
        sing = self._sing
        if sing is None:
            return self._core.antiderivative(pts, extrapolate, order)
        xi0 = sing.to_xi(pts)
        xi = np.where((xi0 >= 0) & (xi0 < sing.xi_min), sing.xi_min, xi0)
        if sing.side == "left":  # from a: the Cauchy formula in xi is the one in x
            return self._core.antiderivative(xi, extrapolate, order) + self._end_sliver(xi0, order)
        if order != 1:
            raise ValueError('antiderivatives of order > 1 are not available with sing="right"')
        # from a (the far end): int_xi^xi_max, whose part below xi_min is the end's power law
        total = self._core.antiderivative(np.array([sing.xi_max]), False, 1)[0]
        below = np.where(xi0 >= 0, self._end_piece(xi0, sing.xi_min), 0.0)
        return total - self._core.antiderivative(xi, extrapolate, 1) + below

    def _end_law(self) -> tuple[float, float]:
        """(f_m, p): the spline's value at xi_min and the power p of the end's law
        f ~ f_m (xi / xi_min)^p on [0, xi_min), where the spline does not reach."""
        sing = self._sing
        assert sing is not None
        fm = float(self._core.evaluate(np.array([sing.xi_min]), 0, False)[0])
        # p: the secant of ln |f| in u = ln xi over the first two knots, where f is sampled
        # exactly (exact for a power law; the cubic's own slope there was 1.5% off for f in a
        # linear y scale, and f' in xi overflows at an end of 0); else the first piece's slope.
        c = self._core.coefficients
        u = self._core.u
        if self.y_scale == "log":
            p = (c[1, 0] - c[0, 0]) / (u[1] - u[0]) if c.shape[0] > 1 else c[0, 1]
        elif c.shape[0] > 1 and c[0, 0] * c[1, 0] > 0:
            p = np.log(c[1, 0] / c[0, 0]) / (u[1] - u[0])
        else:
            p = c[0, 1] / c[0, 0]
        return fm, float(p)

    def _end_piece(self, lo: Any, hi: Any) -> NDArray[np.float64]:
        """int_lo^hi (in xi, elementwise) of the end's power law over [lo, hi] intersected with
        [0, xi_min): the part of an integral that the spline does not reach; +-inf where it
        diverges (p <= -1 down to 0)."""
        sing = self._sing
        assert sing is not None
        xm = sing.xi_min
        lo_c = np.clip(np.asarray(lo, dtype=np.float64), 0.0, xm)
        hi_c = np.clip(np.asarray(hi, dtype=np.float64), 0.0, xm)
        sign = np.where(hi_c < lo_c, -1.0, 1.0)
        lo_c, hi_c = np.minimum(lo_c, hi_c), np.maximum(lo_c, hi_c)
        out = np.zeros(np.broadcast(lo_c, hi_c).shape)
        fm, p = self._end_law()
        some = hi_c > lo_c
        if fm == 0.0 or not np.any(some):
            return out
        with np.errstate(divide="ignore"):
            if p == -1.0:
                val = fm * xm * (np.log(hi_c / xm) - np.log(lo_c / xm))
            else:
                val = fm * xm / (p + 1.0) * ((hi_c / xm) ** (p + 1.0) - (lo_c / xm) ** (p + 1.0))
        if not p > -1.0:
            val = np.where(lo_c == 0.0, np.copysign(np.inf, fm), val)
        return np.where(some, sign * val, 0.0)

    def _end_sliver(self, xi: NDArray[np.float64], order: int) -> NDArray[np.float64]:
        """The part of the order-fold integral from the singular end (in xi) that lies in
        [0, xi_min), where the spline does not reach: 0 at xi <= 0 (and outside the domain).

        On [0, xi_min) f is the end's power law f_m (xi / xi_min)^p (`_end_law`; the model of
        ``sing``: f = xi^p g, g smooth; xi_min is one ulp of the end, or 2.2e-308 at an end of
        0). Its j-fold integrals from 0 are F_j(xi) = f_m xi_min^-p
        xi^(p+j) / ((p+1) .. (p+j)), and past xi_min the k-fold one gains
        sum_j F_j(xi_min) (xi - xi_min)^(k-j) / (k-j)!. With p <= -1 the integral diverges
        (+-inf). Leaving the sliver out lost 2.7% of the integral of (x - 1)^-0.9 over [1, 2].
        """
        if order == 1:
            return np.where(xi > 0, self._end_piece(0.0, xi), 0.0)
        sing = self._sing
        assert sing is not None
        xm = sing.xi_min
        out = np.zeros_like(xi, dtype=np.float64)
        inside = (xi > 0) & ~np.isnan(xi)
        if not np.any(inside):
            return out
        fm, p = self._end_law()
        if fm == 0.0:
            return out
        if not p > -1.0:
            out[inside] = np.copysign(np.inf, fm)
            return out
        t = np.minimum(xi[inside], xm)
        past = np.maximum(xi[inside] - xm, 0.0)
        denom = np.cumprod(p + np.arange(1, order + 1))  # (p+1) .. (p+order)
        # below xi_min: F_order(xi), scaled by powers of xm so that nothing overflows
        val = fm * xm**order * (t / xm) ** (p + order) / denom[-1]
        # past xi_min: the Taylor terms of the lower integrals at xi_min
        val = np.where(past > 0, 0.0, val)
        fact = 1.0
        for j in range(order, 0, -1):  # term j: F_j(xm) past^(order - j) / (order - j)!
            k = order - j
            if k > 0:
                fact *= k
            val = val + np.where(past > 0, fm * xm**j / denom[j - 1] * past**k / fact, 0.0)
        out[inside] = val
        return out

    def roots(self) -> NDArray[np.float64]:
        """Zeros of y inside the domain (none with ``y_scale="log"``, where y > 0)."""
        return _roots(self, 0)

    # -- conversions --------------------------------------------------------------------------
    def _ppoly_u(self) -> Any:
        from scipy.interpolate import PPoly

        c = self._core.coefficients.T[::-1].copy()
        return PPoly(c, self._core.u, extrapolate=False)

    def _from_u(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        if self._sing is not None:
            return self._sing.from_xi(np.exp(u))
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
        if self._sing is not None and not transformed:
            raise ValueError(
                f"with sing={self.sing!r} the spline is not a piecewise polynomial in x; use "
                "to_scipy(transformed=True) for the PPoly in (ln|x - end|, Y(y)) coordinates"
            )
        if not transformed and (self.x_scale != "linear" or self.y_scale != "linear"):
            raise ValueError(
                f"with x_scale={self.x_scale!r}, y_scale={self.y_scale!r} the spline is not a "
                "piecewise polynomial in x; use to_scipy(transformed=True) for the PPoly in "
                "(X(x), Y(y)) coordinates"
            )
        return self._ppoly_u()

    def plot(self, ax: Any = None, *, n: int = 2000) -> Any:
        """Plot the spline and its knots (matplotlib); returns the Axes (labelled x and y)."""
        return _plot(self, 0, ax, n)

    # -- pickling: the knots and values determine the spline (the solve is deterministic) -----
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # (the argument order of _rebuild is the pickle format: keep it loadable)
        return (
            _rebuild,
            (
                self._core.x,  # = knots, or the distances xi with sing
                self._core.y,
                self.x_scale,
                self.y_scale,
                *self._build(),
                self._core.u,
                None if self._sing is None else self._sing.state(),
            ),
        )


def _rebuild(
    knots: NDArray[np.float64],
    values: NDArray[np.float64],
    x_scale: XScaleName,
    y_scale: YScaleName,
    *build_and_rest: Any,
) -> AdaptiveSpline:
    # build_and_rest: the six SplineBuild fields, then u (the builder's knots in the fitting
    # coordinate: the exact midpoints it tested, X(knots) can differ in the last bit, so that the
    # reloaded spline is the same to the bit) and the end singularity's state, both optional.
    nb = len(SplineBuild._fields)
    build = SplineBuild(*build_and_rest[:nb])
    u, sing = (*build_and_rest[nb:], None, None)[:2]
    end = None if sing is None else EndSingularity(*sing)
    core = _SplineCore(knots, values, XScale.__members__[x_scale], YScale.__members__[y_scale], u)
    return AdaptiveSpline(core, **build._asdict(), sing=end)


class SplineDerivative:
    """d^order y / dx^order of an `AdaptiveSpline`, as a callable (pickles with its spline).

    It has the spline's methods: ``roots``, ``integrate``, ``derivative``, ``antiderivative``,
    ``plot``, and its ``domain``. See `AdaptiveSpline.derivative` for the accuracy.
    """

    def __init__(self, spline: AdaptiveSpline, order: int) -> None:
        self.spline = spline
        self.order = order

    @property
    def domain(self) -> tuple[float, float]:
        """(a, b): the interval the spline was built on."""
        return self.spline.domain

    @overload
    def __call__(self, x: float, nu: int = 0, extrapolate: bool = False) -> np.floating[Any]: ...
    @overload
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]: ...
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]:
        """Evaluate the derivative (or ``nu`` more) at x; see `AdaptiveSpline.__call__`."""
        return self.spline(x, nu=self.order + _order(nu), extrapolate=extrapolate)

    def derivative(self, nu: int = 1) -> SplineDerivative:
        """A higher derivative of the same spline."""
        return SplineDerivative(self.spline, self.order + _order(nu))

    def antiderivative(self, nu: int = 1) -> AdaptiveSpline | SplineDerivative:
        """The nu-th antiderivative: a lower derivative or the spline itself (up to constants)."""
        nu = _order(nu)
        if not 1 <= nu <= self.order:
            raise ValueError(
                f"nu must be in 1..{self.order} for a derivative of order {self.order}"
            )
        return self.spline if nu == self.order else SplineDerivative(self.spline, self.order - nu)

    def integrate(self, a: float, b: float, extrapolate: bool = False) -> float:
        """Integral of this derivative from a to b: the lower derivative's difference."""
        lower = self.spline if self.order == 1 else SplineDerivative(self.spline, self.order - 1)
        ends = lower(np.array([float(a), float(b)]), extrapolate=extrapolate)
        return float(ends[1] - ends[0])

    def roots(self) -> NDArray[np.float64]:
        """Zeros of this derivative inside the domain (e.g. the extrema of y for order 1)."""
        return _roots(self.spline, self.order)

    def plot(self, ax: Any = None, *, n: int = 2000) -> Any:
        """Plot the derivative (matplotlib); returns the Axes (labelled x and d^k y/dx^k)."""
        return _plot(self.spline, self.order, ax, n)

    def __repr__(self) -> str:
        return f"SplineDerivative(order={self.order}, spline={self.spline!r})"


def _roots(spline: AdaptiveSpline, order: int) -> NDArray[np.float64]:
    """Zeros of d^order y / dx^order inside the domain.

    Where the derivative is a polynomial in u on each piece up to factors that never vanish
    (order 0, order 1 on any scales: dy/dx = Y'(s) s'(u) X'(x)), the roots of the piecewise
    polynomial in u; otherwise sign changes on 16 points per piece, refined by brentq.
    """
    if order == 0 and spline.y_scale == "log":
        return np.empty(0)
    linear = spline.x_scale == "linear" and spline.y_scale == "linear"
    if order <= 1 or linear:
        pp = spline._ppoly_u()
        if order > 0:
            if order > MAX_NU:
                return np.empty(0)  # identically zero: no isolated roots
            pp = pp.derivative(1 if not linear else order)
        u_roots = _merge_close(pp.roots(discontinuity=False, extrapolate=False), spline._core.u)
        return np.unique(spline._from_u(u_roots))
    from scipy.optimize import brentq

    u = spline._core.u
    frac = np.linspace(0.0, 1.0, 17)[:-1]
    grid_u = np.append((u[:-1, None] + np.diff(u)[:, None] * frac[None, :]).ravel(), u[-1])
    lo, hi = spline.domain
    grid = np.clip(spline._from_u(grid_u), lo, hi)
    vals = spline(grid, nu=order)
    out = [float(t) for t, v in zip(grid, vals) if v == 0.0]
    for k in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]:
        xtol = 4e-16 * max(abs(grid[k]), abs(grid[k + 1]), 1e-300)
        out.append(brentq(lambda t: float(spline(t, nu=order)), grid[k], grid[k + 1], xtol=xtol))
    return _merge_close(np.array(out, dtype=np.float64), np.array(spline.domain))


def _merge_close(r: NDArray[np.float64], span: NDArray[np.float64]) -> NDArray[np.float64]:
    """The sorted values of r with clusters closer than 8 eps max |span| kept once: a root on a
    knot comes from both pieces (arctan in asinh scale gave [-4e-19, 0]). (A double root of f
    may still be two roots of the spline, ~sqrt(tolerance) apart, where it dips below zero.)"""
    r = np.sort(r)
    if r.size < 2:
        return r
    tol = 8 * np.finfo(np.float64).eps * float(np.max(np.abs(span)))
    return r[np.concatenate([[True], np.diff(r) > tol])]


def _plot(spline: AdaptiveSpline, order: int, ax: Any, n: int) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    a, b = spline.domain
    if spline._sing is not None:  # dense towards the singular end
        end = spline._sing
        t = np.sort(end.from_xi(np.geomspace(max(end.xi_min, (b - a) * 1e-12), b - a, n)))
    elif spline.x_scale == "log":
        t = np.geomspace(a, b, n)
    else:
        t = np.linspace(a, b, n)
    what = "y" if order == 0 else ("dy/dx" if order == 1 else f"d^{order}y/dx^{order}")
    ax.plot(t, spline(t, nu=order), lw=1, label="spline" if order == 0 else what)
    if order == 0:
        ax.plot(spline.knots, spline.values, ".", ms=3, label=f"{len(spline.knots)} knots")
    if spline.x_scale == "log":
        ax.set_xscale("log")
    if spline.y_scale == "log" and order == 0:
        ax.set_yscale("log")
    ax.set_xlabel("x")
    ax.set_ylabel(what)
    ax.legend()
    return ax


class SplineAntiderivative:
    """x -> the ``order``-fold integral of y dx from ``domain[0]`` (pickles with its spline)."""

    def __init__(self, spline: AdaptiveSpline, order: int = 1) -> None:
        self.spline = spline
        self.order = order

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("order", 1)  # pickled before orders > 1 existed

    @overload
    def __call__(self, x: float, nu: int = 0, extrapolate: bool = False) -> np.floating[Any]: ...
    @overload
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]: ...
    def __call__(
        self, x: ArrayLike, nu: int = 0, extrapolate: bool = False
    ) -> np.floating[Any] | NDArray[np.floating[Any]]:
        """Evaluate the antiderivative, or its nu-th derivative (``nu = order`` gives y)."""
        nu = _order(nu)
        if nu < 0:
            raise ValueError(f"nu must be >= 0, got {nu}")
        if nu >= self.order:
            return self.spline(x, nu=nu - self.order, extrapolate=extrapolate)
        pts, dtype = _points(x)
        out = self.spline._antiderivative(pts, self.order - nu, bool(extrapolate)).reshape(
            pts.shape
        )
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
