"""numkit.attention on CuPy arrays: exact Kronecker attention from the device's GEMMs.

For a block of queries I, the logits of every pair are one batched GEMM,
``S[i] = (K1 * (scale Q[i])) @ K2^T`` (|I| x n1 x n2), the softmax is taken over each query's
n1 x n2 block after subtracting its maximum, and ``Att[i] = sum_j V1[j] * (P[i] @ V2)[j] / Z[i]``
is a second GEMM and a reduction: 4 n1 n2 (d + dv) flops a query in float64, the n1 x n2 blocks
never leaving the device. Causal and window masks cut each block of queries to the keys it can
see before the GEMM. The code is written against an array namespace ``xp``: CuPy on a device,
NumPy in the CPU tests (tests/gpu/test_gpu_attention_namespace.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numkit._lib.backend import backend_of, is_cupy_array

from ._validate import (
    MASK_NONE,
    MASK_WINDOW,
    Prepared,
    check_options,
    check_stack,
    operands,
    unbroadcast,
)

__all__ = ["device_attention", "device_attention_grad", "device_prepared"]

_BLOCK_ELEMENTS = 1 << 27  # logits per block of queries (1 GiB of float64)


def _device_stack(xp: Any, x: Any, name: str) -> Any:
    if not is_cupy_array(x):
        raise TypeError(f"{name} must be a CuPy array on the GPU path, got {type(x).__name__}")
    if np.dtype(x.dtype).kind not in "biuf":
        raise TypeError(f"{name} must be a real array, got dtype {x.dtype}")
    check_stack(tuple(x.shape), name, lambda: bool(xp.isfinite(x).all()))
    return x


def device_prepared(
    xp: Any,
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
    """The device inputs (and dout) checked as on the host (`_validate.prepare`), as float64
    device arrays of shape (batch, rows, features)."""
    raw, names = operands(Q, K1, K2, V1, V2, dout)
    backend_of(*raw)  # mixed host and device arrays: TypeError
    arrs = [_device_stack(xp, x, n) for x, n in zip(raw, names)]
    batch, scale_f, mode, w1, w2 = check_options(
        [tuple(a.shape) for a in arrs], names, scale, mask, window
    )
    dtype = np.result_type(*(np.dtype(a.dtype) for a in arrs))
    out_dtype = np.float32 if dtype == np.float32 else np.float64
    flat = tuple(
        xp.ascontiguousarray(
            xp.broadcast_to(a, batch + tuple(a.shape[-2:]))
            .reshape((-1, *a.shape[-2:]))
            .astype(xp.float64)
        )
        for a in arrs
    )
    shapes = tuple(tuple(a.shape) for a in arrs)
    return Prepared(flat, batch, shapes, np.dtype(out_dtype), scale_f, mode, w1, w2)


def device_attention(
    xp: Any, Q: Any, K1: Any, K2: Any, V1: Any, V2: Any, scale: Any, mask: Any, window: Any
) -> Any:
    """Exact Kronecker attention of device arrays; shape (..., nq, dv), the inputs' dtype."""
    p = device_prepared(xp, Q, K1, K2, V1, V2, scale, mask, window)
    q, k1, k2, v1, v2 = p.arrays[:5]
    scale_f, mode, w1, w2 = p.scale, p.mode, p.w1, p.w2
    B, nq, _ = q.shape
    n1, n2, dv = k1.shape[1], k2.shape[1], v1.shape[2]
    out = xp.empty((B, nq, dv), dtype=xp.float64)
    bq = max(1, _BLOCK_ELEMENTS // (n1 * n2))
    for b in range(B):
        for i0 in range(0, nq, bq):
            i1 = min(nq, i0 + bq)
            out[b, i0:i1] = _query_block(
                xp, q[b], k1[b], k2[b], v1[b], v2[b], i0, i1, scale_f, mode, w1, w2
            )
    return out.reshape((*p.batch_shape, nq, dv)).astype(p.dtype, copy=False)


def _query_block(
    xp: Any,
    q: Any,
    k1: Any,
    k2: Any,
    v1: Any,
    v2: Any,
    i0: int,
    i1: int,
    scale: float,
    mode: int,
    w1: int,
    w2: int,
) -> Any:
    """Att for queries i0 .. i1 - 1 of one batch entry (float64 device arrays).

    Memory traffic over the |I| x n1 x n2 logits is what costs on a device, so they are touched
    four times: written by the GEMM, read and written by exp, read by the second GEMM. The
    softmax's shift is folded into the first GEMM as one more feature (-B_i against a column of
    ones), with B_i = scale * sum_l |Q[i,l]| max_j |K1[j,l]| max_k |K2[k,l]| >= every logit of
    query i; the normalizer comes out of the second GEMM as one more value column of ones. If
    the bound is so loose that exp underflows (Z_i < 1e-250: B_i exceeds the largest logit by
    more than ~575), or that the weighted values would (tiny V), the block is redone with the
    exact maximum.
    """
    j0, j1, k0, k1_end = _key_ranges(i0, i1, k1.shape[0], k2.shape[0], mode, w1, w2)
    kj, kk, vj, vk = k1[j0:j1], k2[k0:k1_end], v1[j0:j1], v2[k0:k1_end]
    qs = scale * q[i0:i1]
    bound = xp.abs(qs) @ (xp.abs(kj).max(axis=0) * xp.abs(kk).max(axis=0))  # (bq,)
    nj, nk, bq = kj.shape[0], kk.shape[0], i1 - i0
    lhs = xp.concatenate([kj[None, :, :] * qs[:, None, :], xp.empty((bq, nj, 1))], axis=2)
    rhs = xp.concatenate([kk, xp.ones((nk, 1))], axis=1).T  # (d + 1, nk)
    vk1 = xp.concatenate([vk, xp.ones((nk, 1))], axis=1)  # (nk, dv + 1)
    keep = _keep(xp, (i0, i1, j0, j1, k0, k1_end), mode, w1, w2)

    def weights(shift: Any) -> tuple[Any, Any]:
        """exp(logits - shift) @ [V2, 1] (bq, nj, dv + 1), whose last column sums over k, and
        the normalizers; shift None: each query's exact maximum (finite: every query sees a
        pair, windows are checked)."""
        lhs[:, :, -1] = 0.0 if shift is None else -shift[:, None]
        s = xp.matmul(lhs, rhs)  # (bq, nj, nk)
        if keep is not None:
            s = xp.where(keep, s, -xp.inf)
        if shift is None:
            s -= s.max(axis=(1, 2), keepdims=True)
        xp.exp(s, out=s)
        t = xp.matmul(s, vk1)
        return t, t[:, :, -1].sum(axis=1)

    t, z = weights(bound)
    # Redo with the exact maximum where the bound is far above the largest logit: Z underflows,
    # or the weighted values do (weights ~Z times |V2| or |V1 V2| below ~1e-280 lose digits,
    # while the exact shift would keep the largest weight at 1; all-zero V loses nothing).
    v2 = xp.abs(vk).max() if vk.size else xp.zeros(())
    v12 = v2 * (xp.abs(vj).max() if vj.size else xp.zeros(()))
    vs = xp.minimum(v2, v12)
    zmin = z.min()
    if bool((zmin < 1e-250) | ((vs > 0) & (zmin < 1.0) & (zmin * vs < 1e-280))):
        t, z = weights(None)
    return (t[:, :, :-1] * vj[None, :, :]).sum(axis=1) / z[:, None]


def _key_ranges(i0: int, i1: int, n1: int, n2: int, mode: int, w1: int, w2: int) -> tuple:
    """The keys queries i0 .. i1 - 1 can see: (j0, j1, k0, k1)."""
    j0, j1, k0, k1 = 0, n1, 0, n2
    if mode != MASK_NONE:  # causal: query i sees j, k <= i
        j1, k1 = min(j1, i1), min(k1, i1)
    if mode == MASK_WINDOW:  # and j > i - w1, k > i - w2
        j0, k0 = max(0, i0 - w1 + 1), max(0, i0 - w2 + 1)
    return j0, j1, k0, k1


def _keep(xp: Any, ranges: tuple[int, ...], mode: int, w1: int, w2: int) -> Any:
    """Which (i, j, k) of the ranges (i0, i1, j0, j1, k0, k1) the mask lets through (None: all)."""
    if mode == MASK_NONE:
        return None
    i0, i1, j0, j1, k0, k1 = ranges
    ii = xp.arange(i0, i1)[:, None, None]
    jj = xp.arange(j0, j1)[None, :, None]
    ks = xp.arange(k0, k1)[None, None, :]
    keep = (jj <= ii) & (ks <= ii)
    if mode == MASK_WINDOW:
        keep &= (jj > ii - w1) & (ks > ii - w2)
    return keep


def device_attention_grad(
    xp: Any,
    Q: Any,
    K1: Any,
    K2: Any,
    V1: Any,
    V2: Any,
    dout: Any,
    scale: Any,
    mask: Any,
    window: Any,
) -> tuple[Any, ...]:
    """Exact gradients (dQ, dK1, dK2, dV1, dV2) of sum(dout * attention) for device arrays.

    Per block of queries the weights P (exact maximum shift) are recomputed and every gradient
    is a GEMM or a reduction over the block's |I| x n1 x n2 array, as in the CPU's formulas
    (numkit.attention.kronecker_attention_grad): dP = (dout_i * V1[j]) @ V2^T,
    dS = P (dP - dout_i . Att_i), T = dS @ K2 gives dQ and dK1, (Q_i * K1[j])^T dS gives dK2,
    P @ V2 gives dV1 and (dout_i * V1[j])^T P gives dV2. Gradients of broadcast inputs are
    summed back to their shapes.
    """
    p = device_prepared(xp, Q, K1, K2, V1, V2, scale, mask, window, dout=dout)
    q, k1, k2, v1, v2, do = p.arrays
    B, nq, d = q.shape
    n1, n2, dv = k1.shape[1], k2.shape[1], v1.shape[2]
    grads = [xp.zeros(a.shape) for a in (q, k1, k2, v1, v2)]
    bq = max(1, _BLOCK_ELEMENTS // (4 * n1 * n2))  # four block-sized arrays live at once
    for b in range(B):
        for i0 in range(0, nq, bq):
            i1 = min(nq, i0 + bq)
            j0, j1, k0, ke = _key_ranges(i0, i1, n1, n2, p.mode, p.w1, p.w2)
            qs, kj, kk = p.scale * q[b, i0:i1], k1[b, j0:j1], k2[b, k0:ke]
            vj, vk, g = v1[b, j0:j1], v2[b, k0:ke], do[b, i0:i1]
            nb, nj, nk = i1 - i0, j1 - j0, ke - k0
            s = xp.matmul(kj[None, :, :] * qs[:, None, :], kk.T)  # logits (nb, nj, nk)
            keep = _keep(xp, (i0, i1, j0, j1, k0, ke), p.mode, p.w1, p.w2)
            if keep is not None:
                s = xp.where(keep, s, -xp.inf)
            s -= s.max(axis=(1, 2), keepdims=True)
            xp.exp(s, out=s)
            s /= s.sum(axis=(1, 2), keepdims=True)  # P
            pv2 = xp.matmul(s, vk)  # (nb, nj, dv)
            att = (pv2 * vj[None]).sum(axis=1)  # (nb, dv)
            gv1 = g[:, None, :] * vj[None]  # dout_i * V1[j]  (nb, nj, dv)
            grads[3][b, j0:j1] += (g[:, None, :] * pv2).sum(axis=0)
            grads[4][b, k0:ke] += xp.matmul(s.reshape(nb * nj, nk).T, gv1.reshape(nb * nj, dv))
            ds = xp.matmul(gv1, vk.T)  # dP  (nb, nj, nk)
            ds -= (g * att).sum(axis=1)[:, None, None]
            ds *= s
            t = xp.matmul(ds, kk)  # (nb, nj, d)
            grads[0][b, i0:i1] = p.scale * (t * kj[None]).sum(axis=1)
            grads[1][b, j0:j1] += p.scale * (q[b, i0:i1][:, None, :] * t).sum(axis=0)
            qk = (q[b, i0:i1][:, None, :] * kj[None]).reshape(nb * nj, d)
            grads[2][b, k0:ke] += p.scale * xp.matmul(ds.reshape(nb * nj, nk).T, qk)
    return tuple(
        unbroadcast(gr.reshape(p.batch_shape + gr.shape[1:]), shape).astype(p.dtype, copy=False)
        for gr, shape in zip(grads, p.shapes[:5])
    )
