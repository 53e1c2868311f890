// autoknots.hpp -- the AutoKnots construction loop (autoknots.cpp), in plain C++.
//
// The algorithm sees f only through a Sampler; the CPython adapter that calls a Python f lives in
// bind/splines_autoknots.cpp. Every failure comes back as a BuildStatus with its location (the
// Python layer raises the documented exception); nothing here throws on bad values of f.
#pragma once

#include <cmath>
#include <cstddef>
#include <memory>

#include "numkit/splines/scales.hpp"
#include "src/splines/spline_core.hpp"

namespace numkit {
namespace splines {

// f at n points. Returns false if the evaluation failed (the implementation keeps the reason, e.g.
// a Python exception, and the builder stops with BuildStatus::sampler_failed).
class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual bool sample(const double* x, std::size_t n, double* y) = 0;
};

enum class BuildStatus : int {
  ok = 0,
  max_knots = 1,       // more than max_knots knots would be needed
  non_finite = 2,      // f returned NaN or inf (value, at x_lo)
  non_positive = 3,    // f <= 0 on a log y scale (value, at x_lo)
  discontinuity = 4,   // intervals below ~100 ulp still fail (y_lo, y_hi: f at the ends)
  overflow = 5,        // finite values of f overflowed the spline's arithmetic (y_lo, y_hi)
  sampler_failed = 6,  // the Sampler reported a failure
};

struct BuildOptions {
  double a = 0.0, b = 1.0;
  double rtol = 1e-8, atol = 0.0;
  XScale x_scale = XScale::linear;
  YScale y_scale = YScale::linear;
  long n0 = 6;
  double max_dx = std::nan("");  // largest starting spacing in u; NaN: no limit
  long refine = 1;               // rounds of the plateau heuristic
  double refine_ns = 1.0;
  long max_knots = 100000;
  long check = 0;  // random probes after convergence (one per stratum of u), 0: none
  // Endpoint singularity (numkit.splines' sing=): x is the distance xi = sign (x' - anchor) of the
  // user's x' from the singular end. Every point is snapped to a distance that some double x'
  // has exactly, so that f(x') belongs to the knot (near anchor = 2 the distances are multiples
  // of ulp(2)); the integral test then uses the 3-point rule of the snapped nodes. NaN: none.
  double anchor = std::nan("");
  double anchor_sign = 1.0;
};

struct BuildResult {
  std::shared_ptr<SplineCore> spline;  // null when f failed at the starting knots
  BuildStatus status = BuildStatus::ok;
  double x_lo = std::nan(""), x_hi = std::nan("");  // where it stopped
  double value = std::nan("");                     // f there (non_finite, non_positive)
  double y_lo = std::nan(""), y_hi = std::nan("");  // f at x_lo and x_hi (discontinuity, overflow)
  long nfev = 0, n_passes = 0;
  bool converged = false;
  double max_error_estimate = std::nan("");
};

BuildResult autoknots_build(Sampler& f, const BuildOptions& o);

}  // namespace splines
}  // namespace numkit
