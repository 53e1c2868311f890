"""Input checks shared by the vMF distribution, the fit and the mixture.

Everything here raises TypeError/ValueError with a message before any numerical work starts.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import numpy as np
from scipy import sparse

from numkit._lib.validation import check_count

MAX_DIM = 2.0**53  # largest p for which p (and p/2 - 1) are exact in double precision
UNIT_ATOL = 1e-6  # how far a row's Euclidean norm may be from 1 before it is rejected
_BLOCK = 1 << 21  # elements per block when scanning big arrays (bounds temporaries to ~16 MB)

__all__ = [
    "MAX_DIM",
    "UNIT_ATOL",
    "check_count",
    "check_dim",
    "check_kappa",
    "check_real",
    "check_row_norms",
    "check_size",
    "divide_rows",
    "one_minus_dot",
    "row_blocks",
    "row_norms",
    "unit_rows",
]


def check_dim(p: int) -> None:
    """The sphere S^{p-1} needs p >= 2."""
    if p < 2:
        raise ValueError(
            f"the data have dimension p = {p}: the von Mises-Fisher distribution lives on the unit "
            "sphere in R^p and needs p >= 2 (in R^1 the 'sphere' is the two points -1 and +1)"
        )


def check_real(value: object, name: str) -> float:
    """A real scalar (Python/NumPy int or float, or a 0-d real array) as a float; TypeError for
    strings, booleans, complex numbers and arrays. NaN and inf pass: the caller decides."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got a boolean {value!r}")
    if not isinstance(value, (numbers.Real, np.integer, np.floating)):
        arr = np.asarray(value) if isinstance(value, np.ndarray) else None
        if arr is None or arr.ndim != 0 or arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
        value = arr[()]
    return float(value)


def check_size(size: Any) -> tuple[int, ...]:
    """A sample shape: None -> (), an int -> (n,), a sequence of ints -> tuple; >= 0 each."""
    if size is None:
        return ()
    shape: tuple[int, ...]
    try:
        shape = (operator.index(size),)
    except TypeError:
        if isinstance(size, (str, bytes)) or not hasattr(size, "__iter__"):
            raise TypeError(
                f"size must be None, a non-negative integer or a tuple of them, got "
                f"{type(size).__name__} {size!r}"
            ) from None
        try:
            shape = tuple(operator.index(s) for s in size)
        except TypeError:
            raise TypeError(
                f"size must be None, a non-negative integer or a tuple of them, got {size!r}"
            ) from None
    if any(s < 0 for s in shape):
        raise ValueError(f"size must be non-negative, got {size!r}")
    return shape


def check_kappa(kappa: object) -> float:
    """A concentration: a finite real number >= 0."""
    if isinstance(kappa, (bool, np.bool_)) or not isinstance(kappa, (numbers.Real, np.number)):
        arr = np.asarray(kappa)
        if arr.ndim != 0 or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"kappa must be a real scalar, got {type(kappa).__name__}")
        kappa = arr[()]
    if isinstance(kappa, (complex, np.complexfloating)):
        raise TypeError("kappa must be real, got a complex number")
    k = float(kappa)
    if not np.isfinite(k) or k < 0:
        raise ValueError(f"kappa must be finite and >= 0, got {k}")
    return k + 0.0  # (-0.0 becomes 0.0)


