"""Make the mpmath reference tables for numkit.special (log-modified-Bessel ufuncs).

Run from the repository root::

    python tests/special/make_reference.py           # full tables (about 10 minutes, one process)
    python tests/special/make_reference.py --quick   # small tables (under a minute)

It writes ``tests/special/data/<name>.npz`` (see ``reference.py`` for the format and a loader).
Only mpmath and NumPy are used: never SciPy, never numkit. Seeds are fixed, so a rerun gives
the same points; the values depend only on mpmath (checked to be stable, see below).

What is computed
----------------
The TRUE values, at float64 (or exactly representable float32) inputs (v, x), of

    log_iv     log I_v(x)               log_ive   log I_v(x) - |x|
    log_kv     log K_v(x)               log_kve   log K_v(x) + x
    iv_ratio   I_v(x) / I_{v-1}(x)
    log_iv_dx  d/dx log I_v(x) = v/x + I_{v+1}(x)/I_v(x)
    log_kv_dx  d/dx log K_v(x) = -v/x - K_{v-1}(x)/K_v(x)
    log_iv_dv  d/dv log I_v(x)          log_kv_dv  d/dv log K_v(x)

Each value is stored as a double-double ``value_hi + value_lo`` (hi = the float64 nearest to
the true value, lo = the float64 nearest to true - hi), so tests can measure errors far below
one ulp. Rows where the true value is undefined (I_v(x) < 0 for negative non-integer v) hold
NaN and ``expect_nan = True``: the kernel must return NaN there.

How
---
All work is done at ``mp.dps = 70`` (plus 32 guard bits inside each evaluation). I and K are
never formed as floats: each method below produces the *log* directly from pieces with bounded
magnitude, and mpf's exponent is unbounded anyway. mpmath's ``besseli``/``besselk`` fail
("hypergeometric series converges too slowly") or take many seconds for v ~ 1e5, x ~ 1e5..1e8,
and ``log(besseli(0, 1e-300))`` returns exactly 0 (log(1 + 2.5e-601) rounded at 70 digits),
so they are used only where they are accurate and fast; the methods are:

``debye``
    Uniform asymptotic expansion DLMF 10.41.3/10.41.4 with the polynomials U_k(p) generated
    exactly (``fractions.Fraction``) from the recurrence DLMF 10.41.9, summed until the
    term is below the working epsilon. Uniform in x, converges to 1e-70 for large v only
    (late terms grow roughly like Gamma(k)/(1.5 v)^k), so it is used only when it reaches the
    working precision; otherwise the next method is tried.
``hankel``
    Large-x expansion DLMF 10.40.1 (I) / 10.40.2 (K), summed adaptively until the term is
    below epsilon; refused when the terms diverge first or cancellation would lose digits.
    For I it is used only for x >= 100, where the omitted exponentially small part
    (relative size ~e^{-2x}) is far below the working precision.
``series``
    Power series DLMF 10.25.2 for I_v, v > -1, in log form:
    log I = v log(x/2) - log Gamma(v+1) + log1p(sum_{k>=1} t_k). All terms are positive, and
    log1p keeps full *relative* accuracy of log I when it is tiny (v = 0, x = 1e-20).
``mp.besselk``
    mpmath's own ``besselk`` (hypergeometric combination), used for K where neither
    expansion reaches the working precision (small/moderate v and x).
``connection``
    I for negative non-integer order, DLMF 10.27.2: I_{-u} = I_u + (2/pi) sin(u pi) K_u.
    When the result is negative (or zero) the log is undefined: the value is NaN.

The derivatives in v use ``mp.diff`` (central difference at raised precision, step ~2^-prec/2)
on the same log functions, which are analytic in v; at v = 0 the closed forms
d/dv log I_v = -K_0/I_0 (DLMF 10.38.6) and d/dv log K_v = 0 are used. The derivatives in x use
the exact ratio identities above, with each log computed independently.

Checks done by this script (results printed and stored in each table's ``meta``):

* stability: a sample of rows (every k-th) is recomputed at ``dps + 40``; the largest relative
  change is recorded (expected ~1e-65 or less);
* cross-method: a sample is recomputed by an independent method (power series vs Debye vs
  Hankel vs mpmath's besseli for I; quadrature of K_v(x) e^x = int_0^inf e^{-x(cosh t - 1)}
  cosh(vt) dt vs the chosen method for K); the largest relative difference is recorded.

``test_reference_tables.py`` re-checks rows against closed forms (v = 1/2) and mpmath.
"""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import numpy as np

