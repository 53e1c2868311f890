"""Every ufunc (numkit.special and numkit.stats) runs in a thread with a 128 KB stack (issue 8).

The block kernels work on chunks of 2048 elements with a few hundred KB of arrays; those live in
per-thread heap scratch (numkit/simd/scratch.hpp), not on the stack, so threads with small stacks
(musl's default, some thread pools) can run them. Arrays of 10,000 elements over all regimes reach
the block kernels, the staging of strided operands and the scalar paths; each result must equal
the main thread's.
"""

from __future__ import annotations

import threading

import numkit.special as sp
import numpy as np
from numkit.stats import vmf_log_normalizer, vmf_log_normalizer_e

UFUNCS = [getattr(sp, n) for n in sorted(sp.__all__)] + [vmf_log_normalizer, vmf_log_normalizer_e]


def _inputs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(128)
    n = 10_000
    v = 10 ** rng.uniform(-3, 5, n)
    v[: n // 4] = rng.uniform(0, 20, n // 4)
    x = 10 ** rng.uniform(-8, 8, n)
    x[rng.random(n) < 0.01] = 5e-324
    return v, x


def _run_all(v: np.ndarray, x: np.ndarray) -> list[np.ndarray]:
    out = []
    with np.errstate(all="ignore"):
        for f in UFUNCS:
            out.append(f(v, x))  # contiguous: block kernels
            out.append(f(v[::2], x[::2]))  # strided: staged
            out.append(f(v.astype(np.float32), x.astype(np.float32)))
    return out


def test_every_ufunc_in_a_thread_with_a_128k_stack():
    v, x = _inputs()
    expected = _run_all(v, x)
    got: list = []
    errors: list = []

    def work():
        try:
            got.extend(_run_all(v, x))
        except BaseException as e:  # reported below
            errors.append(e)

    old = threading.stack_size(128 * 1024)
    try:
        t = threading.Thread(target=work)
        t.start()
    finally:
        threading.stack_size(old)
    t.join(timeout=300)
    assert not t.is_alive(), "the thread did not finish"
    assert not errors, errors
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert a.tobytes() == b.tobytes()
