"""von Mises-Fisher statistics on the unit sphere, accurate in tens of thousands of dimensions.

- :class:`VonMisesFisher` -- the frozen distribution (logpdf, pdf, rvs, entropy, mean, ...).
- :func:`fit_vmf` -- maximum-likelihood (or debiased) fit of mu and kappa; numpy, scipy.sparse
  or dask input (``VonMisesFisher.fit(X)`` returns the fitted distribution).
- :class:`VMFMixture` -- EM clustering of unit vectors with a mixture of vMF distributions, a
  scikit-learn estimator (clone, Pipeline, GridSearchCV) that accepts scipy.sparse TF-IDF rows.
- :data:`vmf_log_normalizer` -- ufunc log C_p(kappa) (and ``vmf_log_normalizer_e`` = + kappa).
"""

from ._bessel import vmf_log_normalizer, vmf_log_normalizer_e
from ._distribution import VonMisesFisher
from ._estimator import NotFittedError
from ._fit import VMFConvergenceWarning, VMFFit, fit_vmf, solve_kappa
from ._mixture import VMFMixture

__all__ = [
    "NotFittedError",
    "VMFConvergenceWarning",
    "VMFFit",
    "VMFMixture",
    "VonMisesFisher",
    "fit_vmf",
    "solve_kappa",
    "vmf_log_normalizer",
    "vmf_log_normalizer_e",
]
