// src/quadrature/bq.cpp -- Bayesian quadrature weights without the dense Gram matrix.
//
// The textbook BQ rule w = K^-1 z needs the Gram matrix K of the nodes, whose condition number grows
// like (ell / h)^(2 nu) (1e12 .. 1e18 for Matern-5/2 .. 7/2 with ell = 0.3 on [0, 0.1]): in double
// precision the weights are then garbage unless jitter is added, and jitter makes the error plateau.
// The posterior variance v0 - z^T K^-1 z also cancels to all digits once it is small.
//
// Here the Matern-(p + 1/2) kernel is used as what it is, the covariance of a Gauss-Markov process
// with state x = (f, f', ..., f^(p)) (matern_transition.hpp). With the states X = (x_0..x_{N-1}) at
// the sorted nodes, the prior precision of X is Q = M^T M with a block-bidiagonal M of whitened
// transitions, rows  L_inf^-1 x_0  and  L_i^-1 (x_{i+1} - A_i x_i)  (Sigma_i = L_i L_i^T), each
// Cholesky factor taken of the Jacobi-equilibrated Sigma_i, so M never holds a badly scaled matrix.
// The integral is I = sum of segment integrals J_i plus the two tails; given the states the J_i are
// independent with E[J_i | X] = linear in (x_i, x_{i+1}) (a Gaussian bridge) and a bridge variance
// read off the Cholesky factor of the augmented Sigma (no subtraction). Observing f at the nodes fixes
// the f-components X_f = y; the derivative components X_d have precision Q_dd (block tridiagonal,
// p x p blocks), hence with h the coefficient vector of E[I | X]:
//   weights  w = h_f - Q_fd Q_dd^-1 h_d
//   variance   = sum of bridge and tail variances + h_d^T Q_dd^-1 h_d     (all terms >= 0)
// O(N p^3) work, no jitter, and every quantity is a sum of nonnegative terms or a solve with the
// well-conditioned Q_dd. The weights themselves are taken from a QR sweep in a difference basis
// (difference_sweep.cpp) wherever spacings are uneven: the product form above loses
// ~ (max gap / min gap)^(2p + 1) ulps next to nearly coincident nodes. y^T K^-1 y (for the
// marginal likelihood) is the squared norm of the whitened residuals M X at the conditional mean of
// X_d, and log det K = log det P_inf + sum log det Sigma_i + log det Q_dd. Where the weights come
// from the sweep, y^T K^-1 y and log det Q_dd come from the same QR (difference_sweep.cpp).
//
// Time unit. The unit-rate time tau = lam t (lam = sqrt(2p + 1) / ell) makes a segment's rows of
// size delta^-(p + 1/2) and its covariance delta^(2p + 1): for ell / spacing beyond ~1e40 (p = 3)
// these leave the double range although the problem has a limit (BQ tends to the polynomial-exact
// rule of p-fold integrated Brownian motion). Where lam (b - a) < kFlatRate the model runs in
// s = (t - a) / (b - a) instead, with rate mu = lam (b - a) and the kernel amplitude scaled by
// 1 / (q mu^(2p + 1)) so that the transitions stay O(1) (matern_transition.hpp): weights do not
// depend on the amplitude, the std is rescaled at the end, and the profiled likelihood does not
// depend on it either. Every quantity then converges as ell -> inf.
#include "src/quadrature/bq.hpp"

#include <algorithm>
#include <array>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <cstdio>

#include "numkit/quadrature/householder.hpp"
#include "numkit/quadrature/matern_transition.hpp"
#include "src/quadrature/state_space.hpp"

