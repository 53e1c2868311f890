"""Input checks shared by numkit.quadrature: every error is raised here, before the C++ core."""

from __future__ import annotations

from typing import Any

import numpy as np

KERNELS = {"matern12": 0, "matern32": 1, "matern52": 2, "matern72": 3, "wiener": -1}


def kernel_code(kernel: str) -> int:
    """The C++ code of a kernel name (Matern order p, or -1 for the Wiener kernel)."""
    if not isinstance(kernel, str) or kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {sorted(KERNELS)}, got {kernel!r}")
    return KERNELS[kernel]


def domain_pair(domain: Any) -> tuple[float, float]:
    """``domain`` as a finite ``(a, b)`` with ``a < b``."""
    try:
        a, b = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain must be a pair of numbers (a, b), got {domain!r}") from None
    if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
        raise ValueError(f"domain must be finite with a < b, got ({a}, {b})")
    return a, b


def bq_nodes(
    nodes: Any, domain: Any
) -> tuple[np.ndarray, tuple[float, float], np.ndarray, np.ndarray]:
    """Checked nodes (float64, 1-D, finite, distinct, inside the domain), the domain, the sorting
    permutation and the sorted nodes. ``domain=None`` means ``(min(nodes), max(nodes))``.

    One sort serves every check (extremes, finiteness, duplicates): this runs on every call.
    """
    x = np.asarray(nodes)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"nodes must be a real numeric array, got dtype {x.dtype}")
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"nodes must be a 1-D array, got shape {x.shape}")
    if x.size == 0:
        raise ValueError("nodes must contain at least one point")
    order = np.argsort(x, kind="stable")
    s = x[order]
    lo, hi = float(s[0]), float(s[-1])  # NaN sorts last
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError("nodes must be finite (found NaN or inf)")
    if domain is None:
        if x.size < 2:
            raise ValueError("domain is required when there is a single node")
        domain = (lo, hi)
    a, b = domain_pair(domain)
    if lo < a or hi > b:
        bad = lo if lo < a else hi
        raise ValueError(f"nodes must lie inside the domain [{a}, {b}]; found {bad}")
    if x.size > 1:
        dup = s[1:] == s[:-1]
        if dup.any():
            raise ValueError(f"nodes must be distinct; {s[1:][dup][0]} appears more than once")
    return x, (a, b), order, s
