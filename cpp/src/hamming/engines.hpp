// src/hamming/engines.hpp -- numkit.hamming's compiled engines over dense symbol codes (plain C++).
//
// Symbols are unsigned codes (uint8, uint16 or uint32) made by numkit.hamming's encoder; windows
// are i = 0 .. n - m. Work is split over `workers` std::threads by contiguous ranges of windows,
// and every window's value is computed the same way whatever the split, so results are identical
// for any number of workers.
#pragma once

#include <cstdint>

namespace numkit {
namespace hamming {

// out[i] = #{j : t[i + j] != p[j], neither a wildcard} for i < n - m + 1; with bound >= 0, values
// above bound are written as bound + 1 (k-bounded, early exit per window). wild < 0: no wildcard.
// first: in k-bounded mode, the pattern positions every window is tested on before any test of
// the bound (the caller's estimate from the mismatch rate); 0: 2 (bound + 1).
template <class S, class Out>
void brute_distances(const S* t, std::int64_t n, const S* p, std::int64_t m, std::int64_t wild,
                     std::int64_t bound, std::int64_t first, int workers, Out* out);

// Position-list matches (Abrahamson's rare symbols): for every text position t whose code c has
// rare[c] != 0, and every pattern position j in positions[offsets[c] .. offsets[c + 1]),
// counts[t - j] += 1 when 0 <= t - j < n - m + 1. counts is added to, or with `fresh` written
// (its old values are not read); with total >= 0 each window then holds total - its count (the
// distances, in the same pass: a separate zeroing and subtraction were two more passes over the
// output, ~1 ms of a 7 ms call at n = 1e6). code_of: t holds symbol values v < n_values whose
// codes are code_of[v] (the remap to codes, fused: ~1 ms less at n = 1e6); nullptr: t holds codes.
// by_pattern: text-major (each text position walks its code's list; best when few text
// positions have a listed code) or pattern-major (per tile of windows, the text positions are
// sorted by code and each pattern position walks its code's bucket; ~3x cheaper per increment,
// plus a sort of the text).
template <class S, class Out>
void list_matches(const S* t, std::int64_t n, std::int64_t m, const std::int64_t* offsets,
                  const std::int64_t* positions, const std::uint8_t* rare, std::int64_t n_codes,
                  bool by_pattern, int workers, Out* counts, bool fresh, std::int64_t total,
                  const std::int32_t* code_of = nullptr, std::int64_t n_values = 0);

// out[i] = lut[values[i]]: the alphabet remap of uint8/uint16 inputs (lut covers every value).
template <class In, class Code>
void remap(const In* values, std::int64_t n, const Code* lut, int workers, Code* out);

// counts[lut[values[i]]] += 1 for i = 0, step, 2 step, ... < n (codes >= n_counts are skipped):
// the symbol counts of a strided sample of the text, without materialising its codes.
template <class In, class Code>
void code_counts(const In* values, std::int64_t n, std::int64_t step, const Code* lut,
                 std::int64_t n_counts, std::int64_t* counts);

}  // namespace hamming
}  // namespace numkit
