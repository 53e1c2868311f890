"""The position-list engine, text-major and pattern-major, against a direct count."""

from __future__ import annotations

import numpy as np
import pytest
from numkit._core import hamming as _core


def direct(text, pattern, rare):
    """counts[w] = #{j : text[w + j] == pattern[j], rare[pattern[j]]}."""
    n, m = text.size, pattern.size
    out = np.zeros(n - m + 1, dtype=np.int64)
    for j in range(m):
        c = int(pattern[j])
        if c < rare.size and rare[c]:
            out += text[j : j + n - m + 1] == c
    return out


def csr(pattern, n_codes):
    order = np.argsort(pattern, kind="stable").astype(np.int64)
    offsets = np.zeros(n_codes + 1, dtype=np.int64)
    np.cumsum(np.bincount(pattern, minlength=n_codes), out=offsets[1:])
    return offsets, order


SIZES = [
    (1, 1, 1),
    (50, 50, 3),
    (1000, 1, 7),
    (40_000, 300, 40),
    (30_000, 2000, 250),
    (3000, 17, 600),
]
CASES = [
    (n, m, sigma, dtype)
    for n, m, sigma in SIZES
    for dtype in (np.uint8, np.uint16, np.uint32)
    if sigma <= np.iinfo(dtype).max
]


@pytest.mark.parametrize("by_pattern", [False, True])
@pytest.mark.parametrize(("n", "m", "sigma", "dtype"), CASES)
def test_both_orders_count_every_listed_match(by_pattern, n, m, sigma, dtype):
    rng = np.random.default_rng(n + m + sigma)
    text = rng.integers(0, sigma, n).astype(dtype)
    pattern = rng.integers(0, sigma, m).astype(dtype)
    n_codes = sigma - 1 if sigma > 2 else sigma  # text codes past the table are never listed
    pattern = np.minimum(pattern, n_codes - 1)
    rare = (rng.random(n_codes) < 0.7).astype(np.uint8)
    offsets, positions = csr(pattern, n_codes)
    want = direct(text, pattern, rare)
    for workers in (1, 2):
        lists = (m, offsets, positions, rare, by_pattern, workers)
        for out_dtype in (np.int32, np.int64):
            counts = np.full(n - m + 1, 5, dtype=out_dtype)  # added to, not overwritten
            _core.list_matches(text, *lists, counts)
            np.testing.assert_array_equal(counts, want + 5)
            # total: the distances total - (old + matches); fresh: old values never read.
            counts = np.full(n - m + 1, 5, dtype=out_dtype)
            _core.list_matches(text, *lists, counts, total=m + 7)
            np.testing.assert_array_equal(counts, m + 7 - (want + 5))
            for total in (-1, m):
                counts = np.full(n - m + 1, -12345, dtype=out_dtype)
                _core.list_matches(text, *lists, counts, fresh=True, total=total)
                np.testing.assert_array_equal(counts, want if total < 0 else total - want)


@pytest.mark.parametrize("m", [13_107, 13_108])
def test_pattern_major_on_both_sides_of_16_bit_positions(m):
    # A tile of the pattern-major lists spans 4 m windows and 5 m - 1 text positions: its
    # buckets hold 16-bit positions up to m = 13107 and 32-bit ones from 13108 on.
    # The last text positions of the first tile (5 m - 4 .. 5 m - 2, past 2^16 - 1 at m = 13108)
    # match the pattern's last position, and would wrap onto positions 0-2 (matching its first
    # two) in 16-bit buckets.
    rng = np.random.default_rng(m)
    n, sigma = 2 * 5 * m + 11, 300  # two tiles and a ragged last one
    text = rng.integers(0, sigma, n).astype(np.uint16)
    pattern = text[7 * m : 8 * m].copy()  # planted: one window matches everywhere
    pattern[::3] = rng.integers(0, sigma, pattern[::3].size)
    pattern[[0, 1, m - 1]] = 17
    text[5 * m - 4 : 5 * m - 1] = 17
    rare = np.ones(sigma, np.uint8)
    offsets, positions = csr(pattern, sigma)
    counts = np.empty(n - m + 1, dtype=np.int32)
    _core.list_matches(text, m, offsets, positions, rare, True, 1, counts, fresh=True, total=m)
    np.testing.assert_array_equal(counts, m - direct(text, pattern, rare))


