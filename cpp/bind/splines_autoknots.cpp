// splines_autoknots.cpp -- the AutoKnots construction loop (Vitenti, de Simoni, Penna-Lima, Barroso,
// arXiv:2412.13423), re-implemented from the published description.
//
// Start from n0 knots uniform in u = X(x) (more if max_dx asks); in each pass evaluate f once, on the
// midpoints of all intervals not yet accepted; test each midpoint against the current spline
// (|f - s| <= rtol |f| + atol, in y) and Simpson's rule on (left, mid, right) against the spline's
// exact integral of the piece (in v, with the same tolerance carried through the Simpson weights);
// insert every midpoint as a knot, accept both halves of an interval that passed both tests, and
// rebuild the not-a-knot spline. Before each pass, accepted intervals more than twice as wide as a
// neighbour are re-opened (mesh grading: numkit's addition, see next_open). When nothing is open,
// the plateau heuristic re-opens intervals wider
// than mean + refine_ns * sd of the widths (refine rounds): a symmetric step passes the midpoint test
// and would otherwise be missed.
//
// The loop, the solve and the tests run here; only f is Python. Failures are reported as a status
// and a location (the Python layer raises the documented exception), never by aborting.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "numkit/splines/notaknot.hpp"
#include "bind/numpy_api.hpp"
#include "numkit/splines/scales.hpp"
#include "bind/splines_autoknots.hpp"
#include "src/splines/spline_core.hpp"

namespace py = pybind11;

namespace numkit {
namespace splines {

enum class BuildStatus : int { ok = 0, max_knots = 1, non_finite = 2, non_positive = 3, discontinuity = 4 };

namespace {

class Builder {
 public:
  Builder(py::object f, const BuildOptions& o) : f_(std::move(f)), o_(o) {}

  py::tuple run() {
    const double ua = to_u(o_.xs, o_.a), ub = to_u(o_.xs, o_.b);
    long n = std::max<long>(o_.n0, 2);
    if (std::isfinite(o_.max_dx)) n = std::max<long>(n, static_cast<long>(std::ceil((ub - ua) / o_.max_dx)) + 1);
    if (n > o_.max_knots) return fail(BuildStatus::max_knots, o_.a, o_.b, std::nan(""));
    reserve(static_cast<std::size_t>(std::min<long>(o_.max_knots, 4 * n + 256)));
    // The knots' u are the uniform grid itself and later the exact midpoints in u; x = X^{-1}(u)
    // is what f sees. (u is not recomputed as X(x): one log per knot saved, and the spline is the
    // one the tests measured; pickles carry u, so a reloaded spline is the same to the bit.)
    u_.resize(n);
    x_.resize(n);
    for (long i = 0; i < n; ++i) {
      u_[i] = ua + (ub - ua) * static_cast<double>(i) / (n - 1);
      x_[i] = from_u(o_.xs, u_[i]);
    }
    u_.front() = ua;
    u_.back() = ub;
    x_.front() = o_.a;
    x_.back() = o_.b;
    if (!call_f(x_, y_)) {
      x_.clear();  // no spline to attach
      return status_tuple();
    }
    v_.resize(n);
    for (long i = 0; i < n; ++i) v_[i] = to_v(y_[i]);
    for (long i = 1; i < n; ++i)
      if (!(u_[i] > u_[i - 1])) return fail(BuildStatus::discontinuity, x_[i - 1], x_[i], std::nan(""));
    accepted_.assign(n - 1, 0);
    err_.assign(n - 1, std::numeric_limits<double>::infinity());
    open_.resize(n - 1);
    for (long i = 0; i + 1 < n; ++i) open_[i] = static_cast<std::size_t>(i);

    long refine_left = o_.refine;
    const double floor_u = 100.0 * std::numeric_limits<double>::epsilon() * (ub - ua);
    while (true) {
      if (open_.empty()) {
        if (refine_left <= 0 || !reopen_wide()) break;
        --refine_left;
        continue;
      }
      const std::size_t nk = x_.size(), m = open_.size();
      if (static_cast<long>(nk + m) > o_.max_knots)
        return fail(BuildStatus::max_knots, x_[open_.front()], x_[open_.back() + 1], std::nan(""));
      xm_.resize(m);
      um_.resize(m);
      // An open interval narrower than ~100 ulp: f jumps there. Near a jump the spline rings, so
      // several tiny neighbours fail together; name the one with the largest step in the values.
      std::size_t jump = nk;
      for (std::size_t k = 0; k < m; ++k) {
        const std::size_t i = open_[k];
        const double width = u_[i + 1] - u_[i];
        const double ulp100 = std::max(
            floor_u, 100.0 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(u_[i]), std::fabs(u_[i + 1])));
        const double u_mid = u_[i] + 0.5 * width;  // no overflow near +-DBL_MAX
        const double x_mid = from_u(o_.xs, u_mid);
        if (width <= ulp100 || !(x_mid > x_[i] && x_mid < x_[i + 1])) {
          if (jump == nk || std::fabs(v_[i + 1] - v_[i]) > std::fabs(v_[jump + 1] - v_[jump])) jump = i;
        }
        xm_[k] = x_mid;
        um_[k] = u_mid;
      }
      if (jump != nk) return fail(BuildStatus::discontinuity, x_[jump], x_[jump + 1], std::nan(""));
      if (!call_f(xm_, ym_)) return status_tuple();
      prepare_coefficients();
      insert();
    }
    converged_ = true;
    return status_tuple();
  }

