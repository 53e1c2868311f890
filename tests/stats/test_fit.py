"""fit_vmf and solve_kappa: exact roots (mpmath), recovery in 2048-32768 dimensions, bad input.

Reference roots: data/kappa_roots.csv (mpmath findroot on A_p from the defining integrals, made by
data/make_reference.py) and, for fitted samples, A_p(kappa_hat) evaluated by mpmath.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from numkit.stats import VMFConvergenceWarning, VonMisesFisher, fit_vmf, solve_kappa

from . import mpref
from .helpers import concentrated_rows, random_direction, unit

DATA = Path(__file__).resolve().parent / "data"
EPS = 2.220446049250313e-16


def test_solver_matches_the_mpmath_roots() -> None:
    # 1e-13 relative on the whole table, including Rbar = 0.999999 where a double A_p only resolves
    # kappa to eps / (1 - Rbar) = 2e-10: there the large-kappa series solved against the exact
    # 1 - Rbar takes over (see _kappa.py).
    with open(DATA / "kappa_roots.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 40
    for r in rows:
        p, rbar, ref = int(r["p"]), float(r["rbar"]), mp.mpf(r["kappa"])
        sol = solve_kappa(p, rbar)
        assert sol.converged
        rel = float(abs(sol.kappa - ref) / ref)
        assert rel <= 1e-13, (p, rbar, rel)


def test_solver_special_values() -> None:
    assert solve_kappa(100, 0.0) == (0.0, 0, True, 0.0)
    with pytest.raises(ValueError, match="identical"):
        solve_kappa(100, 1.0)
    with pytest.raises(ValueError):
        solve_kappa(100, np.nan)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        solve_kappa(100, 1.5)
    with pytest.raises(ValueError):
        solve_kappa(1, 0.5)
    # tiny Rbar: kappa ~ p Rbar, no underflow or division trouble
    assert solve_kappa(65536, 1e-300).kappa == pytest.approx(65536e-300, rel=1e-12)


GRID = [(p, f) for p in (2048, 8192, 32768) for f in (0.25, 1.0, 10.0)]


def sample(p: int, kappa: float, seed: int) -> np.ndarray:
    n = 300 if p == 32768 else 1000
    return VonMisesFisher(unit(p), kappa).rvs(n, random_state=seed)


@pytest.mark.parametrize(("p", "factor"), GRID)
def test_recovery_grid(p: int, factor: float) -> None:
    kappa = factor * p
    d = VonMisesFisher(unit(p), kappa)
    a = d.mean_resultant_length()
    for seed in (0, 1, 2):
        x = sample(p, kappa, seed)
        n = x.shape[0]
        res = fit_vmf(x, estimator="debiased")
        assert res.converged and res.estimator == "debiased"
        # debiased: within 3 standard errors of the truth at every grid point and seed
        assert abs(res.kappa - kappa) <= 3 * res.kappa_se, (seed, res.kappa, res.kappa_se)
        # the MLE is the root of A_p(kappa) = Rbar (checked to 1e-12 below on some points) and is
        # biased upward when n is not >> p
        assert res.kappa_mle > res.kappa
        # mean direction: tan^2(angle) ~ (p - 1) / (n kappa A) (tangential sum is isotropic with
        # per-sample second moment (p - 1) A / kappa); chi^2_{p-1} spread
        tan2 = (1 - res.mu[0] ** 2) / res.mu[0] ** 2
        ratio = tan2 * n * kappa * a / (p - 1)
        assert abs(ratio - 1) <= 5 * np.sqrt(2 / (p - 1)) + 3 / n, ratio


@pytest.mark.parametrize(("p", "factor"), [(2048, 0.25), (8192, 1.0), (32768, 10.0)])
def test_mle_is_the_exact_root_by_mpmath(p: int, factor: float) -> None:
    # Independent check: A_p(kappa_mle) by mpmath's integrals equals Rbar; the relative error of
    # kappa is (A(kappa_mle) - Rbar) / (kappa A'(kappa)).
    x = sample(p, factor * p, 7)
    res = fit_vmf(x)
    with mp.workdps(40):
        a = mpref.mean_resultant_length(p, res.kappa_mle)
        slope = 1 - a**2 - (p - 1) * a / res.kappa_mle
        rel = abs(a - mp.mpf(res.rbar)) / (res.kappa_mle * slope)
    assert float(rel) <= 1e-12, float(rel)


def test_mle_bias_is_documented_in_high_dimension() -> None:
    # The measurement: p = 32768, kappa = p/4, n = 300: the MLE is ~22 standard errors high
    # because E[Rbar^2] = A^2 + (1 - A^2)/n; the debiased estimator removes it.
    p = 32768
    res = fit_vmf(sample(p, p / 4, 0), estimator="debiased")
    z_mle = (res.kappa_mle - p / 4) / res.kappa_se
    assert 15 < z_mle < 30
    assert abs(res.kappa - p / 4) < 3 * res.kappa_se


@pytest.mark.parametrize(
    ("p", "kappa", "tol"),
    [
        (2, 1e8, 1e-14),
        (3, 1e5, 1e-14),
        (10, 1e6, 1e-14),
        (2048, 20480.0, 4e-10),
        (2048, 1e8, 1e-14),
        (65536, 1e6, 1e-7),
        (65536, 1e8, 1e-14),
    ],
)
def test_fisher_information_is_accurate_at_large_kappa(p: int, kappa: float, tol: float) -> None:
    # A_p'(kappa) = 1 - A^2 - (p - 1) A / kappa cancels catastrophically at large kappa (relative
    # error ~ 4 eps kappa^2 / (p - 1): order 1 at p = 2, kappa = 1e8); the large-kappa series
    # takes over where it is more accurate (kappa >> p). At kappa = 10 p = 20480 neither is exact:
    # the closed form's bound 4 eps kappa^2 / (p - 1) = 2e-10 holds (ample for a standard error).
    # Reference: the same closed form in mpmath at 40 digits on mpmath's A_p.
    from numkit.stats._bessel import mean_resultant_length, mrl_derivative

    with mp.workdps(40):
        a = mpref.mean_resultant_length(p, kappa)
        ref = 1 - a**2 - (p - 1) * a / kappa
    got = mrl_derivative(p, kappa, mean_resultant_length(p, kappa))
    assert abs(got - ref) <= tol * ref


def test_standard_error_matches_the_spread_of_the_mle() -> None:
    p, kappa, n, reps = 10, 20.0, 400, 200
    d = VonMisesFisher(random_direction(p, 1), kappa)
    x = d.rvs(n * reps, random_state=5).reshape(reps, n, p)
    fits = [fit_vmf(xi) for xi in x]
    k = np.array([f.kappa for f in fits])
    se = np.median([f.kappa_se for f in fits])
    assert abs(k.std() / se - 1) < 0.2  # sd of an sd over 200 reps: 5%; 4 of those


def test_scipy_fit_fails_where_numkit_recovers_the_truth() -> None:
    # scipy.stats.vonmises_fisher.fit returns kappa = 1e-8 without warning for p >= 68: its
    # normalizer ive(p/2 - 1, kappa) underflows and brentq stops at the bracket end.
    from scipy.stats import vonmises_fisher

    p, kappa = 256, 256.0
    x = VonMisesFisher(unit(p), kappa).rvs(1000, random_state=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, kappa_scipy = vonmises_fisher.fit(x)
    res = fit_vmf(x, estimator="debiased")
    assert abs(res.kappa - kappa) <= 3 * res.kappa_se
    print(f"p={p} truth={kappa} numkit={res.kappa:.6g} scipy={kappa_scipy:.3g}")
    # SciPy 1.11-1.17: 1e-08. If a future SciPy is fixed it must agree with numkit instead.
    assert kappa_scipy == pytest.approx(1e-8) or kappa_scipy == pytest.approx(
        res.kappa_mle, rel=1e-6
    )


def test_special_cases_rbar_zero_and_one() -> None:
    x = np.stack([unit(5), -unit(5)])
    res = fit_vmf(x)
    assert res.kappa == 0.0 and res.rbar == 0.0 and res.converged
    np.testing.assert_array_equal(res.mu, unit(5))
    assert np.isfinite(res.loglik)
    with pytest.raises(ValueError, match="identical"):
        fit_vmf(np.tile(random_direction(7, 0), (10, 1)))
    # debiased with Rbar^2 below 1/n: kappa = 0
    x = np.random.default_rng(0).standard_normal((50, 1000))
    res = fit_vmf(x, normalize=True, estimator="debiased")
    assert res.kappa == 0.0 and res.kappa_mle > 0


def test_loglik_and_weights() -> None:
    p = 20
    d = VonMisesFisher(random_direction(p, 2), 30.0)
    x = d.rvs(30, random_state=1)
    res = fit_vmf(x)
    ref = VonMisesFisher(res.mu, res.kappa).logpdf(x).sum()
    assert res.loglik == pytest.approx(ref, rel=1e-12)
    # integer weights = repeated rows
    w = np.arange(1, 31) % 4
    rep = np.repeat(x, w, axis=0)
    a, b = fit_vmf(x, weights=w), fit_vmf(rep)
    assert a.kappa == pytest.approx(b.kappa, rel=1e-12)
    np.testing.assert_allclose(a.mu, b.mu, atol=1e-14)
    # effective n of the weights in the debiased estimator
    assert a.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert fit_vmf(x, weights=w, estimator="debiased").kappa < a.kappa
    with pytest.raises(ValueError, match="shape"):
        fit_vmf(x, weights=np.ones(3))
    with pytest.raises(ValueError, match=">= 0"):
        fit_vmf(x, weights=-np.ones(30))
    with pytest.raises(ValueError, match="zero"):
        fit_vmf(x, weights=np.zeros(30))


def test_float32_data_and_normalize() -> None:
    p = 512
    x = VonMisesFisher(unit(p), 700.0).rvs(400, random_state=8)
    x32 = x.astype(np.float32)
    r32, r64 = fit_vmf(x32), fit_vmf(x32.astype(np.float64))
    assert r32.kappa == pytest.approx(r64.kappa, rel=1e-12)
    assert r32.kappa == pytest.approx(fit_vmf(x).kappa, rel=1e-5)
    scaled = x * np.random.default_rng(0).uniform(0.5, 2, size=(400, 1))
    with pytest.raises(ValueError, match="normalize=True"):
        fit_vmf(scaled)
    assert fit_vmf(scaled, normalize=True).kappa == pytest.approx(fit_vmf(x).kappa, rel=1e-12)


def test_bad_input() -> None:
    x = VonMisesFisher(unit(4), 3.0).rvs(10, random_state=0)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit_vmf(bad)
    with pytest.raises(ValueError, match="NaN"):
        fit_vmf(bad, normalize=True)
    with pytest.raises(ValueError, match="p >= 2"):
        fit_vmf(np.ones((5, 1)))
    with pytest.raises(ValueError, match="no rows"):
        fit_vmf(np.empty((0, 3)))
    with pytest.raises(ValueError, match="2-D"):
        fit_vmf(unit(3))
    with pytest.raises(TypeError):
        fit_vmf(x.astype(complex))
    with pytest.raises(ValueError, match="estimator"):
        fit_vmf(x, estimator="mom")
    with pytest.raises(ValueError, match="zero"):
        fit_vmf(np.vstack([x, np.zeros((1, 4))]), normalize=True)
    with pytest.raises(ValueError, match="effective sample size"):
        fit_vmf(x[:1], estimator="debiased")


def test_non_convergence_is_reported_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    # Make A_p noisy at the 1e-9 level (as a broken Bessel ratio would be): the iteration cannot
    # reach the rounding level within max_iter = 5, so it must say so instead of returning a
    # bracket end.
    import numkit.stats._kappa as kappa_module

    true_a = kappa_module.mean_resultant_length
    noise = np.random.default_rng(0)
    monkeypatch.setattr(
        kappa_module,
        "mean_resultant_length",
        lambda p, k: true_a(p, k) + 1e-9 * noise.standard_normal(),
    )
    x = VonMisesFisher(unit(2048), 20480.0).rvs(50, random_state=0)
    with pytest.warns(VMFConvergenceWarning, match="converged=False"):
        res = fit_vmf(x, max_iter=5)
    assert not res.converged
    p, r = 2048, res.rbar
    lo, hi = r * (p - 2) / (1 - r * r), r * p / (1 - r * r)
    assert lo < res.kappa < hi  # an interior iterate, never a bracket end
    monkeypatch.undo()
    assert res.kappa == pytest.approx(fit_vmf(x).kappa, rel=1e-3)


def test_dask_input_is_one_reduction() -> None:
    da = pytest.importorskip("dask.array")
    from dask.callbacks import Callback

    x = VonMisesFisher(random_direction(300, 4), 400.0).rvs(2000, random_state=9)
    w = np.random.default_rng(1).uniform(0.5, 1.5, 2000)
    dx = da.from_array(x, chunks=(250, 300))

    class Count(Callback):
        def __init__(self) -> None:
            super().__init__()
            self.n = 0

        def _start(self, dsk: object) -> None:
            self.n += 1

    for weights in (None, w, da.from_array(w, chunks=250)):
        with Count() as c:
            res = fit_vmf(dx, weights=weights, estimator="debiased")
        assert c.n == 1  # one graph execution
        ref = fit_vmf(x, weights=w if weights is not None else None, estimator="debiased")
        assert res.kappa == pytest.approx(ref.kappa, rel=1e-12)
        np.testing.assert_allclose(res.mu, ref.mu, atol=1e-14)
    bad = x.copy()
    bad[5] *= 2
    with pytest.raises(ValueError, match="unit"):
        fit_vmf(da.from_array(bad, chunks=(250, 300)))


def test_result_object_and_plot() -> None:
    x = VonMisesFisher(unit(64), 100.0).rvs(200, random_state=0)
    res = fit_vmf(x, estimator="debiased")
    with pytest.raises(AttributeError):
        res.kappa = 1.0  # frozen
    assert not res.mu.flags.writeable
    assert res.distribution.kappa == res.kappa
    assert "kappa" in repr(res)
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = res.plot()
    assert ax.get_xlabel()
    plt.close("all")


def test_von_mises_fisher_fit_classmethod() -> None:
    # SciPy's spelling: VonMisesFisher.fit(X) gives the fitted distribution (mu, kappa of fit_vmf)
    x = VonMisesFisher(random_direction(50, 7), 300.0).rvs(400, random_state=3)
    w = np.random.default_rng(2).uniform(0.5, 1.5, 400)
    for kwargs in ({}, {"estimator": "debiased"}):
        d = VonMisesFisher.fit(x, w, **kwargs)
        ref = fit_vmf(x, w, **kwargs)
        assert isinstance(d, VonMisesFisher)
        assert d.kappa == ref.kappa
        # (the constructor renormalizes mu: the last bit may move)
        np.testing.assert_allclose(d.mu, ref.mu, rtol=0, atol=2e-16)
    unweighted = fit_vmf(x).kappa
    assert VonMisesFisher.fit(3.0 * x, normalize=True).kappa == pytest.approx(unweighted, rel=1e-12)


@pytest.mark.parametrize("p", [3, 40])
@pytest.mark.parametrize("sigma", [1e-2, 1e-4, 1e-6, 1e-8])
def test_concentrated_data_keep_kappa_exact(p: int, sigma: float) -> None:
    # 1 - |S| / W cancels: its relative error is ~eps / (1 - Rbar) (1e-4 in kappa at
    # kappa = 1e10 p), and 1 - Rbar below 8 eps raised "identical". The spread of the rows about
    # their mean (a second pass) is backward stable: exact for rows within 1 ulp of the given
    # ones, so kappa is off by at most the data's own conditioning, ~eps / sqrt(1 - Rbar).
    x = concentrated_rows(p, sigma, 60, seed=p)
    w = np.random.default_rng(3).uniform(0.5, 2.0, x.shape[0])
    for rows in (x, x.astype(np.float32)):
        for weights in (None, w):
            gap, ref = mpref.gap_and_kappa(rows.astype(np.float64), weights)
            res = fit_vmf(rows, weights)
            tol = 4 * EPS / float(mp.sqrt(gap)) + 1e-13
            assert abs(res.kappa / ref - 1) <= tol, (float(gap), res.kappa, float(ref))
            assert res.converged
            assert abs(res.rbar - (1 - gap)) <= EPS


def test_concentrated_debiased_and_other_backends() -> None:
    x = concentrated_rows(20, 1e-7, 200, seed=5)
    res = fit_vmf(x, estimator="debiased")
    with mp.workdps(60):
        gap, _ = mpref.gap_and_kappa(x)
        n = x.shape[0]
        r = 1 - gap
        r_deb = mp.sqrt((n * r * r - 1) / (n - 1))
        nu = mp.mpf(10)
        ref = mp.findroot(
            lambda lk: mp.log(
                (1 - mp.besseli(nu, mp.exp(lk)) / mp.besseli(nu - 1, mp.exp(lk))) / (1 - r_deb)
            ),
            mp.log(19 / (2 * (1 - r_deb))),
        )
        assert abs(res.kappa / mp.exp(ref) - 1) <= 4 * EPS / mp.sqrt(gap)
    from scipy import sparse

    for other in (sparse.csr_matrix(x),):
        assert fit_vmf(other).kappa == pytest.approx(fit_vmf(x).kappa, rel=1e-14)
    da = pytest.importorskip("dask.array")
    got = fit_vmf(da.from_array(x, chunks=(64, 20)), weights=da.from_array(np.ones(200), 64))
    assert got.kappa == pytest.approx(fit_vmf(x).kappa, rel=1e-14)
