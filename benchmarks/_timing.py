"""Timing helpers shared by the benchmarks: medians of repeats, ratios against a peer."""

from __future__ import annotations

import os
import time
from typing import Callable

# Single-threaded BLAS/OpenMP so that ratios compare one core against one core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def machine() -> str:
    """The CPU this run measured (model name and widest x86 vector extension), for the header."""
    model, flags = "unknown CPU", set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = set(value.split())
                    break
    except OSError:  # not Linux: the platform's own description
        import platform

        model = platform.processor() or platform.machine()
    vec = "AVX-512" if "avx512bw" in flags else "AVX2" if "avx2" in flags else ""
    cores = os.cpu_count() or 1
    return f"{cores}-core {model}" + (f" ({vec})" if vec else "")


def median_time(fn: Callable[[], object], *, repeat: int = 7, min_time: float = 0.05) -> float:
    """Median wall time of one call of ``fn`` in seconds, over ``repeat`` batches."""
    fn()  # warm up: first-call costs (allocation, lazy imports) are not what we measure
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time or number >= 1 << 20:
            break
        number *= 2
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    times.sort()
    return times[len(times) // 2]


def ratio_line(label: str, t_peer: float, t_ours: float, n: int | None = None) -> str:
    """One benchmark row: peer time, numkit time, and the speed-up ratio."""
    per = ""
    if n:
        per = f"  ({t_peer / n * 1e9:8.1f} vs {t_ours / n * 1e9:7.1f} ns/elem)"
    times = f"peer {t_peer * 1e3:9.3f} ms  numkit {t_ours * 1e3:9.3f} ms"
    return f"{label:<44} {times}  x{t_peer / t_ours:7.1f}{per}"
