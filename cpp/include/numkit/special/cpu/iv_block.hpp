// numkit/special/cpu/iv_block.hpp -- CPU block kernels for log I_v(x) (float64 ufunc loops).
//
// Why blocks: a scalar loop over elements that branches per element into the four regimes of
// log_bessel_i.hpp runs at the latency of one element's dependency chain (the Debye Horner chain
// alone is ~200 dependent FMAs). Here each chunk of up to 2048 elements is classified by regime,
// each regime's elements are gathered into contiguous buffers and run as a branch-free loop
// (`#pragma omp simd`, fixed trip counts or a whole-chunk early exit) with the vectorizable
// vlog/vlog1p of simd/vmath.hpp, and scattered back. Special values (NaN, x <= 0, subnormal or
// huge x, inf, v < 0) take the scalar path, so the regime loops only see normal positive numbers.
// The formulas are the same templates as the scalar kernels (vector_math policy instead of libm).
#pragma once

#include <cstddef>
#include <cstdint>

#include "numkit/simd/attributes.hpp"
#include "numkit/simd/class_sort.hpp"
#include "numkit/simd/operand.hpp"
#include "numkit/simd/scratch.hpp"
#include "numkit/simd/select.hpp"
#include "numkit/simd/vmath.hpp"
#include "numkit/simd/vector_math.hpp"
#include "numkit/special/log_bessel_i.hpp"

