"""The O(n^3) reference: materialize each query's n1 x n2 logits, then a plain softmax."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validate import MASK_CAUSAL, MASK_WINDOW, Mask, Prepared, prepare


def pair_mask(i: int, n1: int, n2: int, mode: int, w1: int, w2: int) -> np.ndarray:
    """Boolean (n1, n2) array of the pairs (j, k) that query i sees."""
    j = np.arange(n1)[:, None]
    k = np.arange(n2)[None, :]
    keep = np.ones((n1, n2), dtype=bool)
    if mode in (MASK_CAUSAL, MASK_WINDOW):
        keep &= (j <= i) & (k <= i)
    if mode == MASK_WINDOW:
        keep &= (j > i - w1) & (k > i - w2)
    return keep


def naive_prepared(p: Prepared) -> np.ndarray:
    """Att as (batch, nq, dv) float64, one query at a time (memory O(n1 n2) per query)."""
    Q, K1, K2, V1, V2 = p.arrays[:5]
    out = np.empty((Q.shape[0], p.nq, p.dv))
    for b in range(Q.shape[0]):
        for i in range(p.nq):
            # A[i] = exp(scale * sum_l Q[i,l] K1[j,l] K2[k,l]) over the allowed (j, k).
            logits = np.einsum("l,jl,kl->jk", Q[b, i] * p.scale, K1[b], K2[b])
            keep = pair_mask(i, p.n1, p.n2, p.mode, p.w1, p.w2)
            logits = np.where(keep, logits, -np.inf)
            w = np.exp(logits - logits.max())
            w /= w.sum()
            out[b, i] = np.einsum("jk,jc,kc->c", w, V1[b], V2[b])
    return out


def kronecker_attention_naive(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    *,
    scale: float | None = None,
    mask: Mask | None = None,
    window: tuple[int, int] | None = None,
) -> np.ndarray:
    """Kronecker attention by its definition: the O(n^3) reference, for tests and checks only.

    Forms every row of ``A = exp(Q (K1 ⊘ K2)^T * scale)`` (n1 x n2 logits per query) with
    ``np.einsum``, applies the softmax over all pairs and contracts with ``V1 ⊘ V2``. Time
    O(nq n1 n2 d), memory O(n1 n2) per query; float64 throughout (float32 inputs give float32
    output). Arguments as in :func:`kronecker_attention`.
    """
    p = prepare(Q, K1, K2, V1, V2, scale, mask, window)
    out = naive_prepared(p)
    return out.reshape(p.batch_shape + out.shape[1:]).astype(p.dtype, copy=False)
