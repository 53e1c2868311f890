"""Repeated integrals (antiderivative of order nu) against mpmath's quadrature of Cauchy's formula.

F_nu(x) = int_a^x (x - t)^(nu - 1) / (nu - 1)! f(t) dt. The spline's own error bounds the error of
F_nu: |F_nu - G_nu| <= int_a^x (x - t)^(nu - 1) / (nu - 1)! |f - s| dt <= tol * F_nu[|f|] when
|f - s| <= tol |f| pointwise. The tests allow 10 x the spline's rtol in that bound (the rtol is met
at the midpoints; between them it is an estimate), plus rounding.
"""

from __future__ import annotations

import math
import pickle

import mpmath
import numpy as np
import pytest
from numkit.splines import SplineAntiderivative, autoknots


def cauchy_reference(f_mp, a: float, x: float, nu: int) -> float:
    """int_a^x (x - t)^(nu - 1) / (nu - 1)! f(t) dt in 20-digit arithmetic."""
    mpmath.mp.dps = 20
    fact = mpmath.factorial(nu - 1)
    # many panels (peaked integrands on long ranges): the reference must not be the error
    if a > 0:
        pts = [mpmath.mpf(v) for v in np.geomspace(a, x, 13)]
    else:
        pts = sorted({float(v) for v in np.linspace(a, x, 13)} | ({0.0} if a < 0 < x else set()))
    return float(mpmath.quad(lambda t: (x - t) ** (nu - 1) / fact * f_mp(t), pts))


