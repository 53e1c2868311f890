"""vmf_log_normalizer (the ufunc) and the distribution's density against mpmath.

The reference (data/vmf_log_normalizer.csv, made by data/make_reference.py) integrates the defining
integral of the normalizer in mpmath at 40 digits, without any Bessel function.
"""

from __future__ import annotations

import csv
import pickle
import warnings
from pathlib import Path

import mpmath as mp
import numkit.stats as nks
import numpy as np
import pytest
from numkit.stats import VonMisesFisher, vmf_log_normalizer, vmf_log_normalizer_e
from scipy.special import gammaln

from . import mpref
from .helpers import exact_dot, random_direction, unit

DATA = Path(__file__).resolve().parent / "data"


def load_table() -> list[tuple[int, float, mp.mpf]]:
    with open(DATA / "vmf_log_normalizer.csv") as fh:
        return [
            (int(r["p"]), float(r["kappa"]), mp.mpf(r["log_normalizer"]))
            for r in csv.DictReader(fh)
        ]


TABLE = load_table()


def log_sphere_area(p: float) -> float:
    return np.log(2) + p / 2 * np.log(np.pi) - gammaln(p / 2)


def test_table_covers_the_issue_grid() -> None:
    ps = {p for p, _, _ in TABLE}
    ks = {k for _, k, _ in TABLE}
    assert max(ps) == 65536 and min(ps) == 2
    assert 0.0 in ks and 1e8 in ks


def test_log_normalizer_matches_mpmath_to_1e13() -> None:
    # The bar: 1e-13 relative over p in [2, 65536], kappa in [0, 1e8] (log C is never near 0 on
    # this grid: its smallest magnitude is > 0.5).
    p = np.array([t[0] for t in TABLE], dtype=float)
    k = np.array([t[1] for t in TABLE])
    ref = np.array([float(t[2]) for t in TABLE])
    got = vmf_log_normalizer(p, k)
    rel = np.abs(got - ref) / np.abs(ref)
    assert np.abs(ref).min() > 0.5
    assert rel.max() <= 1e-13, (p[rel.argmax()], k[rel.argmax()], rel.max())


def test_scaled_log_normalizer_matches_mpmath() -> None:
    # log C + kappa is O(p log kappa). Its accuracy is that of numkit.special.log_ive, which
    # today computes log I_v(x) - x by a subtraction after rounding log I_v(x) ~ x: an absolute
    # error of up to a few ulp(kappa) (1.5e-8 at kappa = 1e8). Bound: 1e-13 relative plus
    # 4 eps kappa absolute.
    # (log C itself, ~ -kappa there, is unaffected: see the test above.)
    worst = 0.0
    for p, k, ref in TABLE:
        got = vmf_log_normalizer_e(float(p), k)
        exact = ref + k
        err = float(abs(got - exact))
        assert err <= 1e-13 * float(abs(exact)) + 4 * 2.2e-16 * k, (p, k, err)
        if k <= 1e3:
            # where eps kappa is negligible: full precision relative to the size of the terms
            # (p/2 - 1) log kappa, (p/2) log(2 pi), log I_v(kappa) - kappa that the kernel adds
            # (log C + kappa crosses zero near kappa ~ p, where a relative error means nothing)
            v = p / 2 - 1
            terms = abs(v * np.log(k)) + p / 2 * np.log(2 * np.pi) if k > 0 else 0.0
            scale = max(float(abs(exact)), terms + float(abs(exact)))
            worst = max(worst, err / scale)
    assert worst <= 1e-14


def test_kappa_zero_is_the_uniform_density_and_the_limit_is_smooth() -> None:
    for p in (2, 3, 7, 1000, 65536, 1e6):
        assert vmf_log_normalizer(p, 0.0) == pytest.approx(-log_sphere_area(p), rel=1e-15)
        # log C(kappa) = -log|S| - kappa^2 / (2p) + O(kappa^4): the first correction is resolved.
        k = 1e-4
        diff = vmf_log_normalizer(p, k) - vmf_log_normalizer(p, 0.0)
        if abs(log_sphere_area(p)) * 1e-16 < 1e-3 * k * k / (2 * p):
            assert diff == pytest.approx(-k * k / (2 * p), rel=1e-3)
    # continuity across the kernel's branch point kappa^2 = 2p
    for p in (2, 10, 2048, 65536):
        edge = np.sqrt(2.0 * p)
        lo, hi = np.nextafter(edge, 0), np.nextafter(edge, np.inf)
        a, b = vmf_log_normalizer(float(p), lo), vmf_log_normalizer(float(p), hi)
        assert abs(a - b) <= 4e-16 * abs(a) + 1e-15


