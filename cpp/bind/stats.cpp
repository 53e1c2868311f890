// bind/stats.cpp -- numkit.stats's compiled functions: the vMF log normalizer as ufuncs.
#include "numkit/stats/vmf.hpp"
#include "bind/parts.hpp"
#include "bind/ufunc.hpp"

namespace numkit {

namespace {
constexpr const char* kLogNormalizerDoc =
    "vmf_log_normalizer(p, kappa, /, out=None, *, where=True, ...)\n\n"
    "Log of the von Mises-Fisher normalizing constant on the unit sphere in R^p:\n\n"
    "    log C_p(kappa) = (p/2 - 1) log kappa - (p/2) log(2 pi) - log I_{p/2-1}(kappa),\n\n"
    "so that the density is C_p(kappa) exp(kappa mu.x). kappa = 0 gives -log of the sphere's\n"
    "surface area (the uniform density), with a smooth small-kappa limit. Finite for p >= 2 and\n"
    "0 <= kappa < inf (kappa = inf gives -inf); p < 2 or kappa < 0 give NaN and the 'invalid'\n"
    "floating-point flag; NaN in gives NaN out. float32 and float64 loops, computed in double.";

constexpr const char* kLogNormalizerEDoc =
    "vmf_log_normalizer_e(p, kappa, /, out=None, *, where=True, ...)\n\n"
    "Exponentially scaled vMF log normalizer: log C_p(kappa) + kappa. It stays O(p log kappa)\n"
    "where log C_p(kappa) ~ -kappa is large, so logpdf = vmf_log_normalizer_e(p, kappa)\n"
    "+ kappa (mu.x - 1) keeps full accuracy near the mode. Same domain as vmf_log_normalizer.";
}  // namespace

namespace bind {
void stats(pybind11::module_& m) {
  using namespace numkit::ufunc;
  add_ufunc<Elementwise<&stats::vmf_log_normalizer<float>>,
            Elementwise<&stats::vmf_log_normalizer<double>>>(m, "vmf_log_normalizer",
                                                             kLogNormalizerDoc);
  add_ufunc<Elementwise<&stats::vmf_log_normalizer_e<float>>,
            Elementwise<&stats::vmf_log_normalizer_e<double>>>(m, "vmf_log_normalizer_e",
                                                               kLogNormalizerEDoc);
}

}  // namespace bind

}  // namespace numkit
