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

// Householder QR of the first `elim` columns of Z (rows x cols, row-major, row stride ld), applied
// to all `cols` columns (trailing columns carry right-hand sides): Z becomes Q^T Z, upper
// triangular in its first `elim` columns. Diagonal signs are not normalized.
NUMKIT_HOST_DEVICE inline void householder_qr(double* Z, int ld, int rows, int elim, int cols) {
  for (int j = 0; j < elim && j < rows; ++j) {
    double big = 0.0;  // scaled 2-norm: no overflow/underflow, and 10x cheaper than hypot
    for (int i = j; i < rows; ++i) big = math::fmax(big, math::fabs(Z[i * ld + j]));
    if (big == 0.0) continue;
    const double inv = 1.0 / big;
    double ss = 0.0;
    for (int i = j; i < rows; ++i) ss += (Z[i * ld + j] * inv) * (Z[i * ld + j] * inv);
    const double norm = big * math::sqrt(ss);
    const double alpha = Z[j * ld + j] > 0 ? -norm : norm;
    // v = x - alpha e_1 stored in place; H = I - 2 v v^T / (v^T v)
    Z[j * ld + j] -= alpha;
    double vtv = 0.0;
    for (int i = j; i < rows; ++i) vtv += Z[i * ld + j] * Z[i * ld + j];
    const double two_over_vtv = 2.0 / vtv;
    for (int k = j + 1; k < cols; ++k) {
      double dot = 0.0;
      for (int i = j; i < rows; ++i) dot += Z[i * ld + j] * Z[i * ld + k];
      const double f = dot * two_over_vtv;
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
inline void householder_sorted(double* Z, int ld, int rows, int elim, int cols) {
  constexpr int kMaxSort = 16;
  if (rows <= kMaxSort) {
    double key[kMaxSort];
    for (int i = 0; i < rows; ++i) {
      double m = 0.0;
      for (int j = 0; j < elim; ++j) m = math::fmax(m, math::fabs(Z[i * ld + j]));
      key[i] = m;
    }
    for (int i = 1; i < rows; ++i)  // insertion sort of whole rows, descending key
      for (int k = i; k > 0 && key[k] > key[k - 1]; --k) {
        const double t = key[k];
        key[k] = key[k - 1];
        key[k - 1] = t;
        for (int j = 0; j < cols; ++j) {
          const double u = Z[k * ld + j];
          Z[k * ld + j] = Z[(k - 1) * ld + j];
          Z[(k - 1) * ld + j] = u;
        }
      }
  }
  householder_qr(Z, ld, rows, elim, cols);
}

}  // namespace quadrature
}  // namespace numkit
