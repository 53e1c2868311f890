"""Fuzz suite of the numkit.special ufuncs and the two vMF normalizer ufuncs (issue 9).

Three parts, each bounded in run time (hypothesis ``max_examples``, ``derandomize=True`` so CI
runs the same cases; a watchdog dumps the stacks and fails the run if one test hangs):

* values: arrays drawn from NaN, +-inf, +-0, subnormals, the largest doubles and ordinary numbers,
  in float32 and float64, 0-d to 2-d, empty and broadcast shapes. Documented behaviour only: no
  exception; float32 in both operands stays float32; NaN in gives NaN out; every element equals
  the same ufunc on that element alone (the block kernels' chunking cannot change a value).
* layouts and types: strided, reversed, broadcast, Fortran-ordered, unaligned, ``out=`` aliased to
  an input and ``where=`` give exactly the values of the contiguous call; integer, bool and
  float16 inputs are cast (equal to the float call); complex, string, object and datetime inputs
  raise TypeError naming the ufunc (NumPy's "not supported for the input types").
* accuracy: a random sample of (v, x) points per function (seeded: ``NUMKIT_FUZZ_SEED``, default
  fixed; the seed is in every failure message), with both ends of the double range, against the
  mpmath oracle of ``oracle.py``, at the documented bars (module docstring of numkit.special).
"""

from __future__ import annotations

import faulthandler
import math
import os

import mpmath as mp
import numkit.special as sp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numkit.stats import vmf_log_normalizer, vmf_log_normalizer_e
from oracle import true_value

SPECIAL = sorted(sp.__all__)
UFUNCS = {n: getattr(sp, n) for n in SPECIAL}
UFUNCS["vmf_log_normalizer"] = vmf_log_normalizer
UFUNCS["vmf_log_normalizer_e"] = vmf_log_normalizer_e
NAMES = sorted(UFUNCS)
DMAX = float(np.finfo(np.float64).max)
SEED = int(os.environ.get("NUMKIT_FUZZ_SEED", "20261201"))