def test_pattern_major_with_counts_past_16_bits():
    # m >= 2^16: a window's count no longer fits the 16-bit tile counters.
    n, m = 70_003, 70_000  # four windows, each with 70000 matches
    text = np.zeros(n, dtype=np.uint8)
    pattern = np.zeros(m, dtype=np.uint8)
    offsets, positions = csr(pattern, 1)
    counts = np.zeros(n - m + 1, dtype=np.int64)
    _core.list_matches(text, m, offsets, positions, np.ones(1, np.uint8), True, 1, counts)
    np.testing.assert_array_equal(counts, m)


@pytest.mark.parametrize("by_pattern", [False, True])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_values_through_a_lut_count_as_their_codes(by_pattern, dtype):
    # lut: the text holds symbol values and the engine looks their codes up (the fused remap);
    # codes past the table (here: n_codes and beyond) are never listed.
    rng = np.random.default_rng(7 + by_pattern)
    n, m, n_codes = 20_000, 700, 90
    n_values = 1 << (8 * np.dtype(dtype).itemsize)
    lut = rng.integers(0, n_codes + 5, n_values).astype(np.uint16)
    values = rng.integers(0, n_values, n).astype(dtype)
    values[::7] = rng.integers(0, 40, values[::7].size)  # some frequent values
    codes = lut[values]
    pattern = np.minimum(codes[5_000 : 5_000 + m], n_codes - 1)  # planted, mostly
    rare = (rng.random(n_codes) < 0.8).astype(np.uint8)
    offsets, positions = csr(pattern, n_codes)
    want = direct(codes, pattern, rare)
    for workers in (1, 2):
        counts = np.full(n - m + 1, -1, dtype=np.int32)
        lists = (m, offsets, positions, rare, by_pattern, workers)
        _core.list_matches(values, *lists, counts, fresh=True, total=m, lut=lut)
        np.testing.assert_array_equal(counts, m - want)


def test_a_lut_needs_a_narrow_text_and_full_coverage():
    offsets, positions = csr(np.zeros(3, np.uint8), 1)
    lists = (3, offsets, positions, np.ones(1, np.uint8), True, 1, np.zeros(8, np.int32))
    with pytest.raises(ValueError, match="uint8 or uint16"):
        _core.list_matches(np.zeros(10, np.uint32), *lists, lut=np.zeros(256, np.int32))
    with pytest.raises(ValueError, match="every value"):
        _core.list_matches(np.zeros(10, np.uint8), *lists, lut=np.zeros(255, np.int32))


def _blocks(rng, kinds, size, sigma):
    """A text of blocks of `size` symbols: "u" uniform over sigma, "s" mostly symbol 0."""
    parts = []
    for kind in kinds:
        if kind == "u":
            parts.append(rng.integers(0, sigma, size))
        else:
            parts.append(np.where(rng.random(size) < 0.9, 0, rng.integers(0, sigma, size)))
    return np.concatenate(parts).astype(np.uint8)


@pytest.mark.parametrize(
    "kinds",
    [
        "uuuuuuuu",  # steady: every tile after the first sorted in one pass
        "uuusuuuu",  # one tile overflows the previous tile's layout: sorted again exactly
        "usususus",  # overflows in most tiles: the exact sort alone from then on
        "ssssuuuu",  # a shrinking slot (the layout has room) and growing ones
    ],
)
def test_pattern_major_tiles_whatever_the_composition(kinds):
    # The pattern-major engine sorts each tile's text positions into the previous tile's layout
    # (one pass) and redoes the exact sort on overflow; tiles are 2^14 windows at this m.
    rng = np.random.default_rng(len(kinds) + kinds.count("s"))
    sigma, m = 200, 120
    text = _blocks(rng, kinds, 1 << 14, sigma)
    # code 0 takes 40 pattern positions (passes of four), the others 0..3 (the remainders)
    pattern = rng.integers(1, sigma, m).astype(np.uint8)
    pattern[rng.choice(m, 40, replace=False)] = 0
    rare = np.ones(sigma, np.uint8)
    rare[7] = 0  # one unlisted code: its positions go to the dump slots
    offsets, positions = csr(pattern, sigma)
    want = direct(text, pattern, rare)
    for workers in (1, 2):
        counts = np.empty(text.size - m + 1, dtype=np.int32)
        _core.list_matches(text, m, offsets, positions, rare, True, workers, counts, fresh=True)
        np.testing.assert_array_equal(counts, want)
