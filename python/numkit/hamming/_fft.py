"""The FFT engine: exact match counts by real-FFT cross-correlation (scipy.fft), overlap-save.

For a channel (text code c, pattern indicator y_c) the matches it contributes to window i are
corr_c[i] = sum_j [T[i+j] == c] y_c[j]; summing over channels gives the window's matches. Blocks
of L ~ 8m text positions (L a fast FFT length) give L - m + 1 windows each (overlap-save); all
blocks of a batch go through one 2-D ``rfft`` call. With ``workers`` > 1 the batches run in
that many threads at once (each transform single-threaded), so that the elementwise work around
the transforms (the gather of the blocks, products, rounding; NumPy releases the GIL for it) is
shared too, not only the transforms: workers=2 gave 1.07x when only the transforms were threaded.
Each block's values do not depend on how the blocks are batched, so the result is the same for
any ``workers``.

Packing: G channels share one transform in b = ceil(log2(m + 1))-bit slots. With
x = sum_g 2^(b g) [T == c_g] and y = sum_h 2^(b (G-1-h)) y_h, the correlation is
sum_{g,h} 2^(b (G-1+g-h)) C_gh, where C_gh[i] counts pairs (T[i+j] = c_g, y_h[j] = 1): slot G-1
holds the wanted sum_g C_gg, and every slot holds at most m (each j pairs with one g and one h),
so the value is an integer below 2^(b (2G-1)). G is the largest with b (2G-1) <= 42 bits, which
leaves float64 about 11 bits above the FFT's rounding error (its error grows like eps * 2^42 *
log2 L, below 0.01 here); spectra of all groups are summed before the one inverse transform per
batch. The rounding residual is checked on every batch: above 0.25 the batch is recomputed
unpacked (G = 1), so a lost bit cannot pass silently.

The same code runs on the GPU: `Transforms` names the array module and the FFT functions
(NumPy + scipy.fft with ``workers`` on the host, CuPy + cupyx.scipy.fft on the device).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft as sfft

from numkit._core import hamming as _core

__all__ = ["Transforms", "block_length", "fft_matches", "host_transforms", "slots_per_transform"]

_MAX_BITS = 42
_BATCH_POINTS = 1 << 20  # text points per batch of blocks (8 MiB of float64)


@dataclass(frozen=True)
class Transforms:
    """Where the FFT engine runs: an array module, its real FFTs, text points per batch."""

    xp: Any
    rfft: Callable[..., Any]
    irfft: Callable[..., Any]
    batch_points: int = _BATCH_POINTS
    threads: int = 1  # batches run at once (host only)


def host_transforms(workers: int) -> Transforms:
    """NumPy arrays and scipy.fft, batches in ``workers`` threads."""
    return Transforms(
        np,
        functools.partial(sfft.rfft, workers=1),
        functools.partial(sfft.irfft, workers=1),
        threads=max(1, workers),
    )


def slots_per_transform(m: int) -> int:
    """G: channels packed per transform at pattern length m."""
    b = max(1, math.ceil(math.log2(m + 1)))
    return max(1, (_MAX_BITS // b + 1) // 2)


def block_length(n: int, m: int) -> int:
    """Overlap-save block length: a fast length near 8 m, no longer than the text needs."""
    return sfft.next_fast_len(min(max(8 * m, 256), n), real=True)


def fft_matches(
    text: np.ndarray,
    patterns: np.ndarray,
    channels: list[tuple[int, np.ndarray]],
    pad: int,
    tr: Transforms,
) -> Any:
    """Matches per window from the FFT channels, shape (p, n - m + 1), integer-valued float64.

    ``text`` (n,) codes, an array of ``tr.xp``; ``patterns`` (p, m) codes, host (NumPy);
    ``channels``: (text code c, pattern weights w) pairs, where w is a 0/1 table over pattern
    codes (y_c[j] = w[P[j]]), one table per pattern, shape (p, n_codes). ``pad``: a code that
    is no channel's text code (fills the last block).
    """
    xp = tr.xp
    n = int(text.size)
    p, m = patterns.shape
    nw = n - m + 1
    out = xp.empty((p, nw), dtype=np.float64)  # integers, exact
    if not channels:
        out[:] = 0
        return out
    L = block_length(n, m)
    step = L - m + 1
    nb = -(-nw // step)
    padded = xp.zeros(nb * step + m - 1, dtype=text.dtype)
    padded[:n] = text
    padded[n:] = pad  # the `other` code: no channel's text code
    size = padded.itemsize  # the blocks overlap by m - 1 (read only)
    blocks = xp.lib.stride_tricks.as_strided(padded, shape=(nb, L), strides=(step * size, size))
    G = slots_per_transform(m)
    per_batch = max(1, tr.batch_points // (L * max(1, p)))
    if tr.threads > 1:  # at least one batch per thread, of even sizes
        per_batch = -(-nb // max(tr.threads, -(-nb // per_batch)))

    spectra = _pattern_spectra(patterns, channels, m, L, G, tr)  # the same for every batch

    def run(b0: int) -> None:
        b1 = min(nb, b0 + per_batch)
        vals = _batch(blocks[b0:b1], patterns, channels, m, L, spectra, tr)
        flat = vals.reshape(p, -1)
        lo = b0 * step
        hi = min(nw, b1 * step)
        out[:, lo:hi] = flat[:, : hi - lo]  # (disjoint windows per batch)

    starts = range(0, nb, per_batch)
    if tr.threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=min(tr.threads, len(starts))) as pool:
            list(pool.map(run, starts))  # (list: re-raises a batch's exception)
    else:
        for b0 in starts:
            run(b0)
    return out


@dataclass(frozen=True)
class _Spectra:
    """The pattern side of one packing: per group of G channels, the text weights (n_codes,)
    and the patterns' transforms (p, L // 2 + 1)."""

    G: int
    groups: list[tuple[np.ndarray, Any]]


