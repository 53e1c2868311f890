// numkit/quadrature/matern_transition.hpp -- the Matern-(p + 1/2) kernel as a Gauss-Markov process.
//
// With time scaled by lam = sqrt(2p + 1) / ell, a unit-amplitude Matern-(p + 1/2) process f is the
// stationary solution of (D + 1)^(p+1) f = sqrt(q) W' (Hartikainen & Sarkka 2010; Sarkka & Solin,
// "Applied Stochastic Differential Equations", 2019, sec. 12.3), state x = (f, f', ..., f^(p)),
// x' = F x + e_p sqrt(q) W', q = p!^2 2^(2p+1) / (2p)! so that Var f = 1. We augment the state
// with the running integral J(t) = int_0^t f. Over a step delta:
//   (x(delta), J(delta)) = A_aug(delta) (x(0), 0) + noise,  A_aug = [[A, 0], [c^T, 1]],
//   A(s) = e^(Fs) = e^-s sum_{m<=p} (F + I)^m s^m / m!   (F + I is nilpotent: exact, finite sum),
//   c_k(delta) = int_0^delta A_0k(s) ds,
//   Sigma_aug(delta) = q int_0^delta g(r) g(r)^T dr,  g = (A(r) e_p, P(p + 1, r)),
// g_0(r) = r^p e^-r / p! being the impulse response of f and P(p+1, r) its integral.
//
// Why not Sigma = P_inf - A P_inf A^T: for delta -> 0 that difference cancels to all digits
// (Sigma_00 ~ delta^(2p+1)). Here Sigma is a Gauss-Legendre sum of rank-one PSD terms g g^T whose
// entries keep their leading power of r exactly (the polynomial coefficients are integers), so every
// entry keeps its relative accuracy for small delta. Steps longer than 1 are halved until <= 1 (the
// 20-point rule is then exact to rounding: the integrand is e^-2r times a polynomial of degree <= 2p
// and the entire P(p+1, r)) and doubled back with Sigma(2d) = A_aug Sigma(d) A_aug^T + Sigma(d), a
// sum of PSD terms (no cancellation either).
//
// Other time units (the flat limit, lengthscale >> interval): with t = s H and mu = lam H, the state
// in s-time is x_s = D x (D = diag(mu^k)), A_s(s) = D A(mu s) D^-1 and, with the noise intensity
// normalized to 1 instead of q mu^(2p+1), the impulse response is e^(-mu r) r^p / p!. Computing in
// s-time directly (every entry with its power of mu) keeps the transition O(1) for s ~ 1 however
// small mu is, where the unit-rate form would need delta^(2p+1) (delta = mu s) and underflow: as
// mu -> 0 the model tends to p-fold integrated Brownian motion, the polynomial-exact limit of BQ.
// mu = 1 with noise = q reproduces the unit-rate form bit for bit.
#pragma once

#include "numkit/config.hpp"
#include "numkit/quadrature/householder.hpp"
#include "numkit/quadrature/kernel_integrals.hpp"

