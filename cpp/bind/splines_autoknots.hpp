// bind/splines_autoknots.hpp -- the CPython adapter of the AutoKnots Sampler: calls a Python f.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>

#include "src/splines/autoknots.hpp"

namespace numkit {
namespace bind {

// f(x) for a Python callable: with vectorized=True one call on a float64 array per pass, else one
// call per point with a float. The common answers (an exact float64 C array of shape (n,), a
// float) are read in place; anything else goes through `coerce(result, x)` (Python), which
// returns float64 values of the right shape or raises the clear error. A Python exception stops
// the build (Sampler failure) and is re-raised by rethrow_if_failed().
class PySampler final : public splines::Sampler {
 public:
  PySampler(pybind11::object f, bool vectorized, pybind11::object coerce)
      : f_(std::move(f)), coerce_(std::move(coerce)), vectorized_(vectorized) {}
  bool sample(const double* x, std::size_t n, double* y) override;
  void rethrow_if_failed();

 private:
  void sample_array(const double* x, std::size_t n, double* y);
  void sample_points(const double* x, std::size_t n, double* y);

  pybind11::object f_, coerce_;
  bool vectorized_;
  std::unique_ptr<pybind11::error_already_set> error_;
};

}  // namespace bind
}  // namespace numkit
