// src/quadrature/bq.hpp -- Bayesian quadrature on an interval for the Matern-(p + 1/2) and Wiener kernels,
// computed from the state-space (Gauss-Markov) form of the kernel instead of the dense Gram matrix.
// See bq.cpp for the formulation and why it is stable.
#pragma once

#include <cstddef>
#include <vector>

namespace numkit {
namespace quadrature {

struct BQResult {
  std::vector<double> weights;  // integral ~= weights @ y
  double std = 0.0;             // posterior std of the integral, unit kernel amplitude
  // The same std for the amplitude the model works in (1, or 1 / (q mu^(2p + 1)) in the flat
  // limit, see bq.cpp): what multiplies |W y| / sqrt(N) from matern_whitener. O(1) where `std`
  // would underflow (lengthscale >> interval).
  double model_std = 0.0;
};

// y^T K^-1 y = |W y|^2 (model amplitude): W is rows x N, row-major. In the difference basis
// (difference_basis: W acts on (y_0, y_1 - y_0, ..., y_{N-1} - y_{N-2}), lower triangular N x N)
// where the weights come from the difference-basis sweep, and always for the Wiener kernel (there
// diagonal), else on y itself (rows = N (p + 1)).
struct Whitener {
  std::vector<double> matrix;
  std::size_t rows = 0;
  bool difference_basis = false;
};

// y_j^T K^-1 y_j for each integrand and log det K, both for the model amplitude (the profiled
// likelihood does not depend on it).
struct Quadforms {
  std::vector<double> quad;
  double logdet = 0.0;
};

// lengthscale / interval above which the model runs in the flat-limit time unit (bq.cpp).
constexpr double kFlatRate = 1e-3;

// Which weights algorithm matern_bq uses (numkit.quadrature mirrors this rule for its warning):
// the O(N^2 p) difference-basis sweep for N <= kSweepAlwaysN, and up to kSweepMaxN nodes when the
// largest node gap exceeds kSweepRatio times the smallest, in long double when it exceeds
// kExtendedRatio times; otherwise the O(N p^2) product form.
constexpr std::size_t kSweepAlwaysN = 64, kSweepMaxN = 4000;
constexpr double kSweepRatio = 2.0, kExtendedRatio = 8.0;
enum class WeightsAlgorithm { kProduct, kSweep, kSweepExtended };
WeightsAlgorithm choose_weights_algorithm(const double* nodes, std::size_t N);

// Nodes strictly increasing inside [a, b]; 0 <= p <= 3; lengthscale > 0. Throws
// std::invalid_argument for nodes too close to be resolved (gap below ~1e-40 of the time unit).
BQResult matern_bq(const double* nodes, std::size_t N, int p, double lengthscale, double a,
                   double b);
// For the m rows of the row-major (m, N) array Y.
Quadforms matern_quadforms(const double* nodes, std::size_t N, int p, double lengthscale,
                           double a, double b, const double* Y, std::size_t m);
Whitener matern_whitener(const double* nodes, std::size_t N, int p, double lengthscale, double a,
                         double b);

BQResult wiener_bq(const double* nodes, std::size_t N, double offset, double a, double b);
Whitener wiener_whitener(const double* nodes, std::size_t N, double offset, double a);
Quadforms wiener_quadforms(const double* nodes, std::size_t N, double offset, double a,
                           const double* Y, std::size_t m);

}  // namespace quadrature
}  // namespace numkit
