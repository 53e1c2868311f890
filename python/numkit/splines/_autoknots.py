"""autoknots: build a cubic spline of f to a stated precision, choosing the knots adaptively."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Callable, TypeVar

import numpy as np

from .._core.splines import BuildOptions, BuildResult, BuildStatus, XScale, YScale
from .._core.splines import autoknots_build as _autoknots_build
from ._errors import DiscontinuityError, FunctionValueError, KnotLimitError
from ._sing import SINGS, EndSingularity, SingName
from ._spline import AdaptiveSpline, SplineBuild, XScaleName, YScaleName

# Below this rtol (with atol == 0) the midpoint test compares numbers that differ in their last
# bits: the tolerance is not reachable in double precision.
MIN_RTOL = 1e-14
# More knots than this is not a table but a memory exhaustion (16 GiB per array of doubles).
MAX_KNOTS_LIMIT = 2**31


def _real(value: object, name: str) -> float:
    if type(value) is float:  # fast path: the common case skips the ABC check
        if math.isfinite(value):
            return value
        raise ValueError(f"{name} must be finite, got {value}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def _integer(value: object, name: str, minimum: int, maximum: int = MAX_KNOTS_LIMIT) -> int:
    if type(value) is not int:  # fast path: the common case skips the ABC check
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def _scale(value: object, name: str, members: Mapping[str, _E]) -> _E:
    if isinstance(value, str) and value in members:
        return members[value]
    raise ValueError(f"{name} must be one of {tuple(members)}, got {value!r}")


_E = TypeVar("_E")
# pybind11 builds __members__ afresh on each access (0.5 us): look the names up once.
_X_MEMBERS: dict[str, XScale] = dict(XScale.__members__)
_Y_MEMBERS: dict[str, YScale] = dict(YScale.__members__)


class _ResultError(TypeError):
    """f's answer has the wrong kind (raised by _coerce_values; never re-worded)."""


def _coerce_values(result: object, x: object, tol: tuple[float, float] | None = None) -> object:
    """f's answer as float64 values (a C array of x's shape, or a float), or a clear error.

    The compiled sampler reads exact float64 arrays of the right shape (and floats) in place and
    calls this for everything else. With ``tol`` = (rtol, atol), float16/float32 answers that
    cannot resolve the tolerance raise ValueError at once (see _check_resolution).
    """
    vectorized = isinstance(x, np.ndarray)
    want = "an array of f(x) of the same shape" if vectorized else "a real number"
    mode = "vectorized=True" if vectorized else "vectorized=False"
    if result is None:
        raise _ResultError(f"f returned None; with {mode} f must return {want}")
    if isinstance(result, np.ma.MaskedArray):
        masked = int(np.count_nonzero(np.ma.getmaskarray(result)))
        if masked:
            raise ValueError(
                f"f returned a masked array with {masked} masked value(s); every point needs a "
                "value: fill the mask or return a plain array"
            )
        result = np.ma.getdata(result)
    try:
        arr = np.asarray(result)
    except (TypeError, ValueError) as exc:
        raise _ResultError(
            f"f returned {type(result).__name__}, which is not convertible to a float array "
            f"({exc}); with {mode} f must return {want}"
        ) from None
    if arr.dtype.kind == "c":
        raise _ResultError(
            f"f returned complex values (dtype {arr.dtype}); autoknots fits real functions: "
            "build one spline of the real part and one of the imaginary part"
        )
    if arr.dtype.kind not in "biuf":
        raise _ResultError(
            f"f returned {type(result).__name__} of dtype {arr.dtype}, which is not convertible "
            f"to a float array; with {mode} f must return {want} (real numbers)"
        )
    if tol is not None and arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        _check_resolution(arr, *tol)
    if not vectorized:
        if arr.ndim != 0:
            raise ValueError(
                f"f returned an array of shape {arr.shape}; with {mode} f must return {want}"
            )
        return float(arr)
    n = x.size  # type: ignore[attr-defined]
    if arr.size != n:
        raise ValueError(
            f"f returned {arr.size} values for {n} points; with vectorized=True f must return one "
            "value per element of its input (use vectorized=False for a scalar function)"
        )
    if arr.shape != (n,):
        raise ValueError(
            f"f returned an array of shape {arr.shape} for {n} points; with vectorized=True f "
            f"must return shape ({n},), one value per point"
        )
    return np.ascontiguousarray(arr, dtype=np.float64)


