// numkit/attention/cpu/exact_tiles.hpp -- host-only register-tiled kernels for exact Kronecker
// attention, one query at a time (the scalar reference is numkit/attention/online_softmax.hpp).
//
// For a fixed query i the logits of a block of j rows are the GEMM (K1[j] * q_i * scale) K2^T
// with inner dimension d, and the output is sum_j V1[j] * (E V2)[j] with E = exp(logits - max):
// two GEMMs and one exp per (i, j, k) triple. We run them on strips of kRows j-rows by kChunk
// k-columns (8 KiB, in L1): strip_gemm computes the logits in a 4 x 8 register tile, exp_strip
// exponentiates with numkit's vectorizable exp, strip_dot_cols forms E V2 in a 4 x 2 register
// tile. BLAS is not used here: a BLAS call per strip costs more in dispatch than the strip's
// arithmetic, and the fused strip never leaves L1 (benchmarks/attention.py measures both ways).
//
// K2T and V2T are the transposes (d x ld and dv x ld, ld >= n2 + kLanes, zero padded), so the
// k-direction is contiguous and a strip may run up to kLanes - 1 columns past its range; those
// columns, and the padding rows of a j-block, are masked to -inf before the exponential.
#pragma once

#include <cstring>

#include "numkit/simd/attributes.hpp"
#include "numkit/attention/online_softmax.hpp"
#include "numkit/simd/vmath.hpp"