CASES = {
    # name: (f numpy, f mpmath, a, b, options, rtol of the spline)
    "damped, linear": (
        lambda x: np.exp(-x) * np.sin(10 * x) + 2,
        lambda t: mpmath.exp(-t) * mpmath.sin(10 * t) + 2,
        0.0,
        3.0,
        {},
        1e-10,
    ),
    "power law, log-log (spline exact)": (
        lambda x: x**-1.7,
        lambda t: t**-1.7,
        1e-2,
        1e2,
        {"x_scale": "log", "y_scale": "log"},
        1e-12,
    ),
    "gaussian, linear x, log y": (
        lambda x: np.exp(-(x**2)),
        lambda t: mpmath.exp(-(t**2)),
        -3.0,
        3.0,
        {"y_scale": "log"},
        1e-10,
    ),
    "lorentzian, asinh x": (
        lambda x: 1 / (1 + x**2),
        lambda t: 1 / (1 + t**2),
        -50.0,
        80.0,
        {"x_scale": "asinh"},
        1e-10,
    ),
    "NFW-like, log-log": (
        lambda x: 1 / (x * (1 + x) ** 2),
        lambda t: 1 / (t * (1 + t) ** 2),
        1e-3,
        1e3,
        {"x_scale": "log", "y_scale": "log"},
        1e-10,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("nu", [1, 2, 3, 5])
def test_repeated_integral_matches_cauchy_formula(name: str, nu: int) -> None:
    f, f_mp, a, b, options, rtol = CASES[name]
    s = autoknots(f, a, b, rtol=rtol, **options)
    F = s.antiderivative(nu)
    if options.get("x_scale") == "log":
        xs = np.geomspace(a, b, 5)[1:]
    else:
        xs = np.linspace(a, b, 5)[1:]
    got = F(xs)
    for x, g in zip(xs, got):
        want = cauchy_reference(f_mp, a, float(x), nu)
        # f > 0 in every case, so F_nu[|f|] = F_nu[f] = want
        assert abs(g - want) <= 10 * rtol * abs(want) + 1e-15 * abs(want), (x, g, want)
    assert F(a) == 0.0


def test_exact_for_a_cubic_in_linear_scales() -> None:
    # The spline of a cubic is the cubic: F_nu is a polynomial known in closed form.
    c = [0.5, -2.0, 1.0, 3.0]  # 0.5 x^3 - 2 x^2 + x + 3 on [-1, 2]
    s = autoknots(lambda x: np.polyval(c, x), -1.0, 2.0, rtol=0.0, atol=1e-12, refine=0)
    x = np.linspace(-1.0, 2.0, 31)
    p = np.poly1d(c)
    for nu in (1, 2, 4, 7):
        q = p.integ(m=nu)
        # integration constants: F_nu and its first nu - 1 derivatives vanish at a = -1
        want = q(x) - sum(q.deriv(k)(-1.0) * (x + 1.0) ** k / math.factorial(k) for k in range(nu))
        np.testing.assert_allclose(s.antiderivative(nu)(x), want, rtol=1e-13, atol=1e-13)


def test_derivatives_of_the_antiderivative_step_down() -> None:
    s = autoknots(lambda x: x**-1.3, 0.1, 10.0, rtol=1e-10, x_scale="log", y_scale="log")
    F3 = s.antiderivative(3)
    x = np.geomspace(0.1, 10.0, 17)
    np.testing.assert_array_equal(F3(x, nu=1), s.antiderivative(2)(x))
    np.testing.assert_array_equal(F3(x, nu=3), s(x))
    np.testing.assert_array_equal(F3(x, nu=4), s(x, nu=1))
    assert isinstance(F3.derivative(), SplineAntiderivative) and F3.derivative().order == 2
    assert F3.derivative(3) is s
    assert s.antiderivative(1).antiderivative(2).order == 3
    # d/dx F_2 = F_1, checked by a central difference (not by construction)
    h = 1e-5
    for t in (0.3, 1.0, 4.0):
        slope = (s.antiderivative(2)(t + h) - s.antiderivative(2)(t - h)) / (2 * h)
        assert slope == pytest.approx(s.antiderivative(1)(t), rel=1e-8)


def test_outside_domain_nan_unless_extrapolate_and_pickles() -> None:
    s = autoknots(lambda x: np.exp(-x) * np.sin(10 * x), 0.0, 2.0, rtol=1e-8, atol=1e-12)
    F = s.antiderivative(2)
    assert np.isnan(F(2.5)) and np.isnan(F(-0.5)) and np.isnan(F(np.nan))
    assert np.isfinite(F(2.5, extrapolate=True))
    x = np.linspace(0, 2, 11).astype(np.float32)
    assert F(x).dtype == np.float32
    assert F(np.empty((0, 3))).shape == (0, 3)
    back = pickle.loads(pickle.dumps(F))
    assert back.order == 2
    np.testing.assert_array_equal(back(np.linspace(0, 2, 11)), F(np.linspace(0, 2, 11)))


def _power_law_integral(p: float, a: float, x: float, order: int, g_exp: bool) -> float:
    """order-fold integral from a of (t - a)^p (times e^(t - a) if g_exp) at x: the closed form
    of each power, summed over the exponential's series (s^p e^s = sum s^(p + k) / k!)."""

    def term(k):
        q = mpmath.mpf(p) + k
        den = mpmath.fprod(q + j for j in range(1, order + 1))
        return (mpmath.mpf(x) - a) ** (q + order) / (mpmath.factorial(k) * den)

    mpmath.mp.dps = 30
    return float(mpmath.nsum(term, [0, mpmath.inf]) if g_exp else term(0))


@pytest.mark.parametrize("g_exp", [False, True])
@pytest.mark.parametrize(
    ("p", "a"), [(-0.5, 1.0), (-0.9, 1.0), (-0.99, 1.0), (-0.9, 1000.0), (-0.99, 0.0), (0.5, 1.0)]
)
def test_integrals_next_to_a_singular_end_include_the_last_ulp(p, a, g_exp):
    # The spline starts one ulp from the singular end (or at 2.2e-308): that sliver of
    # (x - a)^p held 2.7% of the integral at p = -0.9 (70% at p = -0.99), and was left out.
    def f(x):
        return (x - a) ** p * (np.exp(x - a) if g_exp else 1.0)

    b = a + 1.0
    s = autoknots(f, a, b, sing="left", y_scale="log", rtol=1e-12)
    assert s.converged
    want = _power_law_integral(p, a, b, 1, g_exp)
    assert s.integrate(a, b) == pytest.approx(want, rel=1e-11)
    assert s.integrate(b, a) == pytest.approx(-want, rel=1e-11)
    for order in (1, 2, 3):
        F = s.antiderivative(order)
        assert F(b) == pytest.approx(_power_law_integral(p, a, b, order, g_exp), rel=1e-11)
        assert F(a) == 0.0
    # the mirror image: the singular end on the right
    r = autoknots(lambda x: f(a + b - x), a, b, sing="right", y_scale="log", rtol=1e-12)
    assert r.integrate(a, b) == pytest.approx(want, rel=1e-11)
    assert r.antiderivative()(b) == pytest.approx(want, rel=1e-11)
    assert r.antiderivative()(a) == 0.0


def test_integral_to_a_singular_end_in_a_linear_y_scale_and_a_divergent_one():
    # Linear y: the cubics between the first few doubles next to the end (one ulp apart, far
    # apart in ln of the distance) are its only error, ~2e-6 of the integral of x^-0.9 here
    # (documented); before the sliver was added the error was 2.7%.
    s = autoknots(lambda x: (x - 1.0) ** -0.9, 1.0, 2.0, sing="left", rtol=1e-10)
    assert s.integrate(1.0, 2.0) == pytest.approx(10.0, rel=1e-5)
    # p = -1: the integral diverges
    d = autoknots(lambda x: 1.0 / (x - 1.0), 1.0, 2.0, sing="left", y_scale="log", rtol=1e-10)
    assert d.integrate(1.0, 2.0) == np.inf
    assert d.integrate(1.5, 2.0) == pytest.approx(np.log(2.0), rel=1e-10)  # away from the end
