"""VMFMixture: recovery in p = 1024 (ARI, kappas), monotone EM, determinism, API and bad input."""

from __future__ import annotations

from contextlib import nullcontext

import mpmath as mp
import numpy as np
import pytest
from numkit.stats import NotFittedError, VMFConvergenceWarning, VMFMixture, VonMisesFisher

from . import mpref
from .helpers import adjusted_rand_index, concentrated_rows, random_direction

KAPPAS = (500.0, 1000.0, 2000.0)
SIZES = (300, 400, 500)


@pytest.fixture(scope="module")
def three_clusters() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = 1024
    mus = np.stack([random_direction(p, 10 + j) for j in range(3)])
    X = np.vstack(
        [
            VonMisesFisher(m, k).rvs(n, random_state=j)
            for j, (m, k, n) in enumerate(zip(mus, KAPPAS, SIZES))
        ]
    )
    y = np.repeat(np.arange(3), SIZES)
    return X, y, mus


@pytest.mark.parametrize("assignment", ["soft", "hard"])
def test_recovers_three_components_in_1024_dimensions(three_clusters, assignment: str) -> None:
    X, y, mus = three_clusters
    # per-component kappas, each the MLE of its component
    m = VMFMixture(3, assignment=assignment, shared_kappa=False, random_state=0).fit(X)
    assert m.converged_
    assert adjusted_rand_index(y, m.labels_) >= 0.99
    # match components to the truth by their mean directions
    order = np.argmax(m.means_ @ mus.T, axis=0)
    assert sorted(order) == [0, 1, 2]
    np.testing.assert_allclose(m.kappas_[order], KAPPAS, rtol=0.05)
    np.testing.assert_allclose(m.weights_[order], np.array(SIZES) / sum(SIZES), atol=1e-12)
    assert np.all(np.einsum("kj,kj->k", m.means_[order], mus) > 0.99)
    assert m.means_.shape == (3, 1024) and m.kappas_.shape == (3,) and m.weights_.shape == (3,)


def test_debiased_m_step_removes_the_high_dimensional_bias(three_clusters) -> None:
    X, _, mus = three_clusters
    mle = VMFMixture(3, random_state=0, shared_kappa=False).fit(X)
    deb = VMFMixture(3, random_state=0, shared_kappa=False, estimator="debiased").fit(X)
    o_mle = np.argmax(mle.means_ @ mus.T, axis=0)
    o_deb = np.argmax(deb.means_ @ mus.T, axis=0)
    err_mle = np.abs(mle.kappas_[o_mle] / KAPPAS - 1)
    err_deb = np.abs(deb.kappas_[o_deb] / KAPPAS - 1)
    assert np.all(deb.kappas_[o_deb] < mle.kappas_[o_mle])
    assert err_deb.max() < 0.02 and err_deb.mean() < err_mle.mean()
    with pytest.raises(ValueError, match="estimator"):
        VMFMixture(2, estimator="mom").fit(X)


