"""Reproducers of issue 9 (items 3 and 11): each failed before the fix and passes after.

References: 400-digit dense BQ with closed-form kernel integrals (_reference_hp.py), SciPy's
natural cubic spline (the exact flat limit of Matern-3/2 BQ), closed forms and scaling identities.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numkit.quadrature import (
    BayesianQuadrature,
    bq_weights,
    initial_error,
    kernel_matrix,
    kernel_mean,
)
from scipy.interpolate import CubicSpline

from ._reference_hp import dense_bq_closed, mp_initial_variance, mp_kernel_mean

X9 = np.linspace(0.0, 1.0, 9)
P = {"matern12": 0, "matern32": 1, "matern52": 2, "matern72": 3}


def _rel(w, ref):
    return float(np.max(np.abs(w - ref)) / np.max(np.abs(ref)))


# -- item 3: the flat limit (lengthscale >> spacing) -------------------------------------------


@pytest.fixture(scope="module")
def limits():
    """Dense BQ at lengthscale 1e20, 220 digits: within ~1e-20 of the ell -> inf limit."""
    return {k: dense_bq_closed(X9, k, 1e20, (0, 1), dps=220)[0] for k in P}


@pytest.mark.parametrize("kernel", list(P))
@pytest.mark.parametrize("ell", [1e6, 1e30, 1e40, 1e60, 1e80, 1e100, 1e200, 1e300])
def test_flat_limit_weights_converge(kernel, ell, limits):
    # Before: matern72 at 1e40 gave [0.0386, 0.1763, 0.0739] (limit [0.0414, 0.1659, 0.0899]) and
    # std 0.0; matern52 1e60, matern32 1e80, matern12 1e200 (std NaN) likewise; larger values
    # raised "transition covariance is singular". The deviation from the limit is O(1 / ell):
    # 1e-6 at ell = 1e6 is the true difference, not an error.
    w, std = bq_weights(X9, kernel=kernel, lengthscale=ell, domain=(0, 1))
    assert _rel(w, limits[kernel]) <= (1e-13 if ell > 1e15 else 1e-5)
    assert np.isfinite(std) and std >= 0.0


def test_flat_limit_matern32_is_the_natural_cubic_spline():
    # The ell -> inf limit of Matern-3/2 BQ (nodes at both ends) integrates the natural cubic
    # spline through the data (p-fold integrated Brownian motion with a diffuse start).
    x = np.array([0.0, 0.07, 0.3, 0.31, 0.55, 0.9, 1.0])
    eye = np.eye(x.size)
    w_ref = np.array([CubicSpline(x, e, bc_type="natural").integrate(0, 1) for e in eye])
    for ell in (1e30, 1e100, 1e300):
        w, _ = bq_weights(x, kernel="matern32", lengthscale=ell, domain=(0, 1))
        assert _rel(w, w_ref) <= 1e-13


@pytest.mark.parametrize(
    ("kernel", "ell"), [("matern72", 1e40), ("matern52", 1e60), ("matern12", 1e200)]
)
def test_flat_limit_std_matches_400_digit_dense_bq(kernel, ell):
    # Before: std 0.0 (matern72, matern52) and NaN (matern12). The true std is tiny but
    # representable: 1.0e-144, 3.5e-150 and 2.9e-101 here.
    dps = {"matern72": 420, "matern52": 400, "matern12": 320}[kernel]
    w_ref, std_ref = dense_bq_closed(X9, kernel, ell, (0, 1), dps=dps)
    w, std = bq_weights(X9, kernel=kernel, lengthscale=ell, domain=(0, 1))
    assert _rel(w, w_ref) <= 1e-13
    assert std == pytest.approx(std_ref, rel=1e-12)


@pytest.mark.parametrize("kernel", list(P))
def test_flat_limit_std_scaling_and_integrate(kernel):
    # In the limit the std falls as ell^-(p + 1/2); integrate's std (amplitude from the data)
    # stays finite and converges (before: 0 * inf = NaN or an exception).
    p = P[kernel]
    s1 = bq_weights(X9, kernel=kernel, lengthscale=1e40, domain=(0, 1)).std
    s2 = bq_weights(X9, kernel=kernel, lengthscale=1e60, domain=(0, 1)).std
    assert math.log10(s1 / s2) == pytest.approx(20 * (p + 0.5), abs=1e-9)
    y = np.exp(-X9) * np.cos(3 * X9) + X9**5
    stds = [
        BayesianQuadrature(X9, kernel=kernel, lengthscale=e, domain=(0, 1)).integrate(y).std
        for e in (1e40, 1e100, 1e300)
    ]
    assert all(np.isfinite(stds)) and min(stds) > 0
    assert stds[2] == pytest.approx(stds[0], rel=1e-12)


def test_flat_limit_two_nodes_and_tails():
    # Few nodes (N <= p) and nodes away from the ends still converge (the diffuse start is
    # regularized by the prior rows, which stay representable up to ell = 1e300).
    x = np.array([0.25, 0.6])
    ref = bq_weights(x, kernel="matern72", lengthscale=1e30, domain=(0, 1)).weights
    for ell in (1e100, 1e300):
        w = bq_weights(x, kernel="matern72", lengthscale=ell, domain=(0, 1)).weights
        assert _rel(w, ref) <= 1e-12


# -- item 11 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kernel", "gap"), [("matern52", 1e-155), ("matern72", 1e-103), ("matern32", 1e-200)]
)
def test_huge_gap_ratio_is_a_clear_error_not_overflow(kernel, gap):
    # Before: OverflowError from the warning's estimate (ratio ** p). The pair cannot be
    # resolved by the model (transition covariance below the double range): ValueError.
    x = np.array([0.0, gap, 0.5, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="too close"):
            bq_weights(x, kernel=kernel, lengthscale=1.0, domain=(0, 1))


def test_moderately_huge_gap_ratio_warns_with_capped_estimate():
    x = np.array([0.0, 1e-30, 0.5, 1.0])
    with pytest.warns(RuntimeWarning, match=r"1e\+00 of the largest weight"):
        w, std = bq_weights(x, kernel="matern52", lengthscale=1.0, domain=(0, 1))
    assert np.all(np.isfinite(w)) and np.isfinite(std)


def test_std_of_huge_integrand_is_finite_and_scales():
    # Before: integrate(1e200 * y).std was inf (y^T K^-1 y overflowed).
    bq = BayesianQuadrature(X9, kernel="matern52", lengthscale=0.3, domain=(0, 1))
    y = np.exp(-X9)
    s = bq.integrate(y).std
    for c in (1e200, 1e300, -1e300):
        assert bq.integrate(c * y).std == pytest.approx(abs(c) * s, rel=1e-13)
    assert bq.integrate(1e-300 * y).std == pytest.approx(1e-300 * s, rel=1e-13)
    batch = bq.integrate(np.stack([y, 1e250 * y, np.full(9, np.nan)])).std
    assert batch[1] == pytest.approx(1e250 * s, rel=1e-13) and np.isnan(batch[2])


def test_kernel_mean_nan_gives_nan():
    # Before: kernel_mean([nan]) returned 0.
    for k in [*P, "wiener"]:
        z = kernel_mean([np.nan, 0.5], kernel=k, lengthscale=1.0, domain=(0, 1))
        assert np.isnan(z[0]) and np.isfinite(z[1])


@pytest.mark.parametrize("kernel", list(P))
@pytest.mark.parametrize("ell", [1e-300, 1e-200, 1e-10, 1e10, 1e200, 1e300])
def test_initial_error_whole_lengthscale_range(kernel, ell):
    # Before: NaN for ell >= 1e200 and for tiny ell; matern12 at 1e-200 gave 0 (true 1.4e-100).
    import mpmath as mp

    with mp.workdps(60):
        ref = float(mp.sqrt(mp_initial_variance(kernel, mp.mpf(ell), mp.mpf(0), mp.mpf(1))))
    assert initial_error(kernel=kernel, lengthscale=ell, domain=(0, 1)) == pytest.approx(
        ref, rel=1e-14
    )


def test_initial_error_matern12_tiny_lengthscale_value():
    assert initial_error(kernel="matern12", lengthscale=1e-200, domain=(0, 1)) == pytest.approx(
        math.sqrt(2e-200), rel=1e-15
    )


@pytest.mark.parametrize("kernel", list(P))
@pytest.mark.parametrize("ell", [1e-200, 1e-3, 1e3, 1e200])
def test_kernel_mean_whole_lengthscale_range(kernel, ell):
    import mpmath as mp

    x = np.array([0.0, 1e-250, 0.3, 1.0])
    z = kernel_mean(x, kernel=kernel, lengthscale=ell, domain=(0, 1))
    with mp.workdps(60):
        ref = [float(mp_kernel_mean(kernel, mp.mpf(ell), 0, 1, mp.mpf(float(t)))) for t in x]
    np.testing.assert_allclose(z, ref, rtol=1e-14, atol=0)


def test_kernel_matrix_empty():
    # Before: "zero-size array to reduction operation minimum" from inside the function.
    K = kernel_matrix([], kernel="matern52", lengthscale=1.0)
    assert K.shape == (0, 0)


def test_complex_data_under_mle_is_rejected():
    # Before: the imaginary part was dropped silently (a ComplexWarning at most).
    with pytest.raises(TypeError, match="data must be real"):
        BayesianQuadrature(X9, lengthscale="mle", data=np.exp(-X9) * (1 + 1j), domain=(0, 1))


@pytest.mark.parametrize("bounds", [(0.1, 1.0, 3.0), (0.1,), "ab", (1.0, 0.1), (0.0, 1.0)])
def test_bad_bounds_rejected(bounds):
    with pytest.raises(ValueError, match="bounds"):
        BayesianQuadrature(X9, lengthscale="mle", data=np.exp(-X9), domain=(0, 1), bounds=bounds)


@pytest.mark.parametrize("domain", ["01", b"01", (0, 1, 2), (0,), [[0, 1]], (0, 1j)])
def test_bad_domain_rejected(domain):
    with pytest.raises(ValueError, match="domain"):
        bq_weights([0.0, 0.5, 1.0], kernel="matern52", lengthscale=1.0, domain=domain)
    with pytest.raises(ValueError, match="domain"):
        initial_error(kernel="matern52", lengthscale=1.0, domain=domain)


@pytest.mark.parametrize("ell", [1e-301, 1e301, 5e-324])
def test_lengthscale_outside_double_range_rejected(ell):
    with pytest.raises(ValueError, match=r"lengthscale must lie in \[1e-300, 1e300\]"):
        bq_weights(X9, kernel="matern52", lengthscale=ell, domain=(0, 1))


# The kernel's integral over the line, per unit lengthscale: 2 / sqrt(2p + 1) int_0^inf poly e^-u.
_LINE_INTEGRAL = {
    "matern12": 2.0,
    "matern32": 4.0 / math.sqrt(3.0),
    "matern52": 16.0 / (3.0 * math.sqrt(5.0)),
    "matern72": 6.4 / math.sqrt(7.0),
}


@pytest.mark.parametrize("kernel", sorted(_LINE_INTEGRAL))
@pytest.mark.parametrize("ell", [1e-100, 1e-160, 1e-250, 1e-300])
def test_std_at_the_smallest_lengthscales_is_the_uncorrelated_limit(
    kernel: str, ell: float
) -> None:
    # Nodes 0.2 apart are uncorrelated at such lengthscales: the posterior variance of the
    # integral over [0, 1] is its prior one, (b - a) ell c, to ~1e-150. var / lam^2 underflowed
    # to 0 below ell ~ 1e-155 (std 0.0, silently).
    x = np.linspace(0.1, 0.9, 5)
    ref = math.sqrt(_LINE_INTEGRAL[kernel] * ell)
    assert bq_weights(x, kernel=kernel, lengthscale=ell, domain=(0.0, 1.0)).std == pytest.approx(
        ref, rel=1e-13
    )
    bq = BayesianQuadrature(x, kernel=kernel, lengthscale=ell, domain=(0.0, 1.0))
    assert bq.std == pytest.approx(ref, rel=1e-13)


@pytest.mark.parametrize("kernel", ["matern12", "matern52", "wiener"])
@pytest.mark.parametrize("c", [1e-170, 1e-250, 1e-300])
def test_std_of_tiny_integrands_scales_instead_of_underflowing(kernel, c):
    # Before: |W y|^2 underflowed and the std was exactly 0 (a claim that the integral is
    # exact) for y ~ 1e-170 at 7 nodes; the std is linear in y (the amplitude is profiled out).
    x = np.linspace(0.0, 1.0, 7)
    bq = BayesianQuadrature(x, kernel=kernel, lengthscale=0.3)
    y = np.exp(x)
    ref = bq.integrate(y)
    got = bq.integrate(c * y)
    assert got.std == pytest.approx(c * ref.std, rel=1e-13)
    assert got.integral == pytest.approx(c * ref.integral, rel=1e-14)


@pytest.mark.parametrize("c", [1e-300, 1e-160, 1e-155, 1e155, 1e200, 1e300])
def test_likelihood_and_fitted_lengthscale_do_not_depend_on_the_scale_of_the_data(c):
    # Before: y^T K^-1 y under/overflowed: the MLE lengthscale was x2 off at 1e-155 (silently),
    # at the upper bound with a false "not identified" warning at 1e-160, an error at 1e155, and
    # log_likelihood(1e200 y) was -inf. The profiled likelihood obeys L(c y) = L(y) - N log c.
    x = np.linspace(0.0, 1.0, 9)
    d = np.sin(5 * x) + 0.3 * x
    bq = BayesianQuadrature(x, lengthscale=0.5)
    want = bq.log_likelihood(d) - x.size * math.log(c)
    assert bq.log_likelihood(c * d) == pytest.approx(want, rel=1e-12, abs=1e-9)
    ell = BayesianQuadrature(x, lengthscale="mle", data=d).lengthscale
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = BayesianQuadrature(x, lengthscale="mle", data=c * d).lengthscale
    assert fit == pytest.approx(ell, rel=1e-6)


@pytest.mark.parametrize("kernel", [*P, "wiener"])
@pytest.mark.parametrize("width", [5e-324, 1e-320, 1e-310])
def test_subnormal_domain_width_gives_the_scaled_weights(kernel, width):
    # The flat limit ran in s = (t - a) (1 / (b - a)): for b - a below 1 / DBL_MAX that
    # reciprocal is inf and the weights were NaN; Wiener's first weight underflowed to 0.
    # Weights of a domain this narrow are those of [0, 1] (the same flat limit) times the width,
    # up to the subnormal spacing 5e-324 of the result.
    u = np.array([0.0, 0.5, 1.0]) if width > 1e-323 else np.array([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = bq_weights(u * width, kernel=kernel, lengthscale=1.0, domain=(0, width))
        ref = bq_weights(u, kernel=kernel, lengthscale=1e300, domain=(0, 1))
    assert np.all(np.isfinite(r.weights)) and np.isfinite(r.std)
    # at 5e-324 the one weight is the width itself, exactly; wider: within 4 subnormal spacings
    atol = 0.0 if width < 1e-323 else 2e-323
    np.testing.assert_allclose(r.weights, ref.weights * width, rtol=1e-12, atol=atol)


@pytest.mark.parametrize("ell", [1e-300, 1e-100])
def test_wiener_left_tail_weight_of_a_subnormal_domain(ell):
    # One node at b: w = L (ell + L / 2) / (ell + L), L = b - a. Its product L ell underflowed
    # to 0 (weight 0) for L = 1e-310, ell = 1e-300; the closed form in exact rationals.
    from fractions import Fraction

    L = 1e-310
    w = bq_weights(np.array([L]), kernel="wiener", lengthscale=ell, domain=(0, L)).weights[0]
    fl, fe = Fraction(L), Fraction(ell)
    assert w == pytest.approx(float(fl * (fe + fl / 2) / (fe + fl)), rel=1e-12, abs=0.0)
