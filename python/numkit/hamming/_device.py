"""numkit.hamming on CuPy arrays: the tiled GPU brute force (cpp/cuda/hamming.cuh) and the FFT
engine on cupy.fft.

The text stays on the device. The brute force compares it by value: text and pattern take one
integer dtype (the pattern, m symbols, is checked on the host), viewed as unsigned integers of
its width, so no alphabet remap is needed. ``k`` clips the counts at k + 1 (the kernel has no
early exit: the GPU's brute force is fast enough that it does not need one).

``method="fft"`` runs the CPU's FFT engine (`_fft.fft_matches`, every pattern symbol a
channel) on CuPy arrays and cupyx.scipy.fft: the text is remapped to dense codes on the device
(a binary search over the pattern's sorted symbols); the pattern's codes and channel tables are
made on the host (m symbols). "auto" is the brute force until a device run has calibrated the
two. eps mode hashes the codes to colours as on the CPU (the same seed gives the same colours
and the same estimates) and counts them with the brute force.
No position-list engine on the GPU yet (NotImplementedError).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numkit import _gpu
from numkit._lib.backend import backend_of, is_cupy_array

from ._encode import Encoded, _fits, encode_patterns, wildcard_value
from ._engines import _weights
from ._fft import Transforms, fft_matches

__all__ = ["device_distances"]

_DEVICE_BATCH_POINTS = 1 << 24  # text points per batch of FFT blocks (128 MiB of float64)

_WINDOWS_PER_BLOCK = _gpu.BLOCK * 4  # NUMKIT_CUDA_BLOCK * NUMKIT_HAMMING_WINDOWS (hamming.cuh)
_KERNEL = {1: "numkit_hamming_u8", 2: "numkit_hamming_u16", 4: "numkit_hamming_u32"}
_KERNEL[8] = "numkit_hamming_u64"


def _check(a: Any, name: str) -> None:
    if not is_cupy_array(a):
        raise TypeError(f"{name} must be a CuPy array on the GPU path, got {type(a).__name__}")
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.dtype(a.dtype).kind not in "biu":
        raise TypeError(f"{name} must be an integer array (int8 .. uint64), got dtype {a.dtype}")


def device_distances(text: Any, pattern: Any, opts: Any, wildcard: Any) -> Any:
    """H (n - m + 1) of CuPy ``text`` against CuPy ``pattern``, computed on the device by the
    brute-force kernel or (``opts.method == "fft"``) the FFT engine: int32, or float64 in eps
    mode (``opts``: numkit.hamming._api._Options)."""
    backend_of(text, pattern)  # mixed host and device arrays: TypeError
    _check(text, "text")
    _check(pattern, "pattern")
    cupy = _gpu.require_cupy()
    n, m = int(text.size), int(pattern.size)
    from ._api import _without_vacuous_k

    opts = _without_vacuous_k(opts, m)  # k >= m clips nothing; keeps k out of the int64 bound
    if m > n:
        raise ValueError(f"pattern is longer than text: len(pattern) = {m} > len(text) = {n}")
    if m >= 2**31:
        raise ValueError(f"the GPU path counts in int32: len(pattern) must be < 2**31, got {m}")
    text, pattern = (a.view(np.uint8) if a.dtype.kind == "b" else a for a in (text, pattern))
    # The text keeps its dtype when every pattern symbol fits it (checked on the host: m values),
    # as on the CPU; otherwise both are widened to a common integer dtype.
    dtype = np.dtype(text.dtype)
    if pattern.dtype != dtype and not bool(np.all(_fits(cupy.asnumpy(pattern), dtype))):
        dtype = np.promote_types(dtype, pattern.dtype)
        if dtype.kind not in "iu":  # uint64 with a signed type: no integer type holds both
            raise TypeError(
                f"text ({text.dtype}) and pattern ({pattern.dtype}) have no common integer "
                "dtype on the GPU path; cast them to one"
            )
    ts = cupy.ascontiguousarray(text.astype(dtype, copy=False))
    ps = cupy.ascontiguousarray(pattern.astype(dtype, copy=False))
    wv = wildcard_value(wildcard, "int")
    wv = wv if wv is not None and bool(_fits(wv, dtype)) else None  # else it never occurs
    if opts.eps is not None or opts.method == "fft":
        # Dense codes numbered from the symbols' own (signed) values, as on the CPU: the same
        # seed then gives the same colours and estimates.
        enc = _device_encode(cupy, ts, ps, wv)
        if opts.method == "fft" and opts.eps is None:
            return _fft_distances(cupy, enc, opts.k)
        from ._api import _solve

        def exact(enc: Encoded, k: int | None) -> Any:
            return _brute(cupy, enc.text, cupy.asarray(enc.patterns[0]), enc.wild, k)[None, :]

        return _solve(enc, opts, exact)[0]
    # The brute force compares the unsigned views of the values (the wildcard as its bits).
    udt = np.dtype(f"u{dtype.itemsize}")
    wild = -1 if wv is None else int(np.array(wv, dtype=dtype).view(udt))
    return _brute(cupy, ts.view(udt), ps.view(udt), wild, opts.k)


def _brute(cupy: Any, t: Any, p: Any, wild: int, k: int | None) -> Any:
    """The brute-force kernel: t, p contiguous unsigned CuPy arrays of one width, wild as the
    kernel's unsigned value (0 .. 2**64 - 1) or -1 for none; int32 counts, clipped at k + 1
    with k."""
    n, m = int(t.size), int(p.size)
    nw = n - m + 1
    out = cupy.empty(nw, dtype=np.int32)
    fn = _gpu.module_function("hamming", _KERNEL[np.dtype(t.dtype).itemsize])
    blocks = _gpu._launch_grid(cupy, -(-nw // _WINDOWS_PER_BLOCK) * _gpu.BLOCK)
    bound = -1 if k is None else int(k)
    fn(
        (blocks,),
        (_gpu.BLOCK,),
        # (the wildcard as has_wild and its unsigned bits: a uint64 symbol >= 2**63 is no int64)
        (
            t,
            np.int64(n),
            p,
            np.int64(m),
            np.int32(wild >= 0),
            np.uint64(max(wild, 0)),
            np.int64(bound),
            out,
        ),
    )
    return out


def _device_encode(cupy: Any, t: Any, p: Any, wildcard: int | None) -> Encoded:
    """The problem as dense codes (`_encode`'s numbering, from `encode_patterns`): the text's on
    the device (a binary search over the pattern's sorted symbols), the pattern's (1, m) on the
    host. ``t``, ``p``: contiguous arrays of one integer dtype; ``wildcard`` a value of it."""
    pc = encode_patterns(cupy.asnumpy(p)[None, :], wildcard)
    s = pc.n_symbols
    # Text codes: a pattern symbol's rank, `other` (s) for every other symbol, s + 1 the wildcard.
    d_syms = cupy.asarray(pc.symbols)
    rank = cupy.searchsorted(d_syms, t) if s else cupy.zeros(t.shape, dtype=np.int64)
    found = d_syms[cupy.minimum(rank, max(s - 1, 0))] == t if s else cupy.zeros(t.shape, bool)
    codes = cupy.where(found, rank, s)
    if wildcard is not None:
        codes = cupy.where(t == t.dtype.type(wildcard), pc.wild, codes)
    codes = cupy.ascontiguousarray(codes.astype(pc.dtype))
    return Encoded(codes, pc.codes, s, pc.wild)


def _fft_distances(cupy: Any, enc: Encoded, k: int | None) -> Any:
    """The FFT engine on the device's codes (every pattern symbol a channel)."""
    import cupyx.scipy.fft as cufft  # type: ignore[import-not-found]

    channel_codes = list(range(enc.n_symbols)) + ([enc.wild] if enc.wild >= 0 else [])
    channels = [(c, _weights(enc, c, 1)) for c in channel_codes]
    tr = Transforms(cupy, cufft.rfft, cufft.irfft, _DEVICE_BATCH_POINTS)
    pc = enc.patterns[0]
    m_eff = int(pc.size) - (int(np.count_nonzero(pc == enc.wild)) if enc.wild >= 0 else 0)
    matches = fft_matches(enc.text, enc.patterns, channels, enc.other, tr)[0]
    h = (m_eff - matches).astype(np.int32)
    return h if k is None else cupy.minimum(h, k + 1)
