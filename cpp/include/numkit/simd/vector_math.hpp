// numkit/simd/vector_math.hpp -- the vector math policy of the special-function templates
// (host only): what the CPU block loops of log I and log K call instead of libm.
//
// vlog / vlog1p / vexp of simd/vmath.hpp are branch-free and vectorize inside `#pragma omp simd`
// loops; hypot needs no scaling because the block classifiers send x >= 1e150 (and the other
// extremes) to the scalar kernels, hence wide = false. The members match scalar_math's
// (math_policy.hpp); exp and sqrt are double only, as the log K loops use them.
#pragma once

#include "numkit/simd/attributes.hpp"
#include "numkit/simd/vmath.hpp"
#include "numkit/simd/math_policy.hpp"

namespace numkit {
namespace special {
namespace detail {

// log(1 + e) for |e| <= 0.011 (the Debye sum minus 1 for v >= 16; the short power series): Taylor
// to e^9, no division (truncation e^10 / 10 < 3e-21, below 1 ulp of log(1 + e) ~ e).
template <class D> NUMKIT_FORCE_INLINE D log1p_small_poly(D e) {
  return e * (1.0 + e * (-1.0 / 2 + e * (1.0 / 3 + e * (-1.0 / 4 + e * (1.0 / 5 + e * (-1.0 / 6 + e * (1.0 / 7 + e * (-1.0 / 8 + e * (1.0 / 9)))))))));
}

struct vector_math {
  static constexpr bool wide = false;
  static NUMKIT_FORCE_INLINE double log(double a) { return vm::vlog(a); }
  static NUMKIT_FORCE_INLINE double log1p(double a) { return vm::vlog1p(a); }
  static NUMKIT_FORCE_INLINE Dual<double> log(Dual<double> a) { return {vm::vlog(a.v), a.d / a.v}; }
  static NUMKIT_FORCE_INLINE Dual<double> log1p(Dual<double> a) { return {vm::vlog1p(a.v), a.d / (1 + a.v)}; }
  template <class D> static NUMKIT_FORCE_INLINE D log1p_small(D a) { return log1p_small_poly(a); }
  static NUMKIT_FORCE_INLINE double exp(double a) { return vm::vexp(a); }
  static NUMKIT_FORCE_INLINE double sqrt(double a) { return __builtin_sqrt(a); }
  template <class D> static NUMKIT_FORCE_INLINE D hypot(D v, D x) { return dsqrt(v * v + x * x); }
};

}  // namespace detail
}  // namespace special
}  // namespace numkit
