"""Bases, the exact interval integral, the simulator and measured off-policy data, each against an
independent reference (closed forms, finite differences, scipy's quad and Lyapunov solver)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate as si
import scipy.linalg as sl
from numkit.control import (
    CallableBasis,
    LinearPolicy,
    LinearSystem,
    PolynomialBasis,
    QuadraticBasis,
    Trajectory,
    intrl_policy_iteration,
    simulate,
)
from numkit.control._paper import linear_task
from numkit.control._rules import lyapunov_interval_matrix

RNG = np.random.default_rng(1)


def test_quadratic_basis_order_and_matrix_roundtrip():
    b = QuadraticBasis(2)
    x = np.array([[2.0, 3.0]])
    assert np.array_equal(b.phi(x), [[4.0, 6.0, 9.0]])  # x1^2, x1 x2, x2^2
    assert b.names == ("x1^2", "x1 x2", "x2^2")
    b3 = QuadraticBasis(3)
    P = RNG.standard_normal((3, 3))
    P = P + P.T
    w = b3.from_matrix(P)
    X = RNG.standard_normal((7, 3))
    assert np.allclose(b3.phi(X) @ w, np.einsum("ij,jk,ik->i", X, P, X), rtol=1e-13)
    assert np.allclose(b3.to_matrix(w), P, rtol=1e-14)


@pytest.mark.parametrize("basis", [QuadraticBasis(3), PolynomialBasis(3, 4), PolynomialBasis(2, 3)])
def test_basis_gradients_against_central_differences(basis):
    X = RNG.standard_normal((4, basis.n))
    G = basis.grad(X)
    h = 1e-6
    for j in range(basis.n):
        E = np.zeros(basis.n)
        E[j] = h
        fd = (basis.phi(X + E) - basis.phi(X - E)) / (2 * h)
        assert np.allclose(G[:, :, j], fd, rtol=1e-8, atol=1e-8)


def test_polynomial_basis_starts_with_the_quadratic_order():
    p = PolynomialBasis(2, 4)
    assert p.names[:3] == QuadraticBasis(2).names
    assert p.size == 3 + 4 + 5
    assert p.names[3:7] == ("x1^3", "x1^2 x2", "x1 x2^2", "x2^3")


def test_callable_basis_checks_its_shapes():
    b = CallableBasis(lambda x: np.array([x[0] ** 2, x[1] ** 2]), lambda x: np.diag(2 * x))
    b.bind(2)
    assert b.size == 2
    assert np.allclose(b.grad(np.array([[1.0, 2.0]])), [[[2, 0], [0, 4]]])
    bad = CallableBasis(lambda x: x**2, lambda x: np.ones(3))
    with pytest.raises(ValueError, match="grad_phi"):
        bad.bind(2)


def test_interval_matrix_against_lyapunov_identity_and_quad():
    A = np.array([[0, 1, 0], [0, 0, 1], [-0.1, -0.5, -0.7]])
    Q = np.diag([1.0, 2.0, 3.0])
    T = 0.37
    M = lyapunov_interval_matrix(A, Q, T)
    X = sl.solve_continuous_lyapunov(A.T, -Q)
    E = sl.expm(A * T)
    assert np.allclose(M, X - E.T @ X @ E, rtol=1e-12, atol=1e-13)
    x0 = np.array([2.0, -2.0, 3.0])

    def quad_reference(A, Q):
        # x(t) = V exp(L t) V^-1 x0 from the eigendecomposition, integrated by adaptive quad
        lam, V = np.linalg.eig(A)
        c = np.linalg.solve(V, x0)

        def integrand(t):
            x = (V @ (np.exp(lam * t) * c)).real
            return x @ Q @ x

        return si.quad(integrand, 0, T, epsabs=0, epsrel=1e-13)[0]

    assert x0 @ M @ x0 == pytest.approx(quad_reference(A, Q), rel=1e-12)
    # no stability needed: an unstable A, checked against quad directly
    Au = A + 2 * np.eye(3)
    Mu = lyapunov_interval_matrix(Au, np.eye(3), T)
    assert x0 @ Mu @ x0 == pytest.approx(quad_reference(Au, np.eye(3)), rel=1e-12)


def test_simulate_matches_the_closed_form():
    # x' = a x + b u with u = -k x: x(t) = x0 exp((a - b k) t); exact path and DOP853
    system = LinearSystem([[0.3]], [[1.0]], [[1.0]], [[1.0]])
    pol = LinearPolicy([[1.3]])
    for method in ("expm", "DOP853"):
        tr = simulate(
            system, pol, [2.0], (0.0, 1.0), n_samples_per_interval=5, T=0.1, method=method
        )
        assert tr.t.shape == (41,) and tr.x.shape == (41, 1) and tr.u.shape == (41, 1)
        ref = 2.0 * np.exp(-tr.t)
        assert np.allclose(tr.x[:, 0], ref, rtol=1e-12, atol=0)
        assert np.allclose(tr.u[:, 0], -1.3 * ref, rtol=1e-12)


def test_exploration_is_added_to_the_recorded_control():
    system, _, _, _ = linear_task()
    tr = simulate(
        system,
        LinearPolicy(np.zeros((1, 3))),
        [1.0, 0.0, 0.0],
        (0.0, 0.5),
        n_samples_per_interval=3,
        T=0.1,
        exploration=lambda t: np.array([np.sin(t)]),
    )
    assert np.allclose(tr.u[:, 0], np.sin(tr.t), rtol=1e-14)


def test_trajectory_validation():
    with pytest.raises(ValueError, match="strictly increasing"):
        Trajectory([0, 1, 1], np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="one row per time"):
        Trajectory([0, 1, 2], np.zeros((2, 2)), np.zeros(3))
    tr = Trajectory(np.arange(9) * 0.025, np.ones((9, 2)), np.zeros(9))
    X, U = tr.intervals(0.1, 5)
    assert X.shape == (2, 5, 2) and U.shape == (2, 5, 1)
    with pytest.raises(ValueError, match="sampled every"):
        tr.intervals(0.1, 3)


def test_measured_off_policy_data_learn_the_care_solution():
    # One trajectory under K0 = 0 with a probing input, reused by every iteration: the
    # off-policy term int grad phi g (u - u_k) makes it exact for any behaviour input.
    system, basis, _, P_care = linear_task()

    def probe(t):
        return np.array([np.sin(3.0 * t) + 0.5 * np.cos(7.0 * t)])

    data = simulate(
        system,
        LinearPolicy(np.zeros((1, 3))),
        [2.0, -2.0, 3.0],
        (0.0, 3.0),
        n_samples_per_interval=9,
        T=0.1,
        exploration=probe,
    )
    res = intrl_policy_iteration(system, basis, T=0.1, N=9, quadrature="gregory", data=data)
    assert res.converged, res.message
    # measured 6e-9 (gregory order 8 on 9 samples and the DOP853 floor)
    assert np.linalg.norm(res.P - P_care) < 1e-7


def test_callable_basis_learns_the_nonlinear_task_like_the_quadratic_one():
    from numkit.control._paper import nonlinear_task

    system, _, settings, w_star = nonlinear_task()
    basis = CallableBasis(
        lambda x: np.array([x[0] ** 2, x[0] * x[1], x[1] ** 2]),
        lambda x: np.array([[2 * x[0], 0.0], [x[1], x[0]], [0.0, 2 * x[1]]]),
    )
    res = intrl_policy_iteration(system, basis, N=5, quadrature="gregory", **settings)
    assert res.converged, res.message
    assert res.P is None
    assert res.error(w_star) < 1e-8  # measured 9.4e-10, as with QuadraticBasis(2)


def test_result_plot_draws_weights_and_errors():
    import matplotlib

    matplotlib.use("Agg")
    system, basis, settings, P_care = linear_task()
    res = intrl_policy_iteration(system, basis, N=5, quadrature="simpson", **settings)
    ax = res.plot()
    assert len(ax.lines) == basis.size
    ax = res.plot(reference=P_care)
    assert ax.get_yscale() == "log" and len(ax.lines[0].get_ydata()) == res.n_iter
