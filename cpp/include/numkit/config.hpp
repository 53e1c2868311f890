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
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#endif

namespace numkit {

// numkit::nstd -- the few standard traits and integer types the kernel headers use. On the host
// and under nvcc they are the std:: ones; NVRTC (CuPy's run-time compiler) has no standard
// headers, so there they are defined here (tiny equivalents; integer sequences by halving, so
// the instantiation depth stays logarithmic).
namespace nstd {
#if !defined(__CUDACC_RTC__)
using std::enable_if_t;
using std::int64_t;
using std::integer_sequence;
using std::index_sequence;
using std::is_arithmetic;
using std::is_same;
using std::make_index_sequence;
using std::make_integer_sequence;
using std::size_t;
using std::uint64_t;
#else
using size_t = decltype(sizeof(0));
using int64_t = long long;
using uint64_t = unsigned long long;
template <bool B, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> { using type = T; };
template <bool B, class T = void> using enable_if_t = typename enable_if<B, T>::type;
template <class A, class B> struct is_same { static constexpr bool value = false; };
template <class A> struct is_same<A, A> { static constexpr bool value = true; };
template <class T> struct is_arithmetic {
  static constexpr bool value =
      is_same<T, bool>::value || is_same<T, char>::value || is_same<T, signed char>::value ||
      is_same<T, unsigned char>::value || is_same<T, short>::value ||
      is_same<T, unsigned short>::value || is_same<T, int>::value || is_same<T, unsigned>::value ||
      is_same<T, long>::value || is_same<T, unsigned long>::value ||
      is_same<T, long long>::value || is_same<T, unsigned long long>::value ||
      is_same<T, float>::value || is_same<T, double>::value || is_same<T, long double>::value;
};
template <class T> struct is_arithmetic<const T> : is_arithmetic<T> {};
template <class T, T... I> struct integer_sequence {};
namespace detail {
template <class T, class A, class B> struct seq_cat;
template <class T, T... A, T... B>
struct seq_cat<T, integer_sequence<T, A...>, integer_sequence<T, B...>> {
  using type = integer_sequence<T, A..., (sizeof...(A) + B)...>;
};
template <class T, size_t N> struct make_seq {
  using type = typename seq_cat<T, typename make_seq<T, N / 2>::type,
                                typename make_seq<T, N - N / 2>::type>::type;
};
template <class T> struct make_seq<T, 0> { using type = integer_sequence<T>; };
template <class T> struct make_seq<T, 1> { using type = integer_sequence<T, 0>; };
}  // namespace detail
template <size_t... I> using index_sequence = integer_sequence<size_t, I...>;
template <class T, T N>
using make_integer_sequence = typename detail::make_seq<T, static_cast<size_t>(N)>::type;
template <size_t N> using make_index_sequence = make_integer_sequence<size_t, N>;
#endif
}  // namespace nstd

// Bit patterns of doubles, and the non-finite constants, without GCC builtins or memcpy: NVRTC
// has neither, so device code uses CUDA's reinterpretation intrinsics (which NVRTC provides).
#if defined(__CUDA_ARCH__) || defined(__CUDACC_RTC__)
NUMKIT_HOST_DEVICE inline nstd::uint64_t double_bits(double a) {
  return static_cast<nstd::uint64_t>(__double_as_longlong(a));
}
NUMKIT_HOST_DEVICE inline double bits_double(nstd::uint64_t b) {
  return __longlong_as_double(static_cast<long long>(b));
}
#else
NUMKIT_HOST_DEVICE inline nstd::uint64_t double_bits(double a) {
  nstd::uint64_t b;
  __builtin_memcpy(&b, &a, sizeof b);
  return b;
}
NUMKIT_HOST_DEVICE inline double bits_double(nstd::uint64_t b) {
  double a;
  __builtin_memcpy(&a, &b, sizeof a);
  return a;
}
#endif

// Constants as templates so that float kernels do not promote to double by accident.
template <class T> struct constants;
template <> struct constants<double> {
  NUMKIT_HOST_DEVICE static constexpr double pi() { return 3.141592653589793238462643383279502884; }
  NUMKIT_HOST_DEVICE static constexpr double ln2() { return 0.693147180559945309417232121458176568; }
  NUMKIT_HOST_DEVICE static constexpr double ln_pi() { return 1.144729885849400174143427351353058712; }
  NUMKIT_HOST_DEVICE static constexpr double ln_2pi() { return 1.837877066409345483560659472811235279; }
  NUMKIT_HOST_DEVICE static constexpr double eps() { return 2.220446049250313080847263336181640625e-16; }
#if defined(__CUDA_ARCH__) || defined(__CUDACC_RTC__)
  NUMKIT_HOST_DEVICE static double inf() { return __longlong_as_double(0x7ff0000000000000LL); }
  NUMKIT_HOST_DEVICE static double nan() { return __longlong_as_double(0x7ff8000000000000LL); }
#else
  NUMKIT_HOST_DEVICE static constexpr double inf() { return __builtin_huge_val(); }
  NUMKIT_HOST_DEVICE static constexpr double nan() { return __builtin_nan(""); }
#endif
};
template <> struct constants<float> {
  NUMKIT_HOST_DEVICE static constexpr float pi() { return 3.14159265358979323846f; }
  NUMKIT_HOST_DEVICE static constexpr float ln2() { return 0.693147180559945309417f; }
  NUMKIT_HOST_DEVICE static constexpr float ln_pi() { return 1.14472988584940017414f; }
  NUMKIT_HOST_DEVICE static constexpr float ln_2pi() { return 1.83787706640934548356f; }
  NUMKIT_HOST_DEVICE static constexpr float eps() { return 1.1920928955078125e-07f; }
#if defined(__CUDA_ARCH__) || defined(__CUDACC_RTC__)
  NUMKIT_HOST_DEVICE static float inf() { return __int_as_float(0x7f800000); }
  NUMKIT_HOST_DEVICE static float nan() { return __int_as_float(0x7fc00000); }
#else
  NUMKIT_HOST_DEVICE static constexpr float inf() { return __builtin_huge_valf(); }
  NUMKIT_HOST_DEVICE static constexpr float nan() { return __builtin_nanf(""); }
#endif
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
