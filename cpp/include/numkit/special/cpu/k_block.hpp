// numkit/special/cpu/k_block.hpp -- CPU block kernels for log K_v(x) and log K_v(x) + x (double).
//
// A block of up to 2048 elements is classified by regime (the same split as the scalar kernel in
// log_bessel_k.hpp); each regime then runs as a `#pragma omp simd` loop over gathered operands with
// fixed trip counts and the polynomial exp/log of simd/vmath.hpp, and the results are scattered
// back. Elements outside the ranges where those loops are proven safe (NaN, x <= 0, inf, x < 1e-280,
// x > 1e15, |v| > 1e6, and v < 20 with x < 1e-12 where the recurrence product could overflow) go
// through the scalar kernel, which handles every special value. Host only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "numkit/simd/attributes.hpp"
#include "numkit/simd/class_sort.hpp"
#include "numkit/simd/operand.hpp"
#include "numkit/simd/select.hpp"
#include "numkit/simd/vector_math.hpp"
#include "numkit/special/detail_k_regimes.hpp"
#include "numkit/simd/scratch.hpp"
#include "numkit/simd/vmath.hpp"

namespace numkit {
namespace special {
namespace detail {

enum k_class : unsigned char {
  kc_scalar,
  kc_u5, kc_u6, kc_u7, kc_u8, kc_u9, kc_u11, kc_u13, kc_u14, kc_u16,  // uniform, by Debye terms
  kc_hankel,                                                         // v < 20, x >= 1000
  kc_t6, kc_t10,                   // v < 20: Temme, x < 0.1, [0.1, 1)
  kc_w1, kc_w2, kc_w3, kc_w4,      // v < 20: CF2 ratio + Wronskian, [1, 2), [2, 4), [4, 10], (10, 30)
  kc_hp,                           // v < 20: Hankel pair at mu, [30, 1000)
  kc_count
};

// Regime class of each element, branch-free and vectorized: elements of a block arrive in random
// regime order, and a chain of data-dependent branches per element costs more than some of the
// regime loops. Comparisons are done on the IEEE bit patterns as int64 (simd::ge_bits; negative
// numbers and NaN fail the range test `ok`).
template <class V, class X>
NUMKIT_FORCE_INLINE void k_classify(std::size_t m, V v, X x, std::int32_t* cls) {
  const auto ge = [](std::int64_t bits, double th) { return simd::ge_bits(bits, th); };
#pragma omp simd
  for (std::size_t i = 0; i < m; ++i) {
    const std::int64_t bv = static_cast<std::int64_t>(double_bits(__builtin_fabs(v[i])));
    const std::int64_t bx = static_cast<std::int64_t>(double_bits(x[i]));
    const std::int64_t ok = ge(bx, 1e-280) & (1 - ge(bx, 1.0000000000000002e15)) &
                            (1 - ge(bv, 1.0000000000000002e6));
    const std::int64_t big_v = ge(bv, k_uniform_min_v);
    const std::int64_t cu = kc_u16 - (ge(bv, 25.0) + ge(bv, 30.0) + ge(bv, 40.0) +
                                      ge(bv, 70.0) + ge(bv, 150.0) + ge(bv, 300.0) +
                                      ge(bv, 1000.0) + ge(bv, 3000.0));
    const std::int64_t cx = kc_t6 + ge(bx, 0.1) + ge(bx, k_temme_max_x) + ge(bx, 2.0) +
                            ge(bx, 4.0) + ge(bx, 10.000000000000002) +
                            ge(bx, k_wronskian_max_x);
    const std::int64_t hank = ge(bx, k_hankel_min_x);
    const std::int64_t tiny = 1 - ge(bx, 1e-12);
    // Selects on all-ones masks, not products of 0/1 flags (AVX2 has no 64-bit multiply).
    const std::int64_t is_hank = -hank, is_big = -big_v;
    const std::int64_t small_c = (is_hank & kc_hankel) | (~is_hank & (-(1 - tiny) & cx));
    cls[i] = static_cast<std::int32_t>(-ok & ((is_big & cu) | (~is_big & small_c)));
  }
}

constexpr std::size_t k_block = 2048;

// Why the loops vectorize: every regime formula is branch-free (selects are done on the bit
// patterns, see select_less in simd/select.hpp: GCC keeps a select that follows a
// floating-point comparison as a branch under the default -ftrapping-math) and every helper is
// force-inlined (NUMKIT_FORCE_INLINE).

struct k_scratch {
  alignas(64) double v[k_block];
  alignas(64) double x[k_block];
  alignas(64) double mu[k_block];
  alignas(64) double n[k_block];
  alignas(64) double base[k_block];
  alignas(64) double ratio[k_block];
  alignas(64) double r[k_block];
  alignas(64) double mu2[k_block];
  alignas(64) double x2[k_block];
  alignas(64) double base2[k_block];
  alignas(64) double ratio2[k_block];
  std::uint16_t pos[k_block];
  std::uint16_t pos2[k_block];
  std::uint16_t perm[k_block];  // the small-order elements sorted by recurrence length
};

// Everything k_block_run needs per chunk (~270 KB): one per thread, on the heap
// (simd/scratch.hpp), so the kernel runs on threads with small stacks.
struct k_work {
  std::uint16_t idx[k_block];  // the block's elements sorted by class (simd/class_sort.hpp)
  std::int32_t cls[k_block];
  k_scratch w;
};

template <int ND, bool KV>
NUMKIT_FORCE_INLINE void k_run_uniform(std::size_t m, const double* v, const double* x, double* r) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) {
    const double s = __builtin_sqrt(v[j] * v[j] + x[j] * x[j]);
    r[j] = k_uniform<ND, false, KV, vector_math>(v[j], x[j], s);
  }
}

template <int ND>
NUMKIT_FORCE_INLINE void k_run_uniform(std::size_t m, const double* v, const double* x, double* r,
                                   bool kv) {
  if (kv) {
    k_run_uniform<ND, true>(m, v, x, r);
  } else {
    k_run_uniform<ND, false>(m, v, x, r);
  }
}

NUMKIT_FORCE_INLINE void k_run_hankel(std::size_t m, const double* v, const double* x, double* r) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) r[j] = k_hankel<14, vector_math>(v[j], x[j]);
}

