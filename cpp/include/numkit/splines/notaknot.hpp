// numkit/splines/notaknot.hpp -- coefficients of the not-a-knot cubic spline through (u_i, v_i).
//
// Math (second-derivative form, M_i = s''(u_i), h_i = u_{i+1} - u_i, d_i = (v_{i+1} - v_i) / h_i):
//   interior rows  h_{i-1} M_{i-1} + 2 (h_{i-1} + h_i) M_i + h_i M_{i+1} = 6 (d_i - d_{i-1}),
//   not-a-knot     s''' continuous at u_1 and u_{n-2}:
//                  M_0 = ((h_0 + h_1) M_1 - h_0 M_2) / h_1, and the mirror image at the right end.
// Eliminating M_0 and M_{n-1} leaves a tridiagonal system in M_1 .. M_{n-2}; its first row is
//   (h_0 + h_1)(h_0 + 2 h_1)/h_1 * M_1 + (h_1^2 - h_0^2)/h_1 * M_2 = rhs_1,
// strictly diagonally dominant for any positive h_0, h_1 (likewise the last row), so the Thomas
// algorithm without pivoting is stable. Small cases, as scipy.interpolate.CubicSpline does them:
//   n = 2: the straight line; n = 3: the parabola through the three points; n = 4: the single
//   cubic through the four points (falls out of the general formula).
// Output: coef[4 i + k], the power-basis coefficients of piece i in t = u - u_i:
//   s(u) = c0 + t (c1 + t (c2 + t c3)).
// Kernel rules: no heap, no exceptions; the caller provides work (5 n doubles). Requires n >= 2 and
// strictly increasing u.
#pragma once

#include <cstddef>

namespace numkit {
namespace splines {

template <class T>
inline void notaknot_coefficients(std::size_t n, const T* u, const T* v, T* coef, T* work) {
  // work: M (n) | inverse pivots (n) | rhs (n) | h (n) | slopes d (n): one division per interval
  // for the slopes and one per row for the pivot, the rest multiplications.
  T* M = work;
  T* inv_piv = work + n;
  T* rhs = work + 2 * n;
  T* h = work + 3 * n;
  T* d = work + 4 * n;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    h[i] = u[i + 1] - u[i];
    const T inv = T(1) / h[i];
    d[i] = (v[i + 1] - v[i]) * inv;
    coef[4 * i + 3] = inv;  // stash 1/h for the coefficient loop
  }
  if (n == 2) {
    M[0] = M[1] = T(0);
  } else if (n == 3) {
    M[0] = M[1] = M[2] = T(2) * (d[1] - d[0]) / (h[0] + h[1]);
  } else {
    const std::size_t last = n - 2;  // unknowns M_1 .. M_{n-2}
    // Row i: L M_{i-1} + D M_i + U M_{i+1} = 6 (d_i - d_{i-1}). The end rows (M_0 and M_{n-1}
    // eliminated) are peeled off so that the loop carries a single division. The upper coefficient
    // U_i is kept in M[i] until the back substitution overwrites it.
    {
      const T hl = h[0], hr = h[1];
      inv_piv[1] = hr / ((hl + hr) * (hl + T(2) * hr));
      M[1] = (hr - hl) * (hr + hl) / hr;
      rhs[1] = T(6) * (d[1] - d[0]);
    }
    for (std::size_t i = 2; i < last; ++i) {
      const T hl = h[i - 1], hr = h[i];
      const T w = hl * inv_piv[i - 1];
      inv_piv[i] = T(1) / (T(2) * (hl + hr) - w * M[i - 1]);
      rhs[i] = T(6) * (d[i] - d[i - 1]) - w * rhs[i - 1];
      M[i] = hr;
    }
    {
      const T hl = h[last - 1], hr = h[last];
      const T L = (hl - hr) * (hl + hr) / hl;
      const T w = L * inv_piv[last - 1];
      inv_piv[last] = T(1) / ((hl + hr) * (T(2) * hl + hr) / hl - w * M[last - 1]);
      rhs[last] = T(6) * (d[last] - d[last - 1]) - w * rhs[last - 1];
      M[last] = T(0);
    }
    M[last] = rhs[last] * inv_piv[last];
    for (std::size_t i = last - 1; i >= 1; --i) {
      M[i] = (rhs[i] - M[i] * M[i + 1]) * inv_piv[i];
      if (i == 1) break;
    }
    M[0] = ((h[0] + h[1]) * M[1] - h[0] * M[2]) / h[1];
    const T p = h[n - 3], q = h[n - 2];
    M[n - 1] = ((p + q) * M[n - 2] - q * M[n - 3]) / p;
  }
  const T sixth = T(1) / T(6);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const T inv = coef[4 * i + 3];
    coef[4 * i + 0] = v[i];
    coef[4 * i + 1] = d[i] - h[i] * (T(2) * M[i] + M[i + 1]) * sixth;
    coef[4 * i + 2] = M[i] * T(0.5);
    coef[4 * i + 3] = (M[i + 1] - M[i]) * sixth * inv;
  }
}

}  // namespace splines
}  // namespace numkit
