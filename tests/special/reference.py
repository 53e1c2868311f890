"""Load the mpmath reference tables of numkit.special and measure errors against them.

The tables live in ``tests/special/data/<name>.npz`` and are made by ``make_reference.py``
(mpmath at 70 digits; never SciPy or numkit). Names::

    float64 inputs: log_iv log_ive log_kv log_kve iv_ratio log_iv_dx log_kv_dx log_iv_dv log_kv_dv
    float32 inputs: log_iv_f32 log_ive_f32 log_kv_f32 log_kve_f32 iv_ratio_f32 log_iv_dx_f32
                    log_kv_dx_f32

File format (``numpy.load`` of an ``.npz``, no pickles), one row per point:

``v``, ``x``
    The inputs, float64 (or float32 for ``*_f32``; those are the exact float32 inputs and the
    true value is at exactly those values). Call the ufunc with these arrays as they are.
``value_hi``, ``value_lo``
    The true value as a double-double: ``value_hi`` is the float64 nearest to it and
    ``value_lo`` the float64 nearest to ``true - value_hi``. Both NaN where ``expect_nan``.
``expect_nan``
    True where the function is undefined (log I_v(x) with I_v(x) < 0, negative non-integer v):
    the ufunc must return NaN there.
``method``, ``method_names``
    Which mpmath method gave the row (``method_names[method]``): debye, hankel, series,
    mp.besselk, connection, identity.
``meta``
    A JSON string: dps, generation time, per-method counts, and the self-checks
    (``stability_max_rel_change_at_dps+40``, ``cross_method_max_rel_diff``).

Typical test::

    t = load("log_iv")
    got = numkit.special.log_iv(t["v"], t["x"])
    assert_within(got, t, rtol=1e-14, atol=2e-16)           # float64 bar of issue 2
    t = load("log_iv_f32")
    got = numkit.special.log_iv(t["v"], t["x"])              # float32 in, float32 out
    assert_within_f32_ulps(got, t, ulps=4, atol=1e-7)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = [
    "DATA_DIR",
    "abs_error",
    "assert_within",
    "assert_within_f32_ulps",
    "error_in_units",
    "f32_ulp",
    "f32_ulp_error",
    "load",
    "max_rel_error",
    "meta",
    "rel_error",
    "table_names",
]


def table_names() -> list[str]:
    """Names of the tables present in ``data/`` (sorted)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.npz"))


def load(name: str) -> dict[str, np.ndarray]:
    """Load table ``name`` as a dict of arrays (keys as in the module docstring).

    ``meta`` is decoded into a dict under the key ``"meta"``.
    """
    path = DATA_DIR / f"{name}.npz"
    if not path.exists():
        raise FileNotFoundError(f"no reference table {name!r}; have {table_names()}")
    with np.load(path, allow_pickle=False) as z:
        out = {k: z[k] for k in z.files}
    out["meta"] = json.loads(str(out["meta"]))
    return out


def meta(name: str) -> dict:
    """The ``meta`` dict of table ``name``."""
    return load(name)["meta"]


def abs_error(computed, hi, lo) -> np.ndarray:
    """|computed - (hi + lo)| in float64, accurate below one ulp of hi.

    ``computed - hi`` is exact (Sterbenz) whenever computed is within a factor 2 of hi, so
    subtracting ``lo`` afterwards resolves errors much smaller than ulp(hi).
    """
    c = np.asarray(computed, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs((c - hi) - lo)


def rel_error(computed, hi, lo) -> np.ndarray:
    """|computed - true| / |true| (inf where the true value is 0 and computed is not)."""
    err = abs_error(computed, hi, lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = err / np.abs(hi)
    return np.where(err == 0, 0.0, r)


def max_rel_error(computed, hi, lo) -> float:
    """Largest relative error over rows with a finite true value (NaN rows ignored)."""
    ok = np.isfinite(hi)
    if not ok.any():
        return 0.0
    return float(np.max(rel_error(np.asarray(computed)[ok], hi[ok], lo[ok])))


def error_in_units(computed, hi, lo, rtol: float = 1e-14, atol: float = 2e-16) -> np.ndarray:
    """|computed - true| / (rtol |true| + atol): <= 1 means the row meets the bar.

    The defaults are the float64 bar of issue 2 (1e-14 relative + 2e-16 absolute). Rows where
    the true value is NaN give 0 if computed is NaN too and inf otherwise.
    """
    c = np.asarray(computed, dtype=np.float64)
    err = abs_error(c, hi, lo)
    units = err / (rtol * np.abs(hi) + atol)
    nan_true = np.isnan(hi)
    units = np.where(nan_true, np.where(np.isnan(c), 0.0, np.inf), units)
    return np.where(np.isnan(units), np.inf, units)  # computed NaN where true is finite


def f32_ulp(value) -> np.ndarray:
    """One float32 ulp at |value| (spacing of float32 at the value rounded to float32)."""
    v = np.abs(np.asarray(value, dtype=np.float64)).astype(np.float32)
    return np.spacing(v).astype(np.float64)


def f32_ulp_error(computed, hi, lo, atol: float = 1e-7) -> np.ndarray:
    """|computed - true| / (ulp_f32(true) + atol / 4): <= 4 means "4 float32 ulp + 1e-7".

    Concretely, the float32 bar of issue 2 is |error| <= 4 ulp_f32(true) + 1e-7, which is the
    same as ``f32_ulp_error(...) <= 4`` with the default atol.
    """
    c = np.asarray(computed, dtype=np.float64)
    err = abs_error(c, hi, lo)
    units = err / (f32_ulp(hi) + atol / 4)
    nan_true = np.isnan(hi)
    units = np.where(nan_true, np.where(np.isnan(c), 0.0, np.inf), units)
    return np.where(np.isnan(units), np.inf, units)


def _report(units, table, bound, what):
    bad = np.flatnonzero(~(units <= bound))
    if bad.size:
        i = bad[np.argmax(np.where(np.isfinite(units[bad]), units[bad], np.inf))]
        raise AssertionError(
            f"{bad.size} of {units.size} rows exceed {what} (worst {units[i]:.3g}x at "
            f"v={table['v'][i]!r}, x={table['x'][i]!r}, true={table['value_hi'][i]!r})"
        )


def assert_within(computed, table, rtol: float = 1e-14, atol: float = 2e-16) -> None:
    """Assert |computed - true| <= rtol |true| + atol on every row (NaN rows must be NaN)."""
    units = error_in_units(computed, table["value_hi"], table["value_lo"], rtol, atol)
    _report(units, table, 1.0, f"rtol={rtol:g}, atol={atol:g}")


def assert_within_f32_ulps(computed, table, ulps: float = 4, atol: float = 1e-7) -> None:
    """Assert |computed - true| <= ulps * ulp_f32(true) + atol on every row."""
    hi = table["value_hi"]
    c = np.asarray(computed, dtype=np.float64)
    err = abs_error(c, hi, table["value_lo"])
    with np.errstate(invalid="ignore", divide="ignore"):
        units = err / (ulps * f32_ulp(hi) + atol)
    nan_true = np.isnan(hi)
    units = np.where(nan_true, np.where(np.isnan(c), 0.0, np.inf), units)
    units = np.where(np.isnan(units), np.inf, units)
    _report(units, table, 1.0, f"{ulps:g} float32 ulp + {atol:g}")
