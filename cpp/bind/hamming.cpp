// bind/hamming.cpp -- numkit.hamming's compiled engines (private: numkit.hamming validates, remaps
// the alphabet to dense unsigned codes and passes C-contiguous arrays of the exact dtype; these
// functions check the layout again and run without the GIL).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bind/parts.hpp"
#include "src/hamming/engines.hpp"
#include "src/hamming/fft_blocks.hpp"

namespace py = pybind11;

namespace numkit {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("numkit._core.hamming: ") + what);
}

bool c_contiguous_1d(const py::array& a) {
  return a.ndim() == 1 && (a.flags() & py::array::c_style) != 0;
}

template <class Out> Out* out_ptr(py::array& out, std::int64_t size) {
  require(c_contiguous_1d(out) && out.writeable(), "out must be a writeable contiguous 1-D array");
  require(out.shape(0) == size, "out has the wrong length");
  return static_cast<Out*>(out.mutable_data());
}

// Calls f(S*) with the array's code type (uint8, uint16 or uint32), any layout.
template <class F> void with_code_type(const py::array& a, F&& f) {
  if (py::isinstance<py::array_t<std::uint8_t>>(a))
    f(static_cast<const std::uint8_t*>(a.data()));
  else if (py::isinstance<py::array_t<std::uint16_t>>(a))
    f(static_cast<const std::uint16_t*>(a.data()));
  else if (py::isinstance<py::array_t<std::uint32_t>>(a))
    f(static_cast<const std::uint32_t*>(a.data()));
  else
    throw std::invalid_argument("numkit._core.hamming: codes must be uint8, uint16 or uint32");
}

// Calls f(S*) with the text's code type; the codes must be contiguous and 1-D.
template <class F> void with_codes(const py::array& a, F&& f) {
  require(c_contiguous_1d(a), "codes must be contiguous 1-D arrays");
  with_code_type(a, std::forward<F>(f));
}

// The checks of a text and pattern for the brute force; returns (n, m).
std::pair<std::int64_t, std::int64_t> brute_shape(const py::array& text, const py::array& pattern) {
  require(text.dtype().is(pattern.dtype()), "text and pattern codes must share a dtype");
  require(c_contiguous_1d(pattern), "pattern codes must be contiguous 1-D");
  const std::int64_t n = text.shape(0), m = pattern.shape(0);
  require(m >= 1 && m <= n, "need 1 <= len(pattern) <= len(text)");
  return {n, m};
}

void brute(const py::array& text, const py::array& pattern, std::int64_t wildcard,
           std::int64_t bound, int workers, py::array out, std::int64_t first_chunk) {
  const std::pair<std::int64_t, std::int64_t> nm = brute_shape(text, pattern);
  const std::int64_t n = nm.first, m = nm.second;
  require(workers >= 1, "workers must be >= 1");
  const bool wide = py::isinstance<py::array_t<std::int64_t>>(out);
  require(wide || py::isinstance<py::array_t<std::int32_t>>(out), "out must be int32 or int64");
  with_codes(text, [&](auto* t) {
    using S = std::remove_const_t<std::remove_pointer_t<decltype(t)>>;
    const S* p = static_cast<const S*>(pattern.data());
    if (wide) {
      std::int64_t* o = out_ptr<std::int64_t>(out, n - m + 1);
      py::gil_scoped_release release;
      hamming::brute_distances(t, n, p, m, wildcard, bound, first_chunk, workers, o);
    } else {
      std::int32_t* o = out_ptr<std::int32_t>(out, n - m + 1);
      py::gil_scoped_release release;
      hamming::brute_distances(t, n, p, m, wildcard, bound, first_chunk, workers, o);
    }
  });
}

// Sum of the brute-force distances over every window: the auto choice's probe of the mismatch
// rate in one call (each numpy call costs 5-50 us when caches are cold).
std::int64_t mismatch_total(const py::array& text, const py::array& pattern,
                            std::int64_t wildcard) {
  const std::pair<std::int64_t, std::int64_t> nm = brute_shape(text, pattern);
  const std::int64_t n = nm.first, m = nm.second;
  std::int64_t total = 0;
  with_codes(text, [&](auto* t) {
    using S = std::remove_const_t<std::remove_pointer_t<decltype(t)>>;
    const S* p = static_cast<const S*>(pattern.data());
    std::vector<std::int64_t> out(static_cast<std::size_t>(n - m + 1));
    py::gil_scoped_release release;
    hamming::brute_distances(t, n, p, m, wildcard, -1, 0, 1, out.data());
    for (const std::int64_t v : out) total += v;
  });
  return total;
}

// A table of int32 codes (any integer dtype converted).
using CodeTable = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