 private:
  double to_v(double y) const { return o_.ys == YScale::log ? std::log(y) : y; }

  void reserve(std::size_t cap) {
    for (auto* vec : {&x_, &y_, &u_, &v_, &err_, &sx_, &sy_, &su_, &sv_, &se_}) vec->reserve(cap);
    accepted_.reserve(cap);
    sa_.reserve(cap);
    open_.reserve(cap);
  }

  void rebuild() {
    const std::size_t n = x_.size();
    coef_.resize(4 * (n - 1));
    work_.resize(5 * n);
    notaknot_coefficients(n, u_.data(), v_.data(), coef_.data(), work_.data());
    coef_global_ = true;
  }

  // The tests of a pass only need the cubic on the open intervals. A knot's influence on the
  // not-a-knot spline decays geometrically along the knots (by 2 - sqrt(3) per knot on uniform
  // knots, by at most ~1/2 on the 2:1-graded knots here), so a solve on the knots within
  // kWindow of an open interval gives its cubic to rounding. Late passes re-open a few intervals
  // among thousands of knots: windows then cost O(open) instead of O(knots). The returned spline
  // always comes from the global solve (status_tuple).
  static constexpr std::size_t kWindow = 48;

  void prepare_coefficients() {
    const std::size_t n = x_.size();
    // Clusters of overlapping windows [lo, hi] (knot indices); fall back to the global solve when
    // they would cover a large part of the knots anyway.
    clusters_.clear();
    std::size_t covered = 0;
    for (std::size_t i : open_) {
      const std::size_t lo = i > kWindow ? i - kWindow : 0, hi = std::min(n - 1, i + 1 + kWindow);
      if (!clusters_.empty() && lo <= clusters_.back().second) {
        covered += hi - clusters_.back().second;
        clusters_.back().second = hi;
      } else {
        clusters_.emplace_back(lo, hi);
        covered += hi - lo + 1;
      }
      if (2 * covered > n) {
        rebuild();
        return;
      }
    }
    coef_.resize(4 * (n - 1));
    coef_global_ = false;
    std::size_t k = 0;
    for (const auto& c : clusters_) {
      const std::size_t m = c.second - c.first + 1;
      work_.resize(5 * m);
      local_coef_.resize(4 * (m - 1));
      notaknot_coefficients(m, u_.data() + c.first, v_.data() + c.first, local_coef_.data(), work_.data());
      for (; k < open_.size() && open_[k] < c.second; ++k)
        std::copy_n(local_coef_.data() + 4 * (open_[k] - c.first), 4, coef_.data() + 4 * open_[k]);
    }
  }

