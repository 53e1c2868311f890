// bind/parts.hpp -- one binding function per part of numkit; module.cpp gives each its own
// submodule of numkit._core (numkit._core.special, numkit._core.splines, ...).
#pragma once

#include <pybind11/pybind11.h>

namespace numkit {
namespace bind {
void special(pybind11::module_& m);
void stats(pybind11::module_& m);
void splines(pybind11::module_& m);
void quadrature(pybind11::module_& m);
void attention(pybind11::module_& m);
void hamming(pybind11::module_& m);
}  // namespace bind
}  // namespace numkit