namespace numkit {
namespace quadrature {
namespace {

constexpr int B = kBlock;
// In-place lower Cholesky of the leading n x n part of a (row-major, stride ld); false if not PD.
bool cholesky(double* a, int n, int ld) {
  for (int j = 0; j < n; ++j) {
    double d = a[j * ld + j];
    for (int k = 0; k < j; ++k) d -= a[j * ld + k] * a[j * ld + k];
    if (!(d > 0.0)) return false;
    d = std::sqrt(d);
    a[j * ld + j] = d;
    for (int i = j + 1; i < n; ++i) {
      double s = a[i * ld + j];
      for (int k = 0; k < j; ++k) s -= a[i * ld + k] * a[j * ld + k];
      a[i * ld + j] = s / d;
    }
    for (int k = j + 1; k < n; ++k) a[j * ld + k] = 0.0;
  }
  return true;
}

// Inverse of a lower-triangular n x n matrix (stride ld) into Block.
Block lower_inverse(const double* L, int n, int ld) {
  Block inv{};
  for (int j = 0; j < n; ++j) {
    at(inv, j, j) = 1.0 / L[j * ld + j];
    for (int i = j + 1; i < n; ++i) {
      double s = 0.0;
      for (int k = j; k < i; ++k) s += L[i * ld + k] * at(inv, k, j);
      at(inv, i, j) = -s / L[i * ld + i];
    }
  }
  return inv;
}

class MaternModel {
 public:
  MaternModel(const double* nodes, std::size_t N, int p, double lengthscale, double a, double b)
      : p_(p), n_(p + 1), N_(N), lam_(std::sqrt(2.0 * p + 1.0) / lengthscale), a_(a) {
    if (N == 0) throw std::invalid_argument("at least one node is required");
    const double span = b - a;
    flat_ = lam_ * span < kFlatRate && span > 0.0;
    if (flat_) {
      // With N <= p nodes the data do not fix the derivative states: the weights then rest on the
      // ratios of the prior rows (mu^(1/2) .. mu^(p + 1/2)), which lose digits as mu -> 0
      // (measured, Matern-7/2 with 2 nodes: 0.7% off at mu = 5e-30, garbage at 5e-60). They converge
      // like mu^2 to the polynomial interpolation rule, so mu is held at kMinFewNodesRate there
      // (difference from the limit ~1e-20); the std uses the true mu.
      mu_ = N <= static_cast<std::size_t>(p) ? std::max(lam_ * span, kMinFewNodesRate)
                                             : lam_ * span;
      true_mu_ = lam_ * span;
      noise_ = 1.0;
      unit_ = span;
      for (int k = 0; k <= 2 * kMaxOrder + 1; ++k) mu_pow_[k] = std::pow(mu_, k);
    }
    tau_.resize(N);
    gap_.resize(N > 0 ? N - 1 : 0);
    for (std::size_t i = 0; i < N; ++i) tau_[i] = model_time(nodes[i] - a);
    // Spacings from the node differences (exact for close nodes), not from the rounded tau.
    for (std::size_t i = 0; i + 1 < N; ++i) gap_[i] = model_time(nodes[i + 1] - nodes[i]);
    rows_.p = p;
    rows_.N = N;
    h_.assign(N * n_, 0.0);
    build_prior();
    build_segments();
    factor_qdd();
  }

  double logdet_k() const { return logdet_sigma_ + logdet_qdd_; }
  double logdet_sigma() const { return logdet_sigma_; }
  // A length of t in model time. Divided by the unit, not multiplied by 1 / unit: for a domain
  // narrower than 1 / DBL_MAX (b - a = 5e-324) that reciprocal is inf and the weights were NaN.
  double model_time(double dt) const { return flat_ ? dt / unit_ : dt * lam_; }
  // Model time back to t: weights and std scale with the time unit.
  double to_time(double v) const { return flat_ ? v * unit_ : v / lam_; }
  // Matern-1/2 too: its product-form whitener rows (-A s, s), s ~ gap^-1/2, cancel inside a
  // matrix product (the std was 1% off at a spacing of 1e-30).
  bool use_sweep(WeightsAlgorithm algorithm) const {
    return algorithm != WeightsAlgorithm::kProduct;
  }
  // The QR sweep over these rows (difference_sweep.cpp), in long double where spacings are very
  // uneven.
  SweepResult sweep(WeightsAlgorithm algorithm, bool with_whitener) {
    rows_.h = h_;
    return algorithm == WeightsAlgorithm::kSweepExtended
               ? difference_sweep<Ext>(rows_, with_whitener)
               : difference_sweep<double>(rows_, with_whitener);
  }

  // Adds the contributions of the tails [a, x_0] and [x_{N-1}, b] (need the domain).
  void add_tails(double b) {
    const double left = tau_[0], right = model_time(b - a_) - tau_[N_ - 1];
    Transition T;
    if (left > 0.0) {
      matern_transition(p_, left, T, mu_, noise_);
      // Time reversal: the reversed process has the same law and state R x, R = diag((-1)^k).
      for (int k = 0; k < n_; ++k) h_[k] += ((k % 2) ? -1.0 : 1.0) * T.A[n_][k];
      var_cond_ += T.S[n_][n_];
    }
    if (right > 0.0) {
      matern_transition(p_, right, T, mu_, noise_);
      for (int k = 0; k < n_; ++k) h_[(N_ - 1) * n_ + k] += T.A[n_][k];
      var_cond_ += T.S[n_][n_];
    }
  }

