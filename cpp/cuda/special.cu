// cpp/cuda/special.cu -- the GPU kernels of numkit.special: one NUMKIT_CUDA_BINARY line per ufunc
// (numkit_<name>_f64 / numkit_<name>_f32, see elementwise.cuh).
//
// numkit/_gpu.py compiles each line on its own (its source string is this file's two #include
// lines plus that one line), so that the first call of a function compiles only its kernels; CI
// compiles those exact strings and this whole file with nvcc (.ci/cuda_check.py).
#include "numkit/special/log_bessel.hpp"
#include "elementwise.cuh"

NUMKIT_CUDA_BINARY(numkit_log_iv, numkit::special::log_iv)
NUMKIT_CUDA_BINARY(numkit_log_ive, numkit::special::log_ive)
NUMKIT_CUDA_BINARY(numkit_log_kv, numkit::special::log_kv)
NUMKIT_CUDA_BINARY(numkit_log_kve, numkit::special::log_kve)
NUMKIT_CUDA_BINARY(numkit_iv_ratio, numkit::special::iv_ratio)
NUMKIT_CUDA_BINARY(numkit_log_iv_dx, numkit::special::log_iv_dx)
NUMKIT_CUDA_BINARY(numkit_log_kv_dx, numkit::special::log_kv_dx)
NUMKIT_CUDA_BINARY(numkit_log_iv_dv, numkit::special::log_iv_dv)
NUMKIT_CUDA_BINARY(numkit_log_kv_dv, numkit::special::log_kv_dv)