  // |e^d - 1| for the point test on a log y scale: |y - e^s| = y |e^(s - ln y) - 1|. Near
  // convergence |d| ~ rtol, where the Taylor polynomial is exact to rounding and saves an exp.
  static double abs_expm1(double d) {
    if (std::fabs(d) < 1e-2)  // remainder d^7 / 5040 < 2e-18 |d|
      return std::fabs(d * (1.0 + d * (0.5 + d * (1.0 / 6 + d * (1.0 / 24 + d * (1.0 / 120 + d / 720))))));
    return std::fabs(std::expm1(d));
  }

  // Test one open interval i (old numbering) at its new midpoint k; returns (passed, error).
  std::pair<char, double> test_midpoint(std::size_t i, std::size_t k, double vm) const {
    const double um = um_[k], ym = ym_[k];
    const double* c = coef_.data() + 4 * i;
    const double h = u_[i + 1] - u_[i];
    // Point test, in y.
    const double s = cubic_value(c, um - u_[i]);
    const double diff = o_.ys == YScale::log ? ym * abs_expm1(s - vm) : std::fabs(ym - s);
    const bool point_ok = diff <= o_.rtol * std::fabs(ym) + o_.atol;
    // Integral test, in v: Simpson on (u_i, u_m, u_{i+1}) against the cubic's exact integral.
    const double simpson = h / 6.0 * (v_[i] + 4.0 * vm + v_[i + 1]);
    const double exact = h * (c[0] + h * (c[1] / 2.0 + h * (c[2] / 3.0 + h * c[3] / 4.0)));
    double tol_i;
    if (o_.ys == YScale::log)  // dv = dy / y: the tolerance on v is rtol + atol / y
      tol_i = h * (o_.rtol + o_.atol * (1.0 / y_[i] + 4.0 / ym + 1.0 / y_[i + 1]) / 6.0);
    else
      tol_i = h * (o_.rtol * (std::fabs(v_[i]) + 4.0 * std::fabs(vm) + std::fabs(v_[i + 1])) / 6.0 + o_.atol);
    const bool integral_ok = std::fabs(simpson - exact) <= tol_i;
    // Error estimate on the tolerance's own scale: relative error with |f| floored at atol/rtol.
    const double floor_f = o_.rtol > 0 ? o_.atol / o_.rtol : 1.0;
    const double err = o_.rtol > 0 ? diff / std::max(std::fabs(ym), floor_f) : diff;
    return {static_cast<char>(point_ok && integral_ok), err};
  }

  // Test every open interval at its new midpoint, merge the midpoints in as knots (runs of
  // untouched knots move as blocks), and list the intervals open for the next pass.
  void insert() {
    const std::size_t n = x_.size(), m = open_.size(), n2 = n + m;
    // Scratch arrays persist between passes (swapped with the live ones below): once grown, a
    // pass allocates nothing.
    sx_.resize(n2); sy_.resize(n2); su_.resize(n2); sv_.resize(n2);
    sa_.resize(n2 - 1); se_.resize(n2 - 1);
    splits_.clear();
    std::size_t src = 0, dst = 0;  // next knot to copy, its new index
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t i = open_[k];
      dst = copy_run(src, i + 1, dst);  // knot i now sits at dst - 1; the midpoint goes to dst
      const double vm = to_v(ym_[k]);
      const std::pair<char, double> t = test_midpoint(i, k, vm);
      sx_[dst] = xm_[k]; sy_[dst] = ym_[k]; su_[dst] = um_[k]; sv_[dst] = vm;
      sa_[dst - 1] = sa_[dst] = t.first;
      se_[dst - 1] = se_[dst] = t.second;
      splits_.push_back(dst - 1);
      ++dst;
      src = i + 1;
    }
    copy_run(src, n, dst);
    x_.swap(sx_); y_.swap(sy_); u_.swap(su_); v_.swap(sv_); accepted_.swap(sa_); err_.swap(se_);
    next_open();
  }

