// all_kernels.cu -- instantiates every elementwise kernel of numkit (special, stats) for float and double under nvcc, so
// the host/device discipline of the headers (no exceptions, no heap, no host-only calls,
// NUMKIT_HOST_DEVICE everywhere) is checked by CI where nvcc exists. .ci/run compiles it with
// `nvcc -c`; it is never part of the CPU build.
#include "numkit/special/log_bessel.hpp"
#include "numkit/stats/vmf.hpp"

namespace numkit_cuda_check {

template <class T, T (*F)(T, T)>
__global__ void binary_kernel(const T* v, const T* x, T* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = F(v[i], x[i]);
}

}  // namespace numkit_cuda_check

#define NUMKIT_INSTANTIATE_NS(ns, name)                                                          \
  template __global__ void numkit_cuda_check::binary_kernel<float, &ns::name<float>>(             \
      const float*, const float*, float*, int);                                                   \
  template __global__ void numkit_cuda_check::binary_kernel<double, &ns::name<double>>(           \
      const double*, const double*, double*, int);
#define NUMKIT_INSTANTIATE(name) NUMKIT_INSTANTIATE_NS(numkit::special, name)

NUMKIT_INSTANTIATE(log_iv)
NUMKIT_INSTANTIATE(log_ive)
NUMKIT_INSTANTIATE(iv_ratio)
NUMKIT_INSTANTIATE(log_iv_dx)
NUMKIT_INSTANTIATE(log_iv_dv)
NUMKIT_INSTANTIATE(log_kv)
NUMKIT_INSTANTIATE(log_kve)
NUMKIT_INSTANTIATE(log_kv_dx)
NUMKIT_INSTANTIATE(log_kv_dv)
NUMKIT_INSTANTIATE_NS(numkit::stats, vmf_log_normalizer)
NUMKIT_INSTANTIATE_NS(numkit::stats, vmf_log_normalizer_e)
