"""The analytic halo references are themselves checked against mpmath before anything uses them."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from .halo_reference import hernquist_mean_sigma, hernquist_sigma, nfw_mean_sigma, nfw_sigma

# Points in every branch: small-X closed form, series on both sides of X = 1, large X.
POINTS = [1e-5, 1e-3, 0.2, 0.8, 0.9, 0.999, 1.0, 1.001, 1.1, 1.2, 3.0, 1e2, 1e4, 1e6]


def _mp_f(x: mp.mpf) -> mp.mpf:
    if x == 1:
        return mp.mpf(1)
    if x < 1:
        return mp.acosh(1 / x) / mp.sqrt(1 - x * x)
    return mp.acos(1 / x) / mp.sqrt(x * x - 1)


def _mp_closed_forms(x: float) -> dict[str, mp.mpf]:
    with mp.workdps(60):
        X = mp.mpf(x)
        if X == 1:
            return {
                "nfw_sigma": mp.mpf(2) / 3,
                "nfw_mean_sigma": 4 * (1 - mp.log(2)),
                "hernquist_sigma": mp.mpf(4) / 15 / (2 * mp.pi),
                "hernquist_mean_sigma": 1 / (3 * mp.pi),
            }
        F = _mp_f(X)
        e = 1 - X * X
        return {
            "nfw_sigma": 2 * (F - 1) / e,
            "nfw_mean_sigma": 4 * (mp.log(X / 2) + F) / (X * X),
            "hernquist_sigma": ((2 + X * X) * F - 3) / (2 * mp.pi * e * e),
            "hernquist_mean_sigma": (F - 1) / (mp.pi * e),
        }


FUNCS = {
    "nfw_sigma": nfw_sigma,
    "nfw_mean_sigma": nfw_mean_sigma,
    "hernquist_sigma": hernquist_sigma,
    "hernquist_mean_sigma": hernquist_mean_sigma,
}


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_reference_matches_mpmath_closed_form(name: str) -> None:
    # 60-digit closed forms have no cancellation problem; the float64 reference must agree to
    # 1e-14 relative (a few ulp times the mild cancellation left at |1 - X^2| = 0.3).
    got = FUNCS[name](np.array(POINTS))
    want = np.array([float(_mp_closed_forms(x)[name]) for x in POINTS])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)


def _rho_nfw(r: mp.mpf) -> mp.mpf:
    return 1 / (r * (1 + r) ** 2)


def _rho_hernquist(r: mp.mpf) -> mp.mpf:
    return 1 / (2 * mp.pi * r * (1 + r) ** 3)


@pytest.mark.parametrize("x", [0.05, 0.7, 1.0, 2.5])
def test_closed_forms_are_the_projections(x: float) -> None:
    # The formulas themselves: Sigma(X) = 2 int_0^inf rho(sqrt(X^2 + z^2)) dz and
    # Sigma(<X) = (2 / X^2) int_0^X Sigma(t) t dt, by mpmath quadrature.
    with mp.workdps(30):
        X = mp.mpf(x)
        for rho, sig, mean in (
            (_rho_nfw, nfw_sigma, nfw_mean_sigma),
            (_rho_hernquist, hernquist_sigma, hernquist_mean_sigma),
        ):
            proj = 2 * mp.quad(lambda z, rho=rho: rho(mp.sqrt(X * X + z * z)), [0, 1, mp.inf])
            assert float(proj) == pytest.approx(float(sig(np.array([x]))[0]), rel=1e-12)
            inner = mp.quad(lambda t, sig=sig: float(sig(np.array([float(t)]))[0]) * t, [0, X])
            assert float(2 * inner / (X * X)) == pytest.approx(
                float(mean(np.array([x]))[0]), rel=1e-10
            )
