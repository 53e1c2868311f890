"""method="poly": its reported bound holds in every case (against the float64 definition or the
exact kernel, itself within 1e-12 of the definition), and auto picks it only when it may."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numkit.attention import kronecker_attention, kronecker_attention_naive, poly_error_bound

from ._reference import random_inputs

# These tests run loose degrees on purpose, to check that the bound holds there too.
pytestmark = pytest.mark.filterwarnings("ignore::numkit.attention.PolyAccuracyWarning")


def bounded_inputs(rng, n, d, B, batch=(), n2=None):
    """Entries uniform in [-B, B] (the paper's bounded regime): with scale 1/d, |s| <= B^3."""
    n2 = n if n2 is None else n2
    u = lambda *s: rng.uniform(-B, B, batch + s)  # noqa: E731
    return (
        u(n, d),
        u(n, d),
        u(n2, d),
        rng.standard_normal((*batch, n, d)),
        rng.standard_normal((*batch, n2, d)),
    )


@pytest.mark.parametrize("B3", [1, 2, 4])
@pytest.mark.parametrize("degree", [1, 2, 3, 5, 8])
def test_bound_holds_bounded_inputs(B3, degree):
    rng = np.random.default_rng(10 * B3 + degree)
    args = bounded_inputs(rng, 48, 4, B3 ** (1 / 3))
    b = poly_error_bound(*args, degree=degree)
    assert b.radius <= B3 * (1 + 1e-12)
    assert b.rank == {1: 5, 2: 15, 3: 35, 5: 126, 8: 495}[degree]
    out = kronecker_attention(*args, method="poly", degree=degree)
    ref = kronecker_attention_naive(*args)
    err = float(np.max(np.abs(out - ref)))
    assert err <= b.bound, (err, b.bound)


@pytest.mark.parametrize("mask", [None, "causal"])
def test_bound_holds_causal_cross_batch(mask):
    rng = np.random.default_rng(5)
    args = bounded_inputs(rng, 70, 3, 1.2, batch=(2,), n2=45)
    for degree in (2, 4, 7):
        b = poly_error_bound(*args, degree=degree, mask=mask)
        out = kronecker_attention(*args, method="poly", degree=degree, mask=mask)
        ref = kronecker_attention(*args, method="exact", mask=mask)
        err = float(np.max(np.abs(out - ref)))
        assert err + 1e-12 <= b.bound, (degree, err, b.bound)


def test_error_falls_with_degree_and_bound_is_not_vacuous():
    rng = np.random.default_rng(6)
    args = bounded_inputs(rng, 40, 4, 1.0)
    ref = kronecker_attention_naive(*args)
    errs, bounds = [], []
    for g in (2, 4, 6, 8, 10):
        errs.append(np.max(np.abs(kronecker_attention(*args, method="poly", degree=g) - ref)))
        bounds.append(poly_error_bound(*args, degree=g).bound)
    assert all(e <= b for e, b in zip(errs, bounds))
    assert bounds[-1] < 1e-9 and errs[-1] < 1e-10
    assert errs[0] > errs[2] > errs[4]


def test_atol_picks_degree_and_meets_it():
    rng = np.random.default_rng(7)
    args = bounded_inputs(rng, 60, 4, 1.0)
    ref = kronecker_attention_naive(*args)
    for atol in (1e-2, 1e-5, 1e-8):
        out = kronecker_attention(*args, method="poly", atol=atol)
        assert np.max(np.abs(out - ref)) <= atol


def test_large_logits_give_infinite_bound_and_poly_refuses_atol():
    rng = np.random.default_rng(8)
    args = random_inputs(rng, (), 20, 16, scale=30.0)
    assert poly_error_bound(*args, degree=3).bound == np.inf
    with pytest.raises(ValueError, match="atol"):
        kronecker_attention(*args, method="poly", atol=1e-6)


def test_auto_uses_exact_without_atol_and_for_small_n():
    rng = np.random.default_rng(9)
    args = bounded_inputs(rng, 30, 4, 1.0)
    ref = kronecker_attention_naive(*args)
    # small n: exact is cheaper, so auto is exact even with a loose atol
    assert np.max(np.abs(kronecker_attention(*args, atol=1e-1) - ref)) <= 1e-12
    assert np.max(np.abs(kronecker_attention(*args) - ref)) <= 1e-12


def test_auto_picks_poly_for_long_bounded_sequences():
    rng = np.random.default_rng(10)
    n = 3000
    args = bounded_inputs(rng, n, 4, 0.8)
    atol = 1e-2
    out = kronecker_attention(*args, atol=atol)  # exact would need n^3 = 2.7e10 triples
    ref = kronecker_attention(args[0][:5], *args[1:], method="exact")
    err = np.max(np.abs(out[:5] - ref))
    assert 1e-13 < err <= atol  # nonzero: the approximation ran (exact would take a minute)


def test_logit_radius_past_float64s_exp_gives_an_infinite_bound_not_an_overflow():
    # R > ~709: e^R overflows float64; the bound is infinite and atol is refused by name.
    rng = np.random.default_rng(9)
    args = random_inputs(rng, (), 12, 4, scale=200.0)
    b = poly_error_bound(*args, degree=4)
    assert b.radius > 709 and b.bound == np.inf
    with pytest.raises(ValueError, match="no degree"):
        kronecker_attention(*args, method="poly", atol=1e-6)
    # auto with atol falls back to the exact method (it raised OverflowError before)
    np.testing.assert_allclose(
        kronecker_attention(*args, atol=1e-6), kronecker_attention_naive(*args), rtol=1e-10
    )


def test_poly_without_atol_warns_when_its_bound_says_nothing() -> None:
    # Standard-normal inputs: degree 3 (the default) was 27-85% of the output off, silently.
    from numkit.attention import PolyAccuracyWarning

    rng = np.random.default_rng(0)
    args = [rng.standard_normal((64, 4)) for _ in range(5)]
    ref = kronecker_attention_naive(*args)
    with pytest.warns(PolyAccuracyWarning, match="default degree 3 gives no guarantee"):
        out = kronecker_attention(*args, method="poly")
    assert np.max(np.abs(out - ref)) > 0.05 * np.max(np.abs(ref))  # the warning is deserved
    with pytest.warns(PolyAccuracyWarning, match="given degree 5"):
        kronecker_attention(*args, method="poly", degree=5)
    with pytest.raises(ValueError, match="no degree"):
        kronecker_attention(*args, method="poly", atol=1e-6)  # with atol: an error, as before
    small = [0.1 * a for a in args]  # logits within ~0.02: degree 3 is guaranteed to ~1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = kronecker_attention(*small, method="poly")
    assert np.max(np.abs(out - kronecker_attention_naive(*small))) <= poly_error_bound(*small).bound
