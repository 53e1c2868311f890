"""Sample-based rules with SciPy's conventions: trapezoid, simpson, cumulative_trapezoid.

For a 1-D ``x`` (or a spacing ``dx``) the rule is a weight vector and the integral a matrix product
over the last axis, which is what makes many integrands at once cheap. An ``x`` with the shape of
``y`` is handled elementwise, as SciPy does. ``simpson`` with an even number of samples applies
Cartwright's correction to the last interval (SciPy >= 1.11).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._lib.validation import normalize_axis, numeric_array


def _as_inexact(a: np.ndarray) -> np.ndarray:
    """Boolean and integer samples as float64 (NumPy's and SciPy's result type): summed in their
    own dtype they wrapped around, and typed as float16 they lost all but 3 digits."""
    return a.astype(np.float64) if a.dtype.kind in "biu" else a


def _prepare(y: Any, x: Any, dx: Any, axis: Any):
    y = _as_inexact(numeric_array(y, "y", complex_ok=True))
    if y.ndim == 0:
        raise ValueError("y must have at least one dimension")
    axis = normalize_axis(axis, y.ndim)
    y = np.moveaxis(y, axis, -1)
    n = y.shape[-1]
    if x is None:
        if np.ndim(dx) != 0:
            raise ValueError("dx must be a scalar")
        try:
            dx = float(dx)
        except (TypeError, ValueError):
            raise ValueError(f"dx must be a real number, got {dx!r}") from None
        return y, None, dx, n, y.dtype
    x = _as_inexact(numeric_array(x, "x", complex_ok=True))
    if x.ndim == 1:
        if x.shape[0] != n:
            raise ValueError(
                f"x has {x.shape[0]} samples but y has {n} along axis {axis}; they must agree"
            )
    elif x.ndim == y.ndim:
        x = np.moveaxis(x, axis, -1)
        if x.shape[-1] != n:
            raise ValueError(f"x has {x.shape[-1]} samples along axis {axis}, y has {n}")
    else:
        raise ValueError(f"x must be 1-D or have the dimension of y ({y.ndim}), got {x.ndim}-D")
    return y, x, None, n, np.result_type(y.dtype, x.dtype)


def _finish(result: Any, out_dtype: Any) -> Any:
    result = np.asarray(result).astype(out_dtype, copy=False)
    return result[()] if result.ndim == 0 else result


def trapezoid_weights(n: int, x: np.ndarray | None = None, dx: float = 1.0) -> np.ndarray:
    """Weights ``w`` (shape ``(n,)``, or the shape of ``x``) with ``trapezoid(y) == y @ w``."""
    if x is None:
        w = np.full(n, dx, dtype=np.result_type(dx, np.float64))
        if n:
            w[0] = w[-1] = 0.5 * dx
        if n == 1:
            w[0] = 0.0
        return w
    x = np.asarray(x, dtype=np.result_type(x, np.float64))
    d = np.diff(x, axis=-1)
    w = np.zeros(x.shape, dtype=d.dtype)
    w[..., :-1] += 0.5 * d
    w[..., 1:] += 0.5 * d
    return w


def trapezoid(
    y: Any, x: Any = None, dx: float = 1.0, axis: int = -1
) -> np.inexact[Any] | npt.NDArray[np.inexact[Any]]:
    """Integrate samples with the composite trapezoidal rule.

    Parameters
    ----------
    y : array_like
        Samples; the integral runs along ``axis``.
    x : array_like, optional
        Sample points, 1-D with ``y.shape[axis]`` entries or of the dimension of ``y``
        (broadcastable). Default: spacing ``dx``.
    dx : float, optional
        Spacing when ``x`` is None. Default 1.
    axis : int, optional
        Axis of integration. Default -1.

    Returns
    -------
    float or ndarray
        ``y`` with ``axis`` integrated out; float32 input stays float32.

    Notes
    -----
    Same signature and results as :func:`scipy.integrate.trapezoid` (to rounding). With 1-D
    ``x`` the rule is applied as one matrix product with the weight vector, faster than SciPy
    for many integrands.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.quadrature import trapezoid
    >>> x = np.linspace(0.0, np.pi, 1001)
    >>> round(float(trapezoid(np.sin(x), x)), 5)  # error pi^3 / (12 n^2) = 2.6e-6
    2.0
    >>> trapezoid([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]], dx=0.5)  # one integral per row
    array([2.  , 0.25])
    """
    y, x, dx, n, out_dtype = _prepare(y, x, dx, axis)
    if x is None or x.ndim == 1:
        w = trapezoid_weights(n, x, 1.0 if x is not None else dx)
        return _finish(y @ w if n else np.zeros(y.shape[:-1]), out_dtype)
    d = np.diff(x, axis=-1)
    return _finish(np.sum(d * (y[..., 1:] + y[..., :-1]) * 0.5, axis=-1), out_dtype)


def cumulative_trapezoid(
    y: Any, x: Any = None, dx: float = 1.0, axis: int = -1, initial: float | None = None
) -> np.ndarray:
    """Cumulative integral of samples with the trapezoidal rule.

    Parameters
    ----------
    y, x, dx, axis
        As in :func:`trapezoid`.
    initial : {None, 0}, optional
        If 0, a zero is prepended so that the result has the shape of ``y``; otherwise the
        result has one sample fewer along ``axis``. (SciPy accepts only these two values too.)

    Returns
    -------
    ndarray
        Running integrals along ``axis``.

    Examples
    --------
    >>> from numkit.quadrature import cumulative_trapezoid
    >>> cumulative_trapezoid([0.0, 1.0, 2.0, 3.0], initial=0)
    array([0. , 0.5, 2. , 4.5])
    """
    if initial is not None and initial != 0:
        raise ValueError("initial must be None or 0")
    y0 = numeric_array(y, "y", complex_ok=True)
    if y0.ndim == 0:
        raise ValueError("y must have at least one dimension")
    ax = normalize_axis(axis, y0.ndim)
    y, x, dx, n, out_dtype = _prepare(y0, x, dx, ax)
    if n == 0 and initial is not None:
        raise ValueError(f"y has no samples along axis {axis}: initial=0 needs at least one")
    d = dx if x is None else np.diff(x, axis=-1)
    res = np.cumsum(d * (y[..., 1:] + y[..., :-1]) * 0.5, axis=-1) if n else y[..., :0]
    if initial is not None:
        res = np.concatenate([np.zeros((*res.shape[:-1], 1), dtype=res.dtype), res], axis=-1)
    return np.moveaxis(np.asarray(res, dtype=out_dtype), -1, ax)


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with 0 where den == 0 (SciPy's convention for coincident samples)."""
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    return np.divide(num, den, out=np.zeros_like(den), where=den != 0)


