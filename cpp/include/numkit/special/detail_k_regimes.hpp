// numkit/special/detail_k_regimes.hpp -- the regime formulas behind log_bessel_k.hpp.
//
// Every function is a template on a math policy M (log/exp/log1p/sqrt: scalar_math of
// simd/math_policy.hpp forwards to libm, vector_math of simd/vector_math.hpp uses the vectorizable
// polynomials of simd/vmath.hpp; the log I templates take the same two) and on the
// number type N (double, or Dual<double> for d/dv by forward-mode AD). Trip counts are template
// parameters, so a block of elements of one regime runs as a branch-free vectorizable loop.
// Results are on a log scale; nothing here can overflow for the argument ranges the dispatcher
// (log_bessel_k.hpp) sends to each regime.
#pragma once

#include "numkit/simd/attributes.hpp"
#include "numkit/config.hpp"
#include "numkit/special/debye.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstdint>
#include <utility>
#endif
#include "numkit/special/detail_dual.hpp"
#include "numkit/simd/math_policy.hpp"

namespace numkit {
namespace special {
namespace detail {

template <class N> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE N k_abs(N a) { return val(a) < 0.0 ? -a : a; }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double k_abs(double a) { return math::fabs(a); }

constexpr double k_half_log_pi_2 = 0.22579135264472743236;  // log(pi/2)/2
constexpr double k_two_over_pi = 0.63661977236758134308;

// Gamma1(mu) = (1/Gamma(1-mu) - 1/Gamma(1+mu)) / (2 mu) and Gamma2(mu) = (1/Gamma(1-mu) +
// 1/Gamma(1+mu)) / 2 (Temme 1975), from the Taylor series 1/Gamma(1+z) = sum g_k z^k (coefficients
// from mpmath at 50 digits); |mu| <= 1/2, terms beyond k = 21 are below 1e-19.
template <class N> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE void k_temme_gammas(N mu, N& g1, N& g2) {
  const N m2 = mu * mu;
  g2 = -3.696805618642206e-12;
  g2 = g2 * m2 + 1.0434267116911005e-10;
  g2 = g2 * m2 + 5.002007644469223e-09;
  g2 = g2 * m2 + -2.056338416977607e-07;
  g2 = g2 * m2 + -1.2504934821426706e-06;
  g2 = g2 * m2 + 1.280502823881162e-04;
  g2 = g2 * m2 + -1.1651675918590652e-03;
  g2 = g2 * m2 + -9.621971527876973e-03;
  g2 = g2 * m2 + 1.6653861138229148e-01;
  g2 = g2 * m2 + -6.558780715202539e-01;
  g2 = g2 * m2 + 1.0;
  N s = 5.100370287454476e-13;
  s = s * m2 + 7.782263439905071e-12;
  s = s * m2 + -1.18127457048702e-09;
  s = s * m2 + 6.116095104481416e-09;
  s = s * m2 + 1.133027231981696e-06;
  s = s * m2 + -2.013485478078824e-05;
  s = s * m2 + -2.1524167411495098e-04;
  s = s * m2 + 7.2189432466631e-03;
  s = s * m2 + -4.219773455554433e-02;
  s = s * m2 + -4.200263503409524e-02;
  s = s * m2 + 5.772156649015329e-01;
  g1 = -s;
}

// Temme's series (Temme 1975; Numerical Recipes bessik) for |mu| <= 1/2 and 0 < x <= 2:
// logk = log K_mu(x), ratio = K_{mu+1}(x) / K_mu(x). NT terms: the k-th is of order
// (x^2/4)^k / (k!)^2, so NT = 15 reaches 1e-19 at x = 2. Powers (2/x)^{+-mu} are at most 1e162
// for normal x, so nothing overflows; K_{mu+1} itself is never formed (only the ratio).
template <int NT, class M, class N, bool WantRatio = true>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE void k_temme(N mu, N x, N& logk, N& ratio) {
  const N x2 = 0.5 * x;
  const N L = constants<double>::ln2() - M::log(x);  // log(2/x), also for subnormal x (where x/2 would lose bits)
  const N m2 = mu * mu;
  N g1, g2;
  k_temme_gammas(mu, g1, g2);
  const N gp = g2 - mu * g1;  // 1/Gamma(1+mu)
  // pi mu / sin(pi mu) = 1 / sinc(pi mu), sinc by its Taylor series (|pi mu| <= pi/2).
  const N y = (constants<double>::pi() * constants<double>::pi()) * m2;
  N sinc = -1.0 / 51090942171709440000.0;  // -1/21!
  sinc = sinc * y + 1.0 / 121645100408832000.0;
  sinc = sinc * y + -1.0 / 355687428096000.0;
  sinc = sinc * y + 1.0 / 1307674368000.0;
  sinc = sinc * y + -1.0 / 6227020800.0;
  sinc = sinc * y + 1.0 / 39916800.0;
  sinc = sinc * y + -1.0 / 362880.0;
  sinc = sinc * y + 1.0 / 5040.0;
  sinc = sinc * y + -1.0 / 120.0;
  sinc = sinc * y + 1.0 / 6.0;
  sinc = 1.0 - y * sinc;
  const N fact = 1.0 / sinc;
  const N e = mu * L;
  const N E = M::exp(e);  // (2/x)^mu
  const N Ei = 1.0 / E;
  // cosh(e) and sinh(e)/e: even Taylor series for |e| < 1/8 (no cancellation, and AD in mu stays
  // accurate as mu -> 0), else from E.
  const N e2 = e * e;
  N shs = 1.0 / 6227020800.0;
  shs = shs * e2 + 1.0 / 39916800.0;
  shs = shs * e2 + 1.0 / 362880.0;
  shs = shs * e2 + 1.0 / 5040.0;
  shs = shs * e2 + 1.0 / 120.0;
  shs = shs * e2 + 1.0 / 6.0;
  shs = shs * e2 + 1.0;
  N chs = 1.0 / 479001600.0;
  chs = chs * e2 + 1.0 / 3628800.0;
  chs = chs * e2 + 1.0 / 40320.0;
  chs = chs * e2 + 1.0 / 720.0;
  chs = chs * e2 + 1.0 / 24.0;
  chs = chs * e2 + 0.5;
  chs = chs * e2 + 1.0;
  // Both arms are computed, then selected without a branch (select_less).
  const N ae = k_abs(e);
  const N eighth = 0.125;
  const N e_safe = select_less(ae, eighth, N(1.0), e);
  const N shl = 0.5 * (E - Ei) / e_safe;
  const N chl = 0.5 * (E + Ei);
  const N shc = select_less(ae, eighth, shs, shl);
  const N ch = select_less(ae, eighth, chs, chl);
  N ff = fact * (g1 * ch + g2 * shc * L);
  // The series needs p_k + q_k with p_k = p_0 / prod(j - mu), q_k = q_0 / prod(j + mu). It is even in
  // mu; carried as P = p + q and W = mu (p - q), both in manifestly even form, so that d/dmu by AD
  // keeps its relative accuracy as mu -> 0 (p and q separately differ at O(1)):
  //   P_k = (k P_{k-1} + W_{k-1}) / (k^2 - mu^2),  W_k = (k W_{k-1} + mu^2 P_{k-1}) / (k^2 - mu^2),
  //   P_0 = (g2 ch + g1 mu^2 L shc) / D,  W_0 = mu^2 (g2 L shc + g1 ch) / D,  D = g2^2 - mu^2 g1^2.
  const N Dinv = 1.0 / (g2 * g2 - m2 * g1 * g1);
  N P = (g2 * ch + g1 * m2 * L * shc) * Dinv;
  N W = m2 * (g2 * L * shc + g1 * ch) * Dinv;
  N p = 0.5 * E / gp;  // (x/2)^{-mu} Gamma(1+mu) / 2, for K_{mu+1}
  // The loop carries every sequence multiplied by D_k = prod_{j<=k} (j^2 - mu^2) (F = f D, PP = P D,
  // WW = W D, pp = p D, S = sum D, S1 = sum1 D): the recurrences then need no division, and one
  // division by D at the end recovers the sums. D_NT < (NT!)^2 stays far from overflow.
  N c = 1.0;
  const N d = x2 * x2;
  N F = ff;
  N PP = P;
  N WW = W;
  N pp = p;
  N S = ff;
  N S1 = p;
  N D = 1.0;
  NUMKIT_UNROLL(128)
  for (int i = 1; i <= NT; ++i) {
    const double di = static_cast<double>(i);
    const N g = di * di - m2;  // D_i / D_{i-1}
    F = di * F + PP;
    const N PPn = di * PP + WW;
    WW = di * WW + m2 * PP;
    PP = PPn;
    pp = pp * (di + mu);
    c = c * d * (1.0 / di);
    S = S * g + c * F;
    S1 = S1 * g + c * (pp - di * F);
    D = D * g;
  }
  const N sum = S;  // both sums carry the same factor D, which cancels in the ratio
  const N sum1 = S1;
  logk = M::log(sum / D);
  // Ratio = 2 (sum1/sum) / x with the division last: 2/x alone overflows for subnormal x where the
  // ratio (about 1/(x log(2/x))) is still finite. WantRatio = false skips it where it is unused and
  // would overflow (log K at x below 1e-300, whose ratio is not needed).
  ratio = WantRatio ? (2.0 * (sum1 / sum)) / x : N(0.0);
}


// Moderate x (1 <= x < 30): the CF2 ratio K_{mu+1}/K_mu alone converges fast (Steed's h, NI
// iterations; Temme 1975, Numerical Recipes 6.7), while Steed's sum for K_mu itself needs up to 90
// iterations near x = 2. K_mu then follows from the Wronskian DLMF 10.28.2,
// I_mu K_{mu+1} + I_{mu+1} K_mu = 1/x, with I_mu, I_{mu+1} from their power series (NS terms, all
// positive, so a few ulps):
//   K_mu = 1 / (x I_mu (r0 + I_{mu+1}/I_mu)),  I_mu = (x/2)^mu S0 / Gamma(1+mu),
//   I_{mu+1} = (x/2)^{mu+1} S1 / Gamma(2+mu),  S0 = sum_k y^k / (k! (mu+1)_k),
//   S1 = sum_k y^k / (k! (mu+2)_k),  y = x^2/4.
// Every term is positive: the result has a few ulps of relative error where Temme's alternating
// series (x near 2) loses a decimal digit. log(K_mu e^x) = -mu log(x/2) - log(P e^{-x}), P = x
// (S0 r0 + x S1/(2(mu+1))) / Gamma(1+mu); the e^{-x} inside keeps the result accurate near 0.
template <int NI, int NS, class M, class N>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE void k_wronskian(N mu, N x, N& logkve, N& ratio) {
  // h = 1/(b_1 + a_2/(b_2 + a_3/(b_3 + ...))), b_i = 2(x + i), a_i = -(1/4 - mu^2 + i(i-1)) (the
  // continued fraction of Steed's h), by the Wallis recurrences A_i = b_i A_{i-1} + a_i A_{i-2} (and
  // B alike): no division per step; |B_NI| < 1e120 for x <= 10 and the NI used.
  const N a1 = 0.25 - mu * mu;
  N A0 = 0.0, A1 = 1.0;
  N B0 = 1.0, B1 = 2.0 * (1.0 + x);
  NUMKIT_UNROLL(128)
  for (int i = 2; i <= NI; ++i) {
    const double di = static_cast<double>(i);
    const N bi = 2.0 * (x + di);
    const N ai = -(a1 + di * (di - 1.0));
    const N A2 = bi * A1 + ai * A0;
    const N B2 = bi * B1 + ai * B0;
    A0 = A1;
    A1 = A2;
    B0 = B1;
    B1 = B2;
  }
  const N h = A1 / B1;
  ratio = (mu + x + 0.5 - a1 * h) / x;
  // S0 = sum_k y^k / (k! (mu+1)_k) and S1 = sum_k y^k / (k! (mu+2)_k) by Horner from the top term,
  // T_{k-1} = 1 + y T_k / (k (nu + k)), carried as numerator/denominator (one division at the end;
  // the denominators stay below (NS!)^2 (mu+NS)^NS < 1e120).
  const N y = 0.25 * x * x;
  N n0 = 1.0, d0 = 1.0, n1 = 1.0, d1 = 1.0;
  NUMKIT_UNROLL(128)
  for (int k = NS; k >= 1; --k) {
    const double dk = static_cast<double>(k);
    const N q0 = dk * (mu + dk);
    const N q1 = dk * (mu + 1.0 + dk);
    n0 = d0 * q0 + y * n0;
    d0 = d0 * q0;
    n1 = d1 * q1 + y * n1;
    d1 = d1 * q1;
  }
  const N s0 = n0 / d0;
  const N s1 = n1 / d1;
  N g1, g2;
  k_temme_gammas(mu, g1, g2);
  const N gp = g2 - mu * g1;  // 1/Gamma(1+mu)
  const N P = x * gp * (s0 * ratio + 0.5 * x * s1 / (mu + 1.0)) * M::exp(-x);
  logkve = -mu * M::log(0.5 * x) - M::log(P);
}

// Large-argument expansion DLMF 10.40.2, log(K_v(x) e^x) = log(sqrt(pi/(2x)) sum_k a_k(v)/x^k).
// Used for v < 20, x >= 1000: the terms fall at least as fast as 0.2^k/k!, NH = 14 reaches 1e-19.
template <int NH, class M, class N> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE N k_hankel(N v, N x) {
  const N mu4 = 4.0 * v * v;
  const N ix8 = 0.125 / x;  // not 1/(8x): 8x overflows for x near the largest double
  N t = 1.0;
  N s = 1.0;
  NUMKIT_UNROLL(128)
  for (int k = 1; k <= NH; ++k) {
    const double odd = static_cast<double>(2 * k - 1);
    t = t * (mu4 - odd * odd) * ix8 * (1.0 / static_cast<double>(k));
    s = s + t;
  }
  return -0.5 * M::log(k_two_over_pi * x / (s * s));
}

// sum_{k<ND} U_k(p) t^k, Horner in w = p t over debye.hpp's P_k(q = p^2), written as a fold over a
// compile-time index list so that every debye_poly call has a constant k (its switch folds away
// and the loop that calls this vectorizes; debye_series' runtime loop is not always unrolled).
template <class N, int... K>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE N k_debye_horner(N q, N w, nstd::integer_sequence<int, K...>) {
  constexpr int n = static_cast<int>(sizeof...(K));
  N s = 0.0;
  // K runs 0..n-1; Horner from the top term: s = s * w + P_{n-1-k}(q).
  ((s = s * w + debye_poly<N>(n - 1 - K, q)), ...);
  return s;
}
template <int ND, class N> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE N k_debye_sum(N p, N t) {
  const N q = p * p;
  return k_debye_horner(q, p * t, nstd::make_integer_sequence<int, ND>{});
}

// The base pair at |mu| <= 1/2 for 30 <= x < 1000 by the large-argument expansion DLMF 10.40.2 of
// K_mu and K_{mu+1}: for orders <= 3/2 the terms fall below 2e-18 within NH = 20 at x = 30.
// logkve = log(K_mu e^x), ratio = K_{mu+1}/K_mu (the common factor sqrt(pi/(2x)) cancels).
template <int NH, class M, class N>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE void k_hankel_pair(N mu, N x, N& logkve, N& ratio) {
  const N m0 = 4.0 * mu * mu;
  const N mu1 = mu + 1.0;
  const N m1 = 4.0 * mu1 * mu1;
  const N ix8 = 1.0 / (8.0 * x);
  N t0 = 1.0, s0 = 1.0, t1 = 1.0, s1 = 1.0;
  NUMKIT_UNROLL(128)
  for (int k = 1; k <= NH; ++k) {
    const double odd = static_cast<double>(2 * k - 1);
    const double inv_k = 1.0 / static_cast<double>(k);
    t0 = t0 * (m0 - odd * odd) * ix8 * inv_k;
    t1 = t1 * (m1 - odd * odd) * ix8 * inv_k;
    s0 = s0 + t0;
    s1 = s1 + t1;
  }
  logkve = -0.5 * M::log(k_two_over_pi * x / (s0 * s0));
  ratio = s1 / s0;
}

// Uniform asymptotic expansion DLMF 10.41.4 for large order, written for log(K_v(x) e^x) without
// forming z = x/v or e^{-v eta}:
//   log K_v(x) + x = log(pi/2)/2 - log(s)/2 - v^2/(s + x) + v log((v + s)/x) + log sum_k U_k(p)(-1/v)^k
// with s = sqrt(v^2 + x^2) = v sqrt(1 + z^2), p = v/s, and -v eta + x = -(s - x) + v log((v+s)/x),
// s - x = v^2/(s + x). log((v+s)/x) goes through log1p of an argument formed without cancellation.
// ND Debye terms (the dispatcher picks ND from v); s = sqrt(v^2 + x^2) is passed in so that the
// caller can form it without overflow. TinyX: for x so small that (v + s)/x would overflow.
// -v eta (KV) or -v eta + x from `part` = -v eta + x; for double near z0 from k_veta_near_z0.
template <bool KV, class T>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> k_uniform_tail(Dual<T> v, Dual<T> x, Dual<T> part) {
  (void)v;
  return KV ? part - x : part;
}
template <bool KV> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double k_uniform_tail(double v, double x, double part);

// v eta(x/v) near the zero z0 of eta (|x/v - z0| < 0.08), where the two O(v) terms of v eta cancel
// and the plain formula leaves an absolute error of a few ulp of v: Taylor series of eta about z0
// (coefficients from mpmath), eta = sum_k e_k u^k, u = delta/v, times delta = x - z0 v formed
// exactly: z0 = z0h + z0l with z0h of 26 bits and v = vh + vl split on its bits (no arithmetic that
// contraction to FMA could change), so z0h vh and z0h vl are exact products.
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double k_veta_near_z0(double v, double x) {
  const double z0h = 0.6627434194087982;
  const double z0l = -5.96166367986954e-11;
  const double vh = bits_double(double_bits(v) & ~((nstd::uint64_t(1) << 27) - 1));
  const double vl = v - vh;
  const double delta_raw = ((x - z0h * vh) - z0h * vl) - z0l * v;
  // Outside the band the result is not used; clamp so that the polynomial cannot overflow.
  const double delta = select_less(k_abs(delta_raw), 0.1 * v, delta_raw, 0.0);
  const double u = delta / v;
  double q = 64.07357479975221;
  q = q * u + -45.1183158825841;
  q = q * u + 31.895268490233818;
  q = q * u + -22.648266391101256;
  q = q * u + 16.16472543589419;
  q = q * u + -11.606012767320623;
  q = q * u + 8.391114712091305;
  q = q * u + -6.116916154170854;
  q = q * u + 4.503639745039154;
  q = q * u + -3.3574176889619283;
  q = q * u + 2.5442226725502084;
  q = q * u + -1.9710295801345066;
  q = q * u + 1.5715455665619724;
  q = q * u + -1.2953006779860539;
  q = q * u + 1.1001528948506503;
  q = q * u + -0.948886416256837;
  q = q * u + 1.8101705806989772;
  return delta * q;
}

template <bool KV> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double k_uniform_tail(double v, double x, double part) {
  const double veta = k_veta_near_z0(v, x);
  const double near = k_abs(x - 0.6627434193491816 * v);
  const double plain = KV ? part - x : part;
  const double accurate = KV ? -veta : x - veta;
  return select_less(near, 0.08 * v, accurate, plain);
}

// Uniform expansion, returning log K_v(x) (KV) or log K_v(x) + x (otherwise). Near z0 (x/v within
// 0.08 of 0.6627...) -v eta comes from k_veta_near_z0 (double only; the AD instantiations keep
// the plain formula, whose derivative is not affected by the cancellation).
template <int ND, bool TinyX, bool KV, class M, class N>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE N k_uniform(N v, N x, N s) {
  const N p = v / s;
  const N sig = k_debye_sum<ND>(p, -1.0 / v);
  N lg;
  if (TinyX) {
    lg = M::log(v + s) - M::log(x);  // (v + s)/x may overflow; no cancellation for x << v
  } else {
    // (v + s)/x - 1 without cancellation. Its products and quotients overflow for v or x beyond
    // 1e150 or v/x beyond 1e300, where only the scalar kernel goes (the block loops take
    // 1e-280 <= x <= 1e15, v <= 1e6): there it is rescaled, with a real branch (the unused arm
    // could overflow).
    const double vv = val(v), xv = val(x);
    if (nstd::is_same<M, scalar_math>::value && (xv > 1e150 || vv > 1e150 || 1e-100 * vv > xv)) {
      if (1e-100 * vv > xv) {
        lg = M::log(0.5 * v + 0.5 * s) - M::log(x) + constants<double>::ln2();  // lg > 230: no cancellation
      } else if (xv < vv) {
        lg = M::log1p(2.0 * ((0.5 * v + 0.5 * s) / x) - 1.0);  // the argument is >= 1.4
      } else {
        lg = M::log1p((v / x) * ((0.25 * s + 0.25 * x + 0.25 * v) / (0.25 * s + 0.25 * x)));
      }
    } else {
      const N a_big = v * (s + x + v) / (x * (s + x));
      const N a_small = (v + s) / x - 1.0;
      lg = M::log1p(select_less(x, v, a_small, a_big));
    }
  }
  const N rest = k_half_log_pi_2 + 0.5 * M::log(sig * sig / s);
  N v_sx;  // v / (s + x); s + x overflows near the largest double (scalar kernel only, see a_big)
  if (nstd::is_same<M, scalar_math>::value && val(x) > 1e150) {
    v_sx = 0.5 * (v / (0.5 * s + 0.5 * x));
  } else {
    v_sx = v / (s + x);
  }
  N part = v * lg - v * v_sx;  // -v eta + x
  if (!TinyX) {
    // x > v / 0.35: -v eta + x = v [asinh(w) - (sqrt(1+w^2) - 1)/w], w = v/x, whose two terms cancel
    // to half; summed as (v w) sum_k c_k w^{2k} (Taylor coefficients from mpmath; 19 terms reach
    // 1e-18 at w = 0.35) it keeps its own ulp where log K + x crosses zero (always at w < 0.3).
    const N lim = 0.35;
    // (v / x can overflow beyond 1e100, scalar kernel only; the arm is unused there)
    const N w = nstd::is_same<M, scalar_math>::value && 1e-100 * val(v) > val(x) ? N(1.0) : v / x;
    const N ws = select_less(w, lim, w, N(0.0));  // clamped: no overflow flag from the unused arm
    const N w2 = ws * ws;
    N c = 9.392645773226143e-05;
    c = c * w2 + -0.00010780457107882415;
    c = c * w2 + 0.0001247325615788048;
    c = c * w2 + -0.00014562948396609676;
    c = c * w2 + 0.00017177698941066348;
    c = c * w2 + -0.00020500134538721155;
    c = c * w2 + 0.0002479696273803711;
    c = c * w2 + -0.00030468857806661856;
    c = c * w2 + 0.000381378900437128;
    c = c * w2 + -0.00048808047645970394;
    c = c * w2 + 0.0006417667164522059;
    c = c * w2 + -0.000872802734375;
    c = c * w2 + 0.001239483173076923;
    c = c * w2 + -0.001864346590909091;
    c = c * w2 + 0.0030381944444444445;
    c = c * w2 + -0.005580357142857143;
    c = c * w2 + 0.0125;
    c = c * w2 + -0.041666666666666664;
    c = c * w2 + 0.5;
    part = select_less(w, lim, (v * ws) * c, part);
  }
  return rest + k_uniform_tail<KV>(v, x, part);
}

// Forward recurrence K_{w+1} = (2w/x) K_w + K_{w-1} (stable for K) in ratio form,
// r_k = K_{mu+k+1}/K_{mu+k} = 2(mu+k)/x + 1/r_{k-1}. Returns log prod_{k<n} r_k = log(K_{mu+n}/K_mu)
// and leaves in `last` the ratio K_{mu+n}/K_{mu+n-1} (unchanged if n = 0). The running product is
// folded into a log before it can overflow (only for tiny x).
template <class M, class N>
NUMKIT_HOST_DEVICE inline N k_forward(N mu, N x, int n, N r, N& last) {
  if (n == 0) return N(0.0);  // 2/x below would overflow for subnormal x
  N acc = 0.0;
  N prod = 1.0;
  const N two_x = 2.0 / x;
  NUMKIT_UNROLL(128)
  for (int k = 1; k <= n; ++k) {
    if (val(prod) > 1e300 / val(r)) {  // only for tiny x; tested without overflowing
      acc = acc + M::log(prod);
      prod = 1.0;
    }
    prod = prod * r;
    last = r;
    r = (mu + static_cast<double>(k)) * two_x + 1.0 / r;
  }
  return acc + M::log(prod);
}

constexpr double k_uniform_min_v = 20.0;  // below: Temme/CF2/Hankel + forward recurrence
constexpr double k_hankel_min_x = 1000.0;
constexpr double k_temme_max_x = 1.0;
constexpr double k_wronskian_max_x = 30.0;

}  // namespace detail
}  // namespace special
}  // namespace numkit
