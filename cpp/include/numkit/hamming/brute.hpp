// numkit/hamming/brute.hpp -- the Hamming distance of one text window to a pattern, host/device.
//
// H[i] = #{j < m : T[i+j] != P[j]} over dense symbol codes (numkit.hamming remaps any alphabet to
// 0..A-1 first). With a wildcard code W (has_wild), a position where T[i+j] == W or P[j] == W
// matches. `bound` gives the k-bounded form: the count stops as soon as it exceeds bound (the
// caller reports bound + 1), so a window that mismatches early costs O(bound), not O(m).
//
// `mismatch` is what the GPU's tiles (cpp/cuda/hamming.cu) and `window_distance` count; the CPU's
// blocked brute force (cpu/blocked.hpp) inlines the same rule with the pattern's wildcard
// positions dropped beforehand, so its vector loops test only the text symbol.
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace hamming {

// Whether text symbol a and pattern symbol b count as a mismatch (the wildcard matches anything).
template <class S>
NUMKIT_HOST_DEVICE inline bool mismatch(S a, S b, bool has_wild, S wild) {
  return (a != b) && !(has_wild && (a == wild || b == wild));
}

// Mismatches of the window t[0 .. m) against p[0 .. m); counting stops once it exceeds `bound`.
template <class S>
NUMKIT_HOST_DEVICE inline nstd::int64_t window_distance(const S* t, const S* p, nstd::int64_t m,
                                                        bool has_wild, S wild,
                                                        nstd::int64_t bound) {
  nstd::int64_t count = 0;
  for (nstd::int64_t j = 0; j < m; ++j) {
    count += mismatch(t[j], p[j], has_wild, wild) ? 1 : 0;
    if (count > bound) return count;
  }
  return count;
}

}  // namespace hamming
}  // namespace numkit
