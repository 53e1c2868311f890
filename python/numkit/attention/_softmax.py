"""Ordinary softmax attention, the baseline of the same width (demo and Match3 notebook)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validate import Mask, check_mask, check_scale


def softmax_attention(
    Q: npt.ArrayLike,
    K: npt.ArrayLike,
    V: npt.ArrayLike,
    *,
    scale: float | None = None,
    mask: Mask | None = None,
) -> np.ndarray:
    """Standard attention ``softmax(Q K^T * scale) V`` over the last two dimensions.

    Parameters
    ----------
    Q, K, V : array_like, shapes (..., nq, d), (..., n, d), (..., n, dv)
    scale : float, optional
        Logit scale, default ``1 / sqrt(d)``.
    mask : {None, "causal"}
        ``"causal"`` keeps keys j <= i.

    Returns
    -------
    ndarray, shape (..., nq, dv)
        Materializes the (nq, n) logits (a baseline, not a long-sequence kernel).
    """
    from ._validate import _matrix_stack

    q, k, v = (_matrix_stack(x, n) for x, n in ((Q, "Q"), (K, "K"), (V, "V")))
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"K has d = {k.shape[-1]} features but Q has d = {q.shape[-1]}")
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"V has {v.shape[-2]} rows but K has {k.shape[-2]}")
    try:
        np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"the batch dimensions of Q {q.shape[:-2]}, K {k.shape[:-2]} and V {v.shape[:-2]} "
            "do not broadcast"
        ) from None
    mode, _, _ = check_mask(mask, None)
    s = 1.0 / np.sqrt(q.shape[-1]) if scale is None else check_scale(scale, q.shape[-1])
    dtype = np.result_type(q, k, v)
    # in float64 whatever the inputs (float32 logits of 1e20-sized rows overflowed to NaN)
    q, k, v = (x.astype(np.float64, copy=False) for x in (q, k, v))
    with np.errstate(over="ignore", invalid="ignore"):  # (the inputs are finite: checked)
        logits = (q @ np.swapaxes(k, -1, -2)) * s
    if not np.all(np.isfinite(logits)):
        raise ValueError(
            "softmax_attention: the logits scale * Q K^T overflow float64: rescale the inputs "
            "or the scale"
        )
    if mode:
        i = np.arange(q.shape[-2])[:, None]
        j = np.arange(k.shape[-2])[None, :]
        logits = np.where(j <= i, logits, -np.inf)
    w = np.exp(logits - logits.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    return (w @ v).astype(dtype, copy=False)  # (convex combinations of V: cannot overflow)
