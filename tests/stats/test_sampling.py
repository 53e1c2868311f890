"""VonMisesFisher.rvs: Wood's sampler + Householder reflection.

References are analytic (E[t] = A_p(kappa), Var t = A_p'(kappa), uniform tangent directions) with
A_p from mpmath's integral (mpref.py), never from numkit.
"""

from __future__ import annotations

import numpy as np
import pytest
from numkit.stats import VonMisesFisher, fit_vmf

from . import mpref
from .helpers import random_direction, unit


def a_and_var(p: int, kappa: float) -> tuple[float, float]:
    """A_p(kappa) (mpmath) and Var(t) = 1 - A^2 - (p - 1) A / kappa (= 1/p at kappa = 0)."""
    a = float(mpref.mean_resultant_length(p, kappa))
    if kappa == 0:
        return 0.0, 1.0 / p
    import mpmath as mp

    with mp.workdps(40):
        am = mpref.mean_resultant_length(p, kappa)
        var = float(1 - am**2 - (p - 1) * am / kappa)
    return a, var


@pytest.mark.parametrize(
    ("p", "kappa"),
    [
        (2, 0.0),
        (2, 1.0),
        (3, 10.0),
        (10, 1e8),
        (100, 3.0),
        (2048, 512.0),
        (2048, 20480.0),
        (8192, 8192.0),
        (65536, 1e5),
    ],
)
def test_mean_of_t_matches_a_p_to_sampling_error(p: int, kappa: float) -> None:
    n = 4000 if p < 2048 else (1000 if p == 2048 else 100)
    mu = random_direction(p, 3)
    x = VonMisesFisher(mu, kappa).rvs(n, random_state=11)
    assert x.shape == (n, p) and x.dtype == np.float64
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=4e-15)
    t = x @ mu
    a, var = a_and_var(p, kappa)
    se = np.sqrt(var / n)
    assert abs(t.mean() - a) <= 4.5 * se, (t.mean(), a, se)
    # the spread is right too: Var(t) = A_p'(kappa), checked to 5 standard errors of a variance
    assert abs(t.var() / var - 1) <= 5 * np.sqrt(2.0 / n) + 0.02


def test_tangent_directions_are_uniform() -> None:
    # E[x] = A mu exactly: the mean of the components orthogonal to mu vanishes, with per-coordinate
    # variance (1 - E t^2)/(p - 1) = A / kappa per sample.
    p, kappa, n = 50, 40.0, 20000
    mu = random_direction(p, 5)
    x = VonMisesFisher(mu, kappa).rvs(n, random_state=2)
    tangent_mean = x.mean(axis=0) - (x.mean(axis=0) @ mu) * mu
    a, _ = a_and_var(p, kappa)
    sd = np.sqrt(a / kappa / n)
    z2 = (tangent_mean @ tangent_mean) / sd**2  # ~ chi^2 with p - 1 degrees of freedom
    assert abs(z2 - (p - 1)) <= 5 * np.sqrt(2 * (p - 1))


def test_huge_kappa_keeps_relative_accuracy_of_one_minus_t() -> None:
    # kappa = 1e8, p = 3: 1 - t ~ Exp with mean 1/kappa. Computed naively, t rounds to 1.
    p, kappa, n = 3, 1e8, 20000
    mu = unit(p, 2)
    x = VonMisesFisher(mu, kappa).rvs(n, random_state=3)
    one_minus_t = 0.5 * np.sum((x - mu) ** 2, axis=1)  # accurate for t close to 1
    # for p = 3, kappa (1 - t) is Exp(1) up to e^{-2 kappa}: mean 1, sd 1
    assert abs(kappa * one_minus_t.mean() - 1) <= 5 / np.sqrt(n)


