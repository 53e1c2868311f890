// register_splines.cpp -- numkit.splines's compiled functions (filled in by the splines issue).
#include "register.hpp"

namespace numkit {
void register_splines(pybind11::module_& m) { (void)m; }
}  // namespace numkit
