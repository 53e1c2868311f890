// register.hpp -- one registration function per part of numkit, called from module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace numkit {
void register_special(pybind11::module_& m);
void register_splines(pybind11::module_& m);
void register_quadrature(pybind11::module_& m);
void register_stats(pybind11::module_& m);
}  // namespace numkit