@pytest.mark.parametrize("which", ["e1", "minus_e1", "near_e1", "last_axis"])
def test_householder_edge_directions(which: str) -> None:
    p = 64
    mu = {
        "e1": unit(p),
        "minus_e1": -unit(p),
        "near_e1": unit(p) + 1e-9 * random_direction(p, 0),
        "last_axis": unit(p, p - 1),
    }[which]
    mu = mu / np.linalg.norm(mu)
    x = VonMisesFisher(mu, 1e4).rvs(500, random_state=4)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-15)
    a, var = a_and_var(p, 1e4)
    assert abs((x @ mu).mean() - a) <= 5 * np.sqrt(var / 500)


def test_float32_samples_dtype_and_determinism() -> None:
    p = 1000
    mu = random_direction(p, 9).astype(np.float32)
    d = VonMisesFisher(mu, 500.0)
    x = d.rvs((3, 7), random_state=1)
    assert x.shape == (3, 7, p) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x.astype(np.float64), axis=-1), 1.0, atol=2e-6)
    np.testing.assert_array_equal(x, d.rvs((3, 7), random_state=1))
    assert not np.array_equal(x, d.rvs((3, 7), random_state=2))
    rng = np.random.default_rng(0)
    assert d.rvs(random_state=rng).shape == (p,)
    assert d.rvs(0).shape == (0, p)
    assert d.rvs(2, random_state=np.random.RandomState(0)).shape == (2, p)


@pytest.mark.parametrize("kappa", [1e6, 1e8, 1e12])
def test_float32_samples_stay_on_the_sphere_at_the_largest_p(kappa: float) -> None:
    # The reflection's dot product over p = 65536 float32 terms put rows ~1e-6 off the sphere
    # (so logpdf and fit_vmf refused the library's own samples) and mu.x above 1 at kappa = 1e12.
    p = 65536
    mu = random_direction(p, 4).astype(np.float32)
    x = VonMisesFisher(mu, kappa).rvs(40, random_state=0)
    x64 = x.astype(np.float64)
    assert np.abs(np.linalg.norm(x64, axis=1) - 1.0).max() < 2.5e-7
    assert (x64 @ mu.astype(np.float64)).max() <= 1.0 + 2.5e-7
    VonMisesFisher(mu, kappa).logpdf(x)  # accepted: rows within 1e-6 of unit norm


def test_rvs_bad_arguments() -> None:
    d = VonMisesFisher(unit(3), 1.0)
    with pytest.raises(ValueError, match="non-negative"):
        d.rvs(-1)
    with pytest.raises(TypeError, match="random_state"):
        d.rvs(2, random_state="seed")


def test_constructor_checks() -> None:
    with pytest.raises(ValueError, match="unit"):
        VonMisesFisher(np.array([1.0, 1.0]), 1.0)
    d = VonMisesFisher(np.array([3.0, 4.0]), 1.0, normalize=True)
    np.testing.assert_allclose(d.mu, [0.6, 0.8])
    with pytest.raises(ValueError, match="p >= 2"):
        VonMisesFisher(np.array([1.0]), 1.0)
    with pytest.raises(ValueError, match="NaN"):
        VonMisesFisher(np.array([np.nan, 1.0]), 1.0)
    with pytest.raises(ValueError, match="kappa"):
        VonMisesFisher(unit(3), -1.0)
    with pytest.raises(ValueError, match="kappa"):
        VonMisesFisher(unit(3), np.inf)
    with pytest.raises(TypeError):
        VonMisesFisher(unit(3), 1j)
    with pytest.raises(TypeError):
        VonMisesFisher(np.array(["a", "b"]), 1.0)
    with pytest.raises(ValueError, match="1-D"):
        VonMisesFisher(np.eye(3), 1.0)
    d = VonMisesFisher(unit(4), 2.5)
    assert "p=4" in repr(d) and d.dim == 4 and d.kappa == 2.5
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(d)) == d
    # mu stays read-only through pickle and deepcopy (an in-place edit would make it non-unit)
    fit = fit_vmf(d.rvs(20, random_state=0))
    for obj in (d, fit):
        for again in (pickle.loads(pickle.dumps(obj)), copy.deepcopy(obj)):
            assert not again.mu.flags.writeable
            assert np.array_equal(again.mu, obj.mu)
