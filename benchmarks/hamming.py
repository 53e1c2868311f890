"""numkit.hamming benchmarks: every engine and auto against numpy's sliding-window one-liner.

Run: ``python benchmarks/run.py hamming`` (about 2-3 minutes on the shared machine), or
``python benchmarks/hamming.py --calibrate`` to re-measure the cost model's constants
(numkit/hamming/_cost.py). Single thread (BLAS pinned by _timing), one run, identical inputs:
random text of n = 1e6 symbols and a random pattern (uint8 codes for alphabets <= 256, uint16
for 65536), m in {100, 1000, 10000}.

The peer, ``(sliding_window_view(T, m) != P).sum(1)``, is O(n m): it is chunked so that each
comparison block is ~16 MiB of booleans, and timed on the first 100000 windows (20000 for
m = 10000), then scaled linearly to all n - m + 1 windows (its cost is the same per window).
Engines whose cost model predicts more than 2 s are not run (shown as "-", with the
prediction). Times are the process's CPU time (time.process_time), medians of 9 rounds in which
the engines of one row take turns (calls over 0.3 s run once): the shared machine's speed drifts
by 30-50% over tens of seconds, so times that are compared are taken side by side. The workers=2
rows are wall times (nothing else can show a speed-up) and are only indicative here.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import machine, median_time  # noqa: F401  (sets single-threaded BLAS first)
from numkit.hamming import _cost, hamming_distances
from numkit.hamming._api import _options
from numkit.hamming._encode import encode
from numkit.hamming._engines import Plan

N = 1_000_000
MS = (100, 1000, 10000)
SIGMAS = (4, 20, 256, 65536)
ENGINES = ("brute", "fft", "abrahamson")
SKIP_S = 2.0


def timed(fn, repeat=3, clock=time.process_time):
    """Median CPU time of the process (wall time with clock=time.perf_counter)."""
    return interleaved({0: fn}, repeat, clock)[0]


def interleaved(fns, rounds=5, clock=time.process_time):
    """Median time of each function over `rounds` rounds that call every function once in turn.

    This machine's speed drifts by 30-50% over tens of seconds (other jobs on the host), so the
    calls whose times are compared take turns, and a ratio is never of two separate stretches
    of time. Functions whose first call takes over 0.3 s run once.
    """
    times = {key: [] for key in fns}
    for r in range(rounds):
        for key, fn in fns.items():
            if r > 0 and times[key][0] > 0.3:
                continue
            t0 = clock()
            fn()
            times[key].append(clock() - t0)
    return {key: float(np.median(ts)) for key, ts in times.items()}


def numpy_baseline(T, P, windows):
    m = P.size
    rows = max(1, (1 << 24) // m)
    W = sliding_window_view(T[: windows + m - 1], m)
    out = np.empty(windows, dtype=np.int64)
    for a in range(0, windows, rows):
        out[a : a + rows] = (W[a : a + rows] != P).sum(1)
    return out


def problem(sigma, m, seed=0):
    rng = np.random.default_rng(seed + sigma + m)
    dtype = np.uint8 if sigma <= 256 else np.uint16
    T = rng.integers(0, sigma, N).astype(dtype)
    P = rng.integers(0, sigma, m).astype(dtype)
    return T, P


def predicted_s(T, P, method, k=None):
    enc = encode(T, P[None, :], None)
    plan = Plan(enc, np.dtype(np.int32))
    c = _cost.choose(plan, 0, method, k)
    if c.method in ("brute", "kbrute"):  # forced: price the brute force that runs
        p_mis = _cost.frequency_mismatch(plan, 0)
        width = enc.text.dtype.itemsize
        options = _cost.brute_options(plan.nw, plan.m, width, False, k, p_mis)
        return options[-1].predicted_ns / 1e9
    return c.predicted_ns / 1e9


def main_table():
    print(f"n = {N:.0e}, one thread; ratio = numpy time / engine time (x: faster than numpy)")
    print(f"machine: {machine()}; engines of a row timed in turns (median of 9)")
    hdr = f"{'sigma':>6} {'m':>6} {'numpy s':>9} " + "".join(f"{e:>16}" for e in (*ENGINES, "auto"))
    print(hdr + "   auto picks     auto/best  ns/cell(auto, brute)")
    rows = {}
    for m in MS:
        for sigma in SIGMAS:
            T, P = problem(sigma, m)
            nw = N - m + 1
            sub = 100_000 if m < 10000 else 20_000
            t0 = time.process_time()
            ref = numpy_baseline(T, P, sub)
            t_np = (time.process_time() - t0) * nw / sub
            times, fns = {}, {}
            for e in (*ENGINES, "auto"):
                pred = predicted_s(T, P, e)
                times[e] = (None, pred)
                if pred > SKIP_S:
                    continue
                H = hamming_distances(T, P, method=e)
                assert np.array_equal(H[:sub], ref), (sigma, m, e)
                fns[e] = partial(hamming_distances, T, P, method=e)
            for e, t in interleaved(fns, 9).items():
                times[e] = (t, times[e][1])
            enc = encode(T, P[None, :], None)
            pick = _cost.choose(Plan(enc, np.dtype(np.int32)), 0, "auto", None)
            run = [t for t, _ in times.values() if t is not None]
            best = min(t for e, (t, _) in times.items() if t is not None and e != "auto")
            cells = nw * m
            line = f"{sigma:>6} {m:>6} {t_np:9.2f} "
            for e in (*ENGINES, "auto"):
                t, pred = times[e]
                line += (
                    f"{'-':>7} ({pred:5.0f}s)"
                    if t is None
                    else f"{t * 1e3:8.1f}ms x{t_np / t:5.0f}"
                )
            t_auto = times["auto"][0]
            t_brute = times["brute"][0]
            line += f"   {pick.method:<11} {t_auto / best:8.2f}"
            line += f"   {t_auto / cells * 1e9:.4f}, {t_brute / cells * 1e9:.4f}"
            print(line, flush=True)
            rows[(sigma, m)] = (t_np, times)
            del run
    return rows


def bars(rows):
    print("\nbars")
    worst = min(t_np / times["auto"][0] for (s, m), (t_np, times) in rows.items() if m >= 1000)
    print(f"  auto vs numpy, every case with m >= 1000: worst x{worst:.1f} (bar >= 10)")
    for (s, m), (t_np, times) in rows.items():
        if m >= 1000:
            for e, (t, _) in times.items():
                if t is not None and t_np / t < 10:
                    print(f"    below 10x: sigma {s} m {m} {e}: x{t_np / t:.1f}")
    t_np, times = rows[(256, 1000)]
    print(
        f"  sigma 256, m 1000: auto x{times['brute'][0] / times['auto'][0]:.1f} faster than "
        "numkit brute (bar >= 3)"
    )
    ratios = []
    for (s, m), (_, times) in rows.items():
        best = min(t for e, (t, _) in times.items() if t is not None and e != "auto")
        ratios.append((times["auto"][0] / best, s, m))
    r, s, m = max(ratios)
    print(f"  auto / fastest engine: worst {r:.2f} at sigma {s}, m {m} (bar <= 1.25)")


def kbounded():
    print("\nk-bounded, m = 1000, k = 10, random text (exact auto vs k=10 auto)")
    for sigma in SIGMAS:
        T, P = problem(sigma, 1000)
        H = hamming_distances(T, P)
        Hk = hamming_distances(T, P, k=10)
        assert np.array_equal(Hk, np.minimum(H, 11))
        t = interleaved(
            {
                "exact": partial(hamming_distances, T, P),
                "k": partial(hamming_distances, T, P, k=10),
            },
            9,
        )
        t_exact, t_k = t["exact"], t["k"]
        print(
            f"  sigma {sigma:>6}: exact {t_exact * 1e3:7.1f} ms, k=10 {t_k * 1e3:6.1f} ms, "
            f"x{t_exact / t_k:5.1f} (bar >= 10)"
        )


def threads():
    print("\nworkers=2 speed-up (wall time, median of 7 in turns; 2 cores shared with other jobs)")
    cases = ((4, 1000, "brute"), (4, 1000, "fft"), (20, 10000, "fft"), (256, 1000, "abrahamson"))
    for sigma, m, method in cases:
        T, P = problem(sigma, m)
        wall = time.perf_counter
        t = interleaved(
            {w: partial(hamming_distances, T, P, method=method, workers=w) for w in (1, 2)}, 7, wall
        )
        t1, t2 = t[1], t[2]
        same = np.array_equal(
            hamming_distances(T, P, method=method, workers=1),
            hamming_distances(T, P, method=method, workers=2),
        )
        print(
            f"  sigma {sigma:>5} m {m:>5} {method:<10}: 1 -> {t1 * 1e3:6.1f} ms, 2 -> "
            f"{t2 * 1e3:6.1f} ms, x{t1 / t2:.2f}, identical: {same}"
        )


def approximate():
    print(
        "\napproximate mode (eps = 0.1, 20 colours): the colour strings' relative error over all"
        " windows (method='brute' runs them), and what eps=0.1 with method='auto' costs: it"
        " answers exactly where the cost model prices that lower"
    )
    for sigma, m in ((256, 1000), (256, 10000), (65536, 1000), (4, 1000)):
        T, P = problem(sigma, m)
        H = hamming_distances(T, P)
        est = hamming_distances(T, P, eps=0.1, seed=0, method="brute")
        rel = np.abs(est - H) / np.maximum(H, 1)
        auto = hamming_distances(T, P, eps=0.1, seed=0)
        how = "exact" if np.array_equal(auto, H) else "colours"
        t = interleaved(
            {
                "exact": partial(hamming_distances, T, P),
                "colours": partial(hamming_distances, T, P, eps=0.1, seed=0, method="brute"),
                "auto": partial(hamming_distances, T, P, eps=0.1, seed=0),
            },
            5,
        )
        print(
            f"  sigma {sigma:>5} m {m:>5}: median {np.median(rel):.2e} p99 "
            f"{np.quantile(rel, 0.99):.2e} max {rel.max():.2e}, within eps "
            f"{np.mean(rel <= 0.1) * 100:.2f}%; exact {t['exact'] * 1e3:.0f} ms, colours "
            f"{t['colours'] * 1e3:.0f} ms (x{t['exact'] / t['colours']:.2f}), eps auto "
            f"{t['auto'] * 1e3:.0f} ms ({how}, x{t['exact'] / t['auto']:.2f})"
        )


def calibrate():
    """Fit the cost model's constants from single-engine runs (see numkit/hamming/_cost.py)."""
    from numkit.hamming import _fft

    print("brute ns/cell by code width (m = 1000):")
    for sigma in (4, 300, 70000):
        rng = np.random.default_rng(1)
        T = rng.integers(0, sigma, N).astype(np.int64)
        P = T[5000:6000].copy()
        enc = encode(T, P[None, :], None)
        t = timed(partial(hamming_distances, T, P, method="brute"))
        print(f"  {enc.text.dtype}: {t / ((N - 999) * 1000) * 1e9:.4f}")
    print("fft ns per padded point: per group and inverse (from 1 and 8 groups):")
    for m in MS:
        rng = np.random.default_rng(2)
        for groups in (1, 8):
            G = _fft.slots_per_transform(m)
            sigma = groups * G
            T = rng.integers(0, sigma, N).astype(np.uint8)
            P = rng.integers(0, sigma, m).astype(np.uint8)
            P[:sigma] = np.arange(sigma)
            t = timed(partial(hamming_distances, T, P, method="fft"))
            L = _fft.block_length(N, m)
            pts = -(-(N - m + 1) // (L - m + 1)) * L
            print(f"  m {m:>5} L {L:>6} groups {groups}: {t / pts * 1e9:.2f} ns/point")
    print("list ns per op (m = 1000, all symbols rare):")
    for sigma in (256, 65536):
        rng = np.random.default_rng(3)
        T = rng.integers(0, sigma, N).astype(np.uint16)
        P = rng.integers(0, sigma, 1000).astype(np.uint16)
        enc = encode(T, P[None, :], None)
        work = int(
            (
                np.bincount(enc.text, minlength=enc.n_codes)[: enc.n_symbols]
                * np.bincount(enc.patterns[0], minlength=enc.n_codes)[: enc.n_symbols]
            ).sum()
        )
        opts = _options(None, None, "abrahamson", None, None)
        del opts
        t = timed(partial(hamming_distances, T, P, method="abrahamson"))
        print(f"  sigma {sigma}: {work} ops, {t * 1e3:.1f} ms, {t / max(work, 1) * 1e9:.2f} ns/op")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibrate", action="store_true")
    args, _ = ap.parse_known_args()  # benchmarks/run.py leaves its own arguments in argv
    if args.calibrate:
        calibrate()
    else:
        t0 = time.perf_counter()
        rows = main_table()
        bars(rows)
        kbounded()
        threads()
        approximate()
        print(f"\n(benchmark wall time {time.perf_counter() - t0:.0f} s)")
