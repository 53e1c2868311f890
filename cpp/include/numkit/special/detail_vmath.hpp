// numkit/special/detail_vmath.hpp -- branch-free log and log1p that vectorize (CPU block kernels).
//
// glibc's log is a scalar call, so a loop that calls it does not vectorize, and the library is not
// built with -ffast-math (which would enable libmvec but delete the NaN/inf handling). These
// versions use only integer/bit operations, +, *, / and so vectorize under `#pragma omp simd` even
// on baseline SSE2. Inputs must be positive, finite and normal (callers classify special values
// out of the regime loops first).
//
// vlog: the fdlibm/musl reduction x = 2^k m, m in [sqrt(2)/2, sqrt(2)), f = m - 1,
// log(1 + f) = 2 atanh(s), s = f / (2 + f), with fdlibm's minimax polynomial (error < 1 ulp;
// measured max 0.9 ulp against mpmath in tests/special/test_vmath.py via the log_iv kernels).
// vlog1p(y) = log(u) + (y - (u - 1)) / u with u = 1 + y (the rounding of u corrected to first order).
#pragma once

#include "numkit/config.hpp"
#include "numkit/special/detail_dual.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstdint>
#include <cstring>
#endif

namespace numkit {
namespace special {
namespace detail {
// Own namespace: detail_k_vmath.hpp (log K) defines functions of the same names in detail.
namespace vm {

NUMKIT_HOST_DEVICE NUMKIT_SP_INLINE std::uint64_t bits_of(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
NUMKIT_HOST_DEVICE NUMKIT_SP_INLINE double double_of(std::uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

NUMKIT_HOST_DEVICE NUMKIT_SP_INLINE double vlog(double x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                   Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                   Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  // Shift so that the exponent field of u is that of x rounded at sqrt(2) instead of 2.
  const std::uint64_t u = bits_of(x) + (0x3ff0000000000000ULL - 0x3fe6a09e667f3bcdULL);
  const std::uint64_t e = u >> 52;  // biased exponent, 1 .. 2046 for normal x
  const double m = double_of((u & 0x000fffffffffffffULL) + 0x3fe6a09e667f3bcdULL);
  // Integer -> double without cvtsi2sd (not vectorizable before AVX-512): 2^52 + e, minus 2^52.
  const double k = double_of(e | 0x4330000000000000ULL) - (4503599627370496.0 + 1023.0);
  const double f = m - 1;
  const double s = f / (2 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double r = t2 + t1;
  const double hfsq = 0.5 * f * f;
  return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f);
}

// log(1 + y) for y >= 0 finite.
NUMKIT_HOST_DEVICE NUMKIT_SP_INLINE double vlog1p(double y) {
  const double u = 1 + y;
  return vlog(u) + (y - (u - 1)) / u;
}

}  // namespace vm
}  // namespace detail
}  // namespace special
}  // namespace numkit
