"""AdaptiveSpline: derivatives, integrals, roots, conversions, pickling, dtypes and edge inputs.

References are closed forms (power laws, exponentials, trigonometric integrals), never scipy.
"""

from __future__ import annotations

import pickle
import threading

import numpy as np
import pytest
from numkit.splines import AdaptiveSpline, autoknots

from .halo_reference import nfw_mean_sigma, nfw_sigma


def damped(x):
    return np.exp(-x) * np.sin(10 * x)


@pytest.fixture(scope="module")
def lin() -> AdaptiveSpline:
    return autoknots(damped, 0.0, 10.0, rtol=1e-10, atol=1e-14)


@pytest.fixture(scope="module")
def loglog() -> AdaptiveSpline:
    return autoknots(nfw_sigma, 1e-4, 1e4, rtol=1e-10, x_scale="log", y_scale="log")


# -- small knot counts: the not-a-knot spline reproduces polynomials of its degree exactly ------
@pytest.mark.parametrize(("n", "degree"), [(2, 1), (3, 2), (4, 3), (5, 3), (9, 3)])
def test_not_a_knot_reproduces_polynomials(n: int, degree: int) -> None:
    coef = [0.3, -1.2, 0.7, 0.25][: degree + 1]
    x = np.array([0.0, 0.3, 1.1, 1.7, 2.0, 2.6, 3.1, 3.3, 4.0])[:n]
    s = AdaptiveSpline.__new__(AdaptiveSpline)
    from numkit._core.splines import SplineCore as _SplineCore
    from numkit._core.splines import XScale, YScale

    s.__init__(
        _SplineCore(x, np.polyval(coef[::-1], x), XScale.linear, YScale.linear),
        nfev=n,
        n_passes=1,
        converged=True,
        max_error_estimate=0.0,
        rtol=0.0,
        atol=0.0,
    )
    t = np.linspace(x[0], x[-1], 101)
    np.testing.assert_allclose(s(t), np.polyval(coef[::-1], t), rtol=0, atol=1e-13)
    dcoef = np.polyder(np.array(coef[::-1]))
    np.testing.assert_allclose(s(t, 1), np.polyval(dcoef, t), rtol=0, atol=1e-12)


@pytest.mark.parametrize("n0", [2, 3, 4])
def test_tiny_starts_converge(n0: int) -> None:
    s = autoknots(np.exp, 0.0, 1.0, rtol=1e-10, n0=n0)
    t = np.linspace(0, 1, 1001)
    assert np.max(np.abs(s(t) / np.exp(t) - 1)) <= 1e-10


# -- derivatives: chain rule through the scales --------------------------------------------------
@pytest.mark.parametrize("x_scale", ["linear", "log", "asinh"])
@pytest.mark.parametrize("y_scale", ["linear", "log"])
def test_derivatives_wrt_x(x_scale: str, y_scale: str) -> None:
    # f = x^2.5 e^{-x/3} on [0.5, 20]; analytic derivatives. A cubic spline's k-th derivative
    # loses about k powers of h (h ~ 1e-3 .. 2.5e-2 here at rtol 1e-12); the third derivative is
    # piecewise constant, so its error is O(h): measured 2e-4 .. 7e-3. A chain-rule mistake is O(1).
    p = 2.5

    def f(x):
        return x**p * np.exp(-x / 3)

    def d(x, nu):
        terms = {
            1: (p / x - 1 / 3),
            2: (p / x - 1 / 3) ** 2 - p / x**2,
            3: (p / x - 1 / 3) ** 3 - 3 * (p / x - 1 / 3) * p / x**2 + 2 * p / x**3,
        }
        return f(x) * terms[nu]

    s = autoknots(f, 0.5, 20.0, rtol=1e-12, x_scale=x_scale, y_scale=y_scale)
    t = np.linspace(0.6, 19.0, 777)
    scale = {1: 1e-9, 2: 2e-6, 3: 2e-2}
    for nu in (1, 2, 3):
        ref = d(t, nu)
        err = np.max(np.abs(s(t, nu) - ref)) / np.max(np.abs(ref))
        assert err < scale[nu], (nu, err)
        np.testing.assert_array_equal(s.derivative(nu)(t), s(t, nu))
    np.testing.assert_array_equal(s.derivative(1).derivative(2)(t), s(t, 3))


