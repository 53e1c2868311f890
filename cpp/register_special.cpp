// PROVISIONAL registration (issue 2 replaces it).
#include "numkit/special/log_bessel.hpp"
#include "register.hpp"
#include "ufunc.hpp"
namespace numkit {
void register_special(pybind11::module_& m) {
  using namespace numkit::ufunc;
  add_ufunc<Elementwise<&special::log_iv<float>>, Elementwise<&special::log_iv<double>>>(
      m, "log_iv", "log_iv(v, x)\n\nProvisional.");
}
}
