// src/hamming/fft_blocks.hpp -- the elementwise passes around the FFT engine's transforms (plain
// C++; numkit/hamming/_fft.py). NumPy made the gather of the blocks and the rounding and unpacking
// of the packed correlations ten passes over each batch (~9 of 34 ms at sigma 4, m = 10000,
// n = 1e6); here each is one pass, run without the GIL, so batches in threads overlap.
#pragma once

#include <cstdint>

namespace numkit {
namespace hamming {

// x[r L + i] = weights[codes[r row_step + i]] for r < rows, i < L: overlap-save blocks of a code
// text (rows start row_step codes apart) as one channel group's weights. Returns false if some
// code is >= n_weights (those read the last weight instead: the table is never overrun).
template <class S>
bool block_weights(const S* codes, std::int64_t row_step, std::int64_t rows, std::int64_t L,
                   const double* weights, std::int64_t n_weights, double* x);

// Match counts from packed correlations: for each row r < rows and i in [skip, L) of
// in[r L + i], v = the nearest integer, written to out[r (L - skip) + i - skip] as slot G - 1 of
// b-bit slots (floor(v / 2^(b (G - 1))) mod 2^b; v itself for G = 1). Returns the largest
// |value - v|, the packing's rounding check. The values must lie below 2^51 in magnitude.
double unpack_slots(const double* in, std::int64_t rows, std::int64_t L, std::int64_t skip, int b,
                    int G, double* out);

}  // namespace hamming
}  // namespace numkit
