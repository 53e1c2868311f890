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
// With check > 0, after convergence f is also evaluated at random probes (one uniform point in
// each of `check` equal strata of u, fixed seed), each tested against the spline (point test); a
// probe that fails becomes a knot and its interval is refined as usual, one that passes is
// dropped.
//
// The loop, the solve and the tests run here; f comes through a Sampler (plain C++ only).
// Failures are reported as a status and a location (the Python layer raises the documented
// exception), never by aborting.
#include "src/splines/autoknots.hpp"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "numkit/splines/notaknot.hpp"
#include "numkit/splines/scales.hpp"

namespace numkit {
namespace splines {

namespace {

// Verdicts of an interval. `untested`: fresh from the starting grid, or re-opened (grading, the
// plateau heuristic) after it passed; `failed`: its last test failed. Only a failed interval that
// can no longer be split is evidence of a discontinuity.
enum Verdict : char { failed = 0, passed = 1, untested = 2 };

class Builder {
 public:
  Builder(Sampler& f, const BuildOptions& o) : f_(f), o_(o) {}

  BuildResult run() {
    const double ua = to_u(o_.x_scale, o_.a), ub = to_u(o_.x_scale, o_.b);
    if (!(ub > ua)) return fail(BuildStatus::discontinuity, o_.a, o_.b);  // the Python layer rejects this first
    long n = std::max<long>(o_.n0, 2);
    if (std::isfinite(o_.max_dx)) {
      // In double: (ub - ua) / max_dx may exceed every integer type (a cast would wrap).
      const double need = std::ceil((ub - ua) / o_.max_dx) + 1.0;
      if (!(need <= static_cast<double>(o_.max_knots))) return fail(BuildStatus::max_knots, o_.a, o_.b);
      n = std::max<long>(n, static_cast<long>(need));
    }
    if (n > o_.max_knots) return fail(BuildStatus::max_knots, o_.a, o_.b);
    reserve(static_cast<std::size_t>(std::min<long>(o_.max_knots, 4 * n + 256)));
    // The knots' u are the uniform grid itself and later the exact midpoints in u; x = X^{-1}(u)
    // is what f sees. (u is not recomputed as X(x): one log per knot saved, and the spline is the
    // one the tests measured; pickles carry u, so a reloaded spline is the same to the bit.)
    // On an interval only a few doubles wide, grid points that round onto a neighbour are
    // dropped: every knot is a distinct double in x and in u.
    u_.clear();
    x_.clear();
    for (long i = 0; i < n; ++i) {
      const bool last = i == n - 1;
      double ui = i == 0 ? ua : last ? ub : ua + (ub - ua) * static_cast<double>(i) / (n - 1);
      const double xi = i == 0 ? o_.a : last ? o_.b : snap(from_u(o_.x_scale, ui), ui);
      if (i > 0 && !last && !(xi > x_.back() && xi < o_.b && ui > u_.back() && ui < ub)) continue;
      u_.push_back(ui);
      x_.push_back(xi);
    }
    if (!call_f(x_, y_)) {
      x_.clear();  // no spline to attach
      return result();
    }
    const std::size_t nk = x_.size();
    v_.resize(nk);
    for (std::size_t i = 0; i < nk; ++i) v_[i] = to_v(y_[i]);
    accepted_.assign(nk - 1, untested);
    err_.assign(nk - 1, std::numeric_limits<double>::infinity());
    open_.resize(nk - 1);
    for (std::size_t i = 0; i + 1 < nk; ++i) open_[i] = i;

    long refine_left = o_.refine;
    const double floor_u = 100.0 * std::numeric_limits<double>::epsilon() * (ub - ua);
    while (true) {
      if (open_.empty()) {
        if (refine_left > 0 && reopen_wide()) {
          --refine_left;
          continue;
        }
        if (o_.check > 0 && probe_pass()) {
          if (status_ != BuildStatus::ok) return result();
          continue;
        }
        break;
      }
      const std::size_t m0 = open_.size();
      xm_.resize(m0);
      um_.resize(m0);
      // An open interval with no double strictly inside cannot be tested or split, and needs
      // neither: the spline interpolates f at every double of it (its ends). An interval that
      // failed and is narrower than ~100 ulp: f jumps there. Near a jump the spline rings, so
      // several tiny neighbours fail together; name the one with the largest step in the values.
      std::size_t jump = x_.size(), m = 0;
      for (std::size_t k = 0; k < m0; ++k) {
        const std::size_t i = open_[k];
        const double width = u_[i + 1] - u_[i];
        const double ulp100 = std::max(
            floor_u, 100.0 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(u_[i]), std::fabs(u_[i + 1])));
        double u_mid = u_[i] + 0.5 * width;  // no overflow near +-DBL_MAX
        const double x_mid = snap(from_u(o_.x_scale, u_mid), u_mid);
        const bool splittable = x_mid > x_[i] && x_mid < x_[i + 1] && u_mid > u_[i] && u_mid < u_[i + 1];
        if (!splittable) {
          accepted_[i] = passed;
          err_[i] = 0.0;
          continue;
        }
        if (accepted_[i] == failed && width <= ulp100) {
          if (jump == x_.size() || std::fabs(v_[i + 1] - v_[i]) > std::fabs(v_[jump + 1] - v_[jump])) jump = i;
        }
        open_[m] = i;
        xm_[m] = x_mid;
        um_[m] = u_mid;
        ++m;
      }
      if (jump != x_.size()) {
        record_failure(BuildStatus::discontinuity, x_[jump], x_[jump + 1], std::nan(""));
        y_lo_ = y_[jump];
        y_hi_ = y_[jump + 1];
        return result();
      }
      open_.resize(m);
      xm_.resize(m);
      um_.resize(m);
      if (m == 0) continue;
      if (static_cast<long>(x_.size() + m) > o_.max_knots)
        return fail(BuildStatus::max_knots, x_[open_.front()], x_[open_.back() + 1]);
      if (!call_f(xm_, ym_)) return result();
      prepare_coefficients();
      insert(false);
      if (status_ != BuildStatus::ok) return result();
    }
    converged_ = true;
    return result();
  }

