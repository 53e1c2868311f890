"""Dask texts: ``map_overlap`` with depth (0, m - 1), one in-memory solve per block.

Each output block holds the windows that start in its text block; the block is extended by the
next m - 1 text symbols (the right overlap), so every window is computed from exactly its own
symbols and the result equals the unchunked one. Blocks are first merged so that every block
holds at least m - 1 symbols (the overlap then comes from one neighbour).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._encode import symbols_of, wildcard_value

__all__ = ["dask_distances"]


def _merged_chunks(chunks: tuple[int, ...], need: int) -> tuple[int, ...]:
    out: list[int] = []
    run = 0
    for c in chunks:
        run += c
        if run >= need:
            out.append(run)
            run = 0
    if run:
        if out:
            out[-1] += run
        else:
            out.append(run)
    return tuple(out)


def dask_distances(
    text: Any,
    patterns: list[Any],
    wildcard: Any,
    opts: Any,
    solve: Callable[..., np.ndarray],
    route: Callable[..., Any],
) -> list[Any]:
    """One lazy 1-D dask array of distances per pattern (``solve``: _api._solve_values on a
    block; ``route``: _api._eps_route, eps mode's engine decided once from the whole length)."""
    if text.ndim != 1:
        raise ValueError(f"text must be 1-D, got a dask array of shape {text.shape}")
    if text.dtype.kind not in "biu":
        raise TypeError(
            f"text must be an integer dask array (int8 .. uint64), got dtype {text.dtype}"
        )
    n = text.shape[0]
    if not isinstance(n, int) or np.isnan(n):
        raise ValueError("text must have a known length (call compute_chunk_sizes() first)")
    if n == 0:
        raise ValueError("text must not be empty")
    rows = []
    for i, pat in enumerate(patterns):
        pv, pk = symbols_of(pat, "pattern" if len(patterns) == 1 else f"patterns[{i}]")
        if pk == "str":
            raise TypeError("pattern is a str but text is an integer dask array; pass integers")
        rows.append(pv)
    m = rows[0].size
    if any(r.size != m for r in rows):
        raise ValueError("patterns must share one length")
    if m > n:
        raise ValueError(f"pattern is longer than text: len(pattern) = {m} > len(text) = {n}")
    wv = wildcard_value(wildcard, "int")
    nw = n - m + 1
    text = text.rechunk((_merged_chunks(text.chunks[0], max(m - 1, 1)),))
    starts = np.concatenate([[0], np.cumsum(text.chunks[0])])
    counts = [max(0, min(int(starts[b + 1]), nw) - int(starts[b])) for b in range(len(starts) - 1)]
    out_dtype = np.float64 if opts.eps is not None else (np.int32 if m < 2**31 else np.int64)

    depth = {0: (0, m - 1)} if m > 1 else 0
    results = []
    for row in rows:  # one pattern at a time, in its own dtype (no stack: see _pattern_groups)
        pat = row[None, :]
        row_opts = route(n, pat, wv, opts)

        def block(
            x: np.ndarray,
            block_id: tuple[int, ...] = (0,),
            pat: np.ndarray = pat,
            row_opts: Any = row_opts,
        ) -> Any:
            c = counts[block_id[0]]
            if c == 0:
                return np.empty(0, dtype=out_dtype)
            vals = np.ascontiguousarray(x[: c + m - 1])
            if vals.dtype.kind == "b":  # as symbols_of does for in-memory texts
                vals = vals.view(np.uint8)
            return solve(vals, pat, wv, row_opts)[0].astype(out_dtype, copy=False)

        results.append(
            text.map_overlap(
                block,
                depth=depth,
                boundary="none",
                trim=False,
                dtype=out_dtype,
                chunks=(tuple(counts),),
                meta=np.empty(0, dtype=out_dtype),
            )
        )
    return results
