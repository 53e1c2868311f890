// splines_autoknots.hpp -- the AutoKnots builder's entry point (implemented in splines_autoknots.cpp).
#pragma once

#include <pybind11/pybind11.h>

#include "numkit/splines/scales.hpp"

namespace numkit {
namespace splines {

struct BuildOptions {
  double a, b, rtol, atol;
  XScale xs;
  YScale ys;
  long n0;
  double max_dx;  // NaN: no limit
  long refine;
  double refine_ns;
  long max_knots;
  bool vectorized;
};

// Returns (core or None, status, x_lo, x_hi, value, nfev, n_passes, converged, max_error_estimate).
// status: 0 ok, 1 max_knots, 2 non-finite f, 3 non-positive f on a log y scale, 4 discontinuity.
pybind11::tuple autoknots_build(pybind11::object f, const BuildOptions& o);

}  // namespace splines
}  // namespace numkit