  // Weights and posterior std. The variance is h_d^T Q_dd^-1 h_d plus the conditional variances
  // (nonnegative terms, refined solve); the weights come from the difference-basis sweep
  // (accurate for uneven spacings, O(N^2 p); in long double where spacings are very uneven) or
  // from w = h_f - M_f^T M_d z (O(N p^2), as accurate for near-uniform spacings but losing
  // ~ (max gap / min gap)^(2p + 1) ulps); see choose_weights_algorithm.
  BQResult weights(WeightsAlgorithm algorithm) {
    BQResult out;
    std::vector<double> z(N_ * n_, 0.0);
    for (std::size_t i = 0; i < N_; ++i)
      for (int k = 1; k < n_; ++k) z[i * n_ + k] = h_[i * n_ + k];
    solve_qdd(z);  // z_d = Q_dd^-1 h_d, z_f = 0
    refine(z);
    double var = var_cond_;
    for (std::size_t i = 0; i < N_ * n_; ++i) var += h_[i] * z[i];
    if (flat_) {
      // model amplitude 1 / (q mu^(2p + 1)): std = model std * sqrt(q) mu^(p + 1/2)
      out.model_std = std::sqrt(std::max(var, 0.0)) * unit_;
      out.std = out.model_std * std::sqrt(matern_noise(p_)) * std::pow(true_mu_, p_ + 0.5);
    } else {
      // sqrt(var) / lam: var / lam^2 underflowed to 0 for lengthscales below ~1e-155.
      out.std = out.model_std = std::sqrt(std::max(var, 0.0)) / lam_;
    }
    out.weights.resize(N_);
    if (p_ == 0) {
      for (std::size_t j = 0; j < N_; ++j) out.weights[j] = to_time(h_[j * n_]);
      return out;
    }
    if (use_sweep(algorithm)) {
      const SweepResult sw = sweep(algorithm, false);
      for (std::size_t j = 0; j < N_; ++j) out.weights[j] = to_time(sw.coefficients[j]);
      return out;
    }
    std::vector<double> r(N_ * n_), back(N_ * n_);
    mul_m(z.data(), r.data());
    mul_mt(r.data(), back.data());
    for (std::size_t i = 0; i < N_; ++i) out.weights[i] = to_time(h_[i * n_] - back[i * n_]);
    return out;
  }

  // r = whitened residuals M X at the conditional mean of the derivatives given y, so that
  // y^T K^-1 y = |r|^2. Returns |r|^2.
  double quadform(const double* y, std::vector<double>& X, std::vector<double>& r,
                  std::vector<double>& back) const {
    std::fill(X.begin(), X.end(), 0.0);
    for (std::size_t i = 0; i < N_; ++i) X[i * n_] = y[i];
    mul_m(X.data(), r.data());
    mul_mt(r.data(), back.data());
    for (std::size_t i = 0; i < N_; ++i) {
      back[i * n_] = 0.0;
      for (int k = 1; k < n_; ++k) back[i * n_ + k] = -back[i * n_ + k];
    }
    solve_qdd(back);  // conditional mean of the derivatives given y
    for (std::size_t i = 0; i < N_; ++i)
      for (int k = 1; k < n_; ++k) X[i * n_ + k] = back[i * n_ + k];
    mul_m(X.data(), r.data());
    double s = 0.0;
    for (double v : r) s += v * v;
    return s;
  }

  std::size_t state_size() const { return N_ * n_; }

  // Iterative refinement of Q_dd z = h_d with the residual taken through M (not the formed
  // Q_dd = M_d^T M_d): removes the error that forming and factoring the normal equations adds.
  void refine(std::vector<double>& z, int steps = 2) const {
    if (p_ == 0) return;
    std::vector<double> r(N_ * n_), back(N_ * n_);
    for (int it = 0; it < steps; ++it) {
      mul_m(z.data(), r.data());
      mul_mt(r.data(), back.data());
      for (std::size_t i = 0; i < N_; ++i) {
        back[i * n_] = 0.0;
        for (int k = 1; k < n_; ++k) back[i * n_ + k] = h_[i * n_ + k] - back[i * n_ + k];
      }
      solve_qdd(back);
      for (std::size_t i = 0; i < N_; ++i)
        for (int k = 1; k < n_; ++k) z[i * n_ + k] += back[i * n_ + k];
    }
  }

