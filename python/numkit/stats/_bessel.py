"""The Bessel-function quantities of the vMF distribution, from numkit.special and numkit._core.

A_p(kappa) = I_{p/2}(kappa) / I_{p/2-1}(kappa) is the mean resultant length of a vMF in R^p and
the left side of the MLE equation; its derivative has the closed form
A_p'(kappa) = 1 - A^2 - (p - 1) A / kappa (Mardia & Jupp 2000, Appendix 1).
"""

from __future__ import annotations

import numpy as np

from numkit._core import vmf_log_normalizer, vmf_log_normalizer_e
from numkit.special import iv_ratio

__all__ = ["mean_resultant_length", "mrl_derivative", "vmf_log_normalizer", "vmf_log_normalizer_e"]


def mean_resultant_length(p: float, kappa: np.ndarray | float) -> np.ndarray | float:
    """A_p(kappa) = I_{p/2}(kappa)/I_{p/2-1}(kappa); 0 at kappa = 0."""
    kappa = np.asarray(kappa, dtype=np.float64)
    out = np.where(kappa > 0, iv_ratio(0.5 * p, np.where(kappa > 0, kappa, 1.0)), 0.0)
    return out if out.ndim else float(out)


def mrl_derivative(p: float, kappa: float, a: float) -> float:
    """A_p'(kappa) given a = A_p(kappa); 1/p at kappa = 0 (the slope of A_p at the origin)."""
    if kappa == 0.0:
        return 1.0 / p
    return 1.0 - a * a - (p - 1.0) * a / kappa
