"""numkit.attention's section of ``python -m numkit demo``: exact Kronecker attention against its
definition, windows, the polynomial method with its bound, gradients."""

from __future__ import annotations

import time
import warnings

import numpy as np


def run() -> None:
    """Print accuracy and timing figures of numkit.attention on random inputs (a few seconds)."""
    from numkit.attention import (
        PolyAccuracyWarning,
        kronecker_attention,
        kronecker_attention_grad,
        kronecker_attention_naive,
        poly_error_bound,
    )

    rng = np.random.default_rng(0)
    n, d = 128, 16
    Q, K1, K2, V1, V2 = (rng.standard_normal((n, d)) for _ in range(5))
    print(
        "Kronecker attention: softmax over pairs (j, k) of s_ijk = sum_l Q[i,l] K1[j,l] K2[k,l]"
        " / d,\nvalues V1[j] * V2[k]; exact in O(nd) memory, never forming the n x n^2 matrix."
    )
    t0 = time.perf_counter()
    ref = kronecker_attention_naive(Q, K1, K2, V1, V2)
    t_naive = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers=1)
    t_exact = time.perf_counter() - t0
    print(
        f"  n = {n}, d = {d}: exact vs the O(n^3) definition, max |diff| "
        f"{np.max(np.abs(out - ref)):.1e}; {t_exact * 1e3:.1f} ms "
        f"(definition {t_naive * 1e3:.0f} ms)"
    )
    # Rescale Q so that the largest |logit| is 700: e^700 ~ 1e304, and a sum of n^2 such terms
    # overflows unless the softmax runs with a running maximum.
    Qa = Q * (700 / np.abs(np.einsum("il,jl,kl->ijk", Q / d, K1, K2)).max())
    big = kronecker_attention(Qa, K1, K2, V1, V2, method="exact", mask="causal")
    ref = kronecker_attention_naive(Qa, K1, K2, V1, V2, mask="causal")
    print(f"  logits up to 700, causal: max |diff| {np.max(np.abs(big - ref)):.1e}")
    win = kronecker_attention(Q, K1, K2, V1, V2, window=(32, 8))
    ref = kronecker_attention_naive(Q, K1, K2, V1, V2, window=(32, 8))
    print(f"  sliding windows (w1, w2) = (32, 8): max |diff| {np.max(np.abs(win - ref)):.1e}")

    n = 4096
    Qp, K1p, K2p = (rng.uniform(-1, 1, (n, 8)) for _ in range(3))
    V1p, V2p = (rng.standard_normal((n, 8)) for _ in range(2))
    print(f"Polynomial method, n = {n}, d = 8, entries in [-1, 1] (|logit| <= 1):")
    exact8 = kronecker_attention(Qp[:8], K1p, K2p, V1p, V2p, method="exact")
    for g in (2, 3, 4):
        t0 = time.perf_counter()
        with warnings.catch_warnings():  # the loose low degrees warn; the bound is printed here
            warnings.simplefilter("ignore", PolyAccuracyWarning)
            approx = kronecker_attention(Qp, K1p, K2p, V1p, V2p, method="poly", degree=g)
        t = time.perf_counter() - t0
        b = poly_error_bound(Qp, K1p, K2p, V1p, V2p, degree=g)
        err = np.max(np.abs(approx[:8] - exact8))
        print(f"  degree {g} (rank {b.rank:4d}): error {err:.1e} <= bound {b.bound:.1e}, {t:.2f} s")

    m = 6
    Qs, K1s, K2s, V1s, V2s = (rng.standard_normal((m, 3)) for _ in range(5))
    dout = rng.standard_normal((m, 3))
    g = kronecker_attention_grad(Qs, K1s, K2s, V1s, V2s, dout, mask="causal")
    h = 1e-6
    Qh = Qs.copy()
    Qh[2, 1] += h
    fd = (
        np.sum(
            dout
            * (
                kronecker_attention_naive(Qh, K1s, K2s, V1s, V2s, mask="causal")
                - kronecker_attention_naive(Qs, K1s, K2s, V1s, V2s, mask="causal")
            )
        )
        / h
    )
    print(f"Gradients: dL/dQ[2,1] = {g.dQ[2, 1]:.6f} (one-sided difference {fd:.6f})")
