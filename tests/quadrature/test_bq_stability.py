"""Issue 10, "Bayesian quadrature": the posterior std and the marginal likelihood with nearly
coincident nodes, the batch std as one matrix product, and plot().

References: the exact integral of e^-t cos 3t (closed form), 60-digit dense y^T K^-1 y and
log det K (mpmath), and the invariances the quantities must have.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numkit.quadrature import BayesianQuadrature

from ._reference_hp import dense_quadform_logdet


def _exact(a, b):
    F = lambda s: np.exp(-s) * (3 * np.sin(3 * s) - np.cos(3 * s)) / 10  # noqa: E731
    return F(b) - F(a)


def _issue_case():
    # 129 uniform-random nodes on [0, 2] with the closest pair 7.2e-6 apart (the issue's setup).
    x = np.random.default_rng(171).uniform(0.0, 2.0, 129)
    assert 7e-6 < np.diff(np.sort(x)).min() < 7.3e-6
    return x, np.exp(-x) * np.cos(3 * x)


@pytest.fixture(scope="module")
def issue_fit():
    x, y = _issue_case()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        bq = BayesianQuadrature(x, kernel="matern72", lengthscale="mle", data=y, domain=(0, 2))
    return x, y, bq


def test_mle_std_is_finite_and_covers_the_error(issue_fit):
    # Before: integral error 9.9e-10 with posterior std 0.229 (300% of the value).
    _, y, bq = issue_fit
    integral, std = bq.integrate(y)
    err = abs(integral - _exact(0.0, 2.0))
    assert np.isfinite(std)
    assert err <= std <= 1e-6


def test_log_likelihood_is_smooth_in_the_lengthscale(issue_fit):
    # Before: 1427.98 -> 1017.25 under a 1e-12 relative change of the lengthscale.
    x, y, bq = issue_fit
    ell = bq.lengthscale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        vals = [
            BayesianQuadrature(x, kernel="matern72", lengthscale=e, domain=(0, 2)).log_likelihood(y)
            for e in (ell, ell * (1 + 1e-12), ell * (1 - 1e-12))
        ]
    assert max(abs(v - vals[0]) for v in vals) <= 1e-6 * abs(vals[0])


@pytest.mark.parametrize("kernel", ["matern32", "matern52", "matern72"])
@pytest.mark.parametrize("gap", [1e-3, 1e-5])
def test_quadform_and_logdet_match_dense_with_a_close_pair(kernel, gap):
    # A 9-node grid plus a node `gap` after the middle one (spacing ratio up to 1.25e4): the
    # likelihood's two terms against 60-digit dense linear algebra.
    x = np.sort(np.append(np.linspace(0, 1, 9), 0.5 + gap))
    y = np.exp(-x) * np.cos(3 * x)
    q_ref, ld_ref = dense_quadform_logdet(x, y, kernel, 0.7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        bq = BayesianQuadrature(x, kernel=kernel, lengthscale=0.7, domain=(0, 1))
    n = x.size
    ll_ref = -0.5 * n * np.log(q_ref / n) - 0.5 * ld_ref - 0.5 * n
    # The quadratic form is y^T K^-1 y of the rounded data: condition ~ ratio^(2p+1) amplifies
    # the data's rounding (eps |y|), which the dense reference sees too; 1e-9 relative bar.
    assert bq.log_likelihood(y) == pytest.approx(ll_ref, rel=1e-9, abs=1e-9)
    sigma = bq.integrate(y).std / bq.std
    assert sigma**2 * n == pytest.approx(q_ref, rel=1e-8)


def test_batch_std_equals_row_by_row():
    rng = np.random.default_rng(5)
    for x in (np.linspace(0, 1, 17), np.sort(rng.uniform(0, 1, 30)), np.linspace(0, 1, 100)):
        bq = BayesianQuadrature(x, kernel="matern52", lengthscale=0.4, domain=(0, 1))
        Y = rng.standard_normal((50, x.size))
        _, s = bq.integrate(Y)
        rows = np.array([bq.integrate(y).std for y in Y])
        np.testing.assert_allclose(s, rows, rtol=1e-13)
        # and against the dense quadratic form sqrt(y^T K^-1 y / N) std (well conditioned here)
        from numkit.quadrature import kernel_matrix

        K = kernel_matrix(x, kernel="matern52", lengthscale=0.4)
        if np.linalg.cond(K) < 1e8:
            q = np.einsum("ij,ij->i", Y, np.linalg.solve(K, Y.T).T)
            np.testing.assert_allclose(s, bq.std * np.sqrt(q / x.size), rtol=1e-7)


def test_plot_draws_mean_band_and_nodes():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.linspace(0, 1, 9)
    bq = BayesianQuadrature(x, kernel="matern52", lengthscale=0.3, domain=(0, 1))
    y = np.sin(3 * x)
    ax = bq.plot(y)
    lines = ax.get_lines()
    assert len(lines) == 2 and len(ax.collections) == 1
    t, mean = lines[0].get_data()
    # the posterior mean interpolates the data at the nodes
    np.testing.assert_allclose(np.interp(x, t, mean), y, atol=2e-2)
    np.testing.assert_array_equal(lines[1].get_data()[0], x)
    assert "integral" in ax.get_title()
    with pytest.raises(ValueError, match="node values"):
        bq.plot(np.ones(3))
    plt.close("all")


@pytest.mark.parametrize("gap", [1e-30, 5.198970577047428e-218])
@pytest.mark.parametrize("scale", [1.49322178, 1e300, 3e-300])
def test_wiener_std_with_a_near_coincident_pair_is_the_closed_form(gap, scale):
    # Brownian motion pinned at a - ell: y^T K^-1 y = y_0^2 / (ell + x_0 - a) + sum dy^2 / dx.
    # The near pair's increment is exactly 0 here; in node values its whitener rows are
    # (-s, s) with s = gap^-1/2, and a matrix product with them (an FMA rounding one of the two
    # products) gave std ~1e92 |y| (inf at |y| = 1e300) where the closed form is O(|y|).
    x = np.array([0.0, 1.0, gap, 0.4])
    y = scale * np.exp(-x) * np.cos(3 * x)
    ell = 1.07467
    bq = BayesianQuadrature(x, kernel="wiener", lengthscale=ell, domain=(0, 2))
    order = np.argsort(x)
    xs, ys = x[order], y[order] / scale
    q = ys[0] ** 2 / (ell + xs[0]) + sum(np.diff(ys) ** 2 / np.diff(xs))
    std = bq.integrate(y).std
    assert np.isfinite(std)
    assert std == pytest.approx(bq.std * np.sqrt(q / x.size) * scale, rel=1e-13, abs=0.0)
    assert bq.log_likelihood(y) == pytest.approx(
        bq.log_likelihood(y / scale) - x.size * np.log(scale), rel=1e-12
    )


@pytest.mark.parametrize("gap", [1e-12, 1e-30])
def test_matern12_std_and_likelihood_with_a_near_coincident_pair(gap):
    # Matern-1/2 went through the product form, whose whitener rows (-A s, s), s ~ (2 gap)^-1/2,
    # cancel inside the matrix product: the std was 1% off at gap 1e-30 (0.5801 against 0.5859),
    # silently. It now uses the difference-basis sweep like the smoother kernels.
    x = np.array([0.0, 1.0, gap, 0.4])
    y = 1.49322178 * np.exp(-x) * np.cos(3 * x)
    order = np.argsort(x)
    q_ref, ld_ref = dense_quadform_logdet(x[order], y[order], "matern12", 0.7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        bq = BayesianQuadrature(x, kernel="matern12", lengthscale=0.7, domain=(0, 2))
    n = x.size
    assert bq.integrate(y).std == pytest.approx(bq.std * np.sqrt(q_ref / n), rel=1e-13)
    ll_ref = -0.5 * n * np.log(q_ref / n) - 0.5 * ld_ref - 0.5 * n
    assert bq.log_likelihood(y) == pytest.approx(ll_ref, rel=1e-13, abs=1e-13)
