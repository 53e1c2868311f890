// numkit/error.hpp -- how kernels report errors without exceptions.
//
// A kernel that meets an argument outside its domain returns NaN and calls set_error(). On the host
// this raises the IEEE "invalid" (or "overflow"/"underflow") flag, which NumPy inspects after every
// ufunc loop, so np.errstate controls the warning exactly as for np.log(-1). On a GPU it is a no-op:
// the NaN is the report. NaN *inputs* propagate silently and must not call set_error().
#pragma once

#include "numkit/config.hpp"

#if !defined(__CUDACC_RTC__) && !defined(__CUDA_ARCH__)
#include <cfenv>
#endif

namespace numkit {

enum class error_code : int {
  ok = 0,
  domain = 1,     // argument outside the function's domain: result is NaN
  overflow = 2,   // result too large for the output type: result is +-inf
  underflow = 3,  // result too small for the output type: result is 0
  no_result = 4,  // an iteration did not converge: result is NaN
};

NUMKIT_HOST_DEVICE inline void set_error(error_code code) {
#if !defined(__CUDACC_RTC__) && !defined(__CUDA_ARCH__)
  switch (code) {
    case error_code::domain:
    case error_code::no_result:
      std::feraiseexcept(FE_INVALID);
      break;
    case error_code::overflow:
      std::feraiseexcept(FE_OVERFLOW);
      break;
    case error_code::underflow:
      std::feraiseexcept(FE_UNDERFLOW);
      break;
    default:
      break;
  }
#else
  (void)code;
#endif
}

// NaN of type T with the domain error reported.
template <class T> NUMKIT_HOST_DEVICE inline T domain_error() {
  set_error(error_code::domain);
  return constants<T>::nan();
}

}  // namespace numkit
