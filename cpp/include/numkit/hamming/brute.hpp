// numkit/hamming/brute.hpp -- the Hamming distance of one text window to a pattern, host/device.
//
// H[i] = #{j < m : T[i+j] != P[j]} over dense symbol codes (numkit.hamming remaps any alphabet to
// 0..A-1 first). With a wildcard code W (has_wild), a position where T[i+j] == W or P[j] == W
// matches. `bound` gives the k-bounded form: the count stops as soon as it exceeds bound (the
// caller reports bound + 1), so a window that mismatches early costs O(bound), not O(m).
//
// This is the per-window kernel: one GPU thread per window (or a warp per window for large m)
// later, and on the CPU the tail of the k-bounded search, where only a few windows survive. The
// CPU's exact engine is the blocked form in cpu/blocked.hpp (counters for a tile of windows, the
// loop over windows innermost), which vectorizes; this loop over j does not need to.
#pragma once

#include "numkit/config.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstdint>
#endif

namespace numkit {
namespace hamming {

// Mismatches of the window t[0 .. m) against p[0 .. m); counting stops once it exceeds `bound`.
template <class S>
NUMKIT_HOST_DEVICE inline std::int64_t window_distance(const S* t, const S* p, std::int64_t m,
                                                       bool has_wild, S wild,
                                                       std::int64_t bound) {
  std::int64_t count = 0;
  for (std::int64_t j = 0; j < m; ++j) {
    const S a = t[j], b = p[j];
    const bool mismatch = (a != b) && !(has_wild && (a == wild || b == wild));
    count += mismatch ? 1 : 0;
    if (count > bound) return count;
  }
  return count;
}

}  // namespace hamming
}  // namespace numkit
