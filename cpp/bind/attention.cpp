// bind/attention.cpp -- numkit.attention's compiled functions (private: numkit.attention validates,
// broadcasts the batch dimensions and holds the defaults). Arrays arrive float64, C-contiguous and
// 3-D (batch, rows, features); the numerical work runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <vector>

#include "bind/parts.hpp"
#include "numkit/attention/online_softmax.hpp"
#include "src/attention/exact.hpp"

namespace py = pybind11;

namespace numkit {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

attention::Shape shape_of(const Array& Q, const Array& K1, const Array& K2, const Array& V1,
                          const Array& V2) {
  for (const Array* a : {&Q, &K1, &K2, &V1, &V2})
    if (a->ndim() != 3) throw std::invalid_argument("arrays must be 3-D (batch, n, d)");
  const attention::Shape s{Q.shape(0), Q.shape(1), K1.shape(1), K2.shape(1), Q.shape(2),
                           V1.shape(2)};
  const bool ok = K1.shape(0) == s.batch && K2.shape(0) == s.batch && V1.shape(0) == s.batch &&
                  V2.shape(0) == s.batch && K1.shape(2) == s.d && K2.shape(2) == s.d &&
                  V1.shape(1) == s.n1 && V2.shape(1) == s.n2 && V2.shape(2) == s.dv;
  if (!ok) throw std::invalid_argument("inconsistent shapes");
  if (s.nq < 1 || s.n1 < 1 || s.n2 < 1 || s.d < 1 || s.dv < 1)
    throw std::invalid_argument("empty dimension");
  return s;
}

attention::MaskSpec mask_of(int mode, long w1, long w2) {
  if (mode < attention::kMaskNone || mode > attention::kMaskWindow)
    throw std::invalid_argument("mask mode must be 0 (none), 1 (causal) or 2 (window)");
  if (mode == attention::kMaskWindow && (w1 < 1 || w2 < 1))
    throw std::invalid_argument("window sizes must be >= 1");
  return {mode, w1, w2};
}

Array new_array(long b, long n, long c) { return Array({b, n, c}); }

py::tuple exact_forward(const Array& Q, const Array& K1, const Array& K2, const Array& V1,
                        const Array& V2, double scale, int mode, long w1, long w2, int workers) {
  const attention::Shape s = shape_of(Q, K1, K2, V1, V2);
  const attention::MaskSpec m = mask_of(mode, w1, w2);
  Array out = new_array(s.batch, s.nq, s.dv);
  py::array_t<double> lse({s.batch, s.nq});
  {
    py::gil_scoped_release release;
    attention::exact_forward(s, Q.data(), K1.data(), K2.data(), V1.data(), V2.data(), scale, m,
                             workers, out.mutable_data(), lse.mutable_data());
  }
  return py::make_tuple(out, lse);
}

// The same output by the scalar host/device kernel (numkit/attention/online_softmax.hpp), one
// thread: the form a GPU port compiles, kept callable so the tests check it too.
Array exact_forward_scalar(const Array& Q, const Array& K1, const Array& K2, const Array& V1,
                           const Array& V2, double scale, int mode, long w1, long w2) {
  const attention::Shape s = shape_of(Q, K1, K2, V1, V2);
  const attention::MaskSpec m = mask_of(mode, w1, w2);
  Array out = new_array(s.batch, s.nq, s.dv);
  {
    py::gil_scoped_release release;
    double* o = out.mutable_data();
    for (long b = 0; b < s.batch; ++b)
      for (long i = 0; i < s.nq; ++i)
        attention::exact_query_scalar(
            Q.data() + (b * s.nq + i) * s.d, K1.data() + b * s.n1 * s.d,
            K2.data() + b * s.n2 * s.d, V1.data() + b * s.n1 * s.dv, V2.data() + b * s.n2 * s.dv,
            s.d, s.dv, scale, attention::query_ranges(i, s.n1, s.n2, m.mode, m.w1, m.w2),
            o + (b * s.nq + i) * s.dv);
  }
  return out;
}

py::tuple exact_backward(const Array& Q, const Array& K1, const Array& K2, const Array& V1,
                         const Array& V2, const Array& dout, double scale, int mode, long w1,
                         long w2, int workers) {
  const attention::Shape s = shape_of(Q, K1, K2, V1, V2);
  const attention::MaskSpec m = mask_of(mode, w1, w2);
  if (dout.ndim() != 3 || dout.shape(0) != s.batch || dout.shape(1) != s.nq ||
      dout.shape(2) != s.dv)
    throw std::invalid_argument("dout must have the shape of the output");
  Array out = new_array(s.batch, s.nq, s.dv);
  std::vector<double> lse(static_cast<std::size_t>(s.batch * s.nq)), mz(2 * lse.size());
  Array dQ = new_array(s.batch, s.nq, s.d), dK1 = new_array(s.batch, s.n1, s.d),
        dK2 = new_array(s.batch, s.n2, s.d), dV1 = new_array(s.batch, s.n1, s.dv),
        dV2 = new_array(s.batch, s.n2, s.dv);
  {
    py::gil_scoped_release release;
    attention::exact_forward(s, Q.data(), K1.data(), K2.data(), V1.data(), V2.data(), scale, m,
                             workers, out.mutable_data(), lse.data(), mz.data());
    attention::exact_backward(s, Q.data(), K1.data(), K2.data(), V1.data(), V2.data(),
                              dout.data(), out.data(), mz.data(), scale, m, workers,
                              dQ.mutable_data(), dK1.mutable_data(), dK2.mutable_data(),
                              dV1.mutable_data(), dV2.mutable_data());
  }
  return py::make_tuple(dQ, dK1, dK2, dV1, dV2);
}

}  // namespace

namespace bind {
void attention(py::module_& m) {
  using namespace pybind11::literals;
  m.def("exact_forward", &exact_forward, "Q"_a, "K1"_a, "K2"_a, "V1"_a, "V2"_a, "scale"_a,
        "mode"_a, "w1"_a, "w2"_a, "workers"_a,
        "Exact Kronecker attention (tiled online softmax): returns (out, log-normalizers).");
  m.def("exact_forward_scalar", &exact_forward_scalar, "Q"_a, "K1"_a, "K2"_a, "V1"_a, "V2"_a,
        "scale"_a, "mode"_a, "w1"_a, "w2"_a,
        "Exact Kronecker attention by the scalar host/device kernel (one thread).");
  m.def("exact_backward", &exact_backward, "Q"_a, "K1"_a, "K2"_a, "V1"_a, "V2"_a, "dout"_a,
        "scale"_a, "mode"_a, "w1"_a, "w2"_a, "workers"_a,
        "Gradients of sum(dout * out) for Q, K1, K2, V1, V2.");
}
}  // namespace bind
}  // namespace numkit
