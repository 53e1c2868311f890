// src/hamming/engines.cpp -- drivers of the blocked brute force and the position-list engine:
// tiling, threads, the compacted pattern (wildcard positions of the pattern removed).
#include "src/hamming/engines.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "numkit/hamming/cpu/blocked.hpp"

namespace numkit {
namespace hamming {
namespace {

// Run body(begin, end) over [0, total) split into `workers` contiguous ranges of whole grains.
template <class F> void parallel_ranges(std::int64_t total, std::int64_t grain, int workers, F&& body) {
  const std::int64_t units = (total + grain - 1) / grain;
  const std::int64_t nt = std::max<std::int64_t>(1, std::min<std::int64_t>(workers, units));
  if (nt == 1) {
    body(std::int64_t(0), total);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(nt));
  for (std::int64_t k = 0; k < nt; ++k) {
    const std::int64_t b = std::min(total, (units * k / nt) * grain);
    const std::int64_t e = std::min(total, (units * (k + 1) / nt) * grain);
    threads.emplace_back([&body, b, e] { body(b, e); });
  }
  for (auto& th : threads) th.join();
}

}  // namespace

template <class S, class Out>
void brute_distances(const S* t, std::int64_t n, const S* p, std::int64_t m, std::int64_t wild,
                     std::int64_t bound, int workers, Out* out) {
  if (m < 1 || n < m) throw std::invalid_argument("brute_distances: need 1 <= m <= n");
  const std::int64_t nw = n - m + 1;
  const bool has_wild = wild >= 0;
  const S w = has_wild ? static_cast<S>(wild) : S(0);
  // The pattern without its wildcard positions: values and offsets.
  std::vector<S> pv;
  std::vector<std::int64_t> js;
  pv.reserve(static_cast<std::size_t>(m));
  js.reserve(static_cast<std::size_t>(m));
  for (std::int64_t j = 0; j < m; ++j) {
    if (has_wild && p[j] == w) continue;
    pv.push_back(p[j]);
    js.push_back(j);
  }
  const std::int64_t nj = static_cast<std::int64_t>(js.size());
  const bool contiguous = nj == m;
  const std::int64_t tile = cpu::tile_windows<S>();
  // Counts never exceed m < 2^32; the cap only matters in k-bounded mode.
  const std::uint32_t cap = bound >= 0 && bound + 1 < std::int64_t(UINT32_MAX)
                                ? static_cast<std::uint32_t>(bound + 1)
                                : UINT32_MAX;
  parallel_ranges(nw, tile, workers, [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::uint32_t> acc(static_cast<std::size_t>(tile));
    for (std::int64_t i0 = begin; i0 < end; i0 += tile) {
      const std::int64_t nb = std::min(tile, end - i0);
      if (nj == 0) {
        std::fill(acc.begin(), acc.begin() + nb, 0u);
      } else if (bound >= 0) {
        cpu::tile_bounded(t + i0, pv.data(), js.data(), contiguous, nj, has_wild, w, nb, bound,
                          acc.data(), out + i0);
        continue;
      } else {
        std::fill(acc.begin(), acc.begin() + nb, 0u);
        cpu::tile_accumulate(t + i0, pv.data(), js.data(), 0, nj, has_wild, w, nb, acc.data());
      }
      cpu::clip_copy(acc.data(), nb, cap, out + i0);
    }
  });
}

template <class S, class Out>
void list_matches(const S* t, std::int64_t n, std::int64_t m, const std::int64_t* offsets,
                  const std::int64_t* positions, const std::uint8_t* rare, std::int64_t n_codes,
                  int workers, Out* counts) {
  if (m < 1 || n < m) throw std::invalid_argument("list_matches: need 1 <= m <= n");
  const std::int64_t nw = n - m + 1;
  // Tiles of windows whose counters stay in L2; the text scanned for a tile overlaps the next
  // tile's by m - 1, so tiles are at least 8 m long.
  const std::int64_t tile = std::max<std::int64_t>(std::int64_t(1) << 16, 8 * m);
  parallel_ranges(nw, tile, workers, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t a = begin; a < end; a += tile) {
      const std::int64_t e = std::min(end, a + tile);
      Out* cnt = counts + a;
      const std::int64_t stop = std::min(n, e + m - 1);
      // Middle of the tile: every window x - j (0 <= j < m) lies in [a, e), no range checks.
      const std::int64_t mid_lo = a + m - 1, mid_hi = e;
      for (std::int64_t x = mid_lo; x < mid_hi; ++x) {
        const std::int64_t c = static_cast<std::int64_t>(t[x]);
        if (c >= n_codes || !rare[c]) continue;
        Out* base = cnt + (x - a);
        const std::int64_t* r = positions + offsets[c];
        const std::int64_t* r_end = positions + offsets[c + 1];
        for (; r < r_end; ++r) base[-*r] += 1;
      }
      for (std::int64_t x = a; x < stop; ++x) {
        if (x == mid_lo && mid_lo < mid_hi) x = mid_hi;
        if (x >= stop) break;
        const std::int64_t c = static_cast<std::int64_t>(t[x]);
        if (c >= n_codes || !rare[c]) continue;
        // positions ascend, so w = x - j descends: skip w >= e, stop at w < a.
        for (std::int64_t r = offsets[c]; r < offsets[c + 1]; ++r) {
          const std::int64_t wdx = x - positions[r];
          if (wdx >= e) continue;
          if (wdx < a) break;
          cnt[wdx - a] += 1;
        }
      }
    }
  });
}

