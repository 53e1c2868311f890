// numkit/special/detail_gamma.hpp -- log Gamma(1 + v) and digamma for the Bessel power series.
//
// The power series of I_v needs lgamma(1 + v) with small *absolute* error for all v >= 0 and small
// *relative* error as v -> 0 (log I_v(x) itself -> 0 there): evaluating lgamma at the rounded argument
// 1 + v loses everything below 1e-16 * v. For v < 1/4 we sum the Taylor series
//   lgamma(1 + v) = -gamma v + sum_{k>=2} (-1)^k zeta(k) v^k / k        (DLMF 5.7.3)
// and elsewhere use lgamma. digamma (the derivative) uses the recurrence up to y >= 10 and the
// asymptotic series DLMF 5.11.2 with terms to y^-16 (truncation below 1e-18 there).
#pragma once

#include "numkit/simd/attributes.hpp"
#include "numkit/config.hpp"
#include "numkit/special/detail_dual.hpp"

namespace numkit {
namespace special {
namespace detail {

NUMKIT_HOST_DEVICE inline double digamma_ge1(double y) {
  double acc = 0;
  while (y < 10) {
    acc -= 1 / y;
    y += 1;
  }
  const double iy = 1 / y;
  const double r = iy * iy;  // (not 1 / (y * y): no overflow for huge y)
  // B_{2k} / (2k): 1/12, -1/120, 1/252, -1/240, 1/132, -691/32760, 1/12, -3617/8160
  const double tail =
      r * (1.0 / 12 -
           r * (1.0 / 120 -
                r * (1.0 / 252 -
                     r * (1.0 / 240 -
                          r * (1.0 / 132 -
                               r * (691.0 / 32760 - r * (1.0 / 12 - r * (3617.0 / 8160))))))));
  return acc + math::log(y) - 0.5 / y - tail;
}

// lgamma(1 + v) for 0 <= v < 1/4 (zeta series).
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double lgamma1p_small(double v) {
  {
    // (-1)^k zeta(k) / k for k = 2 .. 30; 0.25^31 / 31 < 1e-20.
    constexpr double c[] = {
        0.82246703342411321824,    -0.40068563438653142847,   0.27058080842778454788,
        -0.20738555102867398527,   0.16955717699740818995,    -0.14404989676884611812,
        0.12550966952474304242,    -0.11133426586956469049,   0.10009945751278180853,
        -0.090954017145829042233,  0.083353840546109004025,   -0.076932516411352191473,
        0.071432946295361336059,   -0.066668705882420468033,  0.062500955141213040742,
        -0.058823978658684582339,  0.055555767627403611102,   -0.052631679379616660734,
        0.05000004769810169364,    -0.047619070330142227991,  0.045454556293204669442,
        -0.043478266053040259361,  0.041666669150341210469,   -0.040000001192140140586,
        0.038461539034675185706,   -0.037037037312989325549,  0.035714285847333358028,
        -0.034482758684919300811,  0.033333333364377581081};
    double s = c[28];
    NUMKIT_UNROLL(40)
    for (int k = 27; k >= 0; --k) s = s * v + c[k];
    return v * (-0.577215664901532860606512090082 + v * s);
  }
}

// lgamma(1 + v) for v >= 0.
NUMKIT_HOST_DEVICE inline double lgamma1p(double v) {
  return v < 0.25 ? lgamma1p_small(v) : math::lgamma(v + 1);
}

// lgamma(z) for 1.25 <= z < 10 without libm (vectorizable; `logf` is the log to use, e.g. vlog):
// reduce to u = z - m - 2 in [-1/2, 1/2) with lgamma(z) = lgamma(2 + u) + log(prod_{j=1}^{m}(z - j))
// (m = -1: minus log z), and lgamma(2 + u) = (1 - gamma) u + sum_{k>=2} (-1)^k (zeta(k) - 1) u^k / k
// (DLMF 5.7.3 shifted; |term| < 4^-k / k, 29 terms: < 1e-18). No cancellation beyond a factor ~3
// near the zeros z = 1, 2 of lgamma, so the error stays within a few ulp of the result.
template <class LogF> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double lgamma_mid(double z, LogF logf) {
  constexpr double c[] = {
      0.422784335098467139393487909918, 0.32246703342411321824,     -0.067352301053198095133,
      0.020580808427784547879,          -0.0073855510286739852663,  0.0028905103307415232858,
      -0.0011927539117032609771,        0.00050966952474304242234,  -0.00022315475845357937976,
      0.000099457512781808533715,       -0.0000449262367381331417,  0.000020507212775670691553,
      -9.439488275268395904e-6,         4.3748667899074878042e-6,   -2.0392157538013662368e-6,
      9.5514121304074198329e-7,         -4.4924691987645660433e-7,  2.1207184805554665869e-7,
      -1.0043224823968099609e-7,        4.7698101693639805658e-8,   -2.271109460894316491e-8,
      1.0838659214896954091e-8,         -5.1834750419700466551e-9,  2.4836745438024783172e-9,
      -1.1921401405860912074e-9,        5.7313672416788620133e-10,  -2.7595228851242331452e-10,
      1.3304764374244489481e-10,        -6.4229645638381000221e-11, 3.1044247747322272762e-11};
  const double m = static_cast<double>(static_cast<int>(z - 0.5)) - 1;  // -1 .. 8
  const double u = z - m - 2;
  double g = c[29];
  NUMKIT_UNROLL(40)
  for (int k = 28; k >= 0; --k) g = g * u + c[k];
  double prod = 1;
  NUMKIT_UNROLL(40)
  for (int j = 1; j <= 8; ++j) prod *= select(j <= m, z - j, 1.0);
  // m = -1: lgamma(z) = lgamma(z + 1) - log z (selects only: a conditional division would not
  // be if-converted under -ftrapping-math and the caller's loop would not vectorize).
  const bool down = m < 0;
  return u * g + select(down, -1.0, 1.0) * logf(select(down, z, prod));
}

template <class T> NUMKIT_HOST_DEVICE inline Dual<T> lgamma1p(Dual<T> v) {
  return {lgamma1p(v.v), v.d * digamma_ge1(v.v + 1)};
}

}  // namespace detail
}  // namespace special
}  // namespace numkit
