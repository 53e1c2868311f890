"""Issue 9, stats items 7, 8 and 10: each reproducer (a hang, a crash or an unclear error on the
earlier main) with the behaviour it has now. References are closed forms: E[1 - mu.x] of a vMF is
1 - A_p(kappa) ~ (p - 1) / (2 kappa) for kappa >> p; a fit with uniform weights is the unweighted
fit, whatever the weights' scale."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numkit.stats import VMFConvergenceWarning, VMFMixture, VonMisesFisher, fit_vmf, solve_kappa
from numkit.stats._sampling import SamplerError, sample_t

from .helpers import random_direction, unit

DBL_MAX = float(np.finfo(np.float64).max)


@pytest.mark.parametrize("p", [2, 4, 10, 1000])
@pytest.mark.parametrize("kappa", [6.8e153, 1e200, 1e300, DBL_MAX])
def test_rvs_at_huge_kappa_terminates_and_is_right(p: int, kappa: float) -> None:
    # Item 7: 4 kappa^2 overflowed, b = 0, every proposal was 0/0 and the loop never ended.
    mu = random_direction(p, 1)
    x = VonMisesFisher(mu, kappa).rvs(2000, random_state=0)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-14)
    np.testing.assert_allclose(x.mean(axis=0), mu, atol=1e-14)
    # E[1 - t] = (p - 1) / (2 kappa) (1 + O(p / kappa)): checked on the scaled draws of t.
    rng = np.random.default_rng(3)
    _, omt = sample_t(p, kappa, 20000, rng)
    scaled = (omt * kappa) / (0.5 * (p - 1))  # mean 1, sd sqrt(2/(p-1)) per draw
    assert abs(scaled.mean() - 1.0) <= 5 * math.sqrt(2.0 / (p - 1) / 20000)


@pytest.mark.parametrize("kappa", [5e-324, 1e-300, 1e-17])
def test_rvs_at_tiny_kappa_is_uniform(kappa: float) -> None:
    # E[t] = A_p(kappa) ~ kappa / p = 0 to rounding; Var t = 1/p.
    p = 5
    x = VonMisesFisher(unit(p), kappa).rvs(20000, random_state=1)
    t = x[:, 0]
    assert abs(t.mean()) <= 5 * math.sqrt(1.0 / p / 20000)
    assert abs(t.var() * p - 1.0) <= 0.05


class _StuckGenerator:
    """Proposals that are never accepted: U = 1 (log U = 0 > the log acceptance ratio)."""

    def random(self, size: int) -> np.ndarray:
        return np.ones(size)

    def beta(self, a: float, b: float, size: int) -> np.ndarray:
        return np.full(size, 0.99)


def test_rejection_loop_has_a_bound_and_a_clear_error() -> None:
    with pytest.raises(SamplerError, match=r"only 0 of 10 samples accepted after 1000 rounds"):
        sample_t(10, 5.0, 10, _StuckGenerator())  # type: ignore[arg-type]
    assert issubclass(SamplerError, RuntimeError)


def test_mixture_with_huge_max_kappa_samples() -> None:
    # Item 7 through the mixture: identical points drive kappa to max_kappa = 1e300.
    X = np.tile(unit(5), (10, 1))
    with warnings.catch_warnings():
        # the overflow flag of vmf_log_normalizer at kappa >= 1.34e154 (issue 9 item 12) is fixed
        # in the C++ kernel by another change; it does not affect the values here
        warnings.simplefilter("ignore", RuntimeWarning)
        m = VMFMixture(1, max_kappa=1e300).fit(X)
    assert m.kappas_[0] == 1e300
    xs, labels = m.sample(3, random_state=0)
    # 1 - t ~ 2e-300: t = 1 exactly, tangent part sqrt(1 - t^2) ~ 1e-150
    np.testing.assert_allclose(xs, np.tile(unit(5), (3, 1)), rtol=0, atol=1e-145)
    assert np.all(xs[:, 0] == 1.0)
    np.testing.assert_array_equal(labels, [0, 0, 0])


def test_mixture_max_iter_1_warns_instead_of_index_error() -> None:
    # Item 8: the warning read history[-2] of a one-entry history.
    X = VonMisesFisher(unit(3), 5.0).rvs(50, random_state=0)
    with pytest.warns(VMFConvergenceWarning, match="max_iter = 1"):
        m = VMFMixture(2, max_iter=1, random_state=0).fit(X)
    assert m.n_iter_ == 1 and not m.converged_
    assert issubclass(VMFConvergenceWarning, RuntimeWarning)


@pytest.mark.parametrize("max_iter", [1, 2, 3])
def test_lower_bound_after_max_iter_describes_the_returned_parameters(max_iter: int) -> None:
    # The loop ended on an M-step whose parameters were never scored: lower_bound_ was the
    # objective one step earlier (-2.4734 against score -2.3633 at max_iter = 1), and n_init
    # picked its best run by that stale value.
    X = VonMisesFisher(unit(3), 5.0).rvs(200, random_state=1)
    with pytest.warns(VMFConvergenceWarning):
        m = VMFMixture(3, max_iter=max_iter, random_state=0).fit(X)
    assert m.lower_bound_ == pytest.approx(m.score(X), rel=1e-12)
    assert m.n_iter_ == max_iter and len(m.loglik_history_) == max_iter + 1


@pytest.mark.parametrize("scale", [5e-324, 1e-320, 1e-170, 1e160, 1e308])
def test_fit_vmf_is_invariant_to_the_scale_of_the_weights(scale: float) -> None:
    # Item 10: 1e-170 raised ZeroDivisionError, 1e160 OverflowError, 1e308 "... got nan".
    x = VonMisesFisher(random_direction(20, 2), 30.0).rvs(100, random_state=1)
    ref = fit_vmf(x)
    for estimator in ("mle", "debiased"):
        ref = fit_vmf(x, estimator=estimator)
        res = fit_vmf(x, weights=np.full(100, scale), estimator=estimator)
        # the same fit to rounding (weighted and unweighted sums add in different orders)
        assert res.kappa == pytest.approx(ref.kappa, rel=1e-13)
        assert res.kappa_se == pytest.approx(ref.kappa_se, rel=1e-13)
        np.testing.assert_allclose(res.mu, ref.mu, rtol=0, atol=1e-15)
        assert res.rbar == pytest.approx(ref.rbar, rel=1e-15) and res.n_eff == 100.0
        # the weighted log-likelihood is proportional to the weights (inf beyond the range)
        assert res.loglik == pytest.approx(scale * ref.loglik, rel=1e-12) or (
            math.isinf(res.loglik) and abs(scale * ref.loglik / 1e308) > 1
        )


def test_fit_vmf_weight_ratios_still_matter() -> None:
    x = VonMisesFisher(random_direction(20, 2), 30.0).rvs(100, random_state=1)
    w = np.random.default_rng(0).uniform(0.1, 2.0, 100)
    a = fit_vmf(x, weights=w)
    b = fit_vmf(x, weights=w * 1e-300)
    assert a.kappa == pytest.approx(b.kappa, rel=1e-14)
    assert a.n_eff == pytest.approx(b.n_eff, rel=1e-14) and a.n_eff < 100


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"p": 1e300}, ValueError, r"2 <= p <= 2\*\*53"),
        ({"p": math.inf}, ValueError, "p must be a finite number"),
        ({"p": math.nan}, ValueError, "p must be a finite number"),
        ({"p": "3"}, TypeError, "p must be a real number"),
        ({"p": True}, TypeError, "p must be a real number"),
        ({"max_iter": 0}, ValueError, "max_iter must be a positive integer"),
        ({"max_iter": -3}, ValueError, "max_iter must be a positive integer"),
        ({"max_iter": 2.5}, TypeError, "max_iter must be a positive integer"),
        ({"rbar": "0.5"}, TypeError, "rbar must be a real number"),
        ({"rbar": math.nan}, ValueError, "mean resultant length"),
    ],
)
def test_solve_kappa_rejects_bad_arguments_clearly(kwargs: dict, error: type, match: str) -> None:
    args = {"p": 10, "rbar": 0.5, **kwargs}
    with pytest.raises(error, match=match):
        solve_kappa(args.pop("p"), args.pop("rbar"), **args)


def test_solve_kappa_large_p_small_rbar() -> None:
    # The closed form of A_p' cancelled to 0 here (ZeroDivisionError); A_p(kappa) ~ kappa / p.
    for p in (1e12, 2.0**53):
        sol = solve_kappa(p, 1e-300)
        assert sol.converged and sol.kappa == pytest.approx(p * 1e-300, rel=1e-15)


def test_fit_vmf_rejects_bad_max_iter() -> None:
    x = VonMisesFisher(unit(3), 5.0).rvs(10, random_state=0)
    with pytest.raises(ValueError, match="max_iter"):
        fit_vmf(x, max_iter=0)
    with pytest.raises(TypeError, match="max_iter"):
        fit_vmf(x, max_iter=1.5)


@pytest.mark.parametrize("size", [2.5, "3", (2, 1.5), [1.0]])
def test_rvs_size_must_be_integers(size: object) -> None:
    # Item 10: size=2.5 said "'float' object is not iterable".
    with pytest.raises(TypeError, match="size must be None, a non-negative integer"):
        VonMisesFisher(unit(3), 1.0).rvs(size=size)


def test_rvs_size_shapes() -> None:
    d = VonMisesFisher(unit(3), 1.0)
    assert d.rvs(size=np.int64(4), random_state=0).shape == (4, 3)
    assert d.rvs(size=(2, 0), random_state=0).shape == (2, 0, 3)
    assert d.rvs(random_state=0).shape == (3,)
    with pytest.raises(ValueError, match="non-negative"):
        d.rvs(size=(2, -1))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"tol": "a"}, TypeError, "tol must be a real number"),
        ({"tol": -1.0}, ValueError, "tol must be >= 0"),
        ({"max_iter": 1.5}, TypeError, "max_iter"),
        ({"n_init": 0}, ValueError, "n_init"),
        ({"n_components": "2"}, TypeError, "n_components"),
        ({"max_kappa": math.inf}, ValueError, "max_kappa"),
        ({"kappa_prior": -1.0}, ValueError, "kappa_prior"),
        ({"kappa_prior": "big"}, ValueError, "kappa_prior"),
        ({"shared_kappa": "yes"}, TypeError, "shared_kappa"),
        ({"verbose": 0.5}, TypeError, "verbose"),
    ],
)
def test_mixture_parameters_are_checked_in_fit(kwargs: dict, error: type, match: str) -> None:
    # Item 10: tol="a" gave a bare comparison TypeError. scikit-learn's protocol stores the
    # parameters in __init__ unchecked (set_params bypasses it), so fit checks them.
    X = VonMisesFisher(unit(3), 5.0).rvs(20, random_state=0)
    m = VMFMixture(**{"n_components": 2, **kwargs})
    with pytest.raises(error, match=match):
        m.fit(X)


def test_huge_and_subnormal_rows_normalize() -> None:
    # |x|^2 overflowed (1e200 rows) or underflowed (1e-310 rows) to inf / 0 in the row norms.
    x = VonMisesFisher(random_direction(8, 4), 10.0).rvs(50, random_state=2)
    ref = fit_vmf(x)
    d = VonMisesFisher(ref.mu, ref.kappa)
    # subnormal rows carry only ~13 significant digits themselves (spacing 5e-324 at 1e-311)
    for scale, rtol in ((1e200, 1e-13), (1e300, 1e-13), (1e-300, 1e-13), (1e-310, 1e-10)):
        res = fit_vmf(x * scale, normalize=True)
        assert res.kappa == pytest.approx(ref.kappa, rel=rtol)
        lp = d.logpdf(x * scale, normalize=True)
        np.testing.assert_allclose(lp, d.logpdf(x), rtol=rtol, atol=rtol)


def test_reviewed_conveniences() -> None:
    from numkit.stats import VMFMixture, VonMisesFisher

    d = VonMisesFisher(np.eye(3)[0], 5.0)
    # one point gives a NumPy scalar, as SciPy's logpdf (a 0-d array before)
    assert isinstance(d.logpdf(np.eye(3)[1]), np.float64)
    assert d.logpdf(np.eye(3)).shape == (3,)
    assert d.logpdf(np.eye(3, dtype=np.float32)[0]).dtype == np.float32
    # verbose=True is 1, as in scikit-learn (it was a TypeError)
    X = VonMisesFisher(np.eye(3)[0], 50.0).rvs(200, random_state=0)
    VMFMixture(1, verbose=True, random_state=0).fit(X)
    # VonMisesFisher.fit passes max_iter through
    assert VonMisesFisher.fit(X, max_iter=5).kappa == pytest.approx(50.0, rel=0.2)


def test_logpdf_projects_rows_and_keeps_accuracy_near_the_mode() -> None:
    import mpmath as mp
    from numkit.stats import VonMisesFisher

    e1 = np.eye(3)[0]
    d = VonMisesFisher(e1, 1e8)
    # a row within the 1e-6 tolerance is its direction (it was +90 nats, above the maximum)
    assert d.logpdf(e1 * (1 + 9e-7)) == pytest.approx(d.logpdf(e1), rel=1e-15)
    # kappa (1 - mu.x) near the mode at kappa = 1e16 (1 - mu.x alone lost kappa eps = 0.5 nats)
    d2 = VonMisesFisher(np.eye(2)[0], 1e16)
    th = 1e-8
    x = np.array([np.cos(th), np.sin(th)])
    with mp.workdps(60):
        k = mp.mpf(1e16)
        u = [mp.mpf(float(v)) for v in x]
        nrm = mp.sqrt(u[0] ** 2 + u[1] ** 2)
        ref = -mp.log(2 * mp.pi) - (mp.log(mp.besseli(0, k)) - k) - k * (1 - u[0] / nrm)
    assert abs(d2.logpdf(x) - float(ref)) <= 1e-12 * abs(float(ref))


def test_rvs_with_a_tiny_tail_in_mu_is_finite() -> None:
    # (2 / u.u overflowed for |mu[1:]| ~ 1e-155: every sample was NaN)
    from numkit.stats import VonMisesFisher

    for tail in (1e-155, 1e-160, 1e-150):
        x = VonMisesFisher([1.0, tail, 0.0, 0.0], 10.0).rvs(5, random_state=0)
        assert np.isfinite(x).all()
        np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=4e-16)


def test_mixture_component_with_zero_resultant_gets_kappa_zero() -> None:
    from numkit.stats import VMFMixture

    X = np.vstack([np.eye(3)[:2], -np.eye(3)[:2]] * 5)
    m = VMFMixture(1, shared_kappa=False).fit(X)  # it kept the seed's kappa = 1
    assert m.kappas_[0] == 0.0
    assert m.score(X) == pytest.approx(-np.log(4 * np.pi), rel=1e-14)


def test_mixture_projects_rows_within_the_tolerance_and_scores_exactly() -> None:
    from numkit.stats import VMFMixture, VonMisesFisher, fit_vmf

    rng = np.random.default_rng(4)
    x = VonMisesFisher(np.eye(10)[0], 1e6).rvs(300, random_state=1)
    x *= 1 + 5e-7 * rng.choice([-1.0, 1.0], (300, 1))  # within the 1e-6 tolerance
    m = VMFMixture(1, random_state=0).fit(x)
    assert m.kappas_[0] == pytest.approx(fit_vmf(x).kappa, rel=1e-9)  # it was 12% off
    # the reported scores are the exact log densities (kappa 1e12: 1 - mu.x would lose 2e-4)
    y = VonMisesFisher(np.eye(10)[0], 1e12).rvs(200, random_state=2)
    m = VMFMixture(1, max_kappa=1e300, random_state=0).fit(y)
    d = VonMisesFisher(m.means_[0], float(m.kappas_[0]))
    np.testing.assert_allclose(m.score_samples(y), d.logpdf(y), rtol=1e-13)


def test_rows_identical_to_rounding_raise_and_sparse_second_pass() -> None:
    from numkit.stats import fit_vmf
    from scipy import sparse

    v = np.random.default_rng(0).standard_normal(7)
    v /= np.linalg.norm(v)
    with pytest.raises(ValueError, match="identical"):  # (kappa was 1.35e33)
        fit_vmf(np.vstack([v * s for s in (1, 2, 3, 5, 7)]), normalize=True)
    # the sparse second pass uses only the columns present, and equals the dense one
    rng = np.random.default_rng(3)
    base = sparse.random(1, 5000, density=2e-3, random_state=2, format="csr")
    rows = sparse.vstack([base] * 50).tocsr()
    rows.data = rows.data * (1 + 1e-6 * rng.standard_normal(rows.data.size))
    got, want = fit_vmf(rows, normalize=True), fit_vmf(rows.toarray(), normalize=True)
    assert 1 - got.rbar < 1e-3  # the second pass ran
    # both backward stable: equal to the data's conditioning, eps / sqrt(1 - Rbar)
    tol = 4 * np.finfo(float).eps / np.sqrt(want.one_minus_rbar)
    assert got.kappa == pytest.approx(want.kappa, rel=tol)
    assert got.one_minus_rbar == pytest.approx(want.one_minus_rbar, rel=tol)


def test_dask_unknown_shape_and_weight_dtype_errors() -> None:
    da = pytest.importorskip("dask.array")
    from numkit.stats import VonMisesFisher, fit_vmf

    x = VonMisesFisher(np.eye(3)[0], 5.0).rvs(100, random_state=0)
    dx = da.from_array(x, chunks=30)
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        fit_vmf(dx[dx[:, 0] > -2])
    with pytest.raises(TypeError, match="weights must be a real numeric array"):
        fit_vmf(dx, weights=da.ones(100, chunks=30) * (1 + 1j))
