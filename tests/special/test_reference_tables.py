"""Self-check of the mpmath reference tables (and of the generator make_reference.py).

Fast (a few seconds) and independent of numkit: it checks the tables' shape and contents,
recomputes a few rows with mpmath's own besseli/besselk, and compares both the tables and the
generator's functions with closed forms at v = 1/2 (DLMF 10.39.1, 10.38.6, 10.38.7).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from reference import DATA_DIR, abs_error, error_in_units, load, table_names

F64 = [
    "log_iv",
    "log_ive",
    "log_kv",
    "log_kve",
    "iv_ratio",
    "log_iv_dx",
    "log_kv_dx",
    "log_iv_dv",
    "log_kv_dv",
]
F32 = ["log_iv_f32", "log_ive_f32", "log_kv_f32", "log_kve_f32", "iv_ratio_f32"]
F32 += ["log_iv_dx_f32", "log_kv_dx_f32"]


def _generator():
    path = Path(__file__).resolve().parent / "make_reference.py"
    spec = importlib.util.spec_from_file_location("make_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _true(t, i):
    return mp.mpf(float(t["value_hi"][i])) + mp.mpf(float(t["value_lo"][i]))


def test_all_tables_present():
    assert set(F64 + F32) <= set(table_names()), sorted(DATA_DIR.glob("*"))


@pytest.mark.parametrize("name", F64 + F32)
def test_table_shape_and_values(name):
    t = load(name)
    n = t["v"].shape[0]
    assert n >= 30
    want = np.float32 if name.endswith("_f32") else np.float64
    for key in ("v", "x"):
        assert t[key].dtype == want and t[key].shape == (n,)
    for key in ("value_hi", "value_lo", "expect_nan", "method"):
        assert t[key].shape == (n,)
    assert np.all(t["x"] > 0) and np.all(np.isfinite(t["v"]))
    nan = t["expect_nan"]
    assert np.array_equal(np.isnan(t["value_hi"]), nan)
    assert np.all(np.isfinite(t["value_hi"][~nan])) and np.all(np.isfinite(t["value_lo"][~nan]))
    # lo is a genuine residual: below half an ulp of hi
    hi, lo = t["value_hi"][~nan], t["value_lo"][~nan]
    assert np.all(np.abs(lo) <= np.spacing(np.abs(hi)) / 2)
    if not name.startswith("log_iv") and not name.startswith("log_ive"):
        assert not nan.any()
    m = t["meta"]
    assert float(m["stability_max_rel_change_at_dps+40"]) < 1e-55, m
    assert float(m["cross_method_max_rel_diff"]) < 1e-50, m


def test_expected_nans_are_negative_noninteger_orders():
    t = load("log_iv")
    v = t["v"][t["expect_nan"]]
    assert v.size > 0 and np.all(v < 0) and np.all(v != np.round(v))


def test_issue_special_case_tiny_x():
    # v = 0, x = 1e-20: log I_0(x) = x^2/4 - x^4/64 + ... = 2.5e-41 to 40 digits
    t = load("log_iv")
    i = np.flatnonzero((t["v"] == 0) & (t["x"] == 1e-20))
    assert i.size == 1
    assert abs(_true(t, i[0]) - mp.mpf(1e-20) ** 2 / 4) < mp.mpf("1e-70")


def test_rows_against_mpmath_besseli_besselk():
    # a few rows where mpmath's own functions are fast and accurate
    with mp.workdps(40):
        for name, fn in (("log_iv", mp.besseli), ("log_kv", mp.besselk)):
            t = load(name)
            ok = (t["v"] >= 0) & (t["v"] <= 40) & (t["x"] >= 1e-3) & (t["x"] <= 40)
            for i in np.flatnonzero(ok)[:: max(1, ok.sum() // 3)][:3]:
                ref = mp.log(fn(float(t["v"][i]), float(t["x"][i])))
                assert abs(_true(t, i) - ref) <= mp.mpf("1e-30") * (abs(ref) + 1e-300), (name, i)


def _closed_forms(x):
    """Exact values at v = 1/2 (DLMF 10.39.1 and 10.38.6/7), x an mpf."""
    sinh = mp.sinh(x)
    e1 = mp.e1(2 * x)
    ei = mp.ei(2 * x)
    return {
        "log_iv": mp.log(mp.sqrt(2 / (mp.pi * x)) * sinh),
        "log_kv": mp.log(mp.pi / (2 * x)) / 2 - x,
        "iv_ratio": mp.tanh(x),  # I_{1/2}/I_{-1/2}
        "log_iv_dx": mp.coth(x) - 1 / (2 * x),
        "log_kv_dx": -1 - 1 / (2 * x),
        "log_kv_dv": e1 * mp.exp(2 * x),
        "log_iv_dv": -(e1 * mp.exp(x) + ei * mp.exp(-x)) / (2 * sinh),
    }


@pytest.mark.parametrize("name", ["log_iv", "log_kv", "iv_ratio", "log_iv_dx", "log_kv_dx"])
def test_table_rows_at_half_order_closed_form(name):
    t = load(name)
    rows = np.flatnonzero(t["v"] == 0.5)
    assert rows.size >= 3
    with mp.workdps(60):
        for i in rows:
            ref = _closed_forms(mp.mpf(float(t["x"][i])))[name]
            assert abs(_true(t, i) - ref) <= mp.mpf("1e-30") * abs(ref), (name, t["x"][i])


@pytest.mark.parametrize("name", ["log_iv_dv", "log_kv_dv"])
def test_dv_rows_at_half_order_closed_form(name):
    t = load(name)
    # x <= 1e6: Ei(2x) needs exp(2e8) otherwise; x >= 1e-6: E1 + Ei cancel to O(x) at tiny x
    rows = np.flatnonzero((t["v"] == 0.5) & (t["x"] <= 1e6) & (t["x"] >= 1e-6))
    assert rows.size >= 2
    with mp.workdps(90):
        for i in rows:
            ref = _closed_forms(mp.mpf(float(t["x"][i])))[name]
            assert abs(_true(t, i) - ref) <= mp.mpf("1e-30") * abs(ref), (name, t["x"][i])


def test_generator_against_closed_forms():
    gen = _generator()
    with mp.workdps(gen.DPS):
        for x in ("1e-300", "1e-3", "29.5", "150", "1e8"):
            x = mp.mpf(x)
            ref = _closed_forms(x) if x < 1e6 else None
            li, _ = gen.log_iv(0.5, x)
            lk, _ = gen.log_kv(0.5, x)
            exact_k = mp.log(mp.pi / (2 * x)) / 2 - x
            assert abs(lk - exact_k) <= mp.mpf("1e-60") * abs(exact_k)
            exact_i = mp.log(mp.sqrt(2 / (mp.pi * x)) * mp.sinh(x))
            assert abs(li - exact_i) <= mp.mpf("1e-60") * abs(exact_i)
            if ref is not None and x > 1e-200:
                assert abs(gen.iv_ratio(0.5, x) - ref["iv_ratio"]) <= 1e-60 * ref["iv_ratio"]


def test_error_helpers_resolve_below_one_ulp():
    hi = np.array([1.0, 2.5e-41])
    lo = np.array([1e-20, 0.0])
    computed = np.array([1.0, 2.5e-41 * (1 + 1e-15)])
    err = abs_error(computed, hi, lo)
    assert err[0] == 1e-20 and 0 < err[1] < 1e-55
    units = error_in_units(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), np.zeros(2))
    assert units[0] == 0 and units[1] == 0


def test_iv_ratio_rows_against_continued_fraction():
    # Independent of the log functions: I_v/I_{v-1} = 1/(2v/x + I_{v+1}/I_v), run backwards
    # (Gauss continued fraction, stable); the double-double storage limits agreement to ~1e-32.
    t = load("iv_ratio")
    rows = np.flatnonzero((t["x"] <= 50) & (t["v"] > 0) & (t["v"] <= 1e5))[::25][:8]
    assert rows.size >= 3
    with mp.workdps(50):
        for i in rows:
            v, x = mp.mpf(float(t["v"][i])), mp.mpf(float(t["x"][i]))
            r = mp.mpf(0)
            for k in range(int(8 * x) + 400, -1, -1):
                r = 1 / (2 * (v + k) / x + r)
            assert abs(_true(t, i) - r) <= mp.mpf("1e-30") * r, (t["v"][i], t["x"][i])
