"""Analytic surface densities of NFW and Hernquist haloes, accurate to a few ulp for 1e-6 < X < 1e6.

Units: NFW with rho_s = r_s = 1, Hernquist with M = a = 1; X = R / r_s (or R / a).
With e = 1 - X^2 and the common function

    F(X) = arccosh(1/X) / sqrt(1 - X^2)  (X < 1),   arccos(1/X) / sqrt(X^2 - 1)  (X > 1),

which is the single power series F = sum_k e^k / (2k + 1) around X = 1 (artanh(s)/s with s^2 = e):

    NFW        Sigma(X)      = 2 (F - 1) / (1 - X^2)      (Bartelmann 1996; Wright & Brainerd 2000)
               Sigma(<X)     = 4 g(X) / X^2,  g = ln(X/2) + F
    Hernquist  Sigma(X)      = ((2 + X^2) F - 3) / (2 pi (1 - X^2)^2)   (Hernquist 1990)
               Sigma(<X)     = (F - 1) / (pi (1 - X^2))   (projected mass M X^2 (F-1)/(1-X^2))

The closed forms cancel catastrophically near X = 1 (NFW Sigma, Hernquist Sigma: like e and e^2)
and g(X) does for small X (ln(X/2) + F -> 0). Here: series in e for |e| < 0.3 (terms 0.3^k, 64 of
them), and for X < 1  g = log1p(-X^2 / (2 (1 + s))) + ln((1 + s)/X) X^2 / ((1 + s) s),  s = sqrt(e),
with no cancellation. Hernquist's bracket is sum_{k>=2} e^k (4k - 4)/(4k^2 - 1). test_halo_reference
checks all four against mpmath (closed forms at 50 digits and the projection integrals).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SERIES_E = 0.3
_K = np.arange(64)


def _series(e: NDArray[np.float64], coef: NDArray[np.float64]) -> NDArray[np.float64]:
    """sum_k coef[k] e^k by Horner."""
    out = np.zeros_like(e)
    for c in coef[::-1]:
        out = out * e + c
    return out


def _parts(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    x = np.asarray(x, dtype=np.float64)
    e = (1.0 - x) * (1.0 + x)
    near = np.abs(e) < SERIES_E
    below = (x < 1) & ~near
    above = (x > 1) & ~near
    return x, e, near, below, above


def big_f(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """F(X) of the module docstring."""
    x, e, near, below, above = _parts(x)
    out = np.empty_like(x)
    s = np.sqrt(e[below])
    out[below] = np.log((1.0 + s) / x[below]) / s
    r = np.sqrt(-e[above])
    out[above] = np.arctan(r) / r
    out[near] = _series(e[near], 1.0 / (2 * _K + 1.0))
    return out


def nfw_f_minus_1_over_e(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """(F - 1) / (1 - X^2) = sum_{k>=1} e^{k-1} / (2k + 1)."""
    x, e, near, _, _ = _parts(x)
    out = np.empty_like(x)
    far = ~near
    out[far] = (big_f(x[far]) - 1.0) / e[far]
    out[near] = _series(e[near], 1.0 / (2 * (_K + 1) + 1.0))
    return out


def nfw_sigma(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """NFW surface density (rho_s = r_s = 1)."""
    return 2.0 * nfw_f_minus_1_over_e(x)


def nfw_g(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """g(X) = ln(X/2) + F(X), without cancellation for small X."""
    x, e, near, below, above = _parts(x)
    out = np.empty_like(x)
    xb = x[below]
    s = np.sqrt(e[below])
    out[below] = np.log1p(-xb * xb / (2.0 * (1.0 + s))) + np.log((1.0 + s) / xb) * xb * xb / (
        (1.0 + s) * s
    )
    out[above] = np.log(x[above] / 2.0) + big_f(x[above])
    out[near] = np.log(x[near] / 2.0) + _series(e[near], 1.0 / (2 * _K + 1.0))
    return out


def nfw_mean_sigma(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """NFW mean surface density inside X."""
    x = np.asarray(x, dtype=np.float64)
    return 4.0 * nfw_g(x) / (x * x)


def hernquist_sigma(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hernquist surface density (M = a = 1)."""
    x, e, near, _, _ = _parts(x)
    out = np.empty_like(x)
    far = ~near
    xf = x[far]
    out[far] = ((2.0 + xf * xf) * big_f(xf) - 3.0) / (e[far] * e[far])
    k = _K + 2.0
    out[near] = _series(e[near], (4 * k - 4) / (4 * k * k - 1))
    return out / (2.0 * np.pi)


def hernquist_mean_sigma(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hernquist mean surface density inside X."""
    return nfw_f_minus_1_over_e(x) / np.pi


PROFILES = {
    "nfw_sigma": nfw_sigma,
    "nfw_mean_sigma": nfw_mean_sigma,
    "hernquist_sigma": hernquist_sigma,
    "hernquist_mean_sigma": hernquist_mean_sigma,
}
