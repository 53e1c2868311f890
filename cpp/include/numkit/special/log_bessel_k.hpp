// numkit/special/log_bessel_k.hpp -- log K_v(x) and friends, on a log scale throughout so that
// nothing overflows: log K_v(1e-300) at v = 1e5 is about 7e7 and comes out finite and accurate.
//
//   log_kv(v, x)     = log K_v(x)
//   log_kve(v, x)    = log K_v(x) + x          (computed directly: no cancellation at huge x)
//   log_kv_dx(v, x)  = d/dx log K_v(x) = -(K_{v-1}(x)/K_v(x) + v/x)   (DLMF 10.29.2)
//   log_kv_dv(v, x)  = d/dv log K_v(x)           (forward-mode AD through the same formulas)
//
// K is even in v (DLMF 10.27.3), so v -> |v|; log_kv_dv is odd in v and 0 at v = 0. Domain x >= 0;
// x < 0 gives NaN with the "invalid" flag; NaN in gives NaN out silently. Special values:
//   x = 0:    log_kv = log_kve = +inf, log_kv_dx = -inf, log_kv_dv = +-inf (sign of v; 0 at v = 0)
//   x = +inf: log_kv = log_kve = -inf (K_v(x) e^x ~ sqrt(pi/(2x)) -> 0), log_kv_dx = -1,
//             log_kv_dv = 0
//   |v| = inf: log_kv = log_kve = +inf, log_kv_dx = -inf, log_kv_dv = +-inf.
// max(|v|, x) > 1e300: the leading order of the uniform expansion, formed without overflow
// (detail_huge.hpp), so every finite (v, x) gives the true value or +-inf where it overflows.
// Near the zeros of log K (x/v near 0.6627 for large v) and of log K + x (x > 2.9 v), the
// cancelling O(v) terms are summed from series about those points (k_veta_near_z0 and the w-series
// in k_uniform), so the error stays about an ulp of the result rather than of v.
//
// Regimes (as in Plesner, Sorensen, Hauberg, arXiv:2409.08729, a branch per element; for small
// orders the classic Temme / Steed split instead of the paper's integral representation):
//   v >= 20            uniform asymptotic expansion DLMF 10.41.4 (Debye polynomials, debye.hpp),
//                      valid for every x > 0; 5..16 terms depending on v.
//   v < 20, x >= 1000  large-argument expansion DLMF 10.40.2 (14 terms).
//   v < 20, x < 1      Temme's series for K_mu, K_{mu+1}, |mu| <= 1/2 (Temme 1975),
//   v < 20, 1..30      the CF2 ratio K_{mu+1}/K_mu (Temme 1975; Numerical Recipes 6.7) and the
//                      Wronskian with the power series of I_mu, I_{mu+1} (all terms positive),
//   v < 20, 30..1000   large-argument expansion DLMF 10.40.2 of K_mu and K_{mu+1} (20 terms),
//                      then forward recurrence in v from mu = v - round(v) to v (stable for K).
// The formulas are in detail_k_regimes.hpp, templated on the number type and the math functions:
// the scalar kernels (float, double, CUDA) run them per element with numkit::math, the CPU block
// kernels classify a block by regime and run each regime as a vectorizable loop with fixed trip
// counts and the polynomial exp/log of simd/vmath.hpp.
#pragma once

#include "numkit/config.hpp"
#include "numkit/error.hpp"
#include "numkit/special/detail_dual.hpp"
#include "numkit/special/detail_gamma.hpp"
#include "numkit/special/detail_huge.hpp"
#include "numkit/special/detail_k_regimes.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstddef>
#endif

