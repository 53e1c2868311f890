"""The demo section runs; the softmax baseline matches its textbook formula."""

from __future__ import annotations

import numpy as np
from numkit.attention import _demo, softmax_attention


def test_demo_runs(capsys):
    _demo.run()
    out = capsys.readouterr().out
    assert "exact vs the O(n^3) definition" in out and "<= bound" in out and "Gradients" in out


def test_softmax_attention_matches_definition():
    rng = np.random.default_rng(0)
    Q, K, V = rng.standard_normal((5, 3)), rng.standard_normal((7, 3)), rng.standard_normal((7, 2))
    s = Q @ K.T / np.sqrt(3)
    w = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    assert np.allclose(softmax_attention(Q, K, V), w @ V, rtol=1e-13, atol=1e-15)
    Qc, Kc, Vc = Q[:5], K[:5], V[:5]
    sc = np.where(np.tril(np.ones((5, 5), bool)), Qc @ Kc.T * 0.5, -np.inf)
    wc = np.exp(sc - sc.max(axis=1, keepdims=True))
    wc /= wc.sum(axis=1, keepdims=True)
    assert np.allclose(
        softmax_attention(Qc, Kc, Vc, scale=0.5, mask="causal"), wc @ Vc, rtol=1e-13, atol=1e-15
    )
