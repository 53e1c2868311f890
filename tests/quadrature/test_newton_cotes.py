"""trapezoid / simpson / cumulative_trapezoid: exactness on polynomials (analytic references) and
agreement with scipy.integrate (the API contract: same results, same axis and x conventions)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st
from numkit.quadrature import cumulative_trapezoid, simpson, trapezoid

RNG = np.random.default_rng(0)


def irregular(n, a=0.0, b=1.0):
    x = np.sort(RNG.uniform(a, b, n))
    x[0], x[-1] = a, b
    return x


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 17])
def test_trapezoid_exact_on_linear(n):
    x = irregular(n, -1.0, 2.0)
    assert trapezoid(3 * x - 1, x) == pytest.approx(3 * (4 - 1) / 2 - 3, rel=1e-14)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 9, 10, 33])
def test_simpson_exact_on_quadratics_irregular_even_and_odd(n):
    # Each parabola (and Cartwright's end correction for even n) is exact on quadratics for any
    # spacing.
    x = irregular(n)
    assert simpson(1 + x - 2 * x**2, x) == pytest.approx(1 + 1 / 2 - 2 / 3, rel=1e-14)


@pytest.mark.parametrize("n", [3, 5, 9, 33])
def test_simpson_exact_on_cubics_uniform_odd(n):
    x = np.linspace(0, 1, n)
    y = 1 + x - 2 * x**2 + 4 * x**3
    assert simpson(y, dx=x[1]) == pytest.approx(1 + 1 / 2 - 2 / 3 + 1, rel=1e-14)


@pytest.mark.parametrize("func", ["trapezoid", "simpson", "cumulative_trapezoid"])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10])
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("xkind", ["none", "1d", "nd"])
def test_matches_scipy(func, n, axis, xkind):
    shape = [3, 4, 5]
    shape[axis] = n
    y = RNG.standard_normal(shape)
    kw = {"axis": axis}
    if xkind == "none":
        kw["dx"] = 0.37
    elif xkind == "1d":
        kw["x"] = np.cumsum(RNG.uniform(0.1, 1.0, n))
    else:
        kw["x"] = np.cumsum(RNG.uniform(0.1, 1.0, shape), axis=axis)
    ours = getattr(__import__("numkit.quadrature", fromlist=[func]), func)(y, **kw)
    ref = getattr(si, func)(y, **kw)
    np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=1e-13)
    if func == "cumulative_trapezoid":
        np.testing.assert_allclose(
            cumulative_trapezoid(y, initial=0, **kw), si.cumulative_trapezoid(y, initial=0, **kw)
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=12),
    st.lists(st.floats(0.01, 10.0), min_size=11, max_size=11),
)
def test_simpson_matches_scipy_random(ys, hs):
    y = np.array(ys)
    x = np.concatenate([[0.0], np.cumsum(hs[: y.size - 1])])
    np.testing.assert_allclose(simpson(y, x), si.simpson(y, x=x), rtol=1e-12, atol=1e-9)


def test_dtypes_and_special_values():
    y32 = np.linspace(0, 1, 9, dtype=np.float32)
    assert trapezoid(y32).dtype == np.float32
    assert simpson(y32).dtype == np.float32
    assert trapezoid(np.arange(5)).dtype == np.float64
    assert np.isnan(trapezoid([1.0, np.nan, 2.0]))
    assert np.isinf(simpson([1.0, np.inf, 2.0]))
    assert trapezoid([]) == 0.0 and simpson([]) == 0.0 and trapezoid([2.0]) == 0.0
    assert cumulative_trapezoid([1.0]).shape == (0,)
    z = trapezoid(np.array([1 + 1j, 2 + 0j, 3 - 1j]))
    assert z == pytest.approx(4 + 0j)


def test_bad_input():
    with pytest.raises(ValueError, match="x has 4 samples"):
        trapezoid(np.ones(3), np.arange(4.0))
    with pytest.raises(ValueError, match="samples along axis"):
        simpson(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="out of bounds"):
        trapezoid(np.ones(3), axis=1)
    with pytest.raises(ValueError, match="initial"):
        cumulative_trapezoid(np.ones(3), initial=1.0)
    with pytest.raises(TypeError, match="numeric"):
        simpson(["a", "b"])
    with pytest.raises(ValueError, match="dx must be a scalar"):
        trapezoid(np.ones(3), dx=[1.0, 2.0])


def test_huge_batch_uses_one_matrix_product():
    Y = RNG.standard_normal((100_000, 17))
    x = np.linspace(0, 1, 17)
    np.testing.assert_allclose(trapezoid(Y, x), si.trapezoid(Y, x=x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int64, np.bool_])
def test_integer_and_boolean_samples_integrate_in_float64(dtype):
    # Exact integrals of constant samples; these were typed float16 (3 digits, inf past 65504)
    # and summed pairwise in the samples' own dtype (int8 100 + 100 wrapped to -56).
    y = np.full(1001, 1 if dtype is np.bool_ else 100, dtype=dtype)
    c = float(y[0])
    for rule in (trapezoid, simpson):
        got = rule(y, dx=0.5)
        assert got.dtype == np.float64 and got == pytest.approx(500 * c, rel=1e-14)
        got = rule(y, x=np.arange(1001))  # integer sample points
        assert got == pytest.approx(1000 * c, rel=1e-14)
    cum = cumulative_trapezoid(y[:5])
    assert cum.dtype == np.float64
    np.testing.assert_allclose(cum, c * np.arange(1, 5), rtol=1e-15)
    # descending unsigned sample points: their differences wrapped around too
    x = np.array([3, 2, 1], dtype=np.uint8)
    assert trapezoid(np.array([1.0, 1.0, 1.0]), x) == -2.0


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1e-155, 1e103, 1e160, 1e300])
@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_simpson_at_extreme_spacings_is_exact_on_quadratics(scale, n):
    # Simpson (and Cartwright's last interval) integrate x^2 exactly on any grid: spacings
    # squared or cubed underflowed (the middle weight became 0: 1/3 of the integral) or
    # overflowed (-inf, nan) before.
    t = np.array([0.0, 1.0, 2.5, 3.0, 4.5, 5.0])[:n]
    x = t * scale
    y = t**2  # the integrand in units of the grid: the integral is scale * t_max^3 / 3
    assert simpson(y, x=x) == pytest.approx(scale * t[-1] ** 3 / 3, rel=1e-13)


def test_cumulative_trapezoid_of_no_samples_with_initial_raises():
    assert cumulative_trapezoid(np.zeros(0)).shape == (0,)
    with pytest.raises(ValueError, match="initial"):
        cumulative_trapezoid(np.zeros(0), initial=0)


def test_simpson_refuses_complex_x_that_trapezoid_integrates():
    # simpson dropped the imaginary part of x (SciPy too, with a ComplexWarning): 5.33j for the
    # integral of z^2 along 0 -> 2 + 2j, whose value is (2 + 2j)^3 / 3.
    xc = np.array([0, 1 + 1j, 2 + 2j])
    with pytest.raises(TypeError, match="real x"):
        simpson(xc**2, x=xc)
    z = np.linspace(0, 2 + 2j, 2001)
    assert trapezoid(z**2, x=z) == pytest.approx((2 + 2j) ** 3 / 3, rel=1e-6)
