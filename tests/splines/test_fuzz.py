"""Fuzzing autoknots and AdaptiveSpline (hypothesis, bounded): odd floats (NaN, inf, +-0,
subnormal, huge), empty and strided arrays, wrong dtypes, odd return values of f. Each case ends
in a result or in one of the documented exceptions with a message that names the problem; no
case runs long (max_knots bounds every construction, f counts its own calls)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numkit.splines import AutoKnotsError, autoknots

ODD = [0.0, -0.0, 5e-324, -5e-324, 2.2e-308, 1e-300, 1.0, -1.0, 1e300, -1e300, 1.7e308, -1.7e308]
NONFINITE = [math.nan, math.inf, -math.inf]
odd_floats = st.one_of(
    st.sampled_from(ODD + NONFINITE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-10, 10),
)
DOCUMENTED = (TypeError, ValueError, AutoKnotsError)
FIXTURE = HealthCheck.function_scoped_fixture
CALL_LIMIT = 20_000  # evaluations of f per case: far above any max_knots drawn below


def _results(x: np.ndarray):
    """The answers f may give: good ones and every kind of wrong one."""
    return {
        "cos": lambda: np.cos(x),
        "tanh step": lambda: np.tanh(50 * x),
        "huge": lambda: 1.5e308 * np.cos(x),
        "tiny": lambda: 1e-310 * np.cos(x),
        "nan": lambda: np.where(x > 0.5, np.nan, x),
        "none": lambda: None,
        "scalar": lambda: 1.0,
        "column": lambda: np.cos(x)[:, None],
        "complex": lambda: np.cos(x) + 0j,
        "strings": lambda: np.array([str(v) for v in x]),
        "object": lambda: np.array([object()] * x.size, dtype=object),
        "masked": lambda: np.ma.masked_greater(np.cos(x), 0.9),
        "list": lambda: list(np.cos(x)),
        "float32": lambda: np.cos(x).astype(np.float32),
        "strided": lambda: np.repeat(np.cos(x), 2)[::2],
        "bool": lambda: x > 0.5,
        "raises": lambda: 1 / 0,
    }


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    a=odd_floats,
    b=odd_floats,
    kind=st.sampled_from(sorted(_results(np.zeros(1)))),
    x_scale=st.sampled_from(["linear", "log", "asinh", "bogus", 3]),
    y_scale=st.sampled_from(["linear", "log", None]),
    rtol=st.sampled_from([1e-8, 0.0, 1e-15, 0.5, -1.0, math.nan, 1e-4]),
    atol=st.sampled_from([0.0, 1e-12, 1e300, math.inf]),
    n0=st.sampled_from([2, 6, 1, 2**40, 2.0, True]),
    max_dx=st.sampled_from([None, 1e-3, 5e-324, math.inf, 0.0, 1e300]),
    check=st.sampled_from([0, 7, -1]),
    vectorized=st.booleans(),
)
def test_autoknots_never_fails_undocumented(
    a, b, kind, x_scale, y_scale, rtol, atol, n0, max_dx, check, vectorized
) -> None:
    calls = [0]

    def f(x):
        calls[0] += 1
        assert calls[0] <= CALL_LIMIT, "runaway construction"
        arr = np.atleast_1d(np.asarray(x, dtype=np.float64))
        with np.errstate(all="ignore"):
            out = _results(arr)[kind]()
        if not vectorized and isinstance(out, np.ndarray) and out.shape == arr.shape:
            return out[0]
        return out

    t0 = time.perf_counter()
    try:
        s = autoknots(
            f,
            a,
            b,
            rtol=rtol,
            atol=atol,
            x_scale=x_scale,
            y_scale=y_scale,
            n0=n0,
            max_dx=max_dx,
            check=check,
            vectorized=vectorized,
            max_knots=3000,
        )
    except ZeroDivisionError:
        assert kind == "raises"  # f's own exception comes back unchanged
    except DOCUMENTED as exc:
        msg = str(exc)
        assert msg and "incompatible function arguments" not in msg, msg
    else:
        assert s.converged and np.all(np.diff(s.knots) > 0)
        assert np.all(np.isfinite(s.values))
        lo, hi = s.domain
        assert s.knots[0] == lo and s.knots[-1] == hi
    assert time.perf_counter() - t0 < 30


@pytest.fixture(scope="module")
def splines():
    return [
        autoknots(lambda x: np.exp(-x) * np.sin(5 * x), 0.0, 5.0, rtol=1e-8, atol=1e-12),
        autoknots(lambda x: x**-1.5 + 1, 1.0, 1e6, rtol=1e-8, x_scale="log", y_scale="log"),
        autoknots(np.tanh, -1e300, 1e300, rtol=1e-8, atol=1e-12, x_scale="asinh"),
    ]


points = st.one_of(
    st.sampled_from(ODD + NONFINITE),
    st.floats(allow_nan=True, allow_infinity=True),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    which=st.integers(0, 2),
    xs=st.lists(points, max_size=9),
    dtype=st.sampled_from(["float64", "float32", "int64", "bool", "complex128", "U3", "object"]),
    stride=st.sampled_from([1, 2, -1]),
    nu=st.sampled_from([0, 1, 2, 3, 4, 2**31, -1, 1.5, "1"]),
    extrapolate=st.booleans(),
)
def test_evaluation_never_fails_undocumented(splines, which, xs, dtype, stride, nu, extrapolate):
    s = splines[which]
    with np.errstate(all="ignore"):
        try:
            x = np.repeat(np.array(xs, dtype=np.float64), 2).astype(dtype)[::stride]
        except (ValueError, OverflowError):
            return  # the test's own conversion (e.g. nan to int64)
    try:
        y = s(x, nu=nu, extrapolate=extrapolate)
    except DOCUMENTED as exc:
        assert str(exc) and "incompatible function arguments" not in str(exc)
        return
    assert y.shape == x.shape
    if dtype in ("float64", "float32") and x.size:
        xf = x.astype(np.float64)
        inside = (xf >= s.domain[0]) & (xf <= s.domain[1])
        assert np.all(np.isnan(y[np.isnan(xf)]))
        if not extrapolate:
            assert np.all(np.isnan(y[~inside]))
        if nu in (0, 1, 2, 3):
            assert np.all(np.isfinite(y[inside]))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(which=st.integers(0, 2), lo=points, hi=points, order=st.sampled_from([1, 2, 5, 0, 33]))
def test_integrals_never_fail_undocumented(splines, which, lo, hi, order) -> None:
    s = splines[which]
    try:
        v = s.integrate(lo, hi)
        F = s.antiderivative(order)
        w = F(np.array([lo, hi]))
    except DOCUMENTED as exc:
        assert str(exc) and "incompatible function arguments" not in str(exc)
        return
    a, b = s.domain
    inside = all(a <= t <= b for t in (lo, hi))
    assert math.isfinite(v) if inside else math.isnan(v)
    assert w.shape == (2,)
    if inside and order == 1:  # higher orders may truly overflow: (x - t)^4 / 4! at 1e300
        assert np.all(np.isfinite(w))