// The vector type below is passed between always-inlined functions only; GCC's note that its ABI
// differs between the SSE2 and AVX clones does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace numkit {
namespace attention {
namespace cpu {

constexpr long kRows = 4;     // j rows per register tile
constexpr long kLanes = 8;    // k columns per register tile: two 4-double vectors
constexpr long kChunk = 256;  // k columns per strip

typedef double v4 __attribute__((vector_size(32)));

NUMKIT_FORCE_INLINE v4 load4(const double* p) {
  v4 x;
  std::memcpy(&x, p, sizeof x);
  return x;
}
NUMKIT_FORCE_INLINE void store4(double* p, const v4& x) { std::memcpy(p, &x, sizeof x); }
NUMKIT_FORCE_INLINE double hsum(const v4& x) { return (x[0] + x[1]) + (x[2] + x[3]); }

// S[r * kChunk + c] = sum_l A[r * lda + l] * B[l * ldb + c] for r < kRows, c < len (a multiple
// of kLanes): the logit strip (A = scaled K1 rows times q, B = K2T) or the dP strip.
NUMKIT_FORCE_INLINE void strip_gemm(const double* A, long lda, long inner, const double* B, long ldb,
                                 long len, double* S) {
  for (long c = 0; c < len; c += kLanes) {
    v4 s00 = {0, 0, 0, 0}, s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00,
       s31 = s00;
    const double* b = B + c;
    for (long l = 0; l < inner; ++l, b += ldb) {
      const v4 b0 = load4(b), b1 = load4(b + 4);
      const double a0 = A[l], a1 = A[lda + l], a2 = A[2 * lda + l], a3 = A[3 * lda + l];
      s00 += a0 * b0;
      s01 += a0 * b1;
      s10 += a1 * b0;
      s11 += a1 * b1;
      s20 += a2 * b0;
      s21 += a2 * b1;
      s30 += a3 * b0;
      s31 += a3 * b1;
    }
    store4(S + c, s00);
    store4(S + c + 4, s01);
    store4(S + kChunk + c, s10);
    store4(S + kChunk + c + 4, s11);
    store4(S + 2 * kChunk + c, s20);
    store4(S + 2 * kChunk + c + 4, s21);
    store4(S + 3 * kChunk + c, s30);
    store4(S + 3 * kChunk + c + 4, s31);
  }
}

// Mask the strip outside rows < nrows and columns < len (up to lenp), return its maximum.
NUMKIT_FORCE_INLINE double mask_and_max(double* S, long nrows, long len, long lenp) {
  const double ninf = -constants<double>::inf();
  double mx = ninf;
  for (long r = 0; r < kRows; ++r) {
    double* s = S + r * kChunk;
    if (r >= nrows) {
      for (long c = 0; c < lenp; ++c) s[c] = ninf;
      continue;
    }
    for (long c = len; c < lenp; ++c) s[c] = ninf;
#pragma omp simd reduction(max : mx)
    for (long c = 0; c < len; ++c) mx = s[c] > mx ? s[c] : mx;
  }
  return mx;
}

// S <- exp(S - m) over the strip; returns the sum. The vector exp is valid down to -708, so
// entries are clamped there and the clamped ones (masked entries are -inf) set to 0 afterwards,
// their true value to within 3.3e-308. (Left at exp(-708), masked columns of real K2/V2 rows
// leaked 3.3e-308 V2[k] into the output: 3.3 for V2 = 1e308.) Clamp and exp are separate loops
// because GCC vectorizes each alone but not their fusion ("control flow in loop" after
// if-conversion of the clamp fails next to the inlined exp); the zeroing rides on the sum.
NUMKIT_FORCE_INLINE double exp_strip(double* S, long lenp, double m) {
  constexpr double kLow = -708.0;
  const double floor = special::detail::vm::vexp(kLow);
  v4 acc = {0, 0, 0, 0};
  for (long r = 0; r < kRows; ++r) {
    double* s = S + r * kChunk;
#pragma omp simd
    for (long c = 0; c < lenp; ++c) {
      const double x = s[c] - m;
      s[c] = x < kLow ? kLow : x;
    }
#pragma omp simd
    for (long c = 0; c < lenp; ++c) s[c] = special::detail::vm::vexp(s[c]);
    const v4 fl = {floor, floor, floor, floor}, zero = {0, 0, 0, 0};
    for (long c = 0; c < lenp; c += 4) {  // zeroing fused into the sum (one pass, no branch)
      const v4 e = load4(s + c);
      const v4 z = e == fl ? zero : e;
      store4(s + c, z);
      acc += z;
    }
  }
  return hsum(acc);
}

// W[r * nout + c] += sum_k E[r * kChunk + k] * B[c * ldb + k] for r < kRows, c < nout, k < lenp
// (a multiple of 4): E V2 (B = V2T) or dS K2 (B = K2T).
NUMKIT_FORCE_INLINE void strip_dot_cols(const double* E, long lenp, const double* B, long ldb,
                                     long nout, double* W) {
  long c = 0;
  for (; c + 2 <= nout; c += 2) {
    v4 a00 = {0, 0, 0, 0}, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00,
       a31 = a00;
    const double* b0p = B + c * ldb;
    const double* b1p = b0p + ldb;
    for (long k = 0; k < lenp; k += 4) {
      const v4 b0 = load4(b0p + k), b1 = load4(b1p + k);
      const v4 e0 = load4(E + k), e1 = load4(E + kChunk + k), e2 = load4(E + 2 * kChunk + k),
               e3 = load4(E + 3 * kChunk + k);
      a00 += e0 * b0;
      a01 += e0 * b1;
      a10 += e1 * b0;
      a11 += e1 * b1;
      a20 += e2 * b0;
      a21 += e2 * b1;
      a30 += e3 * b0;
      a31 += e3 * b1;
    }
    W[c] += hsum(a00);
    W[c + 1] += hsum(a01);
    W[nout + c] += hsum(a10);
    W[nout + c + 1] += hsum(a11);
    W[2 * nout + c] += hsum(a20);
    W[2 * nout + c + 1] += hsum(a21);
    W[3 * nout + c] += hsum(a30);
    W[3 * nout + c + 1] += hsum(a31);
  }
  for (; c < nout; ++c) {
    v4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
    const double* bp = B + c * ldb;
    for (long k = 0; k < lenp; k += 4) {
      const v4 b = load4(bp + k);
      a0 += load4(E + k) * b;
      a1 += load4(E + kChunk + k) * b;
      a2 += load4(E + 2 * kChunk + k) * b;
      a3 += load4(E + 3 * kChunk + k) * b;
    }
    W[c] += hsum(a0);
    W[nout + c] += hsum(a1);
    W[2 * nout + c] += hsum(a2);
    W[3 * nout + c] += hsum(a3);
  }
}

// Per-thread scratch of the tiled kernels; the driver owns the storage.
struct Scratch {
  double* A;   // (n1 + kRows) x d: scale * q * K1[j] for the query's j range, zero padded
  double* Bv;  // (n1 + kRows) x dv: dout * V1[j] (backward only)
  double* S;   // kRows x kChunk: logits, then weights
  double* T;   // kRows x kChunk: dP, then dS (backward only)
  double* W;   // kRows x max(d, dv)
  double* G;   // kRows x d (backward only)
};

// Rows scale * q * K1[j] for j in [jlo, jhi), followed by kRows zero rows.
NUMKIT_FORCE_INLINE void scaled_rows(const double* q, double scale, const double* K1, long d,
                                  long jlo, long jhi, double* A) {
  for (long j = jlo; j < jhi; ++j)
    for (long l = 0; l < d; ++l) A[(j - jlo) * d + l] = q[l] * scale * K1[j * d + l];
  for (long t = 0; t < kRows * d; ++t) A[(jhi - jlo) * d + t] = 0;
}

// The exact output of one query (out, dv values) and its softmax state (max m, normalizer z).
NUMKIT_FORCE_INLINE OnlineSoftmax<double> exact_query_tiled(
    const double* q, const double* K1, const double* K2T, const double* V1, const double* V2T,
    long ld, long d, long dv, double scale, PairRange r, const Scratch& w, double* out) {
  OnlineSoftmax<double> st;
  for (long c = 0; c < dv; ++c) out[c] = 0;
  scaled_rows(q, scale, K1, d, r.jlo, r.jhi, w.A);
  for (long jb = r.jlo; jb < r.jhi; jb += kRows) {
    const long nr = r.jhi - jb < kRows ? r.jhi - jb : kRows;
    const double* a = w.A + (jb - r.jlo) * d;
    for (long kc = r.klo; kc < r.khi; kc += kChunk) {
      const long len = r.khi - kc < kChunk ? r.khi - kc : kChunk;
      const long lenp = (len + kLanes - 1) / kLanes * kLanes;
      strip_gemm(a, d, d, K2T + kc, ld, lenp, w.S);
      const double f = st.raise_max(mask_and_max(w.S, nr, len, lenp));
      if (f != 1.0)
        for (long c = 0; c < dv; ++c) out[c] *= f;
      st.z += exp_strip(w.S, lenp, st.m);
      for (long t = 0; t < kRows * dv; ++t) w.W[t] = 0;
      strip_dot_cols(w.S, lenp, V2T + kc, ld, dv, w.W);
      for (long rr = 0; rr < nr; ++rr) {
        const double* v1 = V1 + (jb + rr) * dv;
        const double* wr = w.W + rr * dv;
        for (long c = 0; c < dv; ++c) out[c] += v1[c] * wr[c];
      }
    }
  }
  for (long c = 0; c < dv; ++c) out[c] /= st.z;
  return st;
}

// Gradient contributions of one query. Given its softmax state (m, z) and D = dout . out:
//   P = exp(s - m) / z (not exp(s - (m + log z)): m + log z rounds log z away at |m| >~ 1e13), dP_jk = sum_c dout_c V1[j,c] V2[k,c], dS = P (dP - D),
//   dq = scale sum_jk dS K1[j] * K2[k];   dK1[j] += scale q * sum_k dS K2[k];
//   dK2[k] += sum_j dS (scale q * K1[j]); dV1[j] += dout * sum_k P V2[k]; dV2[k] += sum_j P dout * V1[j].
// dq is written; the key/value gradients (n1 x d, n2 x d, n1 x dv, n2 x dv) are accumulated.
NUMKIT_FORCE_INLINE void exact_query_grad_tiled(const double* q, const double* dout, double m,
                                   double inv_z, double D,
                                   const double* K1, const double* K2T, const double* V1,
                                   const double* V2T, long ld, long d, long dv, double scale,
                                   PairRange r, const Scratch& w, double* dq, double* dK1,
                                   double* dK2, double* dV1, double* dV2) {
  for (long l = 0; l < d; ++l) dq[l] = 0;
  scaled_rows(q, scale, K1, d, r.jlo, r.jhi, w.A);
  for (long j = r.jlo; j < r.jhi; ++j)
    for (long c = 0; c < dv; ++c) w.Bv[(j - r.jlo) * dv + c] = dout[c] * V1[j * dv + c];
  for (long t = 0; t < kRows * dv; ++t) w.Bv[(r.jhi - r.jlo) * dv + t] = 0;
  for (long jb = r.jlo; jb < r.jhi; jb += kRows) {
    const long nr = r.jhi - jb < kRows ? r.jhi - jb : kRows;
    const double* a = w.A + (jb - r.jlo) * d;
    const double* bv = w.Bv + (jb - r.jlo) * dv;
    for (long kc = r.klo; kc < r.khi; kc += kChunk) {
      const long len = r.khi - kc < kChunk ? r.khi - kc : kChunk;
      const long lenp = (len + kLanes - 1) / kLanes * kLanes;
      strip_gemm(a, d, d, K2T + kc, ld, lenp, w.S);
      mask_and_max(w.S, nr, len, lenp);
      exp_strip(w.S, lenp, m);
      strip_gemm(bv, dv, dv, V2T + kc, ld, lenp, w.T);
      for (long t = 0; t < kRows * kChunk; t += kChunk)
#pragma omp simd
        for (long c = 0; c < lenp; ++c) {
          const double pw = w.S[t + c] * inv_z;  // P
          w.S[t + c] = pw;
          w.T[t + c] = pw * (w.T[t + c] - D);  // dS
        }
      for (long t = 0; t < kRows * d; ++t) w.G[t] = 0;
      strip_dot_cols(w.T, lenp, K2T + kc, ld, d, w.G);
      for (long t = 0; t < kRows * dv; ++t) w.W[t] = 0;
      strip_dot_cols(w.S, lenp, V2T + kc, ld, dv, w.W);
      for (long rr = 0; rr < nr; ++rr) {
        const long j = jb + rr;
        const double* g = w.G + rr * d;
        for (long l = 0; l < d; ++l) {
          dq[l] += K1[j * d + l] * g[l];
          dK1[j * d + l] += scale * q[l] * g[l];
        }
        const double* wr = w.W + rr * dv;
        for (long c = 0; c < dv; ++c) dV1[j * dv + c] += dout[c] * wr[c];
      }
      for (long c = 0; c < len; ++c) {
        const long k = kc + c;
        const double s0 = w.T[c], s1 = w.T[kChunk + c], s2 = w.T[2 * kChunk + c],
                     s3 = w.T[3 * kChunk + c];
        const double p0 = w.S[c], p1 = w.S[kChunk + c], p2 = w.S[2 * kChunk + c],
                     p3 = w.S[3 * kChunk + c];
        double* gk = dK2 + k * d;
#pragma omp simd
        for (long l = 0; l < d; ++l)
          gk[l] += s0 * a[l] + s1 * a[d + l] + s2 * a[2 * d + l] + s3 * a[3 * d + l];
        double* vk = dV2 + k * dv;
#pragma omp simd
        for (long cc = 0; cc < dv; ++cc)
          vk[cc] += p0 * bv[cc] + p1 * bv[dv + cc] + p2 * bv[2 * dv + cc] + p3 * bv[3 * dv + cc];
      }
    }
  }
  for (long l = 0; l < d; ++l) dq[l] *= scale;
}

}  // namespace cpu
}  // namespace attention
}  // namespace numkit
