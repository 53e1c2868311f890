// numkit/quadrature/kernel_integrals.hpp -- closed-form integrals of the Bayesian-quadrature kernels
// over an interval [a, b] with the Lebesgue measure: the kernel mean z(x) = int_a^b k(x, t) dt and
// the initial variance v0 = int_a^b int_a^b k(s, t) ds dt (the prior variance of the integral; the
// initial error is sqrt(v0)).
//
// Matern-(p + 1/2), p = 0..3, unit amplitude, lengthscale ell, lam = sqrt(2p + 1) / ell, u = lam |r|:
//   k(r) = exp(-u) sum_m c_m u^m,  c_m = p!/(2p)! * (2p - m)! / ((p - m)! m!) * 2^m
// (Rasmussen & Williams 2006, eq. 4.16; c = 1 | 1, 1 | 1, 1, 1/3 | 1, 1, 2/5, 1/15). With
// int_0^s u^m e^-u du = m! P(m + 1, s) (P the regularized lower incomplete gamma function, DLMF 8.2.4):
//   z(x)  = [Phi(lam (x - a)) + Phi(lam (b - x))] / lam,      Phi(s) = sum_m c_m m! P(m + 1, s)
//   v0    = 2 / lam^2 * sum_m c_m m! T_m(lam (b - a)),
//   T_m(S) = S P(m+1, S) - (m+1) P(m+2, S) = e^-S S^(m+2) sum_n (n + 1) S^n / (m + n + 2)!
// The last series has positive terms only, so v0 keeps full relative accuracy when S -> 0 (long
// lengthscales), where the difference form loses all digits; it is used for S < 40. The initial
// error sqrt(v0) is computed with L = b - a factored out (matern_initial_error), so that neither
// lam^2 nor S^2 is formed: finite for any lengthscale from 1e-300 to 1e300.
//
// "wiener": Brownian motion pinned to 0 at a - ell, k(s, t) = ell + min(s, t) - a. Its posterior mean
// is the piecewise-linear interpolant of the data, so with nodes at a and b the BQ weights are the
// trapezoid weights for every ell > 0. z(x) = ell L + u L - u^2 / 2 (u = x - a, L = b - a),
// v0 = ell L^2 + L^3 / 3.
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace quadrature {

constexpr int kMaxOrder = 3;  // Matern-7/2

// Coefficient c_m of u^m in the Matern-(p + 1/2) polynomial factor.
NUMKIT_HOST_DEVICE inline double matern_coefficient(int p, int m) {
  double fact[8] = {1, 1, 2, 6, 24, 120, 720, 5040};
  double two_m = 1.0;
  for (int i = 0; i < m; ++i) two_m *= 2.0;
  return fact[p] / fact[2 * p] * fact[2 * p - m] / (fact[p - m] * fact[m]) * two_m;
}

// k(r) for the unit-amplitude Matern-(p + 1/2) kernel with rate lam (|r| any sign).
NUMKIT_HOST_DEVICE inline double matern_kernel(int p, double lam, double r) {
  const double u = lam * math::fabs(r);
  double poly = 0.0;
  for (int m = p; m >= 0; --m) poly = poly * u + matern_coefficient(p, m);
  return math::exp(-u) * poly;
}

// 1 / k, from a table for the small k of the series below (a division costs 10x a multiply).
NUMKIT_HOST_DEVICE inline double reciprocal(int k) {
  constexpr double table[32] = {0.0,      1.0,      1.0 / 2,  1.0 / 3,  1.0 / 4,  1.0 / 5,  1.0 / 6,
                                1.0 / 7,  1.0 / 8,  1.0 / 9,  1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13,
                                1.0 / 14, 1.0 / 15, 1.0 / 16, 1.0 / 17, 1.0 / 18, 1.0 / 19, 1.0 / 20,
                                1.0 / 21, 1.0 / 22, 1.0 / 23, 1.0 / 24, 1.0 / 25, 1.0 / 26, 1.0 / 27,
                                1.0 / 28, 1.0 / 29, 1.0 / 30, 1.0 / 31};
  return k < 32 ? table[k] : 1.0 / k;
}

// P(n, s) / s^j (j = 0 or 1) for s < n + 1 by the series
// P(n, s) = e^-s s^n / n! * sum_k s^k / ((n+1)...(n+k)): positive terms, ratio < 1. With j = 1 the
// leading power is s^(n-1): no underflow of s^n for tiny s (P(1, s) / s -> 1).
NUMKIT_HOST_DEVICE inline double lower_gamma_series(int n, double s, int j) {
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 200; ++k) {
    term *= s * reciprocal(n + k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  double lead = math::exp(-s);
  for (int k = 1; k <= n; ++k) lead *= (k == 1 && j == 1) ? 1.0 : s / k;
  return lead * sum;
}

// Regularized lower incomplete gamma P(n, s) for integer n >= 1, s >= 0, full relative accuracy;
// NaN for NaN s, 1 for s > 1000 (Q(n, s) < e^-900 there).
NUMKIT_HOST_DEVICE inline double regularized_lower_gamma(int n, double s) {
  if (s != s) return s;
  if (!(s > 0.0)) return 0.0;
  if (s < n + 1.0) return lower_gamma_series(n, s, 0);
  if (s > 1000.0) return 1.0;
  // Complement Q(n, s) = e^-s sum_{k<n} s^k / k! <= ~1/2 here, so 1 - Q loses nothing.
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < n; ++k) {
    term *= s / k;
    sum += term;
  }
  return 1.0 - math::exp(-s) * sum;
}

// Phi(s) = int_0^s k(u / lam) du * lam  (unit rate), s >= 0.
NUMKIT_HOST_DEVICE inline double matern_phi(int p, double s) {
  double fact = 1.0, total = 0.0;
  for (int m = 0; m <= p; ++m) {
    if (m > 0) fact *= m;
    total += matern_coefficient(p, m) * fact * regularized_lower_gamma(m + 1, s);
  }
  return total;
}

// T_m(S) = S P(m+1, S) - (m+1) P(m+2, S) without cancellation.
NUMKIT_HOST_DEVICE inline double matern_t(int m, double S) {
  if (!(S > 0.0)) return 0.0;
  if (S < 40.0) {
    double t = 1.0;  // S^n / (m + n + 2)! * (m + 2)!
    double sum = 0.0;
    for (int n = 0; n < 400; ++n) {
      const double add = (n + 1) * t;
      sum += add;
      if (add < 1e-17 * sum) break;
      t *= S / (m + n + 3);
    }
    double lead = math::exp(-S);
    for (int k = 1; k <= m + 2; ++k) lead *= S / k;
    return lead * sum;
  }
  return S * regularized_lower_gamma(m + 1, S) - (m + 1) * regularized_lower_gamma(m + 2, S);
}

// int_0^u k(r) dr = Phi(lam u) / lam, kept accurate for any lam u: u Phi(s) / s for s < 1 (no
// division by a tiny lam, no underflow of lam u), NaN for NaN u.
NUMKIT_HOST_DEVICE inline double matern_half_mean(int p, double lam, double u) {
  if (u != u) return u;
  const double s = lam * u;
  if (!(s >= 1.0)) {
    if (!(u > 0.0)) return 0.0;
    double fact = 1.0, total = 0.0;
    for (int m = 0; m <= p; ++m) {
      if (m > 0) fact *= m;
      total += matern_coefficient(p, m) * fact * lower_gamma_series(m + 1, s, 1);
    }
    return u * total;
  }
  return matern_phi(p, s) / lam;
}

NUMKIT_HOST_DEVICE inline double matern_kernel_mean(int p, double lam, double a, double b,
                                                    double x) {
  return matern_half_mean(p, lam, x - a) + matern_half_mean(p, lam, b - x);
}

// sqrt(v0) without overflow or underflow of lam^2, S^2 or v0 itself (L = b - a):
//   S < 40:  v0 = 2 L^2 sum_m c_m m! T_m(S) / S^2  (T_m / S^2 from the positive series),
//   else:    v0 = 2 (L / lam) sum_m c_m m! (P(m + 1, S) - (m + 1) P(m + 2, S) / S).
NUMKIT_HOST_DEVICE inline double matern_initial_error(int p, double lam, double a, double b) {
  const double L = b - a, S = lam * L;
  if (S != S || L != L) return S + L;
  if (!(L > 0.0)) return 0.0;
  double fact = 1.0, total = 0.0;
  for (int m = 0; m <= p; ++m) {
    if (m > 0) fact *= m;
    double t;  // T_m(S) / S^2 or T_m(S) / S
    if (S < 40.0) {
      double term = 1.0, sum = 0.0;  // S^n / (m + n + 2)! * (m + 2)!
      for (int n = 0; n < 400; ++n) {
        const double add = (n + 1) * term;
        sum += add;
        if (add < 1e-17 * sum) break;
        term *= S / (m + n + 3);
      }
      double lead = math::exp(-S);
      for (int k = 1; k <= m + 2; ++k) lead *= (k <= 2) ? 1.0 / k : S / k;
      t = lead * sum;
    } else {
      t = regularized_lower_gamma(m + 1, S) - (m + 1) * regularized_lower_gamma(m + 2, S) / S;
    }
    total += matern_coefficient(p, m) * fact * t;
  }
  if (S < 40.0) return L * math::sqrt(2.0 * total);
  return math::sqrt(2.0 * total) * math::sqrt(L) * math::sqrt(1.0 / lam);
}

NUMKIT_HOST_DEVICE inline double matern_initial_variance(int p, double lam, double a, double b) {
  const double e = matern_initial_error(p, lam, a, b);
  return e * e;
}

NUMKIT_HOST_DEVICE inline double wiener_initial_error(double offset, double a, double b) {
  const double L = b - a;
  return L * math::sqrt(offset + L / 3.0);
}

NUMKIT_HOST_DEVICE inline double wiener_kernel_mean(double offset, double a, double b, double x) {
  const double L = b - a, u = x - a;
  return offset * L + u * L - 0.5 * u * u;
}

NUMKIT_HOST_DEVICE inline double wiener_initial_variance(double offset, double a, double b) {
  const double L = b - a;
  return offset * L * L + L * L * L / 3.0;
}

}  // namespace quadrature
}  // namespace numkit
