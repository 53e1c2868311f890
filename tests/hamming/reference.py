"""The brute-force reference: numpy's sliding-window comparison, with the wildcard rule."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def as_ints(x):
    if isinstance(x, str):
        return np.array([ord(c) for c in x], dtype=np.int64)
    if isinstance(x, (bytes, bytearray)):
        return np.frombuffer(bytes(x), dtype=np.uint8).astype(np.int64)
    return np.asarray(x)


def reference(text, pattern, wildcard=None, k=None):
    """H[i] = #{j : T[i+j] != P[j], neither the wildcard}, compared as Python integers."""
    T = [int(v) for v in as_ints(text)]
    P = [int(v) for v in as_ints(pattern)]
    # Dense remap through a dict keeps arbitrary-width values exact in int64 arrays.
    ids: dict[int, int] = {}
    t = np.array([ids.setdefault(v, len(ids)) for v in T], dtype=np.int64)
    p = np.array([ids.setdefault(v, len(ids)) for v in P], dtype=np.int64)
    win = sliding_window_view(t, p.size)
    mis = win != p
    if wildcard is not None:
        w = ids.get(int(wildcard), -1)
        mis &= (win != w) & (p != w)
    h = mis.sum(axis=1)
    return np.minimum(h, k + 1) if k is not None else h
