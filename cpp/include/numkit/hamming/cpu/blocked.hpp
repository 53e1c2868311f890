// numkit/hamming/cpu/blocked.hpp -- the CPU brute force: mismatch counts for a tile of windows at
// once, the loop over windows innermost so that it vectorizes (host only).
//
// For a tile of nb consecutive windows starting at t, and each (non-wildcard) pattern position
// q with value pv[q] at offset js[q], every window b gains (t[js[q] + b] != pv[q]): one vector
// compare and one add per 32 (uint8 codes, AVX2) cells, reading t[js[q] ..] contiguously. The
// counters are as narrow as the symbols (uint8 counters for uint8 codes: 32 lanes per AVX2 op)
// and are flushed into uint32 accumulators before they can overflow (every 248 positions for
// uint8, 65528 for uint16). A tile's symbols and counters (<= 8 KiB) stay in L1 for the whole
// pattern. Eight pattern positions are fused per pass over the counters, so one counter load
// and store serves eight compares.
//
// k-bounded form (tile_bounded): the tile runs chunks of pattern positions (the caller's first
// chunk, sized from the mismatch rate, or ~2(k+1); doubling)
// and stops when no window has <= bound mismatches; once only a few windows (<= 1/16) survive,
// each survivor finishes alone with an early exit every 64 positions. The first chunk stays in
// the narrow counters, so a tile that dies in it never touches 32-bit accumulators.
#pragma once