  // Knots [from, to) and the intervals between them move to the scratch arrays at dst; returns the
  // next free knot index there.
  std::size_t copy_run(std::size_t from, std::size_t to, std::size_t dst) {
    const std::size_t knots = to - from;
    std::copy(x_.begin() + from, x_.begin() + to, sx_.begin() + dst);
    std::copy(y_.begin() + from, y_.begin() + to, sy_.begin() + dst);
    std::copy(u_.begin() + from, u_.begin() + to, su_.begin() + dst);
    std::copy(v_.begin() + from, v_.begin() + to, sv_.begin() + dst);
    if (knots > 1) {
      std::copy(accepted_.begin() + from, accepted_.begin() + (to - 1), sa_.begin() + dst);
      std::copy(err_.begin() + from, err_.begin() + (to - 1), se_.begin() + dst);
    }
    return dst + knots;
  }

  // Intervals open in the next pass: the halves that failed, and accepted intervals that break the
  // mesh grading. Widths change only where an interval was split, so only the two halves and their
  // outer neighbours need a look (the rest kept their verdict).
  //
  // Mesh grading: an accepted interval more than twice as wide as a neighbour is re-opened. The
  // midpoint test measures the error at one point; next to a much finer neighbour the spline's
  // error curve on the wide interval can vanish near its midpoint and peak elsewhere (measured:
  // 1.16 x tolerance on x / (1 + x^2)^0.75 without this rule).
  void next_open() {
    const std::size_t last = accepted_.size();  // intervals 0 .. last - 1
    open_.clear();
    std::size_t next = 0;  // candidates below this were looked at already
    for (std::size_t p : splits_) {
      const std::size_t lo = std::max(p > 0 ? p - 1 : 0, next), hi = std::min(p + 3, last);
      for (std::size_t c = lo; c < hi; ++c) {
        if (accepted_[c] && ungraded(c)) accepted_[c] = 0;
        if (!accepted_[c]) open_.push_back(c);
      }
      next = std::max(next, hi);
    }
  }

  bool ungraded(std::size_t i) const {
    const std::size_t m = accepted_.size();
    const double w = u_[i + 1] - u_[i];
    const bool left = i > 0 && 2.0 * (u_[i] - u_[i - 1]) * (1.0 + 1e-9) < w;
    const bool right = i + 1 < m && 2.0 * (u_[i + 2] - u_[i + 1]) * (1.0 + 1e-9) < w;
    return left || right;
  }

  // The plateau heuristic: re-open intervals wider (in u) than mean + refine_ns * sd.
  bool reopen_wide() {
    const std::size_t m = accepted_.size();
    if (m < 2) return false;
    double mean = 0.0;
    for (std::size_t i = 0; i < m; ++i) mean += u_[i + 1] - u_[i];
    mean /= m;
    double var = 0.0;
    for (std::size_t i = 0; i < m; ++i) var += (u_[i + 1] - u_[i] - mean) * (u_[i + 1] - u_[i] - mean);
    const double cut = mean + o_.refine_ns * std::sqrt(var / m);
    open_.clear();
    for (std::size_t i = 0; i < m; ++i)
      if (u_[i + 1] - u_[i] > cut * (1.0 + 1e-12)) {
        accepted_[i] = 0;
        open_.push_back(i);
      }
    return !open_.empty();
  }

