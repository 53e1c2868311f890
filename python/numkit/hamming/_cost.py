"""The cost model behind ``method="auto"``: predicted nanoseconds of each engine.

Constants were measured by ``benchmarks/hamming.py --calibrate`` on this project's shared
2-core AMD EPYC (AVX2) build machine, single thread, n = 1e6 (loaded machine: each is the median
of 3 repeats, rounded; see the benchmark's docstring for how each is fitted):

- ``BRUTE_NS_PER_CELL``: the blocked brute force per (window, pattern position) cell, by code
  width (1, 2, 4 bytes), at m = 1000, alphabet 4 / 300 / 70000.
- ``FFT_NS_PER_POINT``: one forward group (gather of 0/2^(b g) weights, 2-D rfft, multiply-add
  into the spectrum) per padded text point, as a + b log2(L); ``FFT_INV_NS_PER_POINT`` the final
  irfft and slot extraction, from runs at m = 100, 1000, 10000 with 1 and 8 groups.
- ``LIST_NS_PER_OP``: one position-list increment, ``LIST_NS_PER_TEXT``: the text scan, from
  alphabet 256 and 65536 runs at m = 1000.
- ``FIXED_NS``: Python-side setup of an FFT/list run (channel tables, CSR lists).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._engines import Plan, channel_work
from ._fft import block_length, slots_per_transform

__all__ = ["Choice", "choose", "kbrute_cost"]

BRUTE_NS_PER_CELL = {1: 0.030, 2: 0.060, 4: 0.16}
BRUTE_TEXT_WILD_FACTOR = 1.3
FFT_NS_PER_POINT = (4.0, 0.45)  # a + b * log2(L)
FFT_INV_NS_PER_POINT = (3.0, 0.45)
LIST_NS_PER_OP = 1.5
LIST_NS_PER_TEXT = 1.0
FIXED_NS = 2.0e5


@dataclass(frozen=True)
class Choice:
    """The engine picked for one pattern and the channels it sends through the FFT."""

    method: str  # "brute", "fft", "abrahamson" or "kbrute"
    fft_codes: np.ndarray
    predicted_ns: float


def _fft_cost(plan: Plan, groups: int) -> float:
    if groups == 0:
        return 0.0
    L = block_length(plan.n, plan.m)
    step = L - plan.m + 1
    points = -(-plan.nw // step) * L
    lg = math.log2(L)
    fwd = FFT_NS_PER_POINT[0] + FFT_NS_PER_POINT[1] * lg
    inv = FFT_INV_NS_PER_POINT[0] + FFT_INV_NS_PER_POINT[1] * lg
    return points * (groups * fwd + inv) + FIXED_NS


def brute_cost(plan: Plan, q: int) -> float:
    width = plan.enc.text.dtype.itemsize
    cells = plan.nw * (plan.m - plan.n_wild(q))
    factor = BRUTE_TEXT_WILD_FACTOR if plan.enc.wild >= 0 else 1.0
    return BRUTE_NS_PER_CELL[width] * cells * factor


def split_cost(plan: Plan, q: int, n_fft: int | None) -> tuple[float, np.ndarray]:
    """Best (or, with n_fft, fixed) number of FFT channels: cost and the FFT channel codes."""
    work = channel_work(plan, q)
    work[plan.enc.other] = 0
    codes = np.flatnonzero(work)
    codes = codes[np.argsort(-work[codes], kind="stable")]
    tail = np.concatenate([np.cumsum(work[codes][::-1])[::-1], [0]])  # work of codes[F:]
    G = slots_per_transform(plan.m)
    if n_fft is not None:
        candidates = [min(n_fft, codes.size)]
    else:
        candidates = sorted({*range(0, codes.size, G), codes.size})
    best = (math.inf, codes[:0])
    for F in candidates:
        lst = tail[F]
        cost = _fft_cost(plan, -(-F // G))
        if lst:
            cost += LIST_NS_PER_OP * lst + LIST_NS_PER_TEXT * plan.n + FIXED_NS
        if cost < best[0]:
            best = (cost, codes[:F])
    return best


def kbrute_cost(plan: Plan, q: int, k: int) -> float:
    """k-bounded brute force: positions examined per window ~ 2 (k + 1) / P(mismatch), >= 32."""
    n_codes = plan.enc.n_codes
    ft = plan.text_counts[:n_codes] / plan.n
    fp = np.bincount(plan.enc.patterns[q], minlength=n_codes) / plan.m
    s = plan.enc.n_symbols
    p_mis = float(1.0 - float(ft[:s] @ fp[:s]))
    if plan.enc.wild >= 0:
        w = plan.enc.wild
        p_mis = float((1 - ft[w]) * (1 - fp[w]) - ft[:s] @ fp[:s])
    examined = plan.m if p_mis <= 0 else min(plan.m, max(32.0, 2.0 * (k + 1) / p_mis))
    width = plan.enc.text.dtype.itemsize
    return BRUTE_NS_PER_CELL[width] * plan.nw * examined + 0.5 * plan.nw


def choose(plan: Plan, q: int, method: str, k: int | None) -> Choice:
    """The engine for pattern q under ``method`` ("auto", "brute", "fft", "abrahamson")."""
    if method == "brute":
        return Choice("kbrute" if k is not None else "brute", plan.enc.patterns[q][:0], 0.0)
    if method == "fft":
        cost, codes = split_cost(plan, q, n_fft=1 << 62)
        return Choice("fft", codes, cost)
    cost, codes = split_cost(plan, q, n_fft=None)
    if method == "abrahamson":
        return Choice("abrahamson", codes, cost)
    options = [Choice("abrahamson", codes, cost), Choice("brute", codes[:0], brute_cost(plan, q))]
    if k is not None and k < plan.m - plan.n_wild(q):
        options.append(Choice("kbrute", codes[:0], kbrute_cost(plan, q, k)))
    return min(options, key=lambda c: c.predicted_ns)
