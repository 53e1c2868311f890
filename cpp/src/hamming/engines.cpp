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
                     std::int64_t bound, std::int64_t first, int workers, Out* out) {
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
                          first, acc.data(), out + i0);
        continue;
      } else {
        std::fill(acc.begin(), acc.begin() + nb, 0u);
        cpu::tile_accumulate(t + i0, pv.data(), js.data(), 0, nj, has_wild, w, nb, acc.data());
      }
      cpu::clip_copy(acc.data(), nb, cap, out + i0);
    }
  });
}

namespace {

// counts[w] (+)= found[w] for w < nw, then total - counts[w] when total >= 0 (list_matches).
template <class Out, class CT>
void finish_counts(Out* __restrict counts, const CT* __restrict found, std::int64_t nw, bool fresh,
                   std::int64_t total) {
  const Out t = static_cast<Out>(total);
  if (fresh && total >= 0) {
    for (std::int64_t w = 0; w < nw; ++w) counts[w] = t - static_cast<Out>(found[w]);
  } else if (fresh) {
    for (std::int64_t w = 0; w < nw; ++w) counts[w] = static_cast<Out>(found[w]);
  } else if (total >= 0) {
    for (std::int64_t w = 0; w < nw; ++w) counts[w] = t - (counts[w] + static_cast<Out>(found[w]));
  } else {
    for (std::int64_t w = 0; w < nw; ++w) counts[w] += static_cast<Out>(found[w]);
  }
}

// base[x - j] += 1 for every x of the bucket [xb, xe) and each of the N pattern positions j at r:
// one pass over the bucket serves N positions (4 at a time measured ~10% faster than 2 for the
// whole call at sigma 256, m = 1000; the N pointers stay in registers).
template <int N, class CT, class Pos>
NUMKIT_FORCE_INLINE void add_positions(CT* base, const std::int64_t* r, const Pos* xb,
                                       const Pos* xe) {
  CT* b[N];
  for (int i = 0; i < N; ++i) b[i] = base - r[i];
  for (const Pos* q = xb; q < xe; ++q) {
    const std::int64_t x = *q;
    for (int i = 0; i < N; ++i) b[i][x] += 1;
  }
}

// The text positions of a tile grouped by slot (the counting sort of bucket_range). Bucket k is
// bucket[begin[k] .. end[k]). The exact sort takes two passes (slot histogram, then scatter);
// after a first tile, each tile is scattered in ONE pass into a layout sized from the previous
// tile's counts with slack (1.5 c + 32 per slot), and sorted exactly again only if some slot
// overflowed its room (checked after the pass; the overflowing writes stay inside the buffer).
// Positions are 16-bit where a tile's text allows (3-4% faster than 32-bit at sigma 256,
// m = 100 .. 10000: half the bucket's bytes to write and read back).
// One pass instead of two: list_matches 3.6-3.7 -> 3.0-3.1 ms at sigma 256, m = 1000, n = 1e6
// (2.0-2.1 -> 1.6-1.7 ms at m = 100; C++ harness, alternating). Texts whose composition changes
// from tile to tile overflow often: once more than a quarter of the tiles so far (and at least
// three) have needed the exact sort, it is used alone.
template <class Pos> struct SlotSort {
  std::int64_t slots;  // listed slots plus dump slots
  std::vector<std::int32_t> begin, end, layout, hist, slot_buf;
  std::vector<Pos> bucket;
  bool have_layout = false;  // layout holds the previous tile's counts with slack
  bool exact_only = false;   // too many overflows: the two-pass sort from here on
  std::int64_t tiles = 0, redone = 0;

  SlotSort(std::int64_t n_slots, std::int64_t max_len)
      : slots(n_slots),
        begin(static_cast<std::size_t>(n_slots)),
        end(static_cast<std::size_t>(n_slots)),
        layout(static_cast<std::size_t>(n_slots + 1)),
        hist(static_cast<std::size_t>(n_slots + 1)),
        slot_buf(static_cast<std::size_t>(max_len)),
        bucket(static_cast<std::size_t>(buffer_size(n_slots, max_len))) {}

  // Positions the bucket holds: the layout's total (<= 1.5 max_len + 32 slots) plus one
  // overflow of max_len. Its indices are int32 (list_matches checks that they fit).
  static constexpr std::int64_t buffer_size(std::int64_t n_slots, std::int64_t max_len) {
    return 3 * max_len + 32 * n_slots;
  }

  // Sorts positions 0 .. len-1 by slot(i).
  template <class Slot> void sort(std::int64_t len, Slot&& slot) {
    ++tiles;
    if (!have_layout) {
      exact(len, slot);
    } else if (!one_pass(len, slot)) {
      ++redone;
      exact_only = redone >= 3 && redone * 4 > tiles;
    }
    have_layout = false;
    if (exact_only) return;
    std::int32_t run = 0;
    for (std::int64_t k = 0; k < slots; ++k) {
      const std::int32_t c = end[k] - begin[k];
      layout[k] = run;
      run += c + c / 2 + 32;
    }
    layout[slots] = run;
    have_layout = true;
  }

 private:
  template <class Slot> bool one_pass(std::int64_t len, Slot&& slot) {
    std::copy(layout.begin(), layout.end() - 1, end.begin());
    std::int32_t* __restrict f = end.data();
    Pos* __restrict bk = bucket.data();
    // Two positions per step, both slots looked up before either store (~10% faster than one).
    std::int64_t i = 0;
    for (; i + 2 <= len; i += 2) {
      const std::int64_t k0 = slot(i), k1 = slot(i + 1);
      bk[f[k0]++] = static_cast<Pos>(i);
      bk[f[k1]++] = static_cast<Pos>(i + 1);
    }
    if (i < len) bk[f[slot(i)]++] = static_cast<Pos>(i);
    bool over = false;
    for (std::int64_t k = 0; k < slots; ++k) over |= f[k] > layout[k + 1];
    if (over) {
      exact(len, slot);
      return false;
    }
    std::copy(layout.begin(), layout.end() - 1, begin.begin());
    return true;
  }

  template <class Slot> void exact(std::int64_t len, Slot&& slot) {
    std::fill(hist.begin(), hist.end(), 0);
    std::int32_t* __restrict sb = slot_buf.data();
    for (std::int64_t i = 0; i < len; ++i) {
      const std::int64_t k = slot(i);
      sb[i] = static_cast<std::int32_t>(k);
      hist[k + 1] += 1;
    }
    for (std::int64_t k = 0; k < slots; ++k) hist[k + 1] += hist[k];
    std::copy(hist.begin(), hist.end() - 1, begin.begin());
    std::copy(hist.begin(), hist.end() - 1, end.begin());
    for (std::int64_t i = 0; i < len; ++i) bucket[end[sb[i]]++] = static_cast<Pos>(i);
  }
};

// Unlisted text positions are spread over this many dump slots (see bucket_range).
constexpr std::int64_t kDumpSlots = 16;

// Windows per tile of the pattern-major lists (each tile re-reads m - 1 text positions).
constexpr std::int64_t pattern_major_tile(std::int64_t m) {
  return std::max<std::int64_t>(std::int64_t(1) << 14, 4 * m);
}

// Pattern-major position lists over one range of windows (see list_matches): per tile, the text
// positions that touch the tile are sorted by code (SlotSort; rare codes only), then each rare
// code's pattern positions j (four at a time) add 1 at x - j for every x of its bucket. The
// innermost loop has a long, fixed trip count and distinct addresses; the counters cover the
// windows [a - m + 1, e + m - 1), so nothing is range-checked, and only [a, e) is kept.
template <class CT, class Pos, class S, class Out>
void bucket_range(const S* t, std::int64_t n, std::int64_t m, const std::int64_t* offsets,
                  const std::int64_t* positions, const std::vector<std::int32_t>& slot_of,
                  const std::vector<std::int64_t>& slot_code, std::int64_t begin,
                  std::int64_t end, Out* counts, bool fresh, std::int64_t total) {
  const std::int64_t tile = pattern_major_tile(m);
  const std::int64_t n_codes = static_cast<std::int64_t>(slot_of.size()) - 1;
  const std::int64_t R = static_cast<std::int64_t>(slot_code.size());  // slots >= R: unlisted
  SlotSort<Pos> sorter(R + kDumpSlots, tile + m);
  std::vector<CT> cnt(static_cast<std::size_t>(tile + 2 * m));
  for (std::int64_t a = begin; a < end; a += tile) {
    const std::int64_t e = std::min(end, a + tile);
    const std::int64_t x1 = std::min(n, e + m - 1);
    // Unlisted positions go to 16 dump slots after the listed ones, by position: one shared
    // dump counter would chain every increment through store forwarding at large alphabets
    // (6 against 2 ns per position, measured), and a branch would mispredict at mid ones.
    // By code (the last entry for every code >= n_codes) or, for value texts, by value.
    const std::int32_t* __restrict slots = slot_of.data();
    const S* __restrict ta = t + a;
    sorter.sort(x1 - a, [=](std::int64_t i) {
      const std::int64_t c = std::min(static_cast<std::int64_t>(ta[i]), n_codes);
      const std::int64_t k = slots[c];
      return k + (-static_cast<std::int64_t>(k >= R) & (i & (kDumpSlots - 1)));  // no branch
    });
    std::fill(cnt.begin(), cnt.begin() + (e - a) + 2 * m, CT(0));
    CT* base = cnt.data() + (m - 1);  // base[(x - a) - j] counts window x - j
    for (std::int64_t k = 0; k < R; ++k) {
      const Pos* xb = sorter.bucket.data() + sorter.begin[k];
      const Pos* xe = sorter.bucket.data() + sorter.end[k];
      if (xb == xe) continue;
      const std::int64_t c = slot_code[k];
      const std::int64_t* r = positions + offsets[c];
      const std::int64_t* r_end = positions + offsets[c + 1];
      for (; r_end - r >= 4; r += 4) add_positions<4>(base, r, xb, xe);
      switch (r_end - r) {
        case 3: add_positions<3>(base, r, xb, xe); break;
        case 2: add_positions<2>(base, r, xb, xe); break;
        case 1: add_positions<1>(base, r, xb, xe); break;
        default: break;
      }
    }
    finish_counts(counts + a, base, e - a, fresh, total);
  }
}

}  // namespace