 private:
  int p_, n_;
  std::size_t N_;
  double lam_, a_;
  // Flat limit (lam (b - a) < kFlatRate): model time s = (t - a) / unit_, rate mu_, noise 1.
  bool flat_ = false;
  double mu_ = 1.0, true_mu_ = 1.0, noise_ = -1.0, unit_ = 1.0;
  static constexpr double kMinFewNodesRate = 1e-10;
  double mu_pow_[2 * kMaxOrder + 2] = {1, 1, 1, 1, 1, 1, 1, 1};
  std::vector<double> tau_, gap_, h_;
  StateSpaceRows rows_;  // prior_, bm_, bp_, be_ below are references into it
  Block& prior_ = rows_.prior;
  std::vector<Block>& bm_ = rows_.bm;
  std::vector<Block>& bp_ = rows_.bp;
  std::vector<ExtBlock>& be_ = rows_.be;
  std::vector<Block> ld_, lo_;  // block Cholesky of Q_dd: diagonal and sub-diagonal blocks
  double var_cond_ = 0.0, logdet_sigma_ = 0.0, logdet_qdd_ = 0.0;

  // A(delta) - I. Short steps: the Taylor series sum_{k>=1} (F delta)^k / k! (no constant term, so
  // each entry keeps its leading power of delta instead of being 1 - 1 + ...). Steps >= 1/4: A - I
  // directly (the entries are no longer small; the series would cancel instead).
  ExtBlock transition_minus_identity(double delta, const Transition& T) const {
    ExtBlock E{};
    const double limit = 0.25;
    if (delta >= limit) {
      for (int r = 0; r < n_; ++r)
        for (int c = 0; c < n_; ++c) E[r * B + c] = T.A[r][c] - (r == c ? 1.0 : 0.0);
      return E;
    }
    // F = shift (ones above the diagonal) + last row -binom(p + 1, c): term F is O(n^2).
    const double binom[5][5] = {{1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0},
                                {1, 3, 3, 1, 0}, {1, 4, 6, 4, 1}};
    ExtBlock term{};
    for (int r = 0; r < n_; ++r) term[r * B + r] = 1.0;
    // Every entry has its leading power by k = p + 1; stop once each term is below 1e-21 of its
    // entry (a zero entry does not stop the loop before the cap).
    for (int k = 1; k < 80; ++k) {
      ExtBlock next{};
      bool small = k > n_;
      for (int r = 0; r < n_; ++r)
        for (int c = 0; c < n_; ++c) {
          Ext s = -binom[p_ + 1][c] * mu_pow_[p_ + 1 - c] * term[r * B + p_];
          if (c > 0) s += term[r * B + c - 1];
          next[r * B + c] = s * delta / k;
          E[r * B + c] += next[r * B + c];
          small = small && std::fabs(next[r * B + c]) <= 1e-21L * std::fabs(E[r * B + c]);
        }
      term = next;
      if (small) break;
    }
    return E;
  }

  void build_prior() {
    double P[kMaxAug][kMaxAug];
    matern_stationary_covariance(p_, P);
    double L[B * B] = {};
    for (int i = 0; i < n_; ++i)
      for (int j = 0; j < n_; ++j) L[i * B + j] = P[i][j];
    if (!cholesky(L, n_, B)) throw std::runtime_error("stationary covariance is not positive");
    for (int i = 0; i < n_; ++i) logdet_sigma_ += 2.0 * std::log(L[i * B + i]);
    prior_ = lower_inverse(L, n_, B);
    if (flat_) {
      // P_s = D P_inf D / c, D = diag(mu^k), c = q mu^(2p + 1): rows sqrt(c) L_inf^-1 D^-1.
      const double log_mu = std::log(mu_), log_q = std::log(matern_noise(p_));
      for (int r = 0; r < n_; ++r)
        for (int c = 0; c < n_; ++c)
          at(prior_, r, c) *= std::sqrt(matern_noise(p_)) * std::pow(mu_, p_ + 0.5 - c);
      for (int k = 0; k < n_; ++k)
        logdet_sigma_ += 2.0 * k * log_mu - (log_q + (2.0 * p_ + 1.0) * log_mu);
    }
  }

