"""Sampling the vMF distribution: Wood's rejection sampler for t = mu.x, then a Householder map.

Wood (1994), "Simulation of the von Mises Fisher distribution", Commun. Stat. Simul. 23(1):
with d = p - 1, b = d / (2 kappa + sqrt(4 kappa^2 + d^2)) (the cancellation-free form of
(-2 kappa + sqrt(4 kappa^2 + d^2)) / d), x0 = (1 - b)/(1 + b) and c = kappa x0 + d log(1 - x0^2),
draw Z ~ Beta(d/2, d/2), W = (1 - (1 + b) Z) / (1 - (1 - b) Z), U ~ U(0, 1) and accept W when
kappa W + d log(1 - x0 W) - c >= log U.

At large kappa (or large p) W and x0 are both within O(d/kappa) of 1 and the textbook forms cancel
catastrophically. Everything here is written in the small quantities instead:
  1 - W  = 2 b Z / (1 - (1 - b) Z),      1 - x0 = 2 b / (1 + b),
  kappa W + d log(1 - x0 W) - c = kappa ((1 - x0) - (1 - W))
                                  + d (log1p(x0 (1 - W)/(1 - x0)) - log1p(x0)),
so t and sqrt(1 - t^2) = sqrt((1 - W)(1 + W)) keep full relative accuracy up to kappa = 1e8 and
beyond. The acceptance rate is high for every (p, kappa), and the loop is vectorized over samples.
b itself is evaluated as (d / (2 kappa)) / (1 + sqrt(1 + (d / (2 kappa))^2)) when kappa >= d, so
that 4 kappa^2 cannot overflow (it did for kappa > 6.7e153: b became 0 and every proposal was
rejected as 0/0, forever); every rejection loop stops after _MAX_ROUNDS rounds with an error.
kappa < 1e-16 is sampled as kappa = 0: the density exp(kappa mu.x) is then constant to rounding.
On S^2 (p = 3) t has an exact inverse CDF, used instead of the rejection loop; for p <= 3 the
tangent direction is a random sign or angle instead of a normalized Gaussian.

The direction: a sample around e1 is (t, sqrt(1 - t^2) v) with v uniform on S^{p-2} (a normalized
Gaussian); the Householder reflection H = I - 2 u u^T / u^T u with u = e1 - mu maps e1 to mu, and is
applied as x - u (2 u.x / u^T u): O(p) per sample, no p x p matrix. u's first entry 1 - mu_1 is
computed as |mu_rest|^2 / (1 + mu_1) when mu_1 > 0, so mu close to e1 loses nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["SamplerError", "sample_t", "sample_vmf"]

_BLOCK = 1 << 21  # elements per block of output rows (bounds temporaries to ~16 MB)
_MAX_ROUNDS = 1000  # rejection rounds; Wood's envelope accepts most proposals, so 1000 = broken
_KAPPA_UNIFORM = 1e-16  # below this, exp(kappa mu.x) is 1 to rounding: sample the uniform law


class SamplerError(RuntimeError):
    """A rejection loop accepted too little in _MAX_ROUNDS rounds (a numerical breakdown)."""


def _stuck(what: str, filled: int, n: int, detail: str) -> SamplerError:
    return SamplerError(
        f"{what}: only {filled} of {n} samples accepted after {_MAX_ROUNDS} rounds ({detail}); "
        "this is a numerical breakdown, please report it with the parameters"
    )


def _wood_b(d: float, kappa: float) -> float:
    """b = d / (2 kappa + sqrt(4 kappa^2 + d^2)) without overflow (kappa up to DBL_MAX) or
    cancellation: in terms of r = d / (2 kappa) when kappa >= d, directly otherwise."""
    if kappa >= d:
        r = (0.5 * d) / kappa
        return r / (1.0 + math.sqrt(1.0 + r * r))
    return d / (2.0 * kappa + math.hypot(2.0 * kappa, d))


def sample_t(
    p: int, kappa: float, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` draws of t = mu.x as (t, 1 - t), float64, both accurate in relative terms."""
    d = p - 1.0
    if kappa < _KAPPA_UNIFORM:
        z = _symmetric_beta(d, n, rng)
        return 1.0 - 2.0 * z, 2.0 * z
    if p == 3:
        # S^2 has the exact inverse CDF 1 - t = -log(1 - v (1 - e^{-2 kappa})) / kappa, v ~ U(0, 1].
        v = 1.0 - rng.random(size=n)
        # 1 - t <= 2 exactly; v = 1 with e^{-2 kappa} = 0 would give log1p(-1) = -inf.
        omt = np.minimum(-np.log1p(v * np.expm1(-2.0 * kappa)) / kappa, 2.0)
        return 1.0 - omt, omt
    b = _wood_b(d, kappa)
    x0 = (1.0 - b) / (1.0 + b)
    one_minus_x0 = 2.0 * b / (1.0 + b)
    log1p_x0 = np.log1p(x0)
    omw = np.empty(n, dtype=np.float64)
    filled = 0
    for _ in range(_MAX_ROUNDS):
        if filled >= n:
            break
        need = n - filled
        m = int(need * 1.25) + 16
        z = _symmetric_beta(d, m, rng)
        u = rng.random(size=m)
        om = 2.0 * b * z / (1.0 - (1.0 - b) * z)
        log_accept = kappa * (one_minus_x0 - om) + d * (np.log1p(x0 * om / one_minus_x0) - log1p_x0)
        ok = om[log_accept >= np.log(u)]
        take = min(ok.size, need)
        omw[filled : filled + take] = ok[:take]
        filled += take
    if filled < n:
        raise _stuck(f"vMF sampler (p = {p}, kappa = {kappa!r})", filled, n, f"b = {b!r}")
    return 1.0 - omw, omw


