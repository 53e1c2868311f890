// numkit/special/cpu/iv_dx_block.hpp -- CPU block kernels for d/dx log I_v(x) and I_v/I_{v-1}
// (float64 ufunc loops of log_iv_dx and iv_ratio).
//
// The chunk pipeline of cpu/iv_block.hpp (classify by regime, gather, branch-free regime loops,
// scatter) with regime runs that evaluate the same approximations on forward-mode dual numbers in
// x, as the scalar kernels do (log_bessel_i.hpp):
//   series    log I = v log(x/2) - lgamma(1+v) + log1p(S(y)), y = x^2/4: d/dx = v/x + S'/(1+S),
//             S and dS/dx from the fixed-length one-division form of iv_series_fixed_run (the
//             derivative of the omitted tail is below rho^K/K! of the kept one);
//   large_x   d/dx = 1 - 1/(2x) + s'/s with s the DLMF 10.40.1 sum and s' its x-derivative;
//   uniform   the Debye formula on Dual<double> (vector_math policy);
//   shifted   I_{v+1}/I_v + v/x from the downward recurrence (log_iv_shifted's r_v1).
// Then log_iv_dx = D and iv_ratio = 1 / (D + v/x) (DLMF 10.29.2; a sum of positive terms).
// Special values take the scalar kernels, so they are identical to the scalar path.
#pragma once

#include <cstddef>
#include <cstdint>

#include "numkit/simd/attributes.hpp"
#include "numkit/special/cpu/iv_block.hpp"

namespace numkit {
namespace special {
namespace detail {

// log_iv_dx (Ratio = false) or iv_ratio (Ratio = true) from D = d/dx log I_v(x).
template <bool Ratio> NUMKIT_FORCE_INLINE double iv_dx_finish(double d, double v, double x) {
  return Ratio ? 1 / (d + v / x) : d;
}

template <bool Ratio, int K>
NUMKIT_FORCE_INLINE void iv_dx_series_run(std::size_t c, const double* v, const double* x, double* out) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) {
    const double y = 0.25 * x[i] * x[i];
    const double yd = 0.5 * x[i];  // dy/dx
    double p = 1, pd = 0, q = 1;    // q does not depend on x
    NUMKIT_UNROLL(40)
    for (int j = K; j >= 2; --j) {
      q *= j * (v[i] + j);
      pd = yd * p + y * pd;
      p = q + y * p;
    }
    q *= v[i] + 1;
    const double iq = 1 / q;
    const double s = y * p * iq;
    const double sd = (yd * p + y * pd) * iq;
    const double qd = sd / (1 + s);  // D - v/x
    if (Ratio) {
      // 1 / (D + v/x) = 1 / (2 v/x + qd) overflowed in 2 v/x where the ratio ~x/(2v) is
      // subnormal (v up to 1e30, x down to the series' 1e-280: it gave 0 with an overflow flag).
      // There (v/x > ~2^997, read from the bit patterns) it is r / (2 + r qd) with r = x/v;
      // elsewhere the usual form, bit for bit. The operands of both divisions are selected
      // first, so no lane overflows, and the selects are bit blends (the loop stays vectorized).
      // (|v|: v = -0 arrives here as an order of 0, and its sign bit must not read as huge)
      const std::int64_t gap =
          static_cast<std::int64_t>(double_bits(__builtin_fabs(v[i])) - double_bits(x[i]));
      const bool tiny = gap > (std::int64_t(997) << 52);
      const double q = simd::select(tiny, x[i], v[i]) / simd::select(tiny, v[i], x[i]);  // r or v/x
      out[i] = simd::select(tiny, q, 1.0) / simd::select(tiny, 2 + q * qd, (q + qd) + q);
    } else {
      out[i] = v[i] / x[i] + qd;
    }
  }
}

template <bool Ratio>
NUMKIT_FORCE_INLINE void iv_dx_large_x_run(std::size_t c, const double* v, const double* x, double* out) {
  double(&a)[6][iv_chunk] = iv_work().run;
  double *mu = a[0], *t = a[1], *td = a[2], *s = a[3], *sd = a[4], *ix = a[5];
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) {
    mu[i] = 4 * v[i] * v[i];
    t[i] = 1.0;
    td[i] = 0.0;
    s[i] = 1.0;
    sd[i] = 0.0;
    ix[i] = 1 / x[i];
  }
  // t_j = t_{j-1} a_j / x, a_j = (o^2 - mu) / (8 j): t_j' = a_j (t_{j-1}' - t_{j-1} / x) / x.
  // Stopping rule of the scalar kernel (negligible() on duals): term and derivative both negligible.
  for (int j = 1; j <= 60; ++j) {
    const double o = 2 * j - 1;
    const double e = 1.0 / (8.0 * j);
    int live = 0;
#pragma omp simd reduction(+ : live)
    for (std::size_t i = 0; i < c; ++i) {
      const double a = (o * o - mu[i]) * (e * ix[i]);
      const double ti = t[i] * a;
      const double tdi = (td[i] - t[i] * ix[i]) * a;
      s[i] += ti;
      sd[i] += tdi;
      // |term| against |sum| (sd is negative for v < 1/2: comparing signed values kept every
      // such element live for all 60 terms). A converged element stops as in the scalar kernel:
      // its terms are set to 0, so they cannot underflow while other elements still run.
      const double as = __builtin_fabs(s[i]), asd = __builtin_fabs(sd[i]);
      const bool on = (__builtin_fabs(ti) > 1e-18 * as) | (__builtin_fabs(tdi) > 1e-18 * asd);
      t[i] = select(on, ti, 0.0);
      td[i] = select(on, tdi, 0.0);
      live += on;
    }
    if (live == 0) break;
  }
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) out[i] = iv_dx_finish<Ratio>(1 - 0.5 * ix[i] + sd[i] / s[i], v[i], x[i]);
}

