// numkit/splines/integrate.hpp -- integral of y dx over part of one spline piece, in the user's
// coordinates (not of the cubic in transformed space).
//
// On piece i the integrand in u is  g(u) = Y^{-1}(s_i(u)) dx/du  (dx/du = 1, e^u or cosh u). For
// linear scales g is the cubic itself and 8-point Gauss-Legendre (exact to degree 15) is exact. For
// log scales g = exp(s_i(u) + u) etc. is entire but not polynomial: compare the 8-point rule on the
// interval with the rule on its halves and bisect until they agree to a few ulp (depth-limited).
// Repeated integrals (antiderivatives of order nu) use the same rule on y(t) (X - t)^j / j!.
// Reference: Abramowitz & Stegun 25.4.30 (nodes and weights, 8 points).
#pragma once

#include <cmath>

#include "scales.hpp"

namespace numkit {
namespace splines {

struct PieceIntegrand {
  const double* c;  // the cubic's coefficients, in t = u - u0
  double u0;
  XScale xs;
  YScale ys;
  double operator()(double u) const {
    const double s = cubic_value(c, u - u0);
    if (ys == YScale::log) {
      switch (xs) {
        case XScale::log: return std::exp(s + u);
        case XScale::asinh: return std::exp(s) * std::cosh(u);
        default: return std::exp(s);
      }
    }
    return s * dxdu(xs, u);
  }
};

// x(a) - x(b) for a, b in u without cancellation: X - x(u) near the anchor X is the weight of the
// Cauchy formula, and forming it as a difference of two rounded x would leave it with a relative
// error eps |x| / |X - x| (the quadrature then never settles: measured 50 s for one order-2 table).
inline double x_difference(XScale s, double a, double b) {
  switch (s) {
    case XScale::log: return std::exp(b) * std::expm1(a - b);
    case XScale::asinh: return 2.0 * std::cosh(0.5 * (a + b)) * std::sinh(0.5 * (a - b));
    default: return a - b;
  }
}

// The integrand of the Cauchy formula for repeated integration (antiderivative of order j + 1):
// g(u) (X - x(u))^j / j!, with X = x(uX) a fixed point (a knot or the evaluation point).
struct WeightedIntegrand {
  PieceIntegrand g;
  double uX;
  int j;
  double inv_fact;  // 1 / j!
  double operator()(double u) const {
    const double w = x_difference(g.xs, uX, u);
    double p = inv_fact;
    for (int k = 0; k < j; ++k) p *= w;
    return g(u) * p;
  }
};

// 8-point Gauss-Legendre on [lo, lo + width]; also returns the integral of |g| (scale for the
// tolerance). The width is an argument, not hi - lo: on a short sub-interval far from u = 0 the
// difference of two rounded u loses digits (1e-7 relative for [1e7, 1e7 + 0.01] on a log scale),
// while the width itself can be formed without cancellation (u_difference in scales.hpp).
template <class G>
inline double gauss_legendre8(const G& g, double lo, double width, double* abs_out) {
  static constexpr double node[4] = {0.1834346424956498049394761, 0.5255324099163289858177390,
                                     0.7966664774136267395915539, 0.9602898564975362316835609};
  static constexpr double weight[4] = {0.3626837833783619829651504, 0.3137066458778872873379622,
                                       0.2223810344533744705443560, 0.1012285362903762591525314};
  const double half = 0.5 * width, mid = lo + half;
  double sum = 0.0, asum = 0.0;
  for (int k = 0; k < 4; ++k) {
    const double a = g(mid - half * node[k]), b = g(mid + half * node[k]);
    sum += weight[k] * (a + b);
    asum += weight[k] * (std::fabs(a) + std::fabs(b));
  }
  if (abs_out) *abs_out = asum * std::fabs(half);
  return sum * half;
}

// Bisect until the rule on the two halves agrees with the rule on the whole to tol (or depth runs
// out, or the difference is NaN). Each level multiplies tol by `shrink`: 0.5 keeps it relative to
// each half's share of the integral, 1 keeps one absolute tolerance for every sub-interval.
template <class G>
inline double adaptive_gl8(const G& g, double lo, double width, double whole, double tol, double shrink,
                           int depth) {
  const double half = 0.5 * width;
  const double left = gauss_legendre8(g, lo, half, nullptr);
  const double right = gauss_legendre8(g, lo + half, half, nullptr);
  const double both = left + right;
  const double diff = std::fabs(both - whole);
  if (depth <= 0 || diff <= tol || !(diff == diff)) return both;
  return adaptive_gl8(g, lo, half, left, shrink * tol, shrink, depth - 1) +
         adaptive_gl8(g, lo + half, half, right, shrink * tol, shrink, depth - 1);
}

// Integral of y dx for u in [lo, lo + width] (u = X(x)) using piece c that starts at u0.
inline double integrate_piece(const double* c, double u0, XScale xs, YScale ys, double lo, double width) {
  if (width == 0.0) return 0.0;
  const PieceIntegrand g{c, u0, xs, ys};
  double scale = 0.0;
  const double whole = gauss_legendre8(g, lo, width, &scale);
  if (xs == XScale::linear && ys == YScale::linear) return whole;  // exact for a cubic
  return adaptive_gl8(g, lo, width, whole, 8.0 * 2.220446049250313e-16 * scale, 0.5, 14);
}

// Integral of y(t) (X - t)^j / j! dt for u in [lo, lo + width], X = x(uX). With linear scales the
// integrand is a polynomial of degree 3 + j: the 8-point rule is exact up to j = 12, beyond it the
// adaptive rule runs (and stops at once where the halves agree).
inline double integrate_piece_weighted(const double* c, double u0, XScale xs, YScale ys, double lo, double width,
                                       double uX, int j, double inv_fact) {
  if (width == 0.0) return 0.0;
  const WeightedIntegrand g{PieceIntegrand{c, u0, xs, ys}, uX, j, inv_fact};
  double scale = 0.0;
  const double whole = gauss_legendre8(g, lo, width, &scale);
  if (xs == XScale::linear && ys == YScale::linear && j <= 12) return whole;
  // The weight's j factors add rounding noise of ~(j + 2) eps of the piece's scale: a tolerance
  // below it (halved at each level, as for integrate_piece) would bisect to full depth everywhere
  // (measured: 14 s for an order-5 table). Here the absolute tolerance stays that of the piece.
  return adaptive_gl8(g, lo, width, whole, 16.0 * (j + 2) * 2.220446049250313e-16 * scale, 1.0, 14);
}

}  // namespace splines
}  // namespace numkit
