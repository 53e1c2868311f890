"""State-space BQ weights and posterior std against 50-digit dense BQ (mpmath), and the Wiener
kernel against the trapezoid rule (an exact identity)."""

from __future__ import annotations

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
    # domain, Gram condition numbers up to 1e12 here, where a dense double solve keeps ~4 digits).
    # Known weaker case: three nodes extrapolating over tails longer than the lengthscale have
    # weights of +-2.8 that cancel to 1; they move by 5e-14 .. 6e-12 relative with the rounding
    # of the transition matrices (a dense double solve, condition 5e3, errs 2e-13 there).
    tol = 1e-11 if nodes.size == 3 else 1e-13
    assert np.max(np.abs(w - w_ref)) <= tol * np.max(np.abs(w_ref))
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


@pytest.mark.parametrize(
    ("gap", "kernel", "tol"), [(1e-2, "matern72", 1e-11), (1e-3, "matern52", 1e-9)]
)
def test_one_close_pair_moderate_ratio(gap, kernel, tol):
    # A uniform grid plus one node `gap` after the middle one: spacing ratio 0.08 / 0.008.
    # Known weakness (see the report): the weights' rounding grows like the spacing ratio to the
    # power -(2p + 1); these bars are the measured 2.4e-12 / 2e-11 with a margin (no warning is
    # raised at these ratios). The std stays exact.
    x = np.sort(np.append(np.linspace(0, 1, 9), 0.5 + gap))
    w_ref, var_ref = dense_bq(x, kernel, 1.0, (0, 1), dps=90)
    w, std = bq_weights(x, kernel=kernel, lengthscale=1.0, domain=(0, 1))
    assert np.max(np.abs(w - w_ref)) <= tol * np.max(np.abs(w_ref))
    assert abs(std - np.sqrt(var_ref)) <= 1e-13 * np.sqrt(var_ref)


@pytest.mark.xfail(
    strict=True,
    reason="known: nearly coincident nodes (spacing ratio 8e-4) cost "
    "the Matern-7/2 weights all digits; a warning is raised",
)
def test_nearly_coincident_nodes_weights_known_failure():
    x = np.sort(np.append(np.linspace(0, 1, 9), 0.5 + 1e-4))
    w_ref, _ = dense_bq(x, "matern72", 1.0, (0, 1), dps=90)
    with pytest.warns(RuntimeWarning, match="spacings differ"):
        w, _ = bq_weights(x, kernel="matern72", lengthscale=1.0, domain=(0, 1))
    assert np.max(np.abs(w - w_ref)) <= 1e-10 * np.max(np.abs(w_ref))
