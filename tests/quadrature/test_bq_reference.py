"""State-space BQ weights and posterior std against 50-digit dense BQ (mpmath), and the Wiener
kernel against the trapezoid rule (an exact identity)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numkit.quadrature import (
    BayesianQuadrature,
    bq_weights,
    kernel_matrix,
    kernel_mean,
    trapezoid,
)

from ._reference import dense_bq

CASES = [
    # (kernel, lengthscale, domain, nodes): the paper's long lengthscale on a short interval,
    # moderate and short lengthscales, irregular nodes, nodes not at the ends (tails).
    ("matern12", 0.3, (0.0, 0.1), np.linspace(0.0, 0.1, 9)),
    ("matern32", 0.3, (0.0, 0.1), np.linspace(0.0, 0.1, 9)),
    ("matern52", 0.3, (0.0, 0.1), np.linspace(0.0, 0.1, 9)),
    ("matern72", 0.3, (0.0, 0.1), np.linspace(0.0, 0.1, 9)),
    ("matern72", 0.3, (0.0, 0.1), np.linspace(0.0, 0.1, 13)),
    ("matern52", 0.05, (0.0, 1.0), np.array([0.02, 0.1, 0.15, 0.4, 0.41, 0.7, 0.93])),
    ("matern32", 2.0, (-1.0, 1.0), np.array([-0.9, -0.2, 0.0, 0.5, 0.8])),
    ("matern72", 0.7, (0.0, 1.0), np.array([0.3, 0.35, 0.6])),  # extrapolating: weights ~ +-2.8
    ("matern12", 0.2, (0.0, 1.0), np.array([0.5])),
    ("wiener", 0.5, (0.0, 1.0), np.array([0.1, 0.3, 0.35, 0.9])),
]


@pytest.mark.parametrize(("kernel", "ell", "domain", "nodes"), CASES)
def test_weights_and_std_match_dense_mpmath(kernel, ell, domain, nodes):
    w_ref, var_ref = dense_bq(nodes, kernel, ell, domain)
    w, std = bq_weights(nodes, kernel=kernel, lengthscale=ell, domain=domain)
    # Weights: 1e-13 of the largest weight (measured <= 3e-15 relative with nodes spread over the
    # domain, Gram condition numbers up to 1e12 here, where a dense double solve keeps ~4 digits;
    # the three extrapolating nodes, weights +-2.8 that cancel to 1: 1e-15).
    assert np.max(np.abs(w - w_ref)) <= 1e-13 * np.max(np.abs(w_ref))
    # Posterior std: relative, even when it is 1e-9 of the prior std (no cancellation).
    assert abs(std - np.sqrt(var_ref)) <= 1e-12 * np.sqrt(var_ref)


def test_dense_double_precision_loses_digits_where_state_space_does_not():
    # Same case as above (Matern-7/2, lengthscale 0.3 on [0, 0.1], 13 nodes): the Gram matrix has
    # condition ~6e11 and the textbook dense solve w = K^-1 z loses most digits of the weights.
    x = np.linspace(0.0, 0.1, 13)
    K = kernel_matrix(x, kernel="matern72", lengthscale=0.3)
    z = kernel_mean(x, kernel="matern72", lengthscale=0.3, domain=(0.0, 0.1))
    w_ref, _ = dense_bq(x, "matern72", 0.3, (0.0, 0.1))
    w, _ = bq_weights(x, kernel="matern72", lengthscale=0.3, domain=(0.0, 0.1))
    assert np.linalg.cond(K) > 1e11
    err_dense = np.max(np.abs(np.linalg.solve(K, z) - w_ref))
    err_ours = np.max(np.abs(w - w_ref))
    assert err_ours < 1e-3 * err_dense


@pytest.mark.parametrize(
    "nodes",
    [
        np.linspace(0.0, 1.0, 2),
        np.linspace(0.0, 1.0, 17),
        np.array([0.0, 0.01, 0.3, 0.31, 0.9, 1.0]),
        [*np.sort(np.random.default_rng(3).uniform(0.0, 1.0, 40)).tolist(), 1.0],
    ],
)
@pytest.mark.parametrize("ell", [1e-3, 1.0, 1e3])
def test_wiener_reproduces_trapezoid_weights(nodes, ell):
    nodes = np.concatenate([[0.0], np.asarray(nodes, dtype=float)[1:]]) if nodes[0] != 0 else nodes
    nodes = np.asarray(nodes, dtype=float)
    w, _ = bq_weights(nodes, kernel="wiener", lengthscale=ell, domain=(0.0, 1.0))
    eye = np.eye(nodes.size)
    w_trap = trapezoid(eye, nodes, axis=-1)
    np.testing.assert_allclose(w, w_trap, rtol=1e-15, atol=1e-17)


def test_wiener_std_is_brownian_bridge_variance():
    # Nodes at both ends: Var = sum of Brownian-bridge integrals h^3 / 12 (closed form).
    x = np.array([0.0, 0.2, 0.5, 1.0])
    _, std = bq_weights(x, kernel="wiener", lengthscale=1.0, domain=(0.0, 1.0))
    assert std == pytest.approx(np.sqrt(np.sum(np.diff(x) ** 3) / 12), rel=1e-15)


def test_permuted_nodes_give_permuted_weights():
    x = np.array([0.3, 0.0, 0.9, 0.5, 1.0])
    order = np.argsort(x)
    w1, s1 = bq_weights(x, kernel="matern52", lengthscale=0.4, domain=(0, 1))
    w2, s2 = bq_weights(x[order], kernel="matern52", lengthscale=0.4, domain=(0, 1))
    np.testing.assert_array_equal(w1[order], w2)
    assert s1 == s2


def test_object_weights_equal_function_weights():
    x = np.linspace(0, 2, 11)
    bq = BayesianQuadrature(x, kernel="matern32", lengthscale=0.7, domain=(0, 2))
    w, s = bq_weights(x, kernel="matern32", lengthscale=0.7, domain=(0, 2))
    np.testing.assert_array_equal(bq.weights, w)
    assert bq.std == s


def _close_pair(gap):
    # A 9-node uniform grid plus one node `gap` after the middle one: spacing ratio 0.125 / gap.
    return np.sort(np.append(np.linspace(0, 1, 9), 0.5 + gap))


def _relative_error(w, w_ref):
    return np.max(np.abs(w - w_ref)) / np.max(np.abs(w_ref))


@pytest.mark.parametrize(
    ("gap", "kernel"),
    [
        (1e-2, "matern72"),  # ratio 12.5: measured 9e-16 (before the sweep: 2.4e-12)
        (1e-3, "matern72"),  # ratio 125: 1.1e-14 (before: 5.5e-6)
        (1e-3, "matern52"),  # ratio 125: 3.6e-15 (before: 2e-11)
        (1e-4, "matern32"),  # ratio 1250: 4e-15
        (1e-7, "matern12"),  # ratio 1.25e6: 3e-16
    ],
)
def test_close_pair_weights_to_1e13(gap, kernel):
    x = _close_pair(gap)
    w_ref, var_ref = dense_bq(x, kernel, 1.0, (0, 1), dps=90)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no accuracy warning where the weights are this good
        w, std = bq_weights(x, kernel=kernel, lengthscale=1.0, domain=(0, 1))
    assert _relative_error(w, w_ref) <= 1e-13
    assert abs(std - np.sqrt(var_ref)) <= 1e-13 * np.sqrt(var_ref)


@pytest.mark.parametrize(
    ("gap", "kernel", "tol", "warns"),
    [
        (1e-4, "matern72", 3e-12, True),  # ratio 1250: measured 5.2e-13 (before: all digits lost)
        (1e-5, "matern72", 1e-7, True),  # ratio 1.25e4: 1.6e-8
        (1e-4, "matern52", 1e-12, False),  # ratio 1250: 1.3e-13
        (1e-5, "matern52", 3e-11, True),  # ratio 1.25e4: 3e-12 (before: 5e-5)
        (1e-5, "matern32", 1e-11, False),  # ratio 1.25e4: 7e-13
    ],
)
def test_close_pair_known_error_growth(gap, kernel, tol, warns):
    # Known weakness: the weights' rounding still grows with the spacing ratio (measured up to
    # ~eps ratio^p (p = nu - 1/2) times 0.7 / 1e-3 / 4e-5 for p = 1 / 2 / 3 with the long-double
    # sweep); the bars are the measured errors with a margin, and the warning fires where the
    # documented estimate passes 1e-11. The std stays exact.
    x = _close_pair(gap)
    w_ref, var_ref = dense_bq(x, kernel, 1.0, (0, 1), dps=90)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w, std = bq_weights(x, kernel=kernel, lengthscale=1.0, domain=(0, 1))
    assert any("spacings differ" in str(c.message) for c in caught) == warns
    assert _relative_error(w, w_ref) <= tol
    assert abs(std - np.sqrt(var_ref)) <= 1e-13 * np.sqrt(var_ref)


@pytest.mark.xfail(
    strict=True,
    reason="known: a spacing ratio of 1250 costs the Matern-7/2 weights 5e-13 relative "
    "(long-double sweep), above the 1e-13 bar; a warning is raised",
)
def test_nearly_coincident_nodes_weights_known_failure():
    x = _close_pair(1e-4)
    w_ref, _ = dense_bq(x, "matern72", 1.0, (0, 1), dps=90)
    with pytest.warns(RuntimeWarning, match="spacings differ"):
        w, _ = bq_weights(x, kernel="matern72", lengthscale=1.0, domain=(0, 1))
    assert _relative_error(w, w_ref) <= 1e-13


# Largest measured error / (eps ratio^p) of the weights per Matern order (documented bound of the
# double sweep; the long-double sweep used above ratio 8 stays far below it).
_GROWTH = {"matern32": (1, 1.0), "matern52": (2, 0.3), "matern72": (3, 0.1)}


@pytest.mark.parametrize("seed", range(9))
def test_random_nonuniform_nodes(seed):
    # Random node sets, random order and lengthscale, nodes not at the domain ends: uniform draws
    # (seeds 0-5, spacing ratios 3 .. 4e3) and log-uniform gaps over three decades (seeds 6-8,
    # clustered nodes). Bar: 1e-13, or the documented growth c_p eps ratio^p where larger.
    rng = np.random.default_rng(100 + seed)
    kernel = ("matern32", "matern52", "matern72")[seed % 3]
    n = int(rng.integers(5, 12))
    if seed < 6:
        x = rng.uniform(0.0, 1.0, n)
    else:
        gaps = 10 ** rng.uniform(-3.0, 0.0, n + 1)
        x = rng.permutation(np.cumsum(gaps)[:-1] / gaps.sum())
    ell = float(10 ** rng.uniform(-1.0, 0.5))
    w_ref, var_ref = dense_bq(x, kernel, ell, (0, 1), dps=60)
    w, std = bq_weights(x, kernel=kernel, lengthscale=ell, domain=(0, 1))
    gaps = np.diff(np.sort(x))
    p, c = _GROWTH[kernel]
    bound = max(1e-13, c * np.finfo(float).eps * (gaps.max() / gaps.min()) ** p)
    assert _relative_error(w, w_ref) <= bound
    assert abs(std - np.sqrt(var_ref)) <= 1e-12 * np.sqrt(var_ref)
