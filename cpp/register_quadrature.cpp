// register_quadrature.cpp -- numkit.quadrature's compiled functions (filled in by the quadrature issue).
#include "register.hpp"

namespace numkit {
void register_quadrature(pybind11::module_& m) { (void)m; }
}  // namespace numkit
