// numkit/quadrature/householder.hpp -- Householder QR of a small dense matrix, in place.
//
// Used for the square-root forms of Bayesian quadrature (transition covariances, the derivative
// precision): Householder QR is column-wise backward stable (Golub & Van Loan, sec. 5.2), so each
// column (state component) keeps its relative accuracy whatever the scale of the others, and a
// Gram matrix Z^T Z = R^T R is factored without being formed (no squared condition number).
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace quadrature {

NUMKIT_HOST_DEVICE inline double hh_abs(double x) { return math::fabs(x); }
NUMKIT_HOST_DEVICE inline double hh_sqrt(double x) { return math::sqrt(x); }
inline long double hh_abs(long double x) { return std::fabs(x); }  // host only: x87 extended
inline long double hh_sqrt(long double x) { return std::sqrt(x); }

// Householder QR of the first `elim` columns of Z (rows x cols, row-major, row stride ld), applied
// to all `cols` columns (trailing columns carry right-hand sides): Z becomes Q^T Z, upper
// triangular in its first `elim` columns. Diagonal signs are not normalized. T = double, or long
// double on the host.
template <class T>
NUMKIT_HOST_DEVICE inline void householder_qr(T* Z, int ld, int rows, int elim, int cols) {
  for (int j = 0; j < elim && j < rows; ++j) {
    T big = 0.0;  // scaled 2-norm: no overflow/underflow, and 10x cheaper than hypot
    for (int i = j; i < rows; ++i) {
      const T e = hh_abs(Z[i * ld + j]);
      big = e > big ? e : big;
    }
    if (big == 0.0) continue;
    const T inv = 1 / big;
    T ss = 0.0;
    for (int i = j; i < rows; ++i) ss += (Z[i * ld + j] * inv) * (Z[i * ld + j] * inv);
    const T norm = big * hh_sqrt(ss);
    const T alpha = Z[j * ld + j] > 0 ? -norm : norm;
    // v = x - alpha e_1 stored in place; H = I - 2 v v^T / (v^T v)
    Z[j * ld + j] -= alpha;
    T vtv = 0.0;
    for (int i = j; i < rows; ++i) vtv += Z[i * ld + j] * Z[i * ld + j];
    if (!(vtv > T(1e-200))) {
      // v^T v would lose digits to underflow (a column of size < 1e-100: the prior rows in the
      // flat limit). H does not depend on the scale of v: take v / norm, v^T v in [2, 4].
      vtv = 0.0;
      for (int i = j; i < rows; ++i) {
        Z[i * ld + j] /= norm;
        vtv += Z[i * ld + j] * Z[i * ld + j];
      }
    }
    const T two_over_vtv = 2 / vtv;
    for (int k = j + 1; k < cols; ++k) {
      T dot = 0.0;
      for (int i = j; i < rows; ++i) dot += Z[i * ld + j] * Z[i * ld + k];
      const T f = dot * two_over_vtv;
      for (int i = j; i < rows; ++i) Z[i * ld + k] -= f * Z[i * ld + j];
    }
    Z[j * ld + j] = alpha;
    for (int i = j + 1; i < rows; ++i) Z[i * ld + j] = 0.0;
  }
}

// The upper triangle of the leading `cols` columns of Z (rows x cols, row stride C) becomes R with
// Z^T Z = R^T R; entries below the diagonal are zeroed. Diagonal signs are not normalized.
template <int C>
NUMKIT_HOST_DEVICE inline void householder_r(double (*Z)[C], int rows, int cols) {
  householder_qr(&Z[0][0], C, rows, cols, cols);
}

// householder_qr with the rows first sorted by decreasing largest entry in the eliminated columns
// (Powell & Reid 1969; Cox & Higham, BIT 38, 1998): in that order Householder QR is backward stable
// row by row, so rows of very different weight (a whitened segment between nearly coincident
// nodes next to ordinary ones) each keep their relative accuracy. Measured on BQ weights with a
// close node pair: without the sort the error grows one power of the spacing ratio faster.
// At most 16 rows are sorted.
template <class T>
inline void householder_sorted(T* Z, int ld, int rows, int elim, int cols) {
  constexpr int kMaxSort = 16;
  if (rows <= kMaxSort) {
    T key[kMaxSort];
    for (int i = 0; i < rows; ++i) {
      T m = 0.0;
      for (int j = 0; j < elim; ++j) {
        const T e = hh_abs(Z[i * ld + j]);
        m = e > m ? e : m;
      }
      key[i] = m;
    }
    for (int i = 1; i < rows; ++i)  // insertion sort of whole rows, descending key
      for (int k = i; k > 0 && key[k] > key[k - 1]; --k) {
        const T t = key[k];
        key[k] = key[k - 1];
        key[k - 1] = t;
        for (int j = 0; j < cols; ++j) {
          const T u = Z[k * ld + j];
          Z[k * ld + j] = Z[(k - 1) * ld + j];
          Z[(k - 1) * ld + j] = u;
        }
      }
  }
  householder_qr(Z, ld, rows, elim, cols);
}

}  // namespace quadrature
}  // namespace numkit
