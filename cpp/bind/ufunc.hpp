// bind/ufunc.hpp -- turn C++ scalar (or block) kernels into genuine np.ufunc objects.
//
// A registration is data: a name, a docstring, and one loop per dtype, e.g.
//
//   add_ufunc<Elementwise<&log_iv<float>>, Blockwise<&log_iv_block>>(m, "log_iv", doc);
//
// The NumPy type signature of each loop is derived from the C++ signature of its kernel.
// Elementwise<F> wraps `R F(A...)`, called once per element. Blockwise<B> wraps
// `void B(std::size_t n, const A*... in, R* out)`, called on contiguous blocks, so that a kernel can
// classify a block by regime and run each regime as a vectorizable loop. Contiguous operands are
// read (and the output written) in place. A kernel with a strided form (Blockwise<B, S>) reads
// strided and broadcast inputs in place too; otherwise a broadcast input fills a per-thread
// buffer once, and strided or aliased operands are staged through per-thread buffers of the
// kernels' own chunk size (2048).
// Kernels must not throw: errors are NaN plus an FP flag. An underflow flag is kept only where an
// output underflowed (ResultFlags).
// NumPy releases the GIL around these loops (none of them needs the Python API).
#pragma once

#include <pybind11/pybind11.h>

#include <algorithm>
#include <array>
#include <cfenv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

#include "bind/numpy_api.hpp"
#include "numkit/simd/operand.hpp"
#include "numkit/simd/scratch.hpp"

