// cpp/cuda/stats.cu -- the GPU kernels of numkit.stats: the vMF log normalizer (p, kappa), plain
// and exponentially scaled (numkit_<name>_f64 / numkit_<name>_f32, see elementwise.cuh).
//
// Compiled line by line by numkit/_gpu.py through NVRTC, and whole by nvcc in CI.
#include "numkit/stats/vmf.hpp"
#include "elementwise.cuh"

NUMKIT_CUDA_BINARY(numkit_vmf_log_normalizer, numkit::stats::vmf_log_normalizer)
NUMKIT_CUDA_BINARY(numkit_vmf_log_normalizer_e, numkit::stats::vmf_log_normalizer_e)
