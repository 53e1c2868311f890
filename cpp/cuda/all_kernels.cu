// all_kernels.cu -- instantiates every kernel of numkit.special for float and double under nvcc, so
// the host/device discipline of the headers (no exceptions, no heap, no host-only calls,
// NUMKIT_HOST_DEVICE everywhere) is checked by CI where nvcc exists. .ci/run compiles it with
// `nvcc -c`; it is never part of the CPU build.
#include "numkit/special/log_bessel.hpp"

namespace numkit_cuda_check {

template <class T, T (*F)(T, T)>
__global__ void binary_kernel(const T* v, const T* x, T* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = F(v[i], x[i]);
}

}  // namespace numkit_cuda_check

#define NUMKIT_INSTANTIATE(name)                                                                   \
  template __global__ void numkit_cuda_check::binary_kernel<float, &numkit::special::name<float>>(const float*,       \
                                                                               const float*,       \
                                                                               float*, int);       \
  template __global__ void numkit_cuda_check::binary_kernel<double, &numkit::special::name<double>>(const double*,    \
                                                                                 const double*,    \
                                                                                 double*, int);

NUMKIT_INSTANTIATE(log_iv)
NUMKIT_INSTANTIATE(log_ive)
NUMKIT_INSTANTIATE(iv_ratio)
NUMKIT_INSTANTIATE(log_iv_dx)
NUMKIT_INSTANTIATE(log_iv_dv)
NUMKIT_INSTANTIATE(log_kv)
NUMKIT_INSTANTIATE(log_kve)
NUMKIT_INSTANTIATE(log_kv_dx)
NUMKIT_INSTANTIATE(log_kv_dv)