  // One call of f on all points (or one per point); checks shape and values.
  bool call_f(const std::vector<double>& xs, std::vector<double>& ys) {
    const std::size_t m = xs.size();
    ys.resize(m);
    ++n_passes_;
    nfev_ += m;
    if (o_.vectorized) {
      // NumPy's C API directly (not pybind's array_t): this runs once per pass, and at a few
      // hundred points per pass its fixed costs are a visible part of the construction overhead.
      npy_intp dim = static_cast<npy_intp>(m);
      py::object arr = py::reinterpret_steal<py::object>(PyArray_SimpleNew(1, &dim, NPY_DOUBLE));
      if (!arr) throw py::error_already_set();
      std::copy(xs.begin(), xs.end(), static_cast<double*>(PyArray_DATA(reinterpret_cast<PyArrayObject*>(arr.ptr()))));
      PyObject* raw = PyObject_CallOneArg(f_.ptr(), arr.ptr());
      if (!raw) throw py::error_already_set();
      py::object res = py::reinterpret_steal<py::object>(raw);
      if (PyArray_CheckExact(raw)) {  // the usual answer: a float64 array, used in place
        PyArrayObject* ra = reinterpret_cast<PyArrayObject*>(raw);
        if (PyArray_TYPE(ra) == NPY_DOUBLE && PyArray_ISCARRAY_RO(ra) &&
            static_cast<std::size_t>(PyArray_SIZE(ra)) == m) {
          const double* data = static_cast<const double*>(PyArray_DATA(ra));
          std::copy(data, data + m, ys.begin());
          return check_values(xs, ys);
        }
      }
      auto out = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(res);
      if (!out) {
        PyErr_Clear();
        throw py::type_error("f returned " + std::string(py::str(py::type::of(res).attr("__name__"))) +
                             ", which is not convertible to a float array; with vectorized=True f must map an "
                             "array of x to an array of f(x) of the same shape");
      }
      if (static_cast<std::size_t>(out.size()) != m)
        throw py::value_error("f returned " + std::to_string(out.size()) + " values for " + std::to_string(m) +
                              " points; with vectorized=True f must return one value per element of its input "
                              "(use vectorized=False for a scalar function)");
      std::copy(out.data(), out.data() + m, ys.begin());
    } else {
      for (std::size_t k = 0; k < m; ++k) {
        py::object r = f_(xs[k]);
        ys[k] = PyFloat_AsDouble(r.ptr());  // accepts anything with __float__ (NumPy scalars too)
        if (ys[k] == -1.0 && PyErr_Occurred()) throw py::error_already_set();
      }
    }
    return check_values(xs, ys);
  }

  bool check_values(const std::vector<double>& xs, const std::vector<double>& ys) {
    const std::size_t m = xs.size();
    for (std::size_t k = 0; k < m; ++k) {
      if (!std::isfinite(ys[k])) {
        record_failure(BuildStatus::non_finite, xs[k], xs[k], ys[k]);
        return false;
      }
      if (o_.ys == YScale::log && !(ys[k] > 0.0)) {
        record_failure(BuildStatus::non_positive, xs[k], xs[k], ys[k]);
        return false;
      }
    }
    return true;
  }

  void record_failure(BuildStatus s, double lo, double hi, double value) {
    status_ = s;
    where_lo_ = lo;
    where_hi_ = hi;
    where_value_ = value;
  }

  py::tuple fail(BuildStatus s, double lo, double hi, double value) {
    record_failure(s, lo, hi, value);
    return status_tuple();
  }

  py::tuple status_tuple() {
    py::object core = py::none();
    if (x_.size() >= 2) {
      if (!coef_global_ || coef_.size() != 4 * (x_.size() - 1)) rebuild();
      // The builder is finished: hand its arrays over instead of copying them.
      core = py::cast(std::make_shared<SplineCore>(std::move(x_), std::move(y_), std::move(u_), std::move(v_),
                                                   std::move(coef_), o_.xs, o_.ys));
    }
    double max_err = 0.0;
    for (double e : err_) max_err = std::max(max_err, e);
    if (err_.empty()) max_err = std::nan("");
    return py::make_tuple(core, static_cast<int>(status_), where_lo_, where_hi_, where_value_, nfev_, n_passes_,
                          converged_, max_err);
  }

  py::object f_;
  BuildOptions o_;
  std::vector<double> x_, y_, u_, v_, coef_, work_, err_;
  std::vector<char> accepted_;
  std::vector<std::size_t> open_, splits_;  // open intervals of this pass; left halves of its splits
  std::vector<double> xm_, um_, ym_;        // this pass's midpoints in x and u, and f there
  std::vector<double> sx_, sy_, su_, sv_, se_;  // merge scratch (see insert)
  std::vector<char> sa_;
  std::vector<std::pair<std::size_t, std::size_t>> clusters_;  // windows of the local solves
  std::vector<double> local_coef_;
  bool coef_global_ = false;
  BuildStatus status_ = BuildStatus::ok;
  double where_lo_ = std::nan(""), where_hi_ = std::nan(""), where_value_ = std::nan("");
  long nfev_ = 0, n_passes_ = 0;
  bool converged_ = false;
};

}  // namespace

py::tuple autoknots_build(py::object f, const BuildOptions& o) { return Builder(std::move(f), o).run(); }

}  // namespace splines
}  // namespace numkit
