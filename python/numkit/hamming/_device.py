"""numkit.hamming on CuPy arrays: the tiled GPU brute force (cpp/cuda/hamming.cuh).

The text stays on the device and is compared by value: text and pattern take one integer dtype
(the pattern, m symbols, is checked on the host), viewed as unsigned integers of its width, so
no alphabet remap is needed. ``k`` clips the counts at k + 1 (the kernel has no early exit:
the GPU's brute force is fast enough that it does not need one). No FFT engine and no ``eps``
mode on the GPU yet: those raise NotImplementedError naming what is missing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numkit import _gpu
from numkit._lib.backend import backend_of, is_cupy_array

from ._encode import _fits, wildcard_value

__all__ = ["device_distances"]

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


def device_distances(text: Any, pattern: Any, k: int | None, wildcard: Any) -> Any:
    """H (int32, n - m + 1) of CuPy ``text`` against CuPy ``pattern``, computed on the device."""
    backend_of(text, pattern)  # mixed host and device arrays: TypeError
    _check(text, "text")
    _check(pattern, "pattern")
    cupy = _gpu.require_cupy()
    n, m = int(text.size), int(pattern.size)
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
    t = text.astype(dtype, copy=False)
    p = pattern.astype(dtype, copy=False)
    udt = np.dtype(f"u{dtype.itemsize}")
    t = cupy.ascontiguousarray(t).view(udt)
    p = cupy.ascontiguousarray(p).view(udt)
    wv = wildcard_value(wildcard, "int")
    wild = -1
    if wv is not None and bool(_fits(wv, dtype)):
        wild = int(np.array(wv, dtype=dtype).view(udt))  # as the kernel's unsigned value
    nw = n - m + 1
    out = cupy.empty(nw, dtype=np.int32)
    fn = _gpu.module_function("hamming", _KERNEL[udt.itemsize])
    blocks = _gpu._launch_grid(cupy, -(-nw // _WINDOWS_PER_BLOCK) * _gpu.BLOCK)
    bound = -1 if k is None else int(k)
    fn(
        (blocks,),
        (_gpu.BLOCK,),
        (t, np.int64(n), p, np.int64(m), np.int64(wild), np.int64(bound), out),
    )
    return out
