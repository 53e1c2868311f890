"""Kronecker (2-simplicial) attention: a softmax over pairs of keys with trilinear logits.

Alman & Song (ICLR 2024) generalize matrix softmax attention to ``D^-1 A (V1 ⊘ V2)`` with
``A = exp(Q (K1 ⊘ K2)^T * scale)``, an n x n^2 matrix; 2-simplicial attention restricts it to
causal sliding windows. numkit computes it

- exactly in O(nd) memory (tiled C++ kernel, online softmax, threads): ``method="exact"``,
- approximately by the polynomial method with a rigorous error bound: ``method="poly"``,

with exact gradients for training (``kronecker_attention_grad``), the O(n^3) definition as a
reference (``kronecker_attention_naive``) and ordinary ``softmax_attention`` as the baseline.
"""

from __future__ import annotations

from ._kronecker import (
    KroneckerGrad,
    PolyAccuracyWarning,
    kronecker_attention,
    kronecker_attention_grad,
    poly_error_bound,
)
from ._naive import kronecker_attention_naive
from ._poly import PolyBound
from ._softmax import softmax_attention

__all__ = [
    "KroneckerGrad",
    "PolyAccuracyWarning",
    "PolyBound",
    "kronecker_attention",
    "kronecker_attention_grad",
    "kronecker_attention_naive",
    "poly_error_bound",
    "softmax_attention",
]