def _symmetric_beta(d: float, m: int, rng: np.random.Generator) -> np.ndarray:
    """m draws of Beta(d/2, d/2); numpy's Johnk sampler for d <= 2 is slow, so transform there."""
    if d == 1.0:  # arcsine law: sin^2(pi U / 2)
        return np.sin(0.5 * np.pi * rng.random(size=m)) ** 2
    if d == 2.0:  # Beta(1, 1) is uniform
        return rng.random(size=m)
    return rng.beta(0.5 * d, 0.5 * d, size=m)


def _householder_vector(mu: np.ndarray) -> tuple[np.ndarray, float] | None:
    """u = e1 - mu without cancellation and 2 / u^T u; None when mu == e1 (H = I)."""
    u = -mu.astype(np.float64)
    rest2 = float(u[1:] @ u[1:])
    if rest2 == 0.0 and mu[0] > 0:
        return None
    u[0] = rest2 / (1.0 + mu[0]) if mu[0] > 0 else 1.0 - mu[0]
    # H = I - c u u^T does not depend on the scale of u: scaled to max |u_j| = 1, c stays finite
    # (for a tail |mu[1:]| ~ 1e-155, u.u < 2 / DBL_MAX and c overflowed: the samples were NaN)
    u /= np.max(np.abs(u))
    return u, 2.0 / float(u @ u)


Normal = Callable[[tuple[int, int], np.dtype], Any]  # standard normals of a shape and dtype


