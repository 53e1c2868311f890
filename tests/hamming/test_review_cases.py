"""Inputs an adversarial review found wrong or crashing (each case failed before its fix)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from numkit.hamming import hamming_distances, hamming_distances_many

from .reference import reference

METHODS = ("auto", "brute", "fft", "abrahamson")


def test_many_with_uint64_above_2_63_and_signed_patterns():
    # uint64 and signed patterns were stacked as int64: 2**63 wrapped onto -2**63 (silently).
    t = np.array([2**63, 5, 2**63, 7, 0, -1 % 2**64], np.uint64)
    pats = [np.array([2**63, 5], np.uint64), np.array([-1, 5], np.int64)]
    for method in METHODS:
        got = hamming_distances_many(t, pats, method=method)
        np.testing.assert_array_equal(got[0], [0, 2, 1, 2, 2])
        np.testing.assert_array_equal(got[1], reference(t, pats[1]))  # -1 is not 2**64 - 1
        assert got[1].tolist() == [1, 2, 2, 2, 2]
    t2 = np.array([-(2**63), 5, 3], np.int64)
    got = hamming_distances_many(t2, [np.array([2**63, 5], np.uint64), np.array([-1, 5], np.int8)])
    np.testing.assert_array_equal(got, [[1, 2], [1, 2]])


def test_many_on_dask_with_mixed_pattern_dtypes_and_bool_texts():
    da = pytest.importorskip("dask.array")
    text = np.arange(40) % 4
    pats = [np.array([1, 2], np.uint64), np.array([1, 2], np.int8)]
    got = hamming_distances_many(da.from_array(text, chunks=7), pats).compute()
    np.testing.assert_array_equal(got, hamming_distances_many(text, pats))
    b = np.array([True, False, True, True, False, False, True])
    got = hamming_distances(da.from_array(b, chunks=2), [1, 0]).compute()
    np.testing.assert_array_equal(got, reference(b.astype(np.uint8), np.array([1, 0])))


def test_memoryview_of_wider_items_is_read_by_its_format():
    a = np.array([1, 2, 3, 1, 2], np.int32)
    want = [0, 2, 2, 0]
    got = hamming_distances(memoryview(a), np.array([1, 2], np.int32))
    np.testing.assert_array_equal(got, want)
    p = memoryview(np.array([1, 2], np.int32))
    np.testing.assert_array_equal(hamming_distances(memoryview(a), p), want)
    assert hamming_distances(memoryview(b"abcab"), b"ab").tolist() == [0, 2, 2, 0]


@pytest.mark.parametrize("k", [2**31 - 1, 2**31, 2**62, 2**63 - 1, 2**64])
def test_k_beyond_the_output_integers(k):
    # (np.minimum(out, k + 1) on int32 raised OverflowError from k = 2**31 - 1 on)
    text = np.arange(50, dtype=np.int32) % 3
    pat = np.array([0, 1, 2, 2], np.int32)
    for method in METHODS:
        np.testing.assert_array_equal(
            hamming_distances(text, pat, k=k, method=method), reference(text, pat)
        )
    est = hamming_distances(text, pat, k=k, eps=0.5, seed=0)  # 3 symbols, 4 colours: exact
    assert est.dtype == np.float64
    np.testing.assert_array_equal(est, reference(text, pat))


def test_degenerate_options():
    text = np.arange(30) % 5
    pat = np.array([0, 1, 4])
    # eps below ~1e-308: 2 / eps is inf; every symbol its own colour, the exact answer
    np.testing.assert_array_equal(hamming_distances(text, pat, eps=5e-324), reference(text, pat))
    # more threads than the C++ int holds: capped (results do not depend on workers)
    for method in METHODS:
        got = hamming_distances(text, pat, workers=2**31, method=method)
        np.testing.assert_array_equal(got, reference(text, pat))
    with pytest.raises(ValueError, match="patterns must not be empty"):
        hamming_distances_many(text, np.zeros((0, 3), int))
    with pytest.raises(TypeError, match="no NumPy integer dtype holds"):
        hamming_distances([-1, 2**63, 5], [5])


@pytest.mark.parametrize(
    "dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]
)
def test_pattern_codes_by_counting_match_numpy_unique(dtype):
    # The patterns' dense codes are counted where their values span a small range (any 1-2 byte
    # pattern; wider ones near either end of their dtype): the same symbols and codes as
    # np.unique(return_inverse=True), which wide ranges still use.
    from numkit.hamming._encode import _unique_inverse

    info = np.iinfo(dtype)
    rng = np.random.default_rng(7)
    for lo, hi in [
        (info.min, info.min + 50),
        (max(info.min, info.max - 300), info.max),
        (0, 5),
        (info.min, info.max),
    ]:
        for size in (1, 7, 3000):
            v = rng.integers(lo, hi, size, dtype=dtype, endpoint=True)
            got, inv = _unique_inverse(v)
            want, want_inv = np.unique(v, return_inverse=True)
            assert got.dtype == want.dtype and np.array_equal(got, want)
            assert np.array_equal(inv.ravel(), want_inv.ravel())
    # and through the public function, values at both ends of the dtype
    t = np.array([info.min, info.max, info.min + 1, info.max, info.min] * 7, dtype=dtype)
    p = t[3:9].copy()
    assert np.array_equal(hamming_distances(t, p), reference(t, p))


def test_fft_packing_falls_back_when_its_rounding_check_fails(monkeypatch):
    # A packed batch whose rounding residual exceeds 0.25 (reported here by a wrapped
    # unpack_slots, since the 42-bit packing leaves ~11 bits of margin) is redone unpacked
    # (G = 1), and the distances stay exact.
    from numkit.hamming import _fft

    unpack = _fft._core.unpack_slots
    calls = []

    def fake(values, skip, b, G):
        calls.append(G)
        out, err = unpack(values, skip, b, G)
        return out, (1.0 if G > 1 else err)

    core = SimpleNamespace(unpack_slots=fake, block_weights=_fft._core.block_weights)
    monkeypatch.setattr(_fft, "_core", core)
    rng = np.random.default_rng(11)
    t = rng.integers(0, 4, 30000).astype(np.uint8)
    p = t[5000:6000].copy()
    p[::7] = (p[::7] + 1) % 4
    got = hamming_distances(t, p, method="fft")
    assert calls[0] > 1 and 1 in calls  # packed, then unpacked
    assert np.array_equal(got, reference(t, p))


def test_fft_block_weights_match_numpy_and_reject_codes_past_the_table():
    from numkit._core import hamming as core

    rng = np.random.default_rng(5)
    for dtype in (np.uint8, np.uint16, np.uint32):
        codes = rng.integers(0, 5, 1000).astype(dtype)
        blocks = np.lib.stride_tricks.as_strided(
            codes, shape=(9, 200), strides=(100 * codes.itemsize, codes.itemsize)
        )
        wt = rng.random(5)
        assert np.array_equal(core.block_weights(blocks, wt), wt[blocks])
        codes[950] = 5  # one code past the table
        with pytest.raises(ValueError, match="past the end of weights"):
            core.block_weights(blocks, wt)
