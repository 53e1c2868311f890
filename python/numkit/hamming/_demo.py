"""numkit.hamming's section of ``python -m numkit demo``: a pattern in a synthetic genome."""

from __future__ import annotations

import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def run() -> None:
    """Find a 400-base gene, planted 5 times with mutations, in a 2 Mb random genome."""
    from numkit.hamming import best_matches, hamming_distances

    rng = np.random.default_rng(2026)
    n, m = 2_000_000, 400
    bases = np.frombuffer(b"ACGT", np.uint8)
    idx = rng.integers(0, 4, size=n)
    gene_idx = idx[123_456 : 123_456 + m].copy()
    planted = np.sort(rng.choice(n - m, size=5, replace=False))
    mutations = [0, 3, 8, 20, 40]
    for at, k in zip(planted, mutations):
        idx[at : at + m] = gene_idx
        sites = rng.choice(m, size=k, replace=False)
        idx[at + sites] = (idx[at + sites] + rng.integers(1, 4, size=k)) % 4  # another base
    genome, gene = bases[idx], bases[gene_idx]
    t0 = time.perf_counter()
    best = best_matches(genome.tobytes(), gene.tobytes(), top=7)
    t_best = time.perf_counter() - t0
    print(f"A {m}-base gene in a {n / 1e6:.0f} Mb genome (seeded), planted at {planted.tolist()}")
    print(f"with {mutations} point mutations (and the original copy at 123456).")
    print("  position  mismatches")
    for p, d in zip(best.positions, best.distances):
        print(f"  {p:8d}  {d:10d}")

    sub = 200_000  # numpy's sliding-window one-liner on a slice, scaled (it is O(n m))
    t0 = time.perf_counter()
    ref = (sliding_window_view(genome[: sub + m - 1], m) != gene).sum(1)
    t_np = (time.perf_counter() - t0) * (n - m + 1) / sub
    t0 = time.perf_counter()
    H = hamming_distances(genome, gene)
    t_nk = time.perf_counter() - t0
    assert np.array_equal(H[:sub], ref)
    t0 = time.perf_counter()
    hamming_distances(genome, gene, k=40)
    t_k = time.perf_counter() - t0
    print(
        f"  all {n - m + 1} distances: numkit {t_nk * 1e3:.0f} ms, k=40-bounded {t_k * 1e3:.0f} ms,"
    )
    print(
        f"  numpy (sliding_window_view(T, m) != P).sum(1): {t_np * 1e3:.0f} ms "
        f"(timed on {sub} windows, scaled): x{t_np / t_nk:.0f}; best_matches {t_best * 1e3:.0f} ms"
    )
