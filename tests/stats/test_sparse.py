"""scipy.sparse input (TF-IDF text) for fit_vmf and VMFMixture, without densifying: the same
answers as the dense arrays (to rounding), and a matrix too big to densify still fits."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.stats import VMFMixture, VonMisesFisher, fit_vmf, vmf_log_normalizer_e
from scipy import sparse

from .helpers import random_direction

FORMATS = [
    sparse.csr_matrix,
    sparse.csc_matrix,
    sparse.coo_matrix,
    sparse.csr_array,
    sparse.csc_array,
]


def sparse_clusters(seed: int = 0) -> np.ndarray:
    """Three clusters of non-negative, mostly-zero unit rows (as TF-IDF rows are)."""
    rng = np.random.default_rng(seed)
    p = 300
    rows = []
    for _ in range(3):
        support = rng.choice(p, 30, replace=False)
        for _row in range(40):
            x = np.zeros(p)
            cols = rng.choice(support, 12, replace=False)
            x[cols] = rng.uniform(0.5, 1.5, 12)
            rows.append(x / np.linalg.norm(x))
    return np.array(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_fit_vmf_sparse_equals_dense(fmt: type) -> None:
    x = VonMisesFisher(random_direction(40, 1), 60.0).rvs(200, random_state=2)
    x[np.abs(x) < 0.05] = 0.0
    w = np.random.default_rng(3).uniform(0.5, 2.0, 200)
    for normalize, data in ((True, 3.0 * x), (False, x / np.linalg.norm(x, axis=1)[:, None])):
        dense = fit_vmf(data, w, normalize=normalize)
        sp = fit_vmf(fmt(data), w, normalize=normalize)
        assert sp.kappa == pytest.approx(dense.kappa, rel=1e-13)
        np.testing.assert_allclose(sp.mu, dense.mu, rtol=0, atol=1e-15)
    bad = sparse.csr_matrix(3.0 * x)
    with pytest.raises(ValueError, match="unit vectors"):
        fit_vmf(bad)
    bad.data[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit_vmf(bad, normalize=True)
    with pytest.raises(TypeError, match="real numeric"):
        fit_vmf(sparse.csr_matrix(x.astype(complex)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_mixture_sparse_equals_dense(fmt: type) -> None:
    X = sparse_clusters()
    y = np.repeat(np.arange(3), 40)
    dense = VMFMixture(3, random_state=0).fit(X)
    sp = VMFMixture(3, random_state=0).fit(fmt(X))
    np.testing.assert_array_equal(sp.labels_, dense.labels_)
    np.testing.assert_allclose(sp.means_, dense.means_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(sp.kappas_, dense.kappas_, rtol=1e-10)
    assert sp.score(fmt(X)) == pytest.approx(dense.score(X), rel=1e-12)
    np.testing.assert_array_equal(sp.predict(fmt(X)), dense.predict(X))
    # the three supports are disjoint: a perfect clustering
    from .helpers import adjusted_rand_index

    assert adjusted_rand_index(y, sp.labels_) == 1.0
    scaled = VMFMixture(3, random_state=0, normalize=True).fit(fmt(5.0 * X))
    np.testing.assert_array_equal(scaled.labels_, dense.labels_)


def test_sparse_matrix_too_big_to_densify() -> None:
    # n x p = 400 x 2e6 would be 6.4 GB dense; sparse it is 40 KB of data.
    n, p = 400, 2_000_000
    rng = np.random.default_rng(0)
    # two topics: rows draw 10 of 25 columns of their topic, at the two ends of the p columns
    cols = np.concatenate([rng.choice(25, (n // 2, 10)), p - 25 + rng.choice(25, (n // 2, 10))])
    rows = np.repeat(np.arange(n), 10)
    X = sparse.csr_matrix((np.ones(n * 10), (rows, cols.ravel())), shape=(n, p))
    res = fit_vmf(X, normalize=True)
    assert res.dim == p and np.isfinite(res.kappa)
    m = VMFMixture(2, random_state=0, normalize=True).fit(X)
    y = np.repeat([0, 1], n // 2)
    assert sorted(np.bincount(m.labels_)) == [200, 200]
    assert (m.labels_ == y).all() or (m.labels_ != y).all()


def test_sparse_scores_keep_their_accuracy_at_a_sharp_mode() -> None:
    # Sparse rows were scored with 1 - u.mu (absolute error kappa eps): at kappa 5e15 the score
    # was 0.52 nats off and points up to 2 nats; dense rows take |u - mu|^2 / 2. The reference
    # is that gap in longdouble.
    rng = np.random.default_rng(0)
    X = np.zeros((40, 50))
    X[:, :20] = 1 + 1e-7 * rng.normal(size=(40, 20))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    m = VMFMixture(1, max_kappa=1e20).fit(X)
    kappa, mu = float(m.kappas_[0]), m.means_[0]
    assert kappa > 1e15
    d = X.astype(np.longdouble) - mu.astype(np.longdouble)
    want = float(vmf_log_normalizer_e(50.0, kappa)) - kappa * np.asarray(
        0.5 * np.einsum("ij,ij->i", d, d), dtype=np.float64
    )
    for data in (X, sparse.csr_matrix(X)):
        np.testing.assert_allclose(m.score_samples(data), want, rtol=0, atol=1e-6)
