// module.cpp -- the numkit._core extension: imports NumPy's C API once, then lets each part
// register its functions (one file cpp/register_<part>.cpp per part).
#include <pybind11/pybind11.h>

#define NUMKIT_IMPORT_NUMPY
#include "numpy_api.hpp"
#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  // The import macros contain `return NULL;`, which cannot stand in this function: use the
  // int-returning forms from npy_2_compat.h.
  if (PyArray_ImportNumPyAPI() < 0) throw pybind11::error_already_set();
  if (PyUFunc_ImportUFuncAPI() < 0) throw pybind11::error_already_set();
  m.doc() = "numkit's compiled core. Use the public modules (numkit.special, ...) instead.";
  numkit::register_special(m);
  numkit::register_splines(m);
  numkit::register_quadrature(m);
  numkit::register_stats(m);
}