namespace numkit {
namespace special {
namespace detail {

// Elements per chunk: larger chunks amortize the per-regime setup (measured: 256 -> 2048 took the
// mixed-regime benchmarks from 27.7/22.5 to 22.9/17.2 ns per element).
constexpr std::size_t iv_chunk = 2048;

// The working arrays of one chunk (~220 KB), one instance per thread on the heap
// (simd/scratch.hpp) rather than on the stack: gathered operands of iv_chunk_impl, the arrays of
// the regime runs (run[0..5]), and those of iv_lgamma1p_run, which a series run calls.
struct iv_scratch {
  alignas(64) double gv[iv_chunk];
  alignas(64) double gx[iv_chunk];
  alignas(64) double go[iv_chunk];
  alignas(64) double sv[iv_chunk];  // the chunk's operands, contiguous (iv_classify)
  alignas(64) double sx[iv_chunk];
  alignas(64) double run[6][iv_chunk];
  alignas(64) double lg_in[iv_chunk];
  alignas(64) double lg_out[iv_chunk];
  std::uint16_t idx[iv_chunk];
  std::uint16_t lg_ia[iv_chunk];
  std::uint16_t lg_ib[iv_chunk];
  std::int32_t cls[iv_chunk];
};
// The thread's scratch; iv_chunk_impl has checked that it exists before any run uses it.
inline iv_scratch& iv_work() { return *simd::thread_scratch<iv_scratch>(); }


// Regime codes of the block classifier; uniform buckets by order (fewer Debye terms for large v).
enum : std::uint8_t {
  ivb_scalar = 0,
  ivb_series,       // (x^2/4)/(v+1) <= 0.01 and v < 1e30: 8 terms, one division
  ivb_series_long,  // (x^2/4)/(v+1) <= 4 and v < 8, <= 2 and v < 16: 36 terms, one division
  ivb_large_x,
  ivb_shifted,
  ivb_u20,
  ivb_u17,
  ivb_u14,
  ivb_u11,
  ivb_u9,
  ivb_u8,
  ivb_u6,
  ivb_u5,
  ivb_u4,
  ivb_count
};

// The regime of iv_choose (log_bessel_i.hpp), refined into buckets, as branch-free integer
// arithmetic so that the classification loop vectorizes (random regimes would mispredict). The
// range tests and the thresholds on v and x compare IEEE bit patterns as int64 (simd::ge_bits), as
// log K's k_classify does, and the code is an int64 lane written as int32 (a byte code cost a
// pack per vector): measured in turns on mixed regimes, a quarter less time than float compares
// and byte codes, and the same codes for every input (special values and thresholds included).
NUMKIT_FORCE_INLINE std::int64_t iv_block_class(double v, double x) {
  const auto ge = [](std::int64_t bits, double th) { return simd::ge_bits(bits, th); };
  constexpr std::int64_t magnitude = ~(std::int64_t(1) << 63);
  const std::int64_t bv = static_cast<std::int64_t>(double_bits(v));
  const std::int64_t bx = static_cast<std::int64_t>(double_bits(x));
  const std::int64_t av = bv & magnitude, ax = bx & magnitude;  // |v|, |x|
  // Normal positive x below 1e150 and finite v >= 0 (v = -0 counts as 0, as `v >= 0` has it);
  // NaN and inf fail the upper bounds.
  const std::int64_t negative = ((bv >> 63) & (av != 0)) | ((bx >> 63) & 1);
  const std::int64_t ok = (1 - negative) & (1 - ge(av, 1e30)) & ge(ax, 2.2250738585072014e-308) &
                          (1 - ge(ax, 1e150));
  // The floating-point tests below see 1.0 in place of rejected operands: no NaN reaches an
  // ordered comparison (which would raise "invalid"), and x * x cannot overflow.
  const std::int64_t keep = -ok;
  const std::int64_t one = static_cast<std::int64_t>(double_bits(1.0));
  const double vs = bits_double(static_cast<nstd::uint64_t>((av & keep) | (one & ~keep)));
  const double xs = bits_double(static_cast<nstd::uint64_t>((ax & keep) | (one & ~keep)));
  const double y = 0.25 * xs * xs;
  const double v1 = vs + 1;
  const std::int64_t small_v = 1 - ge(av, iv_uniform_min_order);
  const std::int64_t shortser = y <= 0.01 * v1;
  // (as iv_choose: the long series also to x = 10 for v < 8, y <= 25: K = 36 leaves < 2e-33)
  const std::int64_t long_v = 1 - ge(av, iv_long_series_max_order);
  const std::int64_t series =
      (long_v & ((y <= 4 * v1) | (xs <= iv_long_series_max_x))) | (small_v & (y <= 2 * v1)) | shortser;
  const std::int64_t large = ge(ax, 25.0) & (xs >= 2 * vs * vs);
  const std::int64_t bucket = ge(av, 20) + ge(av, 30) + ge(av, 50) + ge(av, 100) + ge(av, 200) +
                              ge(av, 500) + ge(av, 3000) + ge(av, 1e4);
  // Selects on all-ones masks (AVX2 has no 64-bit multiply).
  const std::int64_t is_series = -series, is_small = -small_v;
  const std::int64_t nonseries = (is_small & (ivb_shifted - large)) | (~is_small & (ivb_u20 + bucket));
  const std::int64_t cls = (is_series & (ivb_series_long - shortser)) | (~is_series & nonseries);
  return cls & keep;  // ivb_scalar == 0
}

// lgamma(1 + v) for v >= 9, vectorizable: Stirling (DLMF 5.11.1, terms to z^-17: < 2e-18 at
// z = 10). (1/4 <= v < 9: lgamma_mid; v < 1/4: the zeta series lgamma1p_small.)
NUMKIT_FORCE_INLINE double lgamma1p_stirling(double v) {
  const double z = v + 1;
  const double r = 1 / z;
  const double r2 = r * r;
  const double tail =
      r * (1.0 / 12 -
           r2 * (1.0 / 360 -
                 r2 * (1.0 / 1260 -
                       r2 * (1.0 / 1680 -
                             r2 * (1.0 / 1188 -
                                   r2 * (691.0 / 360360 -
                                         r2 * (1.0 / 156 -
                                               r2 * (3617.0 / 122400 - r2 * (43867.0 / 244188)))))))));
  const double stirling = (z - 0.5) * vm::vlog(z) - z + 0.5 * constants<double>::ln_2pi() + tail;
  return stirling;
}

// lgamma(1 + v) for a run of elements. Stirling (valid for v >= 9, finite for every v >= 0) runs on
// every element in place as one vectorized loop; the elements below 9 -- a minority in mixed input,
// none for large orders -- are then overwritten by their own formula, gathered by index
// (partitioning all three classes by index cost 4 ns/element more on a run of large orders).
NUMKIT_FORCE_INLINE void iv_lgamma1p_run(std::size_t c, const double* v, double* lg) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) lg[i] = lgamma1p_stirling(v[i]);
  iv_scratch& w = iv_work();
  std::uint16_t* ia = w.lg_ia;
  std::uint16_t* ib = w.lg_ib;
  std::size_t na = 0, nb = 0;
  for (std::size_t i = 0; i < c; ++i) {  // branch-free appends
    const bool small = v[i] < 0.25, mid = !small & (v[i] < 9);
    ia[na] = ib[nb] = static_cast<std::uint16_t>(i);
    na += small;
    nb += mid;
  }
  double* g = w.lg_in;
  double* r = w.lg_out;
  for (std::size_t j = 0; j < na; ++j) g[j] = v[ia[j]];
#pragma omp simd
  for (std::size_t j = 0; j < na; ++j) r[j] = lgamma1p_small(g[j]);
  for (std::size_t j = 0; j < na; ++j) lg[ia[j]] = r[j];
  for (std::size_t j = 0; j < nb; ++j) g[j] = v[ib[j]];
#pragma omp simd
  for (std::size_t j = 0; j < nb; ++j) r[j] = lgamma_mid(g[j] + 1, [](double a) { return vm::vlog(a); });
  for (std::size_t j = 0; j < nb; ++j) lg[ib[j]] = r[j];
}

// Power series with K terms and ONE division: with d_j = j (v + j),
// S = sum_{k<=K} y^k / (d_1...d_k) = y P_2 / Q_1, Q_j = d_j Q_{j+1}, P_j = Q_j + y P_{j+1},
// P_{K+1} = Q_{K+1} = 1 (all terms positive). Short class (rho = y/(v+1) <= 0.01): K = 8, the
// next term is < rho^8/8! < 3e-21 relative, and Q_1 < 1e308 for v < 1e30 (classifier). Long class
// (rho <= 4 or x <= 10 with v < 8, rho <= 2 and v < 16): K = 36, next term < 4^36/36! < 2e-20
// (x <= 10: y^36 / (36!)^2 <= 25^36 / (36!)^2 < 2e-33), Q_1 < 36! 52^36 ~ 3e103.
template <bool S, int K>
NUMKIT_FORCE_INLINE void iv_series_fixed_run(std::size_t c, const double* v, const double* x, double* out) {
  double* s = iv_work().run[0];
  double* lg = iv_work().run[1];
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) {
    const double y = 0.25 * x[i] * x[i];
    double p = 1, q = 1;
    NUMKIT_UNROLL(40)
    for (int j = K; j >= 2; --j) {
      q *= j * (v[i] + j);
      p = q + y * p;
    }
    q *= v[i] + 1;
    s[i] = y * p / q;
  }
  iv_lgamma1p_run(c, v, lg);
  // Short class: s <= 0.0102, so log1p(s) is its Taylor polynomial to s^9 (no division).
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i)
    out[i] = v[i] * (vm::vlog(x[i]) - constants<double>::ln2()) - lg[i] +
             (K <= 8 ? log1p_small_poly(s[i]) : vm::vlog1p(s[i])) - (S ? x[i] : 0.0);
}

