// cpp/cuda/hamming.cu -- the GPU kernels of numkit.hamming: the tiled brute force for each
// symbol width (hamming.cuh). numkit/_gpu.py compiles this whole file as one module (its source
// string is this file); CI compiles it with nvcc (.ci/cuda_check.py).
#include "hamming.cuh"

NUMKIT_CUDA_HAMMING(numkit_hamming_u8, unsigned char)
NUMKIT_CUDA_HAMMING(numkit_hamming_u16, unsigned short)
NUMKIT_CUDA_HAMMING(numkit_hamming_u32, unsigned int)
NUMKIT_CUDA_HAMMING(numkit_hamming_u64, unsigned long long)