namespace numkit {
namespace ufunc {

template <class T> struct npy_type_of;
template <> struct npy_type_of<float> { static constexpr char value = NPY_FLOAT32; };
template <> struct npy_type_of<double> { static constexpr char value = NPY_FLOAT64; };
template <> struct npy_type_of<std::int32_t> { static constexpr char value = NPY_INT32; };
template <> struct npy_type_of<std::int64_t> { static constexpr char value = NPY_INT64; };
template <> struct npy_type_of<bool> { static constexpr char value = NPY_BOOL; };

namespace detail {
template <class T> using bare = std::remove_cv_t<std::remove_pointer_t<std::remove_cv_t<T>>>;
}

template <auto F> struct Elementwise;

template <class R, class... A, R (*F)(A...)> struct Elementwise<F> {
  static constexpr int nin = static_cast<int>(sizeof...(A));
  static constexpr int nout = 1;
  static constexpr std::array<char, sizeof...(A) + 1> types{npy_type_of<A>::value...,
                                                             npy_type_of<R>::value};

  static void loop(char** args, const npy_intp* dims, const npy_intp* steps, void*) {
    run(args, dims[0], steps, std::make_index_sequence<sizeof...(A)>{});
  }

 private:
  template <std::size_t... I>
  static void run(char** args, npy_intp n, const npy_intp* steps, std::index_sequence<I...>) {
    char* in[] = {args[I]..., nullptr};
    char* out = args[sizeof...(A)];
    const npy_intp out_step = steps[sizeof...(A)];
    for (npy_intp i = 0; i < n; ++i) {
      *reinterpret_cast<R*>(out) = F(*reinterpret_cast<const A*>(in[I])...);
      ((in[I] += steps[I]), ...);
      out += out_step;
    }
  }
};

// Block kernels: void B(std::size_t n, const A*... in, R* out), and optionally the same kernel
// with element steps, void S(std::size_t n, simd::Strided<A>... in, R* out), for kernels that read
// a strided or broadcast operand in place (the special chunk drivers gather by regime anyway).
template <auto B, auto S = nullptr> struct Blockwise;

template <class... P, void (*B)(std::size_t, P...), auto S> struct Blockwise<B, S> {
 private:
  using Args = std::tuple<detail::bare<P>...>;
  static constexpr std::size_t nargs = sizeof...(P);
  // Staging size = the chunk of the block kernels (iv_chunk, k_block): a staged call then runs
  // the kernel on the same chunks as a contiguous one (at 256 a strided or broadcast call, e.g.
  // log_iv(0.5, x), ran each regime loop on 8x shorter runs).
  static constexpr std::size_t block = 2048;
  static constexpr std::size_t fallback_block = 64;  // if the per-thread buffer is unavailable

 public:
  static constexpr int nin = static_cast<int>(nargs) - 1;
  static constexpr int nout = 1;
  static constexpr std::array<char, nargs> types{npy_type_of<detail::bare<P>>::value...};

  static void loop(char** args, const npy_intp* dims, const npy_intp* steps, void*) {
    run(args, dims[0], steps, std::make_index_sequence<nargs>{});
  }

 private:
  // How the output's memory meets the inputs': not at all; only element i on element i (out= an
  // input, same start and stride: chunk staging is exact); or otherwise (reduce: output stride 0;
  // accumulate: the input is the output shifted by one), where element order matters.
  enum class Overlap { none, same_elements, dependent };

  template <std::size_t K> using arg_t = std::tuple_element_t<K, Args>;
  static constexpr bool has_strided = !std::is_same_v<decltype(S), std::nullptr_t>;

  template <std::size_t... K>
  static bool strided_inputs_ok(char** args, const npy_intp* steps, std::index_sequence<K...>) {
    const bool whole = (((steps[K] % static_cast<npy_intp>(sizeof(arg_t<K>)) == 0) &&
                         (reinterpret_cast<std::uintptr_t>(args[K]) % alignof(arg_t<K>) == 0)) &&
                        ...);
    const bool any_strided =
        ((steps[K] != 0 && steps[K] != static_cast<npy_intp>(sizeof(arg_t<K>))) || ...);
    return whole && any_strided;
  }

  template <std::size_t... K>
  static void call_strided(char** args, npy_intp n, const npy_intp* steps, std::index_sequence<K...>) {
    S(static_cast<std::size_t>(n),
      simd::Strided<arg_t<K>>{reinterpret_cast<const arg_t<K>*>(args[K]),
                              static_cast<std::ptrdiff_t>(steps[K] / static_cast<npy_intp>(sizeof(arg_t<K>)))}...,
      reinterpret_cast<arg_t<nargs - 1>*>(args[nargs - 1]));
  }

  template <std::size_t... I>
  static void run(char** args, npy_intp n, const npy_intp* steps, std::index_sequence<I...>) {
    if (n <= 0) return;
    const bool contiguous = ((steps[I] == static_cast<npy_intp>(sizeof(arg_t<I>))) && ...);
    const Overlap ov = output_overlap(args, n, steps);
    if (ov == Overlap::dependent) {
      // ufunc.reduce / accumulate (and other partial overlaps): element i reads what element
      // i - 1 wrote, so the elements must run in order, one at a time (staging a chunk would read
      // the inputs before they are written: log_iv.reduce gave f(a0, a_last)).
      for (npy_intp i = 0; i < n; ++i) {
        std::tuple<arg_t<I>...> one;
        ((std::get<I>(one) = *reinterpret_cast<const arg_t<I>*>(args[I] + i * steps[I])), ...);
        B(1, &std::get<I>(one)...);
        std::memcpy(args[nargs - 1] + i * steps[nargs - 1], &std::get<nargs - 1>(one),
                    sizeof(arg_t<nargs - 1>));
      }
      return;
    }
    if (contiguous && ov == Overlap::none) {
      B(static_cast<std::size_t>(n), reinterpret_cast<P>(args[I])...);
      return;
    }
    if constexpr (has_strided) {
      // A strided input, a contiguous output that no input overlaps, and inputs whose steps are
      // whole, aligned elements (any sign, 0 for broadcast): the kernel reads them in place.
      // (Contiguous and broadcast inputs alone run faster staged: the broadcast buffer is filled
      // once and the kernel sees unit steps.)
      if (ov == Overlap::none && steps[nargs - 1] == static_cast<npy_intp>(sizeof(arg_t<nargs - 1>)) &&
          strided_inputs_ok(args, steps, std::make_index_sequence<nargs - 1>{})) {
        call_strided(args, n, steps, std::make_index_sequence<nargs - 1>{});
        return;
      }
    }
    // Stage what needs it through per-thread buffers (simd/scratch.hpp; 48 KB for three doubles,
    // off the stack): strides, broadcasting (step 0) and out= aliasing. Staging a contiguous
    // operand too cost 8-16% (the copy's memory traffic is not hidden behind the kernel's).
    using Big = std::tuple<std::array<arg_t<I>, block>...>;
    if (Big* big = simd::thread_scratch<Big>()) {
      staged(args, n, steps, *big, ov, std::index_sequence<I...>{});
      return;
    }
    std::tuple<std::array<arg_t<I>, fallback_block>...> small;
    staged(args, n, steps, small, ov, std::index_sequence<I...>{});
  }

  // How operand K reaches the kernel: read in place (contiguous input, or the output when nothing
  // overlaps it), a buffer filled once (a broadcast input, step 0), or a buffer gathered per chunk.
  enum class Route { in_place, filled, gathered };

  template <std::size_t K> static Route route(const npy_intp* steps, Overlap ov) {
    constexpr bool is_out = K == nargs - 1;
    if (steps[K] == static_cast<npy_intp>(sizeof(arg_t<K>)) && (!is_out || ov == Overlap::none))
      return Route::in_place;
    return (!is_out && steps[K] == 0) ? Route::filled : Route::gathered;
  }

  template <class Buf, std::size_t... I>
  static void staged(char** args, npy_intp n, const npy_intp* steps, Buf& buf, Overlap ov,
                     std::index_sequence<I...>) {
    constexpr std::size_t blk = std::tuple_size<std::tuple_element_t<0, Buf>>::value;
    const Route routes[] = {route<I>(steps, ov)...};
    // A broadcast operand is the same value in every chunk: fill its buffer once.
    ((routes[I] == Route::filled
          ? fill(std::get<I>(buf).data(), args[I], blk)
          : void()),
     ...);
    for (npy_intp start = 0; start < n; start += static_cast<npy_intp>(blk)) {
      const std::size_t m = static_cast<std::size_t>(std::min<npy_intp>(blk, n - start));
      // All gathered inputs in one loop: their loads interleave (one loop per operand ran ~25%
      // slower from memory).
      for (std::size_t j = 0; j < m; ++j) {
        const npy_intp at = start + static_cast<npy_intp>(j);
        ((routes[I] == Route::gathered && I != nargs - 1
              ? copy_one(std::get<I>(buf).data() + j, args[I] + at * steps[I])
              : void()),
         ...);
      }
      B(m, (routes[I] == Route::in_place ? reinterpret_cast<arg_t<I>*>(args[I] + start * steps[I])
                                        : std::get<I>(buf).data())...);
      if (routes[nargs - 1] != Route::in_place)
        scatter(std::get<nargs - 1>(buf).data(), args[nargs - 1] + start * steps[nargs - 1],
                steps[nargs - 1], m);
    }
  }

  template <class T> static void fill(T* dst, const char* src, std::size_t m) {
    T value;
    std::memcpy(&value, src, sizeof(T));  // (the operand need not be aligned)
    for (std::size_t j = 0; j < m; ++j) dst[j] = value;
  }

  template <class T> static void copy_one(T* dst, const char* src) { std::memcpy(dst, src, sizeof(T)); }

  template <class T> static void scatter(const T* src, char* dst, npy_intp step, std::size_t m) {
    for (std::size_t j = 0; j < m; ++j) std::memcpy(dst + j * step, src + j, sizeof(T));
  }

  static void span(const char* p, npy_intp step, npy_intp n, std::size_t size, const char*& lo,
                   const char*& hi) {
    const npy_intp last = (n - 1) * step;
    lo = p + (last < 0 ? last : 0);
    hi = p + (last < 0 ? 0 : last) + static_cast<npy_intp>(size);
  }

  static Overlap output_overlap(char** args, npy_intp n, const npy_intp* steps) {
    using R = arg_t<nargs - 1>;
    const std::size_t o = nargs - 1;
    const char *out_lo, *out_hi;
    span(args[o], steps[o], n, sizeof(R), out_lo, out_hi);
    Overlap result = Overlap::none;
    for (std::size_t k = 0; k < o; ++k) {
      const char *lo, *hi;
      span(args[k], steps[k], n, sizeof(R), lo, hi);  // (all operands have the size of R)
      if (!(lo < out_hi && out_lo < hi)) continue;
      const bool same = args[k] == args[o] && steps[k] == steps[o] && (steps[o] != 0 || n == 1);
      if (!same) return Overlap::dependent;
      result = Overlap::same_elements;
    }
    return result;
  }
};

namespace detail {
// Whether any of n outputs (byte step `step`) of NumPy type `type` is subnormal.
template <class T> bool any_subnormal(const char* p, npy_intp n, npy_intp step) {
  for (npy_intp i = 0; i < n; ++i, p += step) {
    T r;
    std::memcpy(&r, p, sizeof r);
    if (std::fpclassify(r) == FP_SUBNORMAL) return true;
  }
  return false;
}
inline bool any_subnormal(char type, const char* p, npy_intp n, npy_intp step) {
  if (type == NPY_FLOAT64) return any_subnormal<double>(p, n, step);
  if (type == NPY_FLOAT32) return any_subnormal<float>(p, n, step);
  return false;
}
}  // namespace detail

// A loop L whose "underflow" flag tells of its results, as NumPy reports it (np.errstate): the
// kernels' intermediate terms underflow at extreme arguments (powers of x in series below
// x ~ 1e-154, of 1/x in asymptotic sums above ~1e23, exponentials of large negatives) while the
// result is an ordinary number; NumPy would say "underflow encountered" (FloatingPointError
// under errstate(under="raise"), e.g. log_iv(1, 1e-200)), which SciPy's Bessel ufuncs do not.
// So an underflow flag raised inside the loop is kept only if an output is subnormal (a result
// that underflowed; one rounded to zero is not told from an exact zero). Other flags pass as
// raised. The check reads the status register twice a call, and the outputs only when flagged.
template <class L> struct ResultFlags {
  static constexpr int nin = L::nin;
  static constexpr int nout = L::nout;
  static constexpr auto types = L::types;

  static void loop(char** args, const npy_intp* dims, const npy_intp* steps, void* data) {
    const bool before = std::fetestexcept(FE_UNDERFLOW) != 0;
    L::loop(args, dims, steps, data);
    if (before || std::fetestexcept(FE_UNDERFLOW) == 0) return;
    std::feclearexcept(FE_UNDERFLOW);
    bool tiny = false;
    for (int k = 0; k < nout && !tiny; ++k)
      tiny = detail::any_subnormal(types[nin + k], args[nin + k], dims[0], steps[nin + k]);
    if (tiny) std::feraiseexcept(FE_UNDERFLOW);
  }
};

namespace detail {
template <class First, class... Rest> constexpr auto concat_types() {
  constexpr std::size_t width = First::types.size();
  std::array<char, width * (1 + sizeof...(Rest))> all{};
  const std::array<char, width>* parts[] = {&First::types, &Rest::types...};
  for (std::size_t k = 0; k < 1 + sizeof...(Rest); ++k)
    for (std::size_t j = 0; j < width; ++j) all[k * width + j] = (*parts[k])[j];
  return all;
}
}  // namespace detail

// Create the ufunc and set it as attribute `name` of module m. `name` and `doc` must be string
// literals: NumPy keeps the pointers. The attribute name equals the ufunc's __name__, which is how
// NumPy pickles ufuncs (by module and name).
template <class First, class... Rest>
pybind11::object add_ufunc(pybind11::module_& m, const char* name, const char* doc) {
  static_assert(((Rest::nin == First::nin && Rest::nout == First::nout) && ...),
                "all loops of a ufunc take the same number of operands");
  constexpr std::size_t nloops = 1 + sizeof...(Rest);
  static PyUFuncGenericFunction funcs[nloops] = {&ResultFlags<First>::loop, &ResultFlags<Rest>::loop...};
  static constexpr auto type_table = detail::concat_types<First, Rest...>();
  static char types[type_table.size()];
  std::copy(type_table.begin(), type_table.end(), types);
  static void* data[nloops] = {};
  PyObject* u = PyUFunc_FromFuncAndData(funcs, data, types, static_cast<int>(nloops), First::nin,
                                        First::nout, PyUFunc_None, name, doc, 0);
  if (u == nullptr) throw pybind11::error_already_set();
  auto obj = pybind11::reinterpret_steal<pybind11::object>(u);
  m.attr(name) = obj;
  return obj;
}

}  // namespace ufunc
}  // namespace numkit