_N_DEBYE = 130  # number of U_k generated; enough for the v where Debye is used at 70+ digits


def debye_polynomials(n: int) -> list[list[Fraction]]:
    """U_0..U_n of DLMF 10.41.9 as exact coefficient lists (index = power of p).

    U_{k+1}(p) = 1/2 p^2 (1 - p^2) U_k'(p) + 1/8 int_0^p (1 - 5 t^2) U_k(t) dt, U_0 = 1.
    """
    polys = [[Fraction(1)]]
    for _ in range(n):
        u = polys[-1]
        new = [Fraction(0)] * (len(u) + 3)
        for i in range(1, len(u)):  # derivative term
            c = i * u[i]
            new[i + 1] += c / 2
            new[i + 3] -= c / 2
        for i, c in enumerate(u):  # integral term
            new[i + 1] += c / 8 / (i + 1)
            new[i + 3] -= 5 * c / 8 / (i + 3)
        while new and new[-1] == 0:
            new.pop()
        polys.append(new)
    return polys


_U_EXACT: list[list[Fraction]] | None = None
_U_MP: dict[int, list[list[mp.mpf]]] = {}


def _u_coeffs() -> list[list[mp.mpf]]:
    """U_k coefficients as mpf at the current precision (cached), highest power first."""
    global _U_EXACT
    if _U_EXACT is None:
        _U_EXACT = debye_polynomials(_N_DEBYE)
    prec = mp.mp.prec
    if prec not in _U_MP:
        _U_MP[prec] = [[mp.mpf(c.numerator) / c.denominator for c in reversed(u)] for u in _U_EXACT]
    return _U_MP[prec]


def _eps() -> mp.mpf:
    return mp.mpf(2) ** (-mp.mp.prec - 4)


def log_debye(v, x):
    """(log I_v(x), log K_v(x)) by DLMF 10.41.3/4 for v > 0, or None if it does not converge."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if v <= 0:
        return None
    coeffs = _u_coeffs()
    eps = _eps()
    z = x / v
    s = mp.sqrt(1 + z * z)
    p = 1 / s
    eta = s + mp.log(z / (1 + s))
    sum_i = mp.mpf(0)
    sum_k = mp.mpf(0)
    vk = mp.mpf(1)
    smallest = mp.inf
    converged = False
    for k, c in enumerate(coeffs):
        term = mp.polyval(c, p) / vk
        sum_i += term
        sum_k += term if k % 2 == 0 else -term
        a = abs(term)
        if k > 0 and a < eps:
            converged = True
            break
        if k > 0:
            # U_k(p) has zeros, so single terms can dip; only a clear rise means divergence
            if a > smallest * 10**6:
                break
            smallest = min(smallest, a)
        vk *= v
    if not converged:
        return None
    common = -mp.log(s) / 2
    log_i = -mp.log(2 * mp.pi * v) / 2 + v * eta + common + mp.log(sum_i)
    log_k = mp.log(mp.pi / (2 * v)) / 2 - v * eta + common + mp.log(sum_k)
    return log_i, log_k


def _hankel_sum(v, x, sign):
    """sum_k sign^k a_k(v)/x^k of DLMF 10.40, or None if not accurate to working precision."""
    eps = _eps()
    mu4 = 4 * v * v
    term = mp.mpf(1)
    total = mp.mpf(1)
    biggest = mp.mpf(1)
    prev = mp.mpf(1)
    for k in range(1, 40000):
        term *= sign * (mu4 - (2 * k - 1) ** 2) / (8 * k * x)
        total += term
        a = abs(term)
        biggest = max(biggest, a)
        if a <= eps * abs(total):
            break
        if a > prev and k > 2 * abs(v) + 2:
            return None  # diverging before reaching eps
        prev = a
    else:
        return None
    if total <= 0 or biggest / abs(total) > mp.mpf(10) ** 8:
        return None  # cancellation would eat the precision
    return total


def log_iv_hankel(v, x):
    """log I_v(x) by DLMF 10.40.1 (x >= 100 only), or None."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if x < 100:
        return None
    s = _hankel_sum(v, x, -1)
    if s is None:
        return None
    return x - mp.log(2 * mp.pi * x) / 2 + mp.log(s)


