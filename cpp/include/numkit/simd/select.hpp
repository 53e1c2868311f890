// numkit/simd/select.hpp -- branch-free selects of doubles for the block kernels (host and device).
//
// select(c, a, b) = c ? a : b and select_less(a, b, p, q) = (a < b) ? p : q for a, b >= 0 (not
// NaN). On the host both blend bit patterns with masks, and select_less also compares the bit
// patterns (ordered like the values for non-negative doubles): with `c ? a : b` GCC sinks the
// computation of a and b into the arms, and under -ftrapping-math (the default) it neither
// if-converts floating-point arithmetic back nor turns a select after a floating-point compare
// into a blend, so the enclosing loop does not vectorize ("control flow in loop"). On the device a
// plain conditional is a select instruction.
#pragma once

#include "numkit/config.hpp"
#include "numkit/simd/attributes.hpp"

namespace numkit {
namespace simd {

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double select(bool c, double a, double b) { return c ? a : b; }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double select_less(double a, double b, double p, double q) {
  return a < b ? p : q;
}
#else
// mask ? a : b per bit (mask all ones or all zeros).
NUMKIT_FORCE_INLINE double blend_bits(nstd::uint64_t mask, double a, double b) {
  nstd::uint64_t ua, ub;
  __builtin_memcpy(&ua, &a, sizeof a);
  __builtin_memcpy(&ub, &b, sizeof b);
  const nstd::uint64_t r = (ua & mask) | (ub & ~mask);
  double out;
  __builtin_memcpy(&out, &r, sizeof out);
  return out;
}
NUMKIT_FORCE_INLINE double select(bool c, double a, double b) {
  return blend_bits(0 - static_cast<nstd::uint64_t>(c), a, b);
}
NUMKIT_FORCE_INLINE double select_less(double a, double b, double p, double q) {
  nstd::int64_t ia, ib;
  __builtin_memcpy(&ia, &a, 8);
  __builtin_memcpy(&ib, &b, 8);
  return blend_bits(static_cast<nstd::uint64_t>((ia - ib) >> 63), p, q);  // all ones if a < b
}
#endif

// 1 if the non-negative double with bit pattern `bits` is >= th (th > 0), else 0. Bit patterns of
// non-negative doubles are ordered like their values, so the block classifiers compare them as
// integers: the comparisons vectorize as integer lanes (no float-to-integer mask conversions), and
// NaN (which fails the classifiers' range tests) raises no "invalid" flag.
// (The difference is taken in uint64, so that the bits of a negative double, which k_classify
// passes and rejects by its own range test, wrap instead of overflowing a signed subtraction.)
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE nstd::int64_t ge_bits(nstd::int64_t bits, double th) {
  const nstd::uint64_t d = static_cast<nstd::uint64_t>(bits) - static_cast<nstd::uint64_t>(double_bits(th));
  return 1 + (static_cast<nstd::int64_t>(d) >> 63);
}

}  // namespace simd
}  // namespace numkit