template <class S, class Out>
void list_matches(const S* t, std::int64_t n, std::int64_t m, const std::int64_t* offsets,
                  const std::int64_t* positions, const std::uint8_t* rare, std::int64_t n_codes,
                  bool by_pattern, int workers, Out* counts, bool fresh, std::int64_t total,
                  const std::int32_t* code_of, std::int64_t n_values) {
  if (m < 1 || n < m) throw std::invalid_argument("list_matches: need 1 <= m <= n");
  const std::int64_t nw = n - m + 1;
  // The code of text position x: t holds codes, or values that code_of maps.
  const auto code = [=](std::int64_t x) -> std::int64_t {
    return code_of != nullptr ? code_of[t[x]] : static_cast<std::int64_t>(t[x]);
  };
  // Slots of the pattern-major lists: the rare codes with pattern positions, numbered
  // 0 .. R-1; every other code maps to R, which bucket_range spreads over its dump slots.
  std::vector<std::int64_t> slot_code;
  if (by_pattern)
    for (std::int64_t c = 0; c < n_codes; ++c)
      if (rare[c] && offsets[c + 1] > offsets[c]) slot_code.push_back(c);
  const std::int64_t grain = pattern_major_tile(m);
  // Their tiles index text positions and the slot layout in int32: where SlotSort's buffer would
  // not fit (m above ~1.4e8, or as many listed codes) the text-major lists run instead, whose
  // indices are int64.
  const std::int64_t slots = static_cast<std::int64_t>(slot_code.size()) + kDumpSlots;
  const bool fits = SlotSort<std::int32_t>::buffer_size(slots, grain + m) <= INT32_MAX;
  if (by_pattern && fits) {
    const std::int32_t R = static_cast<std::int32_t>(slot_code.size());
    // One more entry for every code >= n_codes (unlisted).
    std::vector<std::int32_t> slot_of(static_cast<std::size_t>(n_codes + 1), R);
    for (std::int32_t k = 0; k < R; ++k) slot_of[static_cast<std::size_t>(slot_code[k])] = k;
    if (code_of != nullptr) {
      // Values: one table from value to slot (bucket_range looks a text position up once).
      std::vector<std::int32_t> by_value(static_cast<std::size_t>(n_values));
      for (std::int64_t v = 0; v < n_values; ++v)
        by_value[static_cast<std::size_t>(v)] = slot_of[static_cast<std::size_t>(
            std::min<std::int64_t>(code_of[v], n_codes))];
      slot_of.swap(by_value);
    }
    parallel_ranges(nw, grain, workers, [&](std::int64_t begin, std::int64_t end) {
      // A window's count is at most m: 16-bit counters while m < 2^16; 16-bit positions in the
      // buckets while a tile's text (tile + m - 1 positions) has fewer than 2^16.
      const bool narrow = grain + m <= (std::int64_t(1) << 16);
      if (narrow)
        bucket_range<std::uint16_t, std::uint16_t>(t, n, m, offsets, positions, slot_of,
                                                   slot_code, begin, end, counts, fresh, total);
      else if (m < (std::int64_t(1) << 16))
        bucket_range<std::uint16_t, std::int32_t>(t, n, m, offsets, positions, slot_of,
                                                  slot_code, begin, end, counts, fresh, total);
      else
        bucket_range<std::uint32_t, std::int32_t>(t, n, m, offsets, positions, slot_of,
                                                  slot_code, begin, end, counts, fresh, total);
    });
    return;
  }
  // Tiles of windows whose counters stay in L2; the text scanned for a tile overlaps the next
  // tile's by m - 1, so tiles are at least 8 m long.
  const std::int64_t tile = std::max<std::int64_t>(std::int64_t(1) << 16, 8 * m);
  parallel_ranges(nw, tile, workers, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t a = begin; a < end; a += tile) {
      const std::int64_t e = std::min(end, a + tile);
      Out* cnt = counts + a;
      if (fresh) std::fill(cnt, cnt + (e - a), Out(0));
      const std::int64_t stop = std::min(n, e + m - 1);
      // Middle of the tile: every window x - j (0 <= j < m) lies in [a, e), no range checks.
      const std::int64_t mid_lo = a + m - 1, mid_hi = e;
      for (std::int64_t x = mid_lo; x < mid_hi; ++x) {
        const std::int64_t c = code(x);
        if (c >= n_codes || !rare[c]) continue;
        Out* base = cnt + (x - a);
        const std::int64_t* r = positions + offsets[c];
        const std::int64_t* r_end = positions + offsets[c + 1];
        for (; r < r_end; ++r) base[-*r] += 1;
      }
      for (std::int64_t x = a; x < stop; ++x) {
        if (x == mid_lo && mid_lo < mid_hi) x = mid_hi;
        if (x >= stop) break;
        const std::int64_t c = code(x);
        if (c >= n_codes || !rare[c]) continue;
        // positions ascend, so w = x - j descends: skip w >= e, stop at w < a.
        for (std::int64_t r = offsets[c]; r < offsets[c + 1]; ++r) {
          const std::int64_t wdx = x - positions[r];
          if (wdx >= e) continue;
          if (wdx < a) break;
          cnt[wdx - a] += 1;
        }
      }
      if (total >= 0)
        for (std::int64_t w = 0; w < e - a; ++w) cnt[w] = static_cast<Out>(total) - cnt[w];
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
                                        std::int64_t, std::int64_t, std::int64_t, int, Out*);                 \
  template void list_matches<S, Out>(const S*, std::int64_t, std::int64_t, const std::int64_t*, \
                                     const std::int64_t*, const std::uint8_t*, std::int64_t,    \
                                     bool, int, Out*, bool, std::int64_t, const std::int32_t*,  \
                                     std::int64_t);
NUMKIT_HAMMING_INSTANTIATE(std::uint8_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint16_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint32_t, std::int32_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint8_t, std::int64_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint16_t, std::int64_t)
NUMKIT_HAMMING_INSTANTIATE(std::uint32_t, std::int64_t)
#undef NUMKIT_HAMMING_INSTANTIATE

}  // namespace hamming
}  // namespace numkit
