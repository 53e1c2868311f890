"""autoknots: build a cubic spline of f to a stated precision, choosing the knots adaptively."""

from __future__ import annotations

import math
import numbers
from typing import Callable

import numpy as np

from .._core.splines import autoknots_build as _autoknots
from ._errors import DiscontinuityError, FunctionValueError, KnotLimitError
from ._spline import X_SCALES, Y_SCALES, AdaptiveSpline

# Below this rtol (with atol == 0) the midpoint test compares numbers that differ in their last
# bits: the tolerance is not reachable in double precision.
MIN_RTOL = 1e-14


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


def _integer(value: object, name: str, minimum: int) -> int:
    if type(value) is not int:  # fast path: the common case skips the ABC check
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _scale_code(value: object, name: str, allowed: tuple[str, ...]) -> int:
    code = _SCALE_CODES[allowed].get(value) if isinstance(value, str) else None
    if code is None:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return code


_SCALE_CODES = {scales: {s: i for i, s in enumerate(scales)} for scales in (X_SCALES, Y_SCALES)}


def autoknots(
    f: Callable[..., object],
    a: float,
    b: float,
    *,
    rtol: float = 1e-8,
    atol: float = 0.0,
    x_scale: str = "linear",
    y_scale: str = "linear",
    n0: int = 6,
    max_dx: float | None = None,
    refine: int = 1,
    refine_ns: float = 1.0,
    max_knots: int = 100_000,
    vectorized: bool = True,
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
        Whether f takes arrays (one call per pass) or scalars (one call per point).

    Returns
    -------
    AdaptiveSpline
        With ``converged=True`` and the evaluation count in ``nfev``.

    Raises
    ------
    KnotLimitError
        ``max_knots`` would be exceeded; the exception names the unresolved interval.
    DiscontinuityError
        Intervals narrower than ~100 ulp still fail: f is discontinuous there (or rtol is below
        what f's own rounding allows).
    FunctionValueError
        f returned NaN or inf (or a value <= 0 with ``y_scale="log"``); names x and the value.

    Notes
    -----
    The precision is checked at the midpoints the method evaluates; between them it is an
    estimate, as with any adaptive scheme. A feature that no pass samples cannot be seen: use
    ``max_dx`` (or a larger ``n0``) when f may hide one between the starting knots.

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
    a_f, b_f = _real(a, "a"), _real(b, "b")
    if not a_f < b_f:
        raise ValueError(f"need a < b, got a={a_f}, b={b_f}")
    x_code = _scale_code(x_scale, "x_scale", X_SCALES)
    y_code = _scale_code(y_scale, "y_scale", Y_SCALES)
    if x_scale == "log" and not a_f > 0:
        raise ValueError(f'x_scale="log" needs 0 < a < b, got a={a_f}')
    if x_scale == "linear" and not math.isfinite(b_f - a_f):
        raise ValueError(
            f"b - a overflows ({a_f} .. {b_f}); use x_scale='asinh' near the float limits"
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
    if max_dx is None:
        max_dx_f = math.nan
    else:
        max_dx_f = _real(max_dx, "max_dx")
        if not max_dx_f > 0:
            raise ValueError(f"max_dx must be > 0, got {max_dx_f}")
    refine_i = _integer(refine, "refine", 0)
    refine_ns_f = _real(refine_ns, "refine_ns")
    max_knots_i = _integer(max_knots, "max_knots", 2)
    if max_knots_i < n0_i:
        raise ValueError(f"max_knots ({max_knots_i}) must be >= n0 ({n0_i})")
    if not isinstance(vectorized, (bool, np.bool_)):
        raise TypeError(f"vectorized must be a bool, got {type(vectorized).__name__}")

    try:
        core, status, x_lo, x_hi, value, nfev, n_passes, converged, max_err = _autoknots(
            f,
            a_f,
            b_f,
            rtol_f,
            atol_f,
            x_code,
            y_code,
            n0_i,
            max_dx_f,
            refine_i,
            refine_ns_f,
            max_knots_i,
            bool(vectorized),
        )
    except TypeError as exc:
        if vectorized and hasattr(exc, "add_note"):
            exc.add_note(
                "autoknots: with vectorized=True, f receives one 1-d float64 array holding all the "
                "new points of a pass; pass vectorized=False for a function of a scalar"
            )
        raise
    spline = None
    if core is not None:
        spline = AdaptiveSpline(
            core,
            nfev=nfev,
            n_passes=n_passes,
            converged=converged,
            max_error_estimate=max_err,
            rtol=rtol_f,
            atol=atol_f,
            x_scale=X_SCALES[x_code],
            y_scale=Y_SCALES[y_code],
        )
    if status == 0:
        assert spline is not None
        return spline
    if status == 1:
        raise KnotLimitError(
            f"reaching rtol={rtol_f:g}, atol={atol_f:g} needs more than max_knots={max_knots_i} "
            f"knots; unresolved intervals lie in [{x_lo!r}, {x_hi!r}] (after {nfev} evaluations). "
            "Raise max_knots, loosen the tolerance, or choose x_scale/y_scale that make f "
            "smoother.",
            x_lo,
            x_hi,
            spline,
        )
    if status in (2, 3):
        what = "a non-finite value" if status == 2 else 'a value <= 0 (y_scale="log" needs f > 0)'
        raise FunctionValueError(f"f returned {what}: f({x_lo!r}) = {value!r}", x_lo, x_hi, spline)
    raise DiscontinuityError(
        f"knots closer than ~100 ulp in [{x_lo!r}, {x_hi!r}] still fail the tolerance: f looks "
        "discontinuous there (or rtol is below f's own rounding error)",
        x_lo,
        x_hi,
        spline,
    )
