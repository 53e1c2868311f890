// bind/splines_autoknots.cpp -- PySampler: the AutoKnots builder's f, called through CPython and
// NumPy's C API (see splines_autoknots.hpp).
#include "bind/splines_autoknots.hpp"

#include <algorithm>

#include "bind/numpy_api.hpp"

namespace py = pybind11;

namespace numkit {
namespace bind {

bool PySampler::sample(const double* x, std::size_t n, double* y) {
  try {
    if (vectorized_)
      sample_array(x, n, y);
    else
      sample_points(x, n, y);
    return true;
  } catch (py::error_already_set& e) {
    error_ = std::make_unique<py::error_already_set>(std::move(e));
    return false;
  }
}

void PySampler::rethrow_if_failed() {
  if (error_) {
    std::unique_ptr<py::error_already_set> e = std::move(error_);
    throw std::move(*e);
  }
}

static bool is_exact_vector(PyObject* raw, std::size_t n) {
  if (!PyArray_CheckExact(raw)) return false;
  PyArrayObject* ra = reinterpret_cast<PyArrayObject*>(raw);
  return PyArray_TYPE(ra) == NPY_DOUBLE && PyArray_NDIM(ra) == 1 && PyArray_ISCARRAY_RO(ra) &&
         static_cast<std::size_t>(PyArray_SIZE(ra)) == n;
}

void PySampler::sample_array(const double* x, std::size_t n, double* y) {
  // NumPy's C API directly (not pybind's array_t): this runs once per pass, and at a few hundred
  // points per pass its fixed costs are a visible part of the construction overhead.
  npy_intp dim = static_cast<npy_intp>(n);
  py::object arr = py::reinterpret_steal<py::object>(PyArray_SimpleNew(1, &dim, NPY_DOUBLE));
  if (!arr) throw py::error_already_set();
  std::copy(x, x + n, static_cast<double*>(PyArray_DATA(reinterpret_cast<PyArrayObject*>(arr.ptr()))));
  PyObject* raw = PyObject_CallOneArg(f_.ptr(), arr.ptr());
  if (!raw) throw py::error_already_set();
  py::object res = py::reinterpret_steal<py::object>(raw);
  if (!is_exact_vector(raw, n)) {  // anything but the usual answer: checked and converted in Python
    res = coerce_(res, arr);
    if (!is_exact_vector(res.ptr(), n)) throw py::type_error("autoknots: coerce returned a wrong array");
  }
  const double* data = static_cast<const double*>(PyArray_DATA(reinterpret_cast<PyArrayObject*>(res.ptr())));
  std::copy(data, data + n, y);
}

void PySampler::sample_points(const double* x, std::size_t n, double* y) {
  for (std::size_t k = 0; k < n; ++k) {
    py::object xk = py::float_(x[k]);
    py::object r = f_(xk);
    if (!PyFloat_Check(r.ptr())) r = coerce_(r, xk);  // float subclasses (np.float64) pass as is
    y[k] = PyFloat_AsDouble(r.ptr());
    if (y[k] == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  }
}

}  // namespace bind
}  // namespace numkit
