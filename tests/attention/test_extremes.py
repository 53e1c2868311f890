"""Extreme inputs of Kronecker attention, each against a closed form: exact zero weights for
masked pairs, gradients at huge logits, logit overflow, and the polynomial method's degenerate
and oversized cases. Each failed (silently, crashed or hung) before its fix."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.attention import (
    kronecker_attention,
    kronecker_attention_grad,
    kronecker_attention_naive,
)

ONE = np.ones((2, 1))


def test_masked_pairs_weigh_exactly_zero_even_against_huge_values():
    # Query 0 sees only (j, k) = (0, 0) under the causal mask; k = 1 (V2 = 1e300) was weighted
    # exp(-708) = 3.3e-308 instead of 0, which added 3.3e-8 to an output of 1 (3.3 at 1e308).
    V2 = np.array([[1.0], [1e300]])
    out = kronecker_attention(ONE, ONE, ONE, ONE, V2, mask="causal", method="exact")
    assert out[0, 0] == 1.0
    # an unmasked pair 800 below the maximum weighs exp(-800) = 0 in float64 too
    K2 = np.array([[0.0], [-800.0]])
    out = kronecker_attention(ONE, ONE, K2, ONE, np.array([[1.0], [1e300]]), scale=1.0)
    assert out[0, 0] == 1.0
    # ... and the backward: query 0's only pair has dQ = 0 whatever K2[1] is
    K2 = np.array([[1.0], [1e300]])
    g = kronecker_attention_grad(
        ONE[:, :], ONE, K2, ONE, ONE, np.array([[1.0], [0.0]]), scale=1e-300, mask="causal"
    )
    assert g.dQ[0, 0] == 0.0


@pytest.mark.parametrize("big", [1e13, 1e15, 1e17])
def test_gradients_at_huge_tied_logits(big):
    # Three exactly tied pairs: the weights are 1/3 each, so Att = (1 + 2 + 4) / 3 and
    # dV1 = 1/3, dV2 = 7/3. The backward used exp(s - (m + log z)), and m + log z drops log 3
    # once |m| >~ 1e13 (dV1 = 0.3247 at 1e15, 1 at 1e17).
    Q = np.array([[big]])
    K1 = np.ones((3, 1))
    V1 = np.array([[1.0], [2.0], [4.0]])
    one = np.ones((1, 1))
    assert kronecker_attention(Q, K1, one, V1, one, scale=1.0)[0, 0] == pytest.approx(7 / 3)
    g = kronecker_attention_grad(Q, K1, one, V1, one, one, scale=1.0)
    np.testing.assert_allclose(g.dV1[:, 0], 1 / 3, rtol=1e-15)
    np.testing.assert_allclose(g.dV2[:, 0], 7 / 3, rtol=1e-15)


def test_logits_past_float64_raise_instead_of_nan():
    Q = np.array([[2.0]])
    K1 = np.array([[1.0], [1.5]])
    with pytest.raises(ValueError, match="overflow"):
        kronecker_attention(Q, K1, K1, K1, K1, scale=1e308)
    with pytest.raises(ValueError, match="overflow"):
        kronecker_attention_grad(Q, K1, K1, K1, K1, np.ones((1, 1)), scale=1e308)


@pytest.mark.parametrize("scale", [0.0, 1.0])
def test_poly_with_vanishing_logits_is_the_uniform_average(scale):
    # R = 0 (Q = 0 or scale = 0): the interpolant of exp is the constant 1, and cheb2poly
    # returned one coefficient for degree 3, which crashed the broadcast.
    rng = np.random.default_rng(0)
    K1, K2 = rng.normal(size=(5, 2)), rng.normal(size=(6, 2))
    V1, V2 = rng.normal(size=(5, 3)), rng.normal(size=(6, 3))
    Q = np.zeros((4, 2)) if scale else rng.normal(size=(4, 2))
    out = kronecker_attention(Q, K1, K2, V1, V2, scale=scale, method="poly")
    ref = np.broadcast_to(V1.mean(axis=0) * V2.mean(axis=0), out.shape)
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-15)
    # tiny but nonzero logits: the high coefficients underflow to zero and are dropped too
    o = 0.01 * ONE
    out = kronecker_attention(o, ONE, ONE, ONE, ONE, scale=1.0, method="poly", degree=7)
    np.testing.assert_allclose(out, kronecker_attention_naive(o, ONE, ONE, ONE, ONE, scale=1.0))


def test_poly_refuses_a_degree_whose_bound_misses_atol():
    rng = np.random.default_rng(1)
    args = [rng.uniform(-1, 1, size=(8, 2)) for _ in range(5)]
    with pytest.raises(ValueError, match="guarantees only"):
        kronecker_attention(*args, scale=1.0, method="poly", degree=1, atol=1e-12)
    # a degree that meets it runs
    kronecker_attention(*args, scale=1.0, method="poly", degree=12, atol=1e-6)


def test_poly_refuses_more_features_than_it_supports():
    # C(128 + 3, 3) = 366145 features: 11 GB of them at n = 4096 (MemoryError), or minutes of
    # planning at d = 16, degree 12
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 128)) / 128
    with pytest.raises(ValueError, match="features"):
        kronecker_attention(x, x, x, x, x, method="poly")
    x = rng.normal(size=(4, 16))
    with pytest.raises(ValueError, match="features"):
        kronecker_attention(x, x, x, x, x, method="poly", degree=12)


def test_poly_on_an_empty_batch():
    x = np.zeros((0, 3, 2))
    assert kronecker_attention(x, x, x, x, x, method="poly").shape == (0, 3, 2)


def test_softmax_attention_validates_scale_and_batch_dimensions():
    from numkit.attention import softmax_attention

    x = np.ones((2, 3, 4))
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="scale"):
            softmax_attention(x, x, x, scale=bad)
    with pytest.raises(ValueError, match="batch dimensions"):
        softmax_attention(x, np.ones((3, 3, 4)), np.ones((3, 3, 4)))


def test_softmax_attention_overflow_is_an_error_and_float32_computes_in_float64():
    # Before: NaN with only NumPy's RuntimeWarnings; float32 rows of 1e20 overflowed in float32
    # although the answer (the argmax row's value) is plain.
    from numkit.attention import softmax_attention

    got = softmax_attention(
        np.array([[1e20]], np.float32),
        np.array([[1e20], [-1e20]], np.float32),
        np.array([[1.0], [2.0]], np.float32),
        scale=1.0,
    )
    assert got.dtype == np.float32 and got[0, 0] == 1.0
    with pytest.raises(ValueError, match=r"logits .* overflow"):
        softmax_attention(np.array([[1e200]]), np.array([[1e200], [-1e200]]), ONE, scale=1.0)


def test_kronecker_overflow_message_names_the_values_too():
    # V1 V2 = 1e400 overflows while the logits are small: the message named only the logits.
    big = np.full((2, 1), 1e200)
    with pytest.raises(ValueError, match=r"V1 \* V2"):
        kronecker_attention(np.ones((1, 1)), ONE, ONE, big, big)