template <bool S> NUMKIT_FORCE_INLINE void iv_large_x_run(std::size_t c, const double* v, const double* x, double* out) {
  double(&a)[6][iv_chunk] = iv_work().run;
  double *mu = a[0], *t = a[1], *s = a[2], *ix = a[3];
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) {
    mu[i] = 4 * v[i] * v[i];
    t[i] = 1.0;
    s[i] = 1.0;
    ix[i] = 1 / x[i];  // one division per element, none per term
  }
  for (int j = 1; j <= 60; ++j) {
    const double o = 2 * j - 1;
    const double e = 1.0 / (8.0 * j);
    int live = 0;
#pragma omp simd reduction(+ : live)
    for (std::size_t i = 0; i < c; ++i) {
      const double ti = t[i] * (o * o - mu[i]) * (e * ix[i]);
      s[i] += ti;
      const bool on = (ti > 1e-18 * s[i]) | (-ti > 1e-18 * s[i]);
      // A converged element stops here as in the scalar kernel (which breaks): its term is set to
      // 0 so that it does not keep shrinking, and underflowing, while other elements of the
      // chunk still need terms (the "underflow" flag on ordinary inputs).
      t[i] = select(on, ti, 0.0);
      live += on;
    }
    if (live == 0) break;
  }
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i)
    out[i] = (S ? 0.0 : x[i]) - 0.5 * (vm::vlog(x[i]) + constants<double>::ln_2pi()) + vm::vlog(s[i]);
}

