"""The two tasks of Cao, Pan et al. (ICLR 2024), as the issue states them, and their published
weight errors ||w - w*|| (N = 5 and N = 15; BQ is Matern-7/2 with lengthscale 0.3)."""

from __future__ import annotations

import numpy as np

from ._basis import QuadraticBasis
from ._systems import ControlAffineSystem, LinearSystem

T = 0.1
N_INTERVALS = 20
PUBLISHED = {
    "linear": {"trapezoid": (1.18e-3, 9.6e-5), "BQ": (5.7e-5, 3.3e-6)},
    "nonlinear": {"trapezoid": (1.29e-4, 1.05e-5), "BQ": (8.5e-6, 5.0e-7)},
}
# Published slope of the paper's BQ: N^-3.7 for N = 5..8, then N^-1.4 (its plateau).
PUBLISHED_BQ_SLOPES = (-3.7, -1.4)


def linear_task():
    """(system, basis, settings, reference P): the 3-state linear task, CARE ground truth."""
    A = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [-0.1, -0.5, -0.7]]
    system = LinearSystem(A, [[0.0], [0.0], [1.0]], np.eye(3), np.eye(1))
    settings = dict(T=T, n_intervals=N_INTERVALS, x0=[2.0, -2.0, 3.0])
    return system, QuadraticBasis(3), settings, system.lqr().P


def _f(x):
    s = np.sin(x[0])
    return np.array([-x[0] + x[1], -0.5 * (x[0] + x[1]) + 0.5 * x[1] * s * s])


def _g(x):
    return np.array([[0.0], [np.sin(x[0])]])


def nonlinear_task():
    """(system, basis, settings, reference w): V* = x1^2/2 + x2^2, u* = -sin(x1) x2."""
    system = ControlAffineSystem(_f, _g, np.eye(2), np.eye(1))
    settings = dict(T=T, n_intervals=N_INTERVALS, x0=[1.0, 1.0], initial_weights=[-1.0, 3.0, 1.5])
    return system, QuadraticBasis(2), settings, np.array([0.5, 0.0, 1.0])
