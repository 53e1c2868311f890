// all_kernels.cu -- includes every kernel header under nvcc so the host/device discipline of the
// headers (no exceptions, no heap, NUMKIT_HOST_DEVICE everywhere) is checked by CI where nvcc exists.
// .ci/run compiles it with `nvcc -c`; it is never part of the CPU build.
#include "numkit/special/log_bessel.hpp"

template <class T> __global__ void touch_special(const T* v, const T* x, T* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = numkit::special::log_iv(v[i], x[i]);
}

template __global__ void touch_special<float>(const float*, const float*, float*, int);
template __global__ void touch_special<double>(const double*, const double*, double*, int);
