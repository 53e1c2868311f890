"""Convergence on smooth integrands over N = 5, 9, 17, 33, 65: measured log-log slopes.

References are analytic integrals (mpmath at 30 digits for 1/(1+t^2) is pi/4 exactly; the others
have closed forms). The theoretical BQ rate for Matern-nu is N^-(nu + 1/2) (worst case over the
RKHS ball, i.e. the posterior std); on functions smoother than the RKHS the error falls at least
that fast. A slope is fitted on the points above 1e-13 (below that the error is rounding).
"""

from __future__ import annotations

import numpy as np
import pytest
from numkit.quadrature import bq_weights, simpson, trapezoid

NS = np.array([5, 9, 17, 33, 65])
FLOOR = 1e-13


def _exact_e_cos(a, b):  # int e^-t cos 3t = e^-t (3 sin 3t - cos 3t) / 10
    F = lambda t: np.exp(-t) * (3 * np.sin(3 * t) - np.cos(3 * t)) / 10  # noqa: E731
    return F(b) - F(a)


def _exact_e_sin(a, b):  # int e^t sin 5t = e^t (sin 5t - 5 cos 5t) / 26
    F = lambda t: np.exp(t) * (np.sin(5 * t) - 5 * np.cos(5 * t)) / 26  # noqa: E731
    return F(b) - F(a)


INTEGRANDS = {
    "exp(-t)cos(3t)": (lambda t: np.exp(-t) * np.cos(3 * t), _exact_e_cos),
    "1/(1+t^2)": (lambda t: 1 / (1 + t**2), lambda a, b: np.arctan(b) - np.arctan(a)),
    "exp(t)sin(5t)": (lambda t: np.exp(t) * np.sin(5 * t), _exact_e_sin),
}
NU = {"matern12": 0.5, "matern32": 1.5, "matern52": 2.5, "matern72": 3.5}
# (domain, lengthscale): [0, 1] with a lengthscale longer than the spacing, and the paper's setup:
# lengthscale 0.3 on an interval of length 0.1 (30x to 500x the node spacing).
SETUPS = [((0.0, 1.0), 1.0), ((0.0, 0.1), 0.3)]


def slope(errors, ns=NS):
    errors = np.asarray(errors, dtype=float)
    keep = errors > FLOOR
    assert keep.sum() >= 3, "too few points above the rounding floor to fit a slope"
    return np.polyfit(np.log(ns[keep]), np.log(errors[keep]), 1)[0]


def rel_errors(rule, f, exact, a, b, ns=NS):
    out = []
    for n in ns:
        t = np.linspace(a, b, n)
        out.append(abs(rule(f(t), t) - exact) / abs(exact))
    return np.array(out)


@pytest.mark.parametrize("name", INTEGRANDS)
def test_trapezoid_and_simpson_slopes(name):
    f, F = INTEGRANDS[name]
    e_trap = rel_errors(lambda y, t: trapezoid(y, t), f, F(0, 1), 0, 1)
    e_simp = rel_errors(lambda y, t: simpson(y, t), f, F(0, 1), 0, 1)
    assert abs(slope(e_trap) + 2) < 0.2
    assert slope(e_simp) < -3.8  # O(h^4); 1/(1+t^2) has f'''(0) = 0 and converges faster


@pytest.mark.parametrize(("domain", "ell"), SETUPS)
@pytest.mark.parametrize("kernel", NU)
@pytest.mark.parametrize("name", INTEGRANDS)
def test_bq_error_slope_reaches_theory(name, kernel, domain, ell):
    f, F = INTEGRANDS[name]
    a, b = domain
    rule = lambda y, t: bq_weights(t, kernel=kernel, lengthscale=ell, domain=domain).weights @ y  # noqa: E731
    e = rel_errors(rule, f, F(a, b), a, b)
    assert slope(e) <= -(NU[kernel] + 0.5)
    assert e[-1] < e[0]


@pytest.mark.parametrize(("domain", "ell"), SETUPS)
@pytest.mark.parametrize("kernel", NU)
def test_bq_posterior_std_slope(kernel, domain, ell):
    a, b = domain
    stds = [
        bq_weights(np.linspace(a, b, n), kernel=kernel, lengthscale=ell, domain=domain).std
        for n in NS
    ]
    assert slope(stds) <= -(NU[kernel] + 0.5)


@pytest.mark.parametrize("kernel", ["matern52", "matern72"])
def test_no_plateau_down_to_rounding(kernel):
    # Keep doubling N on the paper's setup: the error must keep falling at (at least) the rate
    # until it is rounding (< 1e-13 relative, reached by N = 513), with no plateau above that.
    a, b, ell = 0.0, 0.1, 0.3
    f, F = INTEGRANDS["exp(-t)cos(3t)"]
    ns = np.array([17, 33, 65, 129, 257, 513, 1025])
    rule = lambda y, t: bq_weights(t, kernel=kernel, lengthscale=ell, domain=(a, b)).weights @ y  # noqa: E731
    e = rel_errors(rule, f, F(a, b), a, b, ns)
    rate = NU[kernel] + 0.5
    for prev, cur in zip(e[:-1], e[1:]):
        assert cur < FLOOR or cur <= prev * 2.0 ** (-rate) * 1.2, e
    assert e[-1] < FLOOR and e[-2] < FLOOR


@pytest.mark.parametrize("kernel", ["matern32", "matern52", "matern72"])
def test_std_keeps_falling_without_cancellation(kernel):
    # The posterior std of 1025 nodes is 1e-10 .. 1e-16 of the prior std: a v0 - z^T K^-1 z
    # formula would stall near 1e-8. Here it keeps the rate -(nu + 1/2) over N = 65 .. 1025.
    ns = np.array([65, 129, 257, 513, 1025])
    stds = [
        bq_weights(np.linspace(0, 0.1, n), kernel=kernel, lengthscale=0.3, domain=(0, 0.1)).std
        for n in ns
    ]
    rate = NU[kernel] + 0.5
    assert np.polyfit(np.log(ns), np.log(stds), 1)[0] <= -rate
    for prev, cur in zip(stds[:-1], stds[1:]):  # no flattening at any doubling, the last included
        assert cur <= prev * 2.0 ** (-rate) * 1.1, stds
