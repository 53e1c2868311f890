// numkit/splines/search.hpp -- interval search over sorted knots.
//
// Pure function of its arguments (the hint is the caller's local variable), so one spline may be
// evaluated from many threads at once. Returns i in [0, n-2] with knots[i] <= u < knots[i+1]; points
// below the first knot give 0 and points at or above the last give n-2 (the end pieces extrapolate).
#pragma once

#include <cstddef>

namespace numkit {
namespace splines {

inline std::size_t find_interval(const double* knots, std::size_t n, double u, std::size_t hint) {
  const std::size_t last = n - 2;
  // Sorted or clustered queries usually land in the previous interval or the next one.
  if (hint <= last && knots[hint] <= u) {
    if (u < knots[hint + 1]) return hint;
    if (hint < last && u < knots[hint + 2]) return hint + 1;
  }
  if (!(u >= knots[1])) return 0;  // also NaN (the caller handles NaN separately)
  if (u >= knots[last]) return last;
  // Branch-light binary search for the largest i with knots[i] <= u, in [1, last).
  std::size_t lo = 1, len = last - 1;
  while (len > 1) {
    const std::size_t half = len / 2;
    lo = (knots[lo + half] <= u) ? lo + half : lo;
    len -= half;
  }
  return lo;
}

}  // namespace splines
}  // namespace numkit
