// cpp/cuda/elementwise.cuh -- the grid-stride loop that turns a scalar kernel of
// cpp/include/numkit/ into a pair of extern "C" __global__ kernels (float32 and float64).
//
// Compiled at run time by NVRTC through cupy.RawModule (numkit/_gpu.py builds the source string,
// one per function, from the NUMKIT_CUDA_BINARY line of special.cu / stats.cu), and by nvcc in CI.
// Device code only, no host headers (NVRTC has none): integers are `long long`, bit casts are the
// CUDA intrinsics.
//
// Kernel signature, for T = double (suffix _f64) and T = float (suffix _f32):
//
//   name_f64(const T* a, long long sa, const T* b, long long sb, T* out, long long n)
//
// out[i] = f(a[i * sa], b[i * sb]) for 0 <= i < n: sa, sb are element strides, 1 for an operand
// that spans the output, 0 for one that is broadcast from a single element, any other value for a
// strided 1-D view. n and the strides are 64-bit, so arrays beyond 2^31 elements are fine.
//
// float32: every float kernel of numkit evaluates in double and rounds once. CuPy compiles every
// RawModule with -ftz=true (appended after the caller's options, so it cannot be undone), and under
// -ftz=true nvcc/NVRTC emit cvt.ftz.f64.f32 and cvt.rn.ftz.f32.f64 (checked with nvcc 13 --ptx):
// subnormal float32 inputs would become 0 on the way in and subnormal results 0 on the way out
// (log_iv(0, 1e-20) = 2.5e-41 is subnormal in float32). The float32 kernels therefore widen and
// round through the bit patterns with integer and double arithmetic only (which FTZ never
// touches), so that the GPU float32 result is the CPU's: the double kernel's value rounded once to
// nearest-even.
#pragma once

#include "numkit/config.hpp"

#ifndef NUMKIT_CUDA_BLOCK
#define NUMKIT_CUDA_BLOCK 256  // threads per block; numkit/_gpu.py launches with the same value
#endif

namespace numkit_cuda {

// float32 bit pattern -> the same value as a double, exactly (subnormals included, NaN stays NaN).
__device__ __forceinline__ double widen_f32(unsigned int u) {
  const unsigned long long sign = static_cast<unsigned long long>(u >> 31) << 63;
  const unsigned int e = (u >> 23) & 0xffu;
  const unsigned int m = u & 0x7fffffu;
  if (e == 0u) {
    // zero or subnormal: m 2^-149, an exact integer-to-double conversion and a power-of-2 scaling.
    const double mag = static_cast<double>(m) * 0x1p-149;
    return sign ? -mag : mag;
  }
  const unsigned long long de =
      (e == 0xffu) ? 0x7ffull : static_cast<unsigned long long>(e) + (1023 - 127);
  return __longlong_as_double(
      static_cast<long long>(sign | (de << 52) | (static_cast<unsigned long long>(m) << 29)));
}

// double -> float32 bit pattern, rounded to nearest-even, subnormal results kept (no FTZ).
__device__ __forceinline__ unsigned int narrow_f32(double d) {
  const double a = d < 0 ? -d : d;
  if (!(a < 0x1p-126) || a == 0) {
    // normal range, inf, NaN or zero: the hardware conversion is IEEE rounding there (FTZ only
    // touches subnormal results, and a < 2^-126 never reaches this branch).
    return __float_as_uint(static_cast<float>(d));
  }
  // a in (0, 2^-126): the float32 result is k 2^-149 with k = rint(a 2^149) in [0, 2^23]; the
  // scaling is exact and rint rounds half to even; k = 2^23 is the bit pattern of FLT_MIN.
  const unsigned int k = static_cast<unsigned int>(rint(a * 0x1p149));
  const unsigned int sign = (__double_as_longlong(d) < 0) ? 0x80000000u : 0u;
  return sign | k;
}

__device__ __forceinline__ long long first_index() {
  return static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ long long grid_stride() {
  return static_cast<long long>(blockDim.x) * gridDim.x;
}

}  // namespace numkit_cuda

// Stamps out name_f64 and name_f32 for the scalar kernel template `fn`. Both call one non-inlined
// copy of fn<double> (the float kernels of numkit are fn<double> rounded once, see above): the
// scalar kernels are large once inlined (tens of thousands of PTX lines for log K), and a second
// inlined copy would double the PTX that NVRTC and the driver's JIT must compile on first use.
#define NUMKIT_CUDA_BINARY(name, fn)                                                          \
  static __device__ __noinline__ double name##_eval(double a, double b) {                    \
    return fn<double>(a, b);                                                                  \
  }                                                                                           \
  extern "C" __global__ void __launch_bounds__(NUMKIT_CUDA_BLOCK)                             \
      name##_f64(const double* __restrict__ a, long long sa, const double* __restrict__ b,    \
                 long long sb, double* __restrict__ out, long long n) {                       \
    for (long long i = numkit_cuda::first_index(); i < n; i += numkit_cuda::grid_stride()) {  \
      out[i] = name##_eval(a[i * sa], b[i * sb]);                                             \
    }                                                                                         \
  }                                                                                           \
  extern "C" __global__ void __launch_bounds__(NUMKIT_CUDA_BLOCK)                             \
      name##_f32(const unsigned int* __restrict__ a, long long sa,                            \
                 const unsigned int* __restrict__ b, long long sb,                            \
                 unsigned int* __restrict__ out, long long n) {                               \
    for (long long i = numkit_cuda::first_index(); i < n; i += numkit_cuda::grid_stride()) {  \
      out[i] = numkit_cuda::narrow_f32(                                                       \
          name##_eval(numkit_cuda::widen_f32(a[i * sa]), numkit_cuda::widen_f32(b[i * sb]))); \
    }                                                                                         \
  }