template <int NT>
NUMKIT_FORCE_INLINE void k_run_temme(std::size_t m, const double* mu, const double* x, double* base, double* ratio) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) {
    double lk, rt;
    k_temme<NT, vector_math>(mu[j], x[j], lk, rt);
    base[j] = lk + x[j];
    ratio[j] = rt;
  }
}

template <int NI, int NS>
NUMKIT_FORCE_INLINE void k_run_wronskian(std::size_t m, const double* mu, const double* x, double* base,
                            double* ratio) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) {
    double b, rt;
    k_wronskian<NI, NS, vector_math>(mu[j], x[j], b, rt);
    base[j] = b;
    ratio[j] = rt;
  }
}

template <int NH>
NUMKIT_FORCE_INLINE void k_run_hankel_pair(std::size_t m, const double* mu, const double* x, double* base,
                                       double* ratio) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) {
    double b, rt;
    k_hankel_pair<NH, vector_math>(mu[j], x[j], b, rt);
    base[j] = b;
    ratio[j] = rt;
  }
}

// Forward recurrence K_{mu+k+1} = (2(mu+k)/x) K_{mu+k} + K_{mu+k-1} from (1, K_{mu+1}/K_mu), unnormalized
// (no division), exactly n steps for a group of elements with the same n; for x >= 1e-12 and n <= 20
// the values stay below 1e280.
template <int NN>
NUMKIT_FORCE_INLINE void k_run_forward_n(std::size_t m, const double* mu, const double* x,
                                     const double* base, const double* ratio, double* r) {
#pragma omp simd
  for (std::size_t j = 0; j < m; ++j) {
    const double two_x = 2.0 / x[j];
    double k0 = 1.0;
    double k1 = ratio[j];
    NUMKIT_UNROLL(128)
    for (int k = 1; k < NN; ++k) {
      const double k2 = (mu[j] + static_cast<double>(k)) * two_x * k1 + k0;
      k0 = k1;
      k1 = k2;
    }
    r[j] = base[j] + vm::vlog(k1);
  }
}

