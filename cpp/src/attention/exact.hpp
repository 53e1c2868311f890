// src/attention/exact.hpp -- exact Kronecker attention and its gradient over batches, threaded
// over (batch, query) blocks. Plain C++ (no Python types). Arrays are C-contiguous float64:
// Q (B, nq, d), K1 (B, n1, d), K2 (B, n2, d), V1 (B, n1, dv), V2 (B, n2, dv).
#pragma once

#include <cstddef>

namespace numkit {
namespace attention {

struct Shape {
  long batch, nq, n1, n2, d, dv;
};

struct MaskSpec {
  int mode;  // MaskMode of numkit/attention/online_softmax.hpp
  long w1, w2;
};

// out (B, nq, dv) and the log-normalizers lse (B, nq), m + log z; where mz is not null, also
// every query's softmax state (running max m, normalizer z) as mz (B, nq, 2), which the
// backward needs (m + log z loses log z once |m| >~ 1e13).
void exact_forward(const Shape& s, const double* Q, const double* K1, const double* K2,
                   const double* V1, const double* V2, double scale, MaskSpec mask, int workers,
                   double* out, double* lse, double* mz = nullptr);

// Gradients of sum(dout * out) (each the shape of its input), from the forward's out and mz.
void exact_backward(const Shape& s, const double* Q, const double* K1, const double* K2,
                    const double* V1, const double* V2, const double* dout, const double* out,
                    const double* mz, double scale, MaskSpec mask, int workers, double* dQ,
                    double* dK1, double* dK2, double* dV1, double* dV2);

}  // namespace attention
}  // namespace numkit
