"""Every exact engine agrees with the numpy brute force (hypothesis over sizes, alphabets,
dtypes, planted matches, k, wildcards and workers; deterministic cases for the FFT packing)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numkit.hamming import best_matches, hamming_distances, hamming_distances_many

from .reference import reference

METHODS = ["auto", "brute", "fft", "abrahamson"]
DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


def _alphabet(rng, size, dtype):
    """`size` distinct symbols of dtype, spread sparsely over its range."""
    info = np.iinfo(dtype)
    lo, hi = max(int(info.min), -(2**31)), min(int(info.max), 2**31 - 1)
    size = min(size, hi - lo + 1)
    if size == hi - lo + 1:
        return np.arange(lo, hi + 1, dtype=np.int64).astype(dtype)
    vals = set()
    while len(vals) < size:
        vals.update(int(v) for v in rng.integers(lo, hi + 1, size=2 * size))
    return np.array(sorted(vals)[:size], dtype=np.int64).astype(dtype)


@st.composite
def problems(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, 400))
    m = draw(st.one_of(st.just(1), st.just(n), st.integers(1, n)))
    size = draw(st.sampled_from([1, 2, 4, 20, 300, 70000, 2**31]))
    dtype = draw(st.sampled_from(DTYPES))
    alphabet = _alphabet(rng, min(size, n + m), dtype)
    text = alphabet[rng.integers(0, alphabet.size, n)]
    pattern = alphabet[rng.integers(0, alphabet.size, m)]
    if draw(st.booleans()) and n >= m:  # plant the pattern (mutated) into the text
        for _ in range(draw(st.integers(1, 3))):
            at = int(rng.integers(0, n - m + 1))
            text[at : at + m] = pattern
            flips = rng.integers(0, m, draw(st.integers(0, 2)))
            text[at + flips] = alphabet[rng.integers(0, alphabet.size, flips.size)]
    wildcard = None
    if draw(st.booleans()):
        wildcard = alphabet[int(rng.integers(0, alphabet.size))].item()
    k = draw(st.one_of(st.none(), st.integers(0, m + 1)))
    return text, pattern, wildcard, k


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(METHODS), st.sampled_from([1, 2]))
def test_matches_reference(problem, method, workers):
    text, pattern, wildcard, k = problem
    got = hamming_distances(text, pattern, k=k, wildcard=wildcard, method=method, workers=workers)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, reference(text, pattern, wildcard, k))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("m", [1, 7, 255, 1023, 1024, 2500])
@pytest.mark.parametrize("sigma", [2, 20, 300, 70000])
def test_larger_sizes_every_method(method, m, sigma):
    # Block lengths, slot widths b = ceil(log2(m + 1)) at and past powers of two, several
    # overlap-save blocks, uint8/uint16/uint32 codes.
    if method == "fft" and sigma == 70000 and m > 255:
        m = 300  # every symbol through the FFT: m / 2 transforms; keep the suite fast
    rng = np.random.default_rng(m * 7 + sigma)
    n = 3 * m + 4000
    text = rng.integers(0, sigma, n, dtype=np.int64)
    pattern = rng.integers(0, sigma, m, dtype=np.int64)
    text[100 : 100 + m] = pattern
    got = hamming_distances(text, pattern, method=method)
    np.testing.assert_array_equal(got, reference(text, pattern))
    got = hamming_distances(text, pattern, method=method, wildcard=int(pattern[0]), k=m // 3)
    np.testing.assert_array_equal(got, reference(text, pattern, int(pattern[0]), m // 3))


@pytest.mark.parametrize("method", METHODS)
def test_strided_and_negative_strides(method):
    rng = np.random.default_rng(1)
    base = rng.integers(0, 5, 3001, dtype=np.int16)
    pat = rng.integers(0, 5, 40, dtype=np.int16)
    for text in (base[::2], base[::-1], base[::-3]):
        np.testing.assert_array_equal(
            hamming_distances(text, pat[::-1], method=method), reference(text, pat[::-1])
        )
    np.testing.assert_array_equal(
        hamming_distances(base, pat[::2], method=method), reference(base, pat[::2])
    )


@pytest.mark.parametrize("method", METHODS)
def test_str_and_bytes(method):
    text = "ACGTTGCA" * 50 + "ÅÆ€😀" * 5
    assert np.array_equal(
        hamming_distances(text, "TGCA😀", method=method), reference(text, "TGCA😀")
    )
    assert np.array_equal(
        hamming_distances(text, "T?CA", wildcard="?", method=method),
        reference(text, "T?CA", ord("?")),
    )
    b = text.encode()
    assert np.array_equal(hamming_distances(b, b"GCA", method=method), reference(b, b"GCA"))
    assert np.array_equal(
        hamming_distances(b, np.frombuffer(b"TTG", np.uint8), wildcard=b"T", method=method),
        reference(b, b"TTG", ord("T")),
    )


def test_mixed_widths_and_signs():
    # Values a dtype cannot hold never match; the comparison is by value, not by bits.
    text = np.array([-1, 255, 3, -1, 255, 7], dtype=np.int16)
    pattern = np.array([2**64 - 1, 255], dtype=np.uint64)
    np.testing.assert_array_equal(hamming_distances(text, pattern), [1, 2, 2, 1, 2])
    text = np.array([2**63, 5, 2**63, 5], dtype=np.uint64)
    pattern = np.array([-5, 5], dtype=np.int64)
    np.testing.assert_array_equal(hamming_distances(text, pattern), [1, 2, 1])
    text = np.array([True, False, True])
    np.testing.assert_array_equal(hamming_distances(text, [1, 0]), [0, 2])


def test_edges():
    np.testing.assert_array_equal(hamming_distances([5], [5]), [0])
    np.testing.assert_array_equal(hamming_distances([5], [6]), [1])
    np.testing.assert_array_equal(hamming_distances([1, 2, 3], [1, 2, 4]), [1])
    # An all-wildcard pattern matches everywhere.
    np.testing.assert_array_equal(hamming_distances([1, 2, 3, 4], [9, 9], wildcard=9), [0, 0, 0])
    for method in METHODS:
        np.testing.assert_array_equal(
            hamming_distances([9, 1, 9, 9], [9, 2], wildcard=9, method=method), [1, 0, 0]
        )


@pytest.mark.parametrize("method", METHODS)
def test_workers_give_identical_results(method):
    rng = np.random.default_rng(3)
    text = rng.integers(0, 8, 300_000, dtype=np.uint8)
    pat = rng.integers(0, 8, 300, dtype=np.uint8)
    one = hamming_distances(text, pat, method=method, workers=1)
    two = hamming_distances(text, pat, method=method, workers=2)
    every = hamming_distances(text, pat, method=method, workers=-1)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, every)
    np.testing.assert_array_equal(one[:2000], reference(text[: 2000 + 299], pat))
    kb = hamming_distances(text, pat, k=5, method=method, workers=2)
    np.testing.assert_array_equal(kb, np.minimum(one, 6))


@pytest.mark.parametrize("method", METHODS)
def test_many_patterns(method):
    rng = np.random.default_rng(4)
    text = rng.integers(0, 30, 5000)
    pats = rng.integers(0, 40, (5, 120))
    pats[1, :] = text[1000:1120]
    got = hamming_distances_many(text, pats, method=method, wildcard=3)
    assert got.shape == (5, 5000 - 120 + 1)
    for q in range(5):
        np.testing.assert_array_equal(got[q], reference(text, pats[q], 3))
    got = hamming_distances_many("abracadabra" * 10, ["abra", "cada", "zzzz"], method=method, k=2)
    for q, pat in enumerate(["abra", "cada", "zzzz"]):
        np.testing.assert_array_equal(got[q], reference("abracadabra" * 10, pat, k=2))


def test_best_matches():
    rng = np.random.default_rng(5)
    text = rng.integers(0, 4, 20000)
    pat = rng.integers(0, 4, 200)
    for at in (300, 9000, 15000):
        text[at : at + 200] = pat
        text[at + 7] = (pat[7] + 1) % 4
    res = best_matches(text, pat, top=5)
    H = reference(text, pat)
    order = np.lexsort((np.arange(H.size), H))[:5]
    np.testing.assert_array_equal(res.positions, order)
    np.testing.assert_array_equal(res.distances, H[order])
    assert set(res.positions[:3]) == {300, 9000, 15000} and (res.distances[:3] == 1).all()
    assert len(best_matches(text[:205], pat, top=100)) == 6


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int64])
@pytest.mark.parametrize("k", [0, 3, 10, 40, 300])
def test_k_bounded_tiles_with_no_few_and_many_survivors(dtype, k):
    # The k-bounded brute force takes three paths per tile of 4096 (uint8) or 2048 windows: all
    # windows past k after the first chunk, a few survivors finished alone, or many survivors
    # going on in 32-bit counters. A random text has the first, planted near-copies the second,
    # and a run of zeros against a mostly-zero pattern the third (every window there survives).
    rng = np.random.default_rng(k + np.dtype(dtype).itemsize)
    hi = 4 if dtype == np.uint8 else 60000
    m = 500
    text = rng.integers(1, hi, 40_000).astype(dtype)
    pat = rng.integers(1, hi, m).astype(dtype)
    for start in range(1000, 9000, 700):
        text[start : start + m] = pat
        text[start + rng.integers(0, m, 2 * k // 3 + 1)] = 0
    text[20_000:30_000] = 0
    zero_pat = np.zeros(m, dtype=dtype)
    zero_pat[rng.integers(0, m, 20)] = 1
    for p in (pat, zero_pat):
        full = np.asarray(hamming_distances(text, p, method="brute"))
        np.testing.assert_array_equal(full[:3000], reference(text[: 3000 + m - 1], p))
        np.testing.assert_array_equal(
            full[19_000:21_000], reference(text[19_000 : 21_000 + m - 1], p)
        )
        for w in (1, 2):
            got = hamming_distances(text, p, k=k, method="brute", workers=w)
            np.testing.assert_array_equal(got, np.minimum(full, k + 1))