#include "numkit/simd/attributes.hpp"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace numkit {
namespace hamming {
namespace cpu {

// Narrow counters and how many positions they can take before a flush.
template <class S> struct Counter {
  using type = std::uint32_t;
  static constexpr std::int64_t flush_every = std::int64_t(1) << 40;
};
template <> struct Counter<std::uint8_t> {
  using type = std::uint8_t;
  static constexpr std::int64_t flush_every = 248;
};
template <> struct Counter<std::uint16_t> {
  using type = std::uint16_t;
  static constexpr std::int64_t flush_every = 65528;
};

// Windows per tile: symbols plus counters about 8 KiB.
template <class S> constexpr std::int64_t tile_windows() { return 4096 / sizeof(S); }
constexpr std::int64_t kMaxTile = 4096;


template <class S, bool TW> NUMKIT_FORCE_INLINE std::uint32_t mism(S a, S p, S wild) {
  if (TW) return (a != p && a != wild) ? 1u : 0u;
  return a != p ? 1u : 0u;
}

// acc[b] += #{q in [q0, q1) : t[js[q] + b] mismatches pv[q]}, b < nb <= kMaxTile. With `keep`
// (q1 - q0 <= Counter<S>::flush_every), the narrow counters are copied there instead and acc is
// not touched: the k-bounded first chunk. (The counters stay a local array: passing them in from
// the caller made GCC's code for the fused loop ~1.6x slower, exact m = 100.)
template <class S, bool TW>
NUMKIT_FORCE_INLINE void tile_accumulate_body(const S* __restrict t, const S* __restrict pv,
                                                const std::int64_t* __restrict js, std::int64_t q0,
                                                std::int64_t q1, S wild, std::int64_t nb,
                                                std::uint32_t* __restrict acc,
                                                typename Counter<S>::type* __restrict keep = nullptr) {
  using C = typename Counter<S>::type;
  alignas(64) C c[kMaxTile];
  std::int64_t q = q0;
  while (q < q1) {
    const std::int64_t qe = std::min(q1, q + Counter<S>::flush_every);
    for (std::int64_t b = 0; b < nb; ++b) c[b] = 0;
    // Eight positions per pass over the counters (measured here: 8 fused ~2x faster than 1,
    // ~1.5x faster than 4, uint8 codes with AVX2).
    for (; q + 8 <= qe; q += 8) {
      const S p0 = pv[q], p1 = pv[q + 1], p2 = pv[q + 2], p3 = pv[q + 3];
      const S p4 = pv[q + 4], p5 = pv[q + 5], p6 = pv[q + 6], p7 = pv[q + 7];
      const S* __restrict t0 = t + js[q];
      const S* __restrict t1 = t + js[q + 1];
      const S* __restrict t2 = t + js[q + 2];
      const S* __restrict t3 = t + js[q + 3];
      const S* __restrict t4 = t + js[q + 4];
      const S* __restrict t5 = t + js[q + 5];
      const S* __restrict t6 = t + js[q + 6];
      const S* __restrict t7 = t + js[q + 7];
#pragma omp simd
      for (std::int64_t b = 0; b < nb; ++b) {
        C s = c[b];
        s = static_cast<C>(s + mism<S, TW>(t0[b], p0, wild));
        s = static_cast<C>(s + mism<S, TW>(t1[b], p1, wild));
        s = static_cast<C>(s + mism<S, TW>(t2[b], p2, wild));
        s = static_cast<C>(s + mism<S, TW>(t3[b], p3, wild));
        s = static_cast<C>(s + mism<S, TW>(t4[b], p4, wild));
        s = static_cast<C>(s + mism<S, TW>(t5[b], p5, wild));
        s = static_cast<C>(s + mism<S, TW>(t6[b], p6, wild));
        s = static_cast<C>(s + mism<S, TW>(t7[b], p7, wild));
        c[b] = s;
      }
    }
    for (; q < qe; ++q) {
      const S p0 = pv[q];
      const S* __restrict t0 = t + js[q];
#pragma omp simd
      for (std::int64_t b = 0; b < nb; ++b)
        c[b] = static_cast<C>(c[b] + mism<S, TW>(t0[b], p0, wild));
    }
    if (keep) {
      std::copy(c, c + nb, keep);
      return;
    }
    for (std::int64_t b = 0; b < nb; ++b) acc[b] += c[b];
  }
}

// One window's mismatches over positions [q, nj), stopping once the total exceeds bound.
template <class S, bool TW>
NUMKIT_FORCE_INLINE std::uint32_t window_tail(const S* t, const S* pv, const std::int64_t* js,
                                                bool contiguous, std::int64_t q,
                                                std::int64_t nj, S wild, std::uint32_t count,
                                                std::int64_t bound) {
  while (q < nj && static_cast<std::int64_t>(count) <= bound) {
    const std::int64_t qe = std::min(nj, q + 64);
    std::uint32_t s = 0;
    if (contiguous) {
#pragma omp simd reduction(+ : s)
      for (std::int64_t r = q; r < qe; ++r) s += mism<S, TW>(t[r], pv[r], wild);
    } else {
      for (std::int64_t r = q; r < qe; ++r) s += mism<S, TW>(t[js[r]], pv[r], wild);
    }
    count += s;
    q = qe;
  }
  return count;
}

// Windows still at or below bound: counted in 32-bit lanes (a 64-bit sum would vectorize 4 wide).
NUMKIT_FORCE_INLINE std::int64_t count_alive(const std::uint32_t* __restrict acc, std::int64_t nb,
                                               std::uint32_t bound) {
  std::uint32_t alive = 0;
#pragma omp simd reduction(+ : alive)
  for (std::int64_t b = 0; b < nb; ++b) alive += acc[b] <= bound ? 1u : 0u;
  return alive;
}

// Calls f(b) for every b < nb with v[b] <= bound, testing 32 windows per vector pass (a scalar
// test per window cost ~40% of a k-bounded call); stops early when f returns false.
template <class V, class F>
NUMKIT_FORCE_INLINE bool for_each_alive(const V* __restrict v, std::int64_t nb, V bound, F&& f) {
  for (std::int64_t b0 = 0; b0 < nb; b0 += 32) {
    const std::int64_t b1 = std::min(nb, b0 + 32);
    V any = 0;
    if (b1 - b0 == 32) {  // a constant trip count: the test compiles to a few vector ops
      for (int r = 0; r < 32; ++r) any |= v[b0 + r] <= bound ? V(1) : V(0);
    } else {
      for (std::int64_t b = b0; b < b1; ++b) any |= v[b] <= bound ? V(1) : V(0);
    }
    if (!any) continue;
    for (std::int64_t b = b0; b < b1; ++b)
      if (v[b] <= bound && !f(b)) return false;
  }
  return true;
}

// k-bounded tile: out[b] = min(mismatches of window b, bound + 1) for b < nb; acc is scratch.
//
// The first chunk (`first` positions, from the caller's mismatch rate, else 2 (bound + 1); a
// multiple of 8, 8..1024; on random text nearly every window has passed the bound by then)
// runs in the narrow counters alone when they can hold it. If no window survives it (the usual case), the tile is
// one zeroing pass, the compares, one OR-reduction and the fill of bound + 1; if a few survive
// (<= 1/16), each finishes alone with an early exit every 64 positions. Otherwise the tile goes
// on in 32-bit accumulators by doubling chunks until few windows survive.
template <class S, bool TW, class Out>
NUMKIT_FORCE_INLINE void tile_bounded_body(const S* __restrict t, const S* __restrict pv,
                                             const std::int64_t* __restrict js, bool contiguous,
                                             std::int64_t nj, S wild, std::int64_t nb,
                                             std::int64_t bound, std::int64_t first,
                                             std::uint32_t* __restrict acc, Out* __restrict out) {
  using C = typename Counter<S>::type;
  const std::uint32_t bnd = static_cast<std::uint32_t>(std::min<std::int64_t>(bound, UINT32_MAX - 1));
  const Out cap = static_cast<Out>(bnd + 1);
  const std::int64_t want = first > 0 ? first : 2 * (bound + 1);
  std::int64_t chunk = std::min<std::int64_t>(1024, std::max<std::int64_t>(8, (want + 7) / 8 * 8));
  auto tail = [&](std::int64_t b, std::int64_t q, std::uint32_t count) {
    const std::uint32_t h = window_tail<S, TW>(t + b, pv, js, contiguous, q, nj, wild, count, bound);
    return static_cast<Out>(std::min(h, bnd + 1));
  };
  std::int64_t q = 0;
  if (bound < std::int64_t(Counter<S>::flush_every) && sizeof(C) < sizeof(std::uint32_t)) {
    alignas(64) C c[kMaxTile];
    q = std::min({nj, chunk, Counter<S>::flush_every});
    tile_accumulate_body<S, TW>(t, pv, js, 0, q, wild, nb, acc, c);
    const C cb = static_cast<C>(bound);
    std::int64_t alive = 0;
    const bool few = for_each_alive(c, nb, cb, [&](std::int64_t) { return ++alive * 16 <= nb; });
    if (few) {
      for (std::int64_t b = 0; b < nb; ++b) out[b] = cap;
      if (alive > 0)
        for_each_alive(c, nb, cb, [&](std::int64_t b) {
          out[b] = tail(b, q, c[b]);
          return true;
        });
      return;
    }
    for (std::int64_t b = 0; b < nb; ++b) acc[b] = c[b];
    chunk = std::min<std::int64_t>(2 * chunk, 1024);
  } else {
    for (std::int64_t b = 0; b < nb; ++b) acc[b] = 0;
  }
  while (q < nj) {
    const std::int64_t alive = count_alive(acc, nb, bnd);
    if (alive == 0 || alive * 16 <= nb) break;
    const std::int64_t qe = std::min(nj, q + chunk);
    tile_accumulate_body<S, TW>(t, pv, js, q, qe, wild, nb, acc);
    q = qe;
    chunk = std::min<std::int64_t>(2 * chunk, 1024);
  }
  if (q < nj)
    for_each_alive(acc, nb, bnd, [&](std::int64_t b) {
      acc[b] = tail(b, q, acc[b]);
      return true;
    });
#pragma omp simd
  for (std::int64_t b = 0; b < nb; ++b) out[b] = static_cast<Out>(std::min(acc[b], bnd + 1));
}


// The entry points, compiled for each x86-64 level of NUMKIT_CLONES and picked at load time;
// non-template wrappers, because GCC's target_clones is reliable on plain functions.
#define NUMKIT_HAMMING_BOUNDED_FN(S, SUFFIX, Out)                                               \
  NUMKIT_CLONES inline void tile_bounded_##SUFFIX(                                              \
      const S* t, const S* pv, const std::int64_t* js, bool contiguous, std::int64_t nj,        \
      bool text_wild, S wild, std::int64_t nb, std::int64_t bound, std::int64_t first,          \
      std::uint32_t* acc, Out* out) {                                                           \
    if (text_wild)                                                                              \
      tile_bounded_body<S, true>(t, pv, js, contiguous, nj, wild, nb, bound, first, acc, out);  \
    else                                                                                        \
      tile_bounded_body<S, false>(t, pv, js, contiguous, nj, wild, nb, bound, first, acc, out); \
  }
#define NUMKIT_HAMMING_TILE_FNS(S, SUFFIX)                                                      \
  NUMKIT_CLONES inline void tile_accumulate_##SUFFIX(                                           \
      const S* t, const S* pv, const std::int64_t* js, std::int64_t q0, std::int64_t q1,        \
      bool text_wild, S wild, std::int64_t nb, std::uint32_t* acc) {                            \
    if (text_wild)                                                                              \
      tile_accumulate_body<S, true>(t, pv, js, q0, q1, wild, nb, acc);                          \
    else                                                                                        \
      tile_accumulate_body<S, false>(t, pv, js, q0, q1, wild, nb, acc);                         \
  }                                                                                             \
  NUMKIT_HAMMING_BOUNDED_FN(S, SUFFIX, std::int32_t)                                            \
  NUMKIT_HAMMING_BOUNDED_FN(S, SUFFIX, std::int64_t)

