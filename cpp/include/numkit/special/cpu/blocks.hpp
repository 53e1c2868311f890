// numkit/special/cpu/blocks.hpp -- the host-only float64 block kernels of numkit.special (the
// ufunc loops): log_iv_block, log_ive_block, iv_ratio_block, log_iv_dx_block (iv_block.hpp,
// iv_dx_block.hpp) and log_kv_block, log_kve_block (k_block.hpp, entry points below). Never
// included by CUDA code: the scalar headers in numkit/special/ are the host/device kernels.
#pragma once

#include <cstddef>

#include "numkit/simd/attributes.hpp"
#include "numkit/special/log_bessel.hpp"
#include "numkit/special/cpu/iv_block.hpp"
#include "numkit/special/cpu/iv_dx_block.hpp"
#include "numkit/special/cpu/k_block.hpp"

namespace numkit {
namespace special {
// CPU block kernels (float64 ufunc loops): regime-classified, vectorized (cpu/k_block.hpp),
// compiled for each x86-64 level of NUMKIT_CLONES and picked at load time; contiguous operands, or
// operands with element steps (bind/ufunc.hpp's Blockwise calls the strided form).
NUMKIT_CLONES inline void log_kve_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                                double* out) {
  detail::k_block_any(n, v, x, out, false, [](double a, double b) { return log_kve(a, b); });
}
NUMKIT_CLONES inline void log_kv_block_strided(std::size_t n, simd::Strided<double> v, simd::Strided<double> x,
                                               double* out) {
  detail::k_block_any(n, v, x, out, true, [](double a, double b) { return log_kv(a, b); });
}
inline void log_kve_block(std::size_t n, const double* v, const double* x, double* out) {
  log_kve_block_strided(n, {v, 1}, {x, 1}, out);
}
inline void log_kv_block(std::size_t n, const double* v, const double* x, double* out) {
  log_kv_block_strided(n, {v, 1}, {x, 1}, out);
}

}  // namespace special
}  // namespace numkit
