"""Property tests (hypothesis) for the log-Bessel ufuncs: identities that hold exactly for the true
functions, checked in log form so that they stay meaningful where I and K overflow.

* recurrences I_{v-1} - I_{v+1} = (2v/x) I_v (DLMF 10.29.1) and K_{v+1} - K_{v-1} = (2v/x) K_v,
* Wronskian I_v K_{v+1} + I_{v+1} K_v = 1/x (DLMF 10.28.2),
* monotonicity: log I_v(x) increasing in x and decreasing in v (v >= 0); log K_v(x) decreasing
  in x and increasing in v (v >= 0),
* float32 vs float64 agreement, iv_ratio/log_iv_dx consistency with the recurrence.
Tolerances: each identity combines several float64 results, each accurate to ~1e-14 relative in
log space; a log-space value L carries an absolute error ~1e-14 |L|, which the tolerance scales by.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numkit.special import iv_ratio, log_iv, log_iv_dx, log_kv, log_kv_dx

orders = st.floats(min_value=0.0, max_value=2000.0, allow_nan=False)
small_orders = st.floats(min_value=1.0, max_value=60.0)
args = st.floats(min_value=1e-3, max_value=1e4)
SETTINGS = settings(max_examples=150, deadline=None)


def _tol(*logs: float) -> float:
    return 1e-12 * (1.0 + max(abs(v) for v in logs))


@SETTINGS
@given(v=small_orders, x=args)
def test_recurrence_i(v: float, x: float) -> None:
    # log(I_{v-1} - I_{v+1}) = log(2v/x) + log I_v, written as
    # log I_{v-1} + log1p(-exp(log I_{v+1} - log I_{v-1})) == log(2v/x) + log I_v.
    a, b, c = log_iv(v - 1, x), log_iv(v + 1, x), log_iv(v, x)
    lhs = a + np.log1p(-np.exp(b - a))
    rhs = np.log(2 * v / x) + c
    # the subtraction I_{v-1} - I_{v+1} loses digits when the two are close (x >> v^2)
    amp = 1.0 / max(1e-300, -np.expm1(b - a))
    assert abs(lhs - rhs) <= _tol(a, b, c) * amp


@SETTINGS
@given(v=small_orders, x=args)
def test_recurrence_k(v: float, x: float) -> None:
    a, b, c = log_kv(v + 1, x), log_kv(v - 1, x), log_kv(v, x)
    lhs = a + np.log1p(-np.exp(b - a))
    rhs = np.log(2 * v / x) + c
    amp = 1.0 / max(1e-300, -np.expm1(b - a))
    assert abs(lhs - rhs) <= _tol(a, b, c) * amp


@SETTINGS
@given(v=orders, x=args)
def test_wronskian(v: float, x: float) -> None:
    # log(I_v K_{v+1} + I_{v+1} K_v) = -log x, both terms positive: no cancellation.
    t1 = log_iv(v, x) + log_kv(v + 1, x)
    t2 = log_iv(v + 1, x) + log_kv(v, x)
    lhs = np.logaddexp(t1, t2)
    tol = 1e-13 * (1 + abs(log_iv(v, x)) + abs(log_kv(v, x)) + abs(log_kv(v + 1, x)))
    assert abs(lhs + np.log(x)) <= tol


@SETTINGS
@given(v=orders, x=args, f=st.floats(min_value=1.001, max_value=10.0))
def test_monotone(v: float, x: float, f: float) -> None:
    assert log_iv(v, x * f) >= log_iv(v, x)
    assert log_kv(v, x * f) <= log_kv(v, x)
    assert log_iv(v + f, x) <= log_iv(v, x)
    assert log_kv(v + f, x) >= log_kv(v, x)


@SETTINGS
@given(v=orders, x=args)
def test_ratio_and_dx_consistent_with_recurrence(v: float, x: float) -> None:
    # I_v'/I_v = I_{v+1}/I_v + v/x = 1/iv_ratio(v+1) ... and iv_ratio(v) = 1/(I_v'/I_v + v/x).
    d = log_iv_dx(v, x)
    assert abs(iv_ratio(v, x) * (d + v / x) - 1) <= 1e-13
    assert abs((d - v / x) - iv_ratio(v + 1, x)) <= 1e-13 * d
    # K: K_v'/K_v = -K_{v-1}/K_v - v/x < 0 and its magnitude exceeds v/x.
    assert log_kv_dx(v, x) <= -v / x * (1 - 1e-15)


@SETTINGS
@given(v=st.floats(min_value=0.0, max_value=500.0), x=st.floats(min_value=1e-3, max_value=1e3))
def test_float32_agrees_with_float64(v: float, x: float) -> None:
    v32, x32 = np.float32(v), np.float32(x)
    for f in (log_iv, log_kv):
        r32 = f(v32, x32)
        r64 = f(np.float64(v32), np.float64(x32))
        assert r32.dtype == np.float32
        assert abs(float(r32) - r64) <= 4 * float(np.spacing(np.float32(abs(r64)))) + 1e-7