void list_matches(const py::array& text, std::int64_t m,
                  const py::array_t<std::int64_t, py::array::c_style>& offsets,
                  const py::array_t<std::int64_t, py::array::c_style>& positions,
                  const py::array_t<std::uint8_t, py::array::c_style>& rare, bool by_pattern,
                  int workers, py::array counts, bool fresh, std::int64_t total,
                  const std::optional<CodeTable>& lut) {
  const std::int64_t n = text.shape(0);
  require(m >= 1 && m <= n, "need 1 <= m <= len(text)");
  require(workers >= 1, "workers must be >= 1");
  const std::int64_t n_codes = rare.shape(0);
  require(offsets.ndim() == 1 && offsets.shape(0) == n_codes + 1, "offsets must have len(rare) + 1");
  require(positions.ndim() == 1, "positions must be 1-D");
  const std::int64_t* off = offsets.data();
  for (std::int64_t c = 0; c < n_codes; ++c)
    require(off[c] >= 0 && off[c] <= off[c + 1], "offsets must ascend from 0");
  require(off[n_codes] <= positions.shape(0), "offsets run past positions");
  const std::int64_t* pos = positions.data();
  for (std::int64_t r = 0; r < off[n_codes]; ++r)
    require(pos[r] >= 0 && pos[r] < m, "positions must lie in [0, m)");
  const bool wide = py::isinstance<py::array_t<std::int64_t>>(counts);
  require(wide || py::isinstance<py::array_t<std::int32_t>>(counts), "counts must be int32 or int64");
  require(total <= (wide ? std::int64_t(INT64_MAX) : std::int64_t(INT32_MAX)), "total must fit counts");
  // lut: text holds uint8/uint16 values, lut[v] their codes (every value of the dtype covered).
  const std::int32_t* code_of = nullptr;
  std::int64_t n_values = 0;
  if (lut) {
    const bool narrow = py::isinstance<py::array_t<std::uint8_t>>(text) ||
                        py::isinstance<py::array_t<std::uint16_t>>(text);
    require(narrow, "a text of values (lut given) must be uint8 or uint16");
    n_values = std::int64_t(1) << (8 * text.itemsize());
    require(lut->ndim() == 1 && lut->shape(0) == n_values,
            "lut must cover every value of the text's dtype");
    code_of = lut->data();
    for (std::int64_t v = 0; v < n_values; ++v) require(code_of[v] >= 0, "lut codes must be >= 0");
  }
  with_codes(text, [&](auto* t) {
    if (wide) {
      std::int64_t* o = out_ptr<std::int64_t>(counts, n - m + 1);
      py::gil_scoped_release release;
      hamming::list_matches(t, n, m, off, pos, rare.data(), n_codes, by_pattern, workers, o, fresh, total,
                            code_of, n_values);
    } else {
      std::int32_t* o = out_ptr<std::int32_t>(counts, n - m + 1);
      py::gil_scoped_release release;
      hamming::list_matches(t, n, m, off, pos, rare.data(), n_codes, by_pattern, workers, o, fresh, total,
                            code_of, n_values);
    }
  });
}

// Calls f(values, lut) with typed pointers for uint8/uint16 values and a uint8/uint16/uint32 lut
// that covers every value; false when the dtypes are other ones.
template <class In, class Code, class F>
bool try_lut(const py::array& values, const py::array& lut, F& f) {
  if (!py::isinstance<py::array_t<In>>(values) || !py::isinstance<py::array_t<Code>>(lut))
    return false;
  require(lut.shape(0) == (std::int64_t(1) << (8 * sizeof(In))), "lut must cover every value");
  f(static_cast<const In*>(values.data()), static_cast<const Code*>(lut.data()));
  return true;
}

template <class F> void with_lut(const py::array& values, const py::array& lut, F&& f) {
  require(c_contiguous_1d(values) && c_contiguous_1d(lut), "values and lut must be contiguous 1-D");
  const bool done =
      try_lut<std::uint8_t, std::uint8_t>(values, lut, f) ||
      try_lut<std::uint8_t, std::uint16_t>(values, lut, f) ||
      try_lut<std::uint8_t, std::uint32_t>(values, lut, f) ||
      try_lut<std::uint16_t, std::uint8_t>(values, lut, f) ||
      try_lut<std::uint16_t, std::uint16_t>(values, lut, f) ||
      try_lut<std::uint16_t, std::uint32_t>(values, lut, f);
  require(done, "takes uint8/uint16 values and a uint8/uint16/uint32 lut");
}

void remap(const py::array& values, const py::array& lut, int workers, py::array out) {
  require(workers >= 1, "workers must be >= 1");
  with_lut(values, lut, [&](auto v, auto l) {
    using Code = std::remove_const_t<std::remove_pointer_t<decltype(l)>>;
    require(py::isinstance<py::array_t<Code>>(out), "out must have the lut's dtype");
    const std::int64_t n = values.shape(0);
    Code* o = out_ptr<Code>(out, n);
    py::gil_scoped_release release;
    hamming::remap(v, n, l, workers, o);
  });
}

void code_counts(const py::array& values, const py::array& lut, std::int64_t step,
                 py::array counts) {
  require(step >= 1, "step must be >= 1");
  require(py::isinstance<py::array_t<std::int64_t>>(counts), "counts must be int64");
  with_lut(values, lut, [&](auto v, auto l) {
    const std::int64_t n_counts = counts.ndim() == 1 ? counts.shape(0) : -1;
    std::int64_t* c = out_ptr<std::int64_t>(counts, n_counts);
    const std::int64_t n = values.shape(0);
    py::gil_scoped_release release;
    hamming::code_counts(v, n, step, l, n_counts, c);
  });
}