def row_blocks(n: int, p: int) -> range:
    """Row offsets of blocks of about _BLOCK elements."""
    step = max(1, _BLOCK // max(p, 1))
    return range(0, n, step)


_SQ_TINY = 2.0**-960  # sum of squares below this may have lost digits to underflow


def row_norms(blk: Any) -> np.ndarray:
    """Euclidean norms of the rows of a 2-D block in float64, also where the sum of squares would
    overflow (|x| > 1e154) or underflow (subnormal rows): those rows are rescaled by their largest
    entry first. NaN/inf rows give NaN/inf. ``blk`` may be a scipy.sparse CSR matrix."""
    if sparse.issparse(blk):
        sq = np.asarray(blk.multiply(blk).sum(axis=1), dtype=np.float64).ravel()
    else:
        sq = np.einsum("ij,ij->i", blk, blk, dtype=np.float64)
    norms = np.sqrt(sq)
    redo = ~(np.isfinite(sq) & (sq >= _SQ_TINY))
    if redo.any():
        for i in np.flatnonzero(redo):
            row = blk[i]
            vals = row.data if sparse.issparse(row) else np.asarray(row)
            vals = np.abs(vals.astype(np.float64).ravel())
            scale = vals.max() if vals.size else 0.0
            if not (np.isfinite(scale) and scale > 0):  # a NaN/inf entry, or a zero row
                norms[i] = 0.0 if scale == 0 else np.nan
                continue
            norms[i] = scale * math.sqrt(float(np.sum((vals / scale) ** 2)))
    return norms


def divide_rows(blk: Any, norms: np.ndarray) -> Any:
    """The rows of ``blk`` (dense 2-D or CSR) divided by ``norms`` in float64: a division, not a
    multiplication by 1/norm, which overflows for subnormal rows."""
    if sparse.issparse(blk):
        out = sparse.csr_matrix(blk, dtype=np.float64, copy=True)
        out.data /= np.repeat(norms, np.diff(out.indptr))
        return out
    return blk.astype(np.float64, copy=False) / norms[:, None]


def unit_rows(x: np.ndarray, *, normalize: bool, name: str = "X") -> np.ndarray:
    """Check (or make) the rows of ``x`` (shape (..., p)) unit vectors; NaN/inf rows raise.

    Returns ``x`` itself when it already passes, or a normalized copy when ``normalize=True``.
    Norms are accumulated in float64 block by block, so float32 data is judged by its true norm.
    """
    if x.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (the last one is p)")
    p = x.shape[-1]
    check_dim(p)
    flat = x.reshape(-1, p)
    n = flat.shape[0]
    norms = np.empty(n, dtype=np.float64)
    for i in row_blocks(n, p):
        blk = flat[i : i + max(1, _BLOCK // p)]
        norms[i : i + blk.shape[0]] = row_norms(blk)
    check_row_norms(norms, normalize=normalize, name=name, where=" of the flattened rows")
    if normalize:
        out = flat / norms[:, None].astype(x.dtype)
        return out.reshape(x.shape)
    return x


def check_row_norms(
    norms: np.ndarray, *, normalize: bool, name: str = "X", offset: int = 0, where: str = ""
) -> None:
    """Raise for rows (float64 ``norms``, first row numbered ``offset``) that are NaN/inf, zero
    (when ``normalize``: no direction) or further than UNIT_ATOL from 1 (unless ``normalize``)."""
    bad = ~np.isfinite(norms)
    if bad.any():
        row = offset + int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} has a row with NaN or inf (row {row}{where})")
    if normalize:
        if (norms == 0).any():
            row = offset + int(np.flatnonzero(norms == 0)[0])
            raise ValueError(f"{name} row {row}{where} is zero: it has no direction to normalize")
        return
    dev = np.abs(norms - 1.0)
    if dev.size and dev.max() > UNIT_ATOL:
        row = int(np.argmax(dev))
        raise ValueError(
            f"{name} rows must be unit vectors (|norm - 1| <= {UNIT_ATOL:g}); row {offset + row}"
            f"{where} has norm {norms[row]:.9g}. Pass normalize=True to project the rows onto the "
            "sphere."
        )


# Above this kappa, kappa (1 - mu.x) is formed from the differences: 1 - t loses eps absolute, so
# kappa (1 - t) loses kappa eps (2e-12 nats at 1e4, 2e-8 at 1e8, 0.5 at 1e16).
_EXACT_GAP_KAPPA = 1e4


def one_minus_dot(
    U: Any, means: np.ndarray, t: np.ndarray, kappas: Any, norms: np.ndarray | None = None
) -> np.ndarray:
    """1 - t for t = u . mu_k, the rows u of ``U`` ((n, p), dense or sparse; divided by
    ``norms`` when given) against unit ``means`` (K, p); t: (n, K), already of the divided
    rows. To full relative accuracy where it matters: for kappa_k > 1e4, the rows with t > 0.5 take
    |u - mu_k|^2 / 2, which equals 1 - u.mu_k for unit vectors and, unlike 1 - t, keeps its
    relative accuracy near the mode (an error eps in |u| moves it by eps relative)."""
    gap = 1.0 - t
    kap = np.broadcast_to(np.asarray(kappas, dtype=np.float64), (means.shape[0],))
    step = max(1, _BLOCK // max(U.shape[1], 1))
    for k in np.flatnonzero(kap > _EXACT_GAP_KAPPA):
        near = np.flatnonzero(t[:, k] > 0.5)
        for i in range(0, near.size, step):
            rows = near[i : i + step]
            sub = U[rows]  # (a sparse matrix's rows are densified a block at a time)
            u = sub.toarray() if hasattr(sub, "toarray") else np.asarray(sub, dtype=np.float64)
            u = u.astype(np.float64, copy=False)
            if norms is not None:
                u = u / norms[rows, None]
            d = u - means[k]
            gap[rows, k] = 0.5 * np.einsum("ij,ij->i", d, d)
    return gap