namespace numkit {
namespace quadrature {

constexpr int kMaxAug = kMaxOrder + 2;  // state (p + 1) + integral

struct Transition {
  double A[kMaxAug][kMaxAug];  // A_aug(delta), (p + 2) x (p + 2)
  double L[kMaxAug][kMaxAug];  // lower Cholesky factor of Sigma_aug(delta)
  double S[kMaxAug][kMaxAug];  // Sigma_aug(delta) = L L^T
};

// 20-point Gauss-Legendre nodes (positive half) and weights on [-1, 1].
struct GaussLegendre20 {
  static constexpr int n = 20;
  static constexpr double x[10] = {
      0.0765265211334973337546404, 0.2277858511416450780804962, 0.3737060887154195606725482,
      0.5108670019508270980043641, 0.6360536807265150254528367, 0.7463319064601507926143051,
      0.8391169718222188233945291, 0.9122344282513259058677524, 0.9639719272779137912676661,
      0.9931285991850949247861224};
  static constexpr double w[10] = {
      0.1527533871307258506980843, 0.1491729864726037467878287, 0.1420961093183820513292983,
      0.1316886384491766268984945, 0.1181945319615184173123774, 0.1019301198172404350367501,
      0.0832767415767047487247581, 0.0626720483341090635695065, 0.0406014298003869413310400,
      0.0176140071391521183118620};
};

// Noise intensity q that makes Var f = 1.
NUMKIT_HOST_DEVICE inline double matern_noise(int p) {
  const double fact[8] = {1, 1, 2, 6, 24, 120, 720, 5040};
  double two = 2.0;
  for (int i = 0; i < 2 * p; ++i) two *= 2.0;
  return fact[p] * fact[p] * two / fact[2 * p];
}

// Stationary state covariance P_inf (unit amplitude, unit rate):
// E[f^(j) f^(k)] = (-1)^k (-1)^((j+k)/2) M_(j+k)/2 / M_0 for j + k even, else 0, where
// M_m = int w^2m / (1 + w^2)^(p+1) dw = Gamma(m + 1/2) Gamma(p + 1/2 - m) / Gamma(p + 1).
inline void matern_stationary_covariance(int p, double P[kMaxAug][kMaxAug]) {
  const int n = p + 1;
  const double m0 = std::tgamma(0.5) * std::tgamma(p + 0.5);
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < n; ++k) {
      if ((j + k) % 2) {
        P[j][k] = 0.0;
        continue;
      }
      const int m = (j + k) / 2;
      const double ratio = std::tgamma(m + 0.5) * std::tgamma(p + 0.5 - m) / m0;
      const int sign = ((k + m) % 2) ? -1 : 1;
      P[j][k] = sign * ratio;
    }
}

// Powers (F + I)^m, m = 0..p, of the nilpotent part of F (integer entries, exact in double).
struct NilpotentPowers {
  double P[kMaxOrder + 1][kMaxAug][kMaxAug];
};

NUMKIT_HOST_DEVICE inline void matern_nilpotent_powers(int p, NilpotentPowers& out) {
  const int n = p + 1;
  const double binom[5][5] = {{1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0}, {1, 3, 3, 1, 0},
                              {1, 4, 6, 4, 1}};
  double N1[kMaxAug][kMaxAug] = {};
  for (int i = 0; i < n; ++i) {
    if (i + 1 < n) N1[i][i + 1] = 1.0;
    N1[i][i] += 1.0;
  }
  // last row of F: -binom(p+1, k); the +1 on the diagonal is already there
  for (int k = 0; k < n; ++k) N1[p][k] += -binom[p + 1][k];
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) out.P[0][i][j] = (i == j) ? 1.0 : 0.0;
  for (int m = 1; m <= p; ++m)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int k = 0; k < n; ++k) acc += out.P[m - 1][i][k] * N1[k][j];
        out.P[m][i][j] = acc;
      }
}

// A(s) = e^(F s) = e^-s sum_m (F + I)^m s^m / m! for the unit-rate state (mu = 1), n = p + 1; for
// rate mu, entry (i, j) of the m-th term carries mu^(m + i - j) (>= 0 where (F + I)^m is nonzero).
NUMKIT_HOST_DEVICE inline void matern_state_transition(int p, const NilpotentPowers& np, double s,
                                                       double A[kMaxAug][kMaxAug],
                                                       double mu = 1.0) {
  const int n = p + 1;
  double coef[kMaxOrder + 1];
  double mu_pow[2 * kMaxOrder + 2];
  mu_pow[0] = 1.0;
  for (int k = 1; k < 2 * kMaxOrder + 2; ++k) mu_pow[k] = mu_pow[k - 1] * mu;
  const double e = math::exp(-mu * s);
  coef[0] = e;
  for (int m = 1; m <= p; ++m) coef[m] = coef[m - 1] * s / m;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double acc = 0.0;
      for (int m = p; m >= 0; --m) {
        const int e_mu = m + i - j;
        if (e_mu >= 0) acc += coef[m] * np.P[m][i][j] * mu_pow[e_mu];
      }
      A[i][j] = acc;
    }
}

