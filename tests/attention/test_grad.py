"""kronecker_attention_grad against central finite differences of the float64 definition.

L = sum(dout * naive(Q, K1, K2, V1, V2)); each partial derivative by a 4-point central
difference (h = 1e-3, truncation O(h^4) ~ 1e-12, rounding ~ eps/h ~ 1e-13). Bar: relative error
(Frobenius norm over each gradient) <= 1e-7.
"""

from __future__ import annotations

import numpy as np
import pytest
from numkit.attention import kronecker_attention_grad, kronecker_attention_naive

from ._reference import random_inputs

H = 1e-3


def _fd_grads(args, dout, kw):
    args = [a.copy() for a in args]

    def loss():
        return float(np.sum(dout * kronecker_attention_naive(*args, **kw)))

    grads = []
    for a in args:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            x0 = a[idx]
            vals = []
            for step in (2, 1, -1, -2):
                a[idx] = x0 + step * H
                vals.append(loss())
            a[idx] = x0
            g[idx] = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
        grads.append(g)
    return grads


CASES = [
    ("plain", (), dict(n=5, d=3, n2=4, dv=2), {}),
    ("causal", (), dict(n=6, d=3, dv=2), {"mask": "causal"}),
    ("window", (), dict(n=7, d=2, dv=2), {"window": (3, 2)}),
    ("batch", (2,), dict(n=4, d=2, n2=3, dv=2), {"scale": 0.9}),
]


@pytest.mark.parametrize("name,batch,shape,kw", CASES, ids=[c[0] for c in CASES])
def test_grad_matches_finite_differences(name, batch, shape, kw):
    rng = np.random.default_rng(len(name))
    args = random_inputs(rng, batch, shape["n"], shape["d"], n2=shape.get("n2"), dv=shape["dv"])
    dout = rng.standard_normal((*batch, shape["n"], shape["dv"]))
    got = kronecker_attention_grad(*args, dout, workers=2, **kw)
    ref = _fd_grads(args, dout, kw)
    for label, g, r in zip(("dQ", "dK1", "dK2", "dV1", "dV2"), got, ref):
        assert g.shape == r.shape, label
        rel = np.linalg.norm(g - r) / np.linalg.norm(r)
        assert rel <= 1e-7, (label, rel)


def test_grad_of_broadcast_inputs_sums_over_batch():
    rng = np.random.default_rng(3)
    Q, K1, K2, V1, V2 = random_inputs(rng, (3,), 5, 2)
    dout = rng.standard_normal((3, 5, 2))
    got = kronecker_attention_grad(Q, K1[0], K2, V1[0], V2, dout)
    full = kronecker_attention_grad(
        Q, np.broadcast_to(K1[0], K1.shape), K2, np.broadcast_to(V1[0], V1.shape), V2, dout
    )
    assert got.dK1.shape == (5, 2) and got.dV1.shape == (5, 2)
    assert np.allclose(got.dK1, full.dK1.sum(axis=0), rtol=1e-13, atol=1e-14)
    assert np.allclose(got.dV1, full.dV1.sum(axis=0), rtol=1e-13, atol=1e-14)


def test_grad_larger_n_against_fd_spot_checks():
    # n = 40 with causal windows: spot-check 6 entries of each gradient by finite differences.
    rng = np.random.default_rng(12)
    args = list(random_inputs(rng, (), 40, 4, dv=3))
    dout = rng.standard_normal((40, 3))
    kw = {"window": (9, 5)}
    got = kronecker_attention_grad(*args, dout, **kw)

    def loss():
        return float(np.sum(dout * kronecker_attention_naive(*args, **kw)))

    for a, g in zip(args, got):
        for _ in range(6):
            idx = tuple(rng.integers(0, s) for s in a.shape)
            x0 = a[idx]
            vals = []
            for step in (2, 1, -1, -2):
                a[idx] = x0 + step * H
                vals.append(loss())
            a[idx] = x0
            fd = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
            assert abs(g[idx] - fd) <= 1e-7 * max(1.0, np.abs(g).max()), (g[idx], fd)
