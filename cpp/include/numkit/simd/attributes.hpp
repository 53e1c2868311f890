// numkit/simd/attributes.hpp -- the one set of compiler attributes for numkit's vector code, used
// by every part: forced inlining, full unrolling of fixed inner loops, and the target_clones
// lists. Macros only, so host/device headers (and NVRTC) can include it.
#pragma once

// Forced inlining on the host. GCC vectorizes an element loop only when everything it calls is
// inlined into it, and its inliner gives up on the larger regime templates (measured: the log K
// loops ran scalar, 2.5x slower); a clone made by target_clones also compiles only what is inlined
// into it for its target. Plain inline for CUDA, whose compiler inlines device code itself.
#if defined(__GNUC__) && !defined(__CUDACC__)
#define NUMKIT_FORCE_INLINE inline __attribute__((always_inline))
#else
#define NUMKIT_FORCE_INLINE inline
#endif

// Full unrolling of a short fixed-count loop inside a vectorized loop: GCC vectorizes an element
// loop around at most one inner loop. n bounds the trip count that is unrolled.
#define NUMKIT_PRAGMA_(text) _Pragma(#text)
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#define NUMKIT_UNROLL(n) NUMKIT_PRAGMA_(GCC unroll n)
#else
#define NUMKIT_UNROLL(n)
#endif

// Entry points compiled for several x86-64 levels and picked at load time (GCC target_clones, on
// plain non-template functions, where it is reliable):
// - NUMKIT_CLONES: AVX-512 (x86-64-v4), AVX2 + FMA (v3) and the SSE2 baseline;
// - NUMKIT_CLONES_AVX2: v3 and the baseline only: the log I chunk pipeline (v3 measured ~2x the
//   baseline). It has never been built or timed with an AVX-512 clone (the development machine
//   has no AVX-512), so adding one is a change to measure on a machine that has it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NUMKIT_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define NUMKIT_CLONES_AVX2 __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NUMKIT_CLONES
#define NUMKIT_CLONES_AVX2
#endif
