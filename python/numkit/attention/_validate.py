"""Input checks of numkit.attention: shapes, dtypes, finiteness, masks, windows and workers.

Everything is checked here, before C++: each error names the argument and what is allowed.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from numkit._lib.validation import float_array

Mask = Literal["causal"]
Method = Literal["auto", "exact", "poly"]

# Mask modes of the C++ core (numkit/attention/online_softmax.hpp).
MASK_NONE, MASK_CAUSAL, MASK_WINDOW = 0, 1, 2

_NAMES = ("Q", "K1", "K2", "V1", "V2")


@dataclass(frozen=True)
class Prepared:
    """Validated inputs: float64 C-contiguous 3-D arrays (batch, rows, features)."""

    arrays: tuple[np.ndarray, ...]  # Q, K1, K2, V1, V2 (and dout when given)
    batch_shape: tuple[int, ...]
    shapes: tuple[tuple[int, ...], ...]  # the original shapes (for unbroadcasting gradients)
    dtype: np.dtype
    scale: float
    mode: int
    w1: int
    w2: int

    @property
    def nq(self) -> int:
        return self.arrays[0].shape[1]

    @property
    def n1(self) -> int:
        return self.arrays[1].shape[1]

    @property
    def n2(self) -> int:
        return self.arrays[2].shape[1]

    @property
    def d(self) -> int:
        return self.arrays[0].shape[2]

    @property
    def dv(self) -> int:
        return self.arrays[3].shape[2]


def check_stack(shape: tuple[int, ...], name: str, all_finite: Callable[[], bool]) -> None:
    """A stack of matrices (..., n, d) with n, d >= 1 and finite values (host or device)."""
    if len(shape) < 2:
        raise ValueError(f"{name} must have shape (..., n, d), got shape {shape}")
    if shape[-2] == 0:
        raise ValueError(f"{name} has no rows (n = 0); every sequence needs at least one row")
    if shape[-1] == 0:
        raise ValueError(f"{name} has no features (last dimension 0)")
    if not all_finite():
        raise ValueError(f"{name} contains non-finite values (NaN or inf)")


def _matrix_stack(x: Any, name: str) -> np.ndarray:
    arr = float_array(x, name)
    check_stack(arr.shape, name, lambda: bool(np.isfinite(arr).all()))
    return arr


def check_mask(mask: Any, window: Any) -> tuple[int, int, int]:
    """(mode, w1, w2) of the C++ core from ``mask`` and ``window``."""
    if mask not in (None, "causal"):
        raise ValueError(f"mask must be None or 'causal', got {mask!r}")
    if window is None:
        return (MASK_CAUSAL if mask == "causal" else MASK_NONE), 0, 0
    try:
        w1, w2 = window
    except (TypeError, ValueError):
        raise ValueError(
            f"window must be a pair (w1, w2) of integers >= 1, got {window!r}"
        ) from None
    for w, label in ((w1, "w1"), (w2, "w2")):
        if isinstance(w, bool) or not isinstance(w, numbers.Integral) or w < 1:
            raise ValueError(f"window sizes must be integers >= 1, got window {label} = {w!r}")
    return MASK_WINDOW, int(w1), int(w2)


def check_shapes(shapes: list[tuple[int, ...]], names: tuple[str, ...]) -> tuple[int, ...]:
    """Check the shapes of Q, K1, K2, V1, V2 (and dout) against each other; the batch shape."""
    q, k1, k2, v1, v2 = shapes[:5]
    d = q[-1]
    for a, n in ((k1, "K1"), (k2, "K2")):
        if a[-1] != d:
            raise ValueError(f"{n} has d = {a[-1]} features but Q has d = {d}")
    if v2[-1] != v1[-1]:
        raise ValueError(f"V2 has {v2[-1]} features but V1 has {v1[-1]}")
    if v1[-2] != k1[-2]:
        raise ValueError(f"V1 has {v1[-2]} rows but K1 has {k1[-2]}")
    if v2[-2] != k2[-2]:
        raise ValueError(f"V2 has {v2[-2]} rows but K2 has {k2[-2]}")
    if len(shapes) > 5:
        dd = shapes[5]
        if dd[-2:] != (q[-2], v1[-1]):
            raise ValueError(
                f"dout must have the output's shape (..., {q[-2]}, {v1[-1]}), got {dd}"
            )
    try:
        return tuple(np.broadcast_shapes(*(a[:-2] for a in shapes)))
    except ValueError:
        listed = ", ".join(f"{n} {a}" for n, a in zip(names, shapes))
        raise ValueError(f"batch dimensions do not broadcast: {listed}") from None


def check_scale(scale: Any, d: int) -> float:
    """The logit scale: ``1 / d`` for None, else a finite number."""
    if scale is None:
        return 1.0 / d
    if isinstance(scale, (str, bytes, bool, np.bool_)) or np.iscomplexobj(scale):
        raise TypeError(f"scale must be a finite real number or None, got {scale!r}")
    try:
        scale_f = float(scale)
    except (TypeError, ValueError):
        raise TypeError(f"scale must be a finite real number or None, got {scale!r}") from None
    if not np.isfinite(scale_f):
        raise ValueError(f"scale must be finite, got {scale_f}")
    return scale_f


def check_window_lengths(nq: int, n1: int, n2: int, mode: int, w1: int, w2: int) -> None:
    """Query i sees j in (i - w1, i] and k in (i - w2, i]: past the end of a shorter key
    sequence the window would be empty and the softmax undefined."""
    if mode != MASK_WINDOW:
        return
    for n, w, label in ((n1, w1, "K1"), (n2, w2, "K2")):
        if nq > n + w - 1:
            raise ValueError(
                f"window leaves the last queries without {label} rows: {nq} queries need "
                f"{label} length + window - 1 >= {nq}, got {n} + {w} - 1"
            )


def operands(Q: Any, K1: Any, K2: Any, V1: Any, V2: Any, dout: Any) -> tuple[list, tuple]:
    """The operands of an attention call and their names (dout only when given)."""
    names = _NAMES + (("dout",) if dout is not None else ())
    return [Q, K1, K2, V1, V2] + ([dout] if dout is not None else []), names


def check_options(
    shapes: list[tuple[int, ...]], names: tuple[str, ...], scale: Any, mask: Any, window: Any
) -> tuple[tuple[int, ...], float, int, int, int]:
    """The checks shared by the host and device paths, in this order: shapes (the batch shape
    out), scale, mask and window, window lengths; returns (batch, scale, mode, w1, w2)."""
    batch = check_shapes(shapes, names)
    scale_f = check_scale(scale, shapes[0][-1])
    mode, w1, w2 = check_mask(mask, window)
    check_window_lengths(shapes[0][-2], shapes[1][-2], shapes[2][-2], mode, w1, w2)
    return batch, scale_f, mode, w1, w2


def prepare(
    Q: Any,
    K1: Any,
    K2: Any,
    V1: Any,
    V2: Any,
    scale: Any,
    mask: Any,
    window: Any,
    dout: Any = None,
) -> Prepared:
    """Check and normalize the inputs of every attention function."""
    raw, names = operands(Q, K1, K2, V1, V2, dout)
    arrs = [_matrix_stack(x, n) for x, n in zip(raw, names)]
    batch, scale_f, mode, w1, w2 = check_options(
        [a.shape for a in arrs], names, scale, mask, window
    )
    dtype = np.result_type(*arrs)
    flat = tuple(
        np.ascontiguousarray(
            np.broadcast_to(a, batch + a.shape[-2:]).reshape((-1, *a.shape[-2:])),
            dtype=np.float64,
        )
        for a in arrs
    )
    return Prepared(flat, tuple(batch), tuple(a.shape for a in arrs), dtype, scale_f, mode, w1, w2)


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient over the dimensions that broadcasting added or stretched."""
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, (s, t) in enumerate(zip(shape, g.shape)) if s == 1 and t != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g
