"""Every numkit.special function is a genuine NumPy ufunc with the same behaviour contract.

The sweep runs over all nine names in ``numkit.special.__all__``: ufunc type and loops, NaN in ->
NaN out without a warning, float32 stays float32, empty arrays, ``out=``/``where=``, broadcasting,
``dtype=``, pickling, dask (lazy in, lazy out, same values), bad input raises TypeError, and
x < 0 raises FloatingPointError under ``np.errstate(invalid="raise")``.
"""

from __future__ import annotations

import pickle
import warnings

import numkit.special as sp
import numpy as np
import pytest

NAMES = sorted(sp.__all__)
UFUNCS = [getattr(sp, n) for n in NAMES]
EXPECTED = {
    "iv_ratio",
    "log_iv",
    "log_iv_dv",
    "log_iv_dx",
    "log_ive",
    "log_kv",
    "log_kv_dv",
    "log_kv_dx",
    "log_kve",
}
# Points inside every function's domain (v >= 0, x > 0), covering several regimes.
V = np.array([0.0, 0.5, 1.0, 2.5, 10.0, 40.0, 300.0])
X = np.array([0.3, 1.0, 2.0, 7.5, 25.0, 60.0, 500.0])


def test_all_names_present() -> None:
    assert set(NAMES) == EXPECTED


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_genuine_ufunc(f: np.ufunc) -> None:
    assert isinstance(f, np.ufunc)
    assert f.nin == 2 and f.nout == 1
    assert f.types == ["ff->f", "dd->d"]
    assert f.__name__ in EXPECTED
    assert f.__doc__ and "Parameters" in f.__doc__ and "Returns" in f.__doc__


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_nan_in_nan_out_silently(f: np.ufunc) -> None:
    v = np.array([np.nan, 1.0, np.nan, 0.5] * 70)  # > one block of 256
    x = np.array([1.0, np.nan, np.nan, 2.0] * 70)
    for dt in (np.float32, np.float64):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="raise"):
                r = f(v.astype(dt), x.astype(dt))
        assert r.dtype == dt
        assert np.all(np.isnan(r[:3])) and np.all(np.isnan(r[::4])) and np.all(np.isnan(r[1::4]))
        assert np.all(np.isfinite(r[3::4]))


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_float32_stays_float32_and_agrees(f: np.ufunc) -> None:
    r32 = f(V.astype(np.float32), X.astype(np.float32))
    assert r32.dtype == np.float32
    r64 = f(V.astype(np.float32).astype(np.float64), X.astype(np.float32).astype(np.float64))
    # float32 kernels evaluate in double and round once: within half an ulp of float32.
    np.testing.assert_allclose(r32, r64.astype(np.float32), rtol=1.2e-7, atol=1e-30)
    assert f(np.float32(2.0), np.float32(3.0)).dtype == np.float32
    assert f(2.0, 3.0).dtype == np.float64


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_empty_and_shapes(f: np.ufunc) -> None:
    for dt in (np.float32, np.float64):
        e = f(np.empty(0, dt), np.empty(0, dt))
        assert e.shape == (0,) and e.dtype == dt
    assert f(np.empty((3, 0)), 1.0).shape == (3, 0)
    # broadcasting (3,1) x (1,7) -> (3,7), equal to the explicit loop
    vv, xx = V[:3, None], X[None, :]
    b = f(vv, xx)
    assert b.shape == (3, 7)
    np.testing.assert_array_equal(b[1], f(np.full(7, V[1]), X))


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_out_where_dtype(f: np.ufunc) -> None:
    ref = f(V, X)
    out = np.full(V.shape, -7.0)
    r = f(V, X, out=out)
    assert r is out
    np.testing.assert_array_equal(out, ref)
    out = np.full(V.shape, -7.0)
    mask = np.arange(V.size) % 2 == 0
    f(V, X, out=out, where=mask)
    np.testing.assert_array_equal(out[mask], ref[mask])
    assert np.all(out[~mask] == -7.0)
    r = f(V, X, dtype=np.float32)
    assert r.dtype == np.float32
    np.testing.assert_allclose(r, ref.astype(np.float32), rtol=1e-6)
    # strided, non-contiguous and aliased operands take the staging path: same values
    big_v = np.repeat(V, 2)[::2]
    np.testing.assert_array_equal(f(big_v, X), ref)
    xa = X.copy()
    f(V, xa, out=xa)
    np.testing.assert_array_equal(xa, ref)


