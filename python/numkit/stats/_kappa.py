"""Solving the vMF likelihood equation A_p(kappa) = R for the concentration kappa.

A_p(kappa) = I_{p/2}(kappa)/I_{p/2-1}(kappa) increases from 0 to 1, so the root is unique for
0 < R < 1. The solver follows Sra (2012), "A short note on parameter approximation for von
Mises-Fisher distributions", Comput. Stat. 27: Banerjee et al.'s (2005) closed-form estimate
kappa_0 = R (p - R^2) / (1 - R^2) followed by two Newton steps with
A_p'(kappa) = 1 - A^2 - (p - 1) A / kappa. It then continues with a safeguarded Newton iteration
inside the bracket of Tanabe et al. (2007), "Parameter estimation for von Mises-Fisher
distributions", Comput. Stat. 22:
    R (p - 2) / (1 - R^2) <= kappa <= R p / (1 - R^2),
keeping the bracket updated from the sign of A_p(kappa) - R and bisecting whenever a Newton step
would leave it, until the residual is at the rounding level of A_p. A bracket end is never returned
as an answer: if the iteration stops without meeting the tolerance the result says so.

Near Rbar = 1 a double A_p(kappa) cannot resolve kappa better than eps / (1 - Rbar) relative. When
the root lies far in the large-kappa regime (kappa >> p), the asymptotic series
1 - A_p(kappa) = sum_j a_j / kappa^j (see _bessel.py) is solved for kappa against 1 - Rbar, which is
exact in floating point; that answer replaces the Newton one when its truncation error is smaller
and the two agree to the Newton answer's uncertainty.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ._bessel import _large_kappa_coefficients, mean_resultant_length, mrl_derivative
from ._validate import MAX_DIM, check_count, check_real

__all__ = ["KappaSolution", "solve_kappa", "solve_kappa_from_gap"]

_EPS = 2.220446049250313e-16


class KappaSolution(NamedTuple):
    """The root of A_p(kappa) = R with how it was found."""

    kappa: float
    n_iter: int
    converged: bool
    residual: float  # A_p(kappa) - R at the returned kappa


def solve_kappa(p: int, rbar: float, *, max_iter: int = 100) -> KappaSolution:
    """The concentration kappa with A_p(kappa) = rbar, to full double precision.

    Parameters
    ----------
    p : int or float
        Dimension of the ambient space, 2 <= p <= 2**53 (A_p is defined for real p; beyond 2**53
        p is no longer an exact integer in double precision and the solve is not validated).
    rbar : float
        Mean resultant length, 0 <= rbar < 1. rbar = 0 gives kappa = 0.
    max_iter : int
        Newton iterations allowed after Sra's two steps (a positive integer).

    Returns
    -------
    KappaSolution
        ``(kappa, n_iter, converged, residual)``.

    Raises
    ------
    TypeError
        If p, rbar or max_iter is not a real number (an integer for max_iter).
    ValueError
        If p is outside [2, 2**53] or not finite, max_iter < 1, or rbar is NaN, outside [0, 1],
        or 1 to rounding (all points identical: kappa is infinite).
    """
    pf = _check_p(p)
    max_iter = check_count(max_iter, "max_iter")
    r = check_real(rbar, "rbar")
    if not (0.0 <= r <= 1.0):
        raise ValueError(f"the mean resultant length must be in [0, 1), got {r}")
    if r == 0.0:
        return KappaSolution(0.0, 0, True, 0.0)
    one_minus_r = 1.0 - r
    if one_minus_r <= 8 * _EPS:
        raise ValueError(
            f"the mean resultant length is 1 to rounding (1 - Rbar = {one_minus_r:.3g} <= 8 eps):"
            " the points are identical, or closer than ~1e-7 rad, and the maximum-likelihood"
            " kappa is infinite or beyond what float64 resolves"
        )
    return _root(pf, r, one_minus_r, max_iter)


def solve_kappa_from_gap(p: int, one_minus_rbar: float, *, max_iter: int = 100) -> KappaSolution:
    """:func:`solve_kappa` given 1 - Rbar itself (0 < 1 - Rbar <= 1), which fit_vmf computes to
    full precision from the spread of the data: kappa then stays exact where Rbar rounds to 1."""
    pf = _check_p(p)
    max_iter = check_count(max_iter, "max_iter")
    gap = float(one_minus_rbar)
    if not (0.0 <= gap <= 1.0):
        raise ValueError(f"1 - Rbar must be in (0, 1], got {gap}")
    if gap == 1.0:
        return KappaSolution(0.0, 0, True, 0.0)
    if gap == 0.0:
        raise ValueError(
            "the points are identical (to rounding: their directions differ by less than ~5e-15"
            " rad): the maximum-likelihood kappa is infinite"
        )
    sol = _root(pf, 1.0 - gap, gap, max_iter)
    if not math.isfinite(sol.kappa):
        raise ValueError(
            f"1 - Rbar = {gap:.3g}: the maximum-likelihood kappa ~ (p - 1) / (2 (1 - Rbar)) is "
            "beyond the double range"
        )
    return sol


def _check_p(p: object) -> float:
    pf = check_real(p, "p")
    if not (2.0 <= pf <= MAX_DIM):
        raise ValueError(f"p must be a finite number with 2 <= p <= 2**53, got {pf!r}")
    return pf


def _root(pf: float, r: float, one_minus_r: float, max_iter: int) -> KappaSolution:
    """The root for 0 < r < 1 with one_minus_r = 1 - r (exact, or more accurate than 1 - r)."""
    one_minus_r2 = one_minus_r * (1.0 + r)
    lo = r * (pf - 2.0) / one_minus_r2  # Tanabe et al. (2007) lower bound
    hi = r * pf / one_minus_r2  # ... and upper bound
    kappa = r * (pf - r * r) / one_minus_r2  # Banerjee et al. (2005); lies inside [lo, hi]
    best = (math.inf, kappa)
    n_iter = 0

    def newton_from(k: float) -> tuple[float, float]:
        a = float(mean_resultant_length(pf, k))
        f = a - r
        slope = mrl_derivative(pf, k, a)
        # A_p is strictly increasing; a slope that rounds to <= 0 makes the safeguard bisect.
        return f, (f / slope if slope > 0 else math.inf)

    converged = False
    for _ in range(max_iter + 2):  # Sra's two Newton steps, then up to max_iter more
        f, step = newton_from(kappa)
        n_iter += 1
        if abs(f) < best[0]:
            best = (abs(f), kappa)
        if f == 0.0:
            converged = True
            break
        if f < 0.0:
            lo = max(lo, kappa)
        else:
            hi = min(hi, kappa)
        candidate = kappa - step
        inside = lo < candidate < hi
        # At the rounding level of A_p (|f| ~ eps R) or for a step below eps kappa, this Newton
        # step is the last one: it can only polish the root.
        if abs(f) <= 2.0 * _EPS * r or abs(step) <= _EPS * kappa:
            if inside:
                kappa = candidate
            converged = True
            break
        if not inside:  # the safeguard: bisect the bracket (which is narrow: hi/lo = p/(p-2))
            candidate = 0.5 * (lo + hi)
        kappa = candidate
        if hi - lo <= 4.0 * _EPS * hi:
            converged = True
            break
    if not converged:
        kappa = best[1]
    elif one_minus_r < 0.01:
        kappa = _far_root_polish(pf, one_minus_r, kappa)
    f_final = float(mean_resultant_length(pf, kappa)) - r
    return KappaSolution(kappa, n_iter, converged, f_final)


def _far_root_polish(p: float, one_minus_r: float, kappa: float) -> float:
    """Solve sum_j a_j x^j = 1 - Rbar (x = 1/kappa) by Newton; keep it if it is the better root."""
    coeffs = _large_kappa_coefficients(p)
    x = 1.0 / kappa
    for _ in range(30):
        powers = [x**j for j in range(1, len(coeffs) + 1)]
        value = math.fsum(c * xp for c, xp in zip(coeffs, powers)) - one_minus_r
        slope = math.fsum(j * c * xp / x for j, (c, xp) in enumerate(zip(coeffs, powers), start=1))
        if not slope > 0:
            return kappa
        dx = value / slope
        x -= dx
        if abs(dx) <= 1e-17 * x:
            break
    if not x > 0:
        return kappa
    truncation = abs(coeffs[-1] * x ** len(coeffs)) / one_minus_r + 4 * _EPS
    newton_uncertainty = 4 * _EPS / one_minus_r
    candidate = 1.0 / x
    if truncation < newton_uncertainty and abs(candidate / kappa - 1) <= 8 * newton_uncertainty:
        return candidate
    return kappa
