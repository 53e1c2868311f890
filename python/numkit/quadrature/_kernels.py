"""Closed-form kernel integrals on an interval (Lebesgue measure) and the dense Gram matrix.

Kernels (unit amplitude, lengthscale ``ell``, ``r = |s - t|``):

=========  ====================================================================
matern12   exp(-r / ell)
matern32   (1 + u) exp(-u),                    u = sqrt(3) r / ell
matern52   (1 + u + u^2 / 3) exp(-u),          u = sqrt(5) r / ell
matern72   (1 + u + 2 u^2 / 5 + u^3 / 15) exp(-u),  u = sqrt(7) r / ell
wiener     ell + min(s, t) - a: Brownian motion pinned to 0 at a - ell
=========  ====================================================================

The Wiener variant is chosen so that its posterior mean is the piecewise-linear interpolant of the
data with a free (not pinned) value at the first node: with nodes at both ends of the domain its BQ
weights are exactly the trapezoid weights, for every ``ell > 0``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numkit._core import quadrature as _core

from .._lib.validation import numeric_array, positive_scalar
from ._validation import domain_pair, kernel_code


def kernel_mean(x: Any, *, kernel: str, lengthscale: float, domain: Any) -> np.ndarray:
    """Kernel mean ``z(x) = int_a^b k(x, t) dt`` in closed form.

    Parameters
    ----------
    x : array_like
        Points inside ``domain``.
    kernel : str
        ``"matern12"``, ``"matern32"``, ``"matern52"``, ``"matern72"`` or ``"wiener"``.
    lengthscale : float
        Kernel lengthscale (> 0); for ``"wiener"`` the offset of the pinning point.
    domain : (float, float)
        Integration interval ``(a, b)``.

    Returns
    -------
    ndarray
        ``z(x)``, float64, shape of ``x``.
    """
    code = kernel_code(kernel)
    ell = positive_scalar(lengthscale, "lengthscale")
    a, b = domain_pair(domain)
    xa = numeric_array(x, "x", complex_ok=True)
    if xa.dtype.kind == "c":
        raise TypeError("x must be real")
    xa = np.ascontiguousarray(xa, dtype=np.float64)
    if np.any((xa < a) | (xa > b)):
        raise ValueError(f"x must lie inside the domain [{a}, {b}]")
    return _core.kernel_mean(xa, code, ell, a, b)


def initial_error(*, kernel: str, lengthscale: float, domain: Any) -> float:
    """Prior standard deviation of the integral, ``sqrt(int_a^b int_a^b k(s, t) ds dt)``.

    This is the worst-case error of the zero rule over the unit ball of the kernel's RKHS. The
    closed form keeps full relative accuracy for lengthscales much longer than the interval.

    Parameters
    ----------
    kernel, lengthscale, domain
        As in :func:`kernel_mean`.

    Returns
    -------
    float
    """
    code = kernel_code(kernel)
    ell = positive_scalar(lengthscale, "lengthscale")
    a, b = domain_pair(domain)
    return float(np.sqrt(_core.initial_variance(code, ell, a, b)))


def kernel_matrix(nodes: Any, *, kernel: str, lengthscale: float, domain: Any = None) -> np.ndarray:
    """Dense Gram matrix ``K[i, j] = k(x_i, x_j)``, for diagnostics (condition numbers).

    numkit's BQ never forms or inverts this matrix; see :func:`bq_weights`.
    """
    code = kernel_code(kernel)
    ell = positive_scalar(lengthscale, "lengthscale")
    x = np.ascontiguousarray(numeric_array(nodes, "nodes", complex_ok=True), dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("nodes must be 1-D")
    a = float(x.min()) if domain is None else domain_pair(domain)[0]
    return _core.gram(x, code, ell, a)
