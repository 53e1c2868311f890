"""Independent references for the quadrature tests: mpmath dense Bayesian quadrature.

The dense formulation (Gram matrix, kernel means by numerical quadrature, LU solve) is the textbook
definition of BQ; in 50-digit arithmetic its condition numbers (up to 1e18 here) do not matter, so
it checks the state-space weights and the posterior variance of numkit digit for digit.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

# Polynomial coefficients as exact rationals (built at the working precision when used).
COEFFS = {
    "matern12": (0, [(1, 1)]),
    "matern32": (1, [(1, 1), (1, 1)]),
    "matern52": (2, [(1, 1), (1, 1), (1, 3)]),
    "matern72": (3, [(1, 1), (1, 1), (2, 5), (1, 15)]),
}


def mp_kernel(kernel: str, ell, a):
    """k(s, t) as an mpmath function (Rasmussen & Williams eq. 4.16; Wiener: ell + min - a)."""
    if kernel == "wiener":
        return lambda s, t: ell + min(s, t) - a
    p, frac = COEFFS[kernel]
    c = [mp.mpf(num) / den for num, den in frac]
    lam = mp.sqrt(2 * p + 1) / ell

    def k(s, t):
        u = lam * abs(s - t)
        return mp.exp(-u) * sum(ci * u**i for i, ci in enumerate(c))

    return k


def dense_bq(nodes, kernel: str, ell: float, domain, dps: int = 50):
    """(weights, posterior variance) of dense BQ in `dps`-digit arithmetic."""
    with mp.workdps(dps):
        a, b = (mp.mpf(v) for v in domain)
        ell = mp.mpf(ell)
        x = [mp.mpf(float(t)) for t in nodes]
        k = mp_kernel(kernel, ell, a)
        n = len(x)
        K = mp.matrix(n, n)
        for i in range(n):
            for j in range(n):
                K[i, j] = k(x[i], x[j])
        z = mp.matrix([mp.quad(lambda t, xi=xi: k(xi, t), [a, xi, b]) for xi in x])
        # v0 = int int k(s, t) = 2 int_0^L (L - r) k(r) dr for a stationary kernel
        if kernel == "wiener":
            v0 = mp.quad(lambda s: mp.quad(lambda t: k(s, t), [a, s, b]), [a, b])
        else:
            L = b - a
            v0 = 2 * mp.quad(lambda r: (L - r) * k(r, 0), [0, L])
        w = mp.lu_solve(K, z)
        var = v0 - (z.T * w)[0]
        return np.array([float(v) for v in w]), float(var)
