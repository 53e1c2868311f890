"""Shared inputs for the attention tests; the references are the O(n^3) definition
(kronecker_attention_naive, float64 einsum) and finite differences of it."""

from __future__ import annotations

import numpy as np


def random_inputs(rng, batch, n, d, *, n2=None, dv=None, nq=None, scale=1.0):
    n2 = n if n2 is None else n2
    dv = d if dv is None else dv
    nq = n if nq is None else nq
    Q = rng.standard_normal((*batch, nq, d)) * scale
    K1 = rng.standard_normal((*batch, n, d))
    K2 = rng.standard_normal((*batch, n2, d))
    V1 = rng.standard_normal((*batch, n, dv))
    V2 = rng.standard_normal((*batch, n2, dv))
    return Q, K1, K2, V1, V2


def max_logit(Q, K1, K2, scale):
    """max |s_ijk| by brute force (einsum over all triples, first batch element only)."""
    q, k1, k2 = (np.reshape(x, (-1, *x.shape[-2:]))[0] for x in (Q, K1, K2))
    return float(np.abs(np.einsum("il,jl,kl->ijk", q * scale, k1, k2)).max())
