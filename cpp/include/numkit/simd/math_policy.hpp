// numkit/simd/math_policy.hpp -- the scalar math policy of the special-function templates
// (host and device): the elementary functions a regime formula calls, for double and Dual<double>.
//
// Every regime template of log I and log K takes a policy M and calls M::log, M::log1p, M::exp,
// M::sqrt, M::hypot and M::log1p_small, so that one formula serves the scalar kernels (this
// policy: libm on the host, CUDA's math on the device) and the CPU block loops (vector_math in
// vector_math.hpp: branch-free versions that vectorize). M::wide says whether arguments may
// reach the overflow threshold (the scalar kernels) or are clipped first (the block classifiers).
#pragma once

#include "numkit/config.hpp"
#include "numkit/simd/attributes.hpp"
#include "numkit/special/detail_dual.hpp"

namespace numkit {
namespace special {
namespace detail {

// sqrt(v^2 + x^2) for v, x >= 0 without overflow (defined in log_bessel_i.hpp).
template <class D> NUMKIT_HOST_DEVICE inline D hypot_pos(D v, D x);
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> hypot_pos(Dual<T> v, Dual<T> x);

struct scalar_math {
  static constexpr bool wide = true;
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D log(D a) { return dlog(a); }
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D log1p(D a) { return dlog1p(a); }
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D log1p_small(D a) { return dlog1p(a); }
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D exp(D a) { return dexp(a); }
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D sqrt(D a) { return dsqrt(a); }
  template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE static D hypot(D v, D x) { return hypot_pos(v, x); }
};

}  // namespace detail
}  // namespace special
}  // namespace numkit
