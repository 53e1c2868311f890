// numkit/simd/class_sort.hpp -- the regime sort shared by the CPU block kernels (host only).
//
// A block kernel classifies each element of a chunk by the formula (regime) that will compute it,
// then runs every regime as one branch-free vector loop over that regime's elements, gathered into
// contiguous buffers. These are the counting and the stable counting sort of the element indices
// by class code that it needs (log I's chunk pipeline sorts by regime; log K's sorts by regime,
// then its small-order elements by recurrence length), and `partition`, the two in one call with
// the single-class shortcut. The loops are branch-free: the regimes of random inputs would
// mispredict every element.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numkit/simd/attributes.hpp"

namespace numkit {
namespace simd {

// count[c] = #{i < n : cls[i] == c} for c < NC (every cls[i] < NC).
template <int NC, class Cls>
NUMKIT_FORCE_INLINE void count_classes(std::size_t n, const Cls* cls, std::uint32_t (&count)[NC]) {
  for (int c = 0; c < NC; ++c) count[c] = 0;
  for (std::size_t i = 0; i < n; ++i) ++count[cls[i]];
}

// The stable counting sort of 0 .. n-1 (n <= 65536) by class: start[c] = count[0] + .. +
// count[c - 1] (start[NC] = n), and idx[start[c] .. start[c + 1]) lists the i with cls[i] == c in
// ascending order.
template <int NC, class Cls>
NUMKIT_FORCE_INLINE void sort_by_class(std::size_t n, const Cls* cls, const std::uint32_t (&count)[NC],
                                       std::uint32_t (&start)[NC + 1], std::uint16_t* idx) {
  start[0] = 0;
  for (int c = 0; c < NC; ++c) start[c + 1] = start[c] + count[c];
  std::uint32_t fill[NC];
  for (int c = 0; c < NC; ++c) fill[c] = start[c];
  for (std::size_t i = 0; i < n; ++i) idx[fill[cls[i]]++] = static_cast<std::uint16_t>(i);
}

// The partition step of every chunk driver (classify -> partition -> one run per class ->
// scatter): a chunk's elements by class. `of(c)` lists class c's element indices, ascending.
template <int NC> struct Partition {
  std::uint32_t count[NC];
  std::uint32_t start[NC + 1];
  const std::uint16_t* idx;
  const std::uint16_t* of(int c) const { return idx + start[c]; }
};

// Counts the classes of cls[0 .. n) (n <= 65536) and sorts the indices into idx. Returns the
// class when every element has the same one (then idx is not written: the chunk can run in
// place), else -1.
template <int NC, class Cls>
NUMKIT_FORCE_INLINE int partition(std::size_t n, const Cls* cls, std::uint16_t* idx, Partition<NC>& p) {
  count_classes(n, cls, p.count);
  p.idx = idx;
  for (int c = 0; c < NC; ++c) {
    if (p.count[c] == n) {
      for (int r = 0; r <= NC; ++r) p.start[r] = r <= c ? 0 : static_cast<std::uint32_t>(n);
      return c;
    }
  }
  sort_by_class(n, cls, p.count, p.start, idx);
  return -1;
}

}  // namespace simd
}  // namespace numkit
