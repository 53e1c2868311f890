"""Special functions as genuine NumPy ufuncs: the log-modified-Bessel family.

All functions take ``(v, x)`` (order, argument), broadcast, accept ``out=``, ``where=`` and
``dtype=``, keep float32 as float32 and dispatch through ``__array_ufunc__`` (dask arrays stay
lazy).
They are computed in log space, so they stay finite and accurate where ``np.log(scipy.special.iv)``
and friends return ``-inf``/``inf``/``0``.

========================  =====================================================================
``log_iv(v, x)``          log I_v(x)
``log_ive(v, x)``         log I_v(x) - x
``log_kv(v, x)``          log K_v(x)
``log_kve(v, x)``         log K_v(x) + x
``iv_ratio(v, x)``        I_v(x) / I_{v-1}(x)  (von Mises-Fisher mean resultant length)
``log_iv_dx(v, x)``       d/dx log I_v(x) = I_{v+1}/I_v + v/x
``log_kv_dx(v, x)``       d/dx log K_v(x) = -K_{v-1}/K_v - v/x
``log_iv_dv(v, x)``       d/dv log I_v(x)
``log_kv_dv(v, x)``       d/dv log K_v(x)
========================  =====================================================================

Domain and special values
-------------------------
* v real, x >= 0. ``x < 0`` gives NaN and raises the floating-point "invalid" flag, so
  ``np.errstate(invalid="raise")`` turns it into ``FloatingPointError``.
* NaN in gives NaN out, silently.
* ``x = 0``: ``log_iv(0, 0) = 0``, ``log_iv(v > 0, 0) = -inf``, ``log_kv(v, 0) = inf``.
* ``x = inf``: ``log_iv = inf``, ``log_kv = -inf``, ``iv_ratio = 1``, ``log_iv_dx = 1``.
* K is even in v. I at negative order: ``I_{-n} = I_n`` for integers; otherwise
  ``I_{-v} = I_v + (2/pi) sin(v pi) K_v``, which is negative for some x: there ``log_iv`` is NaN
  with the "invalid" flag. ``iv_ratio`` and ``log_iv_dv`` are defined for ``v >= 0``,
  ``log_iv_dx`` for ``v >= 0`` and negative integers (other negative orders give NaN with
  "invalid"). At ``x = 0`` and negative non-integer order, ``log_iv`` is +inf where
  ``Gamma(1 - v) > 0`` and NaN ("invalid") where I_{-v} tends to -inf.

* Every finite (v, x) with x >= 0 is in the domain, up to the largest double: where the true
  value is representable the result is that value (``iv_ratio(DBL_MAX, DBL_MAX)`` is
  sqrt(2) - 1, ``log_iv(DBL_MAX, DBL_MAX)`` 9.58e307, ``iv_ratio(1e-3, 1e-309)`` 5e-307), and
  where it overflows it is +-inf with the "overflow" flag. For max(v, x) > 1e300 the leading
  order of the uniform expansion is used (its omitted terms are below 1e-300 relative); for
  subnormal x the leading terms of the power series.
* ``v = inf``: ``log_iv = log_ive = -inf``, ``log_kv = log_kve = inf``, ``log_kv_dx = -inf``,
  ``log_kv_dv = +-inf``, ``iv_ratio = 0`` (the limit x/(2v)) for finite x; ``log_iv_dx`` and
  ``log_iv_dv`` are NaN with "invalid" at v = inf.
* Floating-point flags: "invalid" only for x < 0 (and the undefined log I at negative order),
  "overflow" only where the result overflows, "underflow" only where a result is subnormal
  (e.g. ``iv_ratio(1e10, 1e-300)``, ``log_iv(0, 1e-160)``): intermediates that underflow at
  extreme arguments while the result is ordinary raise nothing, so ``np.errstate(all="raise")``
  is safe on any finite result. (A result that underflows all the way to 0 is not flagged.)

ufunc methods
-------------
``outer``, ``at``, ``reduce`` and ``accumulate`` are NumPy's generic methods and are kept, as
SciPy keeps them for ``scipy.special``: ``log_iv.outer(v, x)`` is the table over all pairs (the
same as broadcasting ``v[:, None]`` against ``x``) and ``log_kv.at(a, idx, x)`` updates in place;
``reduce``/``accumulate`` are the left folds ``f(f(a0, a1), a2)...`` by definition. Blocking them
would break code that treats these as ordinary ufuncs (dask, ``np.frompyfunc``-style generic code)
for no gain in safety: each method computes exactly what its definition says.

Accuracy (float64, against mpmath at 70 digits, tests/special/data): ``|error| <= 1e-14 |true|
+ 2e-16`` for log I and log K over v in [0, 1e5], x in [1e-300, 1e8], except within about one
condition number of a zero crossing of the logarithm (I_v(x) = 1), where the terms that cancel are
of size v or x and the error is at most 2 eps (sqrt(v^2 + x^2) + v asinh(v/x)) -- the accuracy of
double arithmetic there. Ratios and x-derivatives 1e-13 relative (measured 5e-16); order
derivatives 1e-10 relative (see ``log_iv_dv`` for tiny orders). float32 results are computed in
double and rounded once (measured 0.5 ulp).

Method: Plesner, Sorensen, Hauberg, "Accurate Computation of the Logarithm of Modified Bessel
Functions on GPUs", arXiv:2409.08729, and NIST DLMF chapter 10.
"""

from numkit._core.special import (
    iv_ratio,
    log_iv,
    log_iv_dv,
    log_iv_dx,
    log_ive,
    log_kv,
    log_kv_dv,
    log_kv_dx,
    log_kve,
)

__all__ = [
    "iv_ratio",
    "log_iv",
    "log_iv_dv",
    "log_iv_dx",
    "log_ive",
    "log_kv",
    "log_kv_dv",
    "log_kv_dx",
    "log_kve",
]