namespace {
// Restrict-qualified by-value pointers: with a by-reference capture, every 1-byte store may
// alias the captured pointers themselves, and GCC reloads them each element (2.4 against
// 0.8 ns per symbol, measured).
template <class In, class Code>
void remap_range(const In* __restrict values, std::int64_t n, const Code* __restrict lut,
                 Code* __restrict out) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = lut[values[i]];
}
}  // namespace

template <class In, class Code>
void remap(const In* values, std::int64_t n, const Code* lut, int workers, Code* out) {
  parallel_ranges(n, std::int64_t(1) << 16, workers, [=](std::int64_t b, std::int64_t e) {
    remap_range(values + b, e - b, lut, out + b);
  });
}

template <class In, class Code>
void code_counts(const In* values, std::int64_t n, std::int64_t step, const Code* lut,
                 std::int64_t n_counts, std::int64_t* counts) {
  for (std::int64_t i = 0; i < n; i += step) {
    const std::int64_t c = static_cast<std::int64_t>(lut[values[i]]);
    if (c < n_counts) counts[c] += 1;
  }
}
template void remap<std::uint8_t, std::uint8_t>(const std::uint8_t*, std::int64_t, const std::uint8_t*, int, std::uint8_t*);
template void remap<std::uint8_t, std::uint16_t>(const std::uint8_t*, std::int64_t, const std::uint16_t*, int, std::uint16_t*);
template void remap<std::uint8_t, std::uint32_t>(const std::uint8_t*, std::int64_t, const std::uint32_t*, int, std::uint32_t*);
template void remap<std::uint16_t, std::uint8_t>(const std::uint16_t*, std::int64_t, const std::uint8_t*, int, std::uint8_t*);
template void remap<std::uint16_t, std::uint16_t>(const std::uint16_t*, std::int64_t, const std::uint16_t*, int, std::uint16_t*);
template void remap<std::uint16_t, std::uint32_t>(const std::uint16_t*, std::int64_t, const std::uint32_t*, int, std::uint32_t*);

#define NUMKIT_HAMMING_INSTANTIATE_COUNTS(In, Code)                                               \
  template void code_counts<In, Code>(const In*, std::int64_t, std::int64_t, const Code*,      \
                                      std::int64_t, std::int64_t*);
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint8_t, std::uint8_t)
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint8_t, std::uint16_t)
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint8_t, std::uint32_t)
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint16_t, std::uint8_t)
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint16_t, std::uint16_t)
NUMKIT_HAMMING_INSTANTIATE_COUNTS(std::uint16_t, std::uint32_t)
#undef NUMKIT_HAMMING_INSTANTIATE_COUNTS

#define NUMKIT_HAMMING_INSTANTIATE(S, Out)                                                       \
  template void brute_distances<S, Out>(const S*, std::int64_t, const S*, std::int64_t,         \
                                        std::int64_t, std::int64_t, int, Out*);                 \
  template void list_matches<S, Out>(const S*, std::int64_t, std::int64_t, const std::int64_t*, \
                                     const std::int64_t*, const std::uint8_t*, std::int64_t,    \
                                     int, Out*);
NUMKIT_HAMMING_INSTANTIATE(std::uint8_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint16_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint32_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint8_t, std::int64_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint16_t, std::int64_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint32_t, std::int64_t)
#undef NUMKIT_HAMMING_INSTANTIATE

}  // namespace hamming
}  // namespace numkit
