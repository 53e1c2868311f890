// numkit/simd/operand.hpp -- how a CPU chunk driver reads an input operand (host only).
//
// A ufunc loop hands its kernel pointers and byte steps. The chunk drivers of numkit.special
// classify a chunk, then gather each regime's elements by index into contiguous buffers anyway;
// reading a strided (or broadcast) operand there, in place, saves the staging copy that the
// generic ufunc wrapper would make first (measured: strided calls ran 6-14% slower than
// contiguous ones with that copy). Contiguous<T> and Strided<T> have the same interface, so one
// driver template serves both, and the contiguous instantiation compiles to plain loads.
#pragma once

#include <cstddef>

#include "numkit/simd/attributes.hpp"

namespace numkit {
namespace simd {

// Elements p[i * step]: step in elements, 0 for a broadcast operand, negative allowed.
template <class T> struct Strided {
  const T* p;
  std::ptrdiff_t step;
  static constexpr bool contiguous = false;
  NUMKIT_FORCE_INLINE T operator[](std::size_t i) const { return p[static_cast<std::ptrdiff_t>(i) * step]; }
  NUMKIT_FORCE_INLINE Strided operator+(std::size_t k) const {
    return {p + static_cast<std::ptrdiff_t>(k) * step, step};
  }
};

// Elements p[i].
template <class T> struct Contiguous {
  const T* p;
  static constexpr bool contiguous = true;
  NUMKIT_FORCE_INLINE T operator[](std::size_t i) const { return p[i]; }
  NUMKIT_FORCE_INLINE Contiguous operator+(std::size_t k) const { return {p + k}; }
};

}  // namespace simd
}  // namespace numkit
