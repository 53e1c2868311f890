// src/attention/exact.cpp -- drivers of the exact kernels (numkit/attention/cpu/exact_tiles.hpp):
// transpose K2 and V2 once per batch (zero padded so strips can overrun), then threads take blocks
// of queries. The per-block functions are compiled for AVX-512, AVX2+FMA and the SSE2 baseline and
// picked at load time (GCC target_clones), as numkit.special's block kernels are.
#include "src/attention/exact.hpp"

#include <algorithm>
#include <vector>

#include "numkit/simd/attributes.hpp"
#include "numkit/attention/cpu/exact_tiles.hpp"
#include "src/attention/parallel.hpp"


namespace numkit {
namespace attention {
namespace {

constexpr long kQueryBlock = 4;  // queries per work item

// The transposes K2^T (d x ld) and V2^T (dv x ld) of every batch, ld = n2 + kLanes, zero padded.
struct Transposed {
  long ld;
  std::vector<double> K2T, V2T;
  Transposed(const Shape& s, const double* K2, const double* V2)
      : ld(s.n2 + cpu::kLanes),
        K2T(static_cast<std::size_t>(s.batch * s.d * ld), 0.0),
        V2T(static_cast<std::size_t>(s.batch * s.dv * ld), 0.0) {
    for (long b = 0; b < s.batch; ++b) {
      for (long k = 0; k < s.n2; ++k) {
        for (long l = 0; l < s.d; ++l)
          K2T[static_cast<std::size_t>((b * s.d + l) * ld + k)] = K2[(b * s.n2 + k) * s.d + l];
        for (long c = 0; c < s.dv; ++c)
          V2T[static_cast<std::size_t>((b * s.dv + c) * ld + k)] = V2[(b * s.n2 + k) * s.dv + c];
      }
    }
  }
  const double* k2t(const Shape& s, long b) const { return K2T.data() + b * s.d * ld; }
  const double* v2t(const Shape& s, long b) const { return V2T.data() + b * s.dv * ld; }
};

// Scratch storage of one worker.
struct WorkerBuffers {
  std::vector<double> A, Bv, S, T, W, G;
  WorkerBuffers(const Shape& s, bool backward)
      : A(static_cast<std::size_t>((s.n1 + cpu::kRows) * s.d)),
        Bv(backward ? static_cast<std::size_t>((s.n1 + cpu::kRows) * s.dv) : 0),
        S(static_cast<std::size_t>(cpu::kRows * cpu::kChunk)),
        T(backward ? static_cast<std::size_t>(cpu::kRows * cpu::kChunk) : 0),
        W(static_cast<std::size_t>(cpu::kRows * std::max(s.d, s.dv))),
        G(static_cast<std::size_t>(cpu::kRows * s.d)) {}
  cpu::Scratch scratch() {
    return {A.data(), Bv.data(), S.data(), T.data(), W.data(), G.data()};
  }
};

NUMKIT_CLONES void forward_block(const Shape& s, const double* Q, const double* K1,
                                     const double* V1, const double* K2T, const double* V2T,
                                     long ld, double scale, MaskSpec m, long i0, long i1,
                                     const cpu::Scratch& w, double* out, double* lse,
                                     double* mz) {
  for (long i = i0; i < i1; ++i) {
    const PairRange r = query_ranges(i, s.n1, s.n2, m.mode, m.w1, m.w2);
    const OnlineSoftmax<double> st = cpu::exact_query_tiled(Q + i * s.d, K1, K2T, V1, V2T, ld,
                                                            s.d, s.dv, scale, r, w, out + i * s.dv);
    lse[i] = st.log_normalizer();
    if (mz) {
      mz[2 * i] = st.m;
      mz[2 * i + 1] = st.z;
    }
  }
}

NUMKIT_CLONES void backward_block(const Shape& s, const double* Q, const double* K1,
                                      const double* V1, const double* K2T, const double* V2T,
                                      long ld, const double* dout, const double* out,
                                      const double* mz, double scale, MaskSpec m, long i0,
                                      long i1, const cpu::Scratch& w, double* dQ, double* dK1,
                                      double* dK2, double* dV1, double* dV2) {
  for (long i = i0; i < i1; ++i) {
    const PairRange r = query_ranges(i, s.n1, s.n2, m.mode, m.w1, m.w2);
    double D = 0;
    for (long c = 0; c < s.dv; ++c) D += dout[i * s.dv + c] * out[i * s.dv + c];
    cpu::exact_query_grad_tiled(Q + i * s.d, dout + i * s.dv, mz[2 * i], 1.0 / mz[2 * i + 1], D,
                                K1, K2T, V1, V2T, ld,
                                s.d, s.dv, scale, r, w, dQ + i * s.d, dK1, dK2, dV1, dV2);
  }
}

}  // namespace

void exact_forward(const Shape& s, const double* Q, const double* K1, const double* K2,
                   const double* V1, const double* V2, double scale, MaskSpec mask, int workers,
                   double* out, double* lse, double* mz) {
  const Transposed t(s, K2, V2);
  const long blocks_per_batch = (s.nq + kQueryBlock - 1) / kQueryBlock;
  const long nitems = s.batch * blocks_per_batch;
  const int nw = static_cast<int>(std::max(1L, std::min<long>(workers, nitems)));
  std::vector<WorkerBuffers> bufs;
  bufs.reserve(static_cast<std::size_t>(nw));
  for (int w = 0; w < nw; ++w) bufs.emplace_back(s, false);
  std::vector<cpu::Scratch> scratch;
  for (auto& b : bufs) scratch.push_back(b.scratch());
  parallel_for(nw, nitems, [&](int w, long item) {
    const long b = item / blocks_per_batch;
    const long i0 = (item % blocks_per_batch) * kQueryBlock;
    const long i1 = std::min(i0 + kQueryBlock, s.nq);
    forward_block(s, Q + b * s.nq * s.d, K1 + b * s.n1 * s.d, V1 + b * s.n1 * s.dv, t.k2t(s, b),
                  t.v2t(s, b), t.ld, scale, mask, i0, i1, scratch[static_cast<std::size_t>(w)],
                  out + b * s.nq * s.dv, lse + b * s.nq, mz ? mz + 2 * b * s.nq : nullptr);
  });
}

void exact_backward(const Shape& s, const double* Q, const double* K1, const double* K2,
                    const double* V1, const double* V2, const double* dout, const double* out,
                    const double* mz, double scale, MaskSpec mask, int workers, double* dQ,
                    double* dK1, double* dK2, double* dV1, double* dV2) {
  const Transposed t(s, K2, V2);
  const long nblocks = (s.nq + kQueryBlock - 1) / kQueryBlock;
  const int nw = static_cast<int>(std::max(1L, std::min<long>(workers, nblocks)));
  std::vector<WorkerBuffers> bufs;
  bufs.reserve(static_cast<std::size_t>(nw));
  for (int w = 0; w < nw; ++w) bufs.emplace_back(s, true);
  std::vector<cpu::Scratch> scratch;
  for (auto& b : bufs) scratch.push_back(b.scratch());
  // Key and value gradients are sums over queries: one accumulator per worker, added at the end.
  const std::size_t nk1 = static_cast<std::size_t>(s.n1 * s.d), nk2 = s.n2 * s.d,
                    nv1 = s.n1 * s.dv, nv2 = s.n2 * s.dv;
  std::vector<std::vector<double>> acc(static_cast<std::size_t>(nw),
                                       std::vector<double>(nk1 + nk2 + nv1 + nv2));
  for (long b = 0; b < s.batch; ++b) {
    for (auto& a : acc) std::fill(a.begin(), a.end(), 0.0);
    const double* Qb = Q + b * s.nq * s.d;
    const double* K1b = K1 + b * s.n1 * s.d;
    const double* V1b = V1 + b * s.n1 * s.dv;
    parallel_for(nw, nblocks, [&](int w, long item) {
      const long i0 = item * kQueryBlock;
      const long i1 = std::min(i0 + kQueryBlock, s.nq);
      double* a = acc[static_cast<std::size_t>(w)].data();
      backward_block(s, Qb, K1b, V1b, t.k2t(s, b), t.v2t(s, b), t.ld, dout + b * s.nq * s.dv,
                     out + b * s.nq * s.dv, mz + 2 * b * s.nq, scale, mask, i0, i1,
                     scratch[static_cast<std::size_t>(w)], dQ + b * s.nq * s.d, a, a + nk1,
                     a + nk1 + nk2, a + nk1 + nk2 + nv1);
    });
    double* outs[4] = {dK1 + b * nk1, dK2 + b * nk2, dV1 + b * nv1, dV2 + b * nv2};
    const std::size_t sizes[4] = {nk1, nk2, nv1, nv2};
    std::size_t off = 0;
    for (int p = 0; p < 4; ++p) {
      for (std::size_t e = 0; e < sizes[p]; ++e) {
        double sum = 0;
        for (const auto& a : acc) sum += a[off + e];
        outs[p][e] = sum;
      }
      off += sizes[p];
    }
  }
}

}  // namespace attention
}  // namespace numkit
