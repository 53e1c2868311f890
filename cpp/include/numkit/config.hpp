// numkit/config.hpp -- what every kernel header includes first.
//
// Kernels are written once for the CPU and for CUDA (nvcc, or NVRTC through CuPy): they are
// templates marked NUMKIT_HOST_DEVICE, use no exceptions, no heap and no I/O, and call math through
// numkit::math so that the same source finds the host <cmath> or the CUDA device functions.
#pragma once

#if defined(__CUDACC__) || defined(__HIPCC__)
#define NUMKIT_HOST_DEVICE __host__ __device__
#else
#define NUMKIT_HOST_DEVICE
#endif

#if !defined(__CUDACC_RTC__)
#include <cmath>
#include <limits>
#endif

namespace numkit {

// Constants as templates so that float kernels do not promote to double by accident.
template <class T> struct constants;
template <> struct constants<double> {
  NUMKIT_HOST_DEVICE static constexpr double pi() { return 3.141592653589793238462643383279502884; }
  NUMKIT_HOST_DEVICE static constexpr double ln2() { return 0.693147180559945309417232121458176568; }
  NUMKIT_HOST_DEVICE static constexpr double ln_pi() { return 1.144729885849400174143427351353058712; }
  NUMKIT_HOST_DEVICE static constexpr double ln_2pi() { return 1.837877066409345483560659472811235279; }
  NUMKIT_HOST_DEVICE static constexpr double eps() { return 2.220446049250313080847263336181640625e-16; }
  NUMKIT_HOST_DEVICE static constexpr double inf() { return __builtin_huge_val(); }
  NUMKIT_HOST_DEVICE static constexpr double nan() { return __builtin_nan(""); }
};
template <> struct constants<float> {
  NUMKIT_HOST_DEVICE static constexpr float pi() { return 3.14159265358979323846f; }
  NUMKIT_HOST_DEVICE static constexpr float ln2() { return 0.693147180559945309417f; }
  NUMKIT_HOST_DEVICE static constexpr float ln_pi() { return 1.14472988584940017414f; }
  NUMKIT_HOST_DEVICE static constexpr float ln_2pi() { return 1.83787706640934548356f; }
  NUMKIT_HOST_DEVICE static constexpr float eps() { return 1.1920928955078125e-07f; }
  NUMKIT_HOST_DEVICE static constexpr float inf() { return __builtin_huge_valf(); }
  NUMKIT_HOST_DEVICE static constexpr float nan() { return __builtin_nanf(""); }
};

namespace math {

// Forwarding layer: on the host these are std:: overloads for float and double; under nvcc the
// same names resolve to CUDA's host/device overloads.
#define NUMKIT_FORWARD1(name)                                                       \
  NUMKIT_HOST_DEVICE inline double name(double a) { return ::name(a); }            \
  NUMKIT_HOST_DEVICE inline float name(float a) { return ::name##f(a); }
#define NUMKIT_FORWARD2(name)                                                              \
  NUMKIT_HOST_DEVICE inline double name(double a, double b) { return ::name(a, b); }      \
  NUMKIT_HOST_DEVICE inline float name(float a, float b) { return ::name##f(a, b); }

NUMKIT_FORWARD1(log)
NUMKIT_FORWARD1(log1p)
NUMKIT_FORWARD1(exp)
NUMKIT_FORWARD1(expm1)
NUMKIT_FORWARD1(sqrt)
NUMKIT_FORWARD1(fabs)
NUMKIT_FORWARD1(floor)
NUMKIT_FORWARD1(sin)
NUMKIT_FORWARD1(cos)
NUMKIT_FORWARD1(tanh)
NUMKIT_FORWARD1(lgamma)
NUMKIT_FORWARD1(trunc)
NUMKIT_FORWARD2(pow)
NUMKIT_FORWARD2(fmax)
NUMKIT_FORWARD2(fmin)
NUMKIT_FORWARD2(hypot)
NUMKIT_FORWARD2(copysign)
#undef NUMKIT_FORWARD1
#undef NUMKIT_FORWARD2

NUMKIT_HOST_DEVICE inline bool isnan(double a) { return a != a; }
NUMKIT_HOST_DEVICE inline bool isnan(float a) { return a != a; }
// Written out rather than forwarded: the C macros and std:: templates differ between host and
// device headers, and these forms vectorize.
template <class T> NUMKIT_HOST_DEVICE inline bool isinf(T a) {
  return a == constants<T>::inf() || a == -constants<T>::inf();
}
template <class T> NUMKIT_HOST_DEVICE inline bool isfinite(T a) { return (a - a) == (a - a); }

}  // namespace math

}  // namespace numkit
