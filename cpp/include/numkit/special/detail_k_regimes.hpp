// numkit/special/detail_k_regimes.hpp -- the regime formulas behind log_bessel_k.hpp.
//
// Every function is a template on a math policy M (log/exp/log1p/sqrt: k_std_math forwards to
// numkit::math, k_vec_math uses the vectorizable polynomials of detail_k_vmath.hpp) and on the
// number type N (double, or Dual<double> for d/dv by forward-mode AD). Trip counts are template
// parameters, so a block of elements of one regime runs as a branch-free vectorizable loop.
// Results are on a log scale; nothing here can overflow for the argument ranges the dispatcher
// (log_bessel_k.hpp) sends to each regime.
#pragma once

#include "numkit/config.hpp"
#include "numkit/special/debye.hpp"
#include "numkit/special/detail_dual.hpp"

namespace numkit {
namespace special {
namespace detail {

// Elementary functions through detail_dual.hpp's overloads (double and Dual<double>).
struct k_std_math {
  template <class N> NUMKIT_HOST_DEVICE static N log(N a) { return dlog(a); }
  template <class N> NUMKIT_HOST_DEVICE static N log1p(N a) { return dlog1p(a); }
  template <class N> NUMKIT_HOST_DEVICE static N exp(N a) { return dexp(a); }
  template <class N> NUMKIT_HOST_DEVICE static N sqrt(N a) { return dsqrt(a); }
};

constexpr double k_pi = 3.141592653589793238462643383279502884;
constexpr double k_half_log_pi_2 = 0.22579135264472743236;  // log(pi/2)/2
constexpr double k_two_over_pi = 0.63661977236758134308;

// Gamma1(mu) = (1/Gamma(1-mu) - 1/Gamma(1+mu)) / (2 mu) and Gamma2(mu) = (1/Gamma(1-mu) +
// 1/Gamma(1+mu)) / 2 (Temme 1975), from the Taylor series 1/Gamma(1+z) = sum g_k z^k (coefficients
// from mpmath at 50 digits); |mu| <= 1/2, terms beyond k = 21 are below 1e-19.
template <class N> NUMKIT_HOST_DEVICE inline void k_temme_gammas(N mu, N& g1, N& g2) {
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
template <int NT, class M, class N>
NUMKIT_HOST_DEVICE inline void k_temme(N mu, N x, N& logk, N& ratio) {
  const N x2 = 0.5 * x;
  const N L = -M::log(x2);  // log(2/x)
  const N m2 = mu * mu;
  N g1, g2;
  k_temme_gammas(mu, g1, g2);
  const N gp = g2 - mu * g1;  // 1/Gamma(1+mu)
  // pi mu / sin(pi mu) = 1 / sinc(pi mu), sinc by its Taylor series (|pi mu| <= pi/2).
  const N y = (k_pi * k_pi) * m2;
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
  const bool small_e = val(e) < 0.125 && val(e) > -0.125;
  const N shc = small_e ? shs : 0.5 * (E - Ei) / (small_e ? N(1.0) : e);
  const N ch = small_e ? chs : 0.5 * (E + Ei);
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
  N c = 1.0;
  const N d = x2 * x2;
  N sum = ff;
  N sum1 = p;
  for (int i = 1; i <= NT; ++i) {
    const double di = static_cast<double>(i);
    const N inv = 1.0 / (di * di - m2);
    ff = (di * ff + P) * inv;
    const N Pn = (di * P + W) * inv;
    W = (di * W + m2 * P) * inv;
    P = Pn;
    c = c * d * (1.0 / di);
    p = p * (di + mu) * inv;  // p / (i - mu)
    sum = sum + c * ff;
    sum1 = sum1 + c * (p - di * ff);
  }
  logk = M::log(sum);
  ratio = (sum1 / sum) * (2.0 / x);
}

// Steed's algorithm for Temme's continued fraction CF2 (Numerical Recipes bessik), x > 2:
// logkve = log(K_mu(x) e^x), ratio = K_{mu+1}(x)/K_mu(x). NI iterations; the sum s converges
// slowly near x = 2, so the dispatcher picks NI by x (k_cf2_iterations).
template <int NI, class M, class N>
NUMKIT_HOST_DEVICE inline void k_cf2(N mu, N x, N& logkve, N& ratio) {
  N b = 2.0 * (1.0 + x);
  N d = 1.0 / b;
  N h = d;
  N delh = d;
  N q1 = 0.0;
  N q2 = 1.0;
  const N a1 = 0.25 - mu * mu;
  N q = a1;
  N c = a1;
  N a = -a1;
  N s = 1.0 + q * delh;
  for (int i = 2; i <= NI; ++i) {
    a = a - 2.0 * static_cast<double>(i - 1);
    c = -a * c * (1.0 / static_cast<double>(i));
    const N qnew = (q1 - b * q2) / a;
    q1 = q2;
    q2 = qnew;
    q = q + c * qnew;
    b = b + 2.0;
    d = 1.0 / (b + a * d);
    delh = (b * d - 1.0) * delh;
    h = h + delh;
    s = s + q * delh;
  }
  logkve = -0.5 * M::log(k_two_over_pi * x * s * s);  // log(sqrt(pi/(2x)) / s)
  ratio = (mu + x + 0.5 - a1 * h) / x;
}

// Moderate x (1 <= x <= 10): the CF2 ratio alone converges fast (Steed's h, NI iterations), while
// Steed's sum for K_mu itself does not. K_mu then follows from the Wronskian DLMF 10.28.2,
// I_mu K_{mu+1} + I_{mu+1} K_mu = 1/x, with I_mu, I_{mu+1} from their power series (NS terms, all
// positive, so a few ulps):
//   K_mu = 1 / (x I_mu (r0 + I_{mu+1}/I_mu)),  I_mu = (x/2)^mu S0 / Gamma(1+mu),
//   I_{mu+1} = (x/2)^{mu+1} S1 / Gamma(2+mu),  S0 = sum_k t_k,  S1 = sum_k t_k (mu+1)/(mu+1+k),
//   t_k = (x^2/4)^k / (k! (mu+1)_k).
// Every term is positive: the result has a few ulps of relative error where Temme's alternating
// series (x near 2) loses a decimal digit. log(K_mu e^x) = -mu log(x/2) - log(P e^{-x}), P = x
// (S0 r0 + x S1/(2(mu+1))) / Gamma(1+mu); the e^{-x} inside keeps the result accurate near 0.
template <int NI, int NS, class M, class N>
NUMKIT_HOST_DEVICE inline void k_wronskian(N mu, N x, N& logkve, N& ratio) {
  N b = 2.0 * (1.0 + x);
  N d = 1.0 / b;
  N h = d;
  N delh = d;
  const N a1 = 0.25 - mu * mu;
  N a = -a1;
  for (int i = 2; i <= NI; ++i) {
    a = a - 2.0 * static_cast<double>(i - 1);
    b = b + 2.0;
    d = 1.0 / (b + a * d);
    delh = (b * d - 1.0) * delh;
    h = h + delh;
  }
  ratio = (mu + x + 0.5 - a1 * h) / x;
  const N y = 0.25 * x * x;
  const N mu1 = mu + 1.0;
  N t = 1.0;
  N s0 = 1.0;
  N s1 = 1.0;
  for (int k = 1; k <= NS; ++k) {
    const double dk = static_cast<double>(k);
    const N inv = 1.0 / ((mu + dk) * (mu1 + dk));
    const N u = t * y * (1.0 / dk);
    t = u * (mu1 + dk) * inv;
    s0 = s0 + t;
    s1 = s1 + u * mu1 * inv;
  }
  N g1, g2;
  k_temme_gammas(mu, g1, g2);
  const N gp = g2 - mu * g1;  // 1/Gamma(1+mu)
  const N P = x * gp * (s0 * ratio + 0.5 * x * s1 / mu1) * M::exp(-x);
  logkve = -mu * M::log(0.5 * x) - M::log(P);
}

// Large-argument expansion DLMF 10.40.2, log(K_v(x) e^x) = log(sqrt(pi/(2x)) sum_k a_k(v)/x^k).
// Used for v < 20, x >= 1000: the terms fall at least as fast as 0.2^k/k!, NH = 14 reaches 1e-19.
template <int NH, class M, class N> NUMKIT_HOST_DEVICE inline N k_hankel(N v, N x) {
  const N mu4 = 4.0 * v * v;
  const N ix8 = 1.0 / (8.0 * x);
  N t = 1.0;
  N s = 1.0;
  for (int k = 1; k <= NH; ++k) {
    const double odd = static_cast<double>(2 * k - 1);
    t = t * (mu4 - odd * odd) * ix8 * (1.0 / static_cast<double>(k));
    s = s + t;
  }
  return -0.5 * M::log(k_two_over_pi * x / (s * s));
}

// Uniform asymptotic expansion DLMF 10.41.4 for large order, written for log(K_v(x) e^x) without
// forming z = x/v or e^{-v eta}:
//   log K_v(x) + x = log(pi/2)/2 - log(s)/2 - v^2/(s + x) + v log((v + s)/x) + log sum_k U_k(p)(-1/v)^k
// with s = sqrt(v^2 + x^2) = v sqrt(1 + z^2), p = v/s, and -v eta + x = -(s - x) + v log((v+s)/x),
// s - x = v^2/(s + x). log((v+s)/x) goes through log1p of an argument formed without cancellation.
// ND Debye terms (the dispatcher picks ND from v); s = sqrt(v^2 + x^2) is passed in so that the
// caller can form it without overflow. TinyX: for x so small that (v + s)/x would overflow.
template <int ND, bool TinyX, class M, class N>
NUMKIT_HOST_DEVICE inline N k_uniform(N v, N x, N s) {
  const N p = v / s;
  const N sig = debye_series<ND>(p, -1.0 / v);
  N lg;
  if (TinyX) {
    lg = M::log(v + s) - M::log(x);  // (v + s)/x may overflow; no cancellation for x << v
  } else {
    const bool xbig = val(x) >= val(v);
    const N a = xbig ? v * (s + x + v) / (x * (s + x)) : (v + s) / x - 1.0;
    lg = M::log1p(a);
  }
  return k_half_log_pi_2 - v * v / (s + x) + v * lg + 0.5 * M::log(sig * sig / s);
}

// Forward recurrence K_{w+1} = (2w/x) K_w + K_{w-1} (stable for K) in ratio form,
// r_k = K_{mu+k+1}/K_{mu+k} = 2(mu+k)/x + 1/r_{k-1}. Returns log prod_{k<n} r_k = log(K_{mu+n}/K_mu)
// and leaves in `last` the ratio K_{mu+n}/K_{mu+n-1} (unchanged if n = 0). The running product is
// folded into a log before it can overflow (only for tiny x).
template <class M, class N>
NUMKIT_HOST_DEVICE inline N k_forward(N mu, N x, int n, N r, N& last) {
  N acc = 0.0;
  N prod = 1.0;
  const N two_x = 2.0 / x;
  for (int k = 1; k <= n; ++k) {
    if (val(prod) * val(r) > 1e300) {  // only for x < 1e-280 or so
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
constexpr double k_wronskian_max_x = 10.0;

}  // namespace detail
}  // namespace special
}  // namespace numkit
