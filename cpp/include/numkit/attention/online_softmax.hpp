// numkit/attention/online_softmax.hpp -- the scalar pieces of Kronecker (2-simplicial) attention,
// host/device clean: the running-max softmax state and the exact per-query reference loop.
//
// Kronecker attention (Alman & Song, ICLR 2024): for query i the logits are trilinear,
//   s_ijk = scale * sum_l Q[i,l] K1[j,l] K2[k,l],
// and Att[i] = sum_{jk} softmax_{jk}(s_i..) V1[j] * V2[k] (elementwise product of value rows).
// A causal mask keeps j, k <= i; the sliding windows of 2-simplicial attention keep
// j in (i - w1, i], k in (i - w2, i]. Either way the pairs of one query form a rectangle
// [jlo, jhi) x [klo, khi), which query_ranges computes.
//
// The online softmax (Milakov & Gimelshein 2018) keeps a running maximum m, the sum of
// exp(s - m) and the weighted value sum; a new block with a larger maximum rescales both by
// exp(m_old - m_new) <= 1, so no exponential ever overflows and memory stays O(d) per query.
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace attention {

// Masking modes shared with the compiled drivers and the bindings.
enum MaskMode : int { kMaskNone = 0, kMaskCausal = 1, kMaskWindow = 2 };

struct PairRange {
  long jlo, jhi, klo, khi;  // half-open ranges of j (K1/V1 rows) and k (K2/V2 rows)
};

// The rectangle of (j, k) pairs that query i sees. Windows imply the causal mask.
NUMKIT_HOST_DEVICE inline PairRange query_ranges(long i, long n1, long n2, int mode, long w1,
                                                 long w2) {
  PairRange r{0, n1, 0, n2};
  if (mode == kMaskCausal || mode == kMaskWindow) {
    r.jhi = i + 1 < n1 ? i + 1 : n1;
    r.khi = i + 1 < n2 ? i + 1 : n2;
  }
  if (mode == kMaskWindow) {
    r.jlo = i - w1 + 1 > 0 ? i - w1 + 1 : 0;
    r.klo = i - w2 + 1 > 0 ? i - w2 + 1 : 0;
  }
  if (r.jlo > r.jhi) r.jlo = r.jhi;
  if (r.klo > r.khi) r.klo = r.khi;
  return r;
}

// Running-max softmax state of one query: max m, normalizer z = sum exp(s - m).
template <class T> struct OnlineSoftmax {
  T m = -constants<T>::inf();
  T z = T(0);
  // Make room for a block whose largest logit is bmax: returns the factor by which the caller
  // must rescale its weighted sums (1 when the maximum does not grow).
  NUMKIT_HOST_DEVICE T raise_max(T bmax) {
    if (!(bmax > m)) return T(1);
    const T f = m == -constants<T>::inf() ? T(0) : math::exp(m - bmax);
    m = bmax;
    z *= f;
    return f;
  }
  // log sum exp of everything seen (the normalizer the backward pass reuses).
  NUMKIT_HOST_DEVICE T log_normalizer() const { return m + math::log(z); }
};

// The exact output of one query by the scalar online softmax, O(d) memory, no tiles: the
// host/device reference that the CPU tile kernels (cpu/exact_tiles.hpp) reproduce faster. Pointers
// are row-major: q (d), K1 (n1 x d), K2 (n2 x d), V1 (n1 x dv), V2 (n2 x dv), out (dv). Returns
// the log-normalizer. A query with no pairs (cannot happen for the masks above) gets NaN.
template <class T>
NUMKIT_HOST_DEVICE T exact_query_scalar(const T* q, const T* K1, const T* K2, const T* V1,
                                        const T* V2, long d, long dv, T scale, PairRange r,
                                        T* out) {
  OnlineSoftmax<T> st;
  for (long c = 0; c < dv; ++c) out[c] = T(0);
  for (long j = r.jlo; j < r.jhi; ++j) {
    for (long k = r.klo; k < r.khi; ++k) {
      T s = T(0);
      for (long l = 0; l < d; ++l) s += q[l] * K1[j * d + l] * K2[k * d + l];
      s *= scale;
      const T f = st.raise_max(s);
      if (f != T(1))
        for (long c = 0; c < dv; ++c) out[c] *= f;
      const T e = math::exp(s - st.m);
      st.z += e;
      for (long c = 0; c < dv; ++c) out[c] += e * V1[j * dv + c] * V2[k * dv + c];
    }
  }
  for (long c = 0; c < dv; ++c) out[c] = st.z > T(0) ? out[c] / st.z : constants<T>::nan();
  return st.log_normalizer();
}

}  // namespace attention
}  // namespace numkit
