// PROVISIONAL: replaced by the log-space implementation (issue 2). Only here to exercise the build.
#pragma once
#include "numkit/config.hpp"
#include "numkit/error.hpp"
#include <cmath>
namespace numkit { namespace special {
template <class T> NUMKIT_HOST_DEVICE T log_iv(T v, T x) {
  if (math::isnan(v) || math::isnan(x)) return constants<T>::nan();
  if (x < 0) return domain_error<T>();
  return static_cast<T>(std::log(std::cyl_bessel_i(static_cast<double>(v), static_cast<double>(x))));
}
}}
