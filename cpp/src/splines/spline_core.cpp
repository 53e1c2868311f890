// spline_core.cpp -- evaluation, derivatives and integrals of a SplineCore (see spline_core.hpp).
#include "src/splines/spline_core.hpp"

#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "numkit/splines/integrate.hpp"
#include "numkit/splines/notaknot.hpp"
#include "numkit/splines/search.hpp"

namespace numkit {
namespace splines {

SplineCore::SplineCore(std::vector<double> x, std::vector<double> y, XScale xs, YScale ys, std::vector<double> u)
    : x_(std::move(x)), y_(std::move(y)), u_(std::move(u)), xs_(xs), ys_(ys) {
  const std::size_t n = x_.size();
  if (n < 2 || y_.size() != n) throw std::invalid_argument("a spline needs at least 2 knots and one value per knot");
  const bool given_u = !u_.empty();
  if (given_u && u_.size() != n) throw std::invalid_argument("u needs one value per knot");
  u_.resize(n);
  v_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!given_u) u_[i] = to_u(xs_, x_[i]);
    v_[i] = ys_ == YScale::log ? std::log(y_[i]) : y_[i];
    if (!std::isfinite(u_[i]) || !std::isfinite(v_[i]))
      throw std::invalid_argument("knots and values must be finite (and positive on a log scale)");
    if (i > 0 && !(u_[i] > u_[i - 1])) throw std::invalid_argument("knots must be strictly increasing");
  }
  coef_.resize(4 * (n - 1));
  std::vector<double> work(5 * n);
  notaknot_coefficients(n, u_.data(), v_.data(), coef_.data(), work.data());
}

SplineCore::SplineCore(std::vector<double> x, std::vector<double> y, std::vector<double> u, std::vector<double> v,
                       std::vector<double> coef, XScale xs, YScale ys)
    : x_(std::move(x)), y_(std::move(y)), u_(std::move(u)), v_(std::move(v)), coef_(std::move(coef)), xs_(xs),
      ys_(ys) {}

bool SplineCore::in_domain(double x) const { return x >= x_.front() && x <= x_.back(); }

std::size_t SplineCore::piece_of(double u, std::size_t hint) const {
  return find_interval(u_.data(), u_.size(), u, hint);
}

void SplineCore::evaluate(std::size_t n, const double* x, double* out, int nu, bool extrapolate) const {
  const std::size_t nk = u_.size();
  const double* u = u_.data();
  const double* c = coef_.data();
  const double lo = x_.front(), hi = x_.back();
  const double nan = std::nan("");
  std::size_t hint = 0;
  if (xs_ == XScale::linear && ys_ == YScale::linear && nu == 0) {
    // The common case as one tight loop: search, Horner.
    for (std::size_t k = 0; k < n; ++k) {
      const double xk = x[k];
      if (!(xk >= lo && xk <= hi) && !(extrapolate && !std::isnan(xk))) {
        out[k] = nan;
        continue;
      }
      hint = find_interval(u, nk, xk, hint);
      out[k] = cubic_value(c + 4 * hint, xk - u[hint]);
    }
    return;
  }
  if (xs_ == XScale::linear && ys_ == YScale::linear && nu > 3) {
    for (std::size_t k = 0; k < n; ++k)
      out[k] = (std::isnan(x[k]) || (!extrapolate && !in_domain(x[k]))) ? nan : 0.0;
    return;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const double xk = x[k];
    const bool inside = xk >= lo && xk <= hi;
    if (!inside && !(extrapolate && !std::isnan(xk))) {
      out[k] = nan;
      continue;
    }
    const double uk = to_u(xs_, xk);
    if (std::isnan(uk)) {  // e.g. x <= 0 on a log scale while extrapolating
      out[k] = nan;
      continue;
    }
    hint = find_interval(u, nk, uk, hint);
    if (nu == 0) {  // values: no derivative of the cubic needed
      const double v = cubic_value(c + 4 * hint, uk - u[hint]);
      out[k] = ys_ == YScale::log ? std::exp(v) : v;
      continue;
    }
    const CubicDerivs d = cubic_derivs(c + 4 * hint, uk - u[hint]);
    out[k] = chain_rule(xs_, ys_, nu, xk, d);
  }
}

double SplineCore::piece_integral(std::size_t i, double lo, double width) const {
  return integrate_piece(coef_.data() + 4 * i, u_[i], xs_, ys_, lo, width);
}

const std::vector<double>& SplineCore::cumulative() const {
  std::call_once(cum_once_, [this] {
    std::vector<double> cum(u_.size(), 0.0);
    for (std::size_t i = 0; i + 1 < u_.size(); ++i) cum[i + 1] = cum[i] + piece_integral(i, u_[i], u_[i + 1] - u_[i]);
    cum_ = std::move(cum);
  });
  return cum_;
}

double SplineCore::weighted_integral(std::size_t i, double lo, double width, double uX, int j) const {
  double inv_fact = 1.0;
  for (int k = 2; k <= j; ++k) inv_fact /= k;
  return integrate_piece_weighted(coef_.data() + 4 * i, u_[i], xs_, ys_, lo, width, uX, j, inv_fact);
}

