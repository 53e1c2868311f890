// bind/docs/special.hpp -- numpydoc docstrings of the numkit.special ufuncs (string literals: NumPy keeps
// the pointers for the life of the process).
#pragma once

namespace numkit {
namespace special_docs {

#define NUMKIT_SPECIAL_COMMON_PARAMS                                                              \
  "Parameters\n----------\nv : array_like\n    Order (real). float32 inputs give float32 results.\n" \
  "x : array_like\n    Argument, x >= 0.\n"

inline constexpr const char log_iv[] =
    "log_iv(v, x, /, out=None, *, where=True, ...)\n\n"
    "Logarithm of the modified Bessel function of the first kind, log I_v(x).\n\n"
    "Computed entirely in log space (power series, uniform asymptotic expansion DLMF 10.41.3,\n"
    "large-argument expansion DLMF 10.40.1 and a downward ratio recurrence), so the result is\n"
    "finite wherever the true value is: ``log_iv(1000, 1e-3)`` and ``log_iv(0, 1e5)`` work where\n"
    "``np.log(scipy.special.iv(v, x))`` returns -inf or inf.\n\n" NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    log I_v(x).\n\n"
    "Notes\n-----\n"
    "Special values: x = 0 gives 0 for v = 0 and -inf for v > 0; x = inf gives inf; NaN in gives\n"
    "NaN out without a warning; x < 0 gives NaN and raises the 'invalid' floating-point flag\n"
    "(controlled by ``np.errstate``). For negative v, I_{-n} = I_n at integers, otherwise\n"
    "I_{-v} = I_v + (2/pi) sin(v pi) K_v (DLMF 10.27.2); where that is negative the logarithm is\n"
    "undefined and the result is NaN with the 'invalid' flag.\n\n"
    "References\n----------\n"
    "Plesner, Sorensen, Hauberg, 'Accurate Computation of the Logarithm of Modified Bessel\n"
    "Functions on GPUs', arXiv:2409.08729. NIST DLMF chapter 10.\n\n"
    "Examples\n--------\n>>> from numkit.special import log_iv\n>>> float(log_iv(0.0, 1e-20))\n"
    "2.5e-41\n";

inline constexpr const char log_ive[] =
    "log_ive(v, x, /, out=None, *, where=True, ...)\n\n"
    "Exponentially scaled log I: log_ive(v, x) = log I_v(x) - x.\n\n" NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    log I_v(x) - x (the log of scipy.special.ive).\n\n"
    "Notes\n-----\nSame domain and special values as `log_iv`; x = inf gives -inf.\n";

inline constexpr const char iv_ratio[] =
    "iv_ratio(v, x, /, out=None, *, where=True, ...)\n\n"
    "Ratio I_v(x) / I_{v-1}(x) of modified Bessel functions of the first kind.\n\n"
    "For v = p/2 this is the mean resultant length A_p(kappa) of the von Mises-Fisher\n"
    "distribution. Computed without forming I_v, I_{v-1} or their logarithms (which would cancel\n"
    "catastrophically for large arguments): relative error below 1e-13 for v up to 1e5 and x up\n"
    "to 1e8.\n\n" NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    I_v(x) / I_{v-1}(x), in [0, 1) for v >= 1/2.\n\n"
    "Notes\n-----\nDefined for v >= 0 (v < 0 gives NaN with the 'invalid' flag). x = 0 gives 0 for\n"
    "v > 0 and inf for v = 0 (I_0/I_1); x = inf gives 1; x < 0 gives NaN with 'invalid'.\n"
    "v = inf gives 0 (the limit x/(2v)) for finite x. Accurate over the whole double range:\n"
    "x/(s + v), s = sqrt(v^2 + x^2), for max(v, x) > 1e300 (iv_ratio(DBL_MAX, DBL_MAX) =\n"
    "sqrt(2) - 1) and the power series' leading terms for subnormal x.\n";

inline constexpr const char log_iv_dx[] =
    "log_iv_dx(v, x, /, out=None, *, where=True, ...)\n\n"
    "Derivative of log I_v(x) with respect to x: I_v'(x)/I_v(x) = I_{v+1}(x)/I_v(x) + v/x.\n\n"
    NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    d/dx log I_v(x), relative error below 1e-13.\n\n"
    "Notes\n-----\nDefined for v >= 0 and negative integer v (I_{-n} = I_n). x = 0 gives 0 for\n"
    "v = 0 and inf for v > 0; x = inf gives 1.\n";

inline constexpr const char log_iv_dv[] =
    "log_iv_dv(v, x, /, out=None, *, where=True, ...)\n\n"
    "Derivative of log I_v(x) with respect to the order v.\n\n"
    "No closed form exists; the derivative is obtained by forward-mode automatic differentiation\n"
    "through the same regime formulas as `log_iv` (power series with digamma, uniform and\n"
    "large-argument expansions), and at v = 0 from the identity dI_v/dv = -K_0 (DLMF 10.38.6).\n\n"
    NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    d/dv log I_v(x) (negative for x > 0).\n\n"
    "Notes\n-----\nDefined for v >= 0 (v < 0 gives NaN with 'invalid'). x = 0 gives -inf, x = inf\n"
    "gives -0.0. Relative error below 1e-10 except for tiny orders 0 < v < 1e-3 at moderate\n"
    "arguments 5 < x < 25, where the true value (about -v/x) is the small difference of O(1)\n"
    "terms of the power series and the absolute error is up to ~4e-15 (relative 1e-10 at\n"
    "v = 1e-4, 4e-7 at v = 1e-8; below v ~ 1e-14 the value itself is smaller than that error,\n"
    "and its sign may come out wrong). v = 0 itself is exact: -K_0(x)/I_0(x).\n";

inline constexpr const char log_kv[] =
    "log_kv(v, x, /, out=None, *, where=True, ...)\n\n"
    "Logarithm of the modified Bessel function of the second kind, log K_v(x).\n\n"
    "Computed in log space (small-x integral representation, uniform and large-argument\n"
    "expansions), finite where ``np.log(scipy.special.kv(v, x))`` overflows or underflows.\n\n"
    NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    log K_v(x).\n\n"
    "Notes\n-----\nK is even in v: log_kv(-v, x) == log_kv(v, x). x = 0 gives inf; x = inf gives\n"
    "-inf; NaN in gives NaN out; x < 0 gives NaN and the 'invalid' flag.\n";

inline constexpr const char log_kve[] =
    "log_kve(v, x, /, out=None, *, where=True, ...)\n\n"
    "Exponentially scaled log K: log_kve(v, x) = log K_v(x) + x.\n\n" NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    log K_v(x) + x (the log of scipy.special.kve).\n\n"
    "Notes\n-----\nSame domain and special values as `log_kv`.\n";

inline constexpr const char log_kv_dx[] =
    "log_kv_dx(v, x, /, out=None, *, where=True, ...)\n\n"
    "Derivative of log K_v(x) with respect to x: -K_{v-1}(x)/K_v(x) - v/x.\n\n"
    NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    d/dx log K_v(x) (negative), relative error below 1e-13.\n";

inline constexpr const char log_kv_dv[] =
    "log_kv_dv(v, x, /, out=None, *, where=True, ...)\n\n"
    "Derivative of log K_v(x) with respect to the order v.\n\n" NUMKIT_SPECIAL_COMMON_PARAMS
    "\nReturns\n-------\nndarray or scalar\n    d/dv log K_v(x) (odd in v, zero at v = 0).\n";

#undef NUMKIT_SPECIAL_COMMON_PARAMS

}  // namespace special_docs
}  // namespace numkit