def test_shared_kappa_and_predict_api(three_clusters) -> None:
    X, y, _ = three_clusters
    m = VMFMixture(3, shared_kappa=True, random_state=0).fit(X)
    assert np.all(m.kappas_ == m.kappas_[0])
    assert min(KAPPAS) < m.kappas_[0] < max(KAPPAS)
    assert adjusted_rand_index(y, m.predict(X)) >= 0.99
    proba = m.predict_proba(X)
    assert proba.shape == (X.shape[0], 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(np.argmax(proba, axis=1), m.predict(X))
    assert m.score(X) == pytest.approx(m.score_samples(X).mean())
    n_par = 3 * 1023 + 1 + 2
    assert m.n_parameters() == n_par
    assert m.bic(X) == pytest.approx(-2 * m.score(X) * X.shape[0] + n_par * np.log(X.shape[0]))
    assert m.aic(X) == pytest.approx(-2 * m.score(X) * X.shape[0] + 2 * n_par)
    # sampling from the fitted mixture: labels follow the weights, points are unit vectors that
    # the mixture assigns back to the component that drew them
    xs, ls = m.sample(600, random_state=1)
    assert xs.shape == (600, 1024) and ls.shape == (600,)
    np.testing.assert_allclose(np.linalg.norm(xs, axis=1), 1.0, atol=1e-14)
    np.testing.assert_array_equal(m.predict(xs), ls)
    np.testing.assert_array_equal(m.sample(5, random_state=2)[0], m.sample(5, random_state=2)[0])
    # the mixture log-density is the log of the weighted component densities
    comps = [VonMisesFisher(mu, k) for mu, k in zip(m.means_, m.kappas_)]
    dens = np.logaddexp.reduce(
        [np.log(w) + c.logpdf(X[:5]) for w, c in zip(m.weights_, comps)], axis=0
    )
    np.testing.assert_allclose(m.score_samples(X[:5]), dens, rtol=1e-12)


def overlapping() -> np.ndarray:
    mus = [np.array([1, 0, 0.0]), np.array([0.8, 0.6, 0]), np.array([0.8, 0, 0.6])]
    return np.vstack(
        [
            VonMisesFisher(m, k).rvs(400, random_state=j)
            for j, (m, k) in enumerate(zip(mus, (5.0, 20.0, 50.0)))
        ]
    )


@pytest.mark.parametrize(
    "kw",
    [{}, {"assignment": "hard"}, {"shared_kappa": True}, {"n_components": 5, "max_iter": 150}],
    ids=["soft", "hard", "shared", "five"],
)
def test_log_likelihood_never_decreases(kw: dict) -> None:
    # Overlapping components in S^2: EM takes many iterations, each an exact maximization.
    # per-component (kappa_prior=0) or shared kappa: exact M-steps, so the guarantee holds
    args = {"n_components": 3, "tol": 1e-12, "max_iter": 400, "random_state": 1, **kw}
    args.setdefault("shared_kappa", False)
    with (
        np.errstate(all="raise"),
        pytest.warns(RuntimeWarning) if kw.get("max_iter") else nullcontext(),
    ):
        m = VMFMixture(**args).fit(overlapping())
    hist = np.array(m.loglik_history_)
    assert len(hist) >= 5
    # rounding of a mean over 1200 points: 1e-13 relative
    assert np.diff(hist).min() >= -1e-13 * np.abs(hist).max()


def test_deterministic_given_random_state() -> None:
    X = overlapping()
    a = VMFMixture(3, random_state=5).fit(X)
    b = VMFMixture(3, random_state=5).fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)
    np.testing.assert_array_equal(a.kappas_, b.kappas_)
    assert a.n_iter_ == b.n_iter_
    c = VMFMixture(3, random_state=np.random.default_rng(5), n_init=3).fit(X)
    assert c.lower_bound_ >= a.lower_bound_ - 1e-9  # best of three seeds


def test_stable_in_16384_dimensions() -> None:
    # log densities ~ 1e5 here: the log-space E-step keeps the responsibilities exact.
    p = 16384
    mus = [random_direction(p, 1), random_direction(p, 2)]
    X = np.vstack(
        [
            VonMisesFisher(m, 2e4).rvs(60, random_state=j).astype(np.float32)
            for j, m in enumerate(mus)
        ]
    )
    m = VMFMixture(2, random_state=0).fit(X)
    y = np.repeat([0, 1], 60)
    assert adjusted_rand_index(y, m.labels_) == 1.0
    assert np.all(np.isfinite(m.kappas_)) and np.all(m.kappas_ > 1e4)
    assert np.isfinite(m.score(X))


def test_bad_input_and_unfitted() -> None:
    X3 = overlapping()
    with pytest.raises(ValueError, match="n_components"):
        VMFMixture(0).fit(X3)
    with pytest.raises(ValueError, match="assignment"):
        VMFMixture(2, assignment="fuzzy").fit(X3)
    with pytest.raises(ValueError, match="max_iter"):
        VMFMixture(2, max_iter=0).fit(X3)
    m = VMFMixture(2)
    with pytest.raises(NotFittedError, match="not fitted"):
        m.predict(np.eye(3))
    with pytest.raises(ValueError, match="unit"):
        m.fit(np.ones((5, 3)))
    with pytest.raises(ValueError, match="NaN"):
        m.fit(np.array([[1.0, 0], [np.nan, 1]]))
    with pytest.raises(ValueError, match="p >= 2"):
        m.fit(np.ones((5, 1)))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    with pytest.raises(ValueError, match="fewer than n_components"):
        VMFMixture(3).fit(np.eye(2))
    fitted = VMFMixture(2, normalize=True, random_state=0).fit(3 * overlapping())
    with pytest.raises(ValueError, match="X has 4 features, but VMFMixture is expecting 3"):
        fitted.predict(np.eye(4))
    assert "n_components=2" in repr(fitted)