def log_kv_hankel(v, x):
    """log K_v(x) by DLMF 10.40.2, or None."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    s = _hankel_sum(v, x, 1)
    if s is None:
        return None
    return -x + mp.log(mp.pi / (2 * x)) / 2 + mp.log(s)


def log_iv_series(v, x, max_terms: int = 60000):
    """log I_v(x) by the power series (v > -1), or None if it needs too many terms."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if v <= -1:
        return None
    eps = _eps()
    q = x * x / 4
    term = mp.mpf(1)
    tail = mp.mpf(0)
    for k in range(1, max_terms):
        term *= q / (k * (v + k))
        tail += term
        if term <= eps * tail or term == 0:
            break
    else:
        return None
    return v * mp.log(x / 2) - mp.loggamma(v + 1) + mp.log1p(tail)


def log_kv_quad(v, x):
    """log K_v(x) from K_v(x) e^x = int_0^inf exp(-x (cosh t - 1)) cosh(v t) dt (checks only)."""
    v = abs(mp.mpf(v))
    x = mp.mpf(x)

    def f(t):
        e = -x * (mp.cosh(t) - 1) + v * t
        if e < -2000:  # far tail; exp of a huge negative number is slow in mpmath, and ~0
            return mp.mpf(0)
        return mp.exp(e) * (1 + mp.exp(-2 * v * t)) / 2

    # integrand peaks near x sinh t = v; split there so quad sees the bump
    t0 = mp.asinh(v / x) if v > 0 else mp.mpf(0)
    pts = [0] + ([t0] if t0 > 0 else []) + [t0 + 1, t0 + 4, mp.inf]
    return mp.log(mp.quad(f, pts)) - x


def _log_iv_nonneg(v, x):
    if v >= 25:
        r = log_debye(v, x)
        if r is not None:
            return r[0], "debye"
    if x >= 100:
        r = log_iv_hankel(v, x)
        if r is not None:
            return r, "hankel"
    r = log_iv_series(v, x)
    if r is not None:
        return r, "series"
    return mp.log(mp.besseli(v, x)), "mp.besseli"


def _log_kv_nonneg(v, x):
    if v >= 25:
        r = log_debye(v, x)
        if r is not None:
            return r[1], "debye"
    r = log_kv_hankel(v, x)
    if r is not None:
        return r, "hankel"
    return mp.log(mp.besselk(v, x)), "mp.besselk"


@mp.extraprec(32)
def log_kv(v, x):
    """(log K_v(x), method) for real v (K is even in v) and x > 0."""
    return _log_kv_nonneg(abs(mp.mpf(v)), mp.mpf(x))


