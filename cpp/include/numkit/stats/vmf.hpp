// numkit/stats/vmf.hpp -- log normalizer of the von Mises-Fisher distribution on S^{p-1}.
//
// The vMF density on the unit sphere in R^p is f(x) = C_p(kappa) exp(kappa mu.x) with
//
//   log C_p(kappa) = (p/2 - 1) log kappa - (p/2) log(2 pi) - log I_{p/2-1}(kappa)
//
// (Mardia & Jupp, Directional Statistics, 2000, eq. 9.3.4). Two regimes:
//
// * kappa^2 <= 2p (this includes kappa = 0): write I_v(k) = (k/2)^v / Gamma(v+1) 0F1(; v+1; k^2/4)
//   (DLMF 10.25.2), so that the powers of kappa cancel analytically:
//     log C_p(kappa) = -log |S^{p-1}| - log 0F1(; p/2; kappa^2/4),
//     |S^{p-1}| = 2 pi^{p/2} / Gamma(p/2)  (surface area of the unit sphere).
//   The 0F1 series has positive terms with ratio z/((k+1)(b+k)) <= 1/(k+1) here (z <= b), so it
//   is dominated by the exponential series and 20 terms reach double precision and log1p keeps the small-kappa limit smooth: at kappa = 0 the value is
//   exactly the uniform density's -log |S^{p-1}|, and the first correction is -kappa^2/(2p).
// * otherwise: the Bessel form with the exponentially scaled log I from numkit.special,
//     log C_p(kappa) + kappa = (p/2 - 1) log kappa - (p/2) log(2 pi) - log_ive(p/2 - 1, kappa).
//   The "+ kappa" form (vmf_log_normalizer_e) is what logpdf needs: log C ~ -kappa is huge at
//   large kappa while log C + kappa is O(p log kappa), so logpdf = (log C + kappa) + kappa (t - 1)
//   does not lose the absolute accuracy that rounding log C to a double would cost.
//
// Both float loops compute in double (the float32 result is rounded once). p must be >= 2 (p is
// real here; the distribution needs an integer p, which the Python layer checks), kappa >= 0;
// outside the domain the result is NaN with the "invalid" flag. NaN in gives NaN out silently.
#pragma once

#include "numkit/config.hpp"
#include "numkit/error.hpp"
#include "numkit/special/log_bessel.hpp"

namespace numkit {
namespace stats {

namespace detail {

// log |S^{p-1}| = log 2 + (p/2) log pi - lgamma(p/2).
// lgamma(h) overflows near h = 2.55e305 while log |S^{p-1}| ~ -h (log h - 1 - log pi) is still
// finite up to h ~ 2.565e305; from h = 2^1000 on, Stirling's lgamma(h) = (h - 1/2) log h - h +
// log(2 pi)/2 + O(1/h) is exact to far below an ulp, and grouping h (log pi + 1 - log h) keeps
// every intermediate below the value itself.
NUMKIT_HOST_DEVICE inline double log_sphere_area(double p) {
  const double h = 0.5 * p;
  if (h >= 0x1p1000) {
    const double lh = math::log(h);
    return h * (constants<double>::ln_pi() + 1.0 - lh) + 0.5 * lh +
           (constants<double>::ln2() - 0.5 * constants<double>::ln_2pi());
  }
  return constants<double>::ln2() + h * constants<double>::ln_pi() - math::lgamma(h);
}

// log 0F1(; b; z) for 0 <= z <= b by its series (positive terms, about 20 suffice there).
NUMKIT_HOST_DEVICE inline double log_hyp0f1_small(double b, double z) {
  double term = 1.0;
  double sum = 0.0;
  for (int k = 0; k < 40; ++k) {
    term *= z / ((k + 1.0) * (b + k));
    sum += term;
    if (term <= 1e-17 * sum) break;
  }
  return math::log1p(sum);
}

// log C_p(kappa) + shift * kappa, in double, for valid (p, kappa); shift is 0 or 1.
NUMKIT_HOST_DEVICE inline double vmf_log_normalizer_shifted(double p, double kappa, double shift) {
  // (kappa < 1e150 first: kappa * kappa would raise "overflow" beyond 1.34e154 on a correct result)
  if (kappa < 1e150 && kappa * kappa <= 2.0 * p) {
    return shift * kappa - log_sphere_area(p) - log_hyp0f1_small(0.5 * p, 0.25 * kappa * kappa);
  }
  if (math::isinf(kappa)) {
    return shift == 0.0 ? -constants<double>::inf() : constants<double>::inf();
  }
  const double v = 0.5 * p - 1.0;
  const double lk = math::log(kappa);
  // v log kappa overflows for p ~ 5.07e305 and kappa near DBL_MAX where the value does not:
  // from v = 1e305 on (v log kappa < 7.1e307 below), v (log kappa - log 2 pi) - log 2 pi, which
  // never exceeds the value + log 2 pi (log_ive <= 0), replaces the two products.
  const double powers = v < 1e305
                            ? v * lk - 0.5 * p * constants<double>::ln_2pi()
                            : v * (lk - constants<double>::ln_2pi()) - constants<double>::ln_2pi();
  const double scaled = powers - special::log_ive(v, kappa);
  return shift == 0.0 ? scaled - kappa : scaled;
}

template <class T> NUMKIT_HOST_DEVICE T vmf_log_normalizer_impl(T p, T kappa, double shift) {
  if (math::isnan(p) || math::isnan(kappa)) return constants<T>::nan();
  if (!(p >= T(2)) || math::isinf(p) || !(kappa >= T(0))) return domain_error<T>();
  return static_cast<T>(
      vmf_log_normalizer_shifted(static_cast<double>(p), static_cast<double>(kappa), shift));
}

}  // namespace detail

// log C_p(kappa): the log of the vMF normalizing constant (kappa = 0: -log |S^{p-1}|).
template <class T> NUMKIT_HOST_DEVICE T vmf_log_normalizer(T p, T kappa) {
  return detail::vmf_log_normalizer_impl(p, kappa, 0.0);
}

// log C_p(kappa) + kappa: the exponentially scaled form, O(p log kappa) at large kappa.
template <class T> NUMKIT_HOST_DEVICE T vmf_log_normalizer_e(T p, T kappa) {
  return detail::vmf_log_normalizer_impl(p, kappa, 1.0);
}

}  // namespace stats
}  // namespace numkit
