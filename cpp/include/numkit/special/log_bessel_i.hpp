// numkit/special/log_bessel_i.hpp -- log I_v(x) and its family, computed in log space.
//
// Method (Plesner, Sorensen, Hauberg, "Accurate Computation of the Logarithm of Modified Bessel
// Functions on GPUs", arXiv:2409.08729; DLMF chapter 10). For v >= 0, 0 < x < inf one of four
// regimes is chosen per element; every intermediate stays on a log scale, so nothing overflows:
//
//   series    rho = (x^2/4)/(v+1) <= 2 with v < VU = 16, or rho <= 0.01 (DLMF 10.25.2):
//             log I = v log(x/2) - lgamma(1+v) + log1p(S), S = sum_{k>=1} prod_{j<=k} y/(j (v+j)),
//             y = x^2/4. All terms are positive, and log1p keeps the relative accuracy where
//             log I -> 0 (v = 0, x = 1e-20 gives 2.5e-41). lgamma(1+v): detail_gamma.hpp.
//   large_x   v < VU, x >= 25 and x >= 2 v^2 (DLMF 10.40.1; terms smallest near k ~ 2x, e^-2x):
//             log I = x - log(2 pi x)/2 + log(sum_k (-1)^k a_k(v) / x^k).
//   uniform   v >= VU (DLMF 10.41.3, Debye polynomials of debye.hpp, 20 terms at v = 16 down to 4
//             at v >= 1e4, chosen so that the first omitted term max_p |U_N(p)| / v^N < 3e-18):
//             log I = v eta - log(2 pi s)/2 + log(1 + sum_{k>=1} U_k(p) / v^k), s = sqrt(v^2+x^2),
//             p = v/s, v eta = s - v asinh(v/x), asinh(v/x) = log1p((v/x)(1 + v/(s+x))) (no
//             cancellation for small or large z = x/v).
//   shifted   v < VU otherwise (moderate v and x, where no series or expansion is cheap and
//             accurate): the uniform expansion at mu = v + m in [30, 31) (14 terms) gives log I_mu
//             and, by forward-mode AD in x, r_mu = I_mu/I_{mu-1} = 1/(d/dx log I_mu + mu/x); the
//             ratios are recurred DOWN (stable: I is the minimal solution as the order grows),
//             r_j = x / (2 j + x r_{j+1}), in continuant form without divisions, and
//             log I_v = log I_mu - log(prod_{j=v+1}^{mu} r_j).
// log_ive (log I - x) subtracts x inside each formula (s - x = v^2/(s+x) in the uniform one).
// The accuracy limit: near a zero of log I (I_v(x) = 1) the cancelling terms are of size v or x,
// so the absolute error is ~eps (sqrt(v^2+x^2) + v asinh(v/x)) there (the problem's conditioning).
// CPU block kernels (float64 ufunc loops) run the same formulas vectorized: cpu/iv_block.hpp
// (log I, log I - x) and detail_iv_dx_block.hpp (log_iv_dx, iv_ratio).
//
// Derivatives: every regime formula is a template over the number type, so evaluating it on
// forward-mode dual numbers (detail_dual.hpp) gives d/dx and d/dv of the same approximation.
//   log_iv_dx(v, x) = I_v'/I_v = I_{v+1}/I_v + v/x  (a sum of positive terms),
//   iv_ratio(v, x)  = I_v/I_{v-1} = 1 / (log_iv_dx(v, x) + v/x)  (DLMF 10.29.2), never via
//                     exp(log I_v - log I_{v-1}), which cancels catastrophically when log I ~ 1e8.
//   log_iv_dv(v, x) = d/dv log I_v(x); at v = 0 it is exactly -K_0(x)/I_0(x) (DLMF 10.38.6).
//
// Domain and special values (v real, x >= 0):
//   NaN in -> NaN out (silently); x < 0 -> NaN with the "invalid" flag;
//   x = 0: log I_0(0) = 0, log I_v(0) = -inf for v > 0; x = +inf: +inf.
//   v < 0: I_{-n} = I_n for integer n; otherwise I_{-v} = I_v + (2/pi) sin(v pi) K_v (DLMF 10.27.2),
//   which is negative for some x: there log I is undefined and the result is NaN with "invalid".
//   The derivative functions and iv_ratio are defined for v >= 0 (v < 0: NaN with "invalid"),
//   except integer v where I_{-n} = I_n. iv_ratio(inf, x) = 0 for finite x (the limit x/(2v)).
//   max(v, x) > 1e300: the leading order of the uniform expansion, formed without overflow
//   (detail_huge.hpp); subnormal x: the leading terms of the power series for log_iv_dx and
//   iv_ratio. So every finite (v, x) gives the true value, or +-inf where that overflows.
// float kernels evaluate in double and round once (well inside the float32 error bar).
#pragma once

