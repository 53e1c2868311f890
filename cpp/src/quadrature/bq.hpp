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
  double variance = 0.0;        // posterior variance of the integral, unit kernel amplitude
};

// Which weights algorithm matern_bq uses (numkit.quadrature mirrors this rule for its warning):
// the O(N^2 p) difference-basis sweep for N <= kSweepAlwaysN, and up to kSweepMaxN nodes when the
// largest node gap exceeds kSweepRatio times the smallest, in long double when it exceeds
// kExtendedRatio times; otherwise the O(N p^2) product form.
constexpr std::size_t kSweepAlwaysN = 64, kSweepMaxN = 4000;
constexpr double kSweepRatio = 2.0, kExtendedRatio = 8.0;
enum class WeightsAlgorithm { kProduct, kSweep, kSweepExtended };
WeightsAlgorithm choose_weights_algorithm(const double* nodes, std::size_t N);

// Nodes strictly increasing inside [a, b]; 0 <= p <= 3; lengthscale > 0.
BQResult matern_bq(const double* nodes, std::size_t N, int p, double lengthscale, double a,
                   double b);
// quad[j] = y_j^T K^-1 y_j for the m rows y_j of the row-major (m, N) array Y; returns log det K.
double matern_quadforms(const double* nodes, std::size_t N, int p, double lengthscale,
                        const double* Y, std::size_t m, double* quad);

// W (rows x N, row-major) with y^T K^-1 y = |W y|^2; rows = N (p + 1).
void matern_whitener(const double* nodes, std::size_t N, int p, double lengthscale, double* W);
std::size_t matern_whitener_rows(std::size_t N, int p);

BQResult wiener_bq(const double* nodes, std::size_t N, double offset, double a, double b);
// W (N x N) with y^T K^-1 y = |W y|^2.
void wiener_whitener(const double* nodes, std::size_t N, double offset, double a, double* W);
double wiener_quadforms(const double* nodes, std::size_t N, double offset, double a,
                        const double* Y, std::size_t m, double* quad);

}  // namespace quadrature
}  // namespace numkit