@mp.extraprec(32)
def log_iv(v, x):
    """(log I_v(x), method) for real v and x > 0; NaN (mpf) where I_v(x) <= 0."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if v >= 0:
        return _log_iv_nonneg(v, x)
    u = -v
    if mp.isint(u):
        return _log_iv_nonneg(u, x)  # I_{-n} = I_n
    if u < 1 and x < 200:
        # all series terms positive for -1 < v < 0: no cancellation
        r = log_iv_series(v, x)
        if r is not None:
            return r, "series"
    li, _ = _log_iv_nonneg(u, x)
    lk, _ = _log_kv_nonneg(u, x)
    # I_{-u} = I_u + (2/pi) sin(u pi) K_u, formed in mpf (unbounded exponent)
    val = mp.exp(li) + 2 / mp.pi * mp.sinpi(u) * mp.exp(lk)
    if val <= 0:
        return mp.nan, "connection"
    return mp.log(val), "connection"


# ----------------------------------------------------------------------------------------------
# Derived quantities (all in mpf at the current precision)
# ----------------------------------------------------------------------------------------------

DPS = 70  # working digits; the stability check recomputes at DPS + 40
DATA = Path(__file__).resolve().parent / "data"


def iv_ratio(v, x):
    """I_v(x)/I_{v-1}(x) for v >= 0, x > 0."""
    return mp.exp(log_iv(v, x)[0] - log_iv(mp.mpf(v) - 1, x)[0])


def log_iv_dx(v, x):
    """d/dx log I_v(x) = v/x + I_{v+1}(x)/I_v(x), v >= 0."""
    v = mp.mpf(v)
    return v / x + mp.exp(log_iv(v + 1, x)[0] - log_iv(v, x)[0])


def log_kv_dx(v, x):
    """d/dx log K_v(x) = -|v|/x - K_{|v|-1}(x)/K_v(x)."""
    v = abs(mp.mpf(v))
    return -v / x - mp.exp(log_kv(v - 1, x)[0] - log_kv(v, x)[0])


def log_iv_dv(v, x):
    """d/dv log I_v(x), v >= 0 (v = 0: -K_0/I_0, DLMF 10.38.6)."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if v == 0:
        return -mp.exp(log_kv(0, x)[0] - log_iv(0, x)[0])
    return mp.diff(lambda t: log_iv(t, x)[0], v)


