// register_stats.cpp -- numkit.stats's compiled functions (filled in by the stats issue).
#include "register.hpp"

namespace numkit {
void register_stats(pybind11::module_& m) { (void)m; }
}  // namespace numkit
