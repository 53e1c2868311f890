"""Input checks shared by numkit.quadrature: every error is raised here, before the C++ core."""

from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from numkit._core import quadrature as _core

KernelName = Literal["matern12", "matern32", "matern52", "matern72", "wiener"]
KERNELS: tuple[str, ...] = get_args(KernelName)


def kernel_code(kernel: Any) -> _core.Kernel:
    """The compiled kernel enum of a kernel name (its value is the Matern order p, -1: Wiener)."""
    if not isinstance(kernel, str) or kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {sorted(KERNELS)}, got {kernel!r}")
    return _core.Kernel.__members__[kernel]


def real_pair(value: Any, name: str) -> tuple[float, float]:
    """``value`` as two finite floats ``(lo, hi)`` with ``lo < hi`` (a sequence of exactly two
    real numbers; strings, complex values and other lengths raise ValueError naming ``name``)."""
    arr = None if isinstance(value, (str, bytes)) else np.asarray(value, dtype=object)
    if arr is None or arr.shape != (2,):
        raise ValueError(f"{name} must be a pair of numbers ({name}[0], {name}[1]), got {value!r}")
    try:
        if any(isinstance(v, (str, bytes, complex, np.complexfloating)) for v in arr):
            raise TypeError
        lo, hi = (float(v) for v in arr)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of real numbers, got {value!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or not lo < hi:
        raise ValueError(f"{name} must be finite with {name}[0] < {name}[1], got ({lo}, {hi})")
    return lo, hi


def domain_pair(domain: Any) -> tuple[float, float]:
    """``domain`` as a finite ``(a, b)`` with ``a < b``."""
    try:
        return real_pair(domain, "domain")
    except ValueError as exc:
        raise ValueError(str(exc).replace("domain[0] < domain[1]", "a < b")) from None


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
