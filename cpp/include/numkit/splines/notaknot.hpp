// numkit/splines/notaknot.hpp -- coefficients of the not-a-knot cubic spline through (u_i, v_i).
//
// Math (second-derivative form, M_i = s''(u_i), h_i = u_{i+1} - u_i, d_i = (v_{i+1} - v_i) / h_i):
//   interior rows  h_{i-1} M_{i-1} + 2 (h_{i-1} + h_i) M_i + h_i M_{i+1} = 6 (d_i - d_{i-1}),
//   not-a-knot     s''' continuous at u_1 and u_{n-2}:
//                  M_0 = ((h_0 + h_1) M_1 - h_0 M_2) / h_1, and the mirror image at the right end.
// Eliminating M_0 and M_{n-1} leaves a tridiagonal system in M_1 .. M_{n-2}; its first row is
//   (h_0 + h_1)(h_0 + 2 h_1)/h_1 * M_1 + (h_1^2 - h_0^2)/h_1 * M_2 = rhs_1,
// strictly diagonally dominant for any positive h_0, h_1 (likewise the last row), so elimination
// without pivoting is stable. Small cases, as scipy.interpolate.CubicSpline does them:
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
    // Unknowns M_1 .. M_N (N = n - 2). Row r: L_r M_{r-1} + D_r M_r + U_r M_{r+1} = R_r with
    // L = h_{r-1}, D = 2 (h_{r-1} + h_r), U = h_r, R = 6 (d_r - d_{r-1}), except the end rows
    // (M_0 and M_{n-1} eliminated). Two-sided (twisted) elimination: rows 1..k from the top and
    // N..k+1 from the bottom in one loop, two independent dependency chains (each carries a
    // division), which halves the solve's latency; a 2x2 system joins them at rows k, k+1, and
    // the back substitution runs outwards from there. Stable for the same reason as Thomas
    // (strict diagonal dominance). The coupling coefficient (U_r in the top half, L_r in the
    // bottom half) waits in M[r] until the substitution overwrites it.
    const std::size_t N = n - 2, k = N / 2;
    {
      const T hl = h[0], hr = h[1];
      inv_piv[1] = hr / ((hl + hr) * (hl + T(2) * hr));
      M[1] = (hr - hl) * (hr + hl) / hr;
      rhs[1] = T(6) * (d[1] - d[0]);
    }
    {
      const T hl = h[N - 1], hr = h[N];
      inv_piv[N] = hl / ((hl + hr) * (T(2) * hl + hr));
      M[N] = (hl - hr) * (hl + hr) / hl;
      rhs[N] = T(6) * (d[N] - d[N - 1]);
    }
    // Top rows r = 2..k and bottom rows q = N-1..k+1 (N - 1 - k >= k - 1 such rows).
    std::size_t r = 2, q = N - 1;
    for (; r <= k; ++r, --q) {
      const T wt = h[r - 1] * inv_piv[r - 1];
      const T wb = h[q] * inv_piv[q + 1];
      inv_piv[r] = T(1) / (T(2) * (h[r - 1] + h[r]) - wt * M[r - 1]);
      inv_piv[q] = T(1) / (T(2) * (h[q - 1] + h[q]) - wb * M[q + 1]);
      rhs[r] = T(6) * (d[r] - d[r - 1]) - wt * rhs[r - 1];
      rhs[q] = T(6) * (d[q] - d[q - 1]) - wb * rhs[q + 1];
      M[r] = h[r];
      M[q] = h[q - 1];
    }
    if (q > k) {  // N odd: one bottom row left
      const T wb = h[q] * inv_piv[q + 1];
      inv_piv[q] = T(1) / (T(2) * (h[q - 1] + h[q]) - wb * M[q + 1]);
      rhs[q] = T(6) * (d[q] - d[q - 1]) - wb * rhs[q + 1];
      M[q] = h[q - 1];
    }
    // Rows k and k+1 now read M_k + a M_{k+1} = fa and b M_k + M_{k+1} = gb.
    {
      const T a = M[k] * inv_piv[k], fa = rhs[k] * inv_piv[k];
      const T b = M[k + 1] * inv_piv[k + 1], gb = rhs[k + 1] * inv_piv[k + 1];
      M[k] = (fa - a * gb) / (T(1) - a * b);
      M[k + 1] = gb - b * M[k];
    }
    // Outwards: M_r = (rhs_r - U_r M_{r+1}) / p_r above, M_q = (rhs_q - L_q M_{q-1}) / p_q below.
    std::size_t top = k - 1, bottom = k + 2;
    for (; top >= 1 && bottom <= N; --top, ++bottom) {
      M[top] = (rhs[top] - M[top] * M[top + 1]) * inv_piv[top];
      M[bottom] = (rhs[bottom] - M[bottom] * M[bottom - 1]) * inv_piv[bottom];
    }
    if (bottom <= N) M[bottom] = (rhs[bottom] - M[bottom] * M[bottom - 1]) * inv_piv[bottom];
    M[0] = ((h[0] + h[1]) * M[1] - h[0] * M[2]) / h[1];
    const T p = h[n - 3], qq = h[n - 2];
    M[n - 1] = ((p + qq) * M[n - 2] - qq * M[n - 3]) / p;
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