template <int N, bool S> NUMKIT_FORCE_INLINE void iv_uniform_run(std::size_t c, const double* v, const double* x, double* out) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) out[i] = log_iv_uniform<N, double, vector_math, S>(v[i], x[i]);
}

template <bool S> NUMKIT_FORCE_INLINE void iv_shifted_run(std::size_t c, const double* v, const double* x, double* out) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) out[i] = log_iv_shifted<vector_math, S>(v[i], x[i]).log_iv;
}

// The one regime switch of the log I chunk pipeline. Loops supplies each regime's vectorized loop
// (series<K>, large_x, shifted, uniform<N>) and the scalar fallback; log I, log I - x and the
// x-derivative kernels (iv_dx_block.hpp) differ only in their Loops.
template <class Loops>
NUMKIT_FORCE_INLINE void iv_regime_switch(std::uint8_t r, std::size_t c, const double* v, const double* x,
                                       double* out) {
  switch (r) {
    case ivb_series: Loops::template series<8>(c, v, x, out); break;
    case ivb_series_long: Loops::template series<36>(c, v, x, out); break;
    case ivb_large_x: Loops::large_x(c, v, x, out); break;
    case ivb_shifted: Loops::shifted(c, v, x, out); break;
    case ivb_u20: Loops::template uniform<20>(c, v, x, out); break;
    case ivb_u17: Loops::template uniform<17>(c, v, x, out); break;
    case ivb_u14: Loops::template uniform<14>(c, v, x, out); break;
    case ivb_u11: Loops::template uniform<11>(c, v, x, out); break;
    case ivb_u9: Loops::template uniform<9>(c, v, x, out); break;
    case ivb_u8: Loops::template uniform<8>(c, v, x, out); break;
    case ivb_u6: Loops::template uniform<6>(c, v, x, out); break;
    case ivb_u5: Loops::template uniform<5>(c, v, x, out); break;
    case ivb_u4: Loops::template uniform<4>(c, v, x, out); break;
    default: Loops::scalar(c, v, x, out);
  }
}

// The regime loops of log I (S: log I - x) for iv_chunk_impl.
template <bool S> struct iv_log_runs {
  template <int K> static NUMKIT_FORCE_INLINE void series(std::size_t c, const double* v, const double* x, double* out) {
    iv_series_fixed_run<S, K>(c, v, x, out);
  }
  static NUMKIT_FORCE_INLINE void large_x(std::size_t c, const double* v, const double* x, double* out) {
    iv_large_x_run<S>(c, v, x, out);
  }
  static NUMKIT_FORCE_INLINE void shifted(std::size_t c, const double* v, const double* x, double* out) {
    iv_shifted_run<S>(c, v, x, out);
  }
  template <int N> static NUMKIT_FORCE_INLINE void uniform(std::size_t c, const double* v, const double* x, double* out) {
    iv_uniform_run<N, S>(c, v, x, out);
  }
  static void scalar(std::size_t c, const double* v, const double* x, double* out) {
    for (std::size_t i = 0; i < c; ++i) out[i] = S ? log_ive_d(v[i], x[i]) : log_iv_d(v[i], x[i]);
  }
  static NUMKIT_FORCE_INLINE void run(std::uint8_t r, std::size_t c, const double* v, const double* x, double* out) {
    iv_regime_switch<iv_log_runs>(r, c, v, x, out);
  }
};

// Classifies the chunk's elements by regime and stores the chunk contiguously in cv, cx (the
// same loop: two stores per element), for the gathers by regime. Every layout gathers from that
// hot, compact copy: a strided chunk needs no staging pass, and a contiguous one runs faster than
// when gathered from the operands themselves (~10% at n = 1e6, arrays beyond L2, AVX-512 Xeon;
// no change in cache).
template <class V>
NUMKIT_FORCE_INLINE void iv_classify(std::size_t n, V v, V x, std::int32_t* cls, double* cv, double* cx) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    const double vi = v[i], xi = x[i];
    cv[i] = vi;
    cx[i] = xi;
    cls[i] = static_cast<std::int32_t>(iv_block_class(vi, xi));
  }
}