 private:
  double to_v(double y) const { return o_.y_scale == YScale::log ? std::log(y) : y; }

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
  // always comes from the global solve (result).
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

  struct Verdict3 {
    char ok;
    double err;
    bool overflow;  // finite data, non-finite arithmetic
  };

  // Point test of the new point k (u_m, y_m, v_m) in interval i (old numbering), in y.
  Verdict3 test_point(std::size_t i, std::size_t k, double vm, double* s_out) const {
    const double um = um_[k], ym = ym_[k];
    const double s = cubic_value(coef_.data() + 4 * i, um - u_[i]);
    const double diff = o_.y_scale == YScale::log ? ym * abs_expm1(s - vm) : std::fabs(ym - s);
    // Error estimate on the tolerance's own scale: relative error with |f| floored at atol/rtol.
    const double floor_f = o_.rtol > 0 ? o_.atol / o_.rtol : 1.0;
    const double err = o_.rtol > 0 ? diff / std::max(std::fabs(ym), floor_f) : diff;
    if (s_out) *s_out = s;
    return {static_cast<char>(diff <= o_.rtol * std::fabs(ym) + o_.atol), err, !std::isfinite(s)};
  }

  // Test one open interval i (old numbering) at its new midpoint k: the point test and the
  // integral test (Simpson on (u_i, u_m, u_{i+1}) against the cubic's exact integral, in v).
  Verdict3 test_midpoint(std::size_t i, std::size_t k, double vm) const {
    double s = 0.0;
    Verdict3 t = test_point(i, k, vm, &s);
    const double* c = coef_.data() + 4 * i;
    const double h = u_[i + 1] - u_[i];
    double simpson;
    if (anchored_) {  // snapped nodes: the 3-point rule exact for quadratics on (0, m, h)
      const double mm = um_[k] - u_[i], wm = h * h * h / (6.0 * mm * (h - mm));
      const double wh = h * (2.0 * h - 3.0 * mm) / (6.0 * (h - mm)), w0 = h - wm - wh;
      simpson = w0 * v_[i] + wm * vm + wh * v_[i + 1];
    } else {
      simpson = h / 6.0 * (v_[i] + 4.0 * vm + v_[i + 1]);
    }
    const double exact = h * (c[0] + h * (c[1] / 2.0 + h * (c[2] / 3.0 + h * c[3] / 4.0)));
    double tol_i;
    if (o_.y_scale == YScale::log) {
      // dv = dy / y: the tolerance on v is rtol + atol / y. It is smallest where y is largest,
      // and that is where the interval must meet it: an average of atol / y over the three
      // points lets a tiny y at one end (or the midpoint) excuse any error where y is large
      // (measured: 15.5% error at x = 24 for e^-x + 1e-200 on [1, 1000] with atol = 1e-20).
      tol_i = h * (o_.rtol + o_.atol / std::max(std::max(y_[i], ym_[k]), y_[i + 1]));
    } else {
      tol_i = h * (o_.rtol * (std::fabs(v_[i]) + 4.0 * std::fabs(vm) + std::fabs(v_[i + 1])) / 6.0 + o_.atol);
    }
    t.overflow = t.overflow || !std::isfinite(simpson) || !std::isfinite(exact) || !std::isfinite(tol_i);
    t.ok = static_cast<char>(t.ok && std::fabs(simpson - exact) <= tol_i);
    return t;
  }