// int_0^r e^(-mu u) u^p / p! du = P(p + 1, mu r) / mu^(p + 1), for mu r <= p + 2 (positive series;
// with mu = 1 the same operations as regularized_lower_gamma's series branch).
NUMKIT_HOST_DEVICE inline double matern_impulse_integral(int p, double r, double mu) {
  if (!(r > 0.0)) return 0.0;
  const int n = p + 1;
  const double s = mu * r;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 200; ++k) {
    term *= s * reciprocal(n + k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  double lead = math::exp(-s);
  for (int k = 1; k <= n; ++k) lead *= r / k;
  return lead * sum;
}

// Lower factor L (cols x cols, nonnegative diagonal) with L L^T = Z^T Z, by QR of Z in place.
constexpr int kMaxZ = 2 * GaussLegendre20::n;
inline void qr_lower_factor(double Z[][kMaxAug], int rows, int cols, double L[kMaxAug][kMaxAug]) {
  householder_r<kMaxAug>(Z, rows, cols);
  for (int i = 0; i < cols; ++i)
    for (int j = 0; j < cols; ++j) L[i][j] = (j <= i) ? Z[j][i] : 0.0;  // L = R^T
  for (int j = 0; j < cols; ++j)
    if (L[j][j] < 0)
      for (int i = j; i < cols; ++i) L[i][j] = -L[i][j];
}

// A_aug(delta) and the Cholesky factor L of Sigma_aug(delta) (unit rate and amplitude), delta >= 0.
// Square-root form: Sigma is never formed. The Gauss-Legendre sum q sum_k w_k g(r_k) g(r_k)^T is
// Z^T Z with rows sqrt(q w_k) g(r_k)^T, and a doubling Sigma(2d) = A L L^T A^T + L L^T is Z^T Z with
// Z = [(A L)^T; L^T]; a QR of Z gives the new factor. Versus forming Sigma and factoring it, the
// weak directions of Sigma (condition ~1e5 after equilibration for p = 3) keep twice the digits.
// mu, noise: the rate in the chosen time unit and the noise intensity (default: unit rate, Var f = 1).
inline void matern_transition(int p, double delta, Transition& T, double mu = 1.0,
                              double noise = -1.0) {
  const int n = p + 1, m = p + 2;
  int doublings = 0;
  double d = delta;
  while (mu * d > 1.0 && doublings < 2100) {  // bounded: 2^2100 exceeds any finite step
    d *= 0.5;
    ++doublings;
  }
  double c[kMaxAug] = {};
  double Ar[kMaxAug][kMaxAug];
  double Z[kMaxZ][kMaxAug];
  NilpotentPowers np;
  matern_nilpotent_powers(p, np);
  const double q = noise > 0.0 ? noise : matern_noise(p);
  for (int node = 0; node < GaussLegendre20::n; ++node) {
    const int h = node % 10;
    const double xi = (node < 10) ? -GaussLegendre20::x[h] : GaussLegendre20::x[h];
    const double r = 0.5 * d * (xi + 1.0);
    const double wq = 0.5 * d * GaussLegendre20::w[h];
    matern_state_transition(p, np, r, Ar, mu);
    const double sw = math::sqrt(wq * q);
    for (int j = 0; j < n; ++j) Z[node][j] = sw * Ar[j][p];
    Z[node][n] = sw * (mu == 1.0 ? regularized_lower_gamma(p + 1, r)
                                 : matern_impulse_integral(p, r, mu));
    for (int k = 0; k < n; ++k) c[k] += wq * Ar[0][k];
  }
  qr_lower_factor(Z, GaussLegendre20::n, m, T.L);
  matern_state_transition(p, np, d, Ar, mu);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) T.A[i][j] = 0.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) T.A[i][j] = Ar[i][j];
  for (int k = 0; k < n; ++k) T.A[n][k] = c[k];
  T.A[n][n] = 1.0;
  for (int it = 0; it < doublings; ++it) {
    double A2[kMaxAug][kMaxAug];
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) {
        double al = 0.0, aa = 0.0;
        for (int k = 0; k < m; ++k) {
          al += T.A[i][k] * T.L[k][j];
          aa += T.A[i][k] * T.A[k][j];
        }
        Z[j][i] = al;          // rows 0..m-1: (A L)^T
        Z[m + j][i] = T.L[i][j];  // rows m..2m-1: L^T
        A2[i][j] = aa;
      }
    qr_lower_factor(Z, 2 * m, m, T.L);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) T.A[i][j] = A2[i][j];
  }
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      double acc = 0.0;
      for (int k = 0; k <= (i < j ? i : j); ++k) acc += T.L[i][k] * T.L[j][k];
      T.S[i][j] = acc;
    }
}

}  // namespace quadrature
}  // namespace numkit
