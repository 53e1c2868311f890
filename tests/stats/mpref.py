"""Independent mpmath references for the vMF: the normalizer and A_p from their defining integrals.

The normalizer and A_p use no Bessel function (gap_and_kappa, the MLE of given rows, uses
mpmath's). With t = cos(theta), the normalizing integral of the vMF on S^{p-1} is

    1 / C_p(kappa) = |S^{p-2}| * integral_0^pi exp(kappa cos th) sin(th)^(p-2) d th,
    |S^{p-2}| = 2 pi^((p-1)/2) / Gamma((p-1)/2),

and A_p(kappa) = E[cos th] is the ratio of the same integral with an extra cos(th). The integrand
exp(g(th)), g = kappa cos th + (p-2) log sin th, is peaked at th* with
kappa sin^2 th* = (p-2) cos th*; it is integrated with mpmath's tanh-sinh quadrature after
factoring out exp(g(th*)), on intervals split at th* +- (1, 4, 16, 64) standard widths
1/sqrt(-g''(th*)).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

DPS = 40


def _peak(p: int, kappa: mp.mpf) -> tuple[mp.mpf, mp.mpf]:
    if kappa == 0:
        return mp.pi / 2, mp.mpf(1) / mp.sqrt(max(p - 2, 1))
    if p == 2:
        return mp.mpf(0), 1 / mp.sqrt(kappa)
    # kappa (1 - c^2) = (p - 2) c with c = cos th*:
    # c = 2 kappa / ((p-2) + sqrt((p-2)^2 + 4 kappa^2))
    c = 2 * kappa / ((p - 2) + mp.sqrt((p - 2) ** 2 + 4 * kappa**2))
    th = mp.acos(c)
    g2 = kappa * c + (p - 2) / mp.sin(th) ** 2
    return th, 1 / mp.sqrt(g2)


def _integrals(p: int, kappa: float, with_cos: bool) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
    """(g*, integral of exp(g - g*), integral of cos * exp(g - g*))."""
    k = mp.mpf(kappa)
    th0, w = _peak(p, k)

    def g(th: mp.mpf) -> mp.mpf:
        s = mp.sin(th)
        return k * mp.cos(th) + ((p - 2) * mp.log(s) if p > 2 else 0)

    gs = g(th0) if (p == 2 or th0 > 0) else g(mp.mpf("1e-30"))
    pts = {mp.mpf(0), mp.pi, th0}
    for m in (1, 4, 16, 64):
        for sgn in (-1, 1):
            t = th0 + sgn * m * w
            if 0 < t < mp.pi:
                pts.add(t)
    pts = sorted(pts)

    def f0(th: mp.mpf) -> mp.mpf:
        if 0 < th < mp.pi:
            return mp.exp(g(th) - gs)
        return mp.exp(k * mp.cos(th) - gs) if p == 2 else mp.mpf(0)

    i0 = mp.quad(f0, pts)
    i1 = mp.quad(lambda th: mp.cos(th) * f0(th), pts) if with_cos else mp.mpf(0)
    return gs, i0, i1


def log_normalizer(p: int, kappa: float) -> mp.mpf:
    """log C_p(kappa) to about DPS digits (kappa >= 0, p >= 2)."""
    with mp.workdps(DPS):
        h = mp.mpf(p - 1) / 2
        log_area = mp.log(2) + h * mp.log(mp.pi) - mp.loggamma(h)
        if kappa == 0:
            hp = mp.mpf(p) / 2
            return -(mp.log(2) + hp * mp.log(mp.pi) - mp.loggamma(hp))
        gs, i0, _ = _integrals(p, kappa, False)
        return -(log_area + gs + mp.log(i0))


def mean_resultant_length(p: int, kappa: float) -> mp.mpf:
    """A_p(kappa) = E[mu.x] = I_{p/2}(kappa)/I_{p/2-1}(kappa), from the integrals."""
    with mp.workdps(DPS):
        if kappa == 0:
            return mp.mpf(0)
        _, i0, i1 = _integrals(p, kappa, True)
        return i1 / i0


def gap_and_kappa(x: np.ndarray, w: np.ndarray | None = None) -> tuple[mp.mpf, mp.mpf]:
    """1 - Rbar of the stored rows (each normalized exactly) and the root of 1 - A_p(kappa) =
    1 - Rbar, with mpmath's Bessel functions at 60 digits."""
    with mp.workdps(60):
        n, p = x.shape
        ws = [mp.mpf(1)] * n if w is None else [mp.mpf(float(v)) for v in w]
        rows = [[mp.mpf(float(v)) for v in row] for row in x]
        norms = [mp.sqrt(mp.fsum(v * v for v in row)) for row in rows]
        s = [mp.fsum(ws[i] * rows[i][j] / norms[i] for i in range(n)) for j in range(p)]
        gap = 1 - mp.sqrt(mp.fsum(v * v for v in s)) / mp.fsum(ws)
        nu = mp.mpf(p) / 2

        def f(logk: mp.mpf) -> mp.mpf:
            k = mp.exp(logk)
            return mp.log((1 - mp.besseli(nu, k) / mp.besseli(nu - 1, k)) / gap)

        kappa = mp.exp(mp.findroot(f, mp.log((p - 1) / (2 * gap))))
        return gap, kappa
