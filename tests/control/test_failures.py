"""Every failure is detected and named: non-stabilizing initial policies, rank-deficient least
squares (too few intervals, unexcited basis), simulations that blow up, non-convergence, bad input.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from numkit.control import (
    ControlAffineSystem,
    LinearSystem,
    PolicyIterationWarning,
    PolynomialBasis,
    QuadraticBasis,
    SimulationError,
    intrl_policy_iteration,
    simulate,
)
from numkit.control._paper import linear_task, nonlinear_task
from numkit.control._rules import lyapunov_interval_matrix
from numkit.quadrature import trapezoid
from scipy.linalg import solve_continuous_lyapunov


def test_non_stabilizing_initial_gain_of_a_linear_system():
    system, basis, settings, _ = linear_task()
    with pytest.raises(ValueError, match=r"initial policy is not stabilizing.*eigenvalue"):
        intrl_policy_iteration(system, basis, N=5, initial_policy=[[-5.0, -5.0, -5.0]], **settings)


def test_unstable_open_loop_with_the_default_zero_gain():
    system = LinearSystem([[0.5, 1.0], [0.0, -1.0]], [[0.0], [1.0]], np.eye(2), np.eye(1))
    with pytest.raises(ValueError, match="not stabilizing"):
        intrl_policy_iteration(system, QuadraticBasis(2), T=0.1, N=5, n_intervals=10, x0=[1, 1])


def test_non_stabilizing_initial_policy_of_a_nonlinear_system():
    # u = +3 x2 sin(x1) pushes x2 away: the fitted cost-to-go cannot be positive
    system, basis, settings, _ = nonlinear_task()
    settings = {k: v for k, v in settings.items() if k != "initial_weights"}
    with pytest.raises((ValueError, SimulationError), match="not stabilizing"):
        intrl_policy_iteration(
            system,
            basis,
            N=5,
            initial_policy=lambda x: np.array([3 * np.sin(x[0]) * x[1]]),
            **settings,
        )


def test_finite_escape_time_is_a_simulation_error():
    # dx/dt = x^2 + u escapes at t = 1/x0 = 0.2 s under u = 0
    system = ControlAffineSystem(lambda x: x**2, lambda x: np.ones((1, 1)), np.eye(1), np.eye(1))
    with pytest.raises(SimulationError, match="grew past") as info:
        simulate(system, lambda x: np.zeros(1), [5.0], (0.0, 1.0), n_samples_per_interval=5, T=0.1)
    assert 0.15 < info.value.t < 0.21
    with pytest.raises(SimulationError, match="initial policy"):
        intrl_policy_iteration(
            system,
            QuadraticBasis(1),
            T=0.1,
            N=5,
            n_intervals=10,
            x0=[5.0],
            initial_policy=lambda x: np.zeros(1),
        )


def test_too_few_intervals_says_how_many_are_needed():
    system, basis, settings, _ = linear_task()
    settings = {**settings, "n_intervals": 4}
    with pytest.raises(ValueError, match="at least 6 intervals"):
        intrl_policy_iteration(system, basis, N=5, **settings)


def test_unexcited_basis_is_rank_deficient():
    # x0 on the real eigenvector of A (K0 = 0): the trajectory stays on a line, phi spans 1-D
    system, basis, settings, _ = linear_task()
    ev, V = np.linalg.eig(system.A)
    x0 = 3 * np.real(V[:, np.argmin(np.abs(ev.imag))])
    settings = {**settings, "x0": x0}
    with pytest.raises(ValueError, match=r"rank 1 < 6.*at least 6 intervals"):
        intrl_policy_iteration(system, basis, N=5, **settings)


def test_non_convergence_is_reported_not_hidden():
    system, basis, settings, ref = linear_task()
    with pytest.warns(PolicyIterationWarning, match="did not converge: not converged after"):
        res = intrl_policy_iteration(
            system, basis, N=5, quadrature="gregory", max_iter=3, **settings
        )
    assert not res.converged
    assert "not converged after max_iter = 3" in res.message
    assert res.n_iter == 3 and res.weight_history.shape == (3, 6)
    assert res.error(ref) > 1e-3  # three Kleinman steps from K0 = 0 are far from the optimum


def test_a_later_failure_ends_with_converged_false():
    # A wrong rule (integrals x10) gives a huge gain; under it the state collapses onto a fast
    # subspace within one interval and the next evaluation's data no longer excite the basis.
    system, basis, settings, _ = linear_task()
    w = 10 * trapezoid(np.eye(5), dx=0.025)
    with pytest.warns(PolicyIterationWarning, match="numerical rank"):
        res = intrl_policy_iteration(system, basis, N=5, quadrature=w, **settings)
    assert not res.converged
    assert res.message.startswith("iteration 2: the least-squares matrix has numerical rank")
    assert res.n_iter == 1


def test_negative_integrals_are_caught_by_the_positivity_check():
    system, basis, settings, _ = linear_task()
    w = -trapezoid(np.eye(5), dx=0.025)
    with pytest.raises(ValueError, match="cost-to-go is not positive"):
        intrl_policy_iteration(system, basis, N=5, quadrature=w, **settings)


@pytest.mark.parametrize(
    ("kw", "exc", "match"),
    [
        ({"quadrature": "boole"}, ValueError, "quadrature must be one of"),
        ({"quadrature": np.ones(4)}, ValueError, "5 finite real numbers"),
        ({"N": 1}, ValueError, "N must be an integer >= 2"),
        ({"T": -0.1}, ValueError, "T must be finite and > 0"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"tol": -1.0}, ValueError, "tol must be"),
        ({"x0": [1.0, 2.0]}, ValueError, "x0 must have shape"),
        ({"x0": None}, ValueError, "exactly one of x0"),
        ({"n_intervals": None}, ValueError, "n_intervals is required"),
        ({"initial_weights": [1, 2]}, ValueError, "initial_weights must be 6"),
        ({"initial_weights": np.zeros(6), "initial_policy": [[0, 0, 0]]}, ValueError, "not both"),
        ({"initial_policy": "zero"}, TypeError, "initial_policy must be callable"),
    ],
)
def test_bad_input_is_a_clear_error(kw, exc, match):
    system, basis, settings, _ = linear_task()
    with pytest.raises(exc, match=match):
        intrl_policy_iteration(system, basis, **{"N": 5, **settings, **kw})


def test_bad_systems_and_bases():
    with pytest.raises(ValueError, match="R must be positive definite"):
        LinearSystem(np.eye(2), np.ones((2, 1)), np.eye(2), [[0.0]])
    with pytest.raises(ValueError, match="Q must be positive semidefinite"):
        LinearSystem(np.eye(2), np.ones((2, 1)), -np.eye(2), [[1.0]])
    with pytest.raises(ValueError, match="B must have 2 rows"):
        LinearSystem(np.eye(2), np.ones((3, 1)), np.eye(2), [[1.0]])
    with pytest.raises(TypeError, match="f must be callable"):
        ControlAffineSystem(1.0, lambda x: x, np.eye(1), np.eye(1))
    system, _, settings, _ = linear_task()
    with pytest.raises(ValueError, match="basis is for n = 2"):
        intrl_policy_iteration(system, QuadraticBasis(2), N=5, **settings)
    with pytest.raises(TypeError, match="basis must be"):
        intrl_policy_iteration(system, object(), N=5, **settings)
    with pytest.raises(ValueError, match="'exact' needs a LinearSystem"):
        A, B = system.A, system.B
        generic = ControlAffineSystem(lambda x: A @ x, lambda x: B, np.eye(3), np.eye(1))
        intrl_policy_iteration(generic, QuadraticBasis(3), N=5, quadrature="exact", **settings)
    with pytest.raises(ValueError, match="whole number of intervals"):
        simulate(
            system, lambda x: np.zeros(1), np.ones(3), (0, 0.25), n_samples_per_interval=5, T=0.1
        )


def test_simulation_far_from_t0_zero_matches_the_same_run_from_zero():
    # The solver runs in local time t - t0, and the trajectory's spacing check allows for the
    # times' own rounding (ulp(1e8) = 1.5e-8: simulate's samples were refused as data).
    system = LinearSystem([[0.0, 1.0], [-1.0, -0.5]], [[0.0], [1.0]], np.eye(2), np.eye(1))
    runs = []
    for t0 in (0.0, 1e8):
        traj = simulate(
            system,
            lambda x: np.array([-0.3 * x[0]]),  # not a LinearPolicy: the ODE solver runs
            [1.0, 0.0],
            (t0, t0 + 0.5),
            n_samples_per_interval=5,
            T=0.1,
        )
        traj.intervals(0.1, 5)
        runs.append(traj.x)
    # (the samples are at the rounded times t0 + k h: up to 1.5e-8 apart, |dx/dt| <= 1)
    np.testing.assert_allclose(runs[1], runs[0], rtol=0, atol=3e-8)


def test_an_exploration_of_absolute_time_far_from_zero_fails_fast_and_says_why():
    # At t = 1e8, sin(3 t) is constant on steps of 1.5e-8: at rtol 1e-13 the solver resolved
    # each step (minutes for 0.5 s). The bounded dx/dt count turns that into a clear error.
    system = LinearSystem([[0.0, 1.0], [-1.0, -0.5]], [[0.0], [1.0]], np.eye(2), np.eye(1))
    with pytest.raises(SimulationError, match=r"ulp\(t\)"):
        simulate(
            system,
            lambda x: np.zeros(1),
            [1.0, 0.0],
            (1e8, 1e8 + 0.5),
            n_samples_per_interval=5,
            T=0.1,
            exploration=lambda t: np.array([np.sin(3 * t)]),
        )


def test_simulate_names_bad_tolerances_and_bad_control_shapes():
    system = LinearSystem([[-1.0]], [[1.0]], [[1.0]], [[1.0]])
    kw = {"n_samples_per_interval": 3, "T": 0.1}
    u0 = lambda x: np.zeros(1)  # noqa: E731
    for bad in ({"rtol": float("nan")}, {"rtol": 0.0}, {"atol": -1.0}, {"max_state_norm": -1.0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            simulate(system, u0, [1.0], (0.0, 0.2), **kw, **bad)
    with pytest.raises(ValueError, match=r"policy\(x\) must return 1 control"):
        simulate(system, lambda x: np.zeros(2), [1.0], (0.0, 0.2), **kw)
    with pytest.raises(ValueError, match=r"exploration\(t\) must return 1 control"):
        simulate(system, u0, [1.0], (0.0, 0.2), exploration=lambda t: np.ones(3), **kw)


def test_an_initial_gain_of_the_transposed_shape_is_refused():
    # (n, m) was silently reshaped to (m, n)
    system = LinearSystem(-np.eye(2), [[1.0], [0.0]], np.eye(2), np.eye(1))
    with pytest.raises(ValueError, match=r"shape \(1, 2\), got \(2, 1\)"):
        intrl_policy_iteration(
            system,
            QuadraticBasis(2),
            T=0.1,
            N=5,
            n_intervals=10,
            x0=[1, 1],
            initial_policy=[[0.1], [0.2]],
        )


def test_a_zero_state_cost_is_not_mistaken_for_an_unstable_policy():
    # Q = 0 (a valid PSD cost) under u = 0: every interval costs exactly 0 and V = 0 is the
    # answer (P = 0, K = 0); the positivity check read it as "not stabilizing: V = 0".
    system = LinearSystem([[-1.0, 0.5], [0.0, -1.0]], [[1.0], [0.5]], np.zeros((2, 2)), np.eye(1))
    res = intrl_policy_iteration(system, QuadraticBasis(2), T=0.1, N=5, n_intervals=10, x0=[1, 1])
    assert res.converged
    np.testing.assert_array_equal(res.weights, 0.0)


def test_reviewed_error_types():
    # strings were accepted by float() (T="0.1") or gave "could not convert string to float"
    # without naming the argument; floats for counts gave ValueError instead of TypeError
    system, basis, settings, _ = linear_task()
    for kw, exc, match in [
        ({"T": "0.1"}, TypeError, "T must be a real number"),
        ({"T": -1.0}, ValueError, "T must be finite and > 0"),
        ({"N": 5.0}, TypeError, "N must be an integer >= 2"),
        ({"N": 1}, ValueError, "N must be an integer >= 2"),
        ({"tol": "x"}, TypeError, "tol must be a real number"),
    ]:
        args = {"N": 5, **settings, **kw}
        with pytest.raises(exc, match=match):
            intrl_policy_iteration(system, basis, **args)


def test_linear_system_pickles():
    # (its f and g were lambdas: joblib and multiprocessing could not send it)
    import pickle

    system = LinearSystem([[-0.5, 1.0], [0.0, -1.0]], [0.0, 1.0], np.eye(2), np.eye(1))
    back = pickle.loads(pickle.dumps(system))
    x = np.array([0.3, -2.0])
    np.testing.assert_array_equal(back.f(x), system.f(x))
    np.testing.assert_array_equal(back.g(x), system.g(x))
    np.testing.assert_array_equal(back.lqr().P, system.lqr().P)


def test_exact_quadrature_needs_a_quadratic_basis():
    # Other bases' greedy policies are not gains: the second iteration crashed on policy.K.
    system = LinearSystem([[0.0, 1.0], [-1.0, -2.0]], [0.0, 1.0], np.eye(2), np.eye(1))
    kw = dict(T=0.1, N=11, n_intervals=12, x0=[1.0, 0.5], quadrature="exact")
    with pytest.raises(ValueError, match="needs a QuadraticBasis"):
        intrl_policy_iteration(system, PolynomialBasis(2, 2), **kw)
    # the same basis with a quadrature rule reaches the Riccati solution
    res = intrl_policy_iteration(system, PolynomialBasis(2, 2), **{**kw, "quadrature": "gregory"})
    assert res.converged
    P = system.lqr().P
    w = res.weights  # x1^2, x1 x2, x2^2 (numkit.control's monomial order)
    np.testing.assert_allclose(
        PolynomialBasis(2, 2).value(w, np.eye(2)), np.diag(P), rtol=1e-10, atol=1e-12
    )


def test_a_stable_non_normal_loop_is_not_called_unstable():
    # A = [[-1, 1e5], [0, -1]]: eigenvalues -1, a transient of ~3.7e4 |x0|, past the default
    # blow-up limit of 1e4 max(1, |x0|) of simulate; the eigenvalues already prove stability,
    # so the first evaluation (the cost of u = 0) runs and is right.
    system = LinearSystem([[-1.0, 1e5], [0.0, -1.0]], [0.0, 1.0], np.eye(2), np.eye(1))
    kw = dict(T=0.1, N=11, n_intervals=20, x0=[0.0, 1.0], quadrature="exact", max_iter=1)
    with pytest.warns(PolicyIterationWarning, match="max_iter"):
        res = intrl_policy_iteration(system, QuadraticBasis(2), **kw)
    P0 = solve_continuous_lyapunov(system.A.T, -system.Q)  # A^T P + P A + Q = 0
    assert np.abs(res.P - P0).max() <= 1e-9 * np.abs(P0).max()
    # an explicit limit is still honoured, and checked
    with pytest.raises(SimulationError, match="not stabilizing"):
        intrl_policy_iteration(system, QuadraticBasis(2), **kw, max_state_norm=10.0)
    with pytest.raises(ValueError, match="max_state_norm"):
        intrl_policy_iteration(system, QuadraticBasis(2), **kw, max_state_norm=-1.0)


def test_interval_cost_matrix_of_a_strongly_stable_loop():
    # Van Loan's block exponential holds e^{-A^T T} = e^{+2000} here: the Lyapunov form instead,
    # against the eigenvector closed form in mpmath: with A = V D V^-1 and W = V^T Q V,
    # M = V^-T [W_ij (e^{(d_i + d_j) T} - 1) / (d_i + d_j)] V^-1.
    A = np.array([[-1e4, 3e3], [0.0, -2e4]])
    Q = np.array([[2.0, 0.5], [0.5, 1.0]])
    T = 0.1
    M = lyapunov_interval_matrix(A, Q, T)
    with mp.workdps(40):
        d, V = mp.eig(mp.matrix(A.tolist()))
        W = V.T * mp.matrix(Q.tolist()) * V
        for i in range(2):
            for j in range(2):
                s = d[i] + d[j]
                W[i, j] *= mp.expm1(s * T) / s
        Vi = mp.inverse(V)
        ref = np.array((Vi.T * W * Vi).tolist(), dtype=float)
    np.testing.assert_allclose(M, ref, rtol=1e-13)
    with pytest.raises(ValueError, match="unstable"):
        lyapunov_interval_matrix(-A, Q, T)


@pytest.mark.parametrize("scale", [1.0, 1e-6, 1e-11, 1e-14])
def test_convergence_is_relative_to_the_size_of_the_costs(scale):
    # Q and R scaled alike leave the optimal gain unchanged and scale P; an absolute floor of
    # tol max(1, ||w||) stopped after 3 iterations at scale 1e-11 with K 56% off (converged=True).
    A = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [-0.1, -0.5, -0.7]]
    system = LinearSystem(A, [[0.0], [0.0], [1.0]], scale * np.eye(3), scale * np.eye(1))
    res = intrl_policy_iteration(
        system,
        QuadraticBasis(3),
        T=0.1,
        N=5,
        n_intervals=20,
        x0=[2.0, -2.0, 3.0],
        quadrature="exact",
    )
    # the reference at scale 1 (scipy's CARE solver itself loses digits at scale 1e-14)
    lqr = LinearSystem(A, [[0.0], [0.0], [1.0]], np.eye(3), np.eye(1)).lqr()
    assert res.converged
    assert np.abs(res.P - scale * lqr.P).max() <= 1e-8 * scale * np.abs(lqr.P).max()
    np.testing.assert_allclose(res.policy.K, lqr.K, rtol=1e-7)


def test_a_non_stabilizing_callable_initial_policy_is_caught_by_its_cost_matrix():
    # u = 0 leaves the unstable mode x1 (eigenvalue 0.05) barely excited from x0 = [0.01, 1]:
    # V > 0 on every sample, but P has the eigenvalue -10; the run went on and blamed the
    # improved policy. A callable policy has no eigenvalues to check first: P is checked.
    system = LinearSystem(np.diag([0.05, -1.0]), [[1.0], [1.0]], np.eye(2), np.eye(1))
    with pytest.raises(ValueError, match=r"initial policy is not stabilizing.*eigenvalue"):
        intrl_policy_iteration(
            system,
            QuadraticBasis(2),
            T=0.1,
            N=7,
            n_intervals=10,
            x0=[0.01, 1.0],
            quadrature="gregory",
            initial_policy=lambda x: np.zeros(1),
        )


def test_max_iter_1_says_there_was_no_change_to_compare():
    system = LinearSystem([[0.0, 1.0], [-1.0, -2.0]], [0.0, 1.0], np.eye(2), np.eye(1))
    kw = dict(T=0.1, N=11, n_intervals=12, x0=[1.0, 0.5])
    with pytest.warns(PolicyIterationWarning, match="no change to compare"):  # was "nan"
        intrl_policy_iteration(system, QuadraticBasis(2), max_iter=1, **kw)
    with pytest.warns(PolicyIterationWarning, match=r"last change \d"):
        intrl_policy_iteration(system, QuadraticBasis(2), max_iter=2, **kw)