template <int N, bool Ratio>
NUMKIT_FORCE_INLINE void iv_dx_uniform_run(std::size_t c, const double* v, const double* x, double* out) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i) {
    const double d = log_iv_uniform<N, Dual<double>, vector_math>(Dual<double>(v[i]), Dual<double>(x[i], 1.0)).d;
    out[i] = iv_dx_finish<Ratio>(d, v[i], x[i]);
  }
}

template <bool Ratio>
NUMKIT_FORCE_INLINE void iv_dx_shifted_run(std::size_t c, const double* v, const double* x, double* out) {
#pragma omp simd
  for (std::size_t i = 0; i < c; ++i)
    out[i] = iv_dx_finish<Ratio>(log_iv_shifted<vector_math>(v[i], x[i]).r_v1 + v[i] / x[i], v[i], x[i]);
}

// The regime runs of log_iv_dx (Ratio = false) and iv_ratio (Ratio = true) for iv_chunk_impl.
template <bool Ratio> struct iv_dx_runs {
  template <int K> static NUMKIT_FORCE_INLINE void series(std::size_t c, const double* v, const double* x, double* out) {
    iv_dx_series_run<Ratio, K>(c, v, x, out);
  }
  static NUMKIT_FORCE_INLINE void large_x(std::size_t c, const double* v, const double* x, double* out) {
    iv_dx_large_x_run<Ratio>(c, v, x, out);
  }
  static NUMKIT_FORCE_INLINE void shifted(std::size_t c, const double* v, const double* x, double* out) {
    iv_dx_shifted_run<Ratio>(c, v, x, out);
  }
  template <int N> static NUMKIT_FORCE_INLINE void uniform(std::size_t c, const double* v, const double* x, double* out) {
    iv_dx_uniform_run<N, Ratio>(c, v, x, out);
  }
  static void scalar(std::size_t c, const double* v, const double* x, double* out) {
    for (std::size_t i = 0; i < c; ++i) out[i] = Ratio ? iv_ratio_d(v[i], x[i]) : log_iv_dx_d(v[i], x[i]);
  }
  static NUMKIT_FORCE_INLINE void run(std::uint8_t r, std::size_t c, const double* v, const double* x, double* out) {
    iv_regime_switch<iv_dx_runs>(r, c, v, x, out);
  }
};

NUMKIT_CLONES_AVX2 inline void log_iv_dx_chunk(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                               double* out) {
  iv_chunk_impl<iv_dx_runs<false>>(n, v, x, out);
}
NUMKIT_CLONES_AVX2 inline void iv_ratio_chunk(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                              double* out) {
  iv_chunk_impl<iv_dx_runs<true>>(n, v, x, out);
}

}  // namespace detail

inline void log_iv_dx_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                    double* out) {
  detail::for_each_iv_chunk(n, v, x, out, &detail::log_iv_dx_chunk);
}
inline void iv_ratio_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                   double* out) {
  detail::for_each_iv_chunk(n, v, x, out, &detail::iv_ratio_chunk);
}
inline void log_iv_dx_block(std::size_t n, const double* v, const double* x, double* out) {
  log_iv_dx_block_strided(n, {v, 1}, {x, 1}, out);
}
inline void iv_ratio_block(std::size_t n, const double* v, const double* x, double* out) {
  iv_ratio_block_strided(n, {v, 1}, {x, 1}, out);
}

}  // namespace special
}  // namespace numkit