def _check_resolution(arr: np.ndarray, rtol: float, atol: float) -> None:
    """float16/float32 values of f resolve only ~eps |f|: a tolerance below 8 eps (relative,
    with atol below 8 eps max|f|) can never be met, and the build would refine until max_knots
    (97,261 evaluations for sin in float32 at rtol 1e-8, then "raise max_knots")."""
    eps = float(np.finfo(arr.dtype).eps)
    big = float(np.max(np.abs(arr), initial=0.0, where=np.isfinite(arr)))
    if rtol < 8 * eps and atol < 8 * eps * big:
        raise ValueError(
            f"f returned {arr.dtype} values, which resolve only ~{eps:.1e} relative: rtol={rtol:g}"
            f" (atol={atol:g}) cannot be met. Return float64 from f, or ask for rtol >= "
            f"{8 * eps:.0e}"
        )


def autoknots(
    f: Callable[..., object],
    a: float,
    b: float,
    *,
    rtol: float = 1e-8,
    atol: float = 0.0,
    x_scale: XScaleName = "linear",
    y_scale: YScaleName = "linear",
    n0: int = 6,
    max_dx: float | None = None,
    refine: int = 1,
    refine_ns: float = 1.0,
    max_knots: int = 100_000,
    vectorized: bool = True,
    check: int = 5,
    sing: SingName | None = None,
) -> AdaptiveSpline:
    """Cubic spline of f on [a, b] with knots placed until it meets ``|f - s| <= rtol |f| + atol``.

    The AutoKnots method (Vitenti et al. 2024, arXiv:2412.13423): start from ``n0`` knots uniform in
    the fitting coordinate; in each pass evaluate f at the midpoints of all intervals not yet
    accepted, compare f with the current not-a-knot spline there and Simpson's rule with the
    spline's exact integral over the interval, insert every midpoint as a knot (every evaluation
    of f is used), accept both halves of an interval that passed, and rebuild the spline. numkit
    adds mesh grading: an accepted interval more than twice as wide as a neighbour is re-opened
    (the midpoint test alone accepted an interval whose true error was 1.16 x the tolerance next to
    a 4x finer neighbour; on the halo profiles grading costs no extra evaluation). After
    convergence, intervals wider than ``mean + refine_ns * sd`` of the widths are re-opened
    ``refine`` times (a symmetric step such as ``2 + tanh(20 (x - 5))`` passes the midpoint test
    by symmetry and is otherwise missed).

    Parameters
    ----------
    f : callable
        With ``vectorized=True`` (default), ``f(x)`` takes a 1-d float64 array (all the new points
        of a pass) and returns an array of the same size. Otherwise ``f(x)`` takes and returns a
        float and is called once per point.
    a, b : float
        The interval, ``a < b`` (``a > 0`` with ``x_scale="log"``).
    rtol, atol : float, optional
        Target relative and absolute tolerance on y. ``rtol >= 1e-14`` unless ``atol > 0``.
    x_scale : {"linear", "log", "asinh"}, optional
        Fit in x, ln x (power laws become lines; use for ranges spanning decades) or asinh x
        (log-like on both sides of 0).
    y_scale : {"linear", "log"}, optional
        Fit y or ln y (requires f > 0; the tolerance stays on y). ``x_scale="log", y_scale="log"``
        is what makes power-law-like functions (halo profiles) cheap.
    n0 : int, optional
        Starting number of knots (>= 2), uniform in the fitting coordinate.
    max_dx : float, optional
        Largest starting spacing in the fitting coordinate (x, ln x or asinh x). Features narrower
        than the starting spacing that sit on a flat background can pass every test unseen (a
        narrow bump between knots of a plateau); a ``max_dx`` below the feature width finds them.
    refine : int, optional
        Rounds of the plateau heuristic after convergence (0 disables it).
    refine_ns : float, optional
        Re-open intervals wider than ``mean + refine_ns * sd`` of the interval widths.
    max_knots : int, optional
        Stop with `KnotLimitError` rather than exceed this many knots.
    vectorized : bool, optional
        Whether f takes arrays (one call per pass) or scalars (one call per point; use this for
        ``math`` functions such as ``math.erf``).
    check : int, optional
        Random probes after convergence (default 5; 0: none). f is evaluated at one uniformly
        random point (fixed seed) in each of ``check`` equal strata of the fitting coordinate
        and tested against the spline: a probe that fails becomes a knot and its interval is
        refined as usual; one that passes is dropped (``nfev`` counts it, ``knots`` do not).
        The default few catch a function that vanishes (or is constant) on the whole first
        pass: the start knots and their midpoints lie on a grid of spacing (u(b) - u(a)) / 10,
        where sin over 5, 10, ... whole periods is 0 at every point (without probes a spline of
        0 came back ``converged`` with an error of 1). A feature of width w (in the fitting
        coordinate) on a flat background is seen when ``check >= (u(b) - u(a)) / w``; the
        probes cost ``check`` evaluations of f.
    sing : {"left", "right"}, optional
        Treat that end of [a, b] as an algebraic singularity, ``f = (x - a)**p g(x)`` with g
        smooth and any real p (``sqrt(x)``, ``x**0.3``, ``1 / sqrt(x)`` at 0): the spline is
        built in the logarithm of the distance to that end (see Notes), where this is smooth,
        and covers every double of the interval but the end itself, where f's own value is kept.
        Replaces ``x_scale`` (which must stay "linear"); ``max_dx`` then applies to ln of the
        distance. With ``y_scale="log"`` (f > 0 near the end) a pure power law costs a handful of
        evaluations (16 for ``sqrt`` on [0, 1], the 5 default probes included); with linear y
        the knots keep a fixed width in ln of the distance, which runs down to -708 at the
        smallest normal double (20494 evaluations for ``sqrt`` on [0, 1] at rtol 1e-8).
        ``integrate`` and ``antiderivative`` include the sliver between the end and the
        nearest double, where no sample can lie, by the end's power law (its p from the first
        two knots; p <= -1: the integral diverges, +-inf). In a linear y scale the cubics
        between the first doubles next to the end (one ulp apart, far apart in ln of the
        distance) then limit an integral to ~2e-6 relative (``(x - 1)**-0.9`` on [1, 2]);
        ``y_scale="log"`` integrates a power law to rounding.

    Returns
    -------
    AdaptiveSpline
        With ``converged=True`` and the evaluation count in ``nfev``.

    Raises
    ------
    TypeError
        f returned something that is not real numbers (None, strings, complex values), or failed
        on the array it was given with ``vectorized=True``.
    ValueError
        Bad arguments; f returned the wrong number of values, a wrong shape, or a masked array
        with masked values.
    KnotLimitError
        ``max_knots`` would be exceeded; the exception names the unresolved interval.
    DiscontinuityError
        Intervals narrower than ~100 ulp still fail: f is discontinuous there, or has an infinite
        slope at an end of the interval (as ``sqrt(x - a)``), or rtol is below what f's own
        rounding allows. The message gives the values seen on both sides.
    FunctionValueError
        f returned NaN or inf (or a value <= 0 with ``y_scale="log"``); names x and the value.
        Also raised when finite values of f (near the largest double) overflow the spline's
        arithmetic.

    Notes
    -----
    The precision is checked at the midpoints the method evaluates; between them it is an
    estimate, as with any adaptive scheme. A feature that no pass samples cannot be seen: the
    default start (``n0=6`` knots, spacing ``(u(b) - u(a)) / 5``) misses a bump, spike or step
    narrower than about a third of that spacing when it sits on a flat background between the
    starting knots and their midpoints (measured: ``1 + exp(-((x - 3.3) / 0.01)**2)`` on [0, 10]
    returns ``converged=True`` after 16 evaluations, the 5 default probes included, with a 50%
    error). Use ``max_dx`` (or a
    larger ``n0``) when f may hide one between the starting knots, or ``check`` to probe for it.

    With ``y_scale="log"`` the tolerance ``rtol |f| + atol`` is met where ``|f| > atol``; where f
    is below ``atol`` the relative error is not controlled.

    Near a zero of f at an end of the interval, a pure relative tolerance cannot be met by a
    polynomial spline in x unless f is polynomial there: the relative error of the first
    interval does not shrink with its width for ``(x - a)**p`` with non-integer p (autoknots
    then raises `DiscontinuityError` naming the steep endpoint). Use ``sing``, which fits in
    u = ln(x - a) where ``(x - a)**p g(x)`` is ``exp(p u)`` times a smooth function, or give
    ``atol > 0``. At a simple zero inside the interval the spline's zero sits beside f's by
    about the interpolation error divided by f', so ``rtol |f|`` with ``atol = 0`` fails in a
    small neighbourhood of it that the checks between knots do not see (``sin`` on [0.1, 6] at
    rtol 1e-8: above the tolerance within ~6e-5 of pi, 8 x at 1e-5 from it, growing as
    1 / |x - pi|, with ``converged=True``): give ``atol`` for functions with interior zeros.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.splines import autoknots
    >>> s = autoknots(lambda x: np.exp(-x) * np.sin(10 * x), 0.0, 10.0, rtol=1e-8, atol=1e-12)
    >>> bool(s.converged), bool(abs(s(1.0) - np.exp(-1) * np.sin(10)) < 1e-8)
    (True, True)
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    opts = BuildOptions()
    a_f, b_f = _real(a, "a"), _real(b, "b")
    if not a_f < b_f:
        raise ValueError(f"need a < b, got a={a_f}, b={b_f}")
    x_enum = _scale(x_scale, "x_scale", _X_MEMBERS)
    y_enum = _scale(y_scale, "y_scale", _Y_MEMBERS)
    if x_scale == "log" and not a_f > 0:
        raise ValueError(f'x_scale="log" needs 0 < a < b, got a={a_f}')
    if x_scale == "linear" and not math.isfinite(b_f - a_f):
        raise ValueError(
            f"b - a overflows ({a_f} .. {b_f}); use x_scale='asinh' near the float limits"
        )
    u_of: dict[str, Callable[[float], float]] = {
        "linear": float,
        "log": math.log,
        "asinh": math.asinh,
    }
    if not u_of[x_scale](a_f) < u_of[x_scale](b_f):
        raise ValueError(
            f"[{a_f!r}, {b_f!r}] is narrower than one rounding step of {x_scale}(x); "
            "use x_scale='linear'"
        )
    rtol_f, atol_f = _real(rtol, "rtol"), _real(atol, "atol")
    if rtol_f < 0 or atol_f < 0:
        raise ValueError(f"rtol and atol must be >= 0, got rtol={rtol_f}, atol={atol_f}")
    if atol_f == 0 and rtol_f < MIN_RTOL:
        raise ValueError(
            f"rtol={rtol_f:g} with atol=0 is below what double precision resolves; use rtol >= "
            f"{MIN_RTOL:g} or give atol > 0"
        )
    if rtol_f >= 1:
        raise ValueError(f"rtol must be < 1, got {rtol_f}")
    n0_i = _integer(n0, "n0", 2)
    if max_dx is not None:
        max_dx_f = _real(max_dx, "max_dx")
        if not max_dx_f > 0:
            raise ValueError(f"max_dx must be > 0, got {max_dx_f}")
        opts.max_dx = max_dx_f
    refine_i = _integer(refine, "refine", 0, maximum=2**62)
    refine_ns_f = _real(refine_ns, "refine_ns")
    max_knots_i = _integer(max_knots, "max_knots", 2)
    if max_knots_i < n0_i:
        raise ValueError(f"max_knots ({max_knots_i}) must be >= n0 ({n0_i})")
    check_i = _integer(check, "check", 0)
    if not isinstance(vectorized, (bool, np.bool_)):
        raise TypeError(f"vectorized must be a bool, got {type(vectorized).__name__}")
    vectorized = bool(vectorized)
    end = None
    if sing is not None:
        if sing not in SINGS:
            raise ValueError(f"sing must be one of {SINGS} or None, got {sing!r}")
        if x_scale != "linear":
            raise ValueError(f"sing={sing!r} replaces x_scale; leave x_scale='linear'")
        end = EndSingularity(
            sing, a_f, b_f, _end_value(f, a_f if sing == "left" else b_f, vectorized)
        )
        if not end.xi_min < end.xi_max:
            raise ValueError(f"[{a_f!r}, {b_f!r}] is too narrow for sing={sing!r}")
        f = _distance_form(f, end)
        a_f, b_f, x_enum, x_scale = end.xi_min, end.xi_max, XScale.log, "log"
        opts.anchor, opts.anchor_sign = end.anchor, end.sign

    opts.a, opts.b, opts.rtol, opts.atol = a_f, b_f, rtol_f, atol_f
    opts.x_scale, opts.y_scale = x_enum, y_enum
    opts.n0, opts.max_knots, opts.check = n0_i, max_knots_i, check_i
    # Each plateau round adds a knot, so rounds beyond max_knots cannot happen: same result.
    opts.refine, opts.refine_ns = min(refine_i, max_knots_i), refine_ns_f
    try:
        tol = (rtol_f, atol_f)
        r = _autoknots_build(f, opts, vectorized, lambda res, x: _coerce_values(res, x, tol))
    except _ResultError as exc:
        raise TypeError(str(exc)) from None
    except TypeError as exc:
        if not vectorized:
            raise
        hint = (
            "with vectorized=True (the default), f receives one 1-d float64 array holding all "
            "the new points of a pass; use vectorized=False for a function of a scalar (such as "
            "math.erf)"
        )
        err = TypeError(f"f failed on its input: {exc}. {hint[0].upper()}{hint[1:]}")
        if hasattr(err, "add_note"):
            err.add_note(f"autoknots: {hint}")
        raise err from exc
    return _finish(r, rtol_f, atol_f, max_knots_i, x_scale, y_scale, end)


def _end_value(f: Callable[..., object], x: float, vectorized: bool) -> float:
    """f at a singular end, as it comes (inf and NaN included; NaN if f raises an arithmetic
    error there)."""
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if vectorized:
                arr = np.array([x])
                return float(np.asarray(_coerce_values(f(arr), arr))[0])
            return float(_coerce_values(f(x), x))  # type: ignore[arg-type]
    except (ArithmeticError, ValueError):
        return math.nan


def _distance_form(f: Callable[..., object], end: EndSingularity) -> Callable[..., object]:
    """f as a function of the distance xi to the singular end."""
    anchor, sign = end.anchor, end.sign
    return lambda xi: f(anchor + sign * xi)  # an array with vectorized=True, else a float


def _finish(
    r: BuildResult,
    rtol: float,
    atol: float,
    max_knots: int,
    x_scale: str,
    y_scale: str,
    end: EndSingularity | None = None,
) -> AdaptiveSpline:
    """The spline, or the exception that says why the construction stopped."""
    spline = None
    if r.spline is not None:
        build = SplineBuild(r.nfev, r.n_passes, r.converged, r.max_error_estimate, rtol, atol)
        spline = AdaptiveSpline(
            r.spline,
            **build._asdict(),
            x_scale=x_scale,  # type: ignore[arg-type]
            y_scale=y_scale,  # type: ignore[arg-type]
            sing=end,
        )
    status, x_lo, x_hi = r.status, r.x_lo, r.x_hi
    y_lo, y_hi = r.y_lo, r.y_hi
    # In the builder's coordinate: is the stop at the start or the end of its interval?
    lo_end = hi_end = False
    if r.spline is not None:
        k = r.spline.x
        lo_end, hi_end = x_lo == k[0], x_hi == k[-1]
    if end is not None and not math.isnan(x_lo):  # back from distances xi to x
        x_lo, x_hi = (float(v) for v in end.from_xi(np.array([x_lo, x_hi])))
        if end.side == "right":
            x_lo, x_hi, y_lo, y_hi, lo_end, hi_end = x_hi, x_lo, y_hi, y_lo, hi_end, lo_end
    if status == BuildStatus.ok:
        assert spline is not None
        return spline
    if status == BuildStatus.max_knots:
        raise KnotLimitError(
            f"reaching rtol={rtol:g}, atol={atol:g} needs more than max_knots={max_knots} "
            f"knots; unresolved intervals lie in [{x_lo!r}, {x_hi!r}] (after {r.nfev} "
            "evaluations). Raise max_knots, loosen the tolerance, or choose x_scale/y_scale that "
            "make f smoother.",
            x_lo,
            x_hi,
            spline,
        )
    if status in (BuildStatus.non_finite, BuildStatus.non_positive):
        what = (
            "a non-finite value"
            if status == BuildStatus.non_finite
            else 'a value <= 0 (y_scale="log" needs f > 0)'
        )
        raise FunctionValueError(
            f"f returned {what}: f({x_lo!r}) = {r.value!r}", x_lo, x_hi, spline
        )
    seen = f"f({x_lo!r}) = {y_lo!r} and f({x_hi!r}) = {y_hi!r}"
    if status == BuildStatus.overflow:
        width = abs(x_hi - x_lo)
        if x_scale == "linear" and not 1e-100 < width < 1e150:
            # Powers of the knot spacing (h^3) leave the double range first.
            cause = (
                f"with x_scale='linear', knot spacings of {width:.3g} are outside what its "
                "arithmetic supports (~1e-100 .. 1e150); rescale x (f(c * x) on [a / c, b / c]) "
                "or, for a > 0, use x_scale='log'"
            )
        else:
            cause = (
                "values of f this close to the largest double cannot be splined; scale f down "
                '(e.g. f / 1e300) or, for f > 0, use y_scale="log"'
            )
        raise FunctionValueError(
            f"the spline's arithmetic overflowed on [{x_lo!r}, {x_hi!r}] ({seen}): {cause}",
            x_lo,
            x_hi,
            spline,
        )
    if status == BuildStatus.discontinuity:
        if lo_end or hi_end:
            side = "left" if lo_end else "right"
            msg = (
                f"knots closer than ~100 ulp at the {side} end still fail the tolerance ({seen}): "
                "a steep endpoint (an infinite slope, as sqrt(x - a) has at a, or a jump at the "
                f'end). f looks discontinuous or singular there; use sing="{side}" for an '
                "algebraic endpoint such as (x - a)**p, or give atol > 0"
            )
        else:
            msg = (
                f"knots closer than ~100 ulp in [{x_lo!r}, {x_hi!r}] still fail the tolerance "
                f"({seen}): f looks discontinuous there (or rtol is below f's own rounding error)"
            )
        raise DiscontinuityError(msg, x_lo, x_hi, spline)
    raise RuntimeError(f"autoknots: unexpected build status {status!r}")  # pragma: no cover
