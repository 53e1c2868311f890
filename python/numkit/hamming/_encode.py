"""Inputs of numkit.hamming as dense symbol codes.

``str`` (code points), ``bytes`` and 1-D integer arrays of any width become unsigned codes:
the distinct non-wildcard symbols of the pattern(s) get 0 .. s-1 (in sorted order), every text
symbol absent from the pattern(s) gets ``other = s`` (one symbol that never matches), and the
wildcard, when given, gets ``s + 1``. Codes are uint8 when they fit, else uint16, else uint32,
so the C++ engines read 1-4 bytes per symbol whatever the input width.

Text values are looked up in the text's own dtype: a pattern symbol the text's dtype cannot hold
can never occur in the text, and keeps a code that no text position gets.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from numkit._core import hamming as _core

Kind = Literal["str", "bytes", "int"]

__all__ = [
    "Encoded",
    "PatternCodes",
    "encode",
    "encode_patterns",
    "lookup_kind",
    "raw_views",
    "sample_counts",
    "symbols_of",
    "value_view",
    "wildcard_value",
]


@dataclass(frozen=True)
class Encoded:
    """Text and pattern(s) as dense codes (see the module docstring)."""

    text: np.ndarray  # (n,) codes, C-contiguous
    patterns: np.ndarray  # (p, m) codes, C-contiguous
    n_symbols: int  # s: codes 0 .. s-1 are pattern symbols
    wild: int  # s + 1, or -1 without a wildcard

    @property
    def other(self) -> int:
        return self.n_symbols

    @property
    def n_codes(self) -> int:
        return self.n_symbols + (2 if self.wild >= 0 else 1)


def code_dtype(n_codes: int) -> np.dtype:
    """The narrowest unsigned dtype that holds codes 0 .. n_codes - 1."""
    if n_codes <= 1 << 8:
        return np.dtype(np.uint8)
    if n_codes <= 1 << 16:
        return np.dtype(np.uint16)
    return np.dtype(np.uint32)


def symbols_of(value: Any, name: str) -> tuple[np.ndarray, Kind]:
    """``value`` (str, bytes or a 1-D integer array) as a non-empty 1-D integer ndarray."""
    if isinstance(value, str):
        arr = np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        kind: Kind = "str"
    elif isinstance(value, (bytes, bytearray)) or (
        isinstance(value, memoryview) and value.format in ("B", "c")
    ):
        arr = np.frombuffer(bytes(value), dtype=np.uint8)
        kind = "bytes"
    else:
        # (a memoryview of other items, e.g. an int32 array's, is read by its format: its bytes
        # would be 4 symbols per value)
        arr = np.asarray(value)
        kind = "int"
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
        if arr.size and arr.dtype.kind in "fO" and not isinstance(value, np.ndarray):
            if all(isinstance(v, int) for v in value):
                raise TypeError(
                    f"{name} mixes negative integers and integers >= 2**63, which no NumPy "
                    "integer dtype holds together; pass an integer array (int64 or uint64)"
                )
        if arr.size and arr.dtype.kind not in "biu":
            raise TypeError(
                f"{name} must be a str, bytes or an integer array (int8 .. uint64), got dtype "
                f"{arr.dtype}"
            )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.dtype.kind == "b":
        arr = arr.view(np.uint8)
    return arr, kind


def check_kinds(text_kind: Kind, pattern_kind: Kind) -> None:
    """A str text needs str patterns and the other way round (code points vs integers)."""
    if (text_kind == "str") != (pattern_kind == "str"):
        tk = "a str" if text_kind == "str" else "bytes or an integer array"
        pk = "a str" if pattern_kind == "str" else "bytes or an integer array"
        raise TypeError(f"pattern is {pk} but text is {tk}; pass both as str or neither")


def wildcard_value(wildcard: Any, kind: Kind) -> int | None:
    """The wildcard symbol as an int (a code point for str inputs), or None."""
    if wildcard is None:
        return None
    if kind == "str":
        if not isinstance(wildcard, str) or len(wildcard) != 1:
            raise TypeError(f"wildcard must be a str of length 1 for str inputs, got {wildcard!r}")
        return ord(wildcard)
    if isinstance(wildcard, (bytes, bytearray)) and len(wildcard) == 1:
        return wildcard[0]
    if isinstance(wildcard, (bool, np.bool_)) or isinstance(wildcard, str):
        raise TypeError(f"wildcard must be an integer symbol, got {wildcard!r}")
    try:
        return operator.index(wildcard)
    except TypeError:
        raise TypeError(
            f"wildcard must be an integer symbol (or one byte), got {type(wildcard).__name__}"
        ) from None


def raw_views(
    text: np.ndarray, patterns: np.ndarray, wildcard: int | None
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Text and patterns as unsigned views of the text's width (<= 4 bytes), no remap.

    The brute force compares symbols for equality only, so it can run on the values themselves
    when every pattern symbol fits the text's dtype (then equality of the unsigned views is
    equality of the values). Returns None when that does not hold.
    """
    if text.dtype.itemsize > 4:
        return None
    if patterns.dtype != text.dtype:
        if not bool(np.all(_fits(patterns.ravel(), text.dtype))):
            return None
        patterns = patterns.astype(text.dtype)
    udt = np.dtype(f"u{text.dtype.itemsize}")
    t = np.ascontiguousarray(text).view(udt)
    p = np.ascontiguousarray(patterns).view(udt)
    w = -1
    if wildcard is not None and _fits(wildcard, text.dtype):
        w = int(np.array(wildcard, dtype=text.dtype).view(udt))
    return t, p, w


