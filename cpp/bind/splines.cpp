// bind/splines.cpp -- numkit.splines's compiled parts: the AutoKnots builder (its options, result and
// status), the scales, and SplineCore. Inputs arrive checked and contiguous from
// python/numkit/splines; big evaluations release the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <vector>

#include "bind/parts.hpp"
#include "bind/splines_autoknots.hpp"
#include "src/splines/autoknots.hpp"
#include "src/splines/spline_core.hpp"

namespace py = pybind11;

namespace numkit {

namespace {

using splines::BuildOptions;
using splines::BuildResult;
using splines::BuildStatus;
using splines::SplineCore;
using splines::XScale;
using splines::YScale;
using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
constexpr py::ssize_t kReleaseGil = 2048;  // below this, releasing the GIL costs more than it saves

std::vector<double> to_vector(const Array& a) { return std::vector<double>(a.data(), a.data() + a.size()); }

py::array_t<double> as_array(const std::vector<double>& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

template <class F> Array map_points(const Array& x, F&& fill) {
  Array out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  const auto n = static_cast<std::size_t>(x.size());
  const double* in = x.data();
  double* o = out.mutable_data();
  if (x.size() >= kReleaseGil) {
    py::gil_scoped_release release;
    fill(n, in, o);
  } else {
    fill(n, in, o);
  }
  return out;
}

}  // namespace

namespace bind {
void splines(py::module_& m) {
  py::enum_<XScale>(m, "XScale", "Fitting coordinate of x: u = x, ln x or asinh x.")
      .value("linear", XScale::linear)
      .value("log", XScale::log)
      .value("asinh", XScale::asinh);
  py::enum_<YScale>(m, "YScale", "Fitting coordinate of y: v = y or ln y.")
      .value("linear", YScale::linear)
      .value("log", YScale::log);
  py::enum_<BuildStatus>(m, "BuildStatus", "Why an AutoKnots construction stopped.")
      .value("ok", BuildStatus::ok)
      .value("max_knots", BuildStatus::max_knots)
      .value("non_finite", BuildStatus::non_finite)
      .value("non_positive", BuildStatus::non_positive)
      .value("discontinuity", BuildStatus::discontinuity)
      .value("overflow", BuildStatus::overflow)
      .value("sampler_failed", BuildStatus::sampler_failed);

  py::class_<BuildOptions>(m, "BuildOptions", "Options of the AutoKnots builder (checked by numkit.splines.autoknots).")
      .def(py::init<>())
      .def_readwrite("a", &BuildOptions::a)
      .def_readwrite("b", &BuildOptions::b)
      .def_readwrite("rtol", &BuildOptions::rtol)
      .def_readwrite("atol", &BuildOptions::atol)
      .def_readwrite("x_scale", &BuildOptions::x_scale)
      .def_readwrite("y_scale", &BuildOptions::y_scale)
      .def_readwrite("n0", &BuildOptions::n0)
      .def_readwrite("max_dx", &BuildOptions::max_dx)
      .def_readwrite("refine", &BuildOptions::refine)
      .def_readwrite("refine_ns", &BuildOptions::refine_ns)
      .def_readwrite("max_knots", &BuildOptions::max_knots)
      .def_readwrite("check", &BuildOptions::check)
      .def_readwrite("anchor", &BuildOptions::anchor)
      .def_readwrite("anchor_sign", &BuildOptions::anchor_sign);

  py::class_<BuildResult>(m, "BuildResult", "What the AutoKnots builder returns.")
      .def_readonly("spline", &BuildResult::spline)
      .def_readonly("status", &BuildResult::status)
      .def_readonly("x_lo", &BuildResult::x_lo)
      .def_readonly("x_hi", &BuildResult::x_hi)
      .def_readonly("value", &BuildResult::value)
      .def_readonly("y_lo", &BuildResult::y_lo)
      .def_readonly("y_hi", &BuildResult::y_hi)
      .def_readonly("nfev", &BuildResult::nfev)
      .def_readonly("n_passes", &BuildResult::n_passes)
      .def_readonly("converged", &BuildResult::converged)
      .def_readonly("max_error_estimate", &BuildResult::max_error_estimate);

  py::class_<SplineCore, std::shared_ptr<SplineCore>>(m, "SplineCore",
                                                      "Compiled not-a-knot cubic in transformed coordinates.")
      .def(py::init([](const Array& x, const Array& y, XScale xs, YScale ys, const py::object& u) {
             std::vector<double> uv;
             if (!u.is_none()) uv = to_vector(py::cast<Array>(u));
             return std::make_shared<SplineCore>(to_vector(x), to_vector(y), xs, ys, std::move(uv));
           }),
           py::arg("x"), py::arg("y"), py::arg("x_scale"), py::arg("y_scale"), py::arg("u") = py::none())
      .def(
          "evaluate",
          [](const SplineCore& s, const Array& x, int nu, bool extrapolate) {
            return map_points(x, [&](std::size_t n, const double* in, double* o) {
              s.evaluate(n, in, o, nu, extrapolate);
            });
          },
          py::arg("x"), py::arg("nu"), py::arg("extrapolate"))
      .def(
          "antiderivative",
          [](const SplineCore& s, const Array& x, bool extrapolate, int order) {
            if (order < 1) throw py::value_error("antiderivative order must be >= 1");
            return map_points(x, [&](std::size_t n, const double* in, double* o) {
              s.antiderivative(n, in, o, extrapolate, order);
            });
          },
          py::arg("x"), py::arg("extrapolate"), py::arg("order") = 1)
      .def("integrate", &SplineCore::integrate, py::arg("a"), py::arg("b"), py::arg("extrapolate"),
           py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("x", [](const SplineCore& s) { return as_array(s.x()); })
      .def_property_readonly("y", [](const SplineCore& s) { return as_array(s.y()); })
      .def_property_readonly("u", [](const SplineCore& s) { return as_array(s.u()); })
      .def_property_readonly("coefficients", [](const SplineCore& s) {
        py::array_t<double> out({static_cast<py::ssize_t>(s.size() - 1), py::ssize_t{4}});
        std::copy(s.coef().begin(), s.coef().end(), out.mutable_data());
        return out;
      })
      .def_property_readonly("x_scale", &SplineCore::x_scale)
      .def_property_readonly("y_scale", &SplineCore::y_scale);

  m.def(
      "autoknots_build",
      [](py::object f, const BuildOptions& options, bool vectorized, py::object coerce) {
        PySampler sampler(std::move(f), vectorized, std::move(coerce));
        BuildResult r = splines::autoknots_build(sampler, options);
        sampler.rethrow_if_failed();  // f's own exception, unchanged
        return r;
      },
      py::arg("f"), py::arg("options"), py::arg("vectorized"), py::arg("coerce"),
      "AutoKnots construction loop (f is called with the GIL held). Use numkit.splines.autoknots.");
}

}  // namespace bind

}  // namespace numkit
