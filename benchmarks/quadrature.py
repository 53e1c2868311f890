"""numkit.quadrature benchmarks: speed against emukit and SciPy, accuracy against dense BQ.

Run: ``python benchmarks/run.py quadrature`` (about 30 s). Prints
  1. time for BQ weights at N = 17 (numkit) vs one emukit integral (GPy model + integrate, which is
     what emukit needs per integral) and vs a dense numpy BQ solve,
  2. applying weights to 1e5 integrands vs scipy.integrate.trapezoid on the same array,
  3. Gram condition numbers and achieved errors on the paper's setup (lengthscale 0.3 on [0, 0.1]),
     and saves benchmarks/quadrature_convergence.png (error vs N, all rules and the peers),
  4. the per-row std of a 20k-integrand batch (one matrix product) against the integrals alone,
  5. a calibration table: the fraction of random smooth integrands whose error is within 1 and
     2 posterior std (lengthscale by marginal likelihood, and fixed).
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


def bench_batch_std():
    print("\n-- per-row std of a batch: 20k integrands (matern52, lengthscale 0.3 on [0, 0.1]) --")
    rng = np.random.default_rng(1)
    for n, nodes in [
        (17, np.linspace(A, B, 17)),
        (129, np.linspace(A, B, 129)),
        (129, np.sort(rng.uniform(A, B, 129))),
    ]:
        bq = nq.BayesianQuadrature(nodes, kernel="matern52", lengthscale=ELL, domain=(A, B))
        Y = f(nodes)[None, :] * rng.uniform(0.5, 2.0, (20_000, 1))
        bq.integrate(Y[:2])  # the whitening matrix is computed once per object
        t_int = median_time(lambda bq=bq, Y=Y: bq.integrate(Y, with_std=False))
        t_std = median_time(lambda bq=bq, Y=Y: bq.integrate(Y))
        kind = "uniform" if np.allclose(np.diff(nodes), np.diff(nodes)[0]) else "random"
        print(
            f"N={n:4d} {kind:8s}: integrals {t_int * 1e3:7.2f} ms, with std "
            f"{t_std * 1e3:7.2f} ms ({t_std / t_int:.1f}x)"
        )


def _random_smooth(rng, m):
    """m random integrands sum_k a_k cos(w_k t + phi_k), |a_k| ~ e^-k, w_k up to ~12."""
    K = 6
    amp = rng.standard_normal((m, K)) * np.exp(-np.arange(K))
    w = rng.uniform(0.5, 2.0, (m, K)) * (1 + np.arange(K))
    ph = rng.uniform(0, 2 * np.pi, (m, K))

    def values(t):
        return np.einsum("mk,mkt->mt", amp, np.cos(w[..., None] * t + ph[..., None]))

    def integral(a, b):
        return np.sum(amp * (np.sin(w * b + ph) - np.sin(w * a + ph)) / w, axis=1)

    return values, integral


def bench_calibration():
    print(
        "\n-- calibration: fraction of |error| <= 1 std / 2 std, 200 random smooth integrands "
        "on [0, 1] --"
    )
    print(
        f"{'kernel':>9} {'N':>4} {'lengthscale':>12} {'<=1 std':>8} {'<=2 std':>8} "
        f"{'median err/std':>15}"
    )
    rng = np.random.default_rng(2026)
    values, integral = _random_smooth(rng, 200)
    exact_i = integral(0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kernel in ["matern32", "matern52", "matern72"]:
            for n in [9, 17, 33]:
                t = np.linspace(0.0, 1.0, n)
                Y = values(t)
                for how in ["mle", 0.5]:
                    ratios = []
                    if how == "mle":  # one lengthscale per integrand
                        for y, ref in zip(Y, exact_i):
                            bq = nq.BayesianQuadrature(
                                t, kernel=kernel, lengthscale="mle", data=y, domain=(0, 1)
                            )
                            i, s = bq.integrate(y)
                            ratios.append(abs(i - ref) / s)
                    else:
                        bq = nq.BayesianQuadrature(t, kernel=kernel, lengthscale=how, domain=(0, 1))
                        i, s = bq.integrate(Y)
                        ratios = list(np.abs(i - exact_i) / s)
                    r = np.asarray(ratios)
                    print(
                        f"{kernel:>9} {n:4d} {how!s:>12} {np.mean(r <= 1):8.2f} "
                        f"{np.mean(r <= 2):8.2f} {np.median(r):15.2e}"
                    )
    print("(a calibrated Gaussian posterior would give 0.68 / 0.95)")


def main():
    print(f"BLAS: {blas_note()}")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:
        pass
    emukit = emukit_integrator()
    bench_weights(emukit)
    bench_apply()
    bench_batch_std()
    accuracy(emukit)
    bench_calibration()


if __name__ == "__main__":
    main()
