"""numkit.gpu's exact Kronecker attention with a NumPy stand-in for CuPy (no GPU here).

``attention._device.device_attention`` is written against an array namespace; here it runs on
NumPy dressed as ``cupy`` (tests/gpu/standins.py), through the same dispatch as on a device, and
is checked against the CPU's exact kernel and the O(n^3) definition. On a device the same code
runs on cuBLAS GEMMs (tests/gpu/test_gpu.py).
"""

from __future__ import annotations

import sys

import numkit.gpu
import numpy as np
import pytest
from numkit.attention import kronecker_attention, kronecker_attention_naive

from .standins import DeviceArray, dev, numpy_as_cupy


@pytest.fixture(autouse=True)
def cupy_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cupy", numpy_as_cupy())


def inputs(b, nq, n1, n2, d, dv, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal(s).astype(dtype)
        for s in ((b, nq, d), (b, n1, d), (b, n2, d), (b, n1, dv), (b, n2, dv))
    ]


@pytest.mark.parametrize(
    ("kw", "sizes"),
    [
        ({}, (2, 37, 37, 37, 8, 5)),
        ({}, (1, 20, 30, 11, 4, 3)),  # cross attention: three lengths
        ({"mask": "causal"}, (2, 45, 45, 45, 6, 6)),
        ({"window": (7, 3)}, (1, 50, 50, 50, 5, 4)),
        ({"scale": 2.5, "mask": "causal"}, (1, 33, 40, 35, 3, 2)),
    ],
)
def test_device_attention_equals_the_cpu_kernel(kw, sizes, monkeypatch):
    from numkit.attention import _device

    monkeypatch.setattr(_device, "_BLOCK_ELEMENTS", 3000)  # several blocks of queries
    arrs = inputs(*sizes)
    want = kronecker_attention(*arrs, method="exact", **kw)
    for got in (
        kronecker_attention(*(dev(a) for a in arrs), **kw),
        numkit.gpu.kronecker_attention(*(dev(a) for a in arrs), **kw),
    ):
        assert isinstance(got, DeviceArray) and got.shape == want.shape
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(
        np.asarray(got), kronecker_attention_naive(*arrs, **kw), rtol=1e-12, atol=1e-13
    )


def test_device_attention_dtypes_broadcasting_and_large_logits():
    q, k1, k2, v1, v2 = inputs(1, 16, 16, 16, 4, 3, dtype=np.float32)
    got = numkit.gpu.kronecker_attention(*(dev(a) for a in (q, k1, k2, v1, v2)))
    assert got.dtype == np.float32
    want = kronecker_attention(q, k1, k2, v1, v2)
    np.testing.assert_allclose(np.asarray(got), want, rtol=2.5e-7, atol=1e-7)
    # batch dimensions broadcast; logits of size ~1e3 would overflow exp without the max shift
    q4 = np.broadcast_to(40 * q[0], (3, 2, 16, 4)).astype(np.float64)
    got = numkit.gpu.kronecker_attention(dev(q4), *(dev(a[0]) for a in (k1, k2, v1, v2)), scale=1.0)
    want = kronecker_attention(q4, k1[0], k2[0], v1[0], v2[0], scale=1.0)
    assert got.shape == (3, 2, 16, 3) and np.isfinite(np.asarray(got)).all()
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-11, atol=1e-12)


def test_device_attention_bad_input():
    arrs = [dev(a) for a in inputs(1, 8, 8, 8, 4, 4)]
    with pytest.raises(TypeError, match="mixed CPU and GPU"):
        kronecker_attention(np.asarray(arrs[0]).view(np.ndarray), *arrs[1:])
    with pytest.raises(TypeError, match="takes CuPy arrays"):
        numkit.gpu.kronecker_attention(*(np.asarray(a).view(np.ndarray) for a in arrs))
    with pytest.raises(ValueError, match="not window"):
        kronecker_attention(*arrs, method="poly", window=(3, 2))
    with pytest.raises(ValueError, match="no degree"):
        kronecker_attention(*(a * 30 for a in arrs), method="poly", atol=1e-12)
    bad = arrs[1].copy()
    bad[0, 2, 1] = np.nan
    with pytest.raises(ValueError, match="K1 contains non-finite"):
        kronecker_attention(arrs[0], bad, *arrs[2:])
    with pytest.raises(ValueError, match="K2 has d = 3"):
        kronecker_attention(arrs[0], arrs[1], dev(np.ones((1, 8, 3))), *arrs[3:])
    with pytest.raises(ValueError, match="window"):
        kronecker_attention(*arrs, window=(0, 2))
    with pytest.raises(ValueError, match="scale"):
        kronecker_attention(*arrs, scale=np.inf)


def test_device_attention_falls_back_to_the_exact_maximum_when_the_bound_is_loose():
    # The per-feature bound on the logits is 2e4, the largest logit 1e4: exp(s - bound)
    # underflows to 0 for every pair, and the block must be redone with the exact maximum.
    q = np.array([[[100.0, 100.0], [3.0, -1.0]]])
    k1 = np.array([[[10.0, 0.0], [0.0, 10.0], [1.0, 1.0]]])
    k2 = np.array([[[0.0, 10.0], [10.0, 0.0]]])
    v1 = np.array([[[1.0], [2.0], [3.0]]])
    v2 = np.array([[[5.0], [-1.0]]])
    want = kronecker_attention(q, k1, k2, v1, v2, scale=1.0)
    got = np.asarray(
        numkit.gpu.kronecker_attention(*(dev(a) for a in (q, k1, k2, v1, v2)), scale=1.0)
    )
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=1e-13)


