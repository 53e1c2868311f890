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

// The upper triangle of the leading `cols` columns of Z (rows x cols, row stride C) becomes R with
// Z^T Z = R^T R; entries below the diagonal are zeroed. Diagonal signs are not normalized.
template <int C>
NUMKIT_HOST_DEVICE inline void householder_r(double (*Z)[C], int rows, int cols) {
  for (int j = 0; j < cols && j < rows; ++j) {
    double big = 0.0;  // scaled 2-norm: no overflow/underflow, and 10x cheaper than hypot
    for (int i = j; i < rows; ++i) big = math::fmax(big, math::fabs(Z[i][j]));
    if (big == 0.0) continue;
    const double inv = 1.0 / big;
    double ss = 0.0;
    for (int i = j; i < rows; ++i) ss += (Z[i][j] * inv) * (Z[i][j] * inv);
    const double norm = big * math::sqrt(ss);
    const double alpha = Z[j][j] > 0 ? -norm : norm;
    // v = x - alpha e_1 stored in place; H = I - 2 v v^T / (v^T v)
    Z[j][j] -= alpha;
    double vtv = 0.0;
    for (int i = j; i < rows; ++i) vtv += Z[i][j] * Z[i][j];
    const double two_over_vtv = 2.0 / vtv;
    for (int k = j + 1; k < cols; ++k) {
      double dot = 0.0;
      for (int i = j; i < rows; ++i) dot += Z[i][j] * Z[i][k];
      const double f = dot * two_over_vtv;
      for (int i = j; i < rows; ++i) Z[i][k] -= f * Z[i][j];
    }
    Z[j][j] = alpha;
    for (int i = j + 1; i < rows; ++i) Z[i][j] = 0.0;
  }
}

}  // namespace quadrature
}  // namespace numkit