namespace numkit {
namespace special {
namespace detail {

// Uniform expansion with the number of Debye terms that reaches 1e-17 for every p at this v
// (max_p |U_k(p)| / v^k, measured from debye.hpp).
template <bool TinyX, bool KV, class M, class N>
NUMKIT_HOST_DEVICE inline N k_uniform_any(N v, N x, N s) {
  const double vv = val(v);
  if (vv >= 3000.0) return k_uniform<5, TinyX, KV, M>(v, x, s);
  if (vv >= 1000.0) return k_uniform<6, TinyX, KV, M>(v, x, s);
  if (vv >= 300.0) return k_uniform<7, TinyX, KV, M>(v, x, s);
  if (vv >= 150.0) return k_uniform<8, TinyX, KV, M>(v, x, s);
  if (vv >= 70.0) return k_uniform<9, TinyX, KV, M>(v, x, s);
  if (vv >= 40.0) return k_uniform<11, TinyX, KV, M>(v, x, s);
  if (vv >= 30.0) return k_uniform<13, TinyX, KV, M>(v, x, s);
  if (vv >= 25.0) return k_uniform<14, TinyX, KV, M>(v, x, s);
  return k_uniform<16, TinyX, KV, M>(v, x, s);
}

// log(K_mu(x) e^x) and K_{mu+1}/K_mu for |mu| <= 1/2, 0 < x < 1000 (Temme or CF2).
// WantRatio = false: the caller does not use the ratio (returned as 0 for x < 0.1), which keeps it
// from overflowing for subnormal x.
template <class M, class N, bool WantRatio = true>
NUMKIT_HOST_DEVICE inline void k_base(N mu, N x, N& logkve, N& ratio) {
  const double xv = val(x);
  if (xv < 1e-12) {
    // The first two terms of Temme's sums below 1e-12 (the block kernels send x < 1e-12 here),
    // the leading one alone below 1e-150. The ratio's next term is O((x/2)^(2 - 2|mu|)) relative,
    // which is O(x) at |mu| = 1/2: the leading term alone left log K_{v} too large by x for v
    // with fractional part near 1/2 (6e-14 relative at x = 9e-13). Higher powers of (x/2)^2
    // would raise "underflow" for x below ~1e-26, (x/2)^2 itself below ~1e-154.
    N logk;
    if (xv < 1e-150)
      k_temme<0, M, N, WantRatio>(mu, x, logk, ratio);
    else
      k_temme<1, M, N, WantRatio>(mu, x, logk, ratio);
    logkve = logk + x;
  } else if (xv < 0.1) {
    N logk;
    k_temme<6, M, N, WantRatio>(mu, x, logk, ratio);
    logkve = logk + x;
  } else if (xv < k_temme_max_x) {
    N logk;
    k_temme<10, M>(mu, x, logk, ratio);
    logkve = logk + x;
  } else if (xv < 2.0) {
    k_wronskian<56, 12, M>(mu, x, logkve, ratio);
  } else if (xv < 4.0) {
    k_wronskian<30, 17, M>(mu, x, logkve, ratio);
  } else if (xv <= 10.0) {
    k_wronskian<18, 27, M>(mu, x, logkve, ratio);
  } else if (xv < k_wronskian_max_x) {
    k_wronskian<10, 50, M>(mu, x, logkve, ratio);
  } else {
    k_hankel_pair<20, M>(mu, x, logkve, ratio);
  }
}

// s = sqrt(v^2 + x^2) without overflow.
template <class N> NUMKIT_HOST_DEVICE inline N k_hypot(N v, N x) {
  const double vv = val(v), xv = val(x);
  if (vv < 1e150 && xv < 1e150) return scalar_math::sqrt(v * v + x * x);
  if (xv >= vv) {
    const N r = v / x;
    return x * scalar_math::sqrt(1.0 + r * r);
  }
  const N r = x / v;
  return v * scalar_math::sqrt(1.0 + r * r);
}

template <class N>
NUMKIT_HOST_DEVICE inline N k_log_core_small(N v, N x, N* rv_out, bool* have_rv);

// log K_v(x) (KV) or log(K_v(x) e^x) for v >= 0, 0 < x < inf (both finite, not NaN); N = double or
// Dual<double>. If rv_out is given it receives K_{v-1}(x)/K_v(x) (only on the Temme/Wronskian/
// Hankel-pair paths; the other paths leave *have_rv false and the caller differentiates instead).
template <bool KV, class N>
NUMKIT_HOST_DEVICE inline N k_log_core(N v, N x, N* rv_out = nullptr, bool* have_rv = nullptr) {
  using M = scalar_math;
  const double vv = val(v), xv = val(x);
  if (have_rv) *have_rv = false;
  if (xv > 1e150 && vv < 1e60) {  // a_1(v)/x < 1e-30
    const N r = k_hankel<4, M>(v, x);
    return KV ? r - x : r;
  }
  if (vv >= k_uniform_min_v || xv > 1e150) {
    const N s = k_hypot(v, x);
    if (xv < 1e-280) return k_uniform_any<true, KV, M>(v, x, s);
    return k_uniform_any<false, KV, M>(v, x, s);
  }
  if (xv < 1e-300 && vv >= 0.5) {
    // Below the documented range: the recurrence ratios (2v/x) would overflow. The leading term
    // K_v(x) = Gamma(v)/2 (2/x)^v is exact in double here (relative corrections below x/2).
    if (rv_out) {
      *rv_out = 0.0;  // K_{v-1}/K_v = O(x) next to v/x
      *have_rv = true;
    }
    const N r = lgamma1p(v) - M::log(v) - constants<double>::ln2() + v * (constants<double>::ln2() - M::log(x));
    return KV ? r : r + x;
  }
  const N r = k_log_core_small<N>(v, x, rv_out, have_rv);
  return KV ? r - x : r;
}

template <class N>
NUMKIT_HOST_DEVICE inline N k_logkve_core(N v, N x, N* rv_out = nullptr, bool* have_rv = nullptr) {
  return k_log_core<false, N>(v, x, rv_out, have_rv);
}

// v < 20 (0 < x < 1e150): log(K_v(x) e^x) by the base pair at mu and the forward recurrence.
template <class N>
NUMKIT_HOST_DEVICE inline N k_log_core_small(N v, N x, N* rv_out, bool* have_rv) {
  using M = scalar_math;
  const double vv = val(v), xv = val(x);
  if (xv >= k_hankel_min_x) return k_hankel<14, M>(v, x);
  const double nd = math::floor(vv + 0.5);
  const int n = static_cast<int>(nd);
  const N mu = v - nd;
  N base, ratio;
  if (n == 0) {
    k_base<M, N, false>(mu, x, base, ratio);  // only log K_mu is used (rv_out: the pair at -v)
  } else {
    k_base<M>(mu, x, base, ratio);
  }
  N last = ratio;
  const N lr = k_forward<M>(mu, x, n, ratio, last);
  if (rv_out) {
    if (n >= 1) {
      *rv_out = 1.0 / last;
    } else {
      // K_{v-1}/K_v = K_{1-v}/K_{-v}: the base pair at mu = -v.
      N b2, r2;
      k_base<M>(-v, x, b2, r2);
      *rv_out = r2;
    }
    *have_rv = true;
  }
  return base + lr;
}

// d/dx log K_v(x) on the expansion paths of k_logkve_core (v >= 20, or x >= 1000).
// Uniform expansion, differentiated in closed form (d(v eta)/dx = s/x, DLMF 10.41.4 with
// p = v/s): d/dx log K = -s/x - x/(2 s^2) - (v x/s^3) Sigma'(p)/Sigma(p), Sigma' by AD in p.
// Large x: AD in x through the Hankel sum.
NUMKIT_HOST_DEVICE inline double k_dx_expansions(double v, double x) {
  if (v >= k_uniform_min_v || x > 1e150) {
    const double s = k_hypot(v, x);
    if (v >= k_uniform_min_v) {
      const Dual<double> p(v / s, 1.0);
      const Dual<double> t(-1.0 / v);
      Dual<double> sig;
      if (v >= 3000.0) sig = k_debye_sum<5>(p, t);
      else if (v >= 1000.0) sig = k_debye_sum<6>(p, t);
      else if (v >= 300.0) sig = k_debye_sum<7>(p, t);
      else if (v >= 150.0) sig = k_debye_sum<8>(p, t);
      else if (v >= 70.0) sig = k_debye_sum<9>(p, t);
      else if (v >= 40.0) sig = k_debye_sum<11>(p, t);
      else if (v >= 30.0) sig = k_debye_sum<13>(p, t);
      else if (v >= 25.0) sig = k_debye_sum<14>(p, t);
      else sig = k_debye_sum<16>(p, t);
      const double xs = x / s;
      return -s / x - 0.5 * xs / s - (v / s) * (xs / s) * (sig.d / sig.v);
    }
  }
  const Dual<double> r = k_logkve_core<Dual<double>>(Dual<double>(v), Dual<double>(x, 1.0));
  return r.d - 1.0;
}

// d/dv log K_v(x) for 0 < v < 1/2, 1 <= x <= 10, where the Wronskian path (not even in v) would lose
// relative accuracy to cancellation as v -> 0: from dK_v/dv = int_0^inf t sinh(v t) e^{-x cosh t} dt
// (differentiating DLMF 10.32.9) by the trapezoidal rule, which converges like exp(-2 pi d / h) for
// an integrand analytic in the strip |Im t| < d; d = min(1.2, sqrt(6/x)) keeps the integrand's growth
// in the strip below e^3, h = 2 pi d / 50 gives about 1e-20, and the tail is cut where
// x (cosh t - 1) > 50. 25..35 nodes. sinh and cosh - 1 go through expm1 (no cancellation).
NUMKIT_HOST_DEVICE inline double k_dv_quadrature(double v, double x, double logkve) {
  const double d = math::fmin(1.2, math::sqrt(6.0 / x));
  const double h = 2.0 * constants<double>::pi() * d / 50.0;
  const double y = 1.0 + 50.0 / x;
  const double tmax = math::log(y + math::sqrt(y * y - 1.0));
  const int nodes = static_cast<int>(tmax / h) + 2;
  double sum = 0.0;
  for (int j = 1; j <= nodes; ++j) {
    const double t = h * static_cast<double>(j);
    const double sh_half = 0.5 * (math::expm1(0.5 * t) - math::expm1(-0.5 * t));
    const double cm1 = 2.0 * sh_half * sh_half;  // cosh t - 1
    const double sh_vt = 0.5 * (math::expm1(v * t) - math::expm1(-v * t));
    sum += t * sh_vt * math::exp(-x * cm1);
  }
  return h * sum / math::exp(logkve);  // (dK/dv e^x) / (K e^x)
}

}  // namespace detail

// log(K_v(x) e^x).
template <class T> NUMKIT_HOST_DEVICE T log_kve(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < T(0)) return domain_error<T>();
  if (x == T(0)) return constants<T>::inf();
  if (math::isinf(v)) return constants<T>::inf();
  if (math::isinf(x)) return -constants<T>::inf();
  const double vd = math::fabs(static_cast<double>(v)), xd = static_cast<double>(x);
  if (detail::is_huge(vd, xd)) return static_cast<T>(detail::log_kv_huge<true>(vd, xd));
  return static_cast<T>(detail::k_logkve_core<double>(vd, xd));
}

// log K_v(x).
template <class T> NUMKIT_HOST_DEVICE T log_kv(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < T(0)) return domain_error<T>();
  if (x == T(0)) return constants<T>::inf();
  if (math::isinf(v)) return constants<T>::inf();
  if (math::isinf(x)) return -constants<T>::inf();
  const double vd = math::fabs(static_cast<double>(v)), xd = static_cast<double>(x);
  if (detail::is_huge(vd, xd)) return static_cast<T>(detail::log_kv_huge<false>(vd, xd));
  return static_cast<T>(detail::k_log_core<true, double>(vd, xd));
}