// Classify a chunk, run each regime's elements through Runs::run(regime, count, v, x, out) as one
// contiguous loop, scatter back. Shared by log I, log I - x and the x-derivative kernels
// (detail_iv_dx_block.hpp), which differ only in their regime runs. Only the classification
// depends on the operands' layout; the regime runs (most of the code) are inlined at one call
// site (two, one for a chunk of one regime, made the entry points twice as large and slower).
template <class Runs>
NUMKIT_FORCE_INLINE void iv_chunk_impl(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                       double* out) {
  iv_scratch* w = simd::thread_scratch<iv_scratch>();
  if (w == nullptr) {  // no memory for the scratch: the scalar kernels, element by element
    for (std::size_t i = 0; i < n; ++i) {
      const double vi = v[i], xi = x[i];
      Runs::scalar(1, &vi, &xi, out + i);  // (not Runs::run: that would inline every regime again)
    }
    return;
  }
  // The chunk's operands, copied contiguously by the classification (unit steps take the
  // contiguous instantiation of its loads).
  if (v.step == 1 && x.step == 1) {
    iv_classify(n, simd::Contiguous<double>{v.p}, simd::Contiguous<double>{x.p}, w->cls, w->sv, w->sx);
  } else {
    iv_classify(n, v, x, w->cls, w->sv, w->sx);
  }
  const double* cv = w->sv;
  const double* cx = w->sx;
  simd::Partition<ivb_count> part;
  const int single = simd::partition(n, w->cls, w->idx, part);
  // A chunk of one regime (sorted or smooth inputs) runs on the chunk itself; otherwise each
  // regime's elements are gathered (gv, gx), run into go and scattered back.
  const double* rv = cv;
  const double* rx = cx;
  double* ro = out;
  const std::uint16_t* idx = part.idx;
  if (single < 0) {
    for (std::size_t j = 0; j < n; ++j) {
      w->gv[j] = cv[idx[j]];
      w->gx[j] = cx[idx[j]];
    }
    rv = w->gv;
    rx = w->gx;
    ro = w->go;
  }
  for (int r = 0; r < ivb_count; ++r) {
    if (part.count[r] == 0) continue;
    const std::size_t b = part.start[r];
    Runs::run(static_cast<std::uint8_t>(r), part.count[r], rv + b, rx + b, ro + b);
  }
  if (single < 0) {
    for (std::size_t j = 0; j < n; ++j) out[idx[j]] = w->go[j];
  }
}

// The chunk entry points: AVX2 + FMA clones (4 lanes) where the CPU has them, SSE2 otherwise.
NUMKIT_CLONES_AVX2 inline void log_iv_chunk(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                            double* out) {
  iv_chunk_impl<iv_log_runs<false>>(n, v, x, out);
}
NUMKIT_CLONES_AVX2 inline void log_ive_chunk(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                             double* out) {
  iv_chunk_impl<iv_log_runs<true>>(n, v, x, out);
}

using iv_chunk_fn = void (*)(std::size_t, simd::Strided<double>, simd::Strided<double>, double*);

// Runs a chunk kernel over n elements, iv_chunk at a time (the chunk kernels' scratch is sized so).
inline void for_each_iv_chunk(std::size_t n, simd::Strided<double> v, simd::Strided<double> x, double* out,
                              iv_chunk_fn chunk) {
  for (std::size_t start = 0; start < n; start += iv_chunk) {
    const std::size_t m = n - start < iv_chunk ? n - start : iv_chunk;
    chunk(m, v + start, x + start, out + start);
  }
}

}  // namespace detail

// The block kernels of the ufunc loops: contiguous operands, or operands with element steps
// (bind/ufunc.hpp's Blockwise calls the strided form when the output is contiguous).
inline void log_iv_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x, double* out) {
  detail::for_each_iv_chunk(n, v, x, out, &detail::log_iv_chunk);
}
inline void log_ive_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                  double* out) {
  detail::for_each_iv_chunk(n, v, x, out, &detail::log_ive_chunk);
}
inline void log_iv_block(std::size_t n, const double* v, const double* x, double* out) {
  log_iv_block_strided(n, {v, 1}, {x, 1}, out);
}
inline void log_ive_block(std::size_t n, const double* v, const double* x, double* out) {
  log_ive_block_strided(n, {v, 1}, {x, 1}, out);
}

}  // namespace special
}  // namespace numkit
