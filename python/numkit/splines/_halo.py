"""NFW surface density, the built-in example function of the demo and the notebook.

Sigma(X) = 2 rho_s r_s (F(X) - 1) / (1 - X^2), X = R / r_s, with F(X) = arccosh(1/X)/sqrt(1 - X^2)
(X < 1) or arccos(1/X)/sqrt(X^2 - 1) (X > 1) (Bartelmann 1996; Wright & Brainerd 2000). Near X = 1
the closed form cancels; there (F - 1)/(1 - X^2) = sum_{k>=1} e^{k-1}/(2k + 1), e = 1 - X^2.
(The tests carry their own, mpmath-checked, reference: this module is not a reference.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

_SERIES = 1.0 / (2.0 * np.arange(1, 65) + 1.0)


def nfw_sigma(x: ArrayLike, rho_s: float = 1.0, r_s: float = 1.0) -> NDArray[np.float64]:
    """NFW surface density at projected radius x (same units as r_s)."""
    X = np.asarray(x, dtype=np.float64) / r_s
    e = (1.0 - X) * (1.0 + X)
    near = np.abs(e) < 0.3
    out = np.empty_like(X)
    below, above = (X < 1) & ~near, (X > 1) & ~near
    s = np.sqrt(e[below])
    out[below] = (np.log((1.0 + s) / X[below]) / s - 1.0) / e[below]
    r = np.sqrt(-e[above])
    out[above] = (np.arctan(r) / r - 1.0) / e[above]
    acc = np.zeros(int(near.sum()))
    for c in _SERIES[::-1]:
        acc = acc * e[near] + c
    out[near] = acc
    return 2.0 * rho_s * r_s * out