template <int... NN>
NUMKIT_FORCE_INLINE void k_run_forward_dispatch(int n, std::size_t m, const double* mu, const double* x,
                                            const double* base, const double* ratio, double* r,
                                            std::integer_sequence<int, NN...>) {
  ((n == NN + 1 ? k_run_forward_n<NN + 1>(m, mu, x, base, ratio, r) : void()), ...);
}

NUMKIT_FORCE_INLINE void k_run_forward(std::size_t m, int n, const double* mu, const double* x,
                                   const double* base, const double* ratio, double* r) {
  if (n == 0) {
    for (std::size_t j = 0; j < m; ++j) r[j] = base[j];
    return;
  }
  k_run_forward_dispatch(n, m, mu, x, base, ratio, r, std::make_integer_sequence<int, 20>{});
}

// out[i] = log(K_v(x) e^x) - (subtract_x ? x : 0). `scalar(v, x)` is the scalar kernel for the
// elements the vector loops do not take. V and X are the operands' layouts (simd/operand.hpp):
// every element is read where the block is classified and gathered by class, so a strided or
// broadcast operand needs no staging copy.
template <class V, class X, class Scalar>
NUMKIT_FORCE_INLINE void k_block_run(std::size_t n, V v, X x, double* out, bool subtract_x, Scalar scalar) {
  // Blocks of 2048 rather than 256 give each regime loop and each recurrence group enough elements
  // to run at vector speed (measured on v ~ logU[0.1, 1e4], x ~ logU[1e-6, 1e5]: 26.7 -> 17.0
  // ns/element). The ~270 KB of working arrays live in the per-thread k_work.
  k_work* work = simd::thread_scratch<k_work>();
  if (work == nullptr) {  // no memory for the scratch: every element through the scalar kernel
    for (std::size_t i = 0; i < n; ++i) out[i] = scalar(v[i], x[i]);
    return;
  }
  std::uint16_t* idx_all = work->idx;
  k_scratch& w = work->w;
  std::int32_t* cls = work->cls;
  for (std::size_t start = 0; start < n; start += k_block) {
    const std::size_t m = (n - start < k_block) ? n - start : k_block;
    const V vb = v + start;
    const X xb = x + start;
    double* ob = out + start;
    k_classify(m, vb, xb, cls);
    simd::Partition<kc_count> part;
    if (simd::partition(m, cls, idx_all, part) >= 0) {
      // One class: the loops below read the identity order.
      for (std::size_t i = 0; i < m; ++i) idx_all[i] = static_cast<std::uint16_t>(i);
    }
    const std::uint32_t* cnt = part.count;
    auto idx = [&](int c) { return part.of(c); };  // class c's elements, ascending
    for (std::size_t i = 0; i < cnt[kc_scalar]; ++i) {
      const std::size_t k = idx(kc_scalar)[i];
      ob[k] = scalar(vb[k], xb[k]);
    }
    // Large order and large argument: one pass each.
    for (int c = kc_u5; c <= kc_hankel; ++c) {
      const std::size_t mc = cnt[c];
      if (mc == 0) continue;
      const std::uint16_t* ic = idx(c);
      for (std::size_t j = 0; j < mc; ++j) {
        const std::size_t k = ic[j];
        w.v[j] = vb[k] < 0 ? -vb[k] : vb[k];
        w.x[j] = xb[k];
      }
      switch (c) {
        case kc_u5: k_run_uniform<5>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u6: k_run_uniform<6>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u7: k_run_uniform<7>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u8: k_run_uniform<8>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u9: k_run_uniform<9>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u11: k_run_uniform<11>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u13: k_run_uniform<13>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u14: k_run_uniform<14>(mc, w.v, w.x, w.r, subtract_x); break;
        case kc_u16: k_run_uniform<16>(mc, w.v, w.x, w.r, subtract_x); break;
        default: k_run_hankel(mc, w.v, w.x, w.r); break;
      }
      // The uniform loops return log K itself when asked (accurate near its zero, see
      // k_veta_near_z0); only the Hankel class still subtracts x here.
      const bool sub = subtract_x && c == kc_hankel;
      for (std::size_t j = 0; j < mc; ++j) {
        const std::size_t k = ic[j];
        ob[k] = sub ? w.r[j] - w.x[j] : w.r[j];
      }
    }
    // Small order: base pair at mu by x-class, then the recurrence by groups of equal n.
    std::size_t ms = 0;
    std::size_t begin[kc_count + 1] = {};
    for (int c = kc_t6; c <= kc_hp; ++c) {
      begin[c] = ms;
      const std::uint16_t* ic = idx(c);
      for (std::size_t j = 0; j < cnt[c]; ++j) {
        const std::size_t k = ic[j];
        const double a = vb[k] < 0 ? -vb[k] : vb[k];
        const double nd = __builtin_floor(a + 0.5);
        w.n[ms] = nd;
        w.mu[ms] = a - nd;
        w.x[ms] = xb[k];
        w.pos[ms] = ic[j];
        ++ms;
      }
    }
    if (ms == 0) continue;
    for (int c = kc_t6; c <= kc_hp; ++c) {
      const std::size_t b0 = begin[c], mc = cnt[c];
      if (mc == 0) continue;
      double* mu = w.mu + b0;
      double* xx = w.x + b0;
      double* bs = w.base + b0;
      double* rt = w.ratio + b0;
      switch (c) {
        case kc_t6: k_run_temme<6>(mc, mu, xx, bs, rt); break;
        case kc_t10: k_run_temme<10>(mc, mu, xx, bs, rt); break;
        case kc_w1: k_run_wronskian<56, 12>(mc, mu, xx, bs, rt); break;
        case kc_w2: k_run_wronskian<30, 17>(mc, mu, xx, bs, rt); break;
        case kc_w3: k_run_wronskian<18, 27>(mc, mu, xx, bs, rt); break;
        case kc_w4: k_run_wronskian<10, 50>(mc, mu, xx, bs, rt); break;
        default: k_run_hankel_pair<20>(mc, mu, xx, bs, rt); break;
      }
    }
    // Sort by n (0..20) into the second half of the scratch, then one loop per n.
    for (std::size_t j = 0; j < ms; ++j) cls[j] = static_cast<std::int32_t>(w.n[j]);
    simd::Partition<21> by_n;
    if (simd::partition(ms, cls, w.perm, by_n) >= 0) {
      for (std::size_t j = 0; j < ms; ++j) w.perm[j] = static_cast<std::uint16_t>(j);
    }
    const std::uint32_t* ncnt = by_n.count;
    const std::uint32_t* nfirst = by_n.start;
    for (std::size_t t = 0; t < ms; ++t) {
      const std::size_t j = w.perm[t];
      w.mu2[t] = w.mu[j];
      w.x2[t] = w.x[j];
      w.base2[t] = w.base[j];
      w.ratio2[t] = w.ratio[j];
      w.pos2[t] = w.pos[j];
    }
    for (int q = 0; q < 21; ++q) {
      const std::size_t b0 = nfirst[q], mc = ncnt[q];
      if (mc) k_run_forward(mc, q, w.mu2 + b0, w.x2 + b0, w.base2 + b0, w.ratio2 + b0, w.r + b0);
    }
    for (std::size_t j = 0; j < ms; ++j) {
      const std::size_t k = w.pos2[j];
      ob[k] = subtract_x ? w.r[j] - w.x2[j] : w.r[j];
    }
  }
}

// Either layout: unit steps take the contiguous instantiation.
template <class Scalar>
NUMKIT_FORCE_INLINE void k_block_any(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                     double* out, bool subtract_x, Scalar scalar) {
  if (v.step == 1 && x.step == 1) {
    k_block_run(n, simd::Contiguous<double>{v.p}, simd::Contiguous<double>{x.p}, out, subtract_x, scalar);
  } else {
    k_block_run(n, v, x, out, subtract_x, scalar);
  }
}

}  // namespace detail
}  // namespace special
}  // namespace numkit