  // Test every open interval at its new point, merge the points in as knots (runs of untouched
  // knots move as blocks), and list the intervals open for the next pass. probe: the points are
  // random probes (point test only), not midpoints.
  void insert(bool probe) {
    const std::size_t n = x_.size(), m = open_.size(), n2 = n + m;
    // Scratch arrays persist between passes (swapped with the live ones below): once grown, a
    // pass allocates nothing.
    sx_.resize(n2); sy_.resize(n2); su_.resize(n2); sv_.resize(n2);
    sa_.resize(n2 - 1); se_.resize(n2 - 1);
    splits_.clear();
    std::size_t src = 0, dst = 0;  // next knot to copy, its new index
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t i = open_[k];
      const double vm = to_v(ym_[k]);
      const Verdict3 t = probe ? test_point(i, k, vm, nullptr) : test_midpoint(i, k, vm);
      if (t.overflow && status_ == BuildStatus::ok) {
        record_failure(BuildStatus::overflow, x_[i], x_[i + 1], std::nan(""));
        y_lo_ = y_[i];
        y_hi_ = y_[i + 1];
      }
      dst = copy_run(src, i + 1, dst);  // knot i now sits at dst - 1; the new point goes to dst
      sx_[dst] = xm_[k]; sy_[dst] = ym_[k]; su_[dst] = um_[k]; sv_[dst] = vm;
      sa_[dst - 1] = sa_[dst] = t.ok ? passed : failed;
      se_[dst - 1] = se_[dst] = t.err;
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
        if (accepted_[c] == passed && ungraded(c)) accepted_[c] = untested;
        if (accepted_[c] != passed) open_.push_back(c);
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
        accepted_[i] = untested;
        open_.push_back(i);
      }
    return !open_.empty();
  }

