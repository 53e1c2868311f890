// numkit/special/detail_dual.hpp -- forward-mode automatic differentiation for the special kernels.
//
// The derivatives of log I_v(x) in x and in v have no usable closed form in every regime, but each
// regime formula (power series, uniform and large-argument expansions, recurrences) is a short
// composition of elementary operations. Evaluating the *same* formula on Dual numbers
// (value + derivative, one direction) gives the derivative of the approximation the value uses, which
// for these convergent or well-truncated asymptotic series is accurate to the same relative order.
//
// The kernels are written once as templates over the number type D (double or Dual<double>) and call
// the overloads below (dlog, dsqrt, ...) so that either instantiation finds its elementary functions.
#pragma once

#include "numkit/simd/attributes.hpp"
#include "numkit/simd/select.hpp"
#include "numkit/config.hpp"

#if !defined(__CUDACC_RTC__)
#include <cstdint>
#include <type_traits>
#endif



namespace numkit {
namespace special {
namespace detail {

template <class T> struct Dual {
  T v;  // value
  T d;  // derivative in the chosen direction
  NUMKIT_HOST_DEVICE constexpr Dual() : v(0), d(0) {}
  NUMKIT_HOST_DEVICE constexpr Dual(T value) : v(value), d(0) {}  // NOLINT: constants promote
  NUMKIT_HOST_DEVICE constexpr Dual(T value, T deriv) : v(value), d(deriv) {}
};

template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator+(Dual<T> a, Dual<T> b) {
  return {a.v + b.v, a.d + b.d};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator-(Dual<T> a, Dual<T> b) {
  return {a.v - b.v, a.d - b.d};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator-(Dual<T> a) { return {-a.v, -a.d}; }
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator*(Dual<T> a, Dual<T> b) {
  return {a.v * b.v, a.d * b.v + a.v * b.d};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator/(Dual<T> a, Dual<T> b) {
  const T q = a.v / b.v;
  return {q, (a.d - q * b.d) / b.v};
}
// Mixed forms with plain arithmetic scalars (int or floating), so that `2 * v`, `x - 1` or
// `0.125 + q * c` work for both instantiations.
template <class S> using if_scalar_t = nstd::enable_if_t<nstd::is_arithmetic<S>::value, int>;
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator+(Dual<T> a, S b) { return {a.v + T(b), a.d}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator+(S a, Dual<T> b) { return {T(a) + b.v, b.d}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator-(Dual<T> a, S b) { return {a.v - T(b), a.d}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator-(S a, Dual<T> b) { return {T(a) - b.v, -b.d}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator*(Dual<T> a, S b) { return {a.v * T(b), a.d * T(b)}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator*(S a, Dual<T> b) { return {T(a) * b.v, T(a) * b.d}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator/(Dual<T> a, S b) { return {a.v / T(b), a.d / T(b)}; }
template <class T, class S, if_scalar_t<S> = 0>
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> operator/(S a, Dual<T> b) {
  const T q = T(a) / b.v;
  return {q, -q * b.d / b.v};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T>& operator+=(Dual<T>& a, Dual<T> b) { return a = a + b; }
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T>& operator*=(Dual<T>& a, Dual<T> b) { return a = a * b; }

// Value of a number of either kind (for branch decisions, which never depend on the derivative).
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double val(double a) { return a; }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE float val(float a) { return a; }
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE auto val(Dual<T> a) { return val(a.v); }

// Optimization barrier for the scalar kernels: after the NaN check a kernel launders its arguments,
// so that GCC cannot hoist an ordered comparison (comisd, which raises "invalid" on a quiet NaN)
// above the check: NaN in must give NaN out without a warning.
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE void launder(double& a) {
#if defined(__GNUC__) && !defined(__CUDA_ARCH__) && defined(__x86_64__)
  asm volatile("" : "+x"(a));
#elif defined(__GNUC__) && !defined(__CUDA_ARCH__)
  asm volatile("" : "+m"(a));
#else
  (void)a;
#endif
}

// Branch-free selects (simd/select.hpp), and their Dual forms.
using simd::select;
using simd::select_less;
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> select(bool c, Dual<T> a, Dual<T> b) {
  return {select(c, a.v, b.v), select(c, a.d, b.d)};
}
template <class T>
NUMKIT_HOST_DEVICE inline Dual<T> select_less(Dual<T> a, Dual<T> b, Dual<T> p, Dual<T> q) {
  return val(a) < val(b) ? p : q;
}

// Elementary functions for both kinds; the Dual forms recurse through the value type so that
// nested duals (second derivatives) also work.
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double dlog(double a) { return math::log(a); }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double dlog1p(double a) { return math::log1p(a); }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double dsqrt(double a) { return math::sqrt(a); }
NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE double dexp(double a) { return math::exp(a); }
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> dlog(Dual<T> a) { return {dlog(a.v), a.d / a.v}; }
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> dlog1p(Dual<T> a) {
  return {dlog1p(a.v), a.d / (1 + a.v)};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> dsqrt(Dual<T> a) {
  const T s = dsqrt(a.v);
  return {s, a.d / (2 * s)};
}
template <class T> NUMKIT_HOST_DEVICE NUMKIT_FORCE_INLINE Dual<T> dexp(Dual<T> a) {
  const T e = dexp(a.v);
  return {e, a.d * e};
}

}  // namespace detail
}  // namespace special
}  // namespace numkit