def _pattern_spectra(
    patterns: np.ndarray,
    channels: list[tuple[int, np.ndarray]],
    m: int,
    L: int,
    G: int,
    tr: Transforms,
) -> _Spectra:
    """Per group of G channels: x's weights over text codes, and the transforms of the patterns'
    packed, reversed indicators y (computed once per call, not once per batch)."""
    xp = tr.xp
    p = patterns.shape[0]
    n_codes = channels[0][1].shape[-1]
    b = max(1, math.ceil(math.log2(m + 1)))
    groups = []
    for g0 in range(0, len(channels), G):
        group = channels[g0 : g0 + G]
        wt = np.zeros(n_codes, dtype=np.float64)
        pw = np.zeros((p, n_codes), dtype=np.float64)
        for g, (code, weights) in enumerate(group):
            wt[code] = float(2 ** (b * g))
            pw += weights * float(2 ** (b * (G - 1 - g)))
        y = np.take_along_axis(pw, patterns.astype(np.intp), axis=1)[:, ::-1]
        groups.append((wt, tr.rfft(xp.asarray(np.ascontiguousarray(y)), n=L, axis=-1)))
    return _Spectra(G, groups)


def _batch(
    blocks: np.ndarray,
    patterns: np.ndarray,
    channels: list[tuple[int, np.ndarray]],
    m: int,
    L: int,
    spectra: _Spectra,
    tr: Transforms,
) -> Any:
    """Match counts (p, nbb, step) for one batch of blocks, packed spectra.G channels per
    transform; a batch whose rounding check fails is redone unpacked (G = 1)."""
    xp = tr.xp
    p = patterns.shape[0]
    G = spectra.G
    b = max(1, math.ceil(math.log2(m + 1)))
    acc: Any = None
    for wt, Y in spectra.groups:
        x = _core.block_weights(blocks, wt) if xp is np else xp.asarray(wt)[blocks]
        X = tr.rfft(x, axis=-1)
        if acc is None:
            acc = X[None] * Y[:, None, :]
        else:
            for q in range(p - 1):
                acc[q] += X * Y[q]
            xp.multiply(X, Y[p - 1], out=X)  # the last pattern reuses X's memory
            acc[p - 1] += X
    assert acc is not None
    full = tr.irfft(acc, n=L, axis=-1)

    def unpacked() -> Any:
        return _batch(
            blocks, patterns, channels, m, L, _pattern_spectra(patterns, channels, m, L, 1, tr), tr
        )

    if xp is np:  # one C++ pass (the same rounding, check and slot as below)
        v, err = _core.unpack_slots(full.reshape(-1, L), m - 1, b, G)
        if G > 1 and v.size and err > 0.25:
            return unpacked()
        return v.reshape((*full.shape[:-1], L - m + 1))
    r = full[..., m - 1 :]
    v = xp.rint(r)
    xp.subtract(r, v, out=r)
    xp.abs(r, out=r)
    if G > 1 and r.size and float(r.max()) > 0.25:
        return unpacked()
    if G > 1:
        v *= 2.0 ** (-b * (G - 1))  # exact: a power of two; slot G-1 is then the integer part
        xp.floor(v, out=v)
        v -= xp.floor(v * 2.0**-b) * 2.0**b
    return v
