"""numkit.quadrature benchmarks: speed against emukit and SciPy, accuracy against dense BQ.

Run: ``python benchmarks/run.py quadrature`` (about 30 s). Prints
  1. time for BQ weights at N = 17 (numkit) vs one emukit integral (GPy model + integrate, which is
     what emukit needs per integral) and vs a dense numpy BQ solve,
  2. applying weights to 1e5 integrands vs scipy.integrate.trapezoid on the same array,
  3. Gram condition numbers and achieved errors on the paper's setup (lengthscale 0.3 on [0, 0.1]),
     and saves benchmarks/quadrature_convergence.png (error vs N, all rules and the peers).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import scipy.integrate as si

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numkit.quadrature as nq
from _timing import median_time, ratio_line

A, B, ELL = 0.0, 0.1, 0.3


def f(t):
    return np.exp(-t) * np.cos(3 * t)


def exact(a, b):
    F = lambda s: np.exp(-s) * (3 * np.sin(3 * s) - np.cos(3 * s)) / 10  # noqa: E731
    return F(b) - F(a)


def dense_bq(t, kernel, ell, a, b, jitter):
    """The textbook BQ: w = (K + jitter I)^-1 z in double precision (probnum's default 1e-8)."""
    K = nq.kernel_matrix(t, kernel=kernel, lengthscale=ell, domain=(a, b))
    z = nq.kernel_mean(t, kernel=kernel, lengthscale=ell, domain=(a, b))
    import scipy.linalg as sl

    c = sl.cho_factor(K + jitter * np.eye(t.size))
    return sl.cho_solve(c, z)


def emukit_integrator():
    """emukit's vanilla BQ with GPy's Matern-5/2 (noise variance fixed at 1e-10), or None."""
    try:
        import GPy
        from emukit.model_wrappers.gpy_quadrature_wrappers import (
            BaseGaussianProcessGPy,
            ProductMatern52GPy,
        )
        from emukit.quadrature.kernels import QuadratureProductMatern52LebesgueMeasure
        from emukit.quadrature.measures import LebesgueMeasure
        from emukit.quadrature.methods import VanillaBayesianQuadrature
    except Exception as exc:  # not installed, or broken on this NumPy
        print(f"emukit unavailable ({type(exc).__name__}: {exc}); peer = dense numpy BQ")
        return None

    def integrate(t, y, ell, a, b):
        X, Y = t[:, None], y[:, None]
        kern = GPy.kern.Matern52(input_dim=1, lengthscale=ell, variance=1.0)
        gp = GPy.models.GPRegression(X=X, Y=Y, kernel=kern)
        gp.Gaussian_noise.variance.fix(1e-10)
        measure = LebesgueMeasure.from_bounds(bounds=[(a, b)])
        qk = QuadratureProductMatern52LebesgueMeasure(ProductMatern52GPy(gp.kern), measure)
        model = BaseGaussianProcessGPy(kern=qk, gpy_model=gp)
        return VanillaBayesianQuadrature(base_gp=model, X=X, Y=Y).integrate()

    return integrate


def blas_note() -> str:
    try:
        from threadpoolctl import threadpool_info

        info = [f"{d['internal_api']}/{d.get('architecture', '?')}" for d in threadpool_info()]
        return ", ".join(info) or "unknown"
    except Exception:
        return "threadpoolctl not installed"


def bench_weights(emukit):
    print("\n-- BQ weights, N = 17, matern52, lengthscale 0.3 on [0, 0.1] --")
    t = np.linspace(A, B, 17)
    y = f(t)
    t_ours = median_time(
        lambda: nq.bq_weights(t, kernel="matern52", lengthscale=ELL, domain=(A, B))
    )
    t_dense = median_time(lambda: dense_bq(t, "matern52", ELL, A, B, 1e-8))
    print(f"numkit bq_weights: {t_ours * 1e6:.1f} us (bar: <= 100 us)")
    print(ratio_line("weights vs dense numpy/scipy Cholesky + jitter", t_dense, t_ours))
    if emukit is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_emu = median_time(lambda: emukit(t, y, ELL, A, B), repeat=3, min_time=0.2)
        print(ratio_line("weights vs one emukit integral (GPy + BQ)", t_emu, t_ours))


def bench_apply():
    print("\n-- applying a rule to 1e5 integrands of N = 17 samples (float64) --")
    t = np.linspace(A, B, 17)
    Y = f(t)[None, :] * np.random.default_rng(0).uniform(0.5, 2.0, (100_000, 1))
    bq = nq.BayesianQuadrature(t, kernel="matern52", lengthscale=ELL, domain=(A, B))
    w = bq.weights
    t_sci = median_time(lambda: si.trapezoid(Y, x=t, axis=-1))
    print(
        ratio_line("Y @ bq.weights vs scipy trapezoid", t_sci, median_time(lambda: Y @ w), Y.size)
    )
    t_int = median_time(lambda: bq.integrate(Y, with_std=False))
    print(ratio_line("bq.integrate(Y, with_std=False) vs scipy", t_sci, t_int, Y.size))
    t_std = median_time(lambda: bq.integrate(Y), repeat=3)
    print(ratio_line("bq.integrate(Y) incl. per-row std vs scipy", t_sci, t_std, Y.size))
    t_trap = median_time(lambda: nq.trapezoid(Y, t))
    print(ratio_line("numkit trapezoid vs scipy trapezoid", t_sci, t_trap, Y.size))
    t_sci_s = median_time(lambda: si.simpson(Y, x=t, axis=-1))
    t_simp = median_time(lambda: nq.simpson(Y, t))
    print(ratio_line("numkit simpson vs scipy simpson", t_sci_s, t_simp, Y.size))


def accuracy(emukit):
    ns = np.array([5, 9, 17, 33, 65, 129, 257, 513])
    ref = exact(A, B)
    rows = {}
    rows["trapezoid"] = [
        abs(nq.trapezoid(f(t), t) - ref) / ref for t in (np.linspace(A, B, n) for n in ns)
    ]
    rows["simpson"] = [
        abs(nq.simpson(f(t), t) - ref) / ref for t in (np.linspace(A, B, n) for n in ns)
    ]
    conds = {}
    for k in ["matern12", "matern32", "matern52", "matern72"]:
        e, c = [], []
        for n in ns:
            t = np.linspace(A, B, n)
            w = nq.bq_weights(t, kernel=k, lengthscale=ELL, domain=(A, B)).weights
            e.append(abs(w @ f(t) - ref) / ref)
            c.append(np.linalg.cond(nq.kernel_matrix(t, kernel=k, lengthscale=ELL)))
        rows[f"BQ {k}"] = e
        conds[k] = c
    rows["dense matern52 + 1e-8 jitter"] = [
        abs(dense_bq(t, "matern52", ELL, A, B, 1e-8) @ f(t) - ref) / ref
        for t in (np.linspace(A, B, n) for n in ns)
    ]
    if emukit is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows["emukit matern52"] = [
                abs(emukit(t, f(t), ELL, A, B)[0] - ref) / ref
                for t in (np.linspace(A, B, n) for n in ns)
            ]
    print("\n-- relative error, exp(-t)cos(3t) on [0, 0.1], lengthscale 0.3 --")
    print(f"{'N':>30} " + " ".join(f"{n:>8d}" for n in ns) + "   slope(5..65)")
    for name, e in rows.items():
        e = np.asarray(e)
        keep = (ns <= 65) & (e > 1e-13)
        s = np.polyfit(np.log(ns[keep]), np.log(e[keep]), 1)[0]
        print(f"{name:>30} " + " ".join(f"{v:8.1e}" for v in e) + f"   {s:6.2f}")
    print("\n-- Gram condition number (what a dense solve would face) --")
    for k, c in conds.items():
        print(f"{k:>30} " + " ".join(f"{v:8.1e}" for v in c))
    plot(ns, rows)


def plot(ns, rows):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, e in rows.items():
        style = "--" if ("jitter" in name or "emukit" in name) else "-o"
        ax.loglog(ns, np.maximum(e, 1e-17), style, ms=3, label=name)
    ax.axhline(1e-13, color="gray", lw=0.5)
    ax.set_xlabel("N nodes")
    ax.set_ylabel("relative error")
    ax.set_title("exp(-t) cos 3t on [0, 0.1], lengthscale 0.3")
    ax.legend(fontsize=7)
    out = Path(__file__).resolve().parent / "quadrature_convergence.png"
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"\nsaved {out.name}")


def main():
    print(f"BLAS: {blas_note()}")
    emukit = emukit_integrator()
    bench_weights(emukit)
    bench_apply()
    accuracy(emukit)


if __name__ == "__main__":
    main()
