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
// k-bounded form (tile_bounded): the tile runs chunks of pattern positions (~2(k+1), doubling)
// and stops when no window has <= bound mismatches; once only a few windows (<= 1/16) survive,
// each survivor finishes alone with an early exit every 64 positions.
#pragma once

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

#if defined(__GNUC__)
#define NUMKIT_HAMMING_INLINE inline __attribute__((always_inline))
#else
#define NUMKIT_HAMMING_INLINE inline
#endif

template <class S, bool TW> NUMKIT_HAMMING_INLINE std::uint32_t mism(S a, S p, S wild) {
  if (TW) return (a != p && a != wild) ? 1u : 0u;
  return a != p ? 1u : 0u;
}

// acc[b] += #{q in [q0, q1) : t[js[q] + b] mismatches pv[q]}, b < nb <= kMaxTile.
template <class S, bool TW>
NUMKIT_HAMMING_INLINE void tile_accumulate_body(const S* __restrict t, const S* __restrict pv,
                                                const std::int64_t* __restrict js, std::int64_t q0,
                                                std::int64_t q1, S wild, std::int64_t nb,
                                                std::uint32_t* __restrict acc) {
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
    for (std::int64_t b = 0; b < nb; ++b) acc[b] += c[b];
  }
}

// One window's mismatches over positions [q, nj), stopping once the total exceeds bound.
template <class S, bool TW>
NUMKIT_HAMMING_INLINE std::uint32_t window_tail(const S* t, const S* pv, const std::int64_t* js,
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

// k-bounded tile: acc[b] = mismatches of window b, exact when <= bound, else some value > bound.
template <class S, bool TW>
NUMKIT_HAMMING_INLINE void tile_bounded_body(const S* __restrict t, const S* __restrict pv,
                                             const std::int64_t* __restrict js, bool contiguous,
                                             std::int64_t nj, S wild, std::int64_t nb,
                                             std::int64_t bound, std::uint32_t* __restrict acc) {
  for (std::int64_t b = 0; b < nb; ++b) acc[b] = 0;
  // First chunk ~2 (bound + 1) positions (a multiple of 8): on random text with mismatch
  // probability >= 1/2 nearly every window has passed the bound by then.
  std::int64_t q = 0, chunk = std::min<std::int64_t>(1024, std::max<std::int64_t>(8, (2 * bound + 9) / 8 * 8));
  while (q < nj) {
    const std::int64_t qe = std::min(nj, q + chunk);
    tile_accumulate_body<S, TW>(t, pv, js, q, qe, wild, nb, acc);
    q = qe;
    std::int64_t alive = 0;
    for (std::int64_t b = 0; b < nb; ++b) alive += static_cast<std::int64_t>(acc[b]) <= bound;
    if (alive == 0) return;
    if (alive * 16 <= nb) break;
    chunk = std::min<std::int64_t>(2 * chunk, 1024);
  }
  if (q >= nj) return;
  for (std::int64_t b = 0; b < nb; ++b)
    if (static_cast<std::int64_t>(acc[b]) <= bound)
      acc[b] = window_tail<S, TW>(t + b, pv, js, contiguous, q, nj, wild, acc[b], bound);
}

// The entry points, compiled for the SSE2 baseline and for x86-64-v3/v4 (AVX2, AVX-512), picked
// at load time. Non-template wrappers: GCC's target_clones is reliable on plain functions.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NUMKIT_HAMMING_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NUMKIT_HAMMING_CLONES
#endif

#define NUMKIT_HAMMING_TILE_FNS(S, SUFFIX)                                                      \
  NUMKIT_HAMMING_CLONES inline void tile_accumulate_##SUFFIX(                                   \
      const S* t, const S* pv, const std::int64_t* js, std::int64_t q0, std::int64_t q1,        \
      bool text_wild, S wild, std::int64_t nb, std::uint32_t* acc) {                            \
    if (text_wild)                                                                              \
      tile_accumulate_body<S, true>(t, pv, js, q0, q1, wild, nb, acc);                          \
    else                                                                                        \
      tile_accumulate_body<S, false>(t, pv, js, q0, q1, wild, nb, acc);                         \
  }                                                                                             \
  NUMKIT_HAMMING_CLONES inline void tile_bounded_##SUFFIX(                                      \
      const S* t, const S* pv, const std::int64_t* js, bool contiguous, std::int64_t nj,        \
      bool text_wild, S wild, std::int64_t nb, std::int64_t bound, std::uint32_t* acc) {        \
    if (text_wild)                                                                              \
      tile_bounded_body<S, true>(t, pv, js, contiguous, nj, wild, nb, bound, acc);              \
    else                                                                                        \
      tile_bounded_body<S, false>(t, pv, js, contiguous, nj, wild, nb, bound, acc);             \
  }

NUMKIT_HAMMING_TILE_FNS(std::uint8_t, u8)
NUMKIT_HAMMING_TILE_FNS(std::uint16_t, u16)
NUMKIT_HAMMING_TILE_FNS(std::uint32_t, u32)
#undef NUMKIT_HAMMING_TILE_FNS

// out[b] = min(acc[b], cap): the tile's results, vectorized (pminud needs SSE4.1, so this is
// cloned too: the SSE2 baseline runs it scalar, ~1 ns per window).
NUMKIT_HAMMING_CLONES inline void clip_copy(const std::uint32_t* __restrict acc, std::int64_t nb,
                                            std::uint32_t cap, std::int32_t* __restrict out) {
#pragma omp simd
  for (std::int64_t b = 0; b < nb; ++b) out[b] = static_cast<std::int32_t>(std::min(acc[b], cap));
}
NUMKIT_HAMMING_CLONES inline void clip_copy(const std::uint32_t* __restrict acc, std::int64_t nb,
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
inline void tile_bounded(const std::uint8_t* t, const std::uint8_t* pv, const std::int64_t* js,
                         bool contiguous, std::int64_t nj, bool tw, std::uint8_t w, std::int64_t nb,
                         std::int64_t bound, std::uint32_t* acc) {
  tile_bounded_u8(t, pv, js, contiguous, nj, tw, w, nb, bound, acc);
}
inline void tile_bounded(const std::uint16_t* t, const std::uint16_t* pv, const std::int64_t* js,
                         bool contiguous, std::int64_t nj, bool tw, std::uint16_t w,
                         std::int64_t nb, std::int64_t bound, std::uint32_t* acc) {
  tile_bounded_u16(t, pv, js, contiguous, nj, tw, w, nb, bound, acc);
}
inline void tile_bounded(const std::uint32_t* t, const std::uint32_t* pv, const std::int64_t* js,
                         bool contiguous, std::int64_t nj, bool tw, std::uint32_t w,
                         std::int64_t nb, std::int64_t bound, std::uint32_t* acc) {
  tile_bounded_u32(t, pv, js, contiguous, nj, tw, w, nb, bound, acc);
}

}  // namespace cpu
}  // namespace hamming
}  // namespace numkit
