"""The exact engines over dense codes: channels, the brute force, FFT and Abrahamson's split.

A *channel* is one way a text position can match: symbol code c (< s) matches pattern positions
holding c; the wildcard code W matches every non-wildcard pattern position. With mW wildcard
positions in the pattern, H = (m - mW) - sum over channels of the channel's matches (the three-
correlation identity, one correlation per channel). Each channel goes either through the FFT
(``_fft``) or through position lists (C++ ``list_matches``: work = text count x pattern count),
Abrahamson's frequent/rare split; ``brute`` counts mismatches directly in C++.
"""

from __future__ import annotations

import numpy as np

from numkit._core import hamming as _core

from ._encode import Encoded
from ._fft import fft_matches, host_transforms

__all__ = ["Plan", "brute", "channel_work", "probe_mismatch", "run_split"]


class Plan:
    """What an engine needs about one encoded problem.

    ``text_counts`` (per code) drive only the cost model; they may be estimated from a sample
    of the text (then ``enc.text`` holds no text, only its code dtype, and ``n`` is the full
    length).
    """

    def __init__(
        self,
        enc: Encoded,
        out_dtype: np.dtype,
        n: int | None = None,
        text_counts: np.ndarray | None = None,
        encode_ns: float = 0.0,
    ) -> None:
        self.enc = enc
        self.encode_ns = encode_ns  # the text's remap to codes, which every split run needs
        self.n = enc.text.size if n is None else n
        self.p, self.m = enc.patterns.shape
        self.nw = self.n - self.m + 1
        self.out_dtype = out_dtype
        self._text_counts = text_counts

    @property
    def text_counts(self) -> np.ndarray:
        if self._text_counts is None:
            self._text_counts = np.bincount(self.enc.text, minlength=self.enc.n_codes)
        return self._text_counts

    def pattern_counts(self, q: int) -> np.ndarray:
        """Per channel code: how many pattern positions it can match (pattern q)."""
        enc = self.enc
        counts = np.bincount(enc.patterns[q], minlength=enc.n_codes)
        if enc.wild >= 0:
            counts[enc.wild] = self.m - counts[enc.wild]
        counts[enc.other] = 0
        return counts

    def n_wild(self, q: int) -> int:
        return (
            int(np.count_nonzero(self.enc.patterns[q] == self.enc.wild))
            if self.enc.wild >= 0
            else 0
        )


def channel_work(plan: Plan, q: int) -> np.ndarray:
    """Position-list work per channel code (text count x pattern count), int64."""
    return plan.text_counts.astype(np.int64) * plan.pattern_counts(q).astype(np.int64)


def brute(plan: Plan, q: int, bound: int, workers: int, first_chunk: int = 0) -> np.ndarray:
    """The C++ blocked brute force for pattern q (bound >= 0: k-bounded, see
    `_cost.first_chunk`)."""
    enc = plan.enc
    out = np.empty(plan.nw, dtype=plan.out_dtype)
    _core.brute(enc.text, enc.patterns[q], enc.wild, bound, workers, out, first_chunk)
    return out


_PROBE_CELLS = 1 << 18  # ~3 us of brute force


def probe_mismatch(text: np.ndarray, pattern: np.ndarray, wild: int, m_eff: int) -> float:
    """The mismatch rate of ``pattern`` (1-D) measured by the brute force on a few windows.

    About 2^18 cells: the windows in the middle of the text (one call; each numpy or C++ call
    costs 5-20 us when caches are cold); the rate is per cell of the ``m_eff`` non-wildcard
    pattern positions. Arrays as for ``_core.brute`` (contiguous, one unsigned dtype).
    """
    m = pattern.size
    nw = text.size - m + 1
    windows = min(nw, max(16, _PROBE_CELLS // m))
    start = (nw - windows) // 2
    total = _core.mismatch_total(text[start : start + windows + m - 1], pattern, wild)
    return total / (windows * m_eff)


def _weights(enc: Encoded, code: int, p: int) -> np.ndarray:
    """The 0/1 table over pattern codes of channel `code`, for each of p patterns: (p, n_codes)."""
    w = np.zeros((p, enc.n_codes), dtype=np.float64)
    if code == enc.wild:
        w[:] = 1.0
        w[:, enc.wild] = 0.0
    else:
        w[:, code] = 1.0
    return w


def run_split(
    plan: Plan,
    fft_codes: list[np.ndarray],
    by_pattern: list[bool],
    workers: int,
    lut: np.ndarray | None = None,
) -> np.ndarray:
    """Exact distances (p, nw): channels in fft_codes[q] by FFT, the others by position lists
    (pattern-major where by_pattern[q]).

    All patterns share the text's transforms of each FFT channel (the union over patterns).
    ``lut``: ``plan.enc.text`` holds the unsigned 1-2 byte values of the text and ``lut`` their
    codes; the position lists look them up themselves (no remapped copy of the text), the FFT
    channels, if any, get the remapped text.
    """
    enc = plan.enc
    p, m = plan.p, plan.m
    channel_codes = list(range(enc.n_symbols)) + ([enc.wild] if enc.wild >= 0 else [])
    union = sorted(set().union(*[set(int(c) for c in f) for f in fft_codes]))
    channels = []
    for code in union:
        w = _weights(enc, code, p)
        for q in range(p):
            if code not in set(fft_codes[q].tolist()):
                w[q] = 0.0
        channels.append((code, w))
    out = np.empty((p, plan.nw), dtype=plan.out_dtype)
    if channels and lut is not None:
        codes = np.empty(enc.text.shape, dtype=enc.patterns.dtype)
        _core.remap(enc.text, lut, workers, codes)
        enc, lut = Encoded(codes, enc.patterns, enc.n_symbols, enc.wild), None
    if channels:
        tr = host_transforms(workers)
        matches = fft_matches(enc.text, enc.patterns, channels, enc.other, tr)
    for q in range(p):
        counts = out[q]
        total = m - plan.n_wild(q)
        rare = np.zeros(enc.n_codes, dtype=np.uint8)
        rare[channel_codes] = 1
        rare[fft_codes[q].astype(np.intp)] = 0
        rare[plan.pattern_counts(q) == 0] = 0
        if channels:
            counts[:] = matches[q]
        if rare.any():
            # The C++ pass adds the listed matches and writes total - matches (no zeroing or
            # subtraction passes over the output here).
            offsets, positions = _position_lists(enc, q)
            _core.list_matches(
                enc.text,
                m,
                offsets,
                positions,
                rare,
                by_pattern[q],
                workers,
                counts,
                fresh=not channels,
                total=total,
                lut=lut,
            )
        elif channels:
            np.subtract(total, counts, out=counts)
        else:
            counts[:] = total
    return out


def _position_lists(enc: Encoded, q: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR lists of pattern positions per channel code, ascending (W: the non-wild positions)."""
    pat = enc.patterns[q]
    m = pat.size
    order = np.argsort(pat, kind="stable").astype(np.int64)
    counts = np.bincount(pat, minlength=enc.n_codes).astype(np.int64)
    if enc.wild >= 0:
        # W is the last code: its segment (the wildcard positions) becomes the non-wild positions.
        nonwild = np.flatnonzero(pat != enc.wild).astype(np.int64)
        order = np.concatenate([order[: m - counts[enc.wild]], nonwild])
        counts[enc.wild] = nonwild.size
    offsets = np.zeros(enc.n_codes + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets, np.ascontiguousarray(order)