#include "numkit/simd/attributes.hpp"
#include "numkit/config.hpp"
#include "numkit/error.hpp"
#include "numkit/special/debye.hpp"
#include "numkit/special/detail_dual.hpp"
#include "numkit/special/detail_gamma.hpp"
#include "numkit/special/detail_huge.hpp"
#include "numkit/special/log_bessel_k.hpp"
#include "numkit/simd/math_policy.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstddef>
#include <utility>
#endif

namespace numkit {
namespace special {
namespace detail {

// Order from which the uniform expansion with 20 terms is accurate to ~1e-17: the first omitted
// term is max_p |U_20(p)| / v^20 = 2.2e7 / 16^20 = 2e-17 (tests/special/gen_debye.py prints the
// maxima); larger orders need fewer terms (iv_debye_terms_for).
constexpr double iv_uniform_min_order = 16.0;
constexpr double iv_long_series_max_order = 8.0;  // the series to rho = 4 below this order
constexpr double iv_long_series_max_x = 10.0;      // ... and to x = 10 (iv_choose)
constexpr int iv_debye_terms = 20;
// The shifted regime evaluates the uniform expansion at mu in [30, 31): 14 Debye terms suffice
// there (max_p |U_14| / 30^14 < 1e-18), about half the work of 20 terms at mu = 16, for at most 30
// division-free recurrence steps.
constexpr double iv_shift_order = 30.0;
constexpr int iv_shift_terms = 14;

// The Debye sum unrolled at compile time so that each P_k is a constant polynomial.
// sum_{1<=k<N} P_k(q) w^(k-1): the Debye sum without its leading 1, divided by w.
template <int N, class D, nstd::size_t... I>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D debye_tail_unrolled(D q, D w, nstd::index_sequence<I...>) {
  D s = 0.0;
  ((s = s * w + debye_p<N - 1 - static_cast<int>(I)>::eval(q)), ...);
  return s;
}
template <int N, class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D debye_tail(D q, D w) {
  return debye_tail_unrolled<N>(q, w, nstd::make_index_sequence<N - 1>{});
}

enum class iv_regime : int { series = 0, large_x = 1, uniform = 2, shifted = 3 };

// Large-argument expansion accurate to < 1e-17 within 40 terms (the terms decrease like
// prod (4v^2 - (2j-1)^2) / (8 j x), smallest near j ~ 2x: e^{-2x} < 2e-22 for x >= 25).
NUMKIT_HOST_DEVICE inline bool iv_large_x_ok(double v, double x) {
  return v < 1e100 && x >= 25 && x >= 2 * v * v;  // (v < 1e100: no overflow flag from v * v)
}

// Series where its terms fall fast: (x^2/4) / (v+1) <= 4 (at most ~36 terms) for v < 8, <= 2
// for v < VU; for larger orders the uniform expansion is cheaper unless (x^2/4)/(v+1) <= 0.01
// (<= 8 terms). (With rho <= 2 for all small v, the shifted regime took over at x ~ 2.83 for
// v = 0, where log I_{v+31} ~ -65 cancels against the ratio product: 160 ulp at
// log_iv(0, 2.9135). Against mpmath at rho in (2, 4] the series errs by <= 1e-15 for v < 8, but
// from v ~ 8 on v log(x/2) - lgamma(1 + v) cancels too: 1.2e-14 absolute at v ~ 15.)
// Not for x > 1e150 (x^2/4 would overflow; the large-x or uniform expansion holds there).
NUMKIT_HOST_DEVICE inline iv_regime iv_choose(double v, double x) {
  const double xc = x < 1e150 ? x : 1e150;  // no overflow flag from x * x
  const double rho = 0.25 * xc * xc / (v + 1);
  const double rho_max = v < iv_long_series_max_order ? 4.0 : v < iv_uniform_min_order ? 2.0 : 0.01;
  if (x <= 1e150 && rho <= rho_max) return iv_regime::series;
  // ... and for v < 8 up to x = 10 (rho up to 25 at v = 0; 36 terms leave < 2e-33): beyond
  // rho = 4 the shifted regime cancelled log I_{v+30} ~ -65 against its ratio product there,
  // 2.7e-14 absolute on log_ive ~ -1.8 (1.5x the bar) for v < 2.5, x in (4, 9).
  if (v < iv_long_series_max_order && x <= iv_long_series_max_x) return iv_regime::series;
  if (v < iv_uniform_min_order) return iv_large_x_ok(v, x) ? iv_regime::large_x : iv_regime::shifted;
  return iv_regime::uniform;
}

// Series stopping rule: the term is negligible, and for a dual number so is its derivative (at
// v = 1/2 the large-x terms vanish from k = 2 on while their v-derivatives do not).
NUMKIT_HOST_DEVICE inline bool negligible(double t, double s) { return math::fabs(t) <= 1e-18 * math::fabs(s); }
template <class T> NUMKIT_HOST_DEVICE inline bool negligible(Dual<T> t, Dual<T> s) {
  return negligible(t.v, s.v) && math::fabs(t.d) <= 1e-18 * math::fabs(s.d);
}

// log(x) for x > 0 including subnormals (x * 0.5 could round to 0).
template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D log_half(D x) { return dlog(x) - constants<double>::ln2(); }

template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D log_iv_series(D v, D x, int max_terms = 2000) {
  const D y = 0.25 * x * x;
  D t = 1.0;
  D s = 0.0;
  for (int k = 1; k <= max_terms; ++k) {
    t = t * y / (double(k) * (v + double(k)));
    s += t;
    if (negligible(t, s)) break;
  }
  return v * log_half(x) - lgamma1p(v) + dlog1p(s);
}

// Scaled = true returns log I_v(x) - x (log_ive) with the x cancelled analytically.
template <class D, class M = scalar_math, bool Scaled = false>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D log_iv_large_x(D v, D x) {
  const D mu = 4.0 * v * v;
  const D ix8 = 0.125 / x;  // not 1/(8 j x): 8 x overflows for x near the largest double
  D t = 1.0;
  D s = 1.0;
  for (int j = 1; j <= 60; ++j) {
    const double o = double(2 * j - 1);
    t = t * (o * o - mu) * ix8 / double(j);
    s += t;
    if (negligible(t, s)) break;
  }
  const D lead = Scaled ? D(0.0) : x;
  return lead - 0.5 * (M::log(x) + constants<double>::ln_2pi()) + M::log(s);
}

// sqrt(v^2 + x^2) without overflow for huge x; written with selects only (vectorizable).
template <class D> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D hypot_pos(D v, D x) {
  const bool xb = val(x) >= val(v);
  const D big = select(xb, x, v);
  const D small = select(xb, v, x);
  const D r = small / big;
  return big * dsqrt(1.0 + r * r);
}
// The dual form differentiates sqrt(v^2 + x^2) in closed form, d s = (v dv + x dx) / s: the chain
// rule through (small/big)^2 above loses the small operand's part once r * r' underflows (v = 20,
// x = 1e200: d s/dv = 0 instead of v/s, and d/dv log I came out exactly twice the true -v/x).
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> hypot_pos(Dual<T> v, Dual<T> x) {
  const T s = hypot_pos(v.v, x.v);
  return {s, (v.v / s) * v.d + (x.v / s) * x.d};
}

template <int N, class D, class M = scalar_math, bool Scaled = false>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE D log_iv_uniform(D v, D x) {
  const D s = M::hypot(v, x);
  // asinh(v/x) = log1p(w), w = (v/x)(1 + v/(s+x)), as one division.
  // (M::wide: arguments up to the overflow threshold, where s + x itself overflows and is carried
  // halved -- an exact scaling; the vector policy only sees v, x < 1e150.)
  const D sx = M::wide ? 0.5 * s + 0.5 * x : s + x;
  const D v_sx = M::wide ? 0.5 * (v / sx) : v / sx;  // v / (s + x)
  const D w = M::wide ? (v / x) * (1.0 + v_sx) : v * (sx + v) / (x * sx);
  // Scaled: v eta - x with s - x = v^2 / (s + x) (no cancellation for x >> v).
  const D lead = Scaled ? v * v_sx : s;
  const D veta = lead - v * M::log1p(w);
  const D inv_s = 1.0 / s;
  // sum_k U_k(p) / v^k = 1 + e with U_k(p) v^-k = P_k(p^2) (p/v)^k and p / v = 1 / s.
  const D p = v * inv_s;
  const D e = inv_s * debye_tail<N>(p * p, inv_s);
  return veta - 0.5 * (M::log(s) + constants<double>::ln_2pi()) + M::log1p_small(e);
}

// The uniform expansion with the fewest Debye terms that keep the first omitted term below 3e-18
// (max_p |U_N(p)| / v^N from tests/special/gen_debye.py).
template <class D, class M = scalar_math, bool S = false>
NUMKIT_HOST_DEVICE inline D log_iv_uniform_auto(D v, D x) {
  const double a = val(v);
  if (a >= 1e4) return log_iv_uniform<4, D, M, S>(v, x);
  if (a >= 3000) return log_iv_uniform<5, D, M, S>(v, x);
  if (a >= 500) return log_iv_uniform<6, D, M, S>(v, x);
  if (a >= 200) return log_iv_uniform<8, D, M, S>(v, x);
  if (a >= 100) return log_iv_uniform<9, D, M, S>(v, x);
  if (a >= 50) return log_iv_uniform<11, D, M, S>(v, x);
  if (a >= 30) return log_iv_uniform<14, D, M, S>(v, x);
  if (a >= 20) return log_iv_uniform<17, D, M, S>(v, x);
  return log_iv_uniform<20, D, M, S>(v, x);
}

// Shifted regime: log I_v and I_{v+1}/I_v (for the x-derivative).
struct iv_shifted_result {
  double log_iv;
  double r_v1;
};
template <class M = scalar_math, bool Scaled = false>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE iv_shifted_result log_iv_shifted(double v, double x) {
  constexpr int max_shift = static_cast<int>(iv_shift_order) + 1;
  // trunc == floor for 0 <= v < shift order; the int conversion vectorizes (floor: call on SSE2)
  const double m = static_cast<double>(static_cast<int>(iv_shift_order - v)) + 1;
  const double mu = v + m;
  const Dual<double> L =
      log_iv_uniform<iv_shift_terms, Dual<double>, M, Scaled>(Dual<double>(mu), Dual<double>(x, 1.0));
  const double r_mu = 1 / (L.d + (Scaled ? 1.0 : 0.0) + mu / x);
  // Downward recurrence without divisions: r_j = A_j / B_j with A_j = x B_{j+1},
  // B_j = 2 j B_{j+1} + x A_{j+1}, (A, B)_mu = (r_mu, 1). Then
  // prod_{j=v+1}^{mu} r_j = r_mu x^(m-1) / B_{v+1} and r_{v+1} = A_{v+1} / B_{v+1}.
  // B_{v+1} <= (2 mu + x)^(m-1) and x^(m-1) stay far from overflow (m <= 31, x < 512 here).
  double a = r_mu, b = 1.0, xp = 1.0;
  // Fixed trip count with a mask (vectorizable): steps i = m-1 .. 1 are active.
  NUMKIT_UNROLL(40)
  for (int i = max_shift - 1; i >= 1; --i) {
    const bool active = i < m;
    const double an = x * b;
    const double bn = 2 * (v + i) * b + x * a;
    a = select(active, an, a);
    b = select(active, bn, b);
    xp *= select(active, x, 1.0);
  }
  // log prod = log(r_mu xp / b); r_{v+1} = a / b (= r_mu when m = 1, where b = 1).
  return {L.v - M::log(r_mu * xp / b), a / b};
}

// log I_v(x) (Scaled: log I_v(x) - x) for v >= 0, 0 < x < inf.
template <bool Scaled = false> NUMKIT_HOST_DEVICE inline double log_iv_pos(double v, double x) {
  if (is_huge(v, x)) return log_iv_huge<Scaled>(v, x);
  switch (iv_choose(v, x)) {
    case iv_regime::series: return log_iv_series(v, x) - (Scaled ? x : 0.0);
    case iv_regime::large_x: return log_iv_large_x<double, scalar_math, Scaled>(v, x);
    case iv_regime::uniform: return log_iv_uniform_auto<double, scalar_math, Scaled>(v, x);
    default: return log_iv_shifted<scalar_math, Scaled>(v, x).log_iv;
  }
}

// d/dx log I_v(x) for v >= 0, 0 < x < inf.
NUMKIT_HOST_DEVICE inline double log_iv_dx_pos(double v, double x) {
  if (is_huge(v, x)) return s_over_x_huge(v, x);
  // Tiny x: I_{v+1}/I_v = x/(2(v+1)) (1 + O(x^2)) from the power series; the dual series below
  // would form 1/x, which overflows for subnormal x.
  if (x < 1e-150) return v / x + x / (2 * (v + 1));
  const Dual<double> vd(v), xd(x, 1.0);
  switch (iv_choose(v, x)) {
    case iv_regime::series: return log_iv_series(vd, xd).d;
    case iv_regime::large_x: return log_iv_large_x(vd, xd).d;
    case iv_regime::uniform: return log_iv_uniform_auto(vd, xd).d;
    default: return log_iv_shifted(v, x).r_v1 + v / x;
  }
}

// d/dv log I_v(x) for v > 0, 0 < x < inf. In the shifted regime the (always convergent, positive)
// power series is summed to completion instead: it is slower but the derivative there would need the
// mixed second derivative of the uniform expansion.
NUMKIT_HOST_DEVICE inline double log_iv_dv_pos(double v, double x) {
  if (is_huge(v, x)) return -asinh_ratio(v, x);
  const Dual<double> vd(v, 1.0), xd(x);
  switch (iv_choose(v, x)) {
    case iv_regime::large_x: {
      // The large-x sum is even in v, so its derivative misses the exponentially small
      // -cos(pi v) K_v/I_v (I_v = (I_v + I_{-v})/2 - sin(pi v) K_v / pi, DLMF 10.27.2), which is
      // all of the derivative at v -> 0 (-K_0/I_0 at v = 0, DLMF 10.38.6): added for small v.
      const double d = log_iv_large_x(vd, xd).d;
      if (v >= 1e-4 || x > 350) return d;  // below 1e-16 of d there
      const double kv = static_cast<double>(log_kv<double>(v, x));
      return d - math::cos(constants<double>::pi() * v) * math::exp(kv - log_iv_pos(v, x));
    }
    case iv_regime::uniform: return log_iv_uniform_auto(vd, xd).d;
    default: return log_iv_series(vd, xd, 100000).d;
  }
}

// sin(pi v) with exact argument reduction.
NUMKIT_HOST_DEVICE inline double sinpi(double v) {
  double r = v - 2 * math::floor(v * 0.5);  // [0, 2)
  double sign = 1;
  if (r >= 1) {
    r -= 1;
    sign = -1;
  }
  if (r > 0.5) r = 1 - r;
  return sign * math::sin(constants<double>::pi() * r);
}

// log I_{-nu}(x) (Scaled: minus x) for non-integer nu > 0, 0 < x < inf:
// I_{-nu} = I_nu + c K_nu, c = (2/pi) sin(nu pi) (DLMF 10.27.2), summed in log space.
template <bool Scaled> NUMKIT_HOST_DEVICE inline double log_iv_negative(double nu, double x) {
  const double li = log_iv_pos<Scaled>(nu, x);
  // Scaled: log K_nu - x = log(K_nu e^x) - 2x; beyond x = 1e307 that is below -DBL_MAX (2x
  // overflows) and the K term is far below the I term: it is carried as -DBL_MAX.
  const double lk = !Scaled ? static_cast<double>(log_kv<double>(nu, x))
                    : x < 1e307 ? static_cast<double>(log_kve<double>(nu, x)) - 2 * x
                                : -1.7976931348623157e308;
  const double c = (2 / constants<double>::pi()) * sinpi(nu);
  if (c > 0) {  // both terms positive: log(e^li + e^(lk + log c))
    const double lc = lk + math::log(c);
    const double hi = li > lc ? li : lc;
    const double lo = li > lc ? lc : li;
    // e^(lo - hi) = 0 in double below -745; lo - hi itself overflows for x near the largest double.
    if (lo < hi - 750) return hi;
    return hi + math::log1p(math::exp(lo - hi));
  }
  // c < 0: I_nu - |c| K_nu, positive only while |c| K_nu < I_nu.
  const double lck = lk + math::log(-c);
  if (lck < li - 750) return li;  // as above
  const double d = lck - li;
  if (!(d < 0)) return domain_error<double>();  // I_{-nu}(x) <= 0: log undefined
  return li + math::log1p(-math::exp(d));
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Scalar kernels (host and device). float evaluates in double and rounds once.

NUMKIT_HOST_DEVICE inline double log_iv_d(double v, double x) {
  if (math::isnan(v) || math::isnan(x)) return constants<double>::nan();
  detail::launder(v);
  detail::launder(x);
  if (x < 0) return domain_error<double>();
  if (v < 0) {
    const double nu = -v;
    if (nu == math::floor(nu)) return log_iv_d(nu, x);
    if (x == 0) {
      // I_{-nu}(x) ~ (x/2)^-nu / Gamma(1 - nu) as x -> 0+: +inf where Gamma(1 - nu) > 0, but -inf
      // (no log) for nu in (1, 2), (3, 4), ..., which returned +inf like the others.
      const double half = 0.5 * math::floor(nu);  // not an integer: floor(nu) is odd
      if (math::isinf(nu) || half != math::floor(half)) return domain_error<double>();
      return constants<double>::inf();
    }
    if (math::isinf(x)) return constants<double>::inf();
    if (math::isinf(nu)) return domain_error<double>();
    return detail::log_iv_negative<false>(nu, x);
  }
  if (x == 0) return v == 0 ? 0.0 : -constants<double>::inf();
  if (math::isinf(x)) return constants<double>::inf();
  if (math::isinf(v)) return -constants<double>::inf();
  return detail::log_iv_pos(v, x);
}

template <class T> NUMKIT_HOST_DEVICE inline T log_iv(T v, T x) {
  return static_cast<T>(log_iv_d(static_cast<double>(v), static_cast<double>(x)));
}

NUMKIT_HOST_DEVICE inline double log_ive_d(double v, double x) {
  if (math::isnan(v) || math::isnan(x)) return constants<double>::nan();
  detail::launder(v);
  detail::launder(x);
  if (v < 0 && v == math::floor(v)) v = -v;  // I_{-n} = I_n
  const bool finite_x = x > 0 && x < constants<double>::inf();
  if (v >= 0 && v < constants<double>::inf() && finite_x) {
    return detail::log_iv_pos<true>(v, x);  // x cancelled inside the formulas
  }
  if (v < 0 && v > -constants<double>::inf() && finite_x) return detail::log_iv_negative<true>(-v, x);
  const double l = log_iv_d(v, x);
  // x = inf: log I_v(x) - x -> -log(2 pi x)/2 -> -inf.
  if (math::isinf(x) && x > 0) return math::isnan(l) ? l : -constants<double>::inf();
  return l - x;
}

template <class T> NUMKIT_HOST_DEVICE inline T log_ive(T v, T x) {
  return static_cast<T>(log_ive_d(static_cast<double>(v), static_cast<double>(x)));
}

// Reduce a negative integer order to its positive twin; other negative orders are outside the
// domain of the derivative kernels (returns false).
NUMKIT_HOST_DEVICE inline bool iv_fold_order(double& v) {
  if (v >= 0) return true;
  if (v == math::floor(v)) {
    v = -v;
    return true;
  }
  return false;
}

NUMKIT_HOST_DEVICE inline double log_iv_dx_d(double v, double x) {
  if (math::isnan(v) || math::isnan(x)) return constants<double>::nan();
  detail::launder(v);
  detail::launder(x);
  if (x < 0 || !iv_fold_order(v)) return domain_error<double>();
  if (math::isinf(v)) return domain_error<double>();
  if (x == 0) return v == 0 ? 0.0 : constants<double>::inf();
  if (math::isinf(x)) return 1.0;
  return detail::log_iv_dx_pos(v, x);
}

template <class T> NUMKIT_HOST_DEVICE inline T log_iv_dx(T v, T x) {
  return static_cast<T>(log_iv_dx_d(static_cast<double>(v), static_cast<double>(x)));
}

// I_v(x) / I_{v-1}(x) for v >= 0 (v = 0: I_0 / I_1).
NUMKIT_HOST_DEVICE inline double iv_ratio_d(double v, double x) {
  if (math::isnan(v) || math::isnan(x)) return constants<double>::nan();
  detail::launder(v);
  detail::launder(x);
  if (x < 0 || v < 0) return domain_error<double>();
  if (math::isinf(v)) return math::isinf(x) ? domain_error<double>() : 0.0;  // ~ x/(2v) -> 0
  if (x == 0) return v == 0 ? constants<double>::inf() : 0.0;
  if (math::isinf(x)) return 1.0;
  if (detail::is_huge(v, x)) return detail::iv_ratio_huge(v, x);
  if (x < 1e-150) {
    // 1 / (2v/x + x/(2(v+1))) from the power series, arranged so that 2v/x cannot overflow
    // where the ratio itself is representable (subnormal x, v = 1e-3: 5e-307).
    if (v > x) return x / (2 * v + x * x / (2 * (v + 1)));
    return 1 / (2 * (v / x) + x / (2 * (v + 1)));
  }
  // v / x beyond ~1e300 (v > 1e150, so x^2 / (4 (v + 1)) < 1e-150): the same two terms, which
  // are then exact; 1 / (D + v/x) overflowed in v/x and gave 0 for subnormal ratios
  // (iv_ratio(1e299, 1e-10) = 5e-310).
  if (v > 1e150 && x < v * 1e-150) return x / (2 * v + x * x / (2 * (v + 1)));  // (no flags)
  return 1 / (detail::log_iv_dx_pos(v, x) + v / x);
}

template <class T> NUMKIT_HOST_DEVICE inline T iv_ratio(T v, T x) {
  return static_cast<T>(iv_ratio_d(static_cast<double>(v), static_cast<double>(x)));
}

NUMKIT_HOST_DEVICE inline double log_iv_dv_d(double v, double x) {
  if (math::isnan(v) || math::isnan(x)) return constants<double>::nan();
  detail::launder(v);
  detail::launder(x);
  if (x < 0 || v < 0 || math::isinf(v)) return domain_error<double>();
  if (x == 0) return -constants<double>::inf();
  if (math::isinf(x)) return -0.0;
  if (v == 0) {
    // d/dv I_v at v = 0 is -K_0 (DLMF 10.38.6): exponentially small for large x, which the
    // algebraic expansions cannot resolve. (-K_0/I_0 ~ -pi e^{-2x} is below the smallest double
    // beyond x = 375; there the difference of the logs would overflow near the largest double.)
    if (x > 400) return -0.0;
    return -math::exp(static_cast<double>(log_kv<double>(0.0, x)) - detail::log_iv_pos(0.0, x));
  }
  return detail::log_iv_dv_pos(v, x);
}

template <class T> NUMKIT_HOST_DEVICE inline T log_iv_dv(T v, T x) {
  return static_cast<T>(log_iv_dv_d(static_cast<double>(v), static_cast<double>(x)));
}

}  // namespace special
}  // namespace numkit
