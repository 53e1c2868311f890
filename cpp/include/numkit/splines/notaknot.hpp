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
// Kernel rules: no heap, no exceptions; the caller provides work (3 n doubles). Requires n >= 2 and
// strictly increasing u.
#pragma once

#include <cstddef>

namespace numkit {
namespace splines {

template <class T>
inline void notaknot_coefficients(std::size_t n, const T* u, const T* v, T* coef, T* work) {
  T* M = work;          // second derivatives, n
  T* diag = work + n;   // Thomas: modified diagonal, n
  T* rhs = work + 2 * n;
  if (n == 2) {
    const T h = u[1] - u[0];
    coef[0] = v[0];
    coef[1] = (v[1] - v[0]) / h;
    coef[2] = T(0);
    coef[3] = T(0);
    return;
  }
  if (n == 3) {
    const T h0 = u[1] - u[0], h1 = u[2] - u[1];
    const T d0 = (v[1] - v[0]) / h0, d1 = (v[2] - v[1]) / h1;
    const T m = T(2) * (d1 - d0) / (h0 + h1);
    M[0] = M[1] = M[2] = m;
  } else {
    const std::size_t last = n - 2;  // last unknown index
    // Row i (1 <= i <= n-2): lower L_i M_{i-1} + D_i M_i + U_i M_{i+1} = R_i.
    auto h = [&](std::size_t i) { return u[i + 1] - u[i]; };
    auto d = [&](std::size_t i) { return (v[i + 1] - v[i]) / h(i); };
    // Forward sweep, computing each row on the fly.
    T prev_upper = T(0);
    for (std::size_t i = 1; i <= last; ++i) {
      const T hl = h(i - 1), hr = h(i);
      T L = hl, D = T(2) * (hl + hr), U = hr;
      const T R = T(6) * (d(i) - d(i - 1));
      if (i == 1) {  // eliminate M_0
        D = (hl + hr) * (hl + T(2) * hr) / hr;
        U = (hr - hl) * (hr + hl) / hr;
        L = T(0);
      }
      if (i == last) {  // eliminate M_{n-1} (n >= 4, so this is never also row 1)
        D = (hl + hr) * (T(2) * hl + hr) / hl;
        L = (hl - hr) * (hl + hr) / hl;
        U = T(0);
      }
      T r = R;
      if (i > 1) {
        const T w = L / diag[i - 1];
        D -= w * prev_upper;
        r -= w * rhs[i - 1];
      }
      diag[i] = D;
      rhs[i] = r;
      prev_upper = U;
      M[i] = U;  // stash the upper coefficient for the back substitution
    }
    // Back substitution (M[i] holds U_i until overwritten).
    M[last] = rhs[last] / diag[last];
    for (std::size_t i = last - 1; i >= 1; --i) {
      M[i] = (rhs[i] - M[i] * M[i + 1]) / diag[i];
      if (i == 1) break;
    }
    const T h0 = h(0), h1 = h(1), p = h(n - 3), q = h(n - 2);
    M[0] = ((h0 + h1) * M[1] - h0 * M[2]) / h1;
    M[n - 1] = ((p + q) * M[n - 2] - q * M[n - 3]) / p;
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const T hi = u[i + 1] - u[i];
    coef[4 * i + 0] = v[i];
    coef[4 * i + 1] = (v[i + 1] - v[i]) / hi - hi * (T(2) * M[i] + M[i + 1]) / T(6);
    coef[4 * i + 2] = M[i] / T(2);
    coef[4 * i + 3] = (M[i + 1] - M[i]) / (T(6) * hi);
  }
}

}  // namespace splines
}  // namespace numkit