def test_power_law_is_exact_in_log_log() -> None:
    # ln y = 2.5 ln x + ln 3 is a straight line in (ln x, ln y): every derivative is exact.
    s = autoknots(lambda x: 3.0 * x**2.5, 1e-3, 1e3, rtol=1e-12, x_scale="log", y_scale="log")
    t = np.geomspace(1e-3, 1e3, 301)
    np.testing.assert_allclose(s(t), 3 * t**2.5, rtol=1e-13)
    np.testing.assert_allclose(s(t, 1), 7.5 * t**1.5, rtol=1e-12)
    np.testing.assert_allclose(s(t, 2), 11.25 * t**0.5, rtol=1e-11)
    np.testing.assert_allclose(s(t, 3), 5.625 * t**-0.5, rtol=1e-10)
    assert s.integrate(1.0, 10.0) == pytest.approx(3 * (10**3.5 - 1) / 3.5, rel=1e-14)


def test_high_order_on_linear_scales_is_zero(lin: AdaptiveSpline) -> None:
    assert lin(1.0, nu=4) == 0.0
    with pytest.raises(ValueError, match="nu must be <= 3"):
        autoknots(np.exp, 1.0, 2.0, x_scale="log")(1.5, nu=4)


# -- integrals: of y dx, in the user's coordinates -----------------------------------------------
def _damped_integral(a: float, b: float) -> float:
    # int e^{-x} sin(10x) dx = -e^{-x} (sin 10x + 10 cos 10x) / 101
    def prim(x):
        return -np.exp(-x) * (np.sin(10 * x) + 10 * np.cos(10 * x)) / 101

    return float(prim(b) - prim(a))


@pytest.mark.parametrize(("a", "b"), [(0.0, 10.0), (0.3, 0.31), (2.0, 7.5), (9.0, 1.0)])
def test_integrate_linear(lin: AdaptiveSpline, a: float, b: float) -> None:
    assert lin.integrate(a, b) == pytest.approx(_damped_integral(a, b), rel=1e-9, abs=1e-13)


def test_integrate_log_log_against_analytic_mass() -> None:
    # int_a^b Sigma(X) X dX = (b^2 mean(b) - a^2 mean(a)) / 2: the spline of Sigma X in ln-ln,
    # integrated in x (Gauss-Legendre on each transformed piece), against the closed form.
    s = autoknots(lambda x: nfw_sigma(x) * x, 1e-4, 1e4, rtol=1e-10, x_scale="log", y_scale="log")

    def mass(x):
        return x * x * nfw_mean_sigma(np.array([x]))[0] / 2

    for a, b in [(1e-4, 1e4), (1e-4, 1e-2), (0.5, 2.0), (10.0, 1e4), (0.99, 1.01)]:
        assert s.integrate(a, b) == pytest.approx(mass(b) - mass(a), rel=1e-10)
    F = s.antiderivative()
    x = np.geomspace(1e-4, 1e4, 50)
    want = np.array([mass(v) - mass(1e-4) for v in x])
    np.testing.assert_allclose(F(x), want, rtol=1e-10, atol=1e-18)
    assert F.derivative() is s


