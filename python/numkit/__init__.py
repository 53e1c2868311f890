"""numkit: accurate and fast numerical kernels for scientific Python.

Parts
-----
special
    log I_v(x), log K_v(x), their ratios and derivatives as NumPy ufuncs, finite and accurate
    where SciPy overflows.
stats
    von Mises-Fisher distributions, fitting (MLE and debiased) and mixtures on the sphere in
    up to 65536 dimensions.
splines
    Adaptive-knot cubic splines built to a stated precision (autoknots).
quadrature
    Sample-based quadrature: trapezoid/Simpson with SciPy's conventions, and Bayesian
    quadrature (Matern 1/2..7/2, Wiener) that keeps its convergence rate down to rounding.

Run ``python -m numkit demo`` for a tour and ``python -m numkit info`` for versions and backends.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("numkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
