"""Bad input raises ValueError (or TypeError for non-numeric data) naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.attention import (
    kronecker_attention,
    kronecker_attention_grad,
    kronecker_attention_naive,
    poly_error_bound,
    softmax_attention,
)

rng = np.random.default_rng(0)
Q, K1, K2, V1, V2 = (rng.standard_normal((6, 3)) for _ in range(5))


@pytest.mark.parametrize(
    "args,match",
    [
        ((Q, K1[:, :2], K2, V1, V2), "K1 has d = 2"),
        ((Q, K1, K2[:, :2], V1, V2), "K2 has d = 2"),
        ((Q, K1, K2, V1, V2[:, :2]), "V2 has 2 features"),
        ((Q, K1, K2, V1[:4], V2), "V1 has 4 rows"),
        ((Q, K1, K2, V1, V2[:5]), "V2 has 5 rows"),
        ((Q[:0], K1, K2, V1, V2), "Q has no rows"),
        ((Q, K1[:0], K2, V1[:0], V2), "K1 has no rows"),
        ((Q, K1, K2[:0], V1, V2[:0]), "K2 has no rows"),
        ((Q[0], K1, K2, V1, V2), "Q must have shape"),
        ((np.where(Q > 1, np.nan, Q), K1, K2, V1, V2), "Q contains non-finite"),
        ((Q, K1, K2, V1, np.full_like(V2, np.inf)), "V2 contains non-finite"),
        ((np.zeros((2, 6, 3)), K1, K2, np.zeros((3, 6, 3)), V2), "batch dimensions"),
    ],
)
@pytest.mark.parametrize("fn", [kronecker_attention, kronecker_attention_naive])
def test_shape_and_value_errors(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"window": (0, 3)}, "window sizes must be integers >= 1, got window w1 = 0"),
        ({"window": (3, -1)}, "w2 = -1"),
        ({"window": (2.5, 3)}, "w1"),
        ({"window": 3}, "window must be a pair"),
        ({"mask": "future"}, "mask must be None or 'causal'"),
        ({"method": "fast"}, "method must be"),
        ({"scale": np.inf}, "scale must be finite"),
        ({"degree": 0}, "degree must be a positive integer"),
        ({"degree": 13}, "degree must be in 1..12"),
        ({"atol": -1.0}, "atol must be"),
        ({"workers": 0}, "workers must be"),
        ({"method": "poly", "window": (2, 2)}, "poly.*not window"),
    ],
)
def test_option_errors(kw, match):
    with pytest.raises(ValueError, match=match):
        kronecker_attention(Q, K1, K2, V1, V2, **kw)


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"scale": "big"}, "scale must be a finite real number"),
        ({"degree": 2.0}, "degree must be a positive integer"),
        ({"degree": True}, "degree must be a positive integer"),
        ({"atol": "1e-3"}, "atol must be a real number"),
    ],
)
def test_option_type_errors(kw, match):
    # wrong types are TypeError (they were ValueError), as everywhere in numkit
    with pytest.raises(TypeError, match=match):
        kronecker_attention(Q, K1, K2, V1, V2, **kw)


def test_window_past_the_keys():
    with pytest.raises(ValueError, match="window leaves the last queries without K2 rows"):
        kronecker_attention(Q, K1, K2[:3], V1, V2[:3], window=(2, 2))


def test_grad_errors():
    with pytest.raises(ValueError, match="dout must have the output's shape"):
        kronecker_attention_grad(Q, K1, K2, V1, V2, np.zeros((6, 2)))
    with pytest.raises(ValueError, match="dout contains non-finite"):
        kronecker_attention_grad(Q, K1, K2, V1, V2, np.full((6, 3), np.nan))
    with pytest.raises(ValueError, match="window"):
        kronecker_attention_grad(Q, K1, K2, V1, V2, np.zeros((6, 3)), window=(1, 0))


def test_non_numeric_is_type_error():
    with pytest.raises(TypeError, match="Q must be a real numeric array"):
        kronecker_attention(np.array([["a"]]), K1, K2, V1, V2)


def test_other_functions_validate():
    with pytest.raises(ValueError, match="K has d = 2"):
        softmax_attention(Q, K1[:, :2], V1)
    with pytest.raises(ValueError, match="degree"):
        poly_error_bound(Q, K1, K2, V1, V2, degree=99)
