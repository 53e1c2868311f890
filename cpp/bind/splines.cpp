// bind/splines.cpp -- numkit.splines's compiled parts: the AutoKnots builder and SplineCore.
// Inputs arrive checked and contiguous from python/numkit/splines; big evaluations release the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <vector>

#include "bind/parts.hpp"
#include "bind/splines_autoknots.hpp"
#include "src/splines/spline_core.hpp"

namespace py = pybind11;

namespace numkit {

namespace {

using splines::SplineCore;
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
  py::class_<SplineCore, std::shared_ptr<SplineCore>>(m, "SplineCore",
                                                      "Compiled not-a-knot cubic in transformed coordinates.")
      .def(py::init([](const Array& x, const Array& y, int xs, int ys, const py::object& u) {
             std::vector<double> uv;
             if (!u.is_none()) uv = to_vector(py::cast<Array>(u));
             return std::make_shared<SplineCore>(to_vector(x), to_vector(y), static_cast<splines::XScale>(xs),
                                                 static_cast<splines::YScale>(ys), std::move(uv));
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
      .def_property_readonly("x_scale", [](const SplineCore& s) { return static_cast<int>(s.x_scale()); })
      .def_property_readonly("y_scale", [](const SplineCore& s) { return static_cast<int>(s.y_scale()); });

  m.def(
      "autoknots_build",
      [](py::object f, double a, double b, double rtol, double atol, int xs, int ys, long n0, double max_dx,
         long refine, double refine_ns, long max_knots, bool vectorized) {
        splines::BuildOptions o{a,  b,      rtol,      atol,      static_cast<splines::XScale>(xs),
                                static_cast<splines::YScale>(ys), n0, max_dx, refine, refine_ns,
                                max_knots, vectorized};
        return splines::autoknots_build(std::move(f), o);
      },
      py::arg("f"), py::arg("a"), py::arg("b"), py::arg("rtol"), py::arg("atol"), py::arg("x_scale"),
      py::arg("y_scale"), py::arg("n0"), py::arg("max_dx"), py::arg("refine"), py::arg("refine_ns"),
      py::arg("max_knots"), py::arg("vectorized"),
      "AutoKnots construction loop; returns (core, status, x_lo, x_hi, value, nfev, n_passes, converged, "
      "max_error). Use numkit.splines.autoknots.");
}

}  // namespace bind

}  // namespace numkit
