"""numkit.special section of ``python -m numkit demo``: where SciPy gives up, and how fast.

Prints log I_v(x) and log K_v(x) at arguments where ``np.log(scipy.special.iv/kv)`` returns
-inf, inf or 0, next to numkit's value and the true value (mpmath, 40 digits, precomputed and
stored here so the demo needs no mpmath), then the speed ratio against SciPy on 1e6 elements.
"""

from __future__ import annotations

import time

import numpy as np

from numkit.special import iv_ratio, log_iv, log_kv

# (function, v, x, true value): mpmath at 40 digits, precomputed (the demo needs no mpmath).
_ROWS: tuple[tuple[str, float, float, float], ...] = (
    ("log I", 0.5, 1e3, 995.6271838273043),
    ("log I", 0.5, 1e6, 999992.1733061878),
    ("log I", 0.0, 1e-20, 2.5e-41),
    ("log I", 400.0, 1.0, -2277.7589467663065),
    ("log I", 1e4, 10.0, -66014.54621272364),
    ("log I", 1e5, 1e-300, -70198166.72977649),
    ("log K", 0.5, 1e3, -1003.2280862868463),
    ("log K", 0.5, 1e6, -1000006.6819639263),
    ("log K", 400.0, 1.0, 2271.0743319136286),
    ("log K", 1e4, 1e-10, 319289.00545426586),
)


def run() -> None:
    """Print the table and the speed ratio (a few seconds at most)."""
    import scipy.special as sc

    print("log I_v(x) and log K_v(x) where SciPy's iv/kv overflow or underflow")
    print(
        f"  {'':5} {'v':>7} {'x':>7}  {'np.log(scipy)':>13}  {'numkit':>24}  "
        f"{'true (mpmath)':>24}  rel.err"
    )
    with np.errstate(all="ignore"):
        for label, v, x, truth in _ROWS:
            if label == "log I":
                peer, ours = np.log(sc.iv(v, x)), log_iv(v, x)
            else:
                peer, ours = np.log(sc.kv(v, x)), log_kv(v, x)
            err = abs(ours - truth) / abs(truth)
            print(
                f"  {label:5} {v:7.4g} {x:7.3g}  {peer:13.6g}  {ours:24.17g}  "
                f"{truth:24.17g}  {err:7.1e}"
            )
    print(
        "  iv_ratio(1e5, 1e8) =",
        repr(float(iv_ratio(1e5, 1e8))),
        " (SciPy ive(v,x)/ive(v-1,x):",
        repr(float(sc.ive(1e5, 1e8) / sc.ive(1e5 - 1, 1e8))) + ")",
    )

    rng = np.random.default_rng(0)
    n = 1_000_000
    v = 10 ** rng.uniform(-1, 4, n)
    x = 10 ** rng.uniform(-6, 5, n)

    def best(fn) -> float:
        t = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
        return min(t)

    with np.errstate(all="ignore"):
        t_peer = best(lambda: np.log(sc.ive(v, x)) + x)
        t_ours = best(lambda: log_iv(v, x))
    print("speed, 1e6 elements, v ~ logU[0.1,1e4], x ~ logU[1e-6,1e5] (one thread):")
    print(f"  np.log(scipy.special.ive(v, x)) + x  {t_peer * 1e9 / n:7.1f} ns/element")
    print(
        f"  numkit.special.log_iv(v, x)          {t_ours * 1e9 / n:7.1f} ns/element"
        f"   x{t_peer / t_ours:.1f}"
    )
