"""The cost model behind ``method="auto"``: predicted nanoseconds of each engine.

Constants measured on this project's shared 2-core AMD EPYC (AVX2) machine, one thread,
n = 1e6 random text, as process CPU time (the machine ran at load ~15, so wall times were
meaningless); medians of 3-5 calls, rounded. ``python benchmarks/hamming.py --calibrate``
re-measures them:

- ``BRUTE_NS_PER_CELL`` -- blocked brute force per (window, pattern position) cell, by code
  width: 1 byte 0.0115 (alphabets 4/20/256, m = 1000: 11.5-16 ms), 2 bytes 0.020 (alphabet
  65536: 20 ms), 4 bytes 0.039 (alphabet 70000 in int32: 39 ms).
- ``FFT_NS_PER_POINT``, ``FFT_INV_NS_PER_POINT`` -- per padded text point (overlap-save
  blocks): one packed group (weight gather, 2-D rfft, multiply-add) and the rest (irfft,
  rounding check, slot extraction, copies). From alphabet 4 (2 groups: 52 ns/point) and 20
  (10 groups: 120 ns/point) at m = 1000, checked at m = 100 (49) and m = 10000 (57 ns/point):
  8.5 ns per group, 35 ns for the rest, nearly independent of L.
- ``LIST_NS_PER_OP`` -- one position-list increment (alphabet 256, m = 1000: 3.9e6 increments,
  12.6 ms); ``LIST_NS_PER_TEXT`` -- text remap and scan per text symbol (alphabet 65536,
  m = 1000: 1.5e4 increments, 5.6 ms in all).
- ``FIXED_NS`` -- Python-side setup of an FFT or list run (channel tables, CSR lists).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._engines import Plan, channel_work
from ._fft import block_length, slots_per_transform

__all__ = ["Choice", "choose", "forced_brute", "kbrute_cost"]

BRUTE_NS_PER_CELL = {1: 0.0115, 2: 0.020, 4: 0.039}
BRUTE_TEXT_WILD_FACTOR = 1.3
FFT_NS_PER_POINT = (6.0, 0.2)  # a + b * log2(L): 8.6 at L = 8192
FFT_INV_NS_PER_POINT = (32.5, 0.2)
LIST_NS_PER_OP = 3.2
LIST_NS_PER_TEXT = 3.0
FIXED_NS = 2.0e5


@dataclass(frozen=True)
class Choice:
    """The engine picked for one pattern and the channels it sends through the FFT."""

    method: str  # "brute", "fft", "abrahamson" or "kbrute"
    fft_codes: np.ndarray
    predicted_ns: float


def _fft_cost(plan: Plan, groups: np.ndarray) -> np.ndarray:
    """Predicted ns of the FFT engine with `groups` packed transforms (0: not run)."""
    L = block_length(plan.n, plan.m)
    step = L - plan.m + 1
    points = -(-plan.nw // step) * L
    lg = math.log2(L)
    fwd = FFT_NS_PER_POINT[0] + FFT_NS_PER_POINT[1] * lg
    inv = FFT_INV_NS_PER_POINT[0] + FFT_INV_NS_PER_POINT[1] * lg
    return np.where(groups > 0, points * (groups * fwd + inv) + FIXED_NS, 0.0)


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
        F = np.array([min(n_fft, codes.size)])
    else:
        F = np.unique(np.append(np.arange(0, codes.size, G), codes.size))
    lst = tail[F].astype(np.float64)
    cost = _fft_cost(plan, -(-F // G)) + np.where(
        lst > 0, LIST_NS_PER_OP * lst + LIST_NS_PER_TEXT * plan.n + FIXED_NS, 0.0
    )
    best = int(np.argmin(cost))
    return float(cost[best]), codes[: F[best]]


def kbrute_cost(plan: Plan, q: int, k: int) -> float:
    """k-bounded brute force: positions examined per window ~ 2 (k + 1) / P(mismatch), >= 8."""
    n_codes = plan.enc.n_codes
    ft = plan.text_counts[:n_codes] / plan.n
    fp = np.bincount(plan.enc.patterns[q], minlength=n_codes) / plan.m
    s = plan.enc.n_symbols
    p_mis = float(1.0 - float(ft[:s] @ fp[:s]))
    if plan.enc.wild >= 0:
        w = plan.enc.wild
        p_mis = float((1 - ft[w]) * (1 - fp[w]) - ft[:s] @ fp[:s])
    examined = plan.m if p_mis <= 0 else min(plan.m, max(8.0, 2.0 * (k + 1) / p_mis))
    width = plan.enc.text.dtype.itemsize
    return BRUTE_NS_PER_CELL[width] * plan.nw * examined + 0.5 * plan.nw


def forced_brute(k: int | None) -> Choice:
    """method="brute": the brute force, k-bounded with k (nothing to price)."""
    return Choice("kbrute" if k is not None else "brute", np.empty(0, dtype=np.intp), 0.0)


def choose(plan: Plan, q: int, method: str, k: int | None) -> Choice:
    """The engine for pattern q under ``method`` ("auto", "brute", "fft", "abrahamson")."""
    if method == "brute":
        return forced_brute(k)
    if method == "fft":
        cost, codes = split_cost(plan, q, n_fft=1 << 62)
        return Choice("fft", codes, cost)
    none = plan.enc.patterns[q][:0]
    if method == "abrahamson":
        cost, codes = split_cost(plan, q, n_fft=None)
        return Choice("abrahamson", codes, cost)
    options = [Choice("brute", none, brute_cost(plan, q))]
    if k is not None and k < plan.m - plan.n_wild(q):
        options.append(Choice("kbrute", none, kbrute_cost(plan, q, k)))
    best = min(options, key=lambda c: c.predicted_ns)
    # The split engines scan the whole text once (lists) or run at least one transform (FFT):
    # a brute force below that floor wins without pricing the split, which costs ~0.1 ms per
    # call (a twentieth of a brute-force call at m = 100, a tenth of a small-k call).
    # (Not when no pattern symbol occurs in the sampled text: then the split has no work.)
    floor = min(LIST_NS_PER_TEXT * plan.n + FIXED_NS, float(_fft_cost(plan, np.ones(1))[0]))
    if best.predicted_ns < floor and plan.text_counts[: plan.enc.other].any():
        return best
    cost, codes = split_cost(plan, q, n_fft=None)
    return min([Choice("abrahamson", codes, cost), *options], key=lambda c: c.predicted_ns)