def test_float32_loop_stays_float32_and_rounds_the_double_value() -> None:
    p = np.array([2, 3, 100, 2048, 65536], dtype=np.float32)
    k = np.array([0.0, 1.0, 50.0, 2048.0, 1e6], dtype=np.float32)
    out = vmf_log_normalizer(p, k)
    assert out.dtype == np.float32
    ref = vmf_log_normalizer(p.astype(np.float64), k.astype(np.float64))
    np.testing.assert_array_equal(out, ref.astype(np.float32))


def test_domain_special_values_and_nan() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(vmf_log_normalizer(np.nan, 1.0))  # NaN in: NaN out, silently
        assert np.isnan(vmf_log_normalizer(3.0, np.nan))
        assert vmf_log_normalizer(3.0, np.inf) == -np.inf
        assert vmf_log_normalizer_e(3.0, np.inf) == np.inf
    for p, k in ((1.0, 1.0), (0.0, 1.0), (3.0, -1.0), (np.inf, 1.0)):
        with pytest.warns(RuntimeWarning, match="invalid"):
            assert np.isnan(vmf_log_normalizer(p, k))
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        vmf_log_normalizer(3.0, -1.0)
    with pytest.raises(TypeError):
        vmf_log_normalizer(3.0, 1j)


def test_ufunc_protocol_pickle_out_and_dask() -> None:
    assert isinstance(vmf_log_normalizer, np.ufunc)
    assert pickle.loads(pickle.dumps(vmf_log_normalizer)) is vmf_log_normalizer
    p = np.array([[3.0], [2048.0]])
    k = np.array([0.0, 1.0, 1e3])
    out = np.empty((2, 3))
    res = vmf_log_normalizer(p, k, out=out)
    assert res is out and out.shape == (2, 3)
    assert vmf_log_normalizer(np.array([]), np.array([])).shape == (0,)
    da = pytest.importorskip("dask.array")
    lazy = vmf_log_normalizer(da.from_array(np.array([3.0, 2048.0]), chunks=1), 10.0)
    assert isinstance(lazy, da.Array)
    np.testing.assert_array_equal(lazy.compute(), vmf_log_normalizer(np.array([3.0, 2048.0]), 10.0))


@pytest.mark.parametrize(
    ("p", "kappa"), [(3, 1e8), (100, 100.0), (2048, 500.0), (8192, 8192.0), (65536, 655360.0)]
)
def test_logpdf_matches_mpmath(p: int, kappa: float) -> None:
    # Points x = t mu + sqrt(1 - t^2) v at chosen t; the reference uses mpmath's exact dot product
    # of the double vectors, so only numkit's arithmetic is measured. Relative tolerance 1e-13
    # except where logpdf is small against kappa (the dot product's own rounding, kappa * p * eps).
    mu = random_direction(p, 1)
    d = VonMisesFisher(mu, kappa)
    ref_c = (
        next(v for q, k, v in TABLE if q == p and k == kappa)
        if (p, kappa) in {(q, k) for q, k, _ in TABLE}
        else None
    )
    with mp.workdps(40):
        if ref_c is None:
            ref_c = mpref.log_normalizer(p, kappa)
        rng = np.random.default_rng(2)
        for t in (-1.0, -0.3, 0.0, 0.5, 0.999, d.mean_resultant_length()):
            g = rng.standard_normal(p)
            g -= (g @ mu) * mu
            g /= np.linalg.norm(g)
            x = t * mu + np.sqrt(max(1 - t * t, 0.0)) * g
            x /= np.linalg.norm(x)
            texact = mp.mpf(exact_dot(x, mu))  # the dot of the doubles, rounded once
            ref = ref_c + kappa * texact
            got = d.logpdf(x)
            tol = 1e-13 * abs(ref) + 4 * kappa * np.sqrt(p) * 2.2e-16
            assert abs(got - ref) <= tol, (t, float(got), float(ref))