def simpson_weights(h: np.ndarray) -> np.ndarray:
    """Weights of composite Simpson for spacings ``h`` (shape ``(..., n - 1)``).

    Pairs of intervals get the irregular-spacing parabola weights; for an even number of samples
    (odd number of intervals) the last interval gets Cartwright's correction, for two samples the
    trapezoid rule.
    """
    h = np.asarray(h, dtype=float)
    n = h.shape[-1] + 1
    w = np.zeros((*h.shape[:-1], n))
    if n < 2:
        return w
    if n == 2:
        w[..., 0] = w[..., 1] = 0.5 * h[..., 0]
        return w
    stop = n - 1 if n % 2 else n - 2  # samples 0..stop use plain Simpson
    h0, h1 = h[..., 0:stop:2], h[..., 1:stop:2]
    # Every weight as (a spacing) x (ratios of spacings): products and powers of spacings
    # underflowed below ~1e-154 (h0 h1 -> 0: the middle weight became 0) and overflowed above
    # ~1e102 (b^3 -> inf).
    hsum = h0 + h1
    ratio = _div(h0, h1)
    w[..., 0:stop:2] += hsum / 6.0 * (2.0 - _div(h1, h0))
    w[..., 1:stop:2] += hsum / 6.0 * _div(hsum, h0) * _div(hsum, h1)
    w[..., 2 : stop + 1 : 2] += hsum / 6.0 * (2.0 - ratio)
    if n % 2 == 0:
        a, b = h[..., -2], h[..., -1]
        w[..., -1] += b / 6.0 * _div(2 * b + 3 * a, a + b)
        w[..., -2] += b / 6.0 * _div(b + 3 * a, a)
        w[..., -3] -= b / 6.0 * _div(b, a) * _div(b, a + b)
    return w


def simpson(
    y: Any, x: Any = None, *, dx: float = 1.0, axis: int = -1
) -> np.inexact[Any] | npt.NDArray[np.inexact[Any]]:
    """Integrate samples with the composite Simpson rule.

    Parameters
    ----------
    y, x, dx, axis
        As in :func:`trapezoid`. Any number of samples: an odd number uses Simpson on every pair
        of intervals; an even number uses Simpson on all but the last interval, which gets
        Cartwright's third-order correction (as :func:`scipy.integrate.simpson` since 1.11);
        two samples give the trapezoid rule.

    Returns
    -------
    float or ndarray
        ``y`` with ``axis`` integrated out.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.quadrature import simpson
    >>> x = np.linspace(0.0, 1.0, 5)
    >>> float(simpson(x**3, x=x))  # exact for cubics on an odd number of samples
    0.25
    """
    y, x, dx, n, out_dtype = _prepare(y, x, dx, axis)
    if x is not None and np.iscomplexobj(x):
        # (the weights take real spacings: complex x lost its imaginary part, as in SciPy,
        # with only NumPy's ComplexWarning; trapezoid does integrate along complex x)
        raise TypeError(
            "simpson needs real x; for a path in the complex plane integrate y(t) x'(t) over a "
            "real parameter t, or use trapezoid, which takes complex x"
        )
    if n == 0:
        return _finish(np.zeros(y.shape[:-1]), out_dtype)
    if x is None:
        w = simpson_weights(np.full(n - 1, 1.0)) * dx
        return _finish(y @ w, out_dtype)
    if x.ndim == 1:
        return _finish(y @ simpson_weights(np.diff(x.astype(float))), out_dtype)
    xb = np.broadcast_to(x, np.broadcast_shapes(x.shape, y.shape))
    w = simpson_weights(np.diff(xb.astype(float), axis=-1))
    return _finish(np.sum(y * w, axis=-1), out_dtype)
