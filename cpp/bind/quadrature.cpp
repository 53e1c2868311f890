// bind/quadrature.cpp -- numkit.quadrature's compiled functions (private: numkit.quadrature wraps
// them, validates the input and holds the defaults). Arrays arrive checked, float64 and contiguous;
// the numerical work runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>

#include "src/quadrature/bq.hpp"
#include "numkit/quadrature/kernel_integrals.hpp"
#include "bind/parts.hpp"

namespace py = pybind11;

namespace numkit {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

// kernel code: 0..3 = Matern-(p + 1/2), -1 = Wiener.
constexpr int kWiener = -1;

void check_kernel(int kernel) {
  if (kernel != kWiener && (kernel < 0 || kernel > quadrature::kMaxOrder))
    throw std::invalid_argument("kernel code must be -1 (wiener) or 0..3 (Matern order p)");
}

py::tuple bq_weights(const Array& nodes, int kernel, double lengthscale, double a, double b) {
  check_kernel(kernel);
  if (nodes.ndim() != 1) throw std::invalid_argument("nodes must be 1-D");
  const double* x = nodes.data();
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  quadrature::BQResult res;
  {
    py::gil_scoped_release release;
    res = kernel == kWiener ? quadrature::wiener_bq(x, N, lengthscale, a, b)
                            : quadrature::matern_bq(x, N, kernel, lengthscale, a, b);
  }
  Array w(static_cast<py::ssize_t>(N));
  std::copy(res.weights.begin(), res.weights.end(), w.mutable_data());
  return py::make_tuple(w, res.variance);
}

py::tuple bq_quadforms(const Array& nodes, int kernel, double lengthscale, double a,
                       const Array& Y) {
  check_kernel(kernel);
  if (nodes.ndim() != 1 || Y.ndim() != 2 || Y.shape(1) != nodes.shape(0))
    throw std::invalid_argument("nodes must be 1-D (N,) and Y 2-D (m, N)");
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  const std::size_t m = static_cast<std::size_t>(Y.shape(0));
  Array quad(static_cast<py::ssize_t>(m));
  double* q = quad.mutable_data();
  const double* x = nodes.data();
  const double* y = Y.data();
  double logdet;
  {
    py::gil_scoped_release release;
    logdet = kernel == kWiener ? quadrature::wiener_quadforms(x, N, lengthscale, a, y, m, q)
                               : quadrature::matern_quadforms(x, N, kernel, lengthscale, y, m, q);
  }
  return py::make_tuple(quad, logdet);
}

Array whitener(const Array& nodes, int kernel, double lengthscale, double a) {
  check_kernel(kernel);
  if (nodes.ndim() != 1) throw std::invalid_argument("nodes must be 1-D");
  const std::size_t N = static_cast<std::size_t>(nodes.shape(0));
  const std::size_t rows = kernel == kWiener ? N : quadrature::matern_whitener_rows(N, kernel);
  Array W({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(N)});
  double* w = W.mutable_data();
  const double* x = nodes.data();
  {
    py::gil_scoped_release release;
    if (kernel == kWiener)
      quadrature::wiener_whitener(x, N, lengthscale, a, w);
    else
      quadrature::matern_whitener(x, N, kernel, lengthscale, w);
  }
  return W;
}

Array kernel_mean(const Array& x, int kernel, double lengthscale, double a, double b) {
  check_kernel(kernel);
  Array out(x.request().shape);
  const double* in = x.data();
  double* o = out.mutable_data();
  const py::ssize_t n = x.size();
  const double lam = kernel == kWiener ? 0.0 : std::sqrt(2.0 * kernel + 1.0) / lengthscale;
  py::gil_scoped_release release;
  for (py::ssize_t i = 0; i < n; ++i)
    o[i] = kernel == kWiener ? quadrature::wiener_kernel_mean(lengthscale, a, b, in[i])
                             : quadrature::matern_kernel_mean(kernel, lam, a, b, in[i]);
  return out;
}

double initial_variance(int kernel, double lengthscale, double a, double b) {
  check_kernel(kernel);
  if (kernel == kWiener) return quadrature::wiener_initial_variance(lengthscale, a, b);
  return quadrature::matern_initial_variance(kernel, std::sqrt(2.0 * kernel + 1.0) / lengthscale,
                                             a, b);
}

// Dense Gram matrix k(x_i, x_j): for diagnostics (condition numbers) and dense comparisons only.
Array gram(const Array& x, int kernel, double lengthscale, double a) {
  check_kernel(kernel);
  if (x.ndim() != 1) throw std::invalid_argument("nodes must be 1-D");
  const py::ssize_t n = x.shape(0);
  Array K({n, n});
  const double* t = x.data();
  double* k = K.mutable_data();
  const double lam = kernel == kWiener ? 0.0 : std::sqrt(2.0 * kernel + 1.0) / lengthscale;
  py::gil_scoped_release release;
  for (py::ssize_t i = 0; i < n; ++i)
    for (py::ssize_t j = 0; j < n; ++j)
      k[i * n + j] = kernel == kWiener ? lengthscale + std::min(t[i], t[j]) - a
                                       : quadrature::matern_kernel(kernel, lam, t[i] - t[j]);
  return K;
}

}  // namespace

namespace bind {
void quadrature(py::module_& m) {
  using namespace py::literals;
  m.def("weights", &bq_weights, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "BQ weights and posterior variance (unit amplitude) for sorted distinct nodes.");
  m.def("quadforms", &bq_quadforms, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a, "Y"_a,
        "(y_j^T K^-1 y_j for each row of Y, log det K) for sorted distinct nodes.");
  m.def("whitener", &whitener, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a,
        "W with y^T K^-1 y = |W y|^2 (rows: whitened state-space residuals).");
  m.def("kernel_mean", &kernel_mean, "x"_a, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "int_a^b k(x, t) dt in closed form.");
  m.def("initial_variance", &initial_variance, "kernel"_a, "lengthscale"_a, "a"_a, "b"_a,
        "int_a^b int_a^b k(s, t) ds dt in closed form.");
  m.def("gram", &gram, "nodes"_a, "kernel"_a, "lengthscale"_a, "a"_a,
        "Dense Gram matrix (diagnostics).");
}

}  // namespace bind

}  // namespace numkit
