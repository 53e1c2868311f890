"""High-precision references for the flat limit and the kernel integrals (mpmath, closed forms).

Dense BQ with the kernel means and the initial variance in closed form (regularized incomplete
gamma functions, DLMF 8.2.4), so that hundreds of digits cost milliseconds: at lengthscale /
spacing = 1e40 the Matern-7/2 Gram matrix differs from all-ones at relative order 1e-280, which a
400-digit solve still resolves with 100 digits to spare.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from ._reference import COEFFS, mp_kernel


def _coeffs(kernel: str):
    p, frac = COEFFS[kernel]
    return p, [mp.mpf(num) / den for num, den in frac]


def mp_kernel_mean(kernel: str, ell, a, b, x):
    """int_a^b k(x, t) dt = (Phi(lam (x - a)) + Phi(lam (b - x))) / lam."""
    p, c = _coeffs(kernel)
    lam = mp.sqrt(2 * p + 1) / ell

    def phi(s):
        return sum(
            c[m] * mp.factorial(m) * mp.gammainc(m + 1, 0, s, regularized=True)
            for m in range(p + 1)
        )

    return (phi(lam * (x - a)) + phi(lam * (b - x))) / lam


def mp_initial_variance(kernel: str, ell, a, b):
    """v0 = 2 / lam^2 sum_m c_m m! (S P(m + 1, S) - (m + 1) P(m + 2, S)), S = lam (b - a)."""
    p, c = _coeffs(kernel)
    lam = mp.sqrt(2 * p + 1) / ell
    S = lam * (b - a)
    total = 0
    for m in range(p + 1):
        P1 = mp.gammainc(m + 1, 0, S, regularized=True)
        P2 = mp.gammainc(m + 2, 0, S, regularized=True)
        total += c[m] * mp.factorial(m) * (S * P1 - (m + 1) * P2)
    return 2 * total / lam**2


def dense_bq_closed(nodes, kernel: str, ell: float, domain, dps: int):
    """(weights, posterior std) of dense BQ at `dps` digits, kernel integrals in closed form."""
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
        z = mp.matrix([mp_kernel_mean(kernel, ell, a, b, xi) for xi in x])
        w = mp.lu_solve(K, z)
        var = mp_initial_variance(kernel, ell, a, b) - (z.T * w)[0]
        return np.array([float(v) for v in w]), float(mp.sqrt(var))


def dense_quadform_logdet(nodes, y, kernel: str, ell: float, dps: int = 60):
    """(y^T K^-1 y, log det K) in `dps`-digit arithmetic."""
    with mp.workdps(dps):
        x = [mp.mpf(float(t)) for t in nodes]
        k = mp_kernel(kernel, mp.mpf(ell), x[0])
        n = len(x)
        K = mp.matrix(n, n)
        for i in range(n):
            for j in range(n):
                K[i, j] = k(x[i], x[j])
        yv = mp.matrix([mp.mpf(float(v)) for v in y])
        sol = mp.lu_solve(K, yv)
        return float((yv.T * sol)[0]), float(mp.log(mp.det(K)))