EDGES = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308]
EDGES += [1e-300, 1e-30, 0.5, 1.0, 2.0, 15.999999999999998, 16.0, 20.0, 25.0, 30.5, 1e3, 1e5]
EDGES += [1.3e6, 1e150, 1e154, 1e300, 1e308, DMAX, -1.0, -2.5, -DMAX, 3.4028234663852886e38]
ELEMENTS = st.one_of(st.sampled_from(EDGES), st.floats(allow_nan=True, allow_infinity=True))
FUZZ = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def _watchdog():
    # no hang: a test that runs past 120 s dumps every thread's stack and ends the run
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bitwise-equal values (NaN equals NaN, -0.0 differs from 0.0)."""
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@st.composite
def operands(draw):
    shapes, _ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=9))
    dts = draw(
        st.sampled_from(
            [(np.float64, np.float64), (np.float32, np.float32), (np.float32, np.float64)]
        )
    )
    out = []
    for shape, dt in zip(shapes, dts):
        a = draw(hnp.arrays(np.float64, shape, elements=ELEMENTS))
        with np.errstate(all="ignore"):
            out.append(a.astype(dt))
    return out


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(ops=operands())
def test_values(name, ops):
    f = UFUNCS[name]
    v, x = ops
    with np.errstate(all="ignore"):
        r = f(v, x)
        single = [f(a, b) for a, b in zip(*np.broadcast_arrays(v, x))] if r.ndim == 1 else None
    both32 = v.dtype == np.float32 and x.dtype == np.float32
    assert r.dtype == (np.float32 if both32 else np.float64)
    assert r.shape == np.broadcast_shapes(v.shape, x.shape)
    nan_in = np.isnan(v) | np.isnan(x)
    assert np.all(np.isnan(r[nan_in])), "NaN in must give NaN out"
    if single is not None:
        assert _same(r, np.array(single, dtype=r.dtype)), "an element depends on its neighbours"


def _grid(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points over every magnitude (both signs of v, the edges), for the layout tests."""
    v = 10.0 ** rng.uniform(-320, 308, n)
    x = 10.0 ** rng.uniform(-320, 308, n)
    v[: n // 3] = 10.0 ** rng.uniform(-3, 5, n // 3)
    x[: n // 3] = 10.0 ** rng.uniform(-3, 8, n // 3)
    v[rng.random(n) < 0.2] *= -1
    pick = rng.random(n) < 0.1
    v[pick] = rng.choice(np.array(EDGES), int(pick.sum()))
    pick = rng.random(n) < 0.1
    x[pick] = rng.choice(np.array(EDGES), int(pick.sum()))
    v[rng.random(n) < 0.05] = 4.0  # p >= 2 for the vMF ufuncs
    return v, x


@pytest.mark.parametrize("name", NAMES)
def test_layouts_give_the_contiguous_values(name):
    f = UFUNCS[name]
    rng = np.random.default_rng(SEED)
    n = 5000  # more than two chunks of the block kernels
    v, x = _grid(rng, 2 * n)
    with np.errstate(all="ignore"):
        ref = f(v[::2].copy(), x[::2].copy())
        assert _same(f(v[::2], x[::2]), ref)  # strided
        m = 2 * n - 2
        assert _same(f(v[m::-2], x[m::-2]), ref[::-1])  # negative strides
        assert _same(f(0.5, x[::2]), f(np.full(n, 0.5), x[::2].copy()))  # broadcast scalar
        assert _same(f(v[::2], 7.0), f(v[::2].copy(), np.full(n, 7.0)))
        assert _same(f(v[::2], x[::2].copy()), ref)  # one strided operand
        cols = np.ascontiguousarray(v[: 2 * n].reshape(-1, 10))  # columns: 80-byte steps
        assert _same(f(cols[:, 3], cols[:, 7]), f(cols[:, 3].copy(), cols[:, 7].copy()))
        out = np.empty(2 * n)[::2]  # a strided output (staged)
        f(v[::2], x[::2], out=out)
        assert _same(out, ref)
        # a strided chunk of one regime (smooth inputs) runs without the regime gathers
        vs, xs = np.full(2 * n, 3.0), np.linspace(0.1, 1.0, 2 * n)
        assert _same(f(vs[::2], xs[::2]), f(vs[::2].copy(), xs[::2].copy()))
        m2 = np.asfortranarray(v[: 2 * n].reshape(100, -1))
        assert _same(f(m2, m2), f(m2.copy(order="C"), m2.copy(order="C")))  # Fortran order
        buf = np.zeros(n * 8 + 1, dtype=np.uint8)
        un = np.frombuffer(buf.data, dtype=np.float64, count=n, offset=1)  # unaligned
        un[...] = x[::2]
        assert _same(f(v[::2].copy(), un), ref)
        alias = x[::2].copy()
        f(v[::2].copy(), alias, out=alias)  # out= is an input
        assert _same(alias, ref)
        mask = rng.random(n) < 0.5
        out = np.full(n, -7.0)
        f(v[::2], x[::2], out=out, where=mask)
        assert _same(out[mask], ref[mask]) and np.all(out[~mask] == -7.0)


@pytest.mark.parametrize("name", NAMES)
def test_input_types(name):
    f = UFUNCS[name]
    vi, xi = np.array([0, 1, 3, 4, 40]), np.array([0, 1, 2, 7, 100])
    with np.errstate(all="ignore"):
        # integers, bool and float16 take the first loop they cast to safely (float32 for small
        # types, float64 for 32/64-bit integers): the same values as that float call
        for dt in (bool, np.int8, np.int32, np.int64, np.uint16, np.uint64, np.float16):
            ft = np.result_type(dt, np.float32)
            ref = f(vi.astype(dt).astype(ft), xi.astype(dt).astype(ft))
            assert _same(f(vi.astype(dt), xi.astype(dt)), ref), dt
        ref = f(vi.astype(np.float64), xi.astype(np.float64))
        assert _same(f(list(vi), list(xi)), ref)  # lists are arrays
        assert f(np.empty(0), np.empty(0)).shape == (0,)
        assert f(np.empty((0, 3), np.float32), np.float32(1)).dtype == np.float32
    bad = [
        np.array([1 + 2j]),
        np.array(["1.0"]),
        np.array([1.0], dtype=object),
        np.array(["2020-01-01"], dtype="datetime64[D]"),
    ]
    for b in bad:
        with pytest.raises(TypeError, match=name):
            f(b, 1.0)
        with pytest.raises(TypeError, match=name):
            f(1.0, b)


# ---------------------------------------------------------------------------------------------
# Accuracy against mpmath on a random sample

EPS = 2.220446049250313e-16
LOGS = {"log_iv", "log_ive", "log_kv", "log_kve"}
N_POINTS = {n: (16 if n.endswith("_dv") else 30) for n in SPECIAL}  # 238 points per run


def _sample(name: str, rng: np.random.Generator) -> list[tuple[float, float]]:
    """Points over the whole double range, a third of them at its ends."""
    n = N_POINTS[name]
    v_hi = 1e5 if name.endswith("_dv") else DMAX  # (oracle cost; the ends come below)
    pts = []
    for _ in range(n):
        u = rng.random()
        if u < 0.4:  # the documented core, where most use is
            v, x = 10 ** rng.uniform(-3, 5), 10 ** rng.uniform(-5, 8)
        elif u < 0.7:  # anywhere
            v, x = 10 ** rng.uniform(-20, math.log10(v_hi)), 10 ** rng.uniform(-320, 308)
        else:  # the ends: tiny or huge in one or both
            lo = [5e-324, 1e-310, 1e-300, 10 ** rng.uniform(-323, -290)]
            hi = [DMAX, 1e308, 10 ** rng.uniform(290, 308.25)]
            v = float(rng.choice([*hi, 10 ** rng.uniform(-3, 5), 0.0]))
            x = float(rng.choice([*lo, *hi, 10 ** rng.uniform(-3, 8)]))
        v = min(float(v), DMAX)
        x = min(float(x), DMAX)
        if name.endswith("_dv") and (x < 1e-250 or x > 1e250) and v < 1e-3:
            v = 10 ** rng.uniform(-3, 5)  # (mpmath's second derivative there takes minutes)
        if name in ("log_iv", "log_ive") and rng.random() < 0.25:
            v = -v  # negative orders of I (connection formula); K is even
        pts.append((v, x))
    return pts


def _overflows(t: mp.mpf) -> bool:
    """|t| rounds to inf in float64 (compared at t's own precision, not mpmath's default 15
    digits, where abs(t) itself would round DBL_MAX - 356 up to DBL_MAX)."""
    with mp.workdps(2000):
        return abs(t) >= mp.mpf(DMAX) + mp.mpf(2) ** 970  # half an ulp above DBL_MAX


def _bar(name: str, v: float, x: float, true: float) -> float:
    """The documented error bar at this point."""
    if name in LOGS:
        # 1e-14 relative, and near a zero of the log the conditioning of double arithmetic:
        # 2 eps (sqrt(v^2 + x^2) + v asinh(v/x)) (numkit.special docstring), here 4 eps.
        a, b = abs(v), x
        asinh = math.asinh(a / b) if a / 1e150 < b else math.log(2.0) + math.log(a) - math.log(b)
        # (4 eps applied before the products: s itself can overflow at the top of the range)
        cond = 8 * EPS * math.hypot(a / 2, b / 2) + (4 * EPS * a) * asinh
        return 1e-14 * abs(true) + cond + 2e-16
    if name.endswith("_dv"):
        return 1e-10 * abs(true) + 1e-300
    return 1e-13 * abs(true) + 1e-300


@pytest.mark.parametrize("name", SPECIAL)
def test_agrees_with_mpmath_on_a_random_sample(name):
    rng = np.random.default_rng([SEED, SPECIAL.index(name)])
    bad = []
    for v, x in _sample(name, rng):
        with np.errstate(all="ignore"):
            got = float(UFUNCS[name](np.float64(v), np.float64(x)))
            blk = float(UFUNCS[name](np.full(3, v), np.full(3, x))[1])
        if not _same(np.float64(got), np.float64(blk)):
            bad.append(f"({v!r}, {x!r}): scalar {got!r} != block {blk!r}")
            continue
        t = true_value(name, v, x)
        if mp.isnan(t):
            ok = math.isnan(got)
        elif _overflows(t):
            ok = got == math.copysign(math.inf, float(t))
        else:
            tf = float(t)
            ok = abs(got - tf) <= _bar(name, v, x, tf)
        if not ok:
            bad.append(f"({v!r}, {x!r}): got {got!r}, true {mp.nstr(t, 17)}")
    assert not bad, f"seed {SEED}: {len(bad)} of {N_POINTS[name]} points off:\n" + "\n".join(bad)
