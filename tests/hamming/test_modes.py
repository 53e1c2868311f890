"""Approximate mode, dask texts and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.hamming import best_matches, hamming_distances, hamming_distances_many

from .reference import reference


def test_eps_within_eps_for_99_percent_of_windows():
    rng = np.random.default_rng(6)
    text = rng.integers(0, 256, 60_000)
    pat = rng.integers(0, 256, 500)
    text[2000:2500] = pat  # a window at distance 0 and its neighbours
    H = reference(text, pat)
    for eps in (0.1, 0.25):
        # a named engine runs the colour strings ("auto" may answer exactly: see below)
        est = hamming_distances(text, pat, eps=eps, seed=1, method="brute")
        assert est.dtype == np.float64
        assert not np.array_equal(est, H)  # the estimator ran
        rel = np.abs(est - H) / np.maximum(H, 1)
        assert np.quantile(rel, 0.99) <= eps, (eps, np.quantile(rel, 0.99))
        assert est[2000] == 0.0  # an exact match stays exact: no colour can split it


def test_eps_unbiased_over_seeds():
    # E[H_colour] = H (1 - 1/C): the debiased mean over seeds approaches H.
    rng = np.random.default_rng(7)
    text = rng.integers(0, 50, 3000)
    pat = rng.integers(0, 50, 100)
    H = reference(text, pat)
    runs = [hamming_distances(text, pat, eps=0.5, seed=s, method="brute") for s in range(200)]
    mean = np.mean(runs, axis=0)
    assert np.std(runs, axis=0).max() > 0  # the estimates vary with the seed
    # 200 seeds: the standard error of the mean is about sqrt(H / C / 200) ~ 0.35 here.
    assert np.max(np.abs(mean - H).mean()) < 1.0


def test_eps_exact_with_few_symbols_and_seeded():
    text, pat = "ACGT" * 300, "GTAC" * 10
    np.testing.assert_array_equal(hamming_distances(text, pat, eps=0.1), reference(text, pat))
    rng = np.random.default_rng(8)
    t, p = rng.integers(0, 1000, 5000), rng.integers(0, 1000, 50)
    kw = {"eps": 0.2, "seed": 3, "method": "brute"}
    a = hamming_distances(t, p, **kw)
    np.testing.assert_array_equal(a, hamming_distances(t, p, workers=2, **kw))
    np.testing.assert_array_equal(np.minimum(a, 6.0), hamming_distances(t, p, k=5, **kw))


def test_eps_auto_answers_exactly_where_that_is_cheaper():
    # The colour strings of sigma 256 cost more than the exact position lists on a CPU: auto
    # returns the exact answer (float64, k-bounded with k), which meets every eps.
    rng = np.random.default_rng(11)
    text = rng.integers(0, 256, 200_000).astype(np.uint8)
    pat = rng.integers(0, 256, 1000).astype(np.uint8)
    H = reference(text, pat)
    est = hamming_distances(text, pat, eps=0.1, seed=0)
    assert est.dtype == np.float64
    np.testing.assert_array_equal(est, H)
    np.testing.assert_array_equal(hamming_distances(text, pat, eps=0.1, k=990), np.minimum(H, 991))
    hashed = hamming_distances(text, pat, eps=0.1, seed=0, method="abrahamson")
    assert not np.array_equal(hashed, H)


da = pytest.importorskip("dask.array")


@pytest.mark.parametrize("chunk", [1, 7, 50, 333, 5000])
@pytest.mark.parametrize("method", ["auto", "brute", "fft", "abrahamson"])
def test_dask_equals_in_memory(chunk, method):
    rng = np.random.default_rng(9)
    text = rng.integers(0, 6, 3000, dtype=np.int32)
    pat = rng.integers(0, 6, 64, dtype=np.int32)
    lazy = hamming_distances(da.from_array(text, chunks=chunk), pat, method=method, wildcard=2)
    assert isinstance(lazy, da.Array)
    np.testing.assert_array_equal(lazy.compute(), reference(text, pat, 2))


def test_dask_many_eps_and_best():
    rng = np.random.default_rng(10)
    text = rng.integers(0, 500, 4000)
    pats = rng.integers(0, 500, (3, 80))
    dt = da.from_array(text, chunks=37)
    got = hamming_distances_many(dt, pats, k=70)
    assert isinstance(got, da.Array) and got.shape == (3, 4000 - 79)
    for q in range(3):
        np.testing.assert_array_equal(got[q].compute(), reference(text, pats[q], k=70))
    for method in ("auto", "brute"):
        np.testing.assert_array_equal(
            hamming_distances(dt, pats[0], eps=0.2, seed=4, method=method).compute(),
            hamming_distances(text, pats[0], eps=0.2, seed=4, method=method),
        )
    np.testing.assert_array_equal(
        best_matches(dt, pats[0]).positions, best_matches(text, pats[0]).positions
    )
    np.testing.assert_array_equal(
        hamming_distances(dt[:80], pats[0]).compute(), reference(text[:80], pats[0])
    )


BAD = [
    (dict(text="", pattern="a"), ValueError, "text"),
    (dict(text="abc", pattern=""), ValueError, "pattern"),
    (dict(text=np.array([], dtype=np.int8), pattern=[1]), ValueError, "text"),
    (dict(text="ab", pattern="abc"), ValueError, "longer"),
    (dict(text=np.array([1.0, 2.0]), pattern=[1]), TypeError, "text"),
    (dict(text=[1, 2, 3], pattern=np.array([1j])), TypeError, "pattern"),
    (dict(text=np.zeros((2, 3), int), pattern=[1]), ValueError, "text"),
    (dict(text=[1, 2, 3], pattern=np.zeros((1, 1), int)), ValueError, "pattern"),
    (dict(text=np.array([1, 2, 3]), pattern="ab"), TypeError, "pattern"),
    (dict(text="abc", pattern=b"ab"), TypeError, "pattern"),
    (dict(text=np.array(["a", "b"]), pattern="a"), TypeError, "text"),
    (dict(text=[1, 2], pattern=[1], k=-1), ValueError, "k"),
    (dict(text=[1, 2], pattern=[1], k=1.5), TypeError, "k"),
    (dict(text=[1, 2], pattern=[1], eps=0.0), ValueError, "eps"),
    (dict(text=[1, 2], pattern=[1], eps=1.0), ValueError, "eps"),
    (dict(text=[1, 2], pattern=[1], eps="x"), TypeError, "eps"),
    (dict(text=[1, 2], pattern=[1], method="fast"), ValueError, "method"),
    (dict(text=[1, 2], pattern=[1], workers=0), ValueError, "workers"),
    (dict(text=[1, 2], pattern=[1], workers=2.0), TypeError, "workers"),
    (dict(text=[1, 2], pattern=[1], seed="s", eps=0.5), TypeError, "seed"),
    (dict(text="ab", pattern="a", wildcard=3), TypeError, "wildcard"),
    (dict(text=[1, 2], pattern=[1], wildcard=1.5), TypeError, "wildcard"),
    (dict(text=[object(), 2], pattern=[1]), TypeError, "text"),
]


@pytest.mark.parametrize(("kwargs", "exc", "word"), BAD)
def test_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        hamming_distances(**kwargs)


def test_bad_input_many_best_and_dask():
    with pytest.raises(ValueError, match="one length"):
        hamming_distances_many("abcdef", ["ab", "abc"])
    with pytest.raises(TypeError, match="patterns"):
        hamming_distances_many("abcdef", "ab")
    with pytest.raises(ValueError, match="patterns"):
        hamming_distances_many("abcdef", [])
    with pytest.raises(ValueError, match="top"):
        best_matches("abc", "a", top=0)
    with pytest.raises(TypeError, match="text"):
        hamming_distances(da.from_array(np.ones(5)), [1])
    with pytest.raises(ValueError, match="longer"):
        hamming_distances(da.from_array(np.ones(5, int)), np.ones(6, int))
    with pytest.raises(TypeError, match="str"):
        hamming_distances(da.from_array(np.ones(5, int)), "ab")


def test_auto_skips_the_brute_force_when_the_split_has_no_work():
    # No pattern symbol occurs in the text: every window has distance m, and the split engines
    # know it without touching a cell; auto must not run the O(n m) brute force.
    from numkit.hamming import _cost
    from numkit.hamming._encode import encode
    from numkit.hamming._engines import Plan

    text = np.random.default_rng(0).integers(0, 200, 200_000).astype(np.uint8)
    pattern = np.full(100, 250, dtype=np.uint8)  # short: the brute force is below the split floor
    plan = Plan(encode(text, pattern[None, :], None), np.dtype(np.int32))
    assert _cost.choose(plan, 0, "auto", None).method == "abrahamson"
    np.testing.assert_array_equal(hamming_distances(text, pattern), 100)


def test_auto_prices_a_cheap_brute_force_without_sampling_the_text(monkeypatch):
    # Short patterns and small k: the brute force is below the split floor, which the sizes and a
    # probe of the mismatch rate show; the text sample (~0.3 ms cold) must not be taken.
    from numkit.hamming import _api

    def no_sample(*args):
        raise AssertionError("the text was sampled")

    monkeypatch.setattr(_api, "sample_counts", no_sample)
    rng = np.random.default_rng(3)
    text = rng.integers(0, 4, 300_000).astype(np.uint8)
    pattern = text[1000:1060].copy()
    np.testing.assert_array_equal(hamming_distances(text, pattern), reference(text, pattern))
    np.testing.assert_array_equal(
        hamming_distances(text, pattern, k=3, wildcard=2),
        reference(text, pattern, wildcard=2, k=3),
    )


def test_auto_samples_the_text_when_the_probe_sees_no_match(monkeypatch):
    from numkit.hamming import _api

    calls = []
    real = _api.sample_counts
    monkeypatch.setattr(_api, "sample_counts", lambda *a: calls.append(1) or real(*a))
    text = np.random.default_rng(0).integers(0, 200, 200_000).astype(np.uint8)
    pattern = np.full(100, 250, dtype=np.uint8)
    np.testing.assert_array_equal(hamming_distances(text, pattern), 100)
    assert calls


def test_probe_measures_the_mismatch_rate():
    from numkit.hamming._engines import probe_mismatch

    rng = np.random.default_rng(5)
    text = rng.integers(0, 4, 500_000).astype(np.uint8)
    pattern = rng.integers(0, 4, 300).astype(np.uint8)
    assert abs(probe_mismatch(text, pattern, -1, 300) - 0.75) < 0.01
    pattern[::3] = 9  # a wildcard on a third of the positions: the rate is per other position
    assert abs(probe_mismatch(text, pattern, 9, 200) - 0.75) < 0.01
    assert probe_mismatch(text, np.full(300, 7, np.uint8), -1, 300) == 1.0


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.uint16, np.int64])
@pytest.mark.parametrize("strided", [False, True])
def test_sample_counts_equal_the_counts_of_the_encoded_sample(dtype, strided):
    from numkit.hamming._encode import encode, encode_patterns, sample_counts

    rng = np.random.default_rng(1)
    lo, hi = (-100, 100) if np.dtype(dtype).kind == "i" else (0, 200)
    base = rng.integers(lo, hi, 40_001).astype(dtype)
    text = base[::-2] if strided else base
    pats = rng.integers(lo, hi, (2, 30)).astype(dtype)
    pats[0, 3] = 7  # the wildcard, also in the text
    for step in (1, 7, 61):
        counts, size = sample_counts(text, encode_patterns(pats, 7), step)
        enc = encode(text[::step], pats, 7)
        assert size == text[::step].size
        np.testing.assert_array_equal(counts, np.bincount(enc.text, minlength=enc.n_codes))


def test_wide_raw_symbols_are_encoded_first_when_that_pays(monkeypatch):
    # uint16 values of a 20-symbol alphabet: the brute force on 1-byte codes (plus the remap)
    # beats the brute force on the 2-byte values at m = 1000; at m = 20 it does not.
    from numkit.hamming import _api

    widths = []
    real = _api._core.brute
    monkeypatch.setattr(
        _api._core, "brute", lambda t, *a: widths.append(t.dtype.itemsize) or real(t, *a)
    )
    rng = np.random.default_rng(9)
    text = rng.integers(0, 20, 300_000).astype(np.uint16)
    for m, width in ((1000, 1), (20, 2)):
        pattern = text[7000 : 7000 + m].copy()
        widths.clear()
        np.testing.assert_array_equal(hamming_distances(text, pattern), reference(text, pattern))
        assert widths[-1] == width


def test_the_split_is_priced_with_the_remap_of_a_sparse_wide_text():
    # int32 symbols spread over the whole range: the remap is a binary search (~65 ns a symbol),
    # which the split engines need and the brute force (on the raw values) does not.
    from numkit.hamming import _cost
    from numkit.hamming._encode import encode_patterns, lookup_kind, sample_counts
    from numkit.hamming._engines import Encoded, Plan

    rng = np.random.default_rng(4)
    text = rng.integers(-(2**31), 2**31 - 1, 1_000_000).astype(np.int32)
    pats = text[None, 5000:6000].copy()
    pc = encode_patterns(pats, None)
    assert lookup_kind(pc, text.dtype, text.size) == "search"
    counts, size = sample_counts(text, pc, 61)
    enc = Encoded(np.empty(0, pc.dtype), pc.codes, pc.n_symbols, pc.wild)
    plans = [
        Plan(
            enc,
            np.dtype(np.int32),
            n=text.size,
            text_counts=counts * (text.size / size),
            encode_ns=e,
        )
        for e in (0.0, _cost.ENCODE_NS_PER_SYMBOL["search"] * text.size)
    ]
    picks = [_cost.choose(p, 0, "auto", None, width=4).method for p in plans]
    assert picks == ["abrahamson", "brute"]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32])
def test_k_bounded_brute_force_is_exact_for_any_first_chunk(dtype):
    # The first chunk (positions tested before the bound is checked) only changes the speed:
    # shorter than k + 1 (every window survives it), around it, longer than the pattern; with a
    # wildcard, and with planted near-matches that must be finished past the first chunk.
    from numkit._core import hamming as core

    rng = np.random.default_rng(11)
    text = rng.integers(0, 6, 20_000).astype(dtype)
    pattern = text[3000:3300].copy()
    for i in (500, 9000, 15000):  # near-matches: 0-12 mismatches
        text[i : i + 300] = pattern
        text[i + rng.integers(0, 300, rng.integers(0, 13))] = 5
    for k, wild in ((0, -1), (10, -1), (10, 5), (40, -1), (299, -1)):
        ref = reference(text, pattern, wildcard=None if wild < 0 else wild, k=k)
        for first in (0, 1, 8, 9, 16, 24, 64, 1000, 5000):
            out = np.empty(text.size - pattern.size + 1, np.int32)
            core.brute(text, pattern, wild, k, 1, out, first)
            np.testing.assert_array_equal(out, ref, err_msg=f"k={k} wild={wild} first={first}")


def test_first_chunk_covers_k_with_room_and_grows_with_it():
    from numkit.hamming._cost import first_chunk

    assert first_chunk(10, 1.0) == 16  # k + 1 = 11 mismatches: 16 positions, a multiple of 8
    assert first_chunk(10, 0.75) == 24
    assert first_chunk(10, 0.0) == 0  # no measured rate: the C++ default
    assert first_chunk(5000, 0.5) == 0  # no chunk of <= 1024 positions suffices
    for p in (0.3, 0.75, 0.996):
        lengths = [first_chunk(k, p) for k in range(0, 60)]
        assert all(a <= b for a, b in zip(lengths, lengths[1:], strict=False))
        # Three standard deviations: a window of rate p passes k within the chunk but for ~1e-3.
        for k, length in enumerate(lengths):
            if length:
                assert length * p - 3 * np.sqrt(length * p * (1 - p)) >= k + 1


def test_the_text_table_is_built_once_per_pattern_codes_and_dtype():
    # The split path counts a sample and then encodes the text with the same PatternCodes: one
    # 2**16-entry table serves both; a text of another dtype gets its own.
    from numkit.hamming._encode import _full_lut, encode, encode_patterns

    rng = np.random.default_rng(2)
    pats = rng.integers(0, 300, (1, 50)).astype(np.int16)
    pc = encode_patterns(pats, 7)
    t16 = rng.integers(0, 300, 1000).astype(np.int16)
    assert _full_lut(pc, t16.dtype) is _full_lut(pc, t16.dtype)
    assert _full_lut(pc, np.dtype(np.uint8)) is not _full_lut(pc, t16.dtype)
    fresh = encode(t16, pats, 7)
    np.testing.assert_array_equal(encode(t16, pats, 7, pc).text, fresh.text)
    t8 = t16.astype(np.uint8)  # symbols wrap: looked up in the uint8 table
    np.testing.assert_array_equal(encode(t8, pats, 7, pc).text, encode(t8, pats, 7).text)
