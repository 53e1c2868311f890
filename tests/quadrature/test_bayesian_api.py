"""BayesianQuadrature / bq_weights API: batches, axes, std scaling, MLE, validation, pickling."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from numkit.quadrature import BayesianQuadrature, BQWeights, bq_weights, kernel_matrix

X = np.linspace(0.0, 0.1, 9)


def test_result_objects_unpack_repr_and_are_frozen():
    r = bq_weights(X, kernel="matern32", lengthscale=0.3, domain=(0, 0.1))
    assert isinstance(r, BQWeights)
    w, std = r
    assert w is r.weights and std == r.std
    assert "matern32" in repr(r) and "std=" in repr(r)
    with pytest.raises(ValueError):
        r.weights[0] = 1.0  # read-only
    with pytest.raises(AttributeError):
        r.std = 0.0
    bq = BayesianQuadrature(X, kernel="matern32", lengthscale=0.3, domain=(0, 0.1))
    assert "BayesianQuadrature(kernel='matern32'" in repr(bq)
    with pytest.raises(AttributeError):
        bq.lengthscale = 1.0


def test_integrate_batches_and_axes():
    bq = BayesianQuadrature(X, kernel="matern52", lengthscale=0.3, domain=(0, 0.1))
    Y = np.random.default_rng(1).standard_normal((4, 9, 3))
    integ, std = bq.integrate(Y, axis=1)
    assert integ.shape == (4, 3) and std.shape == (4, 3)
    # summation order differs (BLAS vs einsum): a few ulps of sum |w y| ~ 0.1
    np.testing.assert_allclose(integ, np.einsum("ijk,j->ik", Y, bq.weights), rtol=0, atol=1e-16)
    i0, s0 = bq.integrate(Y[2, :, 1])
    assert i0 == pytest.approx(integ[2, 1], rel=1e-14) and s0 == pytest.approx(std[2, 1])
    only, none = bq.integrate(Y, axis=1, with_std=False)
    assert none is None and np.array_equal(only, integ)


def test_std_scales_with_amplitude_estimate():
    # std = unit std * sqrt(y^T K^-1 y / N); check y^T K^-1 y against a direct dense solve on a
    # well-conditioned case (matern12 Gram, condition ~1e2).
    x = np.linspace(0, 1, 7)
    bq = BayesianQuadrature(x, kernel="matern12", lengthscale=0.2, domain=(0, 1))
    y = np.sin(3 * x) + 0.3
    K = kernel_matrix(x, kernel="matern12", lengthscale=0.2)
    quad = y @ np.linalg.solve(K, y)
    _, std = bq.integrate(y)
    assert std == pytest.approx(bq.std * np.sqrt(quad / x.size), rel=1e-12)
    assert bq.integrate(5 * y).std == pytest.approx(5 * std, rel=1e-13)


def test_log_likelihood_matches_dense_formula():
    x = np.linspace(0, 1, 8)
    y = np.cos(2 * x)
    for kernel in ["matern32", "matern52", "wiener"]:
        bq = BayesianQuadrature(x, kernel=kernel, lengthscale=0.5, domain=(0, 1))
        K = kernel_matrix(x, kernel=kernel, lengthscale=0.5)
        q = y @ np.linalg.solve(K, y)
        n = x.size
        ref = -0.5 * n * np.log(q / n) - 0.5 * np.linalg.slogdet(K)[1] - 0.5 * n
        assert bq.log_likelihood(y) == pytest.approx(ref, rel=1e-10)


def test_mle_recovers_lengthscale_of_gp_samples():
    # 300 paths of a Matern-3/2 GP with lengthscale 0.25 (sampled by a dense Cholesky, well
    # conditioned here): the profiled marginal likelihood should find ~0.25.
    x = np.linspace(0, 1, 25)
    K = kernel_matrix(x, kernel="matern32", lengthscale=0.25)
    L = np.linalg.cholesky(K + 0.0 * np.eye(x.size))
    Y = (L @ np.random.default_rng(7).standard_normal((x.size, 300))).T * 2.0
    bq = BayesianQuadrature(x, kernel="matern32", lengthscale="mle", data=Y, domain=(0, 1))
    assert bq.fit is not None and not bq.fit.at_bound
    assert bq.lengthscale == pytest.approx(0.25, rel=0.1)
    assert "LengthscaleFit" in repr(bq.fit)


def test_mle_at_a_search_bound_warns():
    # smooth data on a short interval: the likelihood grows up to the largest lengthscale
    # (at_bound was True, silently)
    from numkit.quadrature import BQLengthscaleWarning

    t = np.linspace(0, 0.1, 9)
    with pytest.warns(BQLengthscaleWarning, match="upper search bound"):
        bq = BayesianQuadrature(t, lengthscale="mle", data=np.exp(-np.outer([1, 2, 3], t)))
    assert bq.fit is not None and bq.fit.at_bound


def test_pickle_roundtrip():
    bq = BayesianQuadrature(X, kernel="matern72", lengthscale=0.3, domain=(0, 0.1))
    bq2 = pickle.loads(pickle.dumps(bq))
    np.testing.assert_array_equal(bq.weights, bq2.weights)
    assert bq2.std == bq.std and bq2.domain == bq.domain


def test_nan_and_float32_and_huge():
    bq = BayesianQuadrature(X, kernel="matern52", lengthscale=0.3, domain=(0, 0.1))
    y = np.ones(9)
    y[3] = np.nan
    integ, std = bq.integrate(y)
    assert np.isnan(integ) and np.isnan(std)
    y32 = np.ones(9, dtype=np.float32)
    assert bq.integrate(y32).integral == pytest.approx(bq.weights.sum(), rel=1e-6)
    # constants are integrated to rounding even for 2000 nodes
    x = np.linspace(0, 1, 2000)
    w, _ = bq_weights(x, kernel="matern72", lengthscale=5.0, domain=(0, 1))
    assert w.sum() == pytest.approx(1.0, abs=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"nodes": [0.0, 0.2, 1.5], "domain": (0, 1)}, "inside the domain"),
        ({"nodes": [0.0, 0.5, 0.5, 1.0], "domain": (0, 1)}, "distinct"),
        ({"nodes": [0.0, 0.5], "domain": (0, 1), "lengthscale": -1.0}, "lengthscale"),
        ({"nodes": [0.0, 0.5], "domain": (0, 1), "lengthscale": 0.0}, "lengthscale"),
        ({"nodes": [0.0, 0.5], "domain": (0, 1), "lengthscale": np.inf}, "lengthscale"),
        ({"nodes": [0.0, np.nan], "domain": (0, 1)}, "finite"),
        ({"nodes": [[0.0, 0.5]], "domain": (0, 1)}, "1-D"),
        ({"nodes": [], "domain": (0, 1)}, "at least one"),
        ({"nodes": [0.0, 0.5], "domain": (1, 0)}, "a < b"),
        ({"nodes": [0.0, 0.5], "domain": (0, 1), "kernel": "rbf"}, "kernel must be one of"),
        ({"nodes": [0.5]}, "domain is required"),
    ],
)
def test_bad_input_raises_valueerror(kwargs, match):
    kw = {"kernel": "matern52", "lengthscale": 0.3, **kwargs}
    nodes = kw.pop("nodes")
    with pytest.raises(ValueError, match=match):
        bq_weights(nodes, **kw)
    with pytest.raises(ValueError, match=match):
        BayesianQuadrature(nodes, **kw)


def test_bad_integrate_and_mle_input():
    bq = BayesianQuadrature(X, kernel="matern52", lengthscale=0.3, domain=(0, 0.1))
    with pytest.raises(ValueError, match="expected N=9"):
        bq.integrate(np.ones((3, 8)))
    with pytest.raises(ValueError, match="expected N=9"):
        bq.integrate(np.ones((9, 3)), axis=-1)
    with pytest.raises(ValueError, match="data="):
        BayesianQuadrature(X, lengthscale="mle", domain=(0, 0.1))
    with pytest.raises(ValueError, match="last axis"):
        BayesianQuadrature(X, lengthscale="mle", data=np.ones(8), domain=(0, 0.1))
    with pytest.raises(ValueError, match="'mle'"):
        BayesianQuadrature(X, lengthscale="auto", domain=(0, 0.1))


@pytest.mark.parametrize("kernel", ["matern12", "matern32", "matern52", "matern72", "wiener"])
def test_subnormal_spacing_next_to_a_unit_one_does_not_raise(kernel):
    # (the spacing-ratio warning computed exp(744) and raised OverflowError; found by the fuzz)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the uneven-spacing warning is right
        w = bq_weights(np.array([0.0, 1.0, 5e-324]), kernel=kernel, lengthscale=1e-300)
    assert np.all(np.isfinite(w.weights)) and np.isfinite(w.std)
