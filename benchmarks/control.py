"""numkit.control benchmarks: the paper's weight-error table, slopes, the ODE floor, and timings.

Run: ``python benchmarks/run.py control`` (about a minute on a quiet machine). Prints
  1. ||w - w*|| after integral-RL policy iteration for every rule and N = 5..15, on the paper's
     linear task (||P - P_CARE||_F, which is the paper's ||w - w*|| with its 9-entry basis) and its
     nonlinear task (w* = [0.5, 0, 1]), next to the published trapezoid and BQ figures, with
     least-squares slopes in log N;
  2. the floor set by the ODE solver (nonlinear task, on fixed data at rtol 1e-10 / 1e-12 / 1e-13);
  3. the time of one full policy iteration of the linear task at N = 15, split into simulation,
     quadrature and least squares (numkit's exact propagation, and DOP853 as a user's own
     simulator would do).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _timing  # noqa: F401  (pins BLAS threads to 1)
from numkit.control import intrl_policy_iteration, simulate
from numkit.control._paper import PUBLISHED, linear_task, nonlinear_task
from numkit.quadrature import centred_bq_weights

RULES = ["trapezoid", "simpson", "gregory", "matern32", "matern52", "matern72", "m72 centred3"]


def rule_spec(rule, N):
    """A rule name, or BQ Matern-7/2 on the integrand minus its cubic fit (centred_bq_weights)."""
    if rule == "m72 centred3":
        t = np.linspace(0.0, 0.1, N)
        return centred_bq_weights(t, kernel="matern72", lengthscale=0.3, degree=3)
    return rule


NS = list(range(5, 16))


def table(task):
    system, basis, settings, ref = task()
    errors = {}
    for rule in RULES:
        start = dict(settings)
        row = []
        for N in NS:
            res = intrl_policy_iteration(system, basis, N=N, quadrature=rule_spec(rule, N), **start)
            if not res.converged:
                print(f"  {rule} N={N}: {res.message}")
            row.append(res.error(ref))
            # warm start the next N at this fixed point (the fixed point does not depend on it)
            start = {**settings, "initial_weights": res.weights}
        errors[rule] = np.array(row)
    return errors


def slope(errors):
    return float(np.polyfit(np.log(NS), np.log(errors), 1)[0])


def show(name, errors):
    pub = PUBLISHED[name]
    print(
        f"\n{name} task: weight error vs N (paper: trapezoid {pub['trapezoid'][0]:.2e} -> "
        f"{pub['trapezoid'][1]:.2e}, BQ {pub['BQ'][0]:.2e} -> {pub['BQ'][1]:.2e})"
    )
    print(f"{'rule':>12}" + "".join(f"{n:>9d}" for n in NS) + "    slope")
    for rule, e in errors.items():
        print(f"{rule:>12}" + "".join(f"{v:9.1e}" for v in e) + f"  {slope(e):7.2f}")
    best = min(errors, key=lambda r: errors[r][0])
    bar = pub["BQ"][0] / 100
    print(
        f"best at N=5: {best} {errors[best][0]:.2e} ({pub['BQ'][0] / errors[best][0]:.0f}x "
        f"the paper's BQ; bar {bar:.1e}: {'met' if errors[best][0] <= bar else 'NOT met'})"
    )


def ode_floor():
    """Weight error on fixed data simulated under the optimal policy: the ODE solver's floor."""
    from numkit.control import LinearPolicy, ValuePolicy

    print("\nODE floor: data simulated under u* by DOP853 (gregory, N = 15; error of the fit):")
    for name, task in (("linear", linear_task), ("nonlinear", nonlinear_task)):
        system, basis, settings, ref = task()
        if ref.ndim == 2:
            opt, w_ref = LinearPolicy(system.lqr().K), basis.from_matrix(ref)
        else:
            opt, w_ref = ValuePolicy(system, basis, ref), ref
        row = []
        for method, rtol in [("DOP853", r) for r in (1e-10, 1e-12, 1e-13)] + [("expm", 0)]:
            if method == "expm" and name != "linear":
                continue
            kw = {} if method == "expm" else {"rtol": rtol}
            traj = simulate(
                system,
                opt,
                settings["x0"],
                (0, 2.0),
                n_samples_per_interval=15,
                T=0.1,
                method=method,
                **kw,
            )
            res = intrl_policy_iteration(
                system, basis, N=15, T=0.1, quadrature="gregory", data=traj, initial_weights=w_ref
            )
            row.append(
                f"{method} {rtol:.0e}: {res.error(ref):.1e}"
                if rtol
                else f"expm (exact): {res.error(ref):.1e}"
            )
        print(f"  {name:>9}: " + ", ".join(row))


def timing():
    system, basis, settings, ref = linear_task()
    print("\nlinear task, N = 15, one full policy iteration (to tol 1e-10), median of 5:")
    for rule in ("exact", "gregory", "matern72"):
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            res = intrl_policy_iteration(system, basis, N=15, quadrature=rule, **settings)
            runs.append((time.perf_counter() - t0, res))
        runs.sort(key=lambda r: r[0])
        dt, res = runs[2]
        tm = res.timings
        print(
            f"  {rule:>9}: {dt * 1e3:7.1f} ms in {res.n_iter} iterations  (simulation "
            f"{tm['simulation'] * 1e3:.1f}, quadrature {tm['quadrature'] * 1e3:.1f}, least "
            f"squares {tm['least_squares'] * 1e3:.1f} ms)"
        )
    # The same iteration with scipy's DOP853 as the simulator (what a nonlinear system costs).
    from numkit.control import ControlAffineSystem

    A, B = system.A, system.B
    generic = ControlAffineSystem(lambda x: A @ x, lambda x: B, system.Q, system.R)
    t0 = time.perf_counter()
    res = intrl_policy_iteration(generic, basis, N=15, quadrature="gregory", **settings)
    dt = time.perf_counter() - t0
    tm = res.timings
    print(
        f"  DOP853 sim: {dt * 1e3:7.1f} ms in {res.n_iter} iterations  (simulation "
        f"{tm['simulation'] * 1e3:.1f}, quadrature {tm['quadrature'] * 1e3:.1f}, least squares "
        f"{tm['least_squares'] * 1e3:.1f} ms), ||P - P*|| = {res.error(ref):.1e}"
    )


if __name__ == "__main__":
    t0 = time.perf_counter()
    for name, task in (("linear", linear_task), ("nonlinear", nonlinear_task)):
        show(name, table(task))
    ode_floor()
    timing()
    print(f"\n(total {time.perf_counter() - t0:.0f} s; the machine is shared and was loaded)")
