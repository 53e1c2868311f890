// cpp/cuda/hamming.cuh -- the GPU brute force of numkit.hamming: mismatch counts for tiles of
// windows, through shared memory.
//
// A block of NUMKIT_CUDA_BLOCK threads takes NUMKIT_CUDA_BLOCK * NUMKIT_HAMMING_WINDOWS
// consecutive windows (thread x has windows x, x + B, x + 2B, ...: neighbouring threads read
// neighbouring shared-memory symbols). The pattern goes through in chunks of
// NUMKIT_HAMMING_CHUNK positions: the chunk and the text it meets are staged in shared memory,
// every thread adds (text != pattern) for its windows, and the next chunk follows. Grid-stride
// over window tiles; counts in int (m < 2^31, checked by numkit/_gpu.py).
//
// Kernel signature (S = unsigned char, unsigned short, unsigned int, unsigned long long):
//
//   name(const S* text, long long n, const S* pattern, long long m, int has_wild,
//        unsigned long long wild, long long bound, int* out)
//
// out[i] = #{j < m : mismatch(text[i + j], pattern[j])} for i < n - m + 1, where the symbol
// `wild` (when has_wild; its unsigned value, so every uint64 symbol can be one) matches anything;
// with bound >= 0, counts above bound are written as bound + 1 (the k-bounded result; no early
// exit on the GPU).
#pragma once

#include "numkit/config.hpp"
#include "numkit/hamming/brute.hpp"

#ifndef NUMKIT_CUDA_BLOCK
#define NUMKIT_CUDA_BLOCK 256  // threads per block; numkit/_gpu.py launches with the same value
#endif
#define NUMKIT_HAMMING_WINDOWS 4   // windows per thread
#define NUMKIT_HAMMING_CHUNK 1024  // pattern positions per shared-memory pass

namespace numkit_cuda {

template <class S>
__device__ __forceinline__ void hamming_tiles(const S* __restrict__ t, long long n,
                                              const S* __restrict__ p, long long m,
                                              int has_wild_arg, unsigned long long wild,
                                              long long bound, int* __restrict__ out) {
  constexpr int B = NUMKIT_CUDA_BLOCK, W = NUMKIT_HAMMING_WINDOWS, PC = NUMKIT_HAMMING_CHUNK;
  constexpr long long tile = static_cast<long long>(B) * W;
  __shared__ S st[B * W + PC];  // the text a chunk of the pattern meets in this tile
  __shared__ S sp[PC];
  const long long nw = n - m + 1;
  const bool has_wild = has_wild_arg != 0;
  const S w = has_wild ? static_cast<S>(wild) : S(0);
  for (long long i0 = static_cast<long long>(blockIdx.x) * tile; i0 < nw;
       i0 += static_cast<long long>(gridDim.x) * tile) {
    int acc[W];
    for (int r = 0; r < W; ++r) acc[r] = 0;
    for (long long j0 = 0; j0 < m; j0 += PC) {
      const int pc = static_cast<int>(m - j0 < PC ? m - j0 : PC);
      __syncthreads();  // the previous chunk's reads are done
      for (int k = threadIdx.x; k < pc; k += B) sp[k] = p[j0 + k];
      const int tl = B * W + pc - 1;
      for (int k = threadIdx.x; k < tl; k += B) {
        const long long g = i0 + j0 + k;
        st[k] = g < n ? t[g] : S(0);  // past the text: only windows i >= nw read it
      }
      __syncthreads();
      for (int jj = 0; jj < pc; ++jj) {
        const S c = sp[jj];
        if (has_wild && c == w) continue;  // the same branch for the whole block
        for (int r = 0; r < W; ++r) {
          acc[r] += numkit::hamming::mismatch(st[threadIdx.x + r * B + jj], c, has_wild, w) ? 1 : 0;
        }
      }
    }
    for (int r = 0; r < W; ++r) {
      const long long i = i0 + threadIdx.x + static_cast<long long>(r) * B;
      if (i < nw) out[i] = (bound >= 0 && acc[r] > bound) ? static_cast<int>(bound + 1) : acc[r];
    }
  }
}

}  // namespace numkit_cuda

#define NUMKIT_CUDA_HAMMING(name, S)                                                         \
  extern "C" __global__ void __launch_bounds__(NUMKIT_CUDA_BLOCK)                            \
      name(const S* __restrict__ t, long long n, const S* __restrict__ p, long long m,       \
           int has_wild, unsigned long long wild, long long bound, int* __restrict__ out) {  \
    numkit_cuda::hamming_tiles<S>(t, n, p, m, has_wild, wild, bound, out);                   \
  }
