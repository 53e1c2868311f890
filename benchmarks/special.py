"""numkit.special against SciPy on identical inputs: log I and log K, ratio, and the np.log floor.

Peers: ``np.log(scipy.special.ive(v, x)) + x`` for log I, ``np.log(scipy.special.kve(v, x)) - x``
for log K, ``ive(v, x) / ive(v - 1, x)`` for the ratio. Single thread, 1e6 elements (``--n`` to
change), medians of repeats. The issue's regions: (1) v ~ U[0, 20], x ~ logU[1e-2, 1e2];
(2) v ~ logU[0.1, 1e4], x ~ logU[1e-6, 1e5]; (3) v = 1023, x ~ logU[1e2, 1e5].
Layouts (region 2 values): contiguous, strided (every other element of arrays twice as long) and
a broadcast scalar order (``f(0.5, x)`` against ``f(full(n, 0.5), x)``), each as a ratio against
SciPy on the same operands; then numkit's own calls on the four layouts timed in turns (rounds
that call each layout once, medians), as ratios to the contiguous call: the bar is "no slower".
log_iv_dx against ``ive(v + 1, x) / ive(v, x) + v / x``.
"""

from __future__ import annotations

import argparse
import sys
import time
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


def peers() -> dict[str, tuple]:
    """numkit ufunc and the SciPy expression a user would otherwise write, by function name."""
    return {
        "log_iv": (nk.log_iv, lambda v, x: np.log(sc.ive(v, x)) + x),
        "log_kv": (nk.log_kv, lambda v, x: np.log(sc.kve(v, x)) - x),
        "iv_ratio": (nk.iv_ratio, lambda v, x: sc.ive(v, x) / sc.ive(v - 1, x)),
        "log_iv_dx": (nk.log_iv_dx, lambda v, x: sc.ive(v + 1, x) / sc.ive(v, x) + v / x),
    }


def bench_layouts(n: int, rep: int, rng: np.random.Generator) -> None:
    """Contiguous vs strided vs broadcast-scalar operands, each against SciPy on the same ones."""
    v2 = 10.0 ** rng.uniform(-1, 4, 2 * n)
    x2 = 10.0 ** rng.uniform(-6, 5, 2 * n)
    vs, xs = v2[::2], x2[::2]  # strided views
    vc, xc = vs.copy(), xs.copy()  # the same values, contiguous
    half = np.full(n, 0.5)
    cases = {
        "contiguous": ((vc, xc), (vc, xc)),
        "strided x[::2]": ((vs, xs), (vs, xs)),
        "contiguous v=0.5": ((half, xc), (half, xc)),
        "broadcast f(0.5, x)": ((0.5, xc), (0.5, xc)),
    }
    with np.errstate(all="ignore"):
        for fname, (ours, peer) in peers().items():
            for label, (a, b) in cases.items():
                t_peer = median_time(lambda: peer(*b), repeat=rep)  # noqa: B023
                t_ours = median_time(lambda: ours(*a), repeat=rep)  # noqa: B023
                print(ratio_line(f"{fname:9s} {label}", t_peer, t_ours, n))
        print("numkit alone, in turns (ns/elem; ratio to contiguous, or to contiguous v=0.5):")
        out = np.empty(n)
        for fname, (ours, _) in peers().items():
            times: dict[str, list[float]] = {label: [] for label in cases}
            for _ in range(max(rep, 9)):
                for label, (a, _b) in cases.items():
                    t0 = time.perf_counter()
                    ours(*a, out=out)
                    times[label].append(time.perf_counter() - t0)
            med = {label: float(np.median(ts)) for label, ts in times.items()}
            strided = med["strided x[::2]"] / med["contiguous"]
            bcast = med["broadcast f(0.5, x)"] / med["contiguous v=0.5"]
            per = "  ".join(f"{label} {t / n * 1e9:5.1f}" for label, t in med.items())
            print(f"  {fname:9s} {per}  | strided x{strided:.3f}, broadcast x{bcast:.3f}")


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
    print("layouts, v~logU[0.1,1e4], x~logU[1e-6,1e5]:")
    bench_layouts(n, rep, rng)


if __name__ == "__main__":
    main()