  void build_segments() {
    const int m = n_ + 1;
    bm_.resize(N_ > 0 ? N_ - 1 : 0);
    bp_.resize(bm_.size());
    be_.resize(bm_.size());
    ExtBlock be{};
    Transition T;
    double prev_delta = -1.0;
    Block bp{}, bm{};
    double gamma[B] = {}, cvec[B] = {}, bridge_var = 0.0, logdet = 0.0;
    for (std::size_t i = 0; i + 1 < N_; ++i) {
      const double delta = gap_[i];
      if (!(delta > 0.0)) throw std::invalid_argument("nodes must be strictly increasing");
      // Equispaced nodes: one transition serves every segment. Spacings that differ by less than
      // the rounding of the node positions themselves (a few ulps of |tau|) count as equal.
      const double resolution = 4.0 * std::numeric_limits<double>::epsilon() * std::fabs(tau_[i + 1]);
      if (std::fabs(delta - prev_delta) > resolution) {
        prev_delta = delta;
        matern_transition(p_, delta, T, mu_, noise_);
        // Equilibrate the factor: rows of L scaled to unit norm, so that L~ L~^T has unit
        // diagonal (d_k = sqrt(Sigma_kk)); L~ stays lower triangular.
        double d[kMaxAug], L[kMaxAug * kMaxAug];
        for (int r = 0; r < m; ++r) {
          double norm = 0.0;
          for (int c = 0; c <= r; ++c) norm = std::hypot(norm, T.L[r][c]);
          d[r] = norm;
          if (!(norm > 0.0) || !(T.L[r][r] > 0.0) || !std::isfinite(norm))
          {
            char msg[240];
            std::snprintf(msg, sizeof msg,
                          "nodes %d and %d (sorted) are too close for the Matern-%d/2 state-space "
                          "model to resolve (gap %.3g of its time unit; below ~1e-40 for "
                          "Matern-7/2, 1e-60 for 5/2, 1e-100 for 3/2): merge nearly coincident "
                          "nodes",
                          static_cast<int>(i), static_cast<int>(i + 1), 2 * p_ + 1, delta);
            throw std::invalid_argument(msg);
          }
          for (int c = 0; c < m; ++c) L[r * kMaxAug + c] = T.L[r][c] / norm;
        }
        const Block linv = lower_inverse(L, n_, kMaxAug);
        for (int r = 0; r < n_; ++r)
          for (int c = 0; c < n_; ++c) at(bp, r, c) = at(linv, r, c) / d[c];
        for (int r = 0; r < n_; ++r)
          for (int c = 0; c < n_; ++c) {
            double s = 0.0;
            for (int k = 0; k < n_; ++k) s += at(bp, r, k) * T.A[k][c];
            at(bm, r, c) = -s;
          }
        // Bp (A - I), with A - I free of cancellation (what a segment row says beyond x_{i+1} - x_i)
        {
          const ExtBlock E = transition_minus_identity(delta, T);
          for (int r = 0; r < n_; ++r)
            for (int c = 0; c < n_; ++c) {
              Ext s = 0.0;
              for (int k = 0; k < n_; ++k) s += at(bp, r, k) * E[k * B + c];
              be[r * B + c] = s;
            }
        }
        // gamma = Sigma_ww^-1 Sigma_wv = d_v Bp^T L_vw^T
        for (int k = 0; k < n_; ++k) {
          double s = 0.0;
          for (int j = 0; j < n_; ++j) s += at(bp, j, k) * L[n_ * kMaxAug + j];
          gamma[k] = d[n_] * s;
        }
        bridge_var = d[n_] * d[n_] * L[n_ * kMaxAug + n_] * L[n_ * kMaxAug + n_];
        logdet = 0.0;
        for (int k = 0; k < n_; ++k) logdet += 2.0 * (std::log(d[k]) + std::log(L[k * kMaxAug + k]));
        // E[J | x_i, x_{i+1}] = (c - A^T gamma) . x_i + gamma . x_{i+1}
        for (int k = 0; k < n_; ++k) {
          double s = T.A[n_][k];
          for (int j = 0; j < n_; ++j) s -= T.A[j][k] * gamma[j];
          cvec[k] = s;
        }
      }
      bp_[i] = bp;
      bm_[i] = bm;
      be_[i] = be;
      var_cond_ += bridge_var;
      logdet_sigma_ += logdet;
      for (int k = 0; k < n_; ++k) {
        h_[i * n_ + k] += cvec[k];
        h_[(i + 1) * n_ + k] += gamma[k];
      }
    }
  }