def log_kv_dv(v, x):
    """d/dv log K_v(x) (odd in v; 0 at v = 0)."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if v == 0:
        return mp.mpf(0)
    return mp.diff(lambda t: log_kv(t, x)[0], v)


def _log_ive(v, x):
    r, m = log_iv(v, x)
    return r - abs(mp.mpf(x)), m


def _log_kve(v, x):
    r, m = log_kv(v, x)
    return r + mp.mpf(x), m


def _method_of(fn):
    return lambda v, x: (fn(v, x), "identity")


FUNCTIONS = {
    "log_iv": log_iv,
    "log_ive": _log_ive,
    "log_kv": log_kv,
    "log_kve": _log_kve,
    "iv_ratio": _method_of(iv_ratio),
    "log_iv_dx": _method_of(log_iv_dx),
    "log_kv_dx": _method_of(log_kv_dx),
    "log_iv_dv": _method_of(log_iv_dv),
    "log_kv_dv": _method_of(log_kv_dv),
}


# ----------------------------------------------------------------------------------------------
# Independent recomputation for the cross-method check
# ----------------------------------------------------------------------------------------------


def _alternative(name, v, x, method):
    """The same quantity by a different method, or None when no cheap independent one applies."""
    v = mp.mpf(v)
    x = mp.mpf(x)
    if name in ("log_iv", "log_ive"):
        if mp.isint(v):
            v = abs(v)  # I_{-n} = I_n
        if v < 0:
            if x > 50 or v < -200:
                return None
            r = mp.besseli(v, x)  # mpmath's own hypergeometric series, independent of ours
            alt = mp.log(r) if r > 0 else mp.nan
        elif method == "series" and x * x < 1e-30 * (abs(v) + 1):
            return None  # log I ~ x^2/(4(v+1)) is below mpmath besseli's resolution here
        elif method != "series" and x <= 3000:
            alt = log_iv_series(v, x)
        elif method != "debye" and v >= 25 and (d := log_debye(v, x)) is not None:
            alt = d[0]
        elif method != "hankel" and (h := log_iv_hankel(v, x)) is not None:
            alt = h
        elif v <= 50 and x <= 1000:
            alt = mp.log(mp.besseli(v, x))
        else:
            return None
        return None if alt is None else (alt - (abs(x) if name == "log_ive" else 0))
    if name in ("log_kv", "log_kve"):
        if method != "mp.besselk" and abs(v) <= 100 and x <= 50:
            alt = mp.log(mp.besselk(abs(v), x))
        elif 0.1 <= x <= 500 and abs(v) <= 60 and abs(v) <= 3 * x:
            alt = log_kv_quad(v, x)  # integrand spans too many scales outside this box
        else:
            return None
        return alt + (x if name == "log_kve" else 0)
    if name == "log_kv_dv" and 0.1 <= x <= 500 and abs(v) <= 60 and abs(v) <= 3 * x:
        # dK_v/dv = int_0^inf t sinh(v t) e^{-x cosh t} dt (differentiate under the integral)
        def f(t):
            e = -x * (mp.cosh(t) - 1)
            if e + abs(v) * t < -2000:
                return mp.mpf(0)
            return t * mp.sinh(v * t) * mp.exp(e)

        t0 = mp.asinh(v / x) if v > 0 else mp.mpf(0)
        pts = [0] + ([t0] if t0 > 0 else []) + [t0 + 1, t0 + 4, mp.inf]
        return mp.quad(f, pts) / mp.exp(log_kv_quad(v, x) + x)
    return None


# ----------------------------------------------------------------------------------------------
# Points
# ----------------------------------------------------------------------------------------------


def _logu(rng, lo, hi, n):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), n))


def _clip_x(x, lo=1e-300, hi=1e8):
    return np.clip(x, lo, hi)


def _special_grid(vs, xs_fn):
    pts = []
    for v in vs:
        for x in xs_fn(v):
            pts.append((v, x))
    return pts


def _edge_xs(v):
    xs = [1e-300, 1e-100, 1e-20, 1e-6, 1e-2, 0.5, 1.0, 10.0, 30.0, 100.0, 1e3, 1e5, 1e6, 1e8]
    if v > 0:
        xs += [v / 2, v, 2 * v, v * v, np.nextafter(v, 0), np.nextafter(v, np.inf)]
    return sorted({float(np.clip(t, 1e-300, 1e8)) for t in xs})


EDGE_VS = [0.0, 1e-3, 0.5, 1.0, 2.0, 2.5, 10.0, 23.7, 100.0, 1023.0, 1e4, 1e5]


def points_main(rng, n):
    """Points for log_iv/log_ive/log_kv/log_kve: n random plus a fixed edge grid (v >= 0)."""
    f = [0.15, 0.3, 0.15, 0.1, 0.1, 0.05, 0.05, 0.1]
    c = [max(4, round(n * w)) for w in f]
    parts = [
        # everywhere, including the tiny-x tail
        np.c_[_logu(rng, 1e-3, 1e5, c[0]), _logu(rng, 1e-300, 1e8, c[0])],
        np.c_[_logu(rng, 1e-3, 1e5, c[1]), _logu(rng, 1e-6, 1e8, c[1])],
        # the benchmark regions of the issue
        np.c_[rng.uniform(0, 20, c[2]), _logu(rng, 1e-2, 1e2, c[2])],
        np.c_[np.full(c[3], 1023.0), _logu(rng, 1e2, 1e5, c[3])],
        # turning point x ~ v
        (lambda v: np.c_[v, v * np.exp(rng.normal(0, 0.3, c[4]))])(_logu(rng, 1, 1e5, c[4])),
        # x ~ v^2 (where the large-x expansion starts to work)
        (lambda v: np.c_[v, _clip_x(v * v * np.exp(rng.normal(0, 1, c[5])))])(
            _logu(rng, 1, 1e4, c[5])
        ),
        # integer orders
        np.c_[rng.integers(0, 201, c[6]).astype(float), _logu(rng, 1e-3, 1e4, c[6])],
        # transition zones of typical kernels: moderate v, x from 5 to 300
        np.c_[rng.uniform(5, 80, c[7]), rng.uniform(5, 300, c[7])],
    ]
    pts = np.concatenate([*parts, np.array(_special_grid(EDGE_VS, _edge_xs))])
    pts[:, 1] = _clip_x(pts[:, 1])
    return pts


def points_negative_i(rng, n):
    """Negative orders for I: non-integer (sign of I_v changes; NaN rows) and integer."""
    vs = [-0.5, -0.3, -0.999, -1.5, -1.7, -2.5, -3.25, -10.3, -50.5, -100.25, -1000.5]
    pts = _special_grid(vs, lambda v: [1e-20, 1e-3, 0.1, 0.5, 1.0, 2.0, 5.0, 20.0, 200.0, 1e4])
    pts += [(-float(k), x) for k in (1, 2, 7, 100) for x in (1e-10, 1.0, 50.0, 1e5)]
    v = -_logu(rng, 1e-2, 300, n)
    x = _logu(rng, 1e-6, 1e3, n)
    return np.concatenate([np.array(pts), np.c_[v, x]])


def points_negative_k(rng, n):
    v = -_logu(rng, 1e-3, 1e5, n)
    x = _logu(rng, 1e-300, 1e8, n)
    fixed = [(-0.5, 1.0), (-1.0, 1e-10), (-2.5, 30.0), (-1e5, 1e8), (-1e5, 1e-300), (-23.7, 23.7)]
    return np.concatenate([np.array(fixed), np.c_[v, x]])


def points_ratio(rng, n):
    """iv_ratio and the x-derivatives: v in [0, 1e5], x in [1e-300, 1e8]."""
    a = np.c_[_logu(rng, 1e-3, 1e5, n // 2), _logu(rng, 1e-6, 1e8, n // 2)]
    b = np.c_[_logu(rng, 1e-3, 1e5, n // 4), _logu(rng, 1e-300, 1e-6, n // 4)]
    c = (lambda v: np.c_[v, v * np.exp(rng.normal(0, 0.5, n // 4))])(_logu(rng, 1, 1e5, n // 4))
    vs = [0.0, 1e-3, 0.5, 1.0, 2.5, 23.7, 1023.0, 1e5]
    fixed = _special_grid(vs, lambda v: [1e-300, 1e-20, 1e-3, 1.0, 30.0, 1e3, 1e5, 1e8])
    pts = np.concatenate([a, b, c, np.array(fixed)])
    pts[:, 1] = _clip_x(pts[:, 1])
    return pts


def points_dv(rng, n):
    a = np.c_[_logu(rng, 1e-3, 1e5, n // 2), _logu(rng, 1e-6, 1e8, n // 2)]
    b = np.c_[rng.uniform(0, 30, n // 4), _logu(rng, 1e-3, 1e3, n // 4)]
    c = (lambda v: np.c_[v, v * np.exp(rng.normal(0, 0.5, n // 4))])(_logu(rng, 1, 1e5, n // 4))
    vs = [0.0, 0.5, 1.0, 2.5, 1023.0, 1e5]
    fixed = _special_grid(vs, lambda v: [1e-300, 1e-20, 1.0, 30.0, 1e3, 1e8])
    pts = np.concatenate([a, b, c, np.array(fixed)])
    pts[:, 1] = _clip_x(pts[:, 1])
    return pts


def to_float32_points(pts, xmin=1e-30, xmax=1e6, vmax=1e4):
    """Round points to float32 (the stored inputs are exactly these float32 values)."""
    p = pts[(pts[:, 0] <= vmax)].copy()
    p[:, 1] = np.clip(p[:, 1], xmin, xmax)
    p = p.astype(np.float32)
    return np.unique(p, axis=0)


# ----------------------------------------------------------------------------------------------
# Table construction
# ----------------------------------------------------------------------------------------------


def to_double_double(val):
    """(hi, lo) float64 with hi = nearest float64 to val and lo = nearest float64 to val - hi."""
    if mp.isnan(val):
        return float("nan"), float("nan")
    hi = float(val)
    if not np.isfinite(hi):
        return hi, 0.0
    return hi, float(val - mp.mpf(hi))


def build_table(name, pts, dtype, check_every, cross_every):
    fn = FUNCTIONS[name]
    n = len(pts)
    hi = np.empty(n)
    lo = np.empty(n)
    methods = []
    stab = mp.mpf(0)
    cross = mp.mpf(0)
    n_cross = 0
    t0 = time.perf_counter()
    for i, (v, x) in enumerate(pts):
        v = float(v)
        x = float(x)
        with mp.workdps(DPS):
            val, meth = fn(v, x)
            hi[i], lo[i] = to_double_double(val)
        methods.append(meth)
        if mp.isnan(val):
            continue
        scale = max(abs(val), mp.mpf(10) ** -300)
        if i % check_every == 0:
            with mp.workdps(DPS + 40):
                val2, _ = fn(v, x)
            stab = max(stab, abs(val2 - val) / scale)
        if i % cross_every == 0:
            with mp.workdps(DPS):
                alt = _alternative(name, v, x, meth)
            if alt is not None:
                n_cross += 1
                cross = max(cross, abs(alt - val) / scale)
    elapsed = time.perf_counter() - t0
    names = sorted(set(methods))
    meta = {
        "name": name,
        "dtype": dtype,
        "dps": DPS,
        "rows": n,
        "seconds": round(elapsed, 2),
        "methods": {m: methods.count(m) for m in names},
        "stability_max_rel_change_at_dps+40": mp.nstr(stab, 3),
        "stability_rows": len(range(0, n, check_every)),
        "cross_method_max_rel_diff": mp.nstr(cross, 3),
        "cross_method_rows": n_cross,
        "mpmath": mp.__version__,
    }
    finite = np.isfinite(hi) | np.isnan(hi)
    keep = finite  # drop rows whose true value overflows float64 (only possible for dx at tiny x)
    arrays = {
        "v": pts[keep, 0].astype(dtype),
        "x": pts[keep, 1].astype(dtype),
        "value_hi": hi[keep],
        "value_lo": lo[keep],
        "expect_nan": np.isnan(hi[keep]),
        "method": np.array([names.index(m) for m, k in zip(methods, keep) if k], dtype=np.int8),
        "method_names": np.array(names),
        "meta": np.array(json.dumps(meta)),
    }
    return arrays, meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small tables (a few hundred rows)")
    ap.add_argument("--only", nargs="*", help="build only these tables")
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args(argv)
    q = args.quick
    rng = np.random.default_rng(20240911)  # arXiv:2409.08729; fixed so reruns give the same points

    main_pts = points_main(rng, 300 if q else 2600)
    neg_i = points_negative_i(rng, 20 if q else 150)
    neg_k = points_negative_k(rng, 20 if q else 120)
    ratio_pts = points_ratio(rng, 150 if q else 800)
    dv_pts = points_dv(rng, 40 if q else 240)
    f32_main = to_float32_points(points_main(rng, 150 if q else 1200))
    f32_ratio = to_float32_points(points_ratio(rng, 60 if q else 300))

    i_pts = np.concatenate([main_pts, neg_i])
    k_pts = np.concatenate([main_pts, neg_k])
    chk, crs = (5, 7) if q else (20, 25)
    plan = [
        ("log_iv", i_pts, "float64"),
        ("log_ive", i_pts, "float64"),
        ("log_kv", k_pts, "float64"),
        ("log_kve", k_pts, "float64"),
        ("iv_ratio", ratio_pts, "float64"),
        ("log_iv_dx", ratio_pts, "float64"),
        ("log_kv_dx", ratio_pts, "float64"),
        ("log_iv_dv", dv_pts, "float64"),
        ("log_kv_dv", dv_pts, "float64"),
        ("log_iv_f32", f32_main, "float32"),
        ("log_ive_f32", f32_main, "float32"),
        ("log_kv_f32", f32_main, "float32"),
        ("log_kve_f32", f32_main, "float32"),
        ("iv_ratio_f32", f32_ratio, "float32"),
        ("log_iv_dx_f32", f32_ratio, "float32"),
        ("log_kv_dx_f32", f32_ratio, "float32"),
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    total = time.perf_counter()
    for table, pts, dtype in plan:
        if args.only and table not in args.only:
            continue
        func = table.removesuffix("_f32")
        # float32 inputs: the points are exact float32 values; compute at exactly those values
        pts64 = pts.astype(np.float64)
        arrays, meta = build_table(func, pts64, dtype, chk, crs)
        meta["table"] = table
        arrays["meta"] = np.array(json.dumps(meta))
        np.savez_compressed(args.out / f"{table}.npz", **arrays)
        print(json.dumps(meta), flush=True)
    print(f"total {time.perf_counter() - total:.1f} s", flush=True)


if __name__ == "__main__":
    main()
