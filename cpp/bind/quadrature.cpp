// bind/quadrature.cpp -- numkit.quadrature's compiled functions (private: numkit.quadrature wraps
// them, validates the input and holds the defaults). Arrays arrive checked, float64 and contiguous;
// the numerical work runs without the GIL. Kernels are the Kernel enum (its values are the Matern
// orders p, -1 for Wiener); results are named structs; the algorithm thresholds of bq.hpp are
// module attributes, so Python never copies them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>

#include "bind/parts.hpp"
#include "numkit/quadrature/kernel_integrals.hpp"
#include "src/quadrature/bq.hpp"

namespace py = pybind11;

namespace numkit {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

enum class Kernel : int { matern12 = 0, matern32 = 1, matern52 = 2, matern72 = 3, wiener = -1 };

int order(Kernel kernel) { return static_cast<int>(kernel); }

// Results handed to Python (the C++ structs hold std::vector; these hold NumPy arrays).
struct WeightsOut {
  Array weights;
  double std, model_std;
};
struct QuadformsOut {
  Array quad;
  double logdet;
};
struct WhitenerOut {
  Array matrix;
  bool difference_basis;
};

Array to_array(const std::vector<double>& v, py::ssize_t rows, py::ssize_t cols) {
  Array out = cols < 0 ? Array(rows) : Array({rows, cols});
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

void check_nodes(const Array& nodes) {
  if (nodes.ndim() != 1) throw std::invalid_argument("nodes must be 1-D");
  if (nodes.shape(0) == 0) throw std::invalid_argument("at least one node is required");
}

WeightsOut bq_weights(const Array& nodes, Kernel kernel, double lengthscale, double a, double b) {
  check_nodes(nodes);
  const double* x = nodes.data();
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  quadrature::BQResult res;
  {
    py::gil_scoped_release release;
    res = kernel == Kernel::wiener
              ? quadrature::wiener_bq(x, N, lengthscale, a, b)
              : quadrature::matern_bq(x, N, order(kernel), lengthscale, a, b);
  }
  return {to_array(res.weights, static_cast<py::ssize_t>(N), -1), res.std, res.model_std};
}

QuadformsOut bq_quadforms(const Array& nodes, Kernel kernel, double lengthscale, double a,
                          double b, const Array& Y) {
  check_nodes(nodes);
  if (Y.ndim() != 2 || Y.shape(1) != nodes.shape(0))
    throw std::invalid_argument("nodes must be 1-D (N,) and Y 2-D (m, N)");
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  const std::size_t m = static_cast<std::size_t>(Y.shape(0));
  const double* x = nodes.data();
  const double* y = Y.data();
  quadrature::Quadforms res;
  {
    py::gil_scoped_release release;
    res = kernel == Kernel::wiener
              ? quadrature::wiener_quadforms(x, N, lengthscale, a, y, m)
              : quadrature::matern_quadforms(x, N, order(kernel), lengthscale, a, b, y, m);
  }
  return {to_array(res.quad, static_cast<py::ssize_t>(m), -1), res.logdet};
}

WhitenerOut whitener(const Array& nodes, Kernel kernel, double lengthscale, double a, double b) {
  check_nodes(nodes);
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  const double* x = nodes.data();
  quadrature::Whitener res;
  {
    py::gil_scoped_release release;
    res = kernel == Kernel::wiener
              ? quadrature::wiener_whitener(x, N, lengthscale, a)
              : quadrature::matern_whitener(x, N, order(kernel), lengthscale, a, b);
  }
  return {to_array(res.matrix, static_cast<py::ssize_t>(res.rows), static_cast<py::ssize_t>(N)),
          res.difference_basis};
}

double rate(Kernel kernel, double lengthscale) {
  return std::sqrt(2.0 * order(kernel) + 1.0) / lengthscale;
}

Array kernel_mean(const Array& x, Kernel kernel, double lengthscale, double a, double b) {
  Array out(x.request().shape);
  const double* in = x.data();
  double* o = out.mutable_data();
  const py::ssize_t n = x.size();
  const int p = order(kernel);
  const double lam = kernel == Kernel::wiener ? 0.0 : rate(kernel, lengthscale);
  py::gil_scoped_release release;
  for (py::ssize_t i = 0; i < n; ++i)
    o[i] = kernel == Kernel::wiener ? quadrature::wiener_kernel_mean(lengthscale, a, b, in[i])
                                    : quadrature::matern_kernel_mean(p, lam, a, b, in[i]);
  return out;
}

double initial_error(Kernel kernel, double lengthscale, double a, double b) {
  if (kernel == Kernel::wiener) return quadrature::wiener_initial_error(lengthscale, a, b);
  return quadrature::matern_initial_error(order(kernel), rate(kernel, lengthscale), a, b);
}

// Dense Gram matrix k(x_i, x_j): for diagnostics (condition numbers) and dense comparisons only.
Array gram(const Array& x, Kernel kernel, double lengthscale, double a) {
  if (x.ndim() != 1) throw std::invalid_argument("nodes must be 1-D");
  const py::ssize_t n = x.shape(0);
  Array K({n, n});
  const double* t = x.data();
  double* k = K.mutable_data();
  const int p = order(kernel);
  const double lam = kernel == Kernel::wiener ? 0.0 : rate(kernel, lengthscale);
  py::gil_scoped_release release;
  for (py::ssize_t i = 0; i < n; ++i)
    for (py::ssize_t j = 0; j < n; ++j)
      k[i * n + j] = kernel == Kernel::wiener ? lengthscale + std::min(t[i], t[j]) - a
                                              : quadrature::matern_kernel(p, lam, t[i] - t[j]);
  return K;
}

}  // namespace

namespace bind {
void quadrature(py::module_& m) {
  using namespace py::literals;
  py::enum_<Kernel>(m, "Kernel", "Covariance kernels; the value is the Matern order p (-1: Wiener).")
      .value("matern12", Kernel::matern12)
      .value("matern32", Kernel::matern32)
      .value("matern52", Kernel::matern52)
      .value("matern72", Kernel::matern72)
      .value("wiener", Kernel::wiener);
  py::class_<WeightsOut>(m, "Weights", "BQ weights (sorted nodes) and posterior std.")
      .def_readonly("weights", &WeightsOut::weights)
      .def_readonly("std", &WeightsOut::std, "posterior std, unit kernel amplitude")
      .def_readonly("model_std", &WeightsOut::model_std,
                    "posterior std for the amplitude of whitener(): multiplies |W y| / sqrt(N)");
  py::class_<QuadformsOut>(m, "Quadforms", "y_j^T K^-1 y_j per row and log det K.")
      .def_readonly("quad", &QuadformsOut::quad)
      .def_readonly("logdet", &QuadformsOut::logdet);
  py::class_<WhitenerOut>(m, "Whitener", "W with y^T K^-1 y = |W y|^2 (or |W D y|^2).")
      .def_readonly("matrix", &WhitenerOut::matrix)
      .def_readonly("difference_basis", &WhitenerOut::difference_basis,
                    "W acts on (y_0, y_1 - y_0, ...) of the sorted nodes");
  // The algorithm choice of bq.hpp, for the Python layer's accuracy warning.
  m.attr("SWEEP_ALWAYS_N") = quadrature::kSweepAlwaysN;
  m.attr("SWEEP_MAX_N") = quadrature::kSweepMaxN;
  m.attr("SWEEP_RATIO") = quadrature::kSweepRatio;
  m.attr("EXTENDED_RATIO") = quadrature::kExtendedRatio;
  m.attr("FLAT_RATE") = quadrature::kFlatRate;
  m.def("weights", &bq_weights, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "BQ weights and posterior std (unit amplitude) for sorted distinct nodes.");
  m.def("quadforms", &bq_quadforms, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a, "Y"_a,
        "y_j^T K^-1 y_j for each row of Y and log det K (model amplitude), sorted nodes.");
  m.def("whitener", &whitener, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "W with y^T K^-1 y = |W y|^2 (model amplitude; in the difference basis when flagged).");
  m.def("kernel_mean", &kernel_mean, "x"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "int_a^b k(x, t) dt in closed form.");
  m.def("initial_error", &initial_error, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "sqrt(int_a^b int_a^b k(s, t) ds dt) in closed form.");
  m.def("gram", &gram, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a,
        "Dense Gram matrix (diagnostics).");
}

}  // namespace bind

}  // namespace numkit
