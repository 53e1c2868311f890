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

import numpy as np
import numpy.typing as npt

from numkit._core import quadrature as _core

from .._lib.validation import numeric_array
from ._bayesian import _lengthscale
from ._validation import KernelName, domain_pair, kernel_code


def kernel_mean(
    x: npt.ArrayLike, *, kernel: KernelName, lengthscale: float, domain: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """Kernel mean ``z(x) = int_a^b k(x, t) dt`` in closed form.

    Parameters
    ----------
    x : array_like
        Points inside ``domain`` (NaN gives NaN).
    kernel : {"matern12", "matern32", "matern52", "matern72", "wiener"}
        The kernel.
    lengthscale : float
        Kernel lengthscale in [1e-300, 1e300]; for ``"wiener"`` the offset of the pinning point.
    domain : (float, float)
        Integration interval ``(a, b)``.

    Returns
    -------
    ndarray
        ``z(x)``, float64, shape of ``x``.
    """
    code = kernel_code(kernel)
    ell = _lengthscale(lengthscale)
    a, b = domain_pair(domain)
    xa = numeric_array(x, "x", complex_ok=True)
    if xa.dtype.kind == "c":
        raise TypeError("x must be real")
    xa = np.ascontiguousarray(xa, dtype=np.float64)
    if np.any((xa < a) | (xa > b)):  # NaN passes (NaN out)
        raise ValueError(f"x must lie inside the domain [{a}, {b}]")
    return _core.kernel_mean(xa, code, ell, a, b)


def initial_error(*, kernel: KernelName, lengthscale: float, domain: tuple[float, float]) -> float:
    """Prior standard deviation of the integral, ``sqrt(int_a^b int_a^b k(s, t) ds dt)``.

    This is the worst-case error of the zero rule over the unit ball of the kernel's RKHS. The
    closed form keeps full relative accuracy for every lengthscale in [1e-300, 1e300] (the
    interval length is factored out: no lengthscale^2 is formed).

    Parameters
    ----------
    kernel, lengthscale, domain
        As in :func:`kernel_mean`.

    Returns
    -------
    float
    """
    code = kernel_code(kernel)
    ell = _lengthscale(lengthscale)
    a, b = domain_pair(domain)
    return float(_core.initial_error(code, ell, a, b))  # closed forms: any scale


def kernel_matrix(
    nodes: npt.ArrayLike,
    *,
    kernel: KernelName,
    lengthscale: float,
    domain: tuple[float, float] | None = None,
) -> npt.NDArray[np.float64]:
    """Dense Gram matrix ``K[i, j] = k(x_i, x_j)``, for diagnostics (condition numbers).

    numkit's BQ never forms or inverts this matrix; see :func:`bq_weights`. ``domain`` matters
    for ``"wiener"`` only (its pinning point is ``domain[0] - lengthscale``; default
    ``min(nodes)``). No nodes give a (0, 0) matrix.
    """
    code = kernel_code(kernel)
    ell = _lengthscale(lengthscale)
    x = numeric_array(nodes, "nodes")
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"nodes must be 1-D, got shape {x.shape}")
    if domain is not None:
        a = domain_pair(domain)[0]
    elif x.size:
        a = float(np.nanmin(x)) if not np.all(np.isnan(x)) else 0.0
    else:
        a = 0.0
    return _core.gram(x, code, ell, a)