def test_antiderivative_linear(lin: AdaptiveSpline) -> None:
    F = lin.antiderivative()
    x = np.linspace(0, 10, 101)
    want = np.array([_damped_integral(0.0, v) for v in x])
    np.testing.assert_allclose(F(x), want, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(F(x, nu=1), lin(x))
    for bad in (0, 33):
        with pytest.raises(ValueError, match=r"nu must be in 1\.\.32"):
            lin.antiderivative(bad)


def test_integrate_outside_domain(lin: AdaptiveSpline) -> None:
    assert np.isnan(lin.integrate(-1.0, 1.0))
    assert np.isfinite(lin.integrate(-0.1, 1.0, extrapolate=True))


# -- roots and conversions ------------------------------------------------------------------------
def test_roots(lin: AdaptiveSpline) -> None:
    # zeros of sin(10 x) on [0, 10]: k pi / 10, k = 0 .. 31
    want = np.arange(32) * np.pi / 10
    got = lin.roots()
    assert len(got) == 32
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)
    assert loglog_roots_empty()


def loglog_roots_empty() -> bool:
    return autoknots(np.exp, 0.0, 1.0, y_scale="log").roots().size == 0


def test_roots_asinh_scale() -> None:
    s = autoknots(lambda x: x**3 - 8.0, -100.0, 100.0, rtol=1e-10, atol=1e-10, x_scale="asinh")
    np.testing.assert_allclose(s.roots(), [2.0], rtol=1e-10)


def test_a_root_at_a_knot_is_reported_once() -> None:
    # arctan's zero sits on the knot u = 0: both pieces found it, and roots() gave [-4e-19, 0].
    s = autoknots(np.arctan, -1e6, 1e6, rtol=1e-10, x_scale="asinh")
    r = s.roots()
    assert r.size == 1 and abs(r[0]) < 1e-15


def test_to_scipy(lin: AdaptiveSpline, loglog: AdaptiveSpline) -> None:
    pp = lin.to_scipy()
    x = np.linspace(0, 10, 1001)
    np.testing.assert_allclose(pp(x), lin(x), rtol=1e-14, atol=1e-17)
    np.testing.assert_allclose(pp(x, 2), lin(x, 2), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="transformed=True"):
        loglog.to_scipy()
    ppt = loglog.to_scipy(transformed=True)
    t = np.geomspace(1e-4, 1e4, 101)
    np.testing.assert_allclose(np.exp(ppt(np.log(t))), loglog(t), rtol=1e-14)


# -- objects: pickling, repr, properties ----------------------------------------------------------
def test_pickle_roundtrip(loglog: AdaptiveSpline) -> None:
    t = np.geomspace(1e-4, 1e4, 1001)
    for obj in (loglog, loglog.derivative(2), loglog.antiderivative()):
        back = pickle.loads(pickle.dumps(obj))
        np.testing.assert_array_equal(back(t), obj(t))
    back = pickle.loads(pickle.dumps(loglog))
    for attr in ("nfev", "n_passes", "converged", "max_error_estimate", "x_scale", "y_scale"):
        assert getattr(back, attr) == getattr(loglog, attr)
    np.testing.assert_array_equal(back.knots, loglog.knots)
    np.testing.assert_array_equal(back.values, loglog.values)


def test_properties(loglog: AdaptiveSpline) -> None:
    k = loglog.knots
    assert k[0] == 1e-4 and k[-1] == 1e4 and np.all(np.diff(k) > 0)
    np.testing.assert_allclose(loglog.values, nfw_sigma(k), rtol=1e-15)
    np.testing.assert_allclose(loglog(k), loglog.values, rtol=1e-14)  # interpolates f at the knots
    assert k.size <= loglog.nfev <= k.size + 5 and loglog.n_passes >= 2 and loglog.converged
    assert "AdaptiveSpline(" in repr(loglog) and "nfev=" in repr(loglog)


def test_f_called_once_per_pass_with_all_points() -> None:
    calls: list[int] = []

    def f(x):
        assert isinstance(x, np.ndarray) and x.dtype == np.float64 and x.ndim == 1
        calls.append(x.size)
        return np.cos(x)

    s = autoknots(f, 0.0, 3.0, rtol=1e-9)
    assert len(calls) == s.n_passes and sum(calls) == s.nfev
    assert calls[0] == 6  # n0 starting knots


