// src/hamming/fft_blocks.cpp -- see fft_blocks.hpp.
#include "src/hamming/fft_blocks.hpp"

#include <algorithm>
#include <cmath>

#include "numkit/simd/attributes.hpp"

namespace numkit {
namespace hamming {

template <class S>
bool block_weights(const S* codes, std::int64_t row_step, std::int64_t rows, std::int64_t L,
                   const double* weights, std::int64_t n_weights, double* x) {
  const std::int64_t last = n_weights - 1;
  bool in_range = true;
  for (std::int64_t r = 0; r < rows; ++r) {
    const S* __restrict c = codes + r * row_step;
    double* __restrict o = x + r * L;
    for (std::int64_t i = 0; i < L; ++i) {
      const std::int64_t k = static_cast<std::int64_t>(c[i]);
      in_range &= k <= last;
      o[i] = weights[std::min(k, last)];
    }
  }
  return in_range;
}

#define NUMKIT_BLOCK_WEIGHTS(S)                                                                 \
  template bool block_weights<S>(const S*, std::int64_t, std::int64_t, std::int64_t,          \
                                 const double*, std::int64_t, double*);
NUMKIT_BLOCK_WEIGHTS(std::uint8_t)
NUMKIT_BLOCK_WEIGHTS(std::uint16_t)
NUMKIT_BLOCK_WEIGHTS(std::uint32_t)
#undef NUMKIT_BLOCK_WEIGHTS

NUMKIT_CLONES double unpack_slots(const double* in, std::int64_t rows, std::int64_t L,
                                  std::int64_t skip, int b, int G, double* out) {
  // Round to the nearest integer by adding and removing 2^52 (exact below 2^51, vectorizes
  // without SSE4.1's round instruction); the slots are then integer shifts.
  constexpr double kShift = 4503599627370496.0;  // 2^52
  const int shift = b * (G - 1);
  const std::int64_t mask = (std::int64_t(1) << b) - 1;
  const std::int64_t width = L - skip;
  double err = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const double* __restrict x = in + r * L + skip;
    double* __restrict o = out + r * width;
    if (G == 1) {
#pragma omp simd reduction(max : err)
      for (std::int64_t i = 0; i < width; ++i) {
        const double v = (x[i] + kShift) - kShift;
        err = std::fmax(err, std::fabs(x[i] - v));
        o[i] = v;
      }
    } else {
#pragma omp simd reduction(max : err)
      for (std::int64_t i = 0; i < width; ++i) {
        const double v = (x[i] + kShift) - kShift;
        err = std::fmax(err, std::fabs(x[i] - v));
        o[i] = static_cast<double>((static_cast<std::int64_t>(v) >> shift) & mask);
      }
    }
  }
  return err;
}

}  // namespace hamming
}  // namespace numkit
