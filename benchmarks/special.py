"""numkit.special against SciPy on identical inputs: log I and log K, ratio, and the np.log floor.

Peers: ``np.log(scipy.special.ive(v, x)) + x`` for log I, ``np.log(scipy.special.kve(v, x)) - x``
for log K, ``ive(v, x) / ive(v - 1, x)`` for the ratio. Single thread, 1e6 elements (``--n`` to
change), medians of repeats. The issue's regions: (1) v ~ U[0, 20], x ~ logU[1e-2, 1e2];
(2) v ~ logU[0.1, 1e4], x ~ logU[1e-6, 1e5]; (3) v = 1023, x ~ logU[1e2, 1e5].
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scipy.special as sc
from _timing import median_time, ratio_line
from numkit import special as nk


def regions(n: int, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The benchmark regions of the issue (same arrays for numkit and the peer)."""

    def logu(lo: float, hi: float) -> np.ndarray:
        return 10.0 ** rng.uniform(np.log10(lo), np.log10(hi), n)

    return {
        "v~U[0,20], x~logU[1e-2,1e2]": (rng.uniform(0, 20, n), logu(1e-2, 1e2)),
        "v~logU[0.1,1e4], x~logU[1e-6,1e5]": (logu(0.1, 1e4), logu(1e-6, 1e5)),
        "v=1023, x~logU[1e2,1e5]": (np.full(n, 1023.0), logu(1e2, 1e5)),
    }


def bench_region(name: str, v: np.ndarray, x: np.ndarray, n: int, rep: int) -> tuple[float, float]:
    """Print log_iv, log_kv and iv_ratio against SciPy on one region; return the two ratios."""
    with np.errstate(all="ignore"):
        t_peer = median_time(lambda: np.log(sc.ive(v, x)) + x, repeat=rep)
        t_ours = median_time(lambda: nk.log_iv(v, x), repeat=rep)
        r_i = t_peer / t_ours
        print(ratio_line(f"log_iv   {name}", t_peer, t_ours, n))
        t_peer = median_time(lambda: np.log(sc.kve(v, x)) - x, repeat=rep)
        t_ours = median_time(lambda: nk.log_kv(v, x), repeat=rep)
        r_k = t_peer / t_ours
        print(ratio_line(f"log_kv   {name}", t_peer, t_ours, n))
        t_peer = median_time(lambda: sc.ive(v, x) / sc.ive(v - 1, x), repeat=rep)
        t_ours = median_time(lambda: nk.iv_ratio(v, x), repeat=rep)
        print(ratio_line(f"iv_ratio {name}", t_peer, t_ours, n))
    return r_i, r_k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args, _ = parser.parse_known_args()  # (benchmarks/run.py passes the part names through)
    n, rep = args.n, args.repeat
    rng = np.random.default_rng(2024)
    x_pos = rng.uniform(0.5, 2.0, n)

    t_log = median_time(lambda: np.log(x_pos), repeat=rep)
    print(f"floor: np.log on {n} float64 elements: {t_log / n * 1e9:.2f} ns/elem")

    ratios = [bench_region(name, v, x, n, rep) for name, (v, x) in regions(n, rng).items()]
    r_i = [r[0] for r in ratios]
    r_k = [r[1] for r in ratios]
    print(
        f"median ratio log_iv x{np.median(r_i):.1f} (min x{min(r_i):.1f}), "
        f"log_kv x{np.median(r_k):.1f} (min x{min(r_k):.1f})"
    )


if __name__ == "__main__":
    main()