  // U = M X. Row block 0: prior on x_0; row block i + 1: segment i.
  void mul_m(const double* X, double* U) const {
    for (int r = 0; r < n_; ++r) {
      double s = 0.0;
      for (int c = 0; c < n_; ++c) s += at(prior_, r, c) * X[c];
      U[r] = s;
    }
    for (std::size_t i = 0; i + 1 < N_; ++i) {
      const double* x0 = X + i * n_;
      const double* x1 = x0 + n_;
      double* u = U + (i + 1) * n_;
      for (int r = 0; r < n_; ++r) {
        double s = 0.0;
        for (int c = 0; c < n_; ++c) s += at(bm_[i], r, c) * x0[c] + at(bp_[i], r, c) * x1[c];
        u[r] = s;
      }
    }
  }

  // X = M^T U.
  void mul_mt(const double* U, double* X) const {
    std::fill(X, X + N_ * n_, 0.0);
    for (int c = 0; c < n_; ++c)
      for (int r = 0; r < n_; ++r) X[c] += at(prior_, r, c) * U[r];
    for (std::size_t i = 0; i + 1 < N_; ++i) {
      const double* u = U + (i + 1) * n_;
      double* x0 = X + i * n_;
      double* x1 = x0 + n_;
      for (int c = 0; c < n_; ++c)
        for (int r = 0; r < n_; ++r) {
          x0[c] += at(bm_[i], r, c) * u[r];
          x1[c] += at(bp_[i], r, c) * u[r];
        }
    }
  }

  // The factor L = R^T of Q_dd = M_d^T M_d, with R from a QR factorization of M_d itself (block
  // upper bidiagonal, p x p blocks; M_d = the derivative columns of M), never from forming Q_dd:
  // Q_dd has the squared condition number of M_d. The QR runs block row by block row (as a
  // square-root information filter): the rows left over after eliminating z_i carry to z_{i+1}.
  // With R from QR, the solves with R^T R followed by the product with M (seminormal equations
  // for the minimum-norm problem behind the weights, plus refinement) keep the accuracy of M_d.
  void factor_qdd() {
    const int q = p_;
    if (q == 0) return;
    constexpr int kRows = 2 * B + 1, kCols = 2 * B;
    double Z[kRows][kCols];
    ld_.assign(N_, Block{});
    lo_.assign(N_ > 0 ? N_ - 1 : 0, Block{});
    // carry: an upper-triangular q x q acting on z_0, from the prior rows
    for (int r = 0; r < n_; ++r)
      for (int c = 0; c < q; ++c) Z[r][c] = at(prior_, r, c + 1);
    householder_r<kCols>(Z, n_, q);
    Block carry{};
    for (int r = 0; r < q; ++r)
      for (int c = 0; c < q; ++c) at(carry, r, c) = c >= r ? Z[r][c] : 0.0;
    for (std::size_t i = 0; i + 1 < N_; ++i) {
      const int rows = q + n_, cols = 2 * q;
      for (int r = 0; r < q; ++r)
        for (int c = 0; c < cols; ++c) Z[r][c] = c < q ? at(carry, r, c) : 0.0;
      for (int r = 0; r < n_; ++r)
        for (int c = 0; c < q; ++c) {
          Z[q + r][c] = at(bm_[i], r, c + 1);
          Z[q + r][q + c] = at(bp_[i], r, c + 1);
        }
      householder_r<kCols>(Z, rows, cols);
      Block Rii{}, Rij{};
      for (int r = 0; r < q; ++r)
        for (int c = 0; c < q; ++c) {
          at(Rii, r, c) = c >= r ? Z[r][c] : 0.0;
          at(Rij, r, c) = Z[r][q + c];
          at(carry, r, c) = c >= r ? Z[q + r][q + c] : 0.0;
        }
      set_factor(i, Rii, &Rij);
    }
    set_factor(N_ - 1, carry, nullptr);
  }

