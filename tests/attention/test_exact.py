"""method="exact" against the O(n^3) definition (kronecker_attention_naive, float64).

Tolerance 1e-12 absolute (the issue's bar): both sides are float64 with different summation
orders; with |V| ~ 1 and logits up to 700 their rounding differences stay near 1e-13.
"""

from __future__ import annotations

import numpy as np
import pytest
from numkit._core import attention as core
from numkit.attention import kronecker_attention, kronecker_attention_naive

from ._reference import max_logit, random_inputs

TOL = 1e-12


def _check(args, **kw):
    out = kronecker_attention(*args, method="exact", workers=2, **kw)
    ref = kronecker_attention_naive(*args, **kw)
    assert out.shape == ref.shape
    err = float(np.max(np.abs(out - ref)))
    assert err <= TOL, err
    return out, ref


def test_random_n256():
    rng = np.random.default_rng(1)
    _check(random_inputs(rng, (), 256, 16))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 33])
def test_small_and_ragged_sizes(n):
    rng = np.random.default_rng(n)
    _check(random_inputs(rng, (), n, 5, dv=3))


@pytest.mark.parametrize("target", [50.0, 300.0, 700.0])
def test_adversarial_large_logits(target):
    # Rescale Q so that the largest |logit| is `target`: the softmax is then extremely peaked and
    # exp(s) alone would overflow (e^700 ~ 1e304, sums of n^2 of them overflow).
    rng = np.random.default_rng(int(target))
    Q, K1, K2, V1, V2 = random_inputs(rng, (), 96, 16)
    Q *= target / max_logit(Q, K1, K2, 1 / 16)
    out, _ref = _check((Q, K1, K2, V1, V2))
    assert np.isfinite(out).all()


def test_adversarial_n256_causal():
    rng = np.random.default_rng(7)
    Q, K1, K2, V1, V2 = random_inputs(rng, (), 256, 8)
    Q *= 700 / max_logit(Q, K1, K2, 1 / 8)
    _check((Q, K1, K2, V1, V2), mask="causal")


@pytest.mark.parametrize("window", [(1, 1), (5, 3), (40, 300), (17, 1)])
def test_windowed(window):
    rng = np.random.default_rng(sum(window))
    _check(random_inputs(rng, (), 120, 8), window=window)


def test_causal_batch_heads_cross_lengths():
    rng = np.random.default_rng(3)
    args = random_inputs(rng, (2, 3), 40, 6, n2=29, dv=4)
    _check(args, mask="causal")
    _check(args)


def test_queries_longer_than_keys_causal():
    rng = np.random.default_rng(4)
    _check(random_inputs(rng, (2,), 20, 4, n2=11, nq=37), mask="causal")


def test_broadcast_batch_dims():
    rng = np.random.default_rng(5)
    Q, K1, K2, V1, V2 = random_inputs(rng, (3, 2), 24, 4)
    out, _ = _check((Q, K1[:1], K2[0], V1[:1], V2[0]))
    assert out.shape == (3, 2, 24, 4)


def test_scale_and_mask_none_vs_window_covering_all():
    rng = np.random.default_rng(6)
    args = random_inputs(rng, (), 30, 4)
    a = kronecker_attention(*args, method="exact", scale=0.7, mask="causal")
    b = kronecker_attention(*args, method="exact", scale=0.7, window=(30, 30))
    ref = kronecker_attention_naive(*args, scale=0.7, mask="causal")
    assert np.max(np.abs(a - ref)) <= TOL
    assert np.max(np.abs(b - ref)) <= TOL


def test_workers_do_not_change_results():
    rng = np.random.default_rng(8)
    args = random_inputs(rng, (3,), 50, 8, n2=70)
    one = kronecker_attention(*args, method="exact", workers=1)
    two = kronecker_attention(*args, method="exact", workers=2, mask=None)
    assert np.array_equal(one, two)  # per-query work is identical whatever the thread


def test_scalar_host_device_kernel():
    # The host/device scalar kernel (numkit/attention/online_softmax.hpp), the form a GPU port
    # compiles, against the definition too.
    rng = np.random.default_rng(9)
    Q, K1, K2, V1, V2 = random_inputs(rng, (2,), 30, 5, n2=17, dv=3)
    for mode, w1, w2, kw in [
        (0, 0, 0, {}),
        (1, 0, 0, {"mask": "causal"}),
        (2, 4, 16, {"window": (4, 16)}),
    ]:
        out = core.exact_forward_scalar(Q, K1, K2, V1, V2, 0.2, mode, w1, w2)
        ref = kronecker_attention_naive(Q, K1, K2, V1, V2, scale=0.2, **kw)
        assert np.max(np.abs(out - ref)) <= TOL


def test_float32_close_to_float64():
    rng = np.random.default_rng(10)
    args32 = [a.astype(np.float32) for a in random_inputs(rng, (2,), 64, 16)]
    Q = args32[0] * np.float32(4)  # larger logits
    args32[0] = Q
    out32 = kronecker_attention(*args32, method="exact", mask="causal")
    assert out32.dtype == np.float32
    out64 = kronecker_attention_naive(*[a.astype(np.float64) for a in args32], mask="causal")
    rel = np.max(np.abs(out32 - out64)) / np.max(np.abs(out64))
    assert rel <= 1e-5, rel


def test_single_pair_is_the_value_product():
    # n1 = n2 = 1: the only pair gets weight 1 whatever the logit.
    rng = np.random.default_rng(11)
    Q, K1, K2, V1, V2 = random_inputs(rng, (), 1, 3)
    out = kronecker_attention(Q * 1e3, K1, K2, V1, V2, method="exact")
    assert np.allclose(out, V1 * V2, rtol=0, atol=1e-15)


def test_workers_none_is_one_thread_as_in_scipy_fft(monkeypatch):
    # (None meant every core here, but 1 in numkit.hamming and scipy.fft)
    from numkit.attention import _kronecker

    seen = []
    real = _kronecker._core.exact_forward

    def spy(*args, **kwargs):
        seen.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(_kronecker._core, "exact_forward", spy)
    args = random_inputs(np.random.default_rng(3), (), 16, 4)
    kronecker_attention(*args, method="exact")
    kronecker_attention(*args, method="exact", workers=-1)
    assert seen[0] == 1 and seen[1] >= 1