def sample_vmf(
    mu: np.ndarray,
    kappa: float,
    n: int,
    rng: np.random.Generator,
    dtype: np.dtype,
    *,
    xp: Any = np,
    normal: Normal | None = None,
) -> Any:
    """``n`` vMF(mu, kappa) samples as an (n, p) array of ``dtype`` (float32 or float64).

    ``mu`` (host) and the draws of t = mu.x come from ``rng`` on the host; with an array
    namespace ``xp`` (CuPy) and its ``normal`` draws, the n x p tangent directions, their scaling
    and the reflection are made on the device (t and sqrt(1 - t^2) are sent there: 2 n numbers).
    """
    p = mu.shape[0]
    t, omt = sample_t(p, kappa, n, rng)
    s = np.sqrt(omt * (1.0 + t))  # sqrt(1 - t^2), accurate also when t is close to 1
    hh = _householder_vector(mu)
    if p <= 3:  # p numbers a row: the host makes them, the device gets a copy
        return xp.asarray(_sample_low_dim(t, s, hh, p, rng, dtype))
    if normal is None:
        normal = lambda shape, dt: rng.standard_normal(shape, dtype=dt)  # noqa: E731
    out = xp.empty((n, p), dtype=dtype)
    u = None if hh is None else xp.asarray(hh[0].astype(dtype))
    u64 = None if hh is None else xp.asarray(hh[0])
    scale = 0.0 if hh is None else hh[1]
    t_d, s_d = xp.asarray(t), xp.asarray(s)
    step = max(1, _BLOCK // p)
    for i in range(0, n, step):
        blk = out[i : i + step]
        blk[...] = normal(blk.shape, dtype)
        tail = blk[:, 1:]
        tail *= (s_d[i : i + step] / _norms64(tail, xp)).astype(dtype)[:, None]
        blk[:, 0] = t_d[i : i + step]
        if u is not None:
            # The projection in float64 also for float32 samples: a float32 dot product over
            # p = 65536 terms put the rows 1e-6 off the sphere (kappa >= 1e6).
            coef = ((blk @ u64) * scale).astype(dtype)
            blk -= coef[:, None] * u[None, :]
    return out


def _norms64(rows: Any, xp: Any) -> Any:
    """Row norms accumulated in float64 (NumPy's einsum does it without a float64 copy)."""
    if xp is np:
        return np.sqrt(np.einsum("ij,ij->i", rows, rows, dtype=np.float64))
    r64 = rows.astype(xp.float64)
    return xp.sqrt((r64 * r64).sum(axis=1))


def _sample_low_dim(
    t: np.ndarray,
    s: np.ndarray,
    hh: tuple[np.ndarray, float] | None,
    p: int,
    rng: np.random.Generator,
    dtype: np.dtype,
) -> np.ndarray:
    """p = 2, 3: the tangent direction is a random sign (S^0) or a uniform point of S^1, and the
    sample is coords @ H with the p x p reflection H formed once (p <= 3: nine numbers)."""
    n = t.shape[0]
    coords = np.empty((n, p))
    coords[:, 0] = t
    if p == 2:
        coords[:, 1] = np.where(rng.random(n) < 0.5, -s, s)
    else:
        c, sn = _unit_circle(n, rng)
        coords[:, 1] = s * c
        coords[:, 2] = s * sn
    if hh is None:
        return coords.astype(dtype, copy=False)
    u, scale = hh
    reflection = np.eye(p) - scale * np.outer(u, u)  # symmetric: rows are H e_j
    return (coords @ reflection).astype(dtype, copy=False)


def _unit_circle(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n uniform points (cos, sin) of S^1 by von Neumann's method: a point (x, y) uniform in the
    unit disk gives (x^2 - y^2, 2 x y) / (x^2 + y^2), the point at twice its angle (no trig)."""
    c = np.empty(n)
    sn = np.empty(n)
    filled = 0
    for _ in range(_MAX_ROUNDS):
        if filled >= n:
            break
        m = int((n - filled) * 1.3) + 16
        xy = 2.0 * rng.random((2, m)) - 1.0
        r2 = xy[0] * xy[0] + xy[1] * xy[1]
        keep = (r2 <= 1.0) & (r2 > 0.0)
        x, y, r2 = xy[0][keep], xy[1][keep], r2[keep]
        take = min(x.size, n - filled)
        c[filled : filled + take] = ((x * x - y * y) / r2)[:take]
        sn[filled : filled + take] = ((2.0 * x * y) / r2)[:take]
        filled += take
    if filled < n:
        raise _stuck("uniform point on the circle", filled, n, "points in the unit disk")
    return c, sn
