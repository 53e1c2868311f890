"""gregory / gregory_weights: exact rational weights (Boole, the published Gregory end weights),
exactness degree on monomials, the convergence order on a smooth integrand (closed form), errors."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from numkit.quadrature import gregory, gregory_weights


def test_order_six_on_five_samples_is_boole():
    assert np.allclose(gregory_weights(5, order=6) * 90, [28, 128, 48, 128, 28], rtol=0, atol=1e-13)


@pytest.mark.parametrize(
    ("order", "ends"),
    [
        (2, ["1/2", "1"]),
        (4, ["3/8", "7/6", "23/24", "1"]),
        (6, ["95/288", "317/240", "23/30", "793/720", "157/160", "1"]),
    ],
)
def test_end_weights_are_the_published_gregory_weights(order, ends):
    # Fornberg, SIAM Review 63 (2021), table 1 (the end weights of the Gregory rules).
    w = gregory_weights(20, order=order)
    expected = [float(Fraction(e)) for e in ends]
    assert np.allclose(w[: len(ends)], expected, rtol=0, atol=1e-15)
    assert np.allclose(w[::-1][: len(ends)], expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("order", "n"),
    [(o, n) for o in (4, 6, 8, 10) for n in (5, 7, 9, 12, 15, 31) if n >= o - 1],
)
def test_exact_on_polynomials_of_degree_order_minus_one(order, n):
    x = np.linspace(-1.0, 2.0, n)
    for degree in range(order):
        exact = (2.0 ** (degree + 1) - (-1.0) ** (degree + 1)) / (degree + 1)
        assert gregory(x**degree, x, order=order) == pytest.approx(exact, rel=1e-13, abs=1e-13)
    # and not one degree more (the order is what it says)
    exact = (2.0 ** (order + 1) - (-1.0) ** (order + 1)) / (order + 1)
    assert abs(gregory(x**order, x, order=order) - exact) > 1e-10


@pytest.mark.parametrize("order", [2, 4, 6, 8])
def test_convergence_order_on_exp(order):
    errs = []
    for n in (33, 65):
        t = np.linspace(0.0, 1.0, n)
        errs.append(abs(gregory(np.exp(3 * t), t, order=order) - (np.exp(3.0) - 1) / 3))
    assert np.log2(errs[0] / errs[1]) == pytest.approx(order, abs=0.35)


def test_axis_dx_and_batches():
    t = np.linspace(0.0, 0.5, 9)
    Y = np.stack([np.sin(t), np.cos(t)], axis=0)
    out = gregory(Y.T, dx=t[1], axis=0)
    assert out.shape == (2,)
    assert np.allclose(out, [1 - np.cos(0.5), np.sin(0.5)], rtol=1e-9)
    assert gregory(Y, t)[1] == pytest.approx(np.sin(0.5), rel=1e-9)


def test_bad_input():
    with pytest.raises(ValueError, match="order must be one of"):
        gregory(np.ones(9), order=5)
    with pytest.raises(ValueError, match="at least 5 samples"):
        gregory(np.ones(4), order=6)
    with pytest.raises(ValueError, match="equispaced"):
        gregory(np.ones(5), x=[0, 1, 2, 3, 5])
    with pytest.raises(ValueError, match="n must be an integer"):
        gregory_weights(1)
    with pytest.raises(TypeError, match="y must be"):
        gregory(["a", "b", "c"])
