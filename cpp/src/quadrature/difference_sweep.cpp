// src/quadrature/difference_sweep.cpp -- BQ weights, the whitened residuals and log det Q_dd that
// stay accurate when neighbouring node spacings differ a lot (nearly coincident nodes).
//
// The product form h_f - M_f^T (M_d z) multiplies by M twice, and a segment of length delta has
// rows of size delta^-(p + 1/2) whose near-cancellation for smooth states is lost in rounding:
// error ~ eps (max gap / min gap)^(2p + 1). Here nothing is formed as a difference of huge rows:
//  * the data are in the difference basis D: y_0 and d_k = y_{k+1} - y_k, so a segment row reads
//    Bp_0 d_i - (Bp E)_0 y_i with E = A - I summed as a series (no 1 - 1 cancellation);
//  * the unknown derivative states are carried as increments: x_i = x_{i+1} - Delta_i, so the
//    segment row is  Bp A Delta_i - Bp E x_{i+1}  and the carry row R_c x_i = R_c (x_{i+1} - Delta_i);
//  * the QR of [M_d | M_f D] runs block by block (Delta_i eliminated, the leftover rows carried to
//    x_{i+1}), with the data columns riding along (C = Q^T M_f D) and the rows of each block sorted
//    by weight (row-wise backward stability, householder.hpp).
// The adjoint a of the objective h_d^T x is carried forward with the sweep: x_i = x_{i+1} +
// R_DD^-1 (R_Dx x_{i+1} + C_i y) gives v = R_DD^-T a, coefficient += C_i^T v, and
// a_{i+1} = h_{i+1} + a + R_Dx^T v; at the end x_{N-1} = -R_c^-1 C_c y. With g = D^T h_f plus
// those coefficients, w_j = g_j - g_{j+1}. O(N^2 p) work and O(N) memory (the carry rows depend on
// all earlier data). Measured error ~ c_p eps (max gap / min gap)^p (c_p <= 1).
//
// The same QR gives the marginal likelihood's pieces: each block leaves one row with no unknowns
// (the prior block: n rows, q unknowns; a segment block: 2q + 1 rows, 2q unknowns), whose data
// coefficients are a row of W with y^T K^-1 y = |W D y|^2 (N rows, lower triangular), and the
// variable change to increments has unit determinant, so log det Q_dd = 2 sum log |diag R| over
// the R_DD blocks and the final carry. (The product form takes the residuals M X at the solved
// derivative states: rounding of size eps |rows| |X|, the rows' scale ratio^(p + 1/2) times that of
// the data; here they are computed from the differences, error eps |W| |y|.)
#include <cmath>

#include "numkit/quadrature/householder.hpp"
#include "src/quadrature/state_space.hpp"

