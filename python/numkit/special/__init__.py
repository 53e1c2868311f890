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
  with the "invalid" flag. ``iv_ratio`` and ``log_iv_dv`` are defined for ``v >= 0``.

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
