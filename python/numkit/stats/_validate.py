"""Input checks shared by the vMF distribution, the fit and the mixture.

Everything here raises TypeError/ValueError with a message before any numerical work starts.
"""

from __future__ import annotations

import numbers

import numpy as np

UNIT_ATOL = 1e-6  # how far a row's Euclidean norm may be from 1 before it is rejected
_BLOCK = 1 << 21  # elements per block when scanning big arrays (bounds temporaries to ~16 MB)

__all__ = [
    "UNIT_ATOL",
    "check_dim",
    "check_kappa",
    "row_blocks",
    "unit_rows",
]


def check_dim(p: int) -> None:
    """The sphere S^{p-1} needs p >= 2."""
    if p < 2:
        raise ValueError(
            f"the data have dimension p = {p}: the von Mises-Fisher distribution lives on the unit "
            "sphere in R^p and needs p >= 2 (in R^1 the 'sphere' is the two points -1 and +1)"
        )


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
    return k


def row_blocks(n: int, p: int) -> range:
    """Row offsets of blocks of about _BLOCK elements."""
    step = max(1, _BLOCK // max(p, 1))
    return range(0, n, step)


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
        norms[i : i + blk.shape[0]] = np.sqrt(np.einsum("ij,ij->i", blk, blk, dtype=np.float64))
    bad = ~np.isfinite(norms)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} has a row with NaN or inf (row {row} of the flattened rows)")
    if normalize:
        if (norms == 0).any():
            row = int(np.flatnonzero(norms == 0)[0])
            raise ValueError(f"{name} row {row} is zero: it has no direction to normalize")
        out = flat / norms[:, None].astype(x.dtype)
        return out.reshape(x.shape)
    dev = np.abs(norms - 1.0)
    if n and dev.max() > UNIT_ATOL:
        row = int(np.argmax(dev))
        raise ValueError(
            f"{name} rows must be unit vectors (|norm - 1| <= {UNIT_ATOL:g}); row {row} has norm "
            f"{norms[row]:.9g}. Pass normalize=True to project the rows onto the sphere."
        )
    return x
