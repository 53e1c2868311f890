"""numkit.quadrature's section of ``python -m numkit demo``: error vs N on built-in integrands."""

from __future__ import annotations

import numpy as np


def _exact(a: float, b: float, omega: float = 3.0) -> float:
    """int_a^b e^-t cos(w t) dt = [e^-t (w sin wt - cos wt) / (1 + w^2)]_a^b."""

    def F(s: float) -> float:
        return np.exp(-s) * (omega * np.sin(omega * s) - np.cos(omega * s)) / (1 + omega**2)

    return float(F(b) - F(a))


def run() -> None:
    """Print relative errors of trapezoid, Simpson and Bayesian quadrature vs N."""
    from numkit.quadrature import BayesianQuadrature, bq_weights, kernel_matrix, simpson, trapezoid

    a, b, ell = 0.0, 0.1, 0.3
    ns = [5, 9, 17, 33, 65, 129]
    ref = _exact(a, b)
    print(
        "Integrating e^-t cos 3t over [0, 0.1] from N equispaced samples (relative errors);\n"
        "BQ uses lengthscale 0.3, 3x the interval (the integral-RL paper's setup), no jitter."
    )
    rules = {
        "trapezoid": lambda t, y: trapezoid(y, t),
        "simpson": lambda t, y: simpson(y, t),
    }
    for k in ("matern32", "matern52", "matern72"):
        rules[f"BQ {k}"] = lambda t, y, k=k: (
            bq_weights(t, kernel=k, lengthscale=ell, domain=(a, b)).weights @ y
        )
    print(f"  {'N':>14}" + "".join(f"{n:>10d}" for n in ns))
    for name, rule in rules.items():
        errs = []
        for n in ns:
            t = np.linspace(a, b, n)
            errs.append(abs(rule(t, np.exp(-t) * np.cos(3 * t)) - ref) / abs(ref))
        print(f"  {name:>14}" + "".join(f"{e:10.1e}" for e in errs))
    conds = [
        np.linalg.cond(kernel_matrix(np.linspace(a, b, n), kernel="matern72", lengthscale=ell))
        for n in ns
    ]
    print(f"  {'cond(K) m72':>14}" + "".join(f"{c:10.0e}" for c in conds))
    print("  (a dense solve with that Gram matrix needs jitter and then stalls near 1e-8)")

    # One rule for a batch of trajectories, lengthscale by marginal likelihood on the samples.
    t = np.linspace(a, b, 9)
    omegas = np.array([3.0, 10.0, 30.0, 60.0])
    Y = np.exp(-t)[None, :] * np.cos(omegas[:, None] * t)
    bq = BayesianQuadrature(t, kernel="matern52", lengthscale="mle", data=Y, domain=(a, b))
    integral, std = bq.integrate(Y)
    print(f"\n{bq}\n  {bq.fit}")
    print("  e^-t cos(w t), 9 nodes:   integral          error    posterior std")
    for w, v, sd in zip(omegas, integral, std):
        print(f"  w = {w:4.0f}  {v: .14f}  {abs(v - _exact(a, b, w)):9.1e}  {sd:9.1e}")