// The overlap-save blocks (rows x L) of a code text, a 2-D view with unit column step, as the
// float64 weights of one channel group.
py::array_t<double> block_weights(const py::array& blocks, const py::array_t<double, py::array::c_style>& weights) {
  require(blocks.ndim() == 2, "blocks must be 2-D");
  const std::int64_t rows = blocks.shape(0), L = blocks.shape(1);
  const std::int64_t size = static_cast<std::int64_t>(blocks.itemsize());
  require(blocks.strides(1) == size && blocks.strides(0) >= 0 && blocks.strides(0) % size == 0,
          "blocks must have unit column steps and non-negative row steps");
  require(weights.ndim() == 1 && weights.shape(0) >= 1, "weights must be 1-D and not empty");
  const std::int64_t n_weights = weights.shape(0);
  py::array_t<double> x({rows, L});
  double* o = x.mutable_data();
  const double* w = weights.data();
  const std::int64_t row_step = blocks.strides(0) / size;
  bool in_range = true;
  with_code_type(blocks, [&](auto* codes) {
    py::gil_scoped_release release;
    in_range = hamming::block_weights(codes, row_step, rows, L, w, n_weights, o);
  });
  require(in_range, "a code lies past the end of weights");
  return x;
}

py::tuple unpack_slots(const py::array_t<double, py::array::c_style>& values, std::int64_t skip,
                       int b, int G) {
  require(values.ndim() == 2, "values must be 2-D");
  const std::int64_t rows = values.shape(0), L = values.shape(1);
  require(skip >= 0 && skip < L, "need 0 <= skip < values.shape[1]");
  require(b >= 1 && G >= 1 && b * (2 * G - 1) <= 51, "need b, G >= 1 and b (2 G - 1) <= 51");
  py::array_t<double> out({rows, L - skip});
  double* o = out.mutable_data();
  const double* in = values.data();
  double err;
  {
    py::gil_scoped_release release;
    err = hamming::unpack_slots(in, rows, L, skip, b, G, o);
  }
  return py::make_tuple(out, err);
}

}  // namespace

namespace bind {
void hamming(py::module_& m) {
  m.def("brute", &brute, py::arg("text"), py::arg("pattern"), py::arg("wildcard"),
        py::arg("bound"), py::arg("workers"), py::arg("out"), py::arg("first_chunk") = 0,
        "out[i] = mismatches of text[i:i+m] against pattern (codes of one unsigned dtype); "
        "wildcard < 0: none; bound >= 0: values above bound written as bound + 1, every window "
        "tested on first_chunk positions (0: 2 (bound + 1)) before the bound is checked.");
  m.def("mismatch_total", &mismatch_total, py::arg("text"), py::arg("pattern"),
        py::arg("wildcard"),
        "The sum over windows of the brute-force distances of text to pattern (as brute).");
  m.def("list_matches", &list_matches, py::arg("text"), py::arg("m"), py::arg("offsets"),
        py::arg("positions"), py::arg("rare"), py::arg("by_pattern"), py::arg("workers"),
        py::arg("counts"), py::kw_only(), py::arg("fresh") = false, py::arg("total") = -1,
        py::arg("lut") = py::none(),
        "counts[x - j] += 1 for text positions x with rare[text[x]] and pattern positions j in "
        "positions[offsets[c]:offsets[c + 1]] (Abrahamson's rare symbols); by_pattern: sort "
        "the text by code per tile and walk each pattern position's bucket. fresh: counts is "
        "written, not added to; total >= 0: counts then holds total - matches. lut: text holds "
        "uint8/uint16 values, lut[v] their codes (the remap, fused).");
  m.def("block_weights", &block_weights, py::arg("blocks"), py::arg("weights"),
        "weights[blocks] for a 2-D view of codes with unit column steps (the FFT engine's "
        "overlap-save blocks as one channel group's weights), float64 (rows, L).");
  m.def("unpack_slots", &unpack_slots, py::arg("values"), py::arg("skip"), py::arg("b"),
        py::arg("G"),
        "(counts, err): values[:, skip:] rounded to integers, slot G - 1 of b-bit slots "
        "(floor(v / 2^(b (G - 1))) mod 2^b; v for G = 1), and the largest rounding residual.");
  m.def("remap", &remap, py::arg("values"), py::arg("lut"), py::arg("workers"), py::arg("out"),
        "out[i] = lut[values[i]] for uint8/uint16 values (the alphabet remap).");
  m.def("code_counts", &code_counts, py::arg("values"), py::arg("lut"), py::arg("step"),
        py::arg("counts"),
        "counts[lut[values[i]]] += 1 for i in range(0, len(values), step), codes past the end of "
        "counts skipped: the code counts of a strided sample (int64 counts, added to).");
}
}  // namespace bind
}  // namespace numkit
