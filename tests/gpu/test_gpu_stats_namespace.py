"""numkit.gpu's vMF fit and sampler with a NumPy stand-in for CuPy (no GPU, no CuPy here).

The device code of ``fit_vmf`` (``stats._suffstats.device_statistics``) and of ``vmf_rvs``
(``stats._sampling.sample_vmf`` with ``xp=``) is written against an array namespace. Here that
namespace is NumPy dressed as ``cupy`` (arrays whose type says "cupy", ``asnumpy``, a seeded
``random.RandomState``), so the same Python runs as on a device and is checked against the CPU
fit and against the law of the samples. The CUDA side is checked by tests/gpu/test_gpu.py.
"""

from __future__ import annotations

import sys

import numkit.gpu
import numpy as np
import pytest
from numkit.special import iv_ratio
from numkit.stats import VonMisesFisher, fit_vmf

from .standins import DeviceArray, dev, numpy_as_cupy


@pytest.fixture(autouse=True)
def cupy_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cupy", numpy_as_cupy())


def mu_of(p: int) -> np.ndarray:
    mu = np.random.default_rng(p).standard_normal(p)
    return mu / np.linalg.norm(mu)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_device_fit_equals_the_host_fit(dtype, weighted):
    x = VonMisesFisher(mu_of(300), 500.0).rvs(4000, random_state=1).astype(dtype)
    w = np.random.default_rng(2).random(4000) * 1e-200 if weighted else None  # ratios only
    host = fit_vmf(x, w, estimator="debiased")
    for got in (
        numkit.gpu.fit_vmf(dev(x), None if w is None else dev(w), estimator="debiased"),
        fit_vmf(dev(x), None if w is None else dev(w), estimator="debiased"),
    ):
        assert isinstance(got.mu, np.ndarray) and not isinstance(got.mu, DeviceArray)
        np.testing.assert_allclose(got.mu, host.mu, rtol=0, atol=1e-13)
        assert got.kappa == pytest.approx(host.kappa, rel=1e-12)
        assert got.loglik == pytest.approx(host.loglik, rel=1e-12)
        assert (got.n_eff, got.dim) == pytest.approx((host.n_eff, host.dim), rel=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_device_fit_of_concentrated_rows_takes_the_second_pass(weighted):
    # 1 - Rbar = 1e-14: from the spread of the rows (a second pass on the device), as on the host
    rng = np.random.default_rng(5)
    x = mu_of(20) + 3e-8 * rng.standard_normal((300, 20))
    x /= np.linalg.norm(x, axis=1)[:, None]
    w = rng.uniform(0.5, 2.0, 300) if weighted else None
    host = fit_vmf(x, w)
    assert 1e-15 < 1 - host.rbar < 1e-13
    got = fit_vmf(dev(x), None if w is None else dev(w))
    assert got.kappa == pytest.approx(host.kappa, rel=1e-12)


def test_device_fit_projects_or_rejects_rows_as_the_host_fit():
    x = VonMisesFisher(mu_of(20), 50.0).rvs(500, random_state=3)
    x *= np.random.default_rng(4).uniform(1e-300, 1e300, (500, 1)) ** 0.5  # far from unit norm
    got = fit_vmf(dev(x), normalize=True)
    assert got.kappa == pytest.approx(fit_vmf(x, normalize=True).kappa, rel=1e-12)
    with pytest.raises(ValueError, match=r"unit vectors.*row 178 \(device input\)"):
        fit_vmf(dev(x))
    x[7, 3] = np.nan
    with pytest.raises(ValueError, match=r"NaN or inf \(row 7 \(device input\)"):
        fit_vmf(dev(x), normalize=True)


def test_device_fit_bad_input():
    x = dev(VonMisesFisher(mu_of(5), 5.0).rvs(50, random_state=5))
    with pytest.raises(TypeError, match="mixed CPU and GPU"):
        fit_vmf(x, np.ones(50))
    with pytest.raises(TypeError, match=r"fit_vmf takes CuPy arrays.*X ndarray"):
        numkit.gpu.fit_vmf(np.asarray(x).view(np.ndarray))
    with pytest.raises(ValueError, match="finite and >= 0"):
        fit_vmf(x, dev(-np.ones(50)))
    with pytest.raises(ValueError, match="not all be zero"):
        fit_vmf(x, dev(np.zeros(50)))
    with pytest.raises(ValueError, match=r"shape \(50,\)"):
        fit_vmf(x, dev(np.ones(49)))
    with pytest.raises(ValueError, match="2-D"):
        fit_vmf(dev(np.ones(5)))


@pytest.mark.parametrize(("p", "kappa"), [(3, 10.0), (64, 0.5), (500, 2000.0)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_device_samples_follow_the_vmf_law(p, kappa, dtype):
    mu = mu_of(p).astype(dtype)
    x = numkit.gpu.vmf_rvs(dev(mu), kappa, size=(40, 100), random_state=7)
    assert isinstance(x, DeviceArray) and x.shape == (40, 100, p) and x.dtype == dtype
    x = np.asarray(x, dtype=np.float64).reshape(-1, p)
    tol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, rtol=0, atol=tol)
    # E[mu.x] = A_p(kappa) = I_{p/2}(kappa) / I_{p/2-1}(kappa), checked to 5 standard errors
    t = x @ mu.astype(np.float64)
    assert abs(t.mean() - iv_ratio(p / 2, kappa)) < 5 * t.std() / np.sqrt(t.size) + 1e-12
    # the tangent part is isotropic: its mean is 0 in every direction orthogonal to mu
    tangent = x - np.outer(t, mu)
    assert (
        np.abs(tangent.mean(axis=0)).max()
        < 6 * np.sqrt(max(1 - t.mean() ** 2, 1e-12) / p / t.size) + 1e-7
    )


def test_device_samples_are_deterministic_and_checked():
    mu = dev(mu_of(30))
    a = numkit.gpu.vmf_rvs(mu, 5.0, 10, random_state=11)
    np.testing.assert_array_equal(a, numkit.gpu.vmf_rvs(mu, 5.0, 10, random_state=11))
    assert numkit.gpu.vmf_rvs(mu, 5.0, random_state=1).shape == (30,)
    with pytest.raises(TypeError, match=r"vmf_rvs takes CuPy arrays.*mu ndarray"):
        numkit.gpu.vmf_rvs(mu_of(30), 5.0)
    with pytest.raises(ValueError, match="unit"):
        numkit.gpu.vmf_rvs(dev(2 * mu_of(30)), 5.0)
    with pytest.raises(ValueError):
        numkit.gpu.vmf_rvs(mu, -1.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logpdf_of_a_device_array_runs_on_the_device(dtype):
    d = VonMisesFisher(mu_of(40).astype(dtype), 300.0)
    x = d.rvs((3, 50), random_state=8)
    got = d.logpdf(dev(x))
    assert isinstance(got, DeviceArray) and got.shape == (3, 50) and got.dtype == dtype
    rtol = 1e-14 if dtype == np.float64 else 2 * np.finfo(np.float32).eps
    np.testing.assert_allclose(np.asarray(got), d.logpdf(x), rtol=rtol)
    with pytest.raises(ValueError, match="unit vectors"):
        d.logpdf(dev(2 * x))
    # normalize=True: the device divides by float64 norms (the CPU rounds a unit float32 copy
    # first), so the reference is the float64 density of the float64-normalized rows
    x64 = x.astype(np.float64)
    ref = VonMisesFisher(d.mu, 300.0).logpdf(x64 / np.linalg.norm(x64, axis=-1, keepdims=True))
    got = np.asarray(d.logpdf(dev(2 * x), normalize=True))
    np.testing.assert_allclose(got, ref.astype(dtype), rtol=rtol)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.bool_, np.float16])
def test_device_logpdf_casts_other_real_dtypes_as_the_host(dtype):
    # (integer and float16 rows raised TypeError on the device; the host casts them to float64)
    x = np.eye(6, dtype=dtype)
    mu = mu_of(6)
    want = VonMisesFisher(mu, 3.0).logpdf(x)
    got = numkit.gpu.vmf_logpdf(dev(x), dev(mu), 3.0)
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-14)
    with pytest.raises(TypeError, match="real numeric"):
        numkit.gpu.vmf_logpdf(dev(x.astype(np.complex128)), dev(mu), 3.0)


def test_device_logpdf_projects_rows_and_is_exact_near_the_mode_as_the_host():
    # rows within the tolerance are their directions, and at kappa = 1e12 1 - mu.u comes from
    # |u - mu|^2 / 2 on the device too
    mu = mu_of(30)
    d = VonMisesFisher(mu, 1e12)
    x = d.rvs(40, random_state=3) * (1 + 5e-7)
    got = np.asarray(d.logpdf(dev(x)))
    # (host and device round x / |x| apart: kappa |u - mu| eps ~ 4e-10 nats is the conditioning;
    # 1 - mu.x would be 1e-4 off)
    np.testing.assert_allclose(got, d.logpdf(x), rtol=0, atol=1e-9)
    np.testing.assert_allclose(got, d.logpdf(x / np.linalg.norm(x, axis=1)[:, None]), atol=1e-9)
