// src/quadrature/state_space.hpp -- the whitened rows of the Matern-(p + 1/2) state-space model
// (built by MaternModel in bq.cpp, consumed by the difference-basis sweep in difference_sweep.cpp).
//
// With the states X = (x_0..x_{N-1}), x_i = (f, f', ..., f^(p)) at node i in the model's time unit,
// the prior precision is M^T M with rows  prior x_0  and  bm[i] x_i + bp[i] x_{i+1}  per segment,
// and E[integral | X] = h . X.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "numkit/quadrature/kernel_integrals.hpp"

namespace numkit {
namespace quadrature {

constexpr int kBlock = kMaxOrder + 1;  // largest state dimension
using Block = std::array<double, kBlock * kBlock>;
// Extended precision (x87, 64-bit significand) for the sweep and Bp (A - I): with double there the
// weights next to a close node pair lose ~ eps ratio^p; long double takes that loss down by its
// 2^11 finer rounding (measured: Matern-7/2, ratio 1250, 1.6e-8 -> 6e-12).
using Ext = long double;
using ExtBlock = std::array<Ext, kBlock * kBlock>;

inline double& at(Block& m, int i, int j) { return m[i * kBlock + j]; }
inline double at(const Block& m, int i, int j) { return m[i * kBlock + j]; }

struct StateSpaceRows {
  int p = 0;                  // Matern order
  std::size_t N = 0;          // nodes
  std::vector<double> h;      // E[integral | X] = h . X, N (p + 1) entries
  Block prior{};              // rows on x_0 (L_inf^-1 in the model's units)
  std::vector<Block> bm, bp;  // rows of segment i: bm[i] x_i + bp[i] x_{i+1}
  std::vector<ExtBlock> be;   // bp[i] (A_i - I), without cancellation
};

struct SweepResult {
  std::vector<double> coefficients;  // E[integral | y] = coefficients . y (model time unit)
  std::vector<double> whitener;      // N x N row-major, difference basis: y^T K^-1 y = |W D y|^2
  double logdet_qdd = 0.0;           // log det of the derivative precision Q_dd
};

// The difference-basis QR sweep (see difference_sweep.cpp); T = double or Ext. p >= 1.
template <class T>
SweepResult difference_sweep(const StateSpaceRows& rows, bool with_whitener);

}  // namespace quadrature
}  // namespace numkit
