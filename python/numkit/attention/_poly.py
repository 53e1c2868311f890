"""The polynomial method of Alman & Song (ICLR 2024) for Kronecker attention, with its error bound.

With x_l = scale q_l k1_l k2_l and s = sum_l x_l, a degree-g polynomial p(s) = sum_t c_t s^t
expands into monomials: s^t = sum_{|a| = t} multinomial(a) prod_l x_l^{a_l}, and every monomial
factors into a q-part, a k1-part and a k2-part. So p(s_ijk) = <U1(q_i), U2(k1_j) * U3(k2_k)> with
features of rank r = C(d + g, g), and the softmax numerator and normalizer become

    sum_jk p(s_ijk) V1[j] * V2[k] = U1(q_i)^T [(U2^T V1) * (U3^T V2)],

O(n r dv) work instead of O(n^3 d). A causal mask turns the two sums into prefix sums.

p interpolates exp at the g + 1 Chebyshev points of [-R, R], R = |scale| sum_l max|Q_l| max|K1_l|
max|K2_l| >= |s_ijk| for every triple, computed from the inputs at run time.

Error bound (poly_error_bound), for every output entry:
- interpolation: |p - exp| <= e^R R^(g+1) / (2^g (g+1)!) on [-R, R] (Chebyshev nodes of the first
  kind; Trefethen, Approximation Theory and Approximation Practice, Thm 15.1 with the derivative
  bound e^R R^(g+1) of exp(R t));
- rounding: the coefficients (an allowance of 4 (g+1)^2 eps sum|a_t| in the Chebyshev-variable
  coefficients a_t) and the evaluation through features and sums, bounded by the standard
  gamma_m = m eps / (1 - m eps) per term, m = n1 + n2 + nq/32 + r + 3g + 16 operations deep, times
  P = sum_t |c_t| R^t, the largest sum of the absolute monomial terms;
- with eps_w the sum of these per-weight errors and every weight exp(s) >= e^-R, each output
  entry (a weighted mean of V1[j] * V2[k]) moves by at most 2 eps_w Vmax / (e^-R - eps_w), where
  Vmax = max_c max|V1_c| max|V2_c|, plus one rounding of the final division.
The bound is infinite when eps_w >= e^-R (the polynomial weights could vanish).

The arrays of a `Prepared` may be CuPy arrays (numkit.gpu): the features and GEMMs then run on
the device, and only the radius and the maxima of V come back to the host for the bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.polynomial import chebyshev as cheb

from numkit._lib.backend import is_cupy_array

from ._validate import MASK_CAUSAL, Prepared

EPS = float(np.finfo(np.float64).eps)
MAX_DEGREE = 12
MAX_RANK = 200_000
# Beyond this logit radius e^R overflows float64 (and e^-R is below any rounding allowance long
# before): the bound is infinite rather than an OverflowError.
_MAX_RADIUS = 700.0


@dataclass(frozen=True)
class PolyBound:
    """The polynomial method's a-priori error bound for one problem.

    Attributes
    ----------
    bound : float
        Rigorous bound on ``|poly - exact|`` for every output entry (inf when not guaranteed).
    degree : int
        Polynomial degree g.
    rank : int
        Feature rank r = C(d + g, g).
    radius : float
        R, a bound on every logit |s_ijk|.
    interpolation : float
        The Chebyshev interpolation error of exp on [-R, R] (per weight).
    rounding : float
        The floating-point allowance (per weight).
    output_scale : float
        max |V1[j] * V2[k]| (elementwise), which bounds every output entry: ``bound`` relative
        to it says how much of the output the guarantee leaves uncertain.
    """

    bound: float
    degree: int
    rank: int
    radius: float
    interpolation: float
    rounding: float
    output_scale: float = math.nan


def _xp(a: Any) -> Any:
    """The array module of a: CuPy for device arrays, else NumPy."""
    if is_cupy_array(a):
        from numkit import _gpu

        return _gpu.require_cupy()
    return np


def rank_of(d: int, degree: int) -> int:
    return math.comb(d + degree, degree)


def radius(p: Prepared) -> float:
    Q, K1, K2 = p.arrays[:3]
    if Q.shape[0] == 0:  # an empty batch: no logits
        return 0.0
    xp = _xp(Q)
    mq = xp.abs(Q).max(axis=(0, 1))
    m1 = xp.abs(K1).max(axis=(0, 1))
    m2 = xp.abs(K2).max(axis=(0, 1))
    return abs(p.scale) * float(xp.sum(mq * m1 * m2))


def _cheb_coefficients(R: float, g: int) -> np.ndarray:
    """Monomial coefficients a_t of the interpolant in t = s / R (t in [-1, 1])."""
    ct = cheb.chebinterpolate(lambda t: np.exp(R * t), g)
    a = np.zeros(g + 1)
    mono = cheb.cheb2poly(ct)  # (trailing zero coefficients are dropped: R ~ 0 gives [1.])
    a[: mono.size] = mono
    return a


def bound_for(p: Prepared, degree: int) -> PolyBound:
    R = radius(p)
    Rf = max(R, 1e-12)
    r = rank_of(p.d, degree)
    V1, V2 = p.arrays[3:5]
    xp = _xp(V1)
    vmax = 0.0  # (no output entries: an empty batch or sequence)
    if V1.size and V2.size:
        vmax = float(xp.max(xp.abs(V1).max(axis=(0, 1)) * xp.abs(V2).max(axis=(0, 1))))
    if Rf > _MAX_RADIUS:  # e^-R, the smallest weight, is below every allowance: no guarantee
        return PolyBound(math.inf, degree, r, R, math.inf, math.inf, vmax)
    a = _cheb_coefficients(Rf, degree)
    interp = math.exp(Rf) * Rf ** (degree + 1) / (2.0**degree * math.factorial(degree + 1))
    p_abs = float(np.abs(a).sum())
    m = p.n1 + p.n2 + p.nq // 32 + r + 3 * degree + 16
    gamma = m * EPS / (1 - m * EPS)
    rounding = 4 * (degree + 1) ** 2 * EPS * p_abs + gamma * p_abs
    eps_w = interp + rounding
    lower = math.exp(-Rf)
    if eps_w >= lower:
        bound = math.inf
    else:
        bound = 2 * eps_w * vmax / (lower - eps_w) + 2 * EPS * vmax
    return PolyBound(bound, degree, r, R, interp, rounding, vmax)


def check_rank(d: int, degree: int) -> int:
    """The feature rank C(d + degree, degree), or ValueError above MAX_RANK (the features alone
    would take rank x 4096 doubles, 6.5 GB at the cap, and the plan minutes of Python)."""
    r = rank_of(d, degree)
    if r > MAX_RANK:
        raise ValueError(
            f"degree={degree} at d={d} needs {r} features (C(d + degree, degree)), above the "
            f"{MAX_RANK} that method='poly' supports; use a lower degree or method='exact'"
        )
    return r


def smallest_degree(p: Prepared, atol: float) -> PolyBound | None:
    """The lowest degree whose bound meets atol (rank capped at MAX_RANK), or None."""
    for g in range(1, MAX_DEGREE + 1):
        if rank_of(p.d, g) > MAX_RANK:
            return None
        b = bound_for(p, g)
        if b.bound <= atol:
            return b
    return None


@lru_cache(maxsize=32)
def _plan(d: int, g: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """Monomials of degree <= g in d variables, graded: per degree t, (parent index, variable)
    arrays that build level t from level t-1; the degree and multinomial(a) of every monomial."""
    last = [0]
    exps = [np.zeros(d, dtype=np.int64)]
    levels = []
    frontier = [0]
    for _ in range(g):
        parents, coords, new = [], [], []
        for pidx in frontier:
            for var in range(last[pidx], d):
                parents.append(pidx)
                coords.append(var)
                e = exps[pidx].copy()
                e[var] += 1
                exps.append(e)
                last.append(var)
                new.append(len(exps) - 1)
        levels.append((np.array(parents), np.array(coords)))
        frontier = new
    E = np.array(exps)
    deg = E.sum(axis=1)
    multi = np.array(
        [
            math.factorial(int(t)) / math.prod(math.factorial(int(x)) for x in e)
            for t, e in zip(deg, E)
        ]
    )
    return levels, deg, multi


def _features(X: Any, levels: list[tuple[np.ndarray, np.ndarray]], r: int) -> Any:
    """(r, n) monomials prod_l X[:, l]^a_l, graded as _plan orders them (X's array module)."""
    xp = _xp(X)
    Xt = xp.ascontiguousarray(X.T)
    F = xp.empty((r, X.shape[0]))
    F[0] = 1.0
    start = 1
    for parents, coords in levels:
        F[start : start + parents.size] = F[xp.asarray(parents)] * Xt[xp.asarray(coords)]
        start += parents.size
    return F


def _with_ones(V: Any) -> Any:
    xp = _xp(V)
    return xp.concatenate([V, xp.ones((V.shape[0], 1))], axis=1)


def poly_prepared(p: Prepared, degree: int, block: int = 4096) -> Any:
    """(batch, nq, dv) by the polynomial method (mask None or causal), in p's array module."""
    R = max(radius(p), 1e-12)
    a = _cheb_coefficients(R, degree)
    check_rank(p.d, degree)
    levels, deg, multi = _plan(p.d, degree)
    r = deg.size
    # U1 carries c_t multinomial(a) scale^t with c_t = a_t / R^t.
    coef = (a / R ** np.arange(degree + 1))[deg] * multi * p.scale**deg
    Q, K1, K2, V1, V2 = p.arrays[:5]
    xp = _xp(Q)
    coef = xp.asarray(coef)
    out = xp.empty((Q.shape[0], p.nq, p.dv))
    for b in range(Q.shape[0]):
        v1, v2 = _with_ones(V1[b]), _with_ones(V2[b])
        if p.mode == MASK_CAUSAL:
            num = _poly_causal(Q[b], K1[b], K2[b], v1, v2, levels, r, coef)
        else:
            M1 = xp.zeros((r, v1.shape[1]))
            M2 = xp.zeros((r, v2.shape[1]))
            for s in range(0, p.n1, block):
                M1 += _features(K1[b, s : s + block], levels, r) @ v1[s : s + block]
            for s in range(0, p.n2, block):
                M2 += _features(K2[b, s : s + block], levels, r) @ v2[s : s + block]
            W = M1 * M2
            num = xp.empty((p.nq, v1.shape[1]))
            for s in range(0, p.nq, block):
                U1 = _features(Q[b, s : s + block], levels, r) * coef[:, None]
                num[s : s + block] = U1.T @ W
        out[b] = num[:, :-1] / num[:, -1:]
    return out


def _poly_causal(Q, K1, K2, v1, v2, levels, r, coef, block: int = 64) -> Any:
    """Causal numerators (last column: normalizer): prefix sums over j <= i and k <= i."""
    xp = _xp(Q)
    nq, n1, n2 = Q.shape[0], K1.shape[0], K2.shape[0]
    c = v1.shape[1]
    P1 = xp.zeros((r, c))
    P2 = xp.zeros((r, c))
    num = xp.empty((nq, c))
    for s in range(0, nq, block):
        e = min(s + block, nq)
        prefixes = []
        for K, V, P, n in ((K1, v1, P1, n1), (K2, v2, P2, n2)):
            C = xp.zeros((e - s, r, c))
            hi = min(e, n)
            if hi > s:
                F = _features(K[s:hi], levels, r)  # (r, hi - s)
                C[: hi - s] = F.T[:, :, None] * V[s:hi, None, :]
            xp.cumsum(C, axis=0, out=C)
            C += P
            P[...] = C[-1]
            prefixes.append(C)
        U1 = _features(Q[s:e], levels, r) * coef[:, None]  # (r, e - s)
        # sum_a U1[a, t] X[t, a, c] for each t: a batched GEMM (t, 1, a) @ (t, a, c)
        num[s:e] = xp.matmul(U1.T[:, None, :], prefixes[0] * prefixes[1])[:, 0, :]
    return num