def test_logpdf_shapes_dtypes_and_pdf() -> None:
    p = 5
    d = VonMisesFisher(unit(p), 2.0)
    x = np.tile(unit(p), (2, 3, 1))
    assert d.logpdf(x).shape == (2, 3)
    assert d.logpdf(unit(p)).shape == ()
    assert d.logpdf(np.empty((0, p))).shape == (0,)
    assert d.logpdf(unit(p, dtype=np.float32)).dtype == np.float32
    np.testing.assert_allclose(d.pdf(x), np.exp(d.logpdf(x)))
    # a density: integrates to 1 on S^1 (p = 2), by the trapezoid rule on the circle
    d2 = VonMisesFisher(np.array([0.6, 0.8]), 3.0)
    th = np.linspace(0, 2 * np.pi, 4001)[:-1]
    pts = np.stack([np.cos(th), np.sin(th)], axis=1)
    assert d2.pdf(pts).mean() * 2 * np.pi == pytest.approx(1.0, rel=1e-13)


def test_entropy_mean_and_scipy_failure_side_by_side() -> None:
    # SciPy at p = 2048, kappa = 500: logpdf is +inf and entropy NaN (its ive(p/2 - 1, kappa)
    # underflows). numkit is finite and matches mpmath.
    from scipy.stats import vonmises_fisher

    p, kappa = 2048, 500.0
    mu = unit(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sp_logpdf = vonmises_fisher(mu, kappa).logpdf(mu)
        sp_entropy = vonmises_fisher(mu, kappa).entropy()
    d = VonMisesFisher(mu, kappa)
    ref_c = mpref.log_normalizer(p, kappa)
    assert d.logpdf(mu) == pytest.approx(float(ref_c + kappa), rel=1e-13)
    a_ref = mpref.mean_resultant_length(p, kappa)
    assert d.mean_resultant_length() == pytest.approx(float(a_ref), rel=1e-13)
    h_ref = -(ref_c + kappa * a_ref)
    assert d.entropy() == pytest.approx(float(h_ref), rel=1e-12)
    np.testing.assert_allclose(d.mean(), float(a_ref) * mu, rtol=1e-13)
    assert not np.isfinite(sp_logpdf) or not np.isfinite(sp_entropy)  # SciPy's failure, documented


@pytest.mark.parametrize(
    ("p", "kappa"),
    [
        *[(2, 1.0), (3, 1e6), (10, 1e5), (2048, 2048.0), (2048, 1e8), (65536, 1e8)],
        *[(2, 1e16), (2, 1e17), (3, 1e20), (1000, 1e22)],
    ],
)
def test_entropy_matches_mpmath_at_large_kappa(p: int, kappa: float) -> None:
    # H = -(log C + kappa) + kappa (1 - A): 1 - A comes from the large-kappa series where A rounds
    # to nearly 1 (and where it rounds to exactly 1: kappa >~ 1e16 p lost (p - 1) / 2 there).
    # -(log C + kappa) is the scaled normalizer, O(p log kappa), accurate in relative terms.
    with mp.workdps(60):
        a = mpref.mean_resultant_length(p, kappa)
        ref = -(mpref.log_normalizer(p, kappa) + kappa) + kappa * (1 - a)
    got = VonMisesFisher(unit(p), kappa).entropy()
    assert abs(got - ref) <= 1e-13 * abs(ref) + 1e-12


def test_entropy_at_the_largest_kappa_is_the_closed_form_limit() -> None:
    # p = 2: H = log(2 pi) - log I_0(kappa) + kappa (1 - A)
    #         -> 0.5 log(2 pi / kappa) + 0.5 + O(1 / kappa)
    for kappa in (1e30, 1e300):
        ref = 0.5 * np.log(2 * np.pi / kappa) + 0.5
        got = VonMisesFisher(unit(2), kappa).entropy()
        assert got == pytest.approx(ref, rel=1e-14)


def test_namespace_exports() -> None:
    for name in nks.__all__:
        assert hasattr(nks, name)


@pytest.mark.parametrize("p", [2.0, 2.83, 3.0, 3.5, 4.0])
def test_scaled_log_normalizer_near_its_zero_at_small_p(p: float) -> None:
    # log C + kappa crosses 0 near kappa ~ 6 for small p; the log_ive inside had 2e-14 absolute
    # error there (shifted regime, x in (4, 9)): 2.65x the bar at p = 2, kappa = 6.425
    rng = np.random.default_rng(int(p * 100))
    for k in np.concatenate([[6.425012825651303], rng.uniform(4.0, 10.0, 20)]):
        with mp.workdps(40):
            nu = mp.mpf(p) / 2 - 1
            kk = mp.mpf(float(k))
            exact = nu * mp.log(kk) - mp.mpf(p) / 2 * mp.log(2 * mp.pi) - mp.log(mp.besseli(nu, kk))
            exact += kk
        err = float(abs(vmf_log_normalizer_e(p, float(k)) - exact))
        assert err <= 1e-13 * float(abs(exact)) + 4 * 2.2e-16 * k, (p, k, err)


def _debye_log_normalizer(p: float, kappa: float, shift: int) -> mp.mpf:
    """log C_p(kappa) + shift * kappa from Debye's expansion of log I_v(v z) (DLMF 10.41.3).

    At v = p/2 - 1 above 1e300 the expansion's O(1/v) terms are far below a double's resolution,
    so its leading terms are a closed-form reference where mpmath's besseli cannot go.
    """
    with mp.workdps(40):
        v, k = mp.mpf(p) / 2 - 1, mp.mpf(kappa)
        z = k / v
        s = mp.sqrt(1 + z * z)
        log_iv = v * (s + mp.log(z / (1 + s))) - mp.log(2 * mp.pi * v) / 2 - mp.log(s) / 2
        return v * mp.log(k) - mp.mpf(p) / 2 * mp.log(2 * mp.pi) - log_iv + shift * k


def _assert_value_or_overflow(f, p: float, kappa: float, want: mp.mpf, scale) -> None:
    """f(p, kappa) is want to 4e-16 of scale, silently; or inf with an overflow warning where
    want itself is beyond DBL_MAX."""
    if abs(want) > np.finfo(np.float64).max:
        with pytest.warns(RuntimeWarning, match="overflow"):
            assert f(p, kappa) == np.inf
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(p, kappa)
    assert float(abs(got - want) / scale) < 4e-16, (p, kappa, got, want)


@pytest.mark.parametrize("p", [2.0**1000, 5.0e305, 5.12e305, 5.125e305, 5.13e305])
def test_finite_at_dimensions_where_lgamma_overflows(p: float) -> None:
    # log |S^{p-1}| is O(p log p): lgamma(p/2) overflows near p = 5.1e305 before (p/2) log pi is
    # subtracted, while log C_p(kappa) itself stays below DBL_MAX up to p ~ 5.13e305.
    with mp.workdps(40):
        h = mp.mpf(p) / 2
        ref = -(mp.log(2) + h * mp.log(mp.pi) - mp.loggamma(h))
    kappa = 1e10  # kappa^2 / (2p) is far below the value's ulp: the uniform density's constant
    for f, shift in ((vmf_log_normalizer, 0), (vmf_log_normalizer_e, 1)):
        want = ref + shift * kappa
        _assert_value_or_overflow(f, p, kappa, want, abs(want))


@pytest.mark.parametrize(
    "p, kappa",
    [
        (5.07e305, 1e307),
        (5.0705e305, 1.7e308),
        (5.065e305, 1.7e308),
        (5.0e305, 1e308),
        (8e305, 1e307),
    ],
)
def test_finite_where_v_log_kappa_overflows(p: float, kappa: float) -> None:
    # (p/2 - 1) log kappa overflows first when kappa is near DBL_MAX and p near 5.07e305; the
    # value and its scaled form are finite in part of that range (or genuinely overflow).
    for f, shift in ((vmf_log_normalizer, 0), (vmf_log_normalizer_e, 1)):
        want = _debye_log_normalizer(p, kappa, shift)
        # log C = (log C + kappa) - kappa: the unscaled form carries the scaled one's rounding
        _assert_value_or_overflow(f, p, kappa, want, abs(want) + (kappa if shift == 0 else 0.0))