// d/dx log K_v(x) = -(K_{v-1}/K_v + |v|/x). x = 0: -inf; x = inf: -1.
template <class T> NUMKIT_HOST_DEVICE T log_kv_dx(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < T(0)) return domain_error<T>();
  if (x == T(0)) return -constants<T>::inf();
  if (math::isinf(x)) return T(-1);
  if (math::isinf(v)) return -constants<T>::inf();
  const double vd = math::fabs(static_cast<double>(v));
  const double xd = static_cast<double>(x);
  if (detail::is_huge(vd, xd)) return static_cast<T>(-detail::s_over_x_huge(vd, xd));
  double rv = 0.0;
  bool have = false;
  detail::k_logkve_core<double>(vd, xd, &rv, &have);
  if (have) return static_cast<T>(-(rv + vd / xd));
  return static_cast<T>(detail::k_dx_expansions(vd, xd));
}

// d/dv log K_v(x): odd in v, 0 at v = 0. x = 0 or inf: +inf*sign(v) resp. 0.
template <class T> NUMKIT_HOST_DEVICE T log_kv_dv(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < T(0)) return domain_error<T>();
  if (v == T(0)) return T(0);
  const T sgn = v > T(0) ? T(1) : T(-1);
  if (x == T(0)) return sgn * constants<T>::inf();
  if (math::isinf(x)) return T(0);
  if (math::isinf(v)) return sgn * constants<T>::inf();
  const double vd = math::fabs(static_cast<double>(v));
  const double xd = static_cast<double>(x);
  if (detail::is_huge(vd, xd)) return sgn * static_cast<T>(detail::asinh_ratio(vd, xd));
  if (vd < 0.5 && xd >= detail::k_temme_max_x && xd <= detail::k_wronskian_max_x)
    return sgn * static_cast<T>(detail::k_dv_quadrature(vd, xd, detail::k_logkve_core<double>(vd, xd)));
  const detail::Dual<double> r = detail::k_logkve_core<detail::Dual<double>>(
      detail::Dual<double>(vd, 1.0), detail::Dual<double>(xd));
  return sgn * static_cast<T>(r.d);
}


}  // namespace special
}  // namespace numkit
