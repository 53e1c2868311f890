"""The cost model behind ``method="auto"``: predicted nanoseconds of each engine.

Constants measured on this project's shared 2-core machines (AMD EPYC AVX2, and the list
constants on an AVX-512 Xeon), one thread,
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
- ``LIST_NS_PER_OP``, ``LIST_NS_PER_TEXT``, ``LIST_NS_PER_HIT`` -- text-major lists: an
  increment, a text symbol scanned, and a text symbol whose code is listed (its short, variable
  loop over the code's pattern positions mispredicts once). ``BUCKET_NS_PER_OP``,
  ``BUCKET_NS_PER_TEXT``, ``BUCKET_NS_PER_SLOT`` -- pattern-major lists: an increment, a text
  position sorted (per tile, re-reading m - 1 positions a tile) and a listed code per tile.
  Least squares (relative errors) over the C++ engine alone at alphabets 64, 256, 4096, 65536 and
  m = 100, 1000, 10000 (session 10, on a 2-core AVX-512 Xeon, after the one-pass tile sort):
  predictions within -33% .. +21% (text-major) and -30% .. +30% (pattern-major) of the times;
  e.g. alphabet 256, m = 1000: 3.1 ms pattern-major against 10.8 ms text-major; alphabet 65536,
  m = 100: 1.3 against 0.8 ms.
- ``FIXED_NS`` -- Python-side setup of an FFT or list run (channel tables, CSR lists).
- ``ENCODE_NS_PER_SYMBOL`` -- the remap to dense codes, per text symbol, by lookup kind.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ._engines import Plan, channel_work
from ._fft import block_length, slots_per_transform

__all__ = [
    "Choice",
    "brute_ns",
    "brute_options",
    "choose",
    "encode_pays",
    "first_chunk",
    "forced_brute",
    "frequency_mismatch",
    "kbrute_ns",
    "list_ns",
    "split_floor",
]

BRUTE_NS_PER_CELL = {1: 0.0115, 2: 0.020, 4: 0.039}
BRUTE_TEXT_WILD_FACTOR = 1.3
FFT_NS_PER_POINT = (6.0, 0.2)  # a + b * log2(L): 8.6 at L = 8192
FFT_INV_NS_PER_POINT = (32.5, 0.2)
LIST_NS_PER_OP = 0.6
LIST_NS_PER_TEXT = 0.83
LIST_NS_PER_HIT = 10.2
BUCKET_NS_PER_OP = 0.5
BUCKET_NS_PER_TEXT = 1.2
BUCKET_NS_PER_SLOT = 12.2
FIXED_NS = 2.0e5
# Encoding a text symbol (numkit.hamming._encode.lookup_kind): 1-2 byte texts through a full
# table (0.6-0.8 ns measured), wider ones through a table over the pattern's symbol range
# (4.4 ns) or by binary search (65 ns); n = 1e6.
ENCODE_NS_PER_SYMBOL = {"lut": 0.8, "range": 4.4, "search": 65.0}


_NO_CODES = np.empty(0, dtype=np.intp)  # no FFT channels (read only: shared by every Choice)
_NO_CODES.flags.writeable = False


@dataclass(frozen=True)
class Choice:
    """The engine picked for one pattern and the channels it sends through the FFT."""

    method: str  # "brute", "fft", "abrahamson" or "kbrute"
    fft_codes: np.ndarray
    predicted_ns: float
    by_pattern: bool = False  # position lists pattern-major (see _core.list_matches)
    first_chunk: int = 0  # kbrute: positions tested before the bound is checked (0: the C++ rule)


@functools.lru_cache(maxsize=256)  # 5-40 us a call (scipy's next_fast_len), same (n, m) often
def _fft_terms(n: int, m: int) -> tuple[float, float]:
    """ns of the FFT engine: (per packed transform, fixed part)."""
    L = block_length(n, m)
    points = -(-(n - m + 1) // (L - m + 1)) * L
    lg = math.log2(L)
    fwd = FFT_NS_PER_POINT[0] + FFT_NS_PER_POINT[1] * lg
    inv = FFT_INV_NS_PER_POINT[0] + FFT_INV_NS_PER_POINT[1] * lg
    return points * fwd, points * inv + FIXED_NS


def _fft_ns(n: int, m: int, groups: np.ndarray) -> np.ndarray:
    """Predicted ns of the FFT engine with `groups` packed transforms (0: not run)."""
    per_group, fixed = _fft_terms(n, m)
    return np.where(groups > 0, groups * per_group + fixed, 0.0)


def split_floor(n: int, m: int, matches: float = 0.0) -> float:
    """No split run costs less than one scan of the text plus an increment per listed match
    (position lists; ``matches``: the expected (window, position) matches, 0 if unknown) or
    one transform (FFT)."""
    per_group, fixed = _fft_terms(n, m)
    per_op = min(LIST_NS_PER_OP, BUCKET_NS_PER_OP)
    return min(LIST_NS_PER_TEXT * n + per_op * matches + FIXED_NS, per_group + fixed)


def brute_ns(nw: int, m_eff: int, width: int, has_wild: bool) -> float:
    """The exact brute force over nw windows of m_eff non-wildcard pattern positions."""
    factor = BRUTE_TEXT_WILD_FACTOR if has_wild else 1.0
    return BRUTE_NS_PER_CELL[width] * nw * m_eff * factor


def first_chunk(k: int, p_mis: float) -> int:
    """Pattern positions the k-bounded brute force tests every window on before it checks the
    bound: the fewest (a multiple of 8, <= 1024) at which a window of mismatch rate p_mis has
    passed k with three standard deviations to spare, so that few windows go on; 0 (the C++
    default, 2 (k + 1)) when no such length exists. On random text of 256 symbols, k = 10:
    16 positions instead of 24 (0.72 -> 0.60 ms at n = 1e6)."""
    if p_mis <= 0.0:
        return 0
    q = max(0.0, 1.0 - p_mis)
    for length in range(8, 1025, 8):
        if length * p_mis - 3.0 * math.sqrt(length * p_mis * q) >= k + 1:
            return length
    return 0


def kbrute_ns(nw: int, m_eff: int, width: int, k: int, p_mis: float) -> float:
    """k-bounded brute force: positions examined per window ~ the first chunk (or
    2 (k + 1) / P(mismatch), >= 8, when no short one suffices)."""
    examined = float(first_chunk(k, p_mis)) or (
        m_eff if p_mis <= 0 else max(8.0, 2.0 * (k + 1) / p_mis)
    )
    return BRUTE_NS_PER_CELL[width] * nw * min(m_eff, examined) + 0.5 * nw


def brute_options(
    nw: int, m_eff: int, width: int, has_wild: bool, k: int | None, p_mis: float | None
) -> list[Choice]:
    """The exact brute force and, with k < m_eff and a mismatch rate, the k-bounded one."""
    options = [Choice("brute", _NO_CODES, brute_ns(nw, m_eff, width, has_wild))]
    if k is not None and k < m_eff and p_mis is not None:
        cost = kbrute_ns(nw, m_eff, width, k, p_mis)
        options.append(Choice("kbrute", _NO_CODES, cost, first_chunk=first_chunk(k, p_mis)))
    return options


def split_cost(plan: Plan, q: int, n_fft: int | None) -> tuple[float, np.ndarray, bool]:
    """Best (or, with n_fft, fixed) number of FFT channels: cost, the FFT channel codes and
    whether the position lists run pattern-major."""
    work = channel_work(plan, q)
    work[plan.enc.other] = 0
    codes = np.flatnonzero(work)
    codes = codes[np.argsort(-work[codes], kind="stable")]
    tail = np.concatenate([np.cumsum(work[codes][::-1])[::-1], [0]])  # work of codes[F:]
    # text positions with a code in codes[F:]
    counts = plan.text_counts[codes].astype(np.float64)
    hits = np.concatenate([np.cumsum(counts[::-1])[::-1], [0.0]])
    G = slots_per_transform(plan.m)
    if n_fft is not None:
        F = np.array([min(n_fft, codes.size)])
    else:
        F = np.unique(np.append(np.arange(0, codes.size, G), codes.size))
    lst = tail[F].astype(np.float64)
    text_major, pattern_major = list_ns(plan.n, plan.m, lst, codes.size - F, hits[F])
    by_pattern = pattern_major < text_major
    cost = _fft_ns(plan.n, plan.m, -(-F // G)) + np.where(
        lst > 0, np.minimum(text_major, pattern_major) + FIXED_NS, 0.0
    )
    best = int(np.argmin(cost))
    return float(cost[best]), codes[: F[best]], bool(by_pattern[best])


def list_ns(
    n: int, m: int, ops: np.ndarray, listed: np.ndarray, hits: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Position lists with `ops` increments over `listed` codes, which `hits` text positions
    hold: text-major and pattern-major.

    Text-major scans the text once; pattern-major sorts each tile's text (tiles of
    max(2^14, 4 m) windows, re-reading m - 1 positions each) and walks its listed codes."""
    tile = max(1 << 14, 4 * m)
    tiles = -(-(n - m + 1) // tile)
    text_major = LIST_NS_PER_OP * ops + LIST_NS_PER_TEXT * n + LIST_NS_PER_HIT * hits
    scanned = n + tiles * (m - 1)
    pattern_major = (
        BUCKET_NS_PER_OP * ops + BUCKET_NS_PER_TEXT * scanned + BUCKET_NS_PER_SLOT * listed * tiles
    )
    return text_major, pattern_major


def frequency_mismatch(plan: Plan, q: int) -> float:
    """P(a cell of a non-wildcard pattern position is a mismatch) if symbols were independent:
    from the (sampled) text counts and pattern q's counts."""
    n_codes = plan.enc.n_codes
    ft = plan.text_counts[:n_codes] / plan.n
    fp = np.bincount(plan.enc.patterns[q], minlength=n_codes) / plan.m
    s = plan.enc.n_symbols
    if plan.enc.wild >= 0:
        w = plan.enc.wild
        both = float((1 - ft[w]) * (1 - fp[w]) - ft[:s] @ fp[:s])
        return both / max(1e-300, float(1 - fp[w]))
    return float(1.0 - float(ft[:s] @ fp[:s]))


def encode_pays(
    choices: list[Choice], nw: int, m: int, raw_width: int, code_width: int, encode_ns: float
) -> bool:
    """Whether the brute force should run on dense codes instead of the raw values: the cells
    get cheaper (narrower symbols) by more than the text's remap costs."""
    if code_width >= raw_width:
        return False
    ratio = BRUTE_NS_PER_CELL[code_width] / BRUTE_NS_PER_CELL[raw_width]
    saving = 0.0
    for c in choices:
        if c.method in ("brute", "kbrute"):
            ns = c.predicted_ns if c.predicted_ns > 0 else BRUTE_NS_PER_CELL[raw_width] * nw * m
            saving += ns * (1.0 - ratio)
    # With a margin: the estimate leaves out the pattern table and the cold numpy calls (~0.1 ms).
    return saving > 1.5 * encode_ns + 1e5


def forced_brute(k: int | None) -> Choice:
    """method="brute": the brute force, k-bounded with k (nothing to price)."""
    return Choice("kbrute" if k is not None else "brute", _NO_CODES, 0.0)


def choose(
    plan: Plan,
    q: int,
    method: str,
    k: int | None,
    *,
    width: int | None = None,
    p_mis: float | None = None,
) -> Choice:
    """The engine for pattern q under ``method`` ("auto", "brute", "fft", "abrahamson").

    ``width``: bytes per symbol the brute force will read (default: the code width);
    ``p_mis``: a measured mismatch rate for the k-bounded brute force (default: from the
    symbol frequencies).
    """
    if method == "brute":
        return forced_brute(k)
    if method == "fft":
        cost, codes, by_pattern = split_cost(plan, q, n_fft=1 << 62)
        return Choice("fft", codes, cost, by_pattern)
    if method == "abrahamson":
        cost, codes, by_pattern = split_cost(plan, q, n_fft=None)
        return Choice("abrahamson", codes, cost, by_pattern)
    m_eff = plan.m - plan.n_wild(q)
    if k is not None and k < m_eff and p_mis is None:
        p_mis = frequency_mismatch(plan, q)
    width = plan.enc.text.dtype.itemsize if width is None else width
    options = brute_options(plan.nw, m_eff, width, plan.enc.wild >= 0, k, p_mis)
    best = min(options, key=lambda c: c.predicted_ns)
    # A brute force below the split floor wins without pricing the split, which costs ~0.1 ms
    # per call (a twentieth of a brute-force call at m = 100, a tenth of a small-k call).
    # (Not when no pattern symbol occurs in the sampled text: then the split has no work.)
    # The split engines also need the text remapped to codes (plan.encode_ns; the brute force
    # reads the raw values): 65 ns a symbol for sparse wide alphabets, more than most runs.
    floor = split_floor(plan.n, plan.m) + plan.encode_ns
    if best.predicted_ns < floor and plan.text_counts[: plan.enc.other].any():
        return best
    cost, codes, by_pattern = split_cost(plan, q, n_fft=None)
    split = Choice("abrahamson", codes, cost + plan.encode_ns, by_pattern)
    return min([split, *options], key=lambda c: c.predicted_ns)
