"""mpmath oracle for the fuzz suite: true values of the nine special ufuncs at any doubles.

Built on the generator of the reference tables (``make_reference.py``: Debye, Hankel and power
series in mpmath, never SciPy or numkit), with the working precision raised with the magnitude
of the arguments so that ``v - 1`` and ``v + 1`` stay distinct from ``v`` up to the largest double
(needed by the ratio identities) and 5e-324 - 1 keeps its tail. Derivatives in x use the exact
ratio identities (DLMF 10.29.2); derivatives in v use ``mp.diff`` with a step relative to v
(and the Taylor form about v = 0 for |v| < 1e-20), at enough digits for the difference quotient.

``true_value(name, v, x)`` returns an ``mpf`` (or ``mpf('nan')`` where the function is undefined:
log I_v(x) with I_v(x) <= 0) for finite v and finite x > 0.
"""

from __future__ import annotations

import math

import make_reference as mr
import mpmath as mp


def _lazy_u_coeffs():
    """make_reference's Debye coefficients, converted to mpf one polynomial at a time.

    The generator converts all 130 polynomials at each new precision; the huge orders here
    need only the first few terms, at precisions that vary by point. Same values, on demand.
    """
    if mr._U_EXACT is None:
        mr._U_EXACT = mr.debye_polynomials(mr._N_DEBYE)
    prec = mp.mp.prec
    for k, u in enumerate(mr._U_EXACT):
        key = (prec, k)
        if key not in _U_CACHE:
            _U_CACHE[key] = [mp.mpf(c.numerator) / c.denominator for c in reversed(u)]
        yield _U_CACHE[key]


_U_CACHE: dict[tuple[int, int], list] = {}
mr._u_coeffs = _lazy_u_coeffs


def _round_digits(d: float) -> int:
    return 50 * math.ceil(d / 50)  # few distinct precisions: the caches above stay small


def _digits(v: float, x: float) -> int:
    """Working digits: 70, plus the exponent of v (v - 1 and v + 1 must keep v's digits, for
    tiny and huge v) and of a huge x (log I - x cancels x's digits); a tiny x needs none."""
    ev = abs(math.log10(abs(v))) if v != 0 else 0.0
    ex = max(0.0, math.log10(x)) if x > 0 else 0.0
    return _round_digits(70 + max(ev, ex))


def _log_iv(v, x):
    return mr.log_iv(v, x)[0]


def _log_kv(v, x):
    return mr.log_kv(v, x)[0]


def _dv(f, v, x, at_zero):  # at_zero: a callable giving f'(0) (only evaluated when needed)
    """d/dv f(v, x) by a central difference with a step relative to v (error ~ (h/v)^2 = 1e-50).

    For |v| < 1e-20 the Taylor form f'(0) + v f''(0) (the next term is 1e-40 of it).
    """
    g = lambda t: f(t, x)  # noqa: E731
    if abs(v) < mp.mpf("1e-20"):
        return at_zero() + v * mp.diff(g, 0, 2)
    return mp.diff(g, v, h=abs(v) * mp.mpf(10) ** -25)


def _dv_digits(v: float, x: float) -> int:
    # The derivative can be as small as ~v/x^2 of the function's size ~x (d/dv log I_v(1e300) is
    # -v/x): the difference quotient needs that many more digits, plus 25 for the step.
    ex = max(0.0, math.log10(x)) if x > 0 else 0.0
    ev = abs(math.log10(abs(v))) if v != 0 and abs(v) >= 1e-20 else 0.0
    return _round_digits(100 + 2 * ex + ev)


def _value(name: str, v: mp.mpf, x: mp.mpf) -> mp.mpf:
    if name == "log_iv":
        return _log_iv(v, x)
    if name == "log_ive":
        return _log_iv(v, x) - x
    if name == "log_kv":
        return _log_kv(v, x)
    if name == "log_kve":
        return _log_kv(v, x) + x
    if name == "iv_ratio":
        return mp.exp(_log_iv(v, x) - _log_iv(v - 1, x))
    if name == "log_iv_dx":
        return v / x + mp.exp(_log_iv(v + 1, x) - _log_iv(v, x))
    if name == "log_kv_dx":
        a = abs(v)
        return -a / x - mp.exp(_log_kv(a - 1, x) - _log_kv(a, x))
    if name == "log_iv_dv":
        at_zero = lambda: -mp.exp(_log_kv(0, x) - _log_iv(0, x))  # noqa: E731  (DLMF 10.38.6)
        return at_zero() if v == 0 else _dv(_log_iv, v, x, at_zero)
    if name == "log_kv_dv":
        return mp.mpf(0) if v == 0 else _dv(_log_kv, v, x, lambda: mp.mpf(0))  # even in v
    raise ValueError(f"unknown function {name!r}")


def true_value(name: str, v: float, x: float) -> mp.mpf:
    """The true value of numkit.special.<name>(v, x) for finite v, finite x > 0."""
    digits = _dv_digits(v, x) if name.endswith("_dv") else _digits(v, x)
    with mp.workdps(digits):
        return +_value(name, mp.mpf(v), mp.mpf(x))
