// bind/special.cpp -- numkit.special: the log-modified-Bessel family as genuine NumPy ufuncs.
// One line per ufunc: float32 loops evaluate in double and round once; float64 loops use the block
// kernels where a block kernel exists (regime-classified, vectorizable; with their strided forms,
// which read strided inputs in place), else the scalar kernel.
#include "numkit/special/cpu/blocks.hpp"
#include "bind/parts.hpp"
#include "bind/docs/special.hpp"
#include "bind/ufunc.hpp"

namespace numkit {

namespace bind {
void special(pybind11::module_& m) {
  using namespace numkit::ufunc;
  namespace sp = numkit::special;
  namespace doc = numkit::special_docs;
  add_ufunc<Elementwise<&sp::log_iv<float>>, Blockwise<&sp::log_iv_block, &sp::log_iv_block_strided>>(
      m, "log_iv", doc::log_iv);
  add_ufunc<Elementwise<&sp::log_ive<float>>, Blockwise<&sp::log_ive_block, &sp::log_ive_block_strided>>(
      m, "log_ive", doc::log_ive);
  add_ufunc<Elementwise<&sp::log_kv<float>>, Blockwise<&sp::log_kv_block, &sp::log_kv_block_strided>>(
      m, "log_kv", doc::log_kv);
  add_ufunc<Elementwise<&sp::log_kve<float>>, Blockwise<&sp::log_kve_block, &sp::log_kve_block_strided>>(
      m, "log_kve", doc::log_kve);
  add_ufunc<Elementwise<&sp::iv_ratio<float>>, Blockwise<&sp::iv_ratio_block, &sp::iv_ratio_block_strided>>(
      m, "iv_ratio", doc::iv_ratio);
  add_ufunc<Elementwise<&sp::log_iv_dx<float>>, Blockwise<&sp::log_iv_dx_block, &sp::log_iv_dx_block_strided>>(
      m, "log_iv_dx", doc::log_iv_dx);
  add_ufunc<Elementwise<&sp::log_kv_dx<float>>, Elementwise<&sp::log_kv_dx<double>>>(
      m, "log_kv_dx", doc::log_kv_dx);
  add_ufunc<Elementwise<&sp::log_iv_dv<float>>, Elementwise<&sp::log_iv_dv<double>>>(
      m, "log_iv_dv", doc::log_iv_dv);
  add_ufunc<Elementwise<&sp::log_kv_dv<float>>, Elementwise<&sp::log_kv_dv<double>>>(
      m, "log_kv_dv", doc::log_kv_dv);
}

}  // namespace bind

}  // namespace numkit