  // splitmix64 (Steele, Lea, Flood 2014): a fixed seed makes the probes, and the spline, the same
  // on every run.
  double next_uniform() {
    rng_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = rng_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

  // One round of random probes (check > 0): on the first call, one uniform point in each of
  // `check` equal strata of [u(a), u(b)]; each round inserts at most one unused probe per interval
  // (an interval may hold several), point-tests it against the spline, and re-opens the
  // intervals that fail. Returns false when no probe is left.
  bool probe_pass() {
    if (probes_.empty() && !probes_made_) {
      probes_made_ = true;
      const double ua = u_.front(), ub = u_.back();
      const std::size_t np = static_cast<std::size_t>(o_.check);
      probes_.reserve(np);
      for (std::size_t k = 0; k < np; ++k)
        probes_.push_back(ua + (ub - ua) * ((static_cast<double>(k) + next_uniform()) / static_cast<double>(np)));
    }
    open_.clear();
    xm_.clear();
    um_.clear();
    std::vector<double> keep;
    std::size_t i = 0;
    const std::size_t last = x_.size() - 2;
    for (double p : probes_) {
      while (i < last && !(p < u_[i + 1])) ++i;
      const double xp = snap(from_u(o_.x_scale, p), p);
      if (!(p > u_[i] && p < u_[i + 1] && xp > x_[i] && xp < x_[i + 1])) continue;  // on a knot: drop
      if (!open_.empty() && open_.back() == i) {
        keep.push_back(p);  // this interval has its probe for this round
        continue;
      }
      open_.push_back(i);
      um_.push_back(p);
      xm_.push_back(xp);
    }
    probes_.swap(keep);
    if (open_.empty()) return false;
    if (static_cast<long>(x_.size() + open_.size()) > o_.max_knots) {
      record_failure(BuildStatus::max_knots, x_[open_.front()], x_[open_.back() + 1], std::nan(""));
      return true;
    }
    if (!call_f(xm_, ym_)) return true;
    prepare_coefficients();
    // Probes that pass are dropped, not made knots: an off-centre knot makes its neighbours
    // fail the mesh grading, and the re-opened intervals cascade (measured: 11 -> 51
    // evaluations for sqrt with sing and log y, 5 probes). Only the failing ones refine.
    std::size_t w = 0;
    for (std::size_t k = 0; k < open_.size(); ++k) {
      const Verdict3 t = test_point(open_[k], k, to_v(ym_[k]), nullptr);
      if (t.ok && !t.overflow) continue;
      open_[w] = open_[k];
      xm_[w] = xm_[k];
      ym_[w] = ym_[k];
      um_[w] = um_[k];
      ++w;
    }
    open_.resize(w);
    xm_.resize(w);
    ym_.resize(w);
    um_.resize(w);
    if (w > 0) insert(true);
    return true;
  }

  // x as the distance of a double from the anchor (sing), and u = X(x) updated to match.
  double snap(double x, double& u) const {
    if (!anchored_) return x;
    const double s = o_.anchor_sign, xs = s * ((o_.anchor + s * x) - o_.anchor);
    if (xs != x) u = to_u(o_.x_scale, xs);
    return xs;
  }

  // One call of f on all points; checks the values.
  bool call_f(const std::vector<double>& xs, std::vector<double>& ys) {
    const std::size_t m = xs.size();
    ys.resize(m);
    ++n_passes_;
    nfev_ += static_cast<long>(m);
    if (!f_.sample(xs.data(), m, ys.data())) {
      record_failure(BuildStatus::sampler_failed, std::nan(""), std::nan(""), std::nan(""));
      return false;
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (!std::isfinite(ys[k])) {
        record_failure(BuildStatus::non_finite, xs[k], xs[k], ys[k]);
        return false;
      }
      if (o_.y_scale == YScale::log && !(ys[k] > 0.0)) {
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

  BuildResult fail(BuildStatus s, double lo, double hi) {
    record_failure(s, lo, hi, std::nan(""));
    return result();
  }

  BuildResult result() {
    BuildResult r;
    if (x_.size() >= 2) {
      if (!coef_global_ || coef_.size() != 4 * (x_.size() - 1)) rebuild();
      // The builder is finished: hand its arrays over instead of copying them.
      r.spline = std::make_shared<SplineCore>(std::move(x_), std::move(y_), std::move(u_), std::move(v_),
                                              std::move(coef_), o_.x_scale, o_.y_scale);
    }
    double max_err = 0.0;
    for (double e : err_) max_err = std::max(max_err, e);
    r.max_error_estimate = err_.empty() ? std::nan("") : max_err;
    r.status = status_;
    r.x_lo = where_lo_;
    r.x_hi = where_hi_;
    r.value = where_value_;
    r.y_lo = y_lo_;
    r.y_hi = y_hi_;
    r.nfev = nfev_;
    r.n_passes = n_passes_;
    r.converged = converged_ && status_ == BuildStatus::ok;
    return r;
  }

  Sampler& f_;
  BuildOptions o_;
  bool anchored_ = !std::isnan(o_.anchor);
  std::vector<double> x_, y_, u_, v_, coef_, work_, err_;
  std::vector<char> accepted_;              // Verdict of each interval
  std::vector<std::size_t> open_, splits_;  // open intervals of this pass; left halves of its splits
  std::vector<double> xm_, um_, ym_;        // this pass's new points in x and u, and f there
  std::vector<double> sx_, sy_, su_, sv_, se_;  // merge scratch (see insert)
  std::vector<char> sa_;
  std::vector<std::pair<std::size_t, std::size_t>> clusters_;  // windows of the local solves
  std::vector<double> local_coef_;
  std::vector<double> probes_;  // unused probes (u), sorted
  bool probes_made_ = false;
  std::uint64_t rng_ = 0x6E756D6B6974ULL;
  bool coef_global_ = false;
  BuildStatus status_ = BuildStatus::ok;
  double where_lo_ = std::nan(""), where_hi_ = std::nan(""), where_value_ = std::nan("");
  double y_lo_ = std::nan(""), y_hi_ = std::nan("");
  long nfev_ = 0, n_passes_ = 0;
  bool converged_ = false;
};

}  // namespace

BuildResult autoknots_build(Sampler& f, const BuildOptions& o) { return Builder(f, o).run(); }

}  // namespace splines
}  // namespace numkit
