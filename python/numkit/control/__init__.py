"""Integral reinforcement learning for continuous-time control, on numkit.quadrature.

Systems :class:`ControlAffineSystem` (dx/dt = f(x) + g(x) u) and :class:`LinearSystem` (with
``.lqr()``), value bases :class:`QuadraticBasis`, :class:`PolynomialBasis`, :class:`CallableBasis`,
the sampler :func:`simulate` (returns a :class:`Trajectory`, which users can also build from
measured data), and :func:`intrl_policy_iteration`: policy iteration whose policy evaluation solves
the integral Bellman equation by least squares, every interval integral computed from N samples by
one quadrature rule (trapezoid, Simpson, Gregory, Bayesian quadrature, or the exact
matrix-exponential identity for linear systems).

Reference: W. Cao, W. Pan et al., "Impact of Computation in Integral Reinforcement Learning for
Continuous-Time Control", ICLR 2024; D. Vrabie, F. Lewis, Neural Networks 22 (2009) 237.
"""

from ._basis import CallableBasis, PolynomialBasis, QuadraticBasis
from ._policy_iteration import IntRLResult, PolicyIterationWarning, intrl_policy_iteration
from ._simulate import LinearPolicy, SimulationError, Trajectory, ValuePolicy, simulate
from ._systems import ControlAffineSystem, LinearSystem, LQRSolution

__all__ = [
    "CallableBasis",
    "ControlAffineSystem",
    "IntRLResult",
    "LQRSolution",
    "LinearPolicy",
    "LinearSystem",
    "PolicyIterationWarning",
    "PolynomialBasis",
    "QuadraticBasis",
    "SimulationError",
    "Trajectory",
    "ValuePolicy",
    "intrl_policy_iteration",
    "simulate",
]
