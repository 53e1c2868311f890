"""numkit.hamming's public functions: validation, the alphabet remap, engine choice, modes."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from numkit import _gpu
from numkit._core import hamming as _core
from numkit._lib.backend import backend_of, is_cupy_array, is_dask_array
from numkit._lib.validation import check_count, check_random_state, check_workers

from . import _cost
from ._encode import (
    Encoded,
    PatternCodes,
    check_kinds,
    encode,
    encode_patterns,
    lookup_kind,
    raw_views,
    sample_counts,
    symbols_of,
    value_view,
    wildcard_value,
)
from ._engines import Plan, brute, probe_mismatch, run_split

Method = Literal["auto", "brute", "fft", "abrahamson"]
METHODS = ("auto", "brute", "fft", "abrahamson")

__all__ = ["BestMatches", "best_matches", "hamming_distances", "hamming_distances_many"]


# ---------------------------------------------------------------------------------------------
# Options


def _check_k(k: Any) -> int | None:
    return None if k is None else check_count(k, "k", minimum=0)


def _check_eps(eps: Any) -> float | None:
    if eps is None:
        return None
    if not isinstance(eps, numbers.Real) or isinstance(eps, (bool, np.bool_)):
        raise TypeError(f"eps must be None or a float in (0, 1), got {type(eps).__name__}")
    e = float(eps)
    if not 0.0 < e < 1.0:
        raise ValueError(f"eps must lie in (0, 1), got {e}")
    return e


def _check_method(method: Any) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    return str(method)


@dataclass(frozen=True)
class _Options:
    k: int | None
    eps: float | None
    method: str
    workers: int
    colours_seed: int  # fixed once per call, so that every dask block hashes alike
    # eps mode: run the colour strings (True) or answer exactly (False); None: not decided yet.
    # Decided once per call from n and the patterns (_eps_route), so dask blocks agree.
    colours: bool | None = None


def _options(k: Any, eps: Any, method: Any, seed: Any, workers: Any) -> _Options:
    kk, e, meth, w = (
        _check_k(k),
        _check_eps(eps),
        _check_method(method),
        check_workers(workers, default=1),
    )
    # The seed only drives eps mode's colours; without eps it is still checked when given, but
    # no Generator is made for the default None (~0.1 ms, a tenth of a small-k call).
    colours_seed = 0
    if e is not None or seed is not None:
        rng = check_random_state(seed, "seed")
        colours_seed = int(rng.integers(0, 2**63 - 1)) if e is not None else 0
    return _Options(kk, e, meth, w, colours_seed)


# ---------------------------------------------------------------------------------------------
# The solver over encoded problems


def _without_vacuous_k(opts: _Options, m: int) -> _Options:
    """k >= m clips nothing in exact mode (H <= m): drop it, so that a k beyond the output's
    integers (2**31 and up, which overflowed there) never reaches a clip or the C++ bound."""
    if opts.k is not None and opts.eps is None and opts.k >= m:
        return replace(opts, k=None)
    return opts


def _out_dtype(m: int) -> np.dtype:
    return np.dtype(np.int32) if m < 2**31 else np.dtype(np.int64)


def _exact(enc: Encoded, opts: _Options, k: int | None) -> np.ndarray:
    """Exact (or k-bounded) distances (p, nw) for encoded patterns of one length."""
    plan = Plan(enc, _out_dtype(enc.patterns.shape[1]))
    out = np.empty((plan.p, plan.nw), dtype=plan.out_dtype)
    split_rows, split = [], []
    for q in range(plan.p):
        choice = _cost.choose(plan, q, opts.method, k)
        if choice.method in ("brute", "kbrute"):
            bound = k if choice.method == "kbrute" and k is not None else -1
            out[q] = brute(plan, q, bound, opts.workers, choice.first_chunk)
        else:
            split_rows.append(q)
            split.append(choice)
    if split_rows:
        # Patterns through the FFT share the text's transforms: one call for all of them.
        sub = Encoded(enc.text, enc.patterns[split_rows], enc.n_symbols, enc.wild)
        subplan = Plan(sub, plan.out_dtype)
        subplan._text_counts = plan._text_counts
        out[split_rows] = _run_split(subplan, split, opts.workers)
    if k is not None:
        np.minimum(out, k + 1, out=out)
    return out


_SAMPLE = 1 << 14  # text symbols the cost model looks at (1 << 16 cost ~0.5 ms per call)


def _run_split(
    plan: Plan, choices: list[_cost.Choice], workers: int, lut: np.ndarray | None = None
) -> np.ndarray:
    fft_codes = [c.fft_codes for c in choices]
    return run_split(plan, fft_codes, [c.by_pattern for c in choices], workers, lut)


def _remap_ns(pc: PatternCodes, t: np.ndarray) -> float:
    """Predicted ns of remapping the text to codes (what the split engines need first)."""
    return _cost.ENCODE_NS_PER_SYMBOL[lookup_kind(pc, t.dtype, t.size)] * t.size


def _quick_choices(
    raw: tuple[np.ndarray, np.ndarray, int], n: int, k: int | None
) -> list[_cost.Choice] | None:
    """The brute force (exact or k-bounded) for every pattern when it is predicted below the
    split engines' floor, priced from the sizes and a probe of the mismatch rate (~10 us);
    None when any pattern needs the full cost model (a sample of the text, ~0.3 ms cold)."""
    text, pats, wild = raw
    m = pats.shape[1]
    nw = n - m + 1
    width = text.dtype.itemsize
    choices = []
    for q in range(pats.shape[0]):
        m_eff = m - (int(np.count_nonzero(pats[q] == wild)) if wild >= 0 else 0)
        p_mis = probe_mismatch(text, pats[q], wild, m_eff) if m_eff else 0.0
        if p_mis >= 1.0:  # perhaps no pattern symbol occurs in the text: the split has no work
            return None
        # Every match is one list increment (or part of an FFT channel): the split's floor.
        floor = _cost.split_floor(n, m, nw * m_eff * (1.0 - p_mis))
        if k is None and _cost.brute_ns(nw, m_eff, width, wild >= 0) >= floor:
            return None
        options = _cost.brute_options(nw, m_eff, width, wild >= 0, k, p_mis)
        best = min(options, key=lambda c: c.predicted_ns)
        if best.predicted_ns >= floor:
            return None
        choices.append(best)
    return choices


def _solve_values(t: np.ndarray, pats: np.ndarray, wv: int | None, opts: _Options) -> np.ndarray:
    """Distances (p, nw) from integer arrays: the engine is chosen from the sizes and a probe
    (brute force predicted cheap) or on a sample of the text; the brute force runs on the values
    themselves where it can, the others on dense codes."""
    p = pats.shape[0]
    if opts.eps is not None and opts.colours is None and pats.shape[0] > 1:
        # eps mode decides per pattern (as a dask text does, pattern by pattern)
        return np.concatenate([_solve_values(t, pats[q : q + 1], wv, opts) for q in range(p)])
    opts = _without_vacuous_k(_eps_route(t.size, pats, wv, opts), pats.shape[1])
    if opts.eps is not None and opts.colours is False:
        # the exact answer (k-bounded with k: already clipped) through the usual engines
        return _solve_values(t, pats, wv, replace(opts, eps=None)).astype(np.float64)
    if opts.eps is not None:
        return _solve(encode(t, pats, wv), opts)
    p, m = pats.shape
    n = t.size
    out_dtype = _out_dtype(m)
    raw = raw_views(t, pats, wv)
    choices: list[_cost.Choice] | None = None
    pc: PatternCodes | None = None
    if opts.method == "brute":  # nothing to choose: no sample of the text is needed
        choices = [_cost.forced_brute(opts.k)] * p
    elif opts.method == "auto" and raw is not None:
        choices = _quick_choices(raw, n, opts.k)
    if choices is None:
        pc = encode_patterns(pats, wv)
        counts, size = sample_counts(t, pc, max(1, n // _SAMPLE))
        enc_s = Encoded(np.empty(0, pc.dtype), pc.codes, pc.n_symbols, pc.wild)
        plan = Plan(
            enc_s, out_dtype, n=n, text_counts=counts * (n / size), encode_ns=_remap_ns(pc, t)
        )
        width = raw[0].dtype.itemsize if raw is not None else None
        choices = [_cost.choose(plan, q, opts.method, opts.k, width=width) for q in range(p)]
    runs_brute = any(c.method in ("brute", "kbrute") for c in choices)
    width = 0 if raw is None else raw[0].dtype.itemsize
    # Wide raw symbols make every cell dearer: encode the text first where that pays. (Not even
    # the pattern codes, ~0.2 ms, are made when one-byte codes and the fastest remap would not.)
    lut_ns = _cost.ENCODE_NS_PER_SYMBOL["lut"] * n
    if width > 1 and runs_brute and _cost.encode_pays(choices, n - m + 1, m, width, 1, lut_ns):
        pc = pc if pc is not None else encode_patterns(pats, wv)
        if _cost.encode_pays(choices, n - m + 1, m, width, pc.dtype.itemsize, _remap_ns(pc, t)):
            raw = None
    out = np.empty((p, n - m + 1), dtype=out_dtype)
    enc: Encoded | None = None
    split_rows, split = [], []
    for q, choice in enumerate(choices):
        if choice.method not in ("brute", "kbrute"):
            split_rows.append(q)
            split.append(choice)
            continue
        bound = opts.k if choice.method == "kbrute" and opts.k is not None else -1
        if raw is not None:
            _core.brute(raw[0], raw[1][q], raw[2], bound, opts.workers, out[q], choice.first_chunk)
        else:
            enc = enc if enc is not None else encode(t, pats, wv, pc)
            args = (enc.text, enc.patterns[q], enc.wild, bound, opts.workers, out[q])
            _core.brute(*args, choice.first_chunk)
    if split_rows:
        values = None
        if enc is None:  # 1-byte texts: the engines look the codes up (no remapped copy)
            pc = pc if pc is not None else encode_patterns(pats, wv)
            values = value_view(t, pc)
        if values is not None and pc is not None:
            sub = Encoded(values[0], pc.codes[split_rows], pc.n_symbols, pc.wild)
            res = _run_split(Plan(sub, out_dtype), split, opts.workers, values[1])
        else:
            enc = enc if enc is not None else encode(t, pats, wv, pc)
            sub = Encoded(enc.text, enc.patterns[split_rows], enc.n_symbols, enc.wild)
            res = _run_split(Plan(sub, out_dtype), split, opts.workers)
        if len(split_rows) == p:
            out = res
        else:
            out[split_rows] = res
    if opts.k is not None and any(c.method != "kbrute" for c in choices):
        np.minimum(out, opts.k + 1, out=out)  # the k-bounded brute force has clipped already
    return out


def _colour_table(enc: Encoded, n_colours: int, seed: int) -> tuple[np.ndarray, int]:
    """Every code's colour (the wildcard keeps a code of its own: n_colours + 1) and that code,
    or -1 without a wildcard; seeded, so every dask block hashes alike."""
    rng = np.random.default_rng(seed)
    table = rng.integers(0, n_colours, size=enc.n_symbols + 1)  # pattern symbols and `other`
    dtype = np.uint8 if n_colours + 2 <= 256 else np.uint16 if n_colours + 2 <= 65536 else np.uint32
    lut = np.empty(enc.n_codes, dtype=dtype)
    lut[: enc.n_symbols + 1] = table
    wild = -1
    if enc.wild >= 0:
        wild = n_colours + 1
        lut[enc.wild] = wild
    return lut, wild


def _colours(enc: Encoded, n_colours: int, seed: int) -> Encoded:
    """The problem with every code hashed to one of n_colours colours (wildcard kept)."""
    lut, wild = _colour_table(enc, n_colours, seed)
    # (A device text, numkit.gpu, is looked up in a device copy of the table.)
    text_lut = _gpu.require_cupy().asarray(lut) if is_cupy_array(enc.text) else lut
    return Encoded(text_lut[enc.text], np.ascontiguousarray(lut[enc.patterns]), n_colours, wild)


def _n_colours(eps: float) -> int:
    ratio = 2.0 / eps  # inf for eps below ~1e-308: then every symbol is its own colour
    return math.ceil(ratio) if ratio < 2.0**62 else 2**62


def _eps_route(n: int, pats: np.ndarray, wv: int | None, opts: _Options) -> _Options:
    """eps mode's engine, decided once per call: the colour strings, or (``method="auto"``) the
    exact answer, k-bounded with k, where the cost model prices that lower (it meets every eps).

    The prices use the text's length and the patterns only (text symbols assumed distributed as
    the pattern's), so that an in-memory and a dask text of the same length decide alike. On
    this project's CPU the exact answer nearly always wins: the brute force costs the same per
    cell for any alphabet, and the position lists make large alphabets cheap (sigma 256,
    m = 1000: colours 20 ms against exact 11 ms). Colours can win at long patterns over
    mid-size alphabets, where 20 colours pack into a few FFT transforms.
    """
    if opts.eps is None or opts.colours is not None:
        return opts
    C = _n_colours(opts.eps)
    pc = encode_patterns(pats, wv)
    if pc.n_symbols + 1 <= C or opts.method != "auto":  # exact anyway, or an engine was named
        return replace(opts, colours=pc.n_symbols + 1 > C)
    m = pats.shape[1]
    out_dtype = _out_dtype(m)
    enc = Encoded(np.empty(0, pc.dtype), pc.codes, pc.n_symbols, pc.wild)
    # text counts as the patterns' own symbol frequencies, scaled to n
    counts = np.bincount(pc.codes.ravel(), minlength=pc.n_codes) * (n / pc.codes.size)
    remap_ns = _cost.ENCODE_NS_PER_SYMBOL["lut"] * n  # the text's remap, for the split engines
    plan = Plan(enc, out_dtype, n=n, text_counts=counts, encode_ns=remap_ns)
    exact_ns = sum(_cost.choose(plan, q, "auto", opts.k).predicted_ns for q in range(plan.p))
    lut, wild = _colour_table(enc, C, opts.colours_seed)
    coloured = Encoded(np.empty(0, lut.dtype), lut[pc.codes], C, wild)
    ccounts = np.bincount(lut, weights=counts, minlength=coloured.n_codes)
    cplan = Plan(coloured, out_dtype, n=n, text_counts=ccounts)
    # the remap to codes and the colour lookup, then the engine
    colour_ns = 2 * remap_ns + sum(
        _cost.choose(cplan, q, "auto", None).predicted_ns for q in range(plan.p)
    )
    return replace(opts, colours=colour_ns < exact_ns)


def _solve(enc: Encoded, opts: _Options, exact: Callable[..., Any] | None = None) -> Any:
    """Exact, k-bounded or (eps) approximate distances (p, nw); ``exact(enc, k)`` computes the
    exact ones (default: the CPU engines; the GPU passes its brute force). In eps mode the
    colour strings run (on the CPU, _solve_values has routed the exact answer elsewhere when
    ``opts.colours`` is False; see _eps_route)."""
    run = exact if exact is not None else (lambda e, k: _exact(e, opts, k))
    if opts.eps is None:
        return run(enc, opts.k)
    C = _n_colours(opts.eps)
    if enc.n_symbols + 1 <= C:  # no fewer colours than symbols: the exact answer
        est = run(enc, None).astype(np.float64)
    else:
        hashed = run(_colours(enc, C, opts.colours_seed), None)
        est = hashed * (C / (C - 1.0))
    if opts.k is not None:
        np.minimum(est, opts.k + 1.0, out=est)
    return est


def _prepare(
    text: Any, patterns: list[Any], wildcard: Any
) -> tuple[np.ndarray, list[tuple[list[int], np.ndarray]], int | None]:
    """Text and patterns (of one length) as integer arrays, and the wildcard value.

    The patterns come in groups (row numbers, stacked array) of one integer dtype each: one group
    unless uint64 patterns with values >= 2**63 meet signed ones, which no integer dtype holds
    together (casting them to int64, as before, wrapped 2**63 onto -2**63).
    """
    t, tk = symbols_of(text, "text")
    rows = []
    for i, pat in enumerate(patterns):
        name = "pattern" if len(patterns) == 1 else f"patterns[{i}]"
        pv, pk = symbols_of(pat, name)
        check_kinds(tk, pk)
        rows.append(pv)
    m = rows[0].size
    for i, r in enumerate(rows):
        if r.size != m:
            raise ValueError(
                f"patterns must share one length: patterns[0] has {m}, patterns[{i}] {r.size}"
            )
    if m > t.size:
        raise ValueError(f"pattern is longer than text: len(pattern) = {m} > len(text) = {t.size}")
    return t, _pattern_groups(rows), wildcard_value(wildcard, tk)


def _pattern_groups(rows: list[np.ndarray]) -> list[tuple[list[int], np.ndarray]]:
    """Rows (1-D integer arrays of one length) stacked by a common integer dtype (see _prepare)."""
    dtype = rows[0].dtype
    for r in rows[1:]:
        dtype = np.promote_types(dtype, r.dtype)
    if dtype.kind in "iu":
        pats = np.stack([r.astype(dtype) for r in rows]) if len(rows) > 1 else rows[0][None, :]
        return [(list(range(len(rows))), pats)]
    # uint64 with signed: rows whose values all fit int64 go together, the others are uint64
    fits = [r.dtype.kind == "i" or not r.size or int(r.max()) < 2**63 for r in rows]
    groups = []
    for keep, dt in ((True, np.int64), (False, np.uint64)):
        idx = [i for i, f in enumerate(fits) if f == keep]
        if idx:
            groups.append((idx, np.stack([rows[i].astype(dt) for i in idx])))
    return groups


def _solve_groups(
    t: np.ndarray, groups: list[tuple[list[int], np.ndarray]], wv: int | None, opts: _Options
) -> np.ndarray:
    """Distances (p, nw) for every pattern group of _prepare."""
    if len(groups) == 1:
        return _solve_values(t, groups[0][1], wv, opts)
    parts = [(idx, _solve_values(t, pats, wv, opts)) for idx, pats in groups]
    out = np.empty((sum(len(i) for i, _ in parts), parts[0][1].shape[1]), parts[0][1].dtype)
    for idx, res in parts:
        out[idx] = res
    return out


# ---------------------------------------------------------------------------------------------
# Public functions


def hamming_distances(
    text: Any,
    pattern: Any,
    *,
    k: int | None = None,
    eps: float | None = None,
    wildcard: Any = None,
    method: Method = "auto",
    seed: Any = None,
    workers: int | None = None,
) -> Any:
    """Hamming distance of ``pattern`` to every window of ``text``.

    ``H[i] = #{j < m : text[i + j] != pattern[j]}`` for i = 0 .. n - m.

    Parameters
    ----------
    text, pattern : str, bytes or 1-D integer array (int8 .. uint64)
        Both ``str`` (compared by code point) or neither. Arrays may be strided. ``text`` may be
        a 1-D dask array of integers: the result is then a lazy dask array (map_overlap with
        depth m - 1), exactly equal to the in-memory result. CuPy arrays (both) run on the GPU
        and give a CuPy array: ``method`` "auto"/"brute" (the GPU brute force) or "fft"
        (cupyx.scipy.fft), ``eps`` through the brute force; "abrahamson" is CPU only.
    k : int, optional
        Bound: distances above ``k`` are reported as ``k + 1``. Small ``k`` runs a brute force
        that leaves each window once it has seen ``k + 1`` mismatches.
    eps : float in (0, 1), optional
        Approximate mode: symbols are hashed (with ``seed``) to ``ceil(2 / eps)`` colours, the
        colour strings are compared exactly, and the count is debiased:
        ``H_est = H_colour * C / (C - 1)``, an unbiased estimator of ``H`` since each mismatched
        pair of distinct symbols collides with probability ``1 / C``. Its standard deviation is
        about ``sqrt(H / C)``, i.e. relative error ``sqrt(eps / (2 H))`` for independent pairs,
        plus a per-seed bias shared by all windows (which pairs collide); with no more distinct
        symbols than colours the answer is exact. With ``method="auto"`` the exact answer
        (k-bounded with ``k``) is returned instead wherever the cost model prices it below the
        colour strings, which on a CPU is nearly always (the brute force costs the same per
        cell for any alphabet, and large alphabets are cheap for the position lists); name an
        engine (``"brute"``, ``"fft"``, ``"abrahamson"``) to run the colour strings through it.
        Returns float64.
    wildcard : symbol, optional
        A symbol (a 1-character str for str inputs, else an integer or one byte) that matches
        everything, in the text and in the pattern.
    method : {"auto", "brute", "fft", "abrahamson"}
        ``"brute"``: C++ blocked SIMD count; ``"fft"``: per-symbol real-FFT correlations
        (scipy.fft, overlap-save, several symbols per transform); ``"abrahamson"``: symbols with
        the most text x pattern work through the FFT, the rest through position lists (C++);
        ``"auto"``: the cheapest by a measured cost model.
    seed : None, int, SeedSequence or Generator
        The colour hash of ``eps`` mode.
    workers : int, optional
        Threads, as in scipy.fft (None: 1, -1: all cores). Results are identical for any value.

    Returns
    -------
    ndarray of int32 (int64 if m >= 2**31), float64 with ``eps``; shape (n - m + 1,)

    Examples
    --------
    >>> from numkit.hamming import hamming_distances
    >>> hamming_distances("abracadabra", "abra")
    array([0, 4, 3, 3, 3, 3, 4, 0], dtype=int32)
    >>> hamming_distances("abracadabra", "abxa", k=1)  # above k reported as k + 1
    array([1, 2, 2, 2, 2, 2, 2, 1], dtype=int32)
    >>> hamming_distances(b"ACGTACGTTT", b"ANGT", wildcard=b"N")
    array([0, 3, 3, 3, 0, 2, 2], dtype=int32)
    """
    opts = _options(k, eps, method, seed, workers)
    if backend_of(text, pattern) == "cupy":
        return _on_device(text, pattern, opts, wildcard)
    if is_dask_array(text):
        from ._dask import dask_distances

        return dask_distances(text, [pattern], wildcard, opts, _solve_values, _eps_route)[0]
    t, groups, wv = _prepare(text, [pattern], wildcard)
    return _solve_groups(t, groups, wv, opts)[0]


def _on_device(text: Any, pattern: Any, opts: _Options, wildcard: Any) -> Any:
    """CuPy inputs: the GPU brute force or FFT engine (exact, clipped at k + 1, or eps mode's
    colours through the brute force), a CuPy array out ("auto" is the brute force on the GPU)."""
    from ._device import device_distances

    if opts.method not in ("auto", "brute", "fft"):
        raise NotImplementedError(
            "numkit.hamming on CuPy arrays has the GPU brute force and FFT engine (method "
            f"'auto', 'brute' or 'fft'); method={opts.method!r} is not on the GPU yet"
        )
    return device_distances(text, pattern, opts, wildcard)


def _as_pattern_list(patterns: Any) -> list[Any]:
    if isinstance(patterns, (str, bytes, bytearray, memoryview)):
        raise TypeError("patterns must be a sequence of patterns or a 2-D array, got one pattern")
    if isinstance(patterns, np.ndarray):
        if patterns.ndim != 2:
            raise ValueError(f"patterns must be a 2-D array (p, m), got shape {patterns.shape}")
        if patterns.shape[0] == 0:
            raise ValueError("patterns must not be empty (a 2-D array with 0 rows)")
        return list(patterns)
    try:
        out = list(patterns)
    except TypeError:
        raise TypeError(
            f"patterns must be a sequence of patterns, got {type(patterns).__name__}"
        ) from None
    if not out:
        raise ValueError("patterns must not be empty")
    return out


def hamming_distances_many(
    text: Any,
    patterns: Sequence[Any] | np.ndarray,
    *,
    k: int | None = None,
    eps: float | None = None,
    wildcard: Any = None,
    method: Method = "auto",
    seed: Any = None,
    workers: int | None = None,
) -> Any:
    """Hamming distances of several patterns of one length to every window of ``text``.

    ``patterns`` is a sequence of patterns (str, bytes or 1-D integer arrays) or a 2-D integer
    array (p, m). The text is remapped once and, for patterns that go through the FFT, each
    symbol's text transform is computed once and shared. Options as in
    :func:`hamming_distances`. Returns shape (p, n - m + 1).
    """
    plist = _as_pattern_list(patterns)
    opts = _options(k, eps, method, seed, workers)
    if is_dask_array(text):
        import dask.array as da

        from ._dask import dask_distances

        return da.stack(dask_distances(text, plist, wildcard, opts, _solve_values, _eps_route))
    t, groups, wv = _prepare(text, plist, wildcard)
    return _solve_groups(t, groups, wv, opts)


@dataclass(frozen=True)
class BestMatches:
    """The best windows of a text for a pattern, by distance then position."""

    positions: np.ndarray
    distances: np.ndarray

    def __len__(self) -> int:
        return int(self.positions.size)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{p}:{d}" for p, d in zip(self.positions[:5], self.distances[:5]))
        more = ", ..." if self.positions.size > 5 else ""
        return f"BestMatches({len(self)} windows, position:distance {pairs}{more})"


def best_matches(
    text: Any,
    pattern: Any,
    top: int = 10,
    *,
    wildcard: Any = None,
    method: Method = "auto",
    workers: int | None = None,
) -> BestMatches:
    """The ``top`` windows of ``text`` closest to ``pattern`` in Hamming distance.

    Ties are broken by position. Returns :class:`BestMatches` (``positions``, ``distances``).

    Examples
    --------
    >>> from numkit.hamming import best_matches
    >>> best_matches("abracadabra", "abra", top=2)
    BestMatches(2 windows, position:distance 0:0, 7:0)
    """
    top = check_count(top, "top")
    H = hamming_distances(text, pattern, wildcard=wildcard, method=method, workers=workers)
    if is_dask_array(H):
        H = H.compute()
    top = min(top, H.size)
    cut = np.partition(H, top - 1)[top - 1]
    cand = np.flatnonzero(H <= cut)
    order = np.lexsort((cand, H[cand]))[:top]
    pos = cand[order]
    return BestMatches(pos.astype(np.int64), H[pos])