def test_kappa_prior_interpolates_between_per_component_and_shared(three_clusters) -> None:
    # The MAP equation A_p(kappa_k) = (|S_k| + tau Rbar) / (N_k + tau): tau = 0 is the
    # per-component MLE, tau -> inf the shared kappa; in between each kappa_k lies between.
    X, _, _ = three_clusters
    per = VMFMixture(3, shared_kappa=False, random_state=0).fit(X)
    shared = VMFMixture(3, random_state=0).fit(X)
    mid = VMFMixture(3, shared_kappa=False, kappa_prior=300.0, random_state=0).fit(X)
    far = VMFMixture(3, shared_kappa=False, kappa_prior=1e12, random_state=0).fit(X)
    order = [np.argmax(m.means_ @ per.means_.T, axis=0) for m in (shared, mid, far)]
    lo = np.minimum(per.kappas_, shared.kappas_[0])
    hi = np.maximum(per.kappas_, shared.kappas_[0])
    k_mid = mid.kappas_[order[1]]
    assert np.all((lo < k_mid) & (k_mid < hi))
    np.testing.assert_allclose(far.kappas_[order[2]], shared.kappas_[0], rtol=1e-6)
    auto = VMFMixture(3, shared_kappa=False, kappa_prior="auto", random_state=0).fit(X)
    assert np.all(np.isfinite(auto.kappas_))


def test_verbose_warm_start_and_plot(capsys: pytest.CaptureFixture) -> None:
    X = overlapping()
    m = VMFMixture(3, n_init=2, verbose=1, random_state=0).fit(X)
    out = capsys.readouterr().out
    assert "init 1/2" in out and "init 2/2" in out and "iterations" in out
    m2 = VMFMixture(3, verbose=2, verbose_interval=5, random_state=0).fit(X)
    assert "iteration 5" in capsys.readouterr().out
    assert m2.converged_
    # warm start: the second fit continues where the first stopped (5 iterations each)
    w = VMFMixture(3, max_iter=5, warm_start=True, shared_kappa=False, random_state=0)
    with pytest.warns(VMFConvergenceWarning):
        w.fit(X)
    first = list(w.loglik_history_)
    with pytest.warns(VMFConvergenceWarning):
        w.fit(X)
    second = w.loglik_history_
    assert second[0] >= first[-1] - 1e-12 and second[-1] > first[-1]
    cold = VMFMixture(3, max_iter=5, shared_kappa=False, random_state=0)
    with pytest.warns(VMFConvergenceWarning):
        assert cold.fit(X).loglik_history_ == first
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = m.plot()
    assert ax.get_xlabel() and ax.get_ylabel() and len(ax.patches) == 3
    plt.close("all")


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("estimator", ["mle", "debiased"])
def test_concentrated_components_keep_kappa_exact(shared: bool, estimator: str) -> None:
    # The M-step solved kappa from 1 - |S_k| / N_k, which cancels: ~eps / (1 - Rbar) relative
    # (1e-4 at kappa ~ 1e12). Two far-apart clusters of angular spread 1e-6 (responsibilities
    # exactly 0 and 1), against mpmath's 1 - Rbar of each cluster's rows.
    a = concentrated_rows(3, 1e-6, 80, seed=1)
    b = -concentrated_rows(3, 1e-6, 120, seed=1)[:, [1, 2, 0]]
    X = np.vstack([a, b])
    mix = VMFMixture(2, shared_kappa=shared, estimator=estimator, max_kappa=1e15, random_state=0)
    mix.fit(X)
    with mp.workdps(60):
        gaps, sizes = [], []
        for rows in (a, b):
            gap, _ = mpref.gap_and_kappa(rows)
            n = rows.shape[0]
            if estimator == "debiased":  # hard responsibilities: sum_i r_i^2 = N
                delta = n * n * gap * (2 - gap) / (n * n - n)
                gap = delta / (1 + mp.sqrt(1 - delta))
            gaps.append(gap)
            sizes.append(n)
        if shared:
            pooled = mp.fsum(g * n for g, n in zip(gaps, sizes)) / sum(sizes)
            gaps = [pooled, pooled]
        # p = 3: A_3 = coth(kappa) - 1 / kappa, so 1 - A_3 = 1 / kappa to e^(-2 kappa)
        refs = [1 / g for g in gaps]
    for rows, ref in zip((a, b), refs):
        k = mix.predict(rows[:1])[0]
        assert np.all(mix.predict(rows) == k)
        assert abs(mix.kappas_[k] / float(ref) - 1) < 1e-8, (mix.kappas_[k], float(ref))
