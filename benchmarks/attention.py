"""numkit.attention benchmarks: exact Kronecker attention against a NumPy streaming baseline,
windowed scaling, the polynomial method's accuracy and speed, and peak memory.

Run: ``python benchmarks/attention.py`` (about 2 minutes). One thread for both sides (BLAS pinned
by threadpoolctl); times are medians of CPU time (time.process_time) of a few runs, which on a
shared, loaded machine is fairer than wall time; the workers=2 row uses wall time.

The NumPy baseline is what a user would write without numkit: query tiles of 8, the logit block
(K1 * q) K2^T and E V2 as BLAS GEMMs (np.matmul), np.exp, in float64, O(tile n^2) memory.
"""

from __future__ import annotations

import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _timing  # noqa: F401  (sets the BLAS/OpenMP thread variables before NumPy work)
import numkit.attention as na

# The poly rows run fixed low degrees on purpose and print their bounds next to them.
warnings.filterwarnings("ignore", category=na.PolyAccuracyWarning)

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


def cpu_median(fn, repeat=3):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return sorted(times)[len(times) // 2]


def wall_median(fn, repeat=3):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def numpy_streaming(Q, K1, K2, V1, V2, scale, tile=8):
    """The peer: exact Kronecker attention by query tiles with BLAS GEMMs and np.exp."""
    n, dv = Q.shape[0], V1.shape[1]
    out = np.empty((n, dv))
    K2T = np.ascontiguousarray(K2.T)
    for s in range(0, n, tile):
        A = (Q[s : s + tile, None, :] * scale) * K1[None]  # (t, n1, d)
        S = A @ K2T  # (t, n1, n2): GEMMs of inner dimension d
        S -= S.max(axis=(1, 2), keepdims=True)
        np.exp(S, out=S)
        z = S.sum(axis=(1, 2))
        W = S @ V2  # (t, n1, dv)
        out[s : s + tile] = np.einsum("tjc,jc->tc", W, V1) / z[:, None]
    return out


def numpy_gemms_only(Q, K1, K2, V1, V2, scale, tile=8):
    """The baseline's two GEMMs per tile and nothing else: a lower bound for any Python driver
    that hands the GEMMs to NumPy's BLAS and only the exp/accumulate step to C++."""
    K2T = np.ascontiguousarray(K2.T)
    for s in range(0, Q.shape[0], tile):
        S = ((Q[s : s + tile, None, :] * scale) * K1[None]) @ K2T
        S @ V2


def exp_floor():
    """ns per element of one vectorized exp (np.exp on an L1-resident float64 block)."""
    x = -np.random.default_rng(0).random(4096) * 30
    o = np.empty_like(x)

    def run():
        for _ in range(200):
            np.exp(x, out=o)

    return cpu_median(run, 5) / (200 * x.size) * 1e9


MEMORY_SCRIPT = """
import resource, sys, numpy as np
import numkit.attention as na
n, d, nq = {n}, {d}, {nq}
rng = np.random.default_rng(0)
K1, K2, V1, V2 = (rng.standard_normal((n, d)).astype(np.float32) for _ in range(4))
Q = rng.standard_normal((nq, d)).astype(np.float32)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = na.kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers={workers})
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(before / 1024, after / 1024, int(hwm) / 1024)
"""


def peak_rss_mb(n, d, nq, workers=1):
    code = MEMORY_SCRIPT.format(n=n, d=d, nq=nq, workers=workers)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after, hwm = map(float, out.stdout.split())
    return before, after, hwm


def main():
    rng = np.random.default_rng(0)
    if threadpool_limits is not None:
        threadpool_limits(1)
        blas = [f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpool_info()]
        print(f"BLAS: {', '.join(blas)} (1 thread)")
    print("machine shared and loaded: CPU-time medians; ratios are the figures to read\n")
    # 0. memory, float32 exact, in a subprocess started while this process is still small
    #    (Linux carries the parent's peak RSS into a forked child's getrusage)
    n, d = 4096, 16
    nq = 128
    before, after, hwm = peak_rss_mb(n, d, nq)
    print(
        f"peak RSS, exact float32, n1 = n2 = {n}, d = {d}, {nq} queries: getrusage {after:.1f} MB,"
        f" VmHWM {hwm:.1f} MB (before the call {before:.1f} MB; bar < 200 MB)"
    )
    print(f"  (all {n} queries use the same O(nd) buffers; {nq} keep the run to seconds)\n")

    # 1. exact at n = 512, d = 16
    n, d = 512, 16
    Q, K1, K2, V1, V2 = (rng.standard_normal((n, d)) for _ in range(5))
    ours = na.kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers=1)
    peer = numpy_streaming(Q, K1, K2, V1, V2, 1 / d)
    agree = float(np.max(np.abs(ours - peer)))
    t_ours = cpu_median(
        lambda: na.kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers=1)
    )
    t_peer = cpu_median(lambda: numpy_streaming(Q, K1, K2, V1, V2, 1 / d))
    t_gemm = cpu_median(lambda: numpy_gemms_only(Q, K1, K2, V1, V2, 1 / d))
    tri = n**3
    floor = exp_floor()
    print(f"exact, n = {n}, d = {d}, float64, 1 thread ({tri:.3g} triples; max |diff| {agree:.1e})")
    print(f"  numpy streaming baseline  {t_peer:8.3f} s  {t_peer / tri * 1e9:6.2f} ns/triple")
    print(
        f"  numpy GEMMs alone         {t_gemm:8.3f} s  {t_gemm / tri * 1e9:6.2f} ns/triple"
        "  (lower bound of a Python driver over BLAS)"
    )
    print(
        f"  numkit exact              {t_ours:8.3f} s  {t_ours / tri * 1e9:6.2f} ns/triple"
        f"  -> x{t_peer / t_ours:.1f} vs baseline (bar >= 3)"
    )
    print(f"  floor: one np.exp per triple {floor:6.2f} ns/triple")

    w1 = wall_median(lambda: na.kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers=1))
    w2 = wall_median(lambda: na.kronecker_attention(Q, K1, K2, V1, V2, method="exact", workers=2))
    print(f"  workers=2: wall {w1:.3f} s -> {w2:.3f} s, speed-up x{w1 / w2:.2f} (2 shared cores)\n")

    # 2. windowed cost linear in n
    print("exact, causal windows (w1, w2) = (512, 32), d = 16: time per query should be flat")
    for nn in (1024, 2048, 4096):
        args = tuple(rng.standard_normal((nn, d)) for _ in range(5))
        t = cpu_median(
            lambda args=args: na.kronecker_attention(*args, window=(512, 32), workers=1), repeat=1
        )
        print(f"  n = {nn:5d}  {t:7.3f} s  {t / nn * 1e6:8.1f} us/query")
    print()

    # 3. poly error vs degree, bounded inputs |entries| <= B, scale 1/d so |logit| <= B^3
    n, d = 512, 8
    print(f"poly vs exact, n = {n}, d = {d}, entries uniform in [-B, B], V ~ N(0, 1)")
    print(f"  {'B^3':>4} {'degree':>6} {'rank':>6} {'max error':>10} {'bound':>10} {'time s':>7}")
    for B3 in (1, 2, 4):
        B = B3 ** (1 / 3)
        Qb, K1b, K2b = (rng.uniform(-B, B, (n, d)) for _ in range(3))
        V1b, V2b = (rng.standard_normal((n, d)) for _ in range(2))
        ref = na.kronecker_attention(Qb, K1b, K2b, V1b, V2b, method="exact")
        for g in (1, 2, 3, 4, 5, 6, 8):
            t0 = time.process_time()
            out = na.kronecker_attention(Qb, K1b, K2b, V1b, V2b, method="poly", degree=g)
            t = time.process_time() - t0
            b = na.poly_error_bound(Qb, K1b, K2b, V1b, V2b, degree=g)
            err = float(np.max(np.abs(out - ref)))
            flag = "" if err <= b.bound else "  BOUND VIOLATED"
            print(f"  {B3:>4} {g:>6} {b.rank:>6} {err:10.2e} {b.bound:10.2e} {t:7.3f}{flag}")
    print()

    # 4. poly at n = 32768, d = 16, g = 3
    n, d = 32768, 16
    Qp, K1p, K2p = (rng.uniform(-1, 1, (n, d)) for _ in range(3))
    V1p, V2p = (rng.standard_normal((n, d)) for _ in range(2))
    t0, c0 = time.perf_counter(), time.process_time()
    na.kronecker_attention(Qp, K1p, K2p, V1p, V2p, method="poly", degree=3)
    t, tc = time.perf_counter() - t0, time.process_time() - c0
    b = na.poly_error_bound(Qp, K1p, K2p, V1p, V2p, degree=3)
    est = n**3 * t_ours / 512**3
    print(
        f"poly, n = {n}, d = {d}, g = 3 (rank {b.rank}): {t:.2f} s wall, {tc:.2f} s CPU "
        "(bar < 10 s), "
        f"bound {b.bound:.2e} (R = {b.radius:.2f});"
    )
    print(f"  exact would take about {est / 86400:.1f} days on one thread at the rate above\n")


if __name__ == "__main__":
    main()