@functools.cache
def _range(dtype: np.dtype) -> tuple[int, int]:
    info = np.iinfo(dtype)  # ~5 us a call: cached per dtype
    return int(info.min), int(info.max)


def _fits(values: np.ndarray | int, dtype: np.dtype) -> np.ndarray | bool:
    """Which values the integer dtype can hold (exact comparisons: NumPy >= 2 or Python ints)."""
    lo, hi = _range(np.dtype(dtype))
    if isinstance(values, int):
        return lo <= values <= hi
    vlo, vhi = _range(values.dtype)
    if vlo >= lo and vhi <= hi:
        return np.ones(values.shape, dtype=bool)
    v = values.astype(object) if values.dtype.kind != dtype.kind and values.size < 64 else values
    return np.asarray((v >= lo) & (v <= hi), dtype=bool)


@dataclass(frozen=True)
class PatternCodes:
    """The pattern half of an encoding: the symbol table and the patterns' codes."""

    symbols: np.ndarray  # sorted distinct non-wildcard pattern symbols: codes 0 .. s-1
    codes: np.ndarray  # (p, m) codes, C-contiguous
    wild: int  # s + 1, or -1 without a wildcard
    wildcard: int | None  # the wildcard symbol itself
    # _full_lut's tables by text dtype: the sample's counts and the encode of one call share one
    luts: dict[np.dtype, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    @property
    def n_symbols(self) -> int:
        return int(self.symbols.size)

    @property
    def n_codes(self) -> int:
        return self.n_symbols + (2 if self.wild >= 0 else 1)

    @property
    def dtype(self) -> np.dtype:
        return self.codes.dtype


def _unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for a 1-D integer array: by counting where the
    values span a small range (every 1-2 byte pattern; 10-20x faster than NumPy's sort-based
    inverse, 0.37 -> 0.02 ms at m = 10000), else NumPy's."""
    if values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < max(1 << 16, 4 * values.size):
            if values.dtype.kind == "u":
                off = (values - values.dtype.type(lo)).astype(np.intp)  # values >= lo: no wrap
                base = np.uint64(lo)
            else:
                off = (values.astype(np.int64) - np.int64(lo)).astype(np.intp)  # < the span
                base = np.int64(lo)
            present = np.flatnonzero(np.bincount(off, minlength=hi - lo + 1))
            code_of = np.zeros(hi - lo + 1, dtype=np.intp)
            code_of[present] = np.arange(present.size)
            symbols = (present.astype(base.dtype) + base).astype(values.dtype)
            return symbols, code_of[off]
    return np.unique(values, return_inverse=True)


def encode_patterns(patterns: np.ndarray, wildcard: int | None) -> PatternCodes:
    """Dense codes for ``patterns`` (p, m), an integer array of any dtype."""
    flat = patterns.ravel()
    if wildcard is not None:
        is_wild = flat == wildcard if _fits(wildcard, flat.dtype) else np.zeros(flat.size, bool)
    else:
        is_wild = np.zeros(flat.size, dtype=bool)
    symbols, inverse = _unique_inverse(flat[~is_wild])
    s = int(symbols.size)
    wild = s + 1 if wildcard is not None else -1
    dtype = code_dtype(s + (2 if wildcard is not None else 1))
    pcodes = np.full(flat.size, wild if wild >= 0 else s, dtype=dtype)
    pcodes[~is_wild] = inverse.ravel()
    codes = np.ascontiguousarray(pcodes.reshape(patterns.shape))
    return PatternCodes(symbols, codes, wild, wildcard)


def encode(
    text: np.ndarray, patterns: np.ndarray, wildcard: int | None, pc: PatternCodes | None = None
) -> Encoded:
    """Dense codes for ``text`` (n,) and ``patterns`` (p, m), integer arrays of any dtypes
    (``pc``: the patterns' codes when the caller has them already)."""
    pc = encode_patterns(patterns, wildcard) if pc is None else pc
    lut = _full_lut(pc, text.dtype)
    if lut is not None:
        tcodes = np.empty(text.shape, dtype=pc.dtype)
        _core.remap(_unsigned(np.ascontiguousarray(text)), lut, 1, tcodes)
    else:
        table, table_codes, wild_in_text = _text_table(pc, text.dtype)
        tcodes = _lookup_wide(text, table, table_codes, pc, wild_in_text)
    return Encoded(np.ascontiguousarray(tcodes), pc.codes, pc.n_symbols, pc.wild)


def value_view(text: np.ndarray, pc: PatternCodes) -> tuple[np.ndarray, np.ndarray] | None:
    """For 1-byte texts: the text's values as a contiguous unsigned array and the table of their
    codes (what ``encode`` would remap through), for engines that look the codes up themselves;
    None for wider texts. (Measured in turns at n = 1e6, m = 1000, position lists: 7-10% less
    time than remapping first at 256 symbols; with 2-byte values the 65536-entry table the
    engine then looks up costs about what the remap saves, 0.996-1.16x.)"""
    lut = _full_lut(pc, text.dtype) if text.dtype.itemsize == 1 else None
    if lut is None:
        return None
    return _unsigned(np.ascontiguousarray(text)), lut


def sample_counts(text: np.ndarray, pc: PatternCodes, step: int) -> tuple[np.ndarray, int]:
    """Code counts (int64, n_codes) of ``text[::step]`` and the sample's size.

    For 1- and 2-byte texts the codes are counted in C++ straight from the text, without
    making the sample or its codes (~0.2 ms of numpy calls per call otherwise).
    """
    lut = _full_lut(pc, text.dtype)
    if lut is None:
        sample = text[::step]
        table, table_codes, wild_in_text = _text_table(pc, text.dtype)
        codes = _lookup_wide(sample, table, table_codes, pc, wild_in_text)
        return np.bincount(codes, minlength=pc.n_codes).astype(np.int64), int(sample.size)
    if not text.flags.c_contiguous:
        text, step = np.ascontiguousarray(text[::step]), 1
    counts = np.zeros(pc.n_codes, dtype=np.int64)
    _core.code_counts(_unsigned(text), lut, step, counts)
    return counts, -(-text.size // step)


def _unsigned(values: np.ndarray) -> np.ndarray:
    return values.view(np.dtype(f"u{values.dtype.itemsize}"))


def _text_table(pc: PatternCodes, text_dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, bool]:
    """The pattern symbols the text's dtype can hold (in it), their codes, and whether it can
    hold the wildcard: the text is looked up in its own dtype."""
    keep = _fits(pc.symbols, text_dtype)
    table = pc.symbols[keep].astype(text_dtype)
    codes = np.flatnonzero(keep).astype(pc.dtype)
    wild_in_text = pc.wildcard is not None and bool(_fits(pc.wildcard, text_dtype))
    return table, codes, wild_in_text


def _full_lut(pc: PatternCodes, text_dtype: np.dtype) -> np.ndarray | None:
    """For 1- and 2-byte texts, a table over every value of the dtype's unsigned view, giving
    the code (``other`` for symbols absent from the patterns); None for wider texts."""
    if text_dtype.itemsize > 2:
        return None
    cached = pc.luts.get(text_dtype)
    if cached is not None:
        return cached
    table, codes, wild_in_text = _text_table(pc, text_dtype)
    lut = np.full(1 << (8 * text_dtype.itemsize), pc.n_symbols, dtype=pc.dtype)
    lut[_unsigned(table)] = codes
    if wild_in_text:
        lut[_unsigned(np.array(pc.wildcard, dtype=text_dtype))] = pc.wild
    pc.luts[text_dtype] = lut
    return lut


def _symbol_span(table: np.ndarray, wildcard: int | None) -> tuple[int, int] | None:
    """The smallest and largest symbol the text lookup looks for (None: no symbol at all)."""
    ends = [int(table[0]), int(table[-1])] if table.size else []
    if wildcard is not None:
        ends.append(wildcard)
    return (min(ends), max(ends)) if ends else None


def _range_table(lo: int, hi: int, n: int) -> bool:
    """Whether a wide text is looked up through a table over [lo, hi] (else by binary search)."""
    return hi - lo < max(1 << 20, 2 * n)


def lookup_kind(pc: PatternCodes, text_dtype: np.dtype, n: int) -> str:
    """How ``encode`` maps a text of ``n`` symbols of ``text_dtype``: "lut" (1-2 bytes, a full
    table), "range" (a table over the pattern's range of symbols) or "search" (binary search)."""
    if text_dtype.itemsize <= 2:
        return "lut"
    table, _, wild_in_text = _text_table(pc, text_dtype)
    span = _symbol_span(table, pc.wildcard if wild_in_text else None)
    return "range" if span is None or _range_table(span[0], span[1], n) else "search"


def _lookup_wide(
    text: np.ndarray, table: np.ndarray, codes: np.ndarray, pc: PatternCodes, wild_in_text: bool
) -> np.ndarray:
    """codes[k] where text == table[k] (table sorted), wild where text == the wildcard (when
    the text's dtype holds it), else other: for texts wider than 2 bytes."""
    other, wild, dtype = pc.n_symbols, pc.wild, pc.dtype
    wildcard = pc.wildcard if wild_in_text else None
    span = _symbol_span(table, wildcard)
    if span is None:
        return np.full(text.shape, other, dtype=dtype)
    lo, hi = span
    if _range_table(lo, hi, text.size):
        # A table over the pattern's range of symbols (lo, hi fit the text's dtype); text outside
        # it is `other`. Differences are taken in the text's dtype, masked where they may wrap.
        lo_t = text.dtype.type(lo)
        lut = np.full(hi - lo + 1, other, dtype=dtype)
        lut[(table - lo_t).astype(np.intp)] = codes
        if wildcard is not None:
            lut[wildcard - lo] = wild
        inside = (text >= lo_t) & (text <= text.dtype.type(hi))
        with np.errstate(over="ignore"):
            idx = np.where(inside, text - lo_t, 0).astype(np.intp)
        out = lut[idx]
        out[~inside] = other
        return out
    out = np.full(text.shape, other, dtype=dtype)
    if table.size:
        pos = np.searchsorted(table, text)
        np.minimum(pos, table.size - 1, out=pos)
        hit = table[pos] == text
        out[hit] = codes[pos[hit]]
    if wildcard is not None:
        out[text == wildcard] = wild
    return out
