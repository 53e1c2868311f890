// bind/hamming.cpp -- numkit.hamming's compiled engines (private: numkit.hamming validates, remaps
// the alphabet to dense unsigned codes and passes C-contiguous arrays of the exact dtype; these
// functions check the layout again and run without the GIL).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "bind/parts.hpp"
#include "src/hamming/engines.hpp"

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

// Calls f(S*) with the text's code type (uint8, uint16 or uint32).
template <class F> void with_codes(const py::array& a, F&& f) {
  require(c_contiguous_1d(a), "codes must be contiguous 1-D arrays");
  if (py::isinstance<py::array_t<std::uint8_t>>(a))
    f(static_cast<const std::uint8_t*>(a.data()));
  else if (py::isinstance<py::array_t<std::uint16_t>>(a))
    f(static_cast<const std::uint16_t*>(a.data()));
  else if (py::isinstance<py::array_t<std::uint32_t>>(a))
    f(static_cast<const std::uint32_t*>(a.data()));
  else
    throw std::invalid_argument("numkit._core.hamming: codes must be uint8, uint16 or uint32");
}

void brute(const py::array& text, const py::array& pattern, std::int64_t wildcard,
           std::int64_t bound, int workers, py::array out) {
  require(text.dtype().is(pattern.dtype()), "text and pattern codes must share a dtype");
  require(c_contiguous_1d(pattern), "pattern codes must be contiguous 1-D");
  const std::int64_t n = text.shape(0), m = pattern.shape(0);
  require(m >= 1 && m <= n, "need 1 <= len(pattern) <= len(text)");
  require(workers >= 1, "workers must be >= 1");
  const bool wide = py::isinstance<py::array_t<std::int64_t>>(out);
  require(wide || py::isinstance<py::array_t<std::int32_t>>(out), "out must be int32 or int64");
  with_codes(text, [&](auto* t) {
    using S = std::remove_const_t<std::remove_pointer_t<decltype(t)>>;
    const S* p = static_cast<const S*>(pattern.data());
    if (wide) {
      std::int64_t* o = out_ptr<std::int64_t>(out, n - m + 1);
      py::gil_scoped_release release;
      hamming::brute_distances(t, n, p, m, wildcard, bound, workers, o);
    } else {
      std::int32_t* o = out_ptr<std::int32_t>(out, n - m + 1);
      py::gil_scoped_release release;
      hamming::brute_distances(t, n, p, m, wildcard, bound, workers, o);
    }
  });
}

void list_matches(const py::array& text, std::int64_t m,
                  const py::array_t<std::int64_t, py::array::c_style>& offsets,
                  const py::array_t<std::int64_t, py::array::c_style>& positions,
                  const py::array_t<std::uint8_t, py::array::c_style>& rare, int workers,
                  py::array counts) {
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
  with_codes(text, [&](auto* t) {
    if (wide) {
      std::int64_t* o = out_ptr<std::int64_t>(counts, n - m + 1);
      py::gil_scoped_release release;
      hamming::list_matches(t, n, m, off, pos, rare.data(), n_codes, workers, o);
    } else {
      std::int32_t* o = out_ptr<std::int32_t>(counts, n - m + 1);
      py::gil_scoped_release release;
      hamming::list_matches(t, n, m, off, pos, rare.data(), n_codes, workers, o);
    }
  });
}

template <class In, class Code> bool try_remap(const py::array& values, const py::array& lut,
                                               int workers, py::array& out) {
  if (!py::isinstance<py::array_t<In>>(values) || !py::isinstance<py::array_t<Code>>(lut) ||
      !py::isinstance<py::array_t<Code>>(out))
    return false;
  require(lut.shape(0) == (std::int64_t(1) << (8 * sizeof(In))), "lut must cover every value");
  const std::int64_t n = values.shape(0);
  Code* o = out_ptr<Code>(out, n);
  const In* v = static_cast<const In*>(values.data());
  const Code* l = static_cast<const Code*>(lut.data());
  py::gil_scoped_release release;
  hamming::remap(v, n, l, workers, o);
  return true;
}

void remap(const py::array& values, const py::array& lut, int workers, py::array out) {
  require(c_contiguous_1d(values) && c_contiguous_1d(lut), "values and lut must be contiguous 1-D");
  require(workers >= 1, "workers must be >= 1");
  const bool done = try_remap<std::uint8_t, std::uint8_t>(values, lut, workers, out) ||
                    try_remap<std::uint8_t, std::uint16_t>(values, lut, workers, out) ||
                    try_remap<std::uint8_t, std::uint32_t>(values, lut, workers, out) ||
                    try_remap<std::uint16_t, std::uint8_t>(values, lut, workers, out) ||
                    try_remap<std::uint16_t, std::uint16_t>(values, lut, workers, out) ||
                    try_remap<std::uint16_t, std::uint32_t>(values, lut, workers, out);
  require(done, "remap takes uint8/uint16 values and a uint8/uint16/uint32 lut and out");
}

}  // namespace

namespace bind {
void hamming(py::module_& m) {
  m.def("brute", &brute, py::arg("text"), py::arg("pattern"), py::arg("wildcard"),
        py::arg("bound"), py::arg("workers"), py::arg("out"),
        "out[i] = mismatches of text[i:i+m] against pattern (codes of one unsigned dtype); "
        "wildcard < 0: none; bound >= 0: values above bound written as bound + 1.");
  m.def("list_matches", &list_matches, py::arg("text"), py::arg("m"), py::arg("offsets"),
        py::arg("positions"), py::arg("rare"), py::arg("workers"), py::arg("counts"),
        "counts[x - j] += 1 for text positions x with rare[text[x]] and pattern positions j in "
        "positions[offsets[c]:offsets[c + 1]] (Abrahamson's rare symbols).");
  m.def("remap", &remap, py::arg("values"), py::arg("lut"), py::arg("workers"), py::arg("out"),
        "out[i] = lut[values[i]] for uint8/uint16 values (the alphabet remap).");
}
}  // namespace bind
}  // namespace numkit
