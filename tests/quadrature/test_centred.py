"""centred_bq_weights: polynomial exactness (closed-form moments), its worst-case error std
against a 40-digit mpmath evaluation of the BQ error functional, and the gain over plain BQ on a
large, nearly constant integrand."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from numkit.quadrature import bq_weights, centred_bq_weights

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("kernel", ["matern32", "matern52", "matern72", "wiener"])
@pytest.mark.parametrize("degree", [0, 2, 3])
def test_exact_on_polynomials_up_to_degree(kernel, degree):
    a, b = -0.3, 0.9
    x = np.sort(RNG.uniform(a, b, 7))
    w = centred_bq_weights(x, kernel=kernel, lengthscale=0.5, degree=degree, domain=(a, b))
    for k in range(degree + 1):
        exact = (b ** (k + 1) - a ** (k + 1)) / (k + 1)
        assert w.weights @ x**k == pytest.approx(exact, rel=1e-12, abs=1e-13)


def _matern52(r, ell):
    u = mp.sqrt(5) * abs(r) / ell
    return (1 + u + u**2 / 3) * mp.exp(-u)


def test_std_is_the_worst_case_error_of_the_centred_weights():
    # var(w) = int int k - 2 w.z + w.K.w, evaluated in 40-digit arithmetic for the returned w
    a, b, ell = 0.0, 0.1, 0.3
    x = np.linspace(a, b, 6)
    res = centred_bq_weights(x, kernel="matern52", lengthscale=ell, degree=2, domain=(a, b))
    with mp.workdps(40):
        L = mp.mpf(b - a)
        total = 2 * mp.quad(lambda r: (L - r) * _matern52(r, ell), [0, L])
        xs = [mp.mpf(float(v)) for v in x]
        ws = [mp.mpf(float(v)) for v in res.weights]
        z = [mp.quad(lambda t, xi=xi: _matern52(xi - t, ell), [a, xi, b]) for xi in xs]
        var = total - 2 * mp.fsum(w * zi for w, zi in zip(ws, z))
        var += mp.fsum(
            ws[i] * ws[j] * _matern52(xs[i] - xs[j], ell)
            for i in range(len(xs))
            for j in range(len(xs))
        )
        ref = float(mp.sqrt(var))
    assert res.std == pytest.approx(ref, rel=1e-6)
    assert res.std >= bq_weights(x, kernel="matern52", lengthscale=ell).std


def test_centring_helps_on_a_large_nearly_constant_integrand():
    # f = 15 + exp(-3 t) on [0, 0.1]: the integral-RL utility's shape (measured gains 60x .. 1e4x)
    t = np.linspace(0.0, 0.1, 5)
    f = 15 + np.exp(-3 * t)
    exact = 1.5 + (1 - np.exp(-0.3)) / 3
    plain = abs(bq_weights(t, kernel="matern72", lengthscale=0.3).weights @ f - exact)
    for degree, gain in ((0, 3.0), (3, 50.0)):
        w = centred_bq_weights(t, kernel="matern72", lengthscale=0.3, degree=degree).weights
        assert abs(w @ f - exact) * gain < plain


def test_bad_degree():
    with pytest.raises(ValueError, match="degree must be in"):
        centred_bq_weights(np.linspace(0, 1, 5), lengthscale=1.0, degree=4)
    with pytest.raises(TypeError, match="degree must be a non-negative integer"):
        centred_bq_weights(np.linspace(0, 1, 5), lengthscale=1.0, degree=1.5)
    with pytest.raises(ValueError, match="degree must be a non-negative integer"):
        centred_bq_weights(np.linspace(0, 1, 5), lengthscale=1.0, degree=-1)
