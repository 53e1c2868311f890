"""The Bessel-function quantities of the vMF distribution, from numkit.special and numkit._core.

A_p(kappa) = I_{p/2}(kappa) / I_{p/2-1}(kappa) is the mean resultant length of a vMF in R^p and
the left side of the MLE equation; its derivative has the closed form
A_p'(kappa) = 1 - A^2 - (p - 1) A / kappa (Mardia & Jupp 2000, Appendix 1).
"""

from __future__ import annotations

import math

import numpy as np

from numkit._core.stats import vmf_log_normalizer, vmf_log_normalizer_e
from numkit.special import iv_ratio

__all__ = [
    "mean_resultant_length",
    "mrl_derivative",
    "one_minus_mrl",
    "vmf_log_normalizer",
    "vmf_log_normalizer_e",
]


def mean_resultant_length(p: float, kappa: np.ndarray | float) -> np.ndarray | float:
    """A_p(kappa) = I_{p/2}(kappa)/I_{p/2-1}(kappa); 0 at kappa = 0."""
    kappa = np.asarray(kappa, dtype=np.float64)
    out = np.where(kappa > 0, iv_ratio(0.5 * p, np.where(kappa > 0, kappa, 1.0)), 0.0)
    return out if out.ndim else float(out)


_EPS = 2.220446049250313e-16


def _large_kappa_coefficients(p: float) -> tuple[float, ...]:
    """a_1..a_7 of A_p(kappa) ~ 1 - sum_j a_j / kappa^j (kappa -> inf).

    Obtained by substituting the series into the Riccati equation
    A' = 1 - A^2 - (p - 1) A / kappa and matching powers of 1/kappa (p = 2 gives the classical
    I_1/I_0 ~ 1 - 1/(2x) - 1/(8x^2) - 1/(8x^3) - ...).
    """
    q1, q3 = p - 1.0, p - 3.0
    return (
        q1 / 2,
        -q3 * q1 / 8,
        -q3 * q1 / 8,
        (p - 7.0) * q3 * q1 * (p + 3.0) / 128,
        q3 * q1 * (p * p - 4 * p - 9) / 32,
        -q3 * q1 * (p**4 - 8 * p**3 - 90 * p**2 + 424 * p + 633) / 1024,
        -q3 * q1 * (p**4 - 8 * p**3 - 29 * p**2 + 180 * p + 216) / 128,
    )


def mrl_derivative(p: float, kappa: float, a: float) -> float:
    """A_p'(kappa) given a = A_p(kappa); 1/p at kappa = 0 (the slope of A_p at the origin).

    The closed form 1 - A^2 - (p - 1) A / kappa cancels at large kappa, where
    A' ~ (p - 1)/(2 kappa^2) while each term is O(1): its relative error is about
    4 eps kappa^2 / (p - 1) (order 1 at kappa = 1e8, p = 2). Where that is worse than the
    truncation error of the large-kappa series A' = sum_j j a_j / kappa^(j+1) (valid for
    kappa >> p), the series is used instead.
    """
    if kappa == 0.0:
        return 1.0 / p
    small = kappa * kappa / (p * (p + 2.0))
    if small < 1e-9:
        # Small kappa / large p: the closed form cancels to 0 while A_p ~ kappa/p; the series
        # A_p = kappa/p - kappa^3/(p^2 (p + 2)) + O(kappa^5/p^5) gives A' to 10 small^2 < 1e-17.
        return (1.0 - 3.0 * small) / p
    closed = 1.0 - a * a - (p - 1.0) * a / kappa
    err_closed = 4.0 * _EPS * kappa * kappa / (p - 1.0)
    if err_closed <= 1e-13 or kappa < 20.0 * p:
        return closed
    x = 1.0 / kappa
    terms = [j * c * x ** (j + 1) for j, c in enumerate(_large_kappa_coefficients(p), start=1)]
    series = math.fsum(terms)
    err_series = abs(terms[-1]) / abs(series) + 4 * _EPS
    return series if err_series < err_closed else closed


def one_minus_mrl(p: float, kappa: float) -> float:
    """1 - A_p(kappa), accurate in relative terms also where A_p rounds to nearly 1.

    1 - iv_ratio loses log10(1/(1 - A)) digits; for kappa >> p the large-kappa series
    sum_j a_j / kappa^j is used instead when its truncation error is below that loss.
    """
    a = float(mean_resultant_length(p, kappa))
    direct = 1.0 - a
    if kappa < 20.0 * p:
        return direct
    x = 1.0 / kappa
    terms = [c * x**j for j, c in enumerate(_large_kappa_coefficients(p), start=1)]
    series = math.fsum(terms)
    if series <= 0.0:  # kappa = inf
        return direct
    # Where A_p rounds to 1 (kappa >~ 1e16 p), direct is 0 and the series is the answer (it
    # converges fastest exactly there); returning direct made entropy() lose (p - 1) / 2.
    if direct <= 0.0 or abs(terms[-1]) / series < _EPS / direct:
        return series
    return direct