// B_j(k) = int_{x_0}^{x_k} (x_k - t)^j / j! y(t) dt for j < order, stored at [k * order + j].
// Across a piece the binomial theorem moves the kernel's anchor: with dx = x_{k+1} - x_k,
//   B_j(k+1) = sum_{i<=j} dx^(j-i) / (j-i)! B_i(k) + int_{x_k}^{x_{k+1}} (x_{k+1} - t)^j / j! y dt,
// every weight >= 0, so no cancellation beyond the sign changes of y itself.
std::shared_ptr<const std::vector<double>> SplineCore::moments(int order) const {
  std::lock_guard<std::mutex> lock(moments_mutex_);
  auto it = moments_.find(order);
  if (it != moments_.end()) return it->second;
  const std::size_t nk = u_.size(), m = static_cast<std::size_t>(order);
  auto table = std::make_shared<std::vector<double>>(nk * m, 0.0);
  std::vector<double>& B = *table;
  std::vector<double> pw(m);  // dx^p / p!
  for (std::size_t k = 0; k + 1 < nk; ++k) {
    const double dx = x_[k + 1] - x_[k];
    pw[0] = 1.0;
    for (std::size_t p = 1; p < m; ++p) pw[p] = pw[p - 1] * dx / static_cast<double>(p);
    for (std::size_t j = 0; j < m; ++j) {
      double sum = weighted_integral(k, u_[k], u_[k + 1] - u_[k], u_[k + 1], static_cast<int>(j));
      for (std::size_t i = 0; i <= j; ++i) sum += pw[j - i] * B[k * m + i];
      B[(k + 1) * m + j] = sum;
    }
  }
  moments_.emplace(order, table);
  return table;
}

void SplineCore::antiderivative(std::size_t n, const double* x, double* out, bool extrapolate, int order) const {
  const std::size_t nk = u_.size();
  std::size_t hint = 0;
  if (order > 1) {
    // I_nu(x) = sum_j (x - x_k)^(nu-1-j) / (nu-1-j)! B_j(k) + int_{x_k}^x (x - t)^(nu-1) / (nu-1)! y dt
    // on the piece k that holds x (binomial expansion of (x - t)^(nu-1) about x_k).
    const std::shared_ptr<const std::vector<double>> table = moments(order);
    const std::vector<double>& B = *table;
    const std::size_t m = static_cast<std::size_t>(order);
    std::vector<double> pw(m);
    for (std::size_t p = 0; p < n; ++p) {
      const double xk = x[p];
      const double uk = (std::isnan(xk) || (!extrapolate && !in_domain(xk))) ? std::nan("") : to_u(xs_, xk);
      if (std::isnan(uk)) {
        out[p] = std::nan("");
        continue;
      }
      hint = piece_of(uk, hint);
      const double dx = xk - x_[hint];
      pw[0] = 1.0;
      for (std::size_t q = 1; q < m; ++q) pw[q] = pw[q - 1] * dx / static_cast<double>(q);
      double sum = weighted_integral(hint, u_[hint], uk - u_[hint], uk, order - 1);
      for (std::size_t j = 0; j < m; ++j) sum += pw[m - 1 - j] * B[hint * m + j];
      out[p] = sum;
    }
    return;
  }
  const std::vector<double>& cum = cumulative();
  for (std::size_t k = 0; k < n; ++k) {
    const double xk = x[k];
    if (std::isnan(xk) || (!extrapolate && !in_domain(xk))) {
      out[k] = std::nan("");
      continue;
    }
    const double uk = to_u(xs_, xk);
    if (std::isnan(uk)) {
      out[k] = std::nan("");
      continue;
    }
    hint = piece_of(uk, hint);
    // Integrate from the nearer end of the piece: fewer quadrature points cross the point.
    if (hint + 1 < nk && uk > 0.5 * (u_[hint] + u_[hint + 1]) && uk <= u_[hint + 1])
      out[k] = cum[hint + 1] - piece_integral(hint, uk, u_[hint + 1] - uk);
    else
      out[k] = cum[hint] + piece_integral(hint, u_[hint], uk - u_[hint]);
  }
}

double SplineCore::integrate(double a, double b, bool extrapolate) const {
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  if (!extrapolate && (!in_domain(a) || !in_domain(b))) return std::nan("");
  if (a == b) return 0.0;
  if (a > b) return -integrate(b, a, extrapolate);
  const double ua = to_u(xs_, a), ub = to_u(xs_, b);
  if (std::isnan(ua) || std::isnan(ub)) return std::nan("");
  const std::size_t ia = piece_of(ua, 0), ib = piece_of(ub, ia);
  // Sum the pieces directly (not a difference of cumulative sums: no cancellation for short
  // ranges), and form the widths of the end pieces from x (u_difference), not as differences of
  // rounded u. Outside the knots (extrapolation) the end pieces' widths are plain differences.
  const bool inside = in_domain(a) && in_domain(b);
  if (ia == ib) return piece_integral(ia, ua, inside ? u_difference(xs_, a, b) : ub - ua);
  double sum = piece_integral(ia, ua, in_domain(a) ? u_difference(xs_, a, x_[ia + 1]) : u_[ia + 1] - ua);
  for (std::size_t i = ia + 1; i < ib; ++i) sum += piece_integral(i, u_[i], u_[i + 1] - u_[i]);
  sum += piece_integral(ib, u_[ib], in_domain(b) ? u_difference(xs_, x_[ib], b) : ub - u_[ib]);
  return sum;
}

}  // namespace splines
}  // namespace numkit
