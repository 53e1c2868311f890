// numkit/special/log_bessel_k.hpp -- log K_v(x) family.
// PROVISIONAL first commit: the contract (signatures) only, backed by std::cyl_bessel_k on the
// host. Replaced by the log-space implementation (issue 2) in the following commits.
#pragma once

#include "numkit/config.hpp"
#include "numkit/error.hpp"

#if !defined(__CUDACC_RTC__)
#include <cmath>
#include <cstddef>
#endif

namespace numkit {
namespace special {

template <class T> NUMKIT_HOST_DEVICE T log_kv(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < 0) return domain_error<T>();
#if !defined(__CUDA_ARCH__)
  return static_cast<T>(std::log(std::cyl_bessel_k(std::fabs(double(v)), double(x))));
#else
  return constants<T>::nan();
#endif
}

template <class T> NUMKIT_HOST_DEVICE T log_kve(T v, T x) { return log_kv(v, x) + x; }

template <class T> NUMKIT_HOST_DEVICE T log_kv_dx(T v, T x) {
  const T h = x * T(1e-6);
  return (log_kv(v, x + h) - log_kv(v, x - h)) / (2 * h);
}

template <class T> NUMKIT_HOST_DEVICE T log_kv_dv(T v, T x) {
  const T h = T(1e-5);
  return (log_kv(v + h, x) - log_kv(v - h, x)) / (2 * h);
}

#if !defined(__CUDACC__)
inline void log_kv_block(std::size_t n, const double* v, const double* x, double* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = log_kv(v[i], x[i]);
}
inline void log_kve_block(std::size_t n, const double* v, const double* x, double* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = log_kve(v[i], x[i]);
}
#endif

}  // namespace special
}  // namespace numkit
