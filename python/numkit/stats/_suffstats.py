"""The vMF fit's sufficient statistics -- the weighted column sum of the rows projected onto the
sphere, the total weight and the sum of squared weights -- in one pass over numpy, scipy.sparse
or dask data.

Each row is divided by its float64 norm before summing, so rows that are unit vectors only to
float32 rounding do not bias the mean resultant length (at kappa = 10 p, a 1e-7 bias in Rbar is a
2e-6 relative bias in kappa). Rows further than 1e-6 from unit norm are rejected unless
``normalize=True``; NaN/inf rows always raise. Sparse rows stay sparse: the sum is X^T (w / |x|).

Concentrated data need a second pass. 1 - Rbar = 1 - |S| / W loses -log10(1 - Rbar) digits to
cancellation (at kappa = 1e10 p, 1 - Rbar and kappa were 1e-4 off). Where 1 - Rbar < SPREAD_BELOW
the rows are read again for their spread about the mean, D = sum_i w_i |u_i - S/W|^2
(u_i = x_i / |x_i|): 1 - Rbar = D / (W (1 + Rbar)) exactly for unit u_i (W - |S|^2 / W = D).
This is backward stable: exact for rows within 1 ulp of the given ones (see _with_gap for the
rounding of S/W), so 1 - Rbar and kappa are off by at most the data's own conditioning,
~eps / sqrt(1 - Rbar) relative (1e-10 at 1 - Rbar = 1e-12, where 1 - |S| / W was 1e-4 off).

Weights are divided by their maximum before any sum, so uniform weights of 1e-300 or 1e308 give
exactly the fit of unit weights instead of under- or overflowing (the fit depends on the weights
only through their ratios); ``SuffStats.wscale`` keeps the factor for the weighted log-likelihood.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from .._lib.backend import backend_of, is_dask_array
from .._lib.validation import float_array
from ._validate import (
    UNIT_ATOL,
    check_dim,
    check_row_norms,
    divide_rows,
    row_blocks,
    row_norms,
)

__all__ = [
    "SuffStats",
    "as_sparse_rows",
    "device_statistics",
    "gap_of",
    "sufficient_statistics",
]


SPREAD_BELOW = 1e-3  # the second pass runs where 1 - |S| / W is below this (kappa >~ 500 p)
_IDENTICAL_GAP = (16 * float(np.finfo(np.float64).eps)) ** 2  # see _with_gap


class SuffStats(NamedTuple):
    """s = sum_i w_i x_i/|x_i| (float64), sum of w, sum of w^2 (all with the weights divided by
    ``wscale``), the number of rows, ``wscale`` and 1 - |s| / wsum (from the spread of the rows
    where it is below SPREAD_BELOW)."""

    s: np.ndarray
    wsum: float
    w2sum: float
    n_rows: int
    wscale: float = 1.0
    one_minus_rbar: float = math.nan  # set by _with_gap on every path (NaN fails loudly)

    @property
    def rbar(self) -> float:
        return 1.0 - self.one_minus_rbar


def _check_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, p), got shape {shape}")
    n, p = shape
    check_dim(p)
    if n == 0:
        raise ValueError("X has no rows: a vMF fit needs at least one observation")
    return n, p


def _check_dtype(dtype: np.dtype) -> None:
    if dtype.kind not in "biuf":
        raise TypeError(f"X must be a real numeric array, got dtype {dtype}")


def as_sparse_rows(X: Any) -> sparse.csr_matrix:
    """A scipy.sparse matrix or array as CSR float64 (sparse stays sparse), dtype checked."""
    _check_dtype(X.dtype)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, p), got shape {X.shape}")
    return sparse.csr_matrix(X, dtype=np.float64)


def _check_weights(weights: object, n: int) -> tuple[np.ndarray | None, float]:
    """Weights divided by their maximum (uniform weights become exactly 1), and the maximum."""
    if weights is None:
        return None, 1.0
    w = float_array(weights, "weights").astype(np.float64, copy=False)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},) to match the rows of X, got {w.shape}")
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise ValueError("weights must be finite and >= 0")
    wmax = float(w.max())
    if wmax <= 0:
        raise ValueError("weights must not all be zero")
    return w / wmax, wmax


def sufficient_statistics(
    X: object, weights: object = None, *, normalize: bool = False
) -> SuffStats:
    """One pass over X (n, p): validation and the weighted sum of the projected rows."""
    backend = backend_of(X, weights)  # mixed CuPy and host arrays raise TypeError here
    if backend == "cupy":
        from .. import _gpu

        return device_statistics(X, weights, normalize, _gpu.require_cupy())
    if is_dask_array(X):
        return _dask_statistics(X, weights, normalize)
    if sparse.issparse(X):
        csr = as_sparse_rows(X)
        n, p = _check_shape(csr.shape)
        w, scale = _check_weights(weights, n)
        norms = row_norms(csr)
        check_row_norms(norms, normalize=normalize)
        s = _weighted_row_sum(csr, norms, w)
        return _with_gap(_finish(s, w, n, scale), lambda c: _spread(csr, w, c))
    arr = float_array(X, "X")
    n, p = _check_shape(arr.shape)
    w, scale = _check_weights(weights, n)
    s = np.zeros(p, dtype=np.float64)
    step = row_blocks(n, p).step
    for i in range(0, n, step):
        blk = arr[i : i + step]
        norms = row_norms(blk)
        check_row_norms(norms, normalize=normalize, offset=i)
        s += _weighted_row_sum(blk, norms, None if w is None else w[i : i + blk.shape[0]])
    return _with_gap(_finish(s, w, n, scale), lambda c: _spread(arr, w, c))


def _weighted_row_sum(blk: Any, norms: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """sum_i w_i x_i / |x_i| as one matrix-vector product (no n x p temporary); rows so small
    that 1/|x| overflows (|x| < 1e-300: subnormal data) are divided instead."""
    if norms.size and norms.min() < 1e-300:
        rows = divide_rows(blk, norms)
        return np.asarray(rows.sum(axis=0) if w is None else rows.T @ w).ravel()
    coef = 1.0 / norms if w is None else w / norms
    return np.asarray(blk.T @ coef, dtype=np.float64).ravel()


def _finish(s: np.ndarray, w: np.ndarray | None, n: int, scale: float) -> SuffStats:
    if w is None:
        return SuffStats(s, float(n), float(n), n, 1.0)
    return SuffStats(s, float(w.sum()), float(w @ w), n, scale)


def _with_gap(
    stats: SuffStats, spread: Callable[[np.ndarray], tuple[float, np.ndarray]]
) -> SuffStats:
    """``stats`` with 1 - Rbar (gap_of)."""
    return stats._replace(one_minus_rbar=gap_of(stats.s, stats.wsum, spread))


def gap_of(
    s: np.ndarray, wsum: float, spread: Callable[[np.ndarray], tuple[float, np.ndarray]]
) -> float:
    """1 - Rbar for the resultant ``s`` of rows of total weight ``wsum``: 1 - |s| / W, or from
    the second pass where that is below SPREAD_BELOW. ``spread(c)`` gives T = sum_i w_i
    |u_i - c|^2 and e = sum_i w_i (u_i - c) for c = s / W; D = T - |e|^2 / W is the spread about
    the exact mean (the rounding of c cancels), and 1 - Rbar = D / (W (1 + Rbar))."""
    norm_s = float(np.sqrt(s @ s))
    rbar = min(norm_s / wsum, 1.0)
    gap = 1.0 - rbar
    if 0.0 < norm_s and gap < SPREAD_BELOW:
        t, e = spread(s / wsum)
        d = t - float(e @ e) / wsum
        gap = d / (wsum * (1.0 + rbar))
        # Rows whose directions differ only by the rounding of x / |x| (about eps each, e.g.
        # one direction at several lengths) have 1 - Rbar ~ eps^2: below (16 eps)^2, i.e. an
        # angular spread under ~5e-15 rad, the rows are identical to rounding.
        if gap <= _IDENTICAL_GAP:
            gap = 0.0
    return gap


def _block_spread(blk: Any, center: Any, w: Any, xp: Any) -> tuple[Any, Any]:
    """(sum_i w_i |u_i - center|^2, sum_i w_i (u_i - center)) over the rows of a dense block,
    u_i = x_i / |x_i| (array namespace ``xp``)."""
    rows = blk.astype(xp.float64)
    _, safe = _norms_and_divisors(rows, xp)
    diff = rows / safe[:, None] - center
    d = (diff * diff).sum(axis=1)
    if w is None:
        return d.sum(), diff.sum(axis=0)
    return (d * w).sum(), (diff * w[:, None]).sum(axis=0)


def _spread(X: Any, w: Any, center: np.ndarray, xp: Any = np) -> tuple[float, np.ndarray]:
    """The second pass block by block, for a NumPy, CSR or device (``xp``: CuPy) array: T and e
    of _with_gap, on the host. Sparse rows are made dense only on the columns X uses (the centre
    is 0 elsewhere, and so is every u_i - c there): densifying all p columns took 84 s at
    n = 2000, p = 2e6."""
    n, p = X.shape
    cols = None
    if sparse.issparse(X):
        cols = np.unique(X.indices)
        X = X[:, cols]
        center = center[cols]
    c = xp.asarray(center)
    t, e = xp.zeros((), dtype=xp.float64), xp.zeros(c.size, dtype=xp.float64)
    step = row_blocks(n, c.size).step
    for i in range(0, n, step):
        blk = X[i : i + step]
        blk = blk.toarray() if sparse.issparse(blk) else blk
        bt, be = _block_spread(blk, c, None if w is None else w[i : i + step], xp)
        t, e = t + bt, e + be
    to_host = getattr(xp, "asnumpy", np.asarray)
    e_host = np.asarray(to_host(e), dtype=np.float64)
    if cols is not None:
        e_host = np.zeros(p)
        e_host[cols] = np.asarray(to_host(e), dtype=np.float64)
    return float(to_host(t)), e_host


def _norms_and_divisors(rows: Any, xp: Any) -> tuple[Any, Any]:
    """Row norms of float64 ``rows`` in the array namespace ``xp`` (dask, CuPy, NumPy), each row
    rescaled by its largest entry first so that |x| > 1e154 does not overflow, and the divisors
    that project the rows (the norms where finite and positive, else 1: those rows fail the
    checks instead)."""
    amax = xp.fabs(rows).max(axis=1)
    big = xp.where(xp.isfinite(amax) & (amax > 0), amax, 1.0)
    norms = big * xp.sqrt(((rows / big[:, None]) ** 2).sum(axis=1))
    return norms, xp.where(xp.isfinite(norms) & (norms > 0), norms, 1.0)


def _dask_statistics(X: Any, weights: Any, normalize: bool) -> SuffStats:
    import dask
    import dask.array as da

    if any(isinstance(d, float) and math.isnan(d) for d in X.shape):
        raise ValueError(
            f"X is a dask array of unknown shape {X.shape} (e.g. after boolean indexing): call "
            "X.compute_chunk_sizes() first"
        )
    n, _ = _check_shape(X.shape)
    _check_dtype(X.dtype)
    lazy_w = is_dask_array(weights)
    if lazy_w:
        if weights.shape != (n,):
            raise ValueError(f"weights must have shape ({n},), got {weights.shape}")
        if np.dtype(weights.dtype).kind not in "biuf":
            raise TypeError(f"weights must be a real numeric array, got dtype {weights.dtype}")
        raw = weights.astype(np.float64)
        scale: Any = raw.max()
        w: Any = raw / da.where(scale > 0, scale, 1.0)
        checks: tuple[Any, ...] = (scale, raw.min(), da.isfinite(raw).all(), w.sum(), (w * w).sum())
    else:
        w, scale = _check_weights(weights, n)
        checks = ()
    X64 = X.astype(np.float64)
    norms, safe = _norms_and_divisors(X64, da)
    rows = X64 / safe[:, None]
    # One compute: the sum, the n row norms (to name the first bad row, as for numpy input) and
    # the checks and sums of dask weights.
    total = rows.sum(axis=0) if w is None else (rows * w[:, None]).sum(axis=0)
    s, norms_np, *got = dask.compute(total, norms, *checks)
    if lazy_w:
        scale, wmin, wfinite, wsum, w2sum = got
        if not (wfinite and wmin >= 0 and scale > 0):
            raise ValueError("weights must be finite and >= 0, and not all zero")
    check_row_norms(np.asarray(norms_np), normalize=normalize, where=" (dask input)")
    s = np.asarray(s, dtype=np.float64)
    if w is None:
        stats = SuffStats(s, float(n), float(n), n, 1.0)
    else:
        if not lazy_w:
            wsum, w2sum = w.sum(), w @ w
        stats = SuffStats(s, float(wsum), float(w2sum), n, float(scale))

    # The second pass (concentrated data only) is a second compute of X.
    def spread(center: np.ndarray) -> tuple[float, np.ndarray]:
        t, e = dask.compute(*_block_spread(X, center, w, da))
        return float(t), np.asarray(e, dtype=np.float64)

    return _with_gap(stats, spread)


def device_statistics(X: Any, weights: Any, normalize: bool, xp: Any) -> SuffStats:
    """The statistics of a device array (CuPy), written against its array namespace ``xp``.

    The n x p pass runs on the device block by block (rows rescaled by their largest entry, as
    for dask, so that no norm over- or underflows); what comes back to the host is the p-vector
    and a few scalars, and the n row norms only when a check fails (to name the first bad row).
    ``xp = numpy`` runs the same code on the host (how the CPU test suite checks it).
    """
    to_host = getattr(xp, "asnumpy", np.asarray)
    n, p = _check_shape(tuple(X.shape))
    _check_dtype(np.dtype(X.dtype))
    w: Any = None
    scale = 1.0
    if weights is not None:
        if not hasattr(weights, "shape") or tuple(weights.shape) != (n,):
            shape = getattr(weights, "shape", None)
            raise ValueError(f"weights must have shape ({n},) to match the rows of X, got {shape}")
        if np.dtype(weights.dtype).kind not in "biuf":
            raise TypeError(f"weights must be a real numeric array, got dtype {weights.dtype}")
        raw = weights.astype(xp.float64)
        wmax, wmin, finite = (
            float(v)
            for v in to_host(
                xp.stack([raw.max(), raw.min(), xp.isfinite(raw).all().astype(xp.float64)])
            )
        )
        if not (finite and wmin >= 0):
            raise ValueError("weights must be finite and >= 0")
        if wmax <= 0:
            raise ValueError("weights must not all be zero")
        w, scale = raw / wmax, wmax
    s = xp.zeros(p, dtype=xp.float64)
    norms = xp.empty(n, dtype=xp.float64)
    step = row_blocks(n, p).step
    for i in range(0, n, step):
        blk = X[i : i + step].astype(xp.float64)
        norms[i : i + blk.shape[0]], safe = _norms_and_divisors(blk, xp)
        rows = blk / safe[:, None]
        s += rows.sum(axis=0) if w is None else rows.T @ w[i : i + blk.shape[0]]
    bad = ~xp.isfinite(norms) | (norms == 0 if normalize else xp.abs(norms - 1.0) > UNIT_ATOL)
    if bool(bad.any()):
        check_row_norms(to_host(norms), normalize=normalize, where=" (device input)")
    s_host = np.asarray(to_host(s), dtype=np.float64)
    if w is None:
        stats = SuffStats(s_host, float(n), float(n), n, 1.0)
    else:
        wsum, w2sum = (float(v) for v in to_host(xp.stack([w.sum(), w @ w])))
        stats = SuffStats(s_host, wsum, w2sum, n, float(scale))
    return _with_gap(stats, lambda c: _spread(X, w, c, xp))