namespace numkit {
namespace quadrature {

template <class T>
SweepResult difference_sweep(const StateSpaceRows& M, bool with_whitener) {
  constexpr int B = kBlock;
  const int q = M.p, n = M.p + 1;
  const std::size_t N = M.N;
  const std::vector<double>& h = M.h;
  SweepResult out;
  std::vector<T> g(N + 1, 0.0);
  {  // D^T h_f: g_0 = sum h_f, g_{1+k} = sum_{j > k} h_f
    T tail = 0.0;
    for (std::size_t j = N; j-- > 1;) {
      tail += h[j * n];
      g[j] = tail;
    }
    g[0] = tail + h[0];
  }
  if (with_whitener) out.whitener.assign(N * N, 0.0);
  const int ld = 2 * q + static_cast<int>(N);
  std::vector<T> Z(static_cast<std::size_t>(q + n) * ld);
  std::vector<T> carry_c(static_cast<std::size_t>(q) * N);
  T a[B], v[B];
  T cr[B * B] = {};
  double logdet = 0.0;
  for (int r = 0; r < q; ++r) a[r] = h[1 + r];
  // v = R^-T a for an upper-triangular q x q R (row stride `stride`)
  auto solve_rt = [&](const T* R, int stride) {
    for (int r = 0; r < q; ++r) {
      T s = a[r];
      for (int k = 0; k < r; ++k) s -= R[k * stride + r] * v[k];
      v[r] = s / R[r * stride + r];
    }
  };
  {  // prior rows on x_0: unknowns x_{0,d}, data y_0
    const int lp = q + 1;
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < q; ++c) Z[r * lp + c] = at(M.prior, r, c + 1);
      Z[r * lp + q] = at(M.prior, r, 0);
    }
    householder_sorted(Z.data(), lp, n, q, lp);
    for (int r = 0; r < q; ++r) {
      for (int c = 0; c < q; ++c) cr[r * B + c] = Z[r * lp + c];
      carry_c[r * N] = Z[r * lp + q];
    }
    if (with_whitener) out.whitener[0] = static_cast<double>(Z[q * lp + q]);
  }
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const int nd = static_cast<int>(i) + 2;  // data columns y_0, d_0 .. d_i
    const int cols = 2 * q + nd;
    for (int r = 0; r < q; ++r) {  // carry rows: R_c x_i = R_c x_{i+1} - R_c Delta_i
      T* z = &Z[r * ld];
      for (int c = 0; c < q; ++c) {
        z[c] = -cr[r * B + c];
        z[q + c] = cr[r * B + c];
      }
      for (int c = 0; c + 1 < nd; ++c) z[2 * q + c] = carry_c[r * N + c];
      z[2 * q + nd - 1] = 0.0;
    }
    for (int r = 0; r < n; ++r) {  // segment rows: Bp A Delta_i - Bp E x_{i+1} + data
      T* z = &Z[(q + r) * ld];
      for (int c = 0; c < q; ++c) {
        z[c] = -at(M.bm[i], r, c + 1);
        z[q + c] = -static_cast<T>(M.be[i][r * B + c + 1]);
      }
      const T e = -static_cast<T>(M.be[i][r * B]);  // coefficient of y_i = y_0 + d_0 + .. + d_{i-1}
      for (int c = 0; c + 1 < nd; ++c) z[2 * q + c] = e;
      z[2 * q + nd - 1] = at(M.bp[i], r, 0);
    }
    householder_sorted(Z.data(), ld, q + n, 2 * q, cols);
    for (int r = 0; r < q; ++r) logdet += 2.0 * std::log(std::fabs(static_cast<double>(Z[r * ld + r])));
    if (with_whitener)
      for (int c = 0; c < nd; ++c)
        out.whitener[(i + 1) * N + c] = static_cast<double>(Z[2 * q * ld + 2 * q + c]);
    // x_i = x_{i+1} + R_DD^-1 (R_Dx x_{i+1} + C_i y): carry the adjoint a of x_i to x_{i+1}
    solve_rt(Z.data(), ld);
    for (int r = 0; r < q; ++r)
      for (int c = 0; c < nd; ++c) g[c] += Z[r * ld + 2 * q + c] * v[r];
    for (int c = 0; c < q; ++c) {
      T s = a[c] + h[(i + 1) * n + 1 + c];
      for (int r = 0; r < q; ++r) s += Z[r * ld + q + c] * v[r];
      a[c] = s;
    }
    for (int r = 0; r < q; ++r) {
      for (int c = 0; c < q; ++c) cr[r * B + c] = Z[(q + r) * ld + q + c];
      for (int c = 0; c < nd; ++c) carry_c[r * N + c] = Z[(q + r) * ld + 2 * q + c];
    }
  }
  // x_{N-1} = -R_c^-1 C_c y
  solve_rt(cr, B);
  for (int r = 0; r < q; ++r) {
    logdet += 2.0 * std::log(std::fabs(static_cast<double>(cr[r * B + r])));
    for (std::size_t c = 0; c < N; ++c) g[c] -= carry_c[r * N + c] * v[r];
  }
  out.coefficients.resize(N);
  for (std::size_t j = 0; j < N; ++j) out.coefficients[j] = static_cast<double>(g[j] - g[j + 1]);
  out.logdet_qdd = logdet;
  return out;
}

template SweepResult difference_sweep<double>(const StateSpaceRows&, bool);
template SweepResult difference_sweep<Ext>(const StateSpaceRows&, bool);

}  // namespace quadrature
}  // namespace numkit
