"""numkit.stats against scipy.stats.vonmises_fisher on identical inputs (single thread), and
VMFMixture against scikit-learn's KMeans in clustering quality (adjusted Rand index, 5 seeds).

Prints the ratio peer time / numkit time. SciPy's sampler builds a dense p x p rotation (QR), so
its p = 2048 timing is one call, not a median. SciPy's fit is timed although its answer is wrong
for p >= 68 (kappa = 1e-8); the answers are printed next to the times.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import _timing  # sorts before numpy: it pins BLAS to one thread before numpy loads
import numpy as np
from numkit.stats import VonMisesFisher, fit_vmf
from scipy.stats import vonmises_fisher


def blas_note() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    infos = [
        f"{i.get('internal_api')}/{i.get('architecture')} x{i.get('num_threads')}"
        for i in threadpool_info()
    ]
    return ", ".join(infos) or "none reported"


def unit(p: int) -> np.ndarray:
    mu = np.zeros(p)
    mu[0] = 1.0
    return mu


def bench_rvs() -> None:
    for p, kappa, n, scipy_repeats in ((3, 10.0, 100_000, 5), (2048, 500.0, 500, 1)):
        mu = unit(p)
        ours = VonMisesFisher(mu, kappa)
        t_ours = _timing.median_time(lambda o=ours, n=n: o.rvs(n, random_state=0), repeat=5)
        peer = vonmises_fisher(mu, kappa)
        times = []
        for _ in range(scipy_repeats):
            t0 = time.perf_counter()
            peer.rvs(n, random_state=0)
            times.append(time.perf_counter() - t0)
        t_peer = float(np.median(times))
        print(_timing.ratio_line(f"rvs p={p} kappa={kappa:g} n={n}", t_peer, t_ours))


def bench_fit() -> None:
    for p, kappa, n in ((50, 100.0, 10_000), (2048, 2048.0, 1000), (8192, 8192.0, 1000)):
        x = VonMisesFisher(unit(p), kappa).rvs(n, random_state=1)
        t_ours = _timing.median_time(lambda x=x: fit_vmf(x), repeat=5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_peer = _timing.median_time(lambda x=x: vonmises_fisher.fit(x), repeat=3)
            k_peer = vonmises_fisher.fit(x)[1]
        k_ours = fit_vmf(x).kappa
        print(_timing.ratio_line(f"fit p={p} n={n}", t_peer, t_ours))
        print(f"    kappa: truth {kappa:g}  numkit {k_ours:.6g}  scipy {k_peer:.6g}")


def bench_logpdf() -> None:
    for p, kappa, n in ((50, 100.0, 20_000), (2048, 500.0, 2000)):
        mu = unit(p)
        x = VonMisesFisher(mu, kappa).rvs(n, random_state=2)
        ours = VonMisesFisher(mu, kappa)
        peer = vonmises_fisher(mu, kappa)
        t_ours = _timing.median_time(lambda x=x, o=ours: o.logpdf(x))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_peer = _timing.median_time(lambda x=x, q=peer: q.logpdf(x))
            finite = np.isfinite(peer.logpdf(x)).mean()
        print(_timing.ratio_line(f"logpdf p={p} n={n}", t_peer, t_ours, n))
        ok = np.isfinite(ours.logpdf(x)).mean()
        print(f"    scipy finite: {finite:.0%}, numkit finite: {ok:.0%}")


def bench_clustering() -> None:
    """Mean ARI (and min) over 5 seeds: defaults of both; digits and TF-IDF docstrings."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("clustering: scikit-learn not installed, skipped")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "stats"))
    from clustering_data import ari_over_seeds, digits, docstrings

    for name, load in (("digits", digits), ("docstrings TF-IDF", docstrings)):
        X, y = load()
        print(f"clustering {name}: n = {X.shape[0]}, p = {X.shape[1]}, {len(set(y))} labels")
        t0 = time.perf_counter()
        table = ari_over_seeds(X, y, range(5), variants=True)
        for method, scores in table.items():
            print(
                f"    {method:<48} ARI mean {np.mean(scores):.3f}  min {np.min(scores):.3f}  "
                f"[{' '.join(f'{v:.3f}' for v in scores)}]"
            )
        print(f"    ({time.perf_counter() - t0:.1f} s for all)")


if __name__ == "__main__":
    print(f"BLAS: {blas_note()}")
    bench_rvs()
    bench_fit()
    bench_logpdf()
    bench_clustering()
