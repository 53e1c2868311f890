// numkit/splines/scales.hpp -- the coordinates an adaptive spline is fitted in, and the chain rule
// back to the user's (x, y).
//
// The spline s is a cubic in u = X(x) fitting v = Y(y):
//   x_scale  linear: u = x         log: u = ln x          asinh: u = asinh x
//   y_scale  linear: v = y         log: v = ln y
// so y(x) = Y^{-1}(s(X(x))). Derivatives with respect to x follow from Faa di Bruno's formula to
// third order. With g = s o X (g_k = d^k g / dx^k, s_k = d^k s / du^k, X_k = d^k X / dx^k):
//   g_1 = s_1 X_1,  g_2 = s_2 X_1^2 + s_1 X_2,  g_3 = s_3 X_1^3 + 3 s_2 X_1 X_2 + s_1 X_3,
// and for y = exp(g):  y_1 = y g_1,  y_2 = y (g_2 + g_1^2),  y_3 = y (g_3 + 3 g_1 g_2 + g_1^3).
// X_k: log: 1/x, -1/x^2, 2/x^3;  asinh: r, -x r^3, (2x^2 - 1) r^5 with r = (1 + x^2)^{-1/2}
// (evaluated as -(x r) r^2 and (2 (x r)^2 - r^2) r^3, which cannot overflow).
// Integration over x is done in u: dx = dx/du du, with dx/du = 1, e^u, cosh u.
#pragma once

#include <cmath>

namespace numkit {
namespace splines {

enum class XScale : int { linear = 0, log = 1, asinh = 2 };
enum class YScale : int { linear = 0, log = 1 };

inline double to_u(XScale s, double x) {
  switch (s) {
    case XScale::log: return std::log(x);
    case XScale::asinh: return std::asinh(x);
    default: return x;
  }
}

inline double from_u(XScale s, double u) {
  switch (s) {
    case XScale::log: return std::exp(u);
    case XScale::asinh: return std::sinh(u);
    default: return u;
  }
}

// X(x1) - X(x0) for x0 <= x1 without the cancellation of two rounded u: the width of a short
// sub-interval far from u = 0 (log: ln(1e7 + 0.01) - ln(1e7) has relative error ~ eps 16 / 1e-9).
//   log:   ln(x1 / x0) = log1p((x1 - x0) / x0) when x1 <= 2 x0 (x1 - x0 exact), else ln x1 - ln x0;
//   asinh: for 0 < p <= q, asinh q - asinh p = asinh(q sqrt(1 + p^2) - p sqrt(1 + q^2))
//          = asinh((q - p)(1 + p/q) / (sqrt(1 + p^2) + (p/q) sqrt(1 + q^2))) (sinh of a difference),
//          mirrored for negative ends; ends of opposite signs do not cancel.
inline double u_difference(XScale s, double x0, double x1) {
  switch (s) {
    case XScale::log:
      return x1 <= 2.0 * x0 ? std::log1p((x1 - x0) / x0) : std::log(x1) - std::log(x0);
    case XScale::asinh: {
      if (!(x0 * x1 > 0.0)) return std::asinh(x1) - std::asinh(x0);
      const double p = x0 > 0.0 ? x0 : -x1, q = x0 > 0.0 ? x1 : -x0, r = p / q;
      return std::asinh((q - p) * (1.0 + r) / (std::hypot(1.0, p) + r * std::hypot(1.0, q)));
    }
    default: return x1 - x0;
  }
}

// ln(dx/du) for the integrand exp(v + ln dx/du) (log y) and dx/du itself (linear y).
inline double dxdu(XScale s, double u) {
  switch (s) {
    case XScale::log: return std::exp(u);
    case XScale::asinh: return std::cosh(u);
    default: return 1.0;
  }
}

// Piece of the cubic: value and derivatives in t = u - u_i.
struct CubicDerivs {
  double s0, s1, s2, s3;
};

inline double cubic_value(const double* c, double t) { return c[0] + t * (c[1] + t * (c[2] + t * c[3])); }

inline CubicDerivs cubic_derivs(const double* c, double t) {
  return {c[0] + t * (c[1] + t * (c[2] + t * c[3])), c[1] + t * (2.0 * c[2] + 3.0 * t * c[3]),
          2.0 * c[2] + 6.0 * t * c[3], 6.0 * c[3]};
}

// d^nu y / dx^nu at x (u = X(x)), 0 <= nu <= 3, from the derivatives of the cubic in u.
inline double chain_rule(XScale xs, YScale ys, int nu, double x, const CubicDerivs& s) {
  double g0 = s.s0, g1 = s.s1, g2 = s.s2, g3 = s.s3;
  if (nu > 0 && xs != XScale::linear) {
    double X1, X2, X3;
    if (xs == XScale::log) {
      X1 = 1.0 / x;
      X2 = -X1 * X1;
      X3 = -2.0 * X2 * X1;
    } else {
      // r = (1 + x^2)^{-1/2} through hypot and x r in [-1, 1]: x^2 overflowed for
      // |x| > 1.3e154 (X1 = 0 instead of 1/|x|, and inf / nan in X3 from 9.5e153 on).
      const double r = 1.0 / std::hypot(1.0, x);
      const double xr = x * r;
      X1 = r;
      X2 = -xr * r * r;
      X3 = (2.0 * xr * xr - r * r) * r * r * r;
    }
    g3 = s.s3 * X1 * X1 * X1 + 3.0 * s.s2 * X1 * X2 + s.s1 * X3;
    g2 = s.s2 * X1 * X1 + s.s1 * X2;
    g1 = s.s1 * X1;
  }
  if (ys == YScale::linear) {
    switch (nu) {
      case 0: return g0;
      case 1: return g1;
      case 2: return g2;
      default: return g3;
    }
  }
  const double y = std::exp(g0);
  switch (nu) {
    case 0: return y;
    case 1: return y * g1;
    case 2: return y * (g2 + g1 * g1);
    default: return y * (g3 + 3.0 * g1 * g2 + g1 * g1 * g1);
  }
}

}  // namespace splines
}  // namespace numkit
