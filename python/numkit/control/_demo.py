"""numkit.control's section of ``python -m numkit demo``: the paper's two tasks at N = 5."""

from __future__ import annotations

import time


def run() -> None:
    """Learn both tasks of Cao, Pan et al. with several rules; print errors next to the paper's."""
    from numkit.control import intrl_policy_iteration
    from numkit.control._paper import PUBLISHED, linear_task, nonlinear_task

    print(
        "Integral-RL policy iteration, T = 0.1 s, 20 intervals per evaluation, N = 5 samples per\n"
        "interval; weight error ||w - w*|| at convergence (linear: ||P - P_CARE||_F)."
    )
    for name, task in (("linear", linear_task), ("nonlinear", nonlinear_task)):
        system, basis, settings, ref = task()
        pub = PUBLISHED[name]
        print(f"\n  {name + ' task':<24} {'error':>9}  iterations     paper")
        rules = ["trapezoid", "matern72", "simpson", "gregory"]
        if name == "linear":
            rules.append("exact")
        for rule in rules:
            t0 = time.perf_counter()
            res = intrl_policy_iteration(system, basis, N=5, quadrature=rule, **settings)
            dt = time.perf_counter() - t0
            paper = {"trapezoid": pub["trapezoid"][0], "matern72": pub["BQ"][0]}.get(rule)
            paper_s = f"{paper:.2e}" if paper else ""
            flag = "" if res.converged else "  NOT CONVERGED: " + res.message
            print(
                f"  {res.quadrature[:24]:<24} {res.error(ref):9.2e}  {res.n_iter:4d} "
                f"({dt * 1e3:4.0f} ms)  {paper_s}{flag}"
            )
    print(
        "\n  'gregory' on 5 samples is Boole's rule (numkit.quadrature.gregory, order 6);\n"
        "  'exact' integrates x^T Q x along exp(A_K t) x0 by the matrix-exponential identity."
    )
