// Simulates NVRTC: no standard C++ headers, only the C math functions (CUDA's device math).
#include <math.h>
#include <string.h>
#define __CUDACC_RTC__ 1
#define __CUDACC__ 1
#define __host__
#define __device__
// CUDA's reinterpretation intrinsics, which NVRTC provides built in (declared here for the host
// compiler; the real NVRTC compile is .ci/cuda_check.py's second step).
long long __double_as_longlong(double);
double __longlong_as_double(long long);
float __int_as_float(int);
#include "numkit/special/log_bessel.hpp"
#include "numkit/stats/vmf.hpp"
template double numkit::special::log_iv<double>(double, double);
template float numkit::special::log_kv<float>(float, float);
template double numkit::special::log_iv_dv<double>(double, double);
template double numkit::special::log_kv_dv<double>(double, double);
template double numkit::stats::vmf_log_normalizer<double>(double, double);
static_assert(numkit::nstd::is_same<numkit::nstd::make_index_sequence<5>, numkit::nstd::index_sequence<0,1,2,3,4>>::value, "seq");
