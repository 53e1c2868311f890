// numkit/special/detail_huge.hpp -- the Bessel family when the order or the argument exceeds 1e300.
//
// There every quantity is given by the leading order of the uniform expansions DLMF 10.41.3/4
// (with s = sqrt(v^2 + x^2), v eta = s - v asinh(v/x)):
//   log I_v(x) = v eta - log(2 pi s)/2,       log K_v(x) = -v eta + log(pi/(2 s))/2,
//   d/dx log I = s/x,  d/dx log K = -s/x,     d/dv log I = -asinh(v/x),  d/dv log K = asinh(v/x),
//   I_v/I_{v-1} = x/(s + v),
// because the omitted terms are O(1/s) < 1e-300 relative to each kept one (the Debye terms are
// O(1/v) when v is the large one; when x is, the Debye and Hankel forms DLMF 10.40.1/2 agree to
// O(1/x)). What this file adds is the arithmetic: s, v eta and s + v overflow near the largest
// double although the results (log I_v(x) = 9.6e307 at v = x = DBL_MAX) do not, so everything is
// formed from halves (sh = s/2, exact scalings), and asinh(v/x) never forms v/x when it overflows.
// A result that is itself beyond the double range comes out as +-inf with the "overflow" flag.
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace special {
namespace detail {

constexpr double huge_arg = 1e300;  // max(v, x) above this: the formulas of this file

NUMKIT_HOST_DEVICE inline bool is_huge(double v, double x) { return v > huge_arg || x > huge_arg; }

// asinh(v/x) for v >= 0, x > 0 (both finite).
NUMKIT_HOST_DEVICE inline double asinh_ratio(double v, double x) {
  // v/x > 1e150: asinh(r) = log(2 r) + 1/(4 r^2) + ..., the correction is below 1e-300.
  if (v > x && v / 1e150 > x) return constants<double>::ln2() + math::log(v) - math::log(x);
  const double r = v / x;  // <= 1e150: r * r cannot overflow
  return math::log1p(r + r * r / (1 + math::sqrt(1 + r * r)));
}

// sqrt(v^2 + x^2) / 2 without overflow.
NUMKIT_HOST_DEVICE inline double half_hypot(double v, double x) {
  const double a = 0.5 * (v > x ? v : x), b = 0.5 * (v > x ? x : v);
  if (a == 0) return 0.0;
  const double r = b / a;
  return a * math::sqrt(1 + r * r);
}

// log I_v(x) (Scaled: minus x) for v, x >= 0 finite, max(v, x) > 1e300.
template <bool Scaled> NUMKIT_HOST_DEVICE inline double log_iv_huge(double v, double x) {
  const double sh = half_hypot(v, x);
  const double a = asinh_ratio(v, x);
  const double half_log = 0.5 * (constants<double>::ln_2pi() + constants<double>::ln2() + math::log(sh));
  if (Scaled) {  // s - x = v^2/(s + x) = v * v_sx, v_sx in [0, 1]
    const double v_sx = (0.25 * v) / (0.5 * sh + 0.25 * x);  // (quarters: sh + x/2 can overflow)
    return v * (v_sx - a) - half_log;
  }
  return 2 * (sh - (0.5 * v) * a) - half_log;
}

// log K_v(x) (Scaled: plus x) for v, x >= 0 finite, max(v, x) > 1e300.
template <bool Scaled> NUMKIT_HOST_DEVICE inline double log_kv_huge(double v, double x) {
  const double sh = half_hypot(v, x);
  const double a = asinh_ratio(v, x);
  // log(pi/(2 s))/2 = (log(pi/2) - log 2 - log sh)/2 = (log pi - 2 log 2 - log sh)/2
  const double half_log =
      0.5 * (constants<double>::ln_pi() - 2 * constants<double>::ln2() - math::log(sh));
  if (Scaled) {
    const double v_sx = (0.25 * v) / (0.5 * sh + 0.25 * x);
    return v * (a - v_sx) + half_log;
  }
  return 2 * ((0.5 * v) * a - sh) + half_log;
}

// s/x = d/dx log I_v(x) = -d/dx log K_v(x) (overflows only where the true value does).
NUMKIT_HOST_DEVICE inline double s_over_x_huge(double v, double x) { return 2 * (half_hypot(v, x) / x); }

// I_v(x)/I_{v-1}(x) = x / (s + v).
NUMKIT_HOST_DEVICE inline double iv_ratio_huge(double v, double x) {
  return (0.25 * x) / (0.5 * half_hypot(v, x) + 0.25 * v);  // (sh + v/2 can overflow)
}

}  // namespace detail
}  // namespace special
}  // namespace numkit