@pytest.mark.parametrize("v", [1e-20, 1e-35, 1e-40, 1e-150])
def test_device_attention_keeps_tiny_values_when_the_bound_is_loose(v):
    # The bound overshoots the largest logit by ~570: Z ~ 1e-248 does not underflow, but the
    # weighted values Z V1 V2 did (V = 1e-40 gave 0 instead of 1e-80, V = 1e-35 lost 7 digits).
    # The reference: both logits are equal (570 and 570), so the answer is V1 V2 exactly.
    a = np.sqrt(570.0)
    k = np.array([[[a, 0.0], [0.0, a]]])
    q = np.array([[[1.0, -1.0]]])
    vv = np.full((1, 2, 1), v)
    got = np.asarray(
        numkit.gpu.kronecker_attention(*(dev(x) for x in (q, k, k, vv, vv)), scale=1.0)
    )
    np.testing.assert_allclose(got, [[[v * v]]], rtol=1e-13)
    assert kronecker_attention(q, k, k, vv, vv, scale=1.0)[0, 0, 0] == pytest.approx(
        v * v, rel=1e-13
    )


@pytest.mark.filterwarnings("ignore::numkit.attention.PolyAccuracyWarning")  # loose on purpose
@pytest.mark.parametrize(
    ("kw", "sizes"),
    [
        ({}, (2, 37, 30, 25, 3, 4)),
        ({"mask": "causal"}, (1, 45, 45, 45, 3, 2)),
        ({"degree": 5, "scale": 0.2}, (1, 20, 30, 11, 4, 3)),
        ({"atol": 1e-6}, (1, 30, 30, 30, 3, 3)),
    ],
)
def test_device_poly_equals_the_cpu_poly_and_meets_its_bound(kw, sizes):
    # The polynomial method's features and GEMMs in the device's array module: equal to the CPU
    # poly (same degree) and within the a-priori bound of the exact answer.
    from numkit.attention import poly_error_bound

    arrs = [0.5 * a for a in inputs(*sizes, seed=3)]
    want = kronecker_attention(*arrs, method="poly", **kw)
    got = kronecker_attention(*(dev(a) for a in arrs), method="poly", **kw)
    assert isinstance(got, DeviceArray) and got.shape == want.shape
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-13)
    exact = kronecker_attention_naive(
        *arrs, **{k: v for k, v in kw.items() if k in ("mask", "scale")}
    )
    bkw = {k: v for k, v in kw.items() if k in ("mask", "scale", "degree")}
    bound = poly_error_bound(*arrs, **bkw).bound if "atol" not in kw else kw["atol"]
    assert np.abs(np.asarray(got) - exact).max() <= bound
    f32 = kronecker_attention(*(dev(a.astype(np.float32)) for a in arrs), method="poly", **kw)
    assert f32.dtype == np.float32
    # float32 in: computed in float64 and rounded once, so within 2 float32 ulps of the float64
    # poly of the float32-rounded inputs.
    ref = kronecker_attention(*(a.astype(np.float32) for a in arrs), method="poly", **kw)
    want32 = kronecker_attention(
        *(a.astype(np.float32).astype(np.float64) for a in arrs), method="poly", **kw
    )
    np.testing.assert_array_equal(np.asarray(f32), ref)
    np.testing.assert_allclose(
        np.asarray(f32), want32, rtol=2 * np.finfo(np.float32).eps, atol=1e-30
    )


@pytest.mark.parametrize(
    ("kw", "sizes"),
    [
        ({}, (2, 23, 19, 17, 4, 3)),
        ({"mask": "causal"}, (1, 30, 30, 30, 3, 2)),
        ({"window": (5, 3), "scale": 0.7}, (1, 28, 28, 28, 3, 3)),
    ],
)
def test_device_grad_equals_the_cpu_grad(kw, sizes, monkeypatch):
    from numkit.attention import _device, kronecker_attention_grad

    monkeypatch.setattr(_device, "_BLOCK_ELEMENTS", 4000)  # several blocks of queries
    arrs = inputs(*sizes, seed=5)
    rng = np.random.default_rng(6)
    dout = rng.standard_normal((sizes[0], sizes[1], sizes[5]))
    want = kronecker_attention_grad(*arrs, dout, **kw)
    got = kronecker_attention_grad(*(dev(a) for a in arrs), dev(dout), **kw)
    for name, w, g in zip(("dQ", "dK1", "dK2", "dV1", "dV2"), want, got, strict=True):
        assert isinstance(g, DeviceArray) and g.shape == w.shape, name
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-10, atol=1e-12, err_msg=name)


def test_device_grad_of_broadcast_inputs_and_float32():
    from numkit.attention import kronecker_attention_grad

    arrs = inputs(3, 12, 10, 9, 3, 2, seed=8)
    arrs[1] = arrs[1][:1]  # K1 shared by the batch: its gradient sums over it
    dout = np.random.default_rng(9).standard_normal((3, 12, 2))
    want = kronecker_attention_grad(*arrs, dout)
    got = kronecker_attention_grad(*(dev(a) for a in arrs), dev(dout))
    assert got.dK1.shape == (1, 10, 3)
    for w, g in zip(want, got, strict=True):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-10, atol=1e-12)
    g32 = kronecker_attention_grad(
        *(dev(a.astype(np.float32)) for a in arrs), dev(dout.astype(np.float32))
    )
    assert all(g.dtype == np.float32 for g in g32)
    with pytest.raises(TypeError, match="mixed CPU and GPU"):
        kronecker_attention_grad(*(dev(a) for a in arrs), dout)
