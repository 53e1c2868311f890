// spline_core.hpp -- SplineCore: a finished not-a-knot cubic in transformed coordinates, shared by
// the AutoKnots builder (autoknots.cpp) and the bindings (bind/splines.cpp).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "numkit/splines/scales.hpp"

namespace numkit {
namespace splines {

class SplineCore {
 public:
  // From knots x (strictly increasing after the x transform) and values y; computes u (unless
  // given: a pickle carries the builder's u, which may differ from X(x) in the last bit), v, coef.
  SplineCore(std::vector<double> x, std::vector<double> y, XScale xs, YScale ys, std::vector<double> u = {});
  // From a builder that already holds everything (no second solve).
  SplineCore(std::vector<double> x, std::vector<double> y, std::vector<double> u, std::vector<double> v,
             std::vector<double> coef, XScale xs, YScale ys);

  std::size_t size() const { return x_.size(); }
  XScale x_scale() const { return xs_; }
  YScale y_scale() const { return ys_; }
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }
  const std::vector<double>& u() const { return u_; }
  const std::vector<double>& coef() const { return coef_; }

  // Value or derivative (0 <= nu <= 3) at n points; NaN outside [x_0, x_{n-1}] unless extrapolate.
  void evaluate(std::size_t n, const double* x, double* out, int nu, bool extrapolate) const;
  // Integral of y dx from x_0 to each point (order 1), or the order-fold repeated integral
  //   I_nu(x) = int_{x_0}^x (x - t)^(nu - 1) / (nu - 1)! y(t) dt   (Cauchy's formula).
  void antiderivative(std::size_t n, const double* x, double* out, bool extrapolate, int order = 1) const;
  // Integral of y dx from a to b (a > b gives the negative).
  double integrate(double a, double b, bool extrapolate) const;

 private:
  bool in_domain(double x) const;
  std::size_t piece_of(double u, std::size_t hint) const;
  double piece_integral(std::size_t i, double lo, double width) const;
  const std::vector<double>& cumulative() const;
  std::shared_ptr<const std::vector<double>> moments(int order) const;
  double weighted_integral(std::size_t i, double lo, double width, double uX, int j) const;

  std::vector<double> x_, y_, u_, v_, coef_;
  XScale xs_;
  YScale ys_;
  // Integrals of y dx from x_0 to each knot, computed once on first use (std::call_once makes the
  // lazy fill safe when several threads evaluate the same spline).
  mutable std::once_flag cum_once_;
  mutable std::vector<double> cum_;
  // Moment tables of the repeated integrals (see moments()), one per order, filled on first use
  // under the mutex.
  mutable std::mutex moments_mutex_;
  mutable std::map<int, std::shared_ptr<const std::vector<double>>> moments_;
};

}  // namespace splines
}  // namespace numkit