def _layouts(a: np.ndarray) -> dict[str, np.ndarray]:
    """The values of a in each memory layout a ufunc loop can be handed."""
    return {
        "contiguous": a.copy(),
        "strided": np.repeat(a, 3)[::3],
        "reversed": a[::-1].copy()[::-1],
        "misaligned": np.frombuffer(b"\0" + a.tobytes(), dtype=a.dtype, offset=1),
    }


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_every_operand_route_gives_the_same_bits(f: np.ufunc) -> None:
    # Block loops read contiguous operands in place and stage the others: each input layout, a
    # broadcast input, and strided / aliased outputs over several chunks (5000 = 2048 + 2048 + 904
    # elements) must give exactly the contiguous result.
    rng = np.random.default_rng(5)
    n = 5000
    v = 10.0 ** rng.uniform(-1, 3, n)
    x = 10.0 ** rng.uniform(-3, 3, n)
    with np.errstate(all="ignore"):
        ref = f(v, x)
        for lv, vv in _layouts(v).items():
            for lx, xx in _layouts(x).items():
                np.testing.assert_array_equal(f(vv, xx), ref, err_msg=f"v {lv}, x {lx}")
        np.testing.assert_array_equal(f(v[7], x), f(np.full(n, v[7]), x))
        np.testing.assert_array_equal(f(v, x[7]), f(v, np.full(n, x[7])))
        out = np.full(2 * n, -7.0)
        f(v, x, out=out[::2])
        np.testing.assert_array_equal(out[::2], ref)
        assert np.all(out[1::2] == -7.0)
        for which in (0, 1):  # out= the first or the second input
            ops = [v.copy(), x.copy()]
            f(*ops, out=ops[which])
            np.testing.assert_array_equal(ops[which], ref)


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_pickle_round_trip(f: np.ufunc) -> None:
    assert pickle.loads(pickle.dumps(f)) is f


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_dask_stays_lazy(f: np.ufunc) -> None:
    da = pytest.importorskip("dask.array")
    v = da.from_array(np.tile(V, 4), chunks=7)
    x = da.from_array(np.tile(X, 4), chunks=7)
    r = f(v, x)
    assert isinstance(r, da.Array)
    np.testing.assert_array_equal(r.compute(), f(np.tile(V, 4), np.tile(X, 4)))


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_bad_input_raises_type_error(f: np.ufunc) -> None:
    with pytest.raises(TypeError):
        f("a", 1.0)
    with pytest.raises(TypeError):
        f(1.0, np.array([1 + 2j]))
    with pytest.raises(TypeError):
        f(np.array(["x"]), np.array([1.0]))
    with pytest.raises(TypeError):
        f(1.0, None)


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_negative_x_is_invalid(f: np.ufunc) -> None:
    for dt in (np.float32, np.float64):
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
            f(dt(1.0), dt(-1.0))
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
            f(np.full(300, 1.0, dt), np.full(300, -2.0, dt))  # block path too
        with np.errstate(invalid="ignore"):
            assert np.isnan(f(dt(1.0), dt(-1.0)))


@pytest.mark.parametrize("f", UFUNCS, ids=NAMES)
def test_integer_inputs_are_cast(f: np.ufunc) -> None:
    # Integer arrays are accepted through NumPy's safe casting to float64.
    np.testing.assert_array_equal(f(np.array([1, 2]), np.array([3, 4])), f([1.0, 2.0], [3.0, 4.0]))