  // Stores L_ii = R_ii^T and L_{i+1,i} = R_{i,i+1}^T, rows of R signed so that diag(R) > 0.
  void set_factor(std::size_t i, Block& Rii, Block* Rij) {
    const int q = p_;
    for (int r = 0; r < q; ++r) {
      if (at(Rii, r, r) < 0.0) {
        for (int c = 0; c < q; ++c) {
          at(Rii, r, c) = -at(Rii, r, c);
          if (Rij) at(*Rij, r, c) = -at(*Rij, r, c);
        }
      }
      if (!(at(Rii, r, r) > 0.0))
        throw std::runtime_error(
            "the derivative precision Q_dd is singular (nodes and lengthscale leave the state "
            "undetermined)");
      logdet_qdd_ += 2.0 * std::log(at(Rii, r, r));
    }
    for (int r = 0; r < q; ++r)
      for (int c = 0; c < q; ++c) {
        at(ld_[i], r, c) = at(Rii, c, r);
        if (Rij) at(lo_[i], r, c) = at(*Rij, c, r);
      }
  }

  // In place: the derivative components of v become Q_dd^-1 (those components).
  void solve_qdd(std::vector<double>& v) const {
    const int q = p_;
    if (q == 0) return;
    auto comp = [&](std::size_t i, int k) -> double& { return v[i * n_ + 1 + k]; };
    for (std::size_t i = 0; i < N_; ++i) {  // forward: L y = b
      double b[B];
      for (int r = 0; r < q; ++r) {
        double s = comp(i, r);
        if (i > 0)
          for (int k = 0; k < q; ++k) s -= at(lo_[i - 1], r, k) * comp(i - 1, k);
        b[r] = s;
      }
      for (int r = 0; r < q; ++r) {
        double s = b[r];
        for (int k = 0; k < r; ++k) s -= at(ld_[i], r, k) * comp(i, k);
        comp(i, r) = s / at(ld_[i], r, r);
      }
    }
    for (std::size_t ii = N_; ii-- > 0;) {  // backward: L^T z = y
      double b[B];
      for (int r = 0; r < q; ++r) {
        double s = comp(ii, r);
        if (ii + 1 < N_)
          for (int k = 0; k < q; ++k) s -= at(lo_[ii], k, r) * comp(ii + 1, k);
        b[r] = s;
      }
      for (int r = q - 1; r >= 0; --r) {
        double s = b[r];
        for (int k = r + 1; k < q; ++k) s -= at(ld_[ii], k, r) * comp(ii, k);
        comp(ii, r) = s / at(ld_[ii], r, r);
      }
    }
  }
};

}  // namespace

WeightsAlgorithm choose_weights_algorithm(const double* nodes, std::size_t N) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double g = nodes[i + 1] - nodes[i];
    lo = std::min(lo, g);
    hi = std::max(hi, g);
  }
  const bool uneven = N > 2 && hi > kSweepRatio * lo;
  if (N > kSweepMaxN || (N > kSweepAlwaysN && !uneven)) return WeightsAlgorithm::kProduct;
  return N > 2 && hi > kExtendedRatio * lo ? WeightsAlgorithm::kSweepExtended
                                           : WeightsAlgorithm::kSweep;
}

BQResult matern_bq(const double* nodes, std::size_t N, int p, double lengthscale, double a,
                   double b) {
  MaternModel model(nodes, N, p, lengthscale, a, b);
  model.add_tails(b);
  return model.weights(choose_weights_algorithm(nodes, N));
}

Whitener matern_whitener(const double* nodes, std::size_t N, int p, double lengthscale, double a,
                         double b) {
  MaternModel model(nodes, N, p, lengthscale, a, b);
  const WeightsAlgorithm algorithm = choose_weights_algorithm(nodes, N);
  Whitener out;
  if (model.use_sweep(algorithm)) {
    out.matrix = model.sweep(algorithm, true).whitener;
    out.rows = N;
    out.difference_basis = true;
    return out;
  }
  const std::size_t rows = model.state_size();
  out.rows = rows;
  out.matrix.assign(rows * N, 0.0);
  std::vector<double> X(rows), r(rows), back(rows), e(N, 0.0);
  for (std::size_t j = 0; j < N; ++j) {
    e[j] = 1.0;
    model.quadform(e.data(), X, r, back);
    e[j] = 0.0;
    for (std::size_t i = 0; i < rows; ++i) out.matrix[i * N + j] = r[i];
  }
  return out;
}