def test_scalar_f() -> None:
    import math

    s = autoknots(math.cos, 0.0, 3.0, rtol=1e-9, vectorized=False)
    v = autoknots(np.cos, 0.0, 3.0, rtol=1e-9)
    np.testing.assert_array_equal(s.knots, v.knots)
    assert s.nfev == v.nfev


# -- evaluation inputs ----------------------------------------------------------------------------
def test_evaluation_inputs(lin: AdaptiveSpline) -> None:
    assert isinstance(lin(1.0), float)
    assert lin(np.float32(1.0)).dtype == np.float32
    x32 = np.linspace(0, 10, 11, dtype=np.float32)
    assert lin(x32).dtype == np.float32
    assert lin(np.arange(3)).dtype == np.float64
    assert lin(np.empty(0)).shape == (0,)
    assert lin(np.ones((2, 3, 4))).shape == (2, 3, 4)
    out = lin(np.array([np.nan, -1.0, 11.0, np.inf, -np.inf, 5.0]))
    assert np.all(np.isnan(out[:5])) and np.isfinite(out[5])
    ext = lin(np.array([-0.1, 10.1]), extrapolate=True)
    assert np.all(np.isfinite(ext))
    assert np.isnan(lin(np.nan, extrapolate=True))
    with pytest.raises(TypeError, match="real numbers"):
        lin(np.array(["a"]))
    with pytest.raises(TypeError, match="integer"):
        lin(1.0, nu=1.5)
    with pytest.raises(ValueError, match="nu must be >= 0"):
        lin(1.0, nu=-1)


def test_log_scale_extrapolation_below_zero() -> None:
    s = autoknots(np.exp, 1.0, 2.0, x_scale="log")
    assert np.isnan(s(-1.0, extrapolate=True)) and np.isfinite(s(0.5, extrapolate=True))


def test_large_arrays_and_threads(loglog: AdaptiveSpline) -> None:
    # Evaluation releases the GIL on big arrays and keeps no shared search state: threads agree.
    x = np.geomspace(1e-4, 1e4, 400_000)[::-1].copy()
    want = loglog(x)
    results: list[np.ndarray] = [np.empty(0)] * 4

    def work(i: int) -> None:
        results[i] = loglog(x)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, want)
    assert np.max(np.abs(want / nfw_sigma(x) - 1)) <= 1e-10


def test_extreme_ranges() -> None:
    # 600 decades in ln-ln: a power law is a line there, exact after the first pass.
    s = autoknots(np.sqrt, 1e-300, 1e300, rtol=1e-12, x_scale="log", y_scale="log")
    t = np.geomspace(1e-300, 1e300, 1001)
    np.testing.assert_allclose(s(t), np.sqrt(t), rtol=1e-12)
    assert s.nfev < 30
    # Near the float limits on a linear scale b - a overflows: rejected with the alternative named.
    with pytest.raises(ValueError, match="asinh"):
        autoknots(np.tanh, -1.7e308, 1.7e308)
    big = autoknots(np.tanh, -1.7e308, 1.7e308, rtol=1e-10, atol=1e-14, x_scale="asinh")
    t = np.concatenate([-np.geomspace(1.7e308, 1e-3, 500), np.geomspace(1e-3, 1.7e308, 500)])
    assert np.max(np.abs(big(t) - np.tanh(t)) / (1e-10 * np.abs(np.tanh(t)) + 1e-14)) <= 1.0


def test_pickles_of_every_earlier_layout_load(loglog: AdaptiveSpline) -> None:
    # The pickle is _rebuild(knots, values, x_scale, y_scale, six build fields[, u[, sing]]):
    # pickles written before u (and before sing) existed must still load, to the same values.
    rebuild, args = loglog.__reduce__()
    x = np.geomspace(*loglog.domain, 50)
    for kept in (10, 11, 12):
        back = rebuild(*args[:kept])
        assert (back.nfev, back.converged, back.rtol) == (loglog.nfev, True, loglog.rtol)
        np.testing.assert_allclose(back(x), loglog(x), rtol=1e-14)
