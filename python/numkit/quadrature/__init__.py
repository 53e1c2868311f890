"""Quadrature of sampled values.

Rules with SciPy's conventions (:func:`trapezoid`, :func:`simpson`, :func:`cumulative_trapezoid`)
and Bayesian quadrature (:func:`bq_weights`, :class:`BayesianQuadrature`) for the Matern-1/2 ...
7/2 and Wiener kernels on an interval, computed through the kernels' state-space form: no jitter,
no error plateau, the error falls at the theoretical rate down to rounding.

Kernel integrals: :func:`kernel_mean`, :func:`initial_error`; diagnostics: :func:`kernel_matrix`.
"""

from ._bayesian import (
    BayesianQuadrature,
    BQIntegral,
    BQLengthscaleWarning,
    BQWeights,
    LengthscaleFit,
    bq_weights,
)
from ._centred import centred_bq_weights
from ._gregory import gregory, gregory_weights
from ._kernels import initial_error, kernel_matrix, kernel_mean
from ._newton_cotes import cumulative_trapezoid, simpson, trapezoid

__all__ = [
    "BQIntegral",
    "BQLengthscaleWarning",
    "BQWeights",
    "BayesianQuadrature",
    "LengthscaleFit",
    "bq_weights",
    "centred_bq_weights",
    "cumulative_trapezoid",
    "gregory",
    "gregory_weights",
    "initial_error",
    "kernel_matrix",
    "kernel_mean",
    "simpson",
    "trapezoid",
]