Quadforms matern_quadforms(const double* nodes, std::size_t N, int p, double lengthscale,
                           double a, double b, const double* Y, std::size_t m) {
  MaternModel model(nodes, N, p, lengthscale, a, b);
  const WeightsAlgorithm algorithm = choose_weights_algorithm(nodes, N);
  Quadforms out;
  out.quad.resize(m);
  if (model.use_sweep(algorithm)) {
    const SweepResult sw = model.sweep(algorithm, true);
    std::vector<double> d(N);
    for (std::size_t j = 0; j < m; ++j) {
      const double* y = Y + j * N;
      d[0] = y[0];
      for (std::size_t k = 1; k < N; ++k) d[k] = y[k] - y[k - 1];
      // |W d|^2 with scaling (no overflow for huge y)
      double scale = 0.0, ss = 1.0;
      for (std::size_t r = 0; r < N; ++r) {
        double s = 0.0;
        for (std::size_t c = 0; c <= r; ++c) s += sw.whitener[r * N + c] * d[c];
        const double as = std::fabs(s);
        if (as > scale) {
          ss = 1.0 + ss * (scale / as) * (scale / as);
          scale = as;
        } else if (as > 0.0) {
          ss += (as / scale) * (as / scale);
        }
      }
      out.quad[j] = scale * scale * ss;
    }
    out.logdet = model.logdet_sigma() + sw.logdet_qdd;
    return out;
  }
  std::vector<double> X(model.state_size()), r(model.state_size()), back(model.state_size());
  for (std::size_t j = 0; j < m; ++j) out.quad[j] = model.quadform(Y + j * N, X, r, back);
  out.logdet = model.logdet_k();
  return out;
}

// Brownian motion pinned to 0 at a - offset: piecewise-linear posterior mean, closed forms.
BQResult wiener_bq(const double* nodes, std::size_t N, double offset, double a, double b) {
  if (N == 0) throw std::invalid_argument("at least one node is required");
  BQResult out;
  out.weights.assign(N, 0.0);
  double var = 0.0;
  const double left = nodes[0] - a, right = b - nodes[N - 1];
  // [a, x_0]: Brownian bridge from (a - offset, 0) to (x_0, y_0), integrated over [a, x_0].
  // The ratio first: left * offset underflowed to 0 for a subnormal domain (weight 0, not 5e-324).
  out.weights[0] += left * ((offset + 0.5 * left) / (offset + left));
  var += left * left * left * (4.0 * offset + left) / (12.0 * (offset + left));
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double d = nodes[i + 1] - nodes[i];
    out.weights[i] += 0.5 * d;
    out.weights[i + 1] += 0.5 * d;
    var += d * d * d / 12.0;  // integral of a Brownian bridge over its span
  }
  out.weights[N - 1] += right;  // free Brownian motion after the last node
  var += right * right * right / 3.0;
  out.std = out.model_std = std::sqrt(var);
  return out;
}

// Diagonal in the difference basis, (y_0, y_1 - y_0, ...): Brownian increments are independent.
// In node values the rows would be (-s, s) with s = 1/sqrt(x_{i+1} - x_i), and a matrix product
// with them cancels two products of size s |y|: at a spacing of 5e-218 (s ~ 4e108) an FMA's
// rounding of one left 1e92 |y| where the exact increment was 0.
Whitener wiener_whitener(const double* nodes, std::size_t N, double offset, double a) {
  Whitener out;
  out.rows = N;
  out.difference_basis = true;
  out.matrix.assign(N * N, 0.0);
  double* W = out.matrix.data();
  W[0] = 1.0 / std::sqrt(offset + nodes[0] - a);
  for (std::size_t i = 0; i + 1 < N; ++i)
    W[(i + 1) * N + i + 1] = 1.0 / std::sqrt(nodes[i + 1] - nodes[i]);
  return out;
}

Quadforms wiener_quadforms(const double* nodes, std::size_t N, double offset, double a,
                           const double* Y, std::size_t m) {
  Quadforms out;
  out.quad.resize(m);
  double* quad = out.quad.data();
  const double first = offset + nodes[0] - a;
  double logdet = std::log(first);
  for (std::size_t i = 0; i + 1 < N; ++i) logdet += std::log(nodes[i + 1] - nodes[i]);
  for (std::size_t j = 0; j < m; ++j) {
    const double* y = Y + j * N;
    double s = y[0] * y[0] / first;
    for (std::size_t i = 0; i + 1 < N; ++i) {
      const double dy = y[i + 1] - y[i];
      s += dy * dy / (nodes[i + 1] - nodes[i]);
    }
    quad[j] = s;
  }
  out.logdet = logdet;
  return out;
}

}  // namespace quadrature
}  // namespace numkit
