// bind/module.cpp -- the numkit._core extension: imports NumPy's C API once, then gives each part of
// numkit a submodule (numkit._core.<part>) filled by its bind/<part>.cpp.
//
// How parts are bound (the one convention for every part):
// - Elementwise functions are genuine np.ufuncs built by bind/ufunc.hpp from the header-only kernels.
// - Array-in/array-out functions (hamming, attention, the BQ weights) are plain pybind11 functions
//   taking C-contiguous arrays of the exact dtype (py::array_t<T, c_style>): the Python layer in
//   python/numkit/<part>/ has already validated, converted and broadcast them, so C++ never sees an
//   unexpected layout. They release the GIL around the numerical work. We do not use generalized
//   ufuncs for these: their core dimensions are not fixed-signature (texts and patterns of unrelated
//   lengths, optional k/eps/window modes), and a gufunc would add no dask or CuPy routing that the
//   Python layer does not already do explicitly.
// - Statuses and scales are py::enum_, results are bound structs with named fields; stubs for every
//   submodule live in python/numkit/_core/ and are checked by mypy.stubtest (tests/test_stubs.py).
#include <pybind11/pybind11.h>

#define NUMKIT_IMPORT_NUMPY
#include "bind/numpy_api.hpp"
#include "bind/parts.hpp"

namespace py = pybind11;

namespace {
// A submodule that `import numkit._core.<name>` (and so stubtest and pickle) can find.
py::module_ part(py::module_& m, const char* name, const char* doc) {
  py::module_ sub = m.def_submodule(name, doc);
  py::module_::import("sys").attr("modules")[py::str(std::string("numkit._core.") + name)] = sub;
  return sub;
}
}  // namespace

PYBIND11_MODULE(_core, m) {
  // The import macros contain `return NULL;`, which cannot stand in this function: use the
  // int-returning forms from npy_2_compat.h.
  if (PyArray_ImportNumPyAPI() < 0) throw py::error_already_set();
  if (PyUFunc_ImportUFuncAPI() < 0) throw py::error_already_set();
  m.doc() = "numkit's compiled core. Use the public modules (numkit.special, ...) instead.";
  struct Part {
    const char* name;
    const char* doc;
    void (*bind)(py::module_&);
  };
  static const Part parts[] = {
      {"special", "log-Bessel ufuncs (numkit.special).", &numkit::bind::special},
      {"stats", "vMF normalizer ufuncs (numkit.stats).", &numkit::bind::stats},
      {"splines", "AutoKnots builder and spline core (numkit.splines).", &numkit::bind::splines},
      {"quadrature", "State-space Bayesian quadrature (numkit.quadrature).", &numkit::bind::quadrature},
      {"attention", "Kronecker attention kernels (numkit.attention).", &numkit::bind::attention},
      {"hamming", "Text-to-pattern Hamming distance engines (numkit.hamming).", &numkit::bind::hamming},
  };
  for (const Part& p : parts) {
    py::module_ sub = part(m, p.name, p.doc);
    p.bind(sub);
  }
}
