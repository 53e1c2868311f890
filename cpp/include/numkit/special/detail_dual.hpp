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

#include "numkit/config.hpp"

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

template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator+(Dual<T> a, Dual<T> b) {
  return {a.v + b.v, a.d + b.d};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator-(Dual<T> a, Dual<T> b) {
  return {a.v - b.v, a.d - b.d};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator-(Dual<T> a) { return {-a.v, -a.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator*(Dual<T> a, Dual<T> b) {
  return {a.v * b.v, a.d * b.v + a.v * b.d};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator/(Dual<T> a, Dual<T> b) {
  const T q = a.v / b.v;
  return {q, (a.d - q * b.d) / b.v};
}
// Mixed forms with plain scalars (so that `2 * v` or `0.125 + q * c` work for both instantiations).
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator+(Dual<T> a, T b) { return {a.v + b, a.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator+(T a, Dual<T> b) { return {a + b.v, b.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator-(Dual<T> a, T b) { return {a.v - b, a.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator-(T a, Dual<T> b) { return {a - b.v, -b.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator*(Dual<T> a, T b) { return {a.v * b, a.d * b}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator*(T a, Dual<T> b) { return {a * b.v, a * b.d}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator/(Dual<T> a, T b) { return {a.v / b, a.d / b}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> operator/(T a, Dual<T> b) {
  const T q = a / b.v;
  return {q, -q * b.d / b.v};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T>& operator+=(Dual<T>& a, Dual<T> b) { return a = a + b; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T>& operator*=(Dual<T>& a, Dual<T> b) { return a = a * b; }

// Value of a number of either kind (for branch decisions, which never depend on the derivative).
NUMKIT_HOST_DEVICE inline double val(double a) { return a; }
NUMKIT_HOST_DEVICE inline float val(float a) { return a; }
template <class T> NUMKIT_HOST_DEVICE inline auto val(Dual<T> a) { return val(a.v); }

// Elementary functions for both kinds; the Dual forms recurse through the value type so that
// nested duals (second derivatives) also work.
NUMKIT_HOST_DEVICE inline double dlog(double a) { return math::log(a); }
NUMKIT_HOST_DEVICE inline double dlog1p(double a) { return math::log1p(a); }
NUMKIT_HOST_DEVICE inline double dsqrt(double a) { return math::sqrt(a); }
NUMKIT_HOST_DEVICE inline double dexp(double a) { return math::exp(a); }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> dlog(Dual<T> a) { return {dlog(a.v), a.d / a.v}; }
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> dlog1p(Dual<T> a) {
  return {dlog1p(a.v), a.d / (1 + a.v)};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> dsqrt(Dual<T> a) {
  const T s = dsqrt(a.v);
  return {s, a.d / (2 * s)};
}
template <class T> NUMKIT_HOST_DEVICE inline Dual<T> dexp(Dual<T> a) {
  const T e = dexp(a.v);
  return {e, a.d * e};
}

}  // namespace detail
}  // namespace special
}  // namespace numkit