NUMKIT_HAMMING_TILE_FNS(std::uint8_t, u8)
NUMKIT_HAMMING_TILE_FNS(std::uint16_t, u16)
NUMKIT_HAMMING_TILE_FNS(std::uint32_t, u32)
#undef NUMKIT_HAMMING_TILE_FNS
#undef NUMKIT_HAMMING_BOUNDED_FN

// out[b] = min(acc[b], cap): the tile's results, vectorized (pminud needs SSE4.1, so this is
// cloned too: the SSE2 baseline runs it scalar, ~1 ns per window).
NUMKIT_CLONES inline void clip_copy(const std::uint32_t* __restrict acc, std::int64_t nb,
                                    std::uint32_t cap, std::int32_t* __restrict out) {
#pragma omp simd
  for (std::int64_t b = 0; b < nb; ++b) out[b] = static_cast<std::int32_t>(std::min(acc[b], cap));
}
NUMKIT_CLONES inline void clip_copy(const std::uint32_t* __restrict acc, std::int64_t nb,
                                    std::uint32_t cap, std::int64_t* __restrict out) {
#pragma omp simd
  for (std::int64_t b = 0; b < nb; ++b) out[b] = static_cast<std::int64_t>(std::min(acc[b], cap));
}

inline void tile_accumulate(const std::uint8_t* t, const std::uint8_t* pv, const std::int64_t* js,
                            std::int64_t q0, std::int64_t q1, bool tw, std::uint8_t w,
                            std::int64_t nb, std::uint32_t* acc) {
  tile_accumulate_u8(t, pv, js, q0, q1, tw, w, nb, acc);
}
inline void tile_accumulate(const std::uint16_t* t, const std::uint16_t* pv, const std::int64_t* js,
                            std::int64_t q0, std::int64_t q1, bool tw, std::uint16_t w,
                            std::int64_t nb, std::uint32_t* acc) {
  tile_accumulate_u16(t, pv, js, q0, q1, tw, w, nb, acc);
}
inline void tile_accumulate(const std::uint32_t* t, const std::uint32_t* pv, const std::int64_t* js,
                            std::int64_t q0, std::int64_t q1, bool tw, std::uint32_t w,
                            std::int64_t nb, std::uint32_t* acc) {
  tile_accumulate_u32(t, pv, js, q0, q1, tw, w, nb, acc);
}
template <class S, class Out>
inline void tile_bounded(const S* t, const S* pv, const std::int64_t* js, bool contiguous,
                         std::int64_t nj, bool tw, S w, std::int64_t nb, std::int64_t bound,
                         std::int64_t first, std::uint32_t* acc, Out* out) {
  if constexpr (std::is_same_v<S, std::uint8_t>)
    tile_bounded_u8(t, pv, js, contiguous, nj, tw, w, nb, bound, first, acc, out);
  else if constexpr (std::is_same_v<S, std::uint16_t>)
    tile_bounded_u16(t, pv, js, contiguous, nj, tw, w, nb, bound, first, acc, out);
  else
    tile_bounded_u32(t, pv, js, contiguous, nj, tw, w, nb, bound, first, acc, out);
}

}  // namespace cpu
}  // namespace hamming
}  // namespace numkit
