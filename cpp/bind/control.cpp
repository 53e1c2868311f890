// bind/control.cpp -- numkit.control has no compiled code: integral RL is Python on top of
// numkit.quadrature (its weights, one set for every interval, come from the quadrature core).
// Timed: one full policy iteration of the paper's linear task at N = 15 takes ~50 ms, most of it
// NumPy/SciPy calls. The empty numkit._core.control keeps the one-submodule-per-part contract.
#include "bind/parts.hpp"

namespace numkit {
namespace bind {
void control(pybind11::module_&) {}
}  // namespace bind
}  // namespace numkit
