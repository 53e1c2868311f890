"""numkit.gpu's dispatch (shapes, strides, dtypes, out=, overlap) with a NumPy stand-in for CuPy.

No GPU and no CuPy here: a fake ``cupy`` module whose arrays are NumPy arrays and whose
RawModule "kernels" run the CPU ufunc over exactly the memory the real kernel would read
(``a[i * sa]`` from the operand's first element, ``out[i]`` for i < n). This checks the Python
side that prepares every launch -- which operands are passed in place with which stride, which
are copied, how out= and overlapping memory are handled -- against the CPU ufunc on the same
inputs. The CUDA kernels themselves are checked by tests/gpu/test_gpu.py on a device.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import numkit.gpu
import numkit.special
import numpy as np
import pytest
from numkit import _gpu
from numkit._core import stats as cpu_stats
from numpy.lib.stride_tricks import as_strided

from .standins import DeviceArray, add_device

FakeArray = DeviceArray  # (this file's name for the stand-in array)


def dev(a: Any, dtype: Any = None) -> FakeArray:
    return np.asarray(a, dtype=dtype).view(FakeArray)


launches: list[dict[str, Any]] = []


class FakeKernel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, grid: tuple[int], block: tuple[int], args: tuple[Any, ...]) -> None:
        pa, sa, pb, sb, out, n = args
        assert block == (_gpu.BLOCK,) and grid[0] >= 1
        assert out.flags.c_contiguous and out.size == int(n)
        func = self.name[len("numkit_") : -len("_f64")]
        dtype = np.float32 if self.name.endswith("_f32") else np.float64
        assert pa.dtype == pb.dtype == out.dtype == dtype

        def read(p: np.ndarray, s: Any) -> np.ndarray:
            return as_strided(p, shape=(int(n),), strides=(int(s) * p.itemsize,))

        ufunc = getattr(cpu_stats if func.startswith("vmf_") else numkit.special, func)
        a, b = np.array(read(pa, sa)), np.array(read(pb, sb))
        launches.append({"name": self.name, "sa": int(sa), "sb": int(sb), "pa": pa, "pb": pb})
        with np.errstate(all="ignore"):
            out.reshape(-1)[...] = ufunc(a, b)


class FakeModule:
    def __init__(self, code: str, options: tuple[str, ...]) -> None:
        assert "NUMKIT_CUDA_BINARY(" in code and options == _gpu.compile_options()

    def get_function(self, name: str) -> FakeKernel:
        return FakeKernel(name)


def fake_cupy() -> types.ModuleType:
    cp = types.ModuleType("cupy")
    cp.ndarray = FakeArray  # type: ignore[attr-defined]
    cp.float64, cp.float32 = np.float64, np.float32  # type: ignore[attr-defined]
    cp.full = lambda shape, v, dtype: dev(np.full(shape, v, dtype))  # type: ignore[attr-defined]
    cp.empty = lambda shape, dtype: dev(np.empty(shape, dtype))  # type: ignore[attr-defined]
    cp.ascontiguousarray = lambda a: dev(np.ascontiguousarray(a))  # type: ignore[attr-defined]
    cp.broadcast_to = lambda a, s: np.broadcast_to(a, s).view(FakeArray)  # type: ignore[attr-defined]
    cp.may_share_memory = np.may_share_memory  # type: ignore[attr-defined]
    cp.RawModule = FakeModule  # type: ignore[attr-defined]
    add_device(cp)
    return cp


@pytest.fixture(autouse=True)
def cupy_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy())
    monkeypatch.setattr(_gpu, "_MODULES", {})
    monkeypatch.setattr(_gpu, "_SM_COUNT", {})  # a real device's count must not leak in
    launches.clear()


def test_every_function_runs_its_own_kernel_per_dtype() -> None:
    x = np.linspace(0.5, 40.0, 7)
    for name in _gpu.kernel_names():
        a = np.full(7, 3.0)
        for dtype, suffix in ((np.float64, "f64"), (np.float32, "f32")):
            got = getattr(numkit.gpu, name)(dev(a, dtype), dev(x, dtype))
            assert isinstance(got, FakeArray) and got.dtype == dtype
            assert launches[-1]["name"] == f"numkit_{name}_{suffix}"
            ufunc = getattr(cpu_stats if name.startswith("vmf_") else numkit.special, name)
            np.testing.assert_array_equal(got, ufunc(a.astype(dtype), x.astype(dtype)))


def test_contiguous_operands_are_passed_in_place_scalars_with_stride_0() -> None:
    x = dev(np.linspace(0.1, 9.0, 12).reshape(3, 4))
    numkit.gpu.log_iv(2.5, x)
    launch = launches[-1]
    assert launch["pb"] is x and launch["sb"] == 1  # no copy of the data
    assert launch["sa"] == 0 and launch["pa"].size == 1


def test_strided_1d_views_are_read_in_place_with_their_stride() -> None:
    x = dev(np.linspace(0.1, 9.0, 20))
    view = x[::-3]
    got = numkit.gpu.log_kv(1.5, view)
    assert launches[-1]["pb"] is view and launches[-1]["sb"] == -3
    np.testing.assert_array_equal(got, numkit.special.log_kv(1.5, np.asarray(view)))


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((), (5,)), ((5,), ()), ((4, 1), (1, 5)), ((1, 5), (4, 5)), ((4, 5), (5,)), ((1,), (3, 1))],
)
def test_broadcasting_matches_the_cpu_ufunc(sa: tuple[int, ...], sb: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 5, sa)
    b = rng.uniform(0.1, 20, sb)
    got = numkit.gpu.log_iv(dev(a), dev(b))
    ref = numkit.special.log_iv(a, b)
    assert got.shape == ref.shape
    np.testing.assert_array_equal(got, ref)


def test_non_contiguous_2d_operand_and_zero_d_and_empty() -> None:
    x = np.linspace(0.1, 9.0, 12).reshape(3, 4)
    np.testing.assert_array_equal(numkit.gpu.log_iv(0.5, dev(x).T), numkit.special.log_iv(0.5, x.T))
    zero_d = numkit.gpu.iv_ratio(dev(2.0), dev(3.0))
    assert zero_d.shape == () and float(zero_d) == float(numkit.special.iv_ratio(2.0, 3.0))
    launches.clear()
    assert numkit.gpu.log_iv(dev(np.ones(0)), 1.0).shape == (0,)
    assert not launches  # nothing to launch for no elements


def test_dtypes_follow_the_cpu_ufunc() -> None:
    f32 = dev(np.linspace(1, 2, 4), np.float32)
    i64 = dev(np.arange(1, 5))
    assert numkit.gpu.log_iv(2.0, f32).dtype == np.float32  # a Python float is weak (NEP 50)
    assert numkit.gpu.log_iv(np.float64(2.0), f32).dtype == np.float64  # a NumPy scalar is not
    assert numkit.gpu.log_iv(i64, i64).dtype == np.float64
    assert numkit.gpu.log_iv(f32, dev(np.ones(4))).dtype == np.float64
    assert numkit.gpu.log_iv(True, f32).dtype == np.float32
    with pytest.raises(TypeError, match="no float32/float64 loop"):
        numkit.gpu.log_iv(1j, f32)


def test_out_in_place_strided_and_overlapping() -> None:
    x = np.linspace(0.5, 5.0, 16)
    out = dev(np.empty(16))
    assert numkit.gpu.log_kve(1.0, dev(x), out=out) is out
    np.testing.assert_array_equal(out, numkit.special.log_kve(1.0, x))
    strided = dev(np.zeros(32))[::2]
    numkit.gpu.log_kve(1.0, dev(x), out=strided)
    np.testing.assert_array_equal(strided, numkit.special.log_kve(1.0, x))
    inplace = dev(x.copy())
    numkit.gpu.log_iv(0.5, inplace, out=inplace)
    np.testing.assert_array_equal(inplace, numkit.special.log_iv(0.5, x))
    shifted = dev(x.copy())  # out = input shifted by one element: the input must be a snapshot
    numkit.gpu.log_iv(0.5, shifted[:-1], out=shifted[1:])
    np.testing.assert_array_equal(shifted[1:], numkit.special.log_iv(0.5, x[:-1]))
    with pytest.raises(TypeError, match="out has dtype float32"):
        numkit.gpu.log_iv(1.0, dev(x), out=dev(np.empty(16), np.float32))
    with pytest.raises(ValueError, match="out has shape"):
        numkit.gpu.log_iv(1.0, dev(x), out=dev(np.empty(15)))
    with pytest.raises(TypeError, match="mixed CPU and GPU inputs"):
        numkit.gpu.log_iv(1.0, dev(x), out=np.empty(16))


def test_modules_are_compiled_once_per_function() -> None:
    x = dev(np.linspace(1, 2, 3))
    numkit.gpu.log_iv(1.0, x)
    numkit.gpu.log_iv(1.0, x.astype(np.float32))
    numkit.gpu.log_kv(1.0, x)
    assert sorted(_gpu._MODULES) == ["log_iv", "log_kv"]


def test_launch_grid_is_bounded_and_covers_small_inputs() -> None:
    cp = sys.modules["cupy"]
    assert _gpu._launch_grid(cp, 1) == 1
    assert _gpu._launch_grid(cp, 257) == 2
    assert _gpu._launch_grid(cp, 10**9) == 32 * 4  # grid-stride beyond 32 blocks per SM


def test_inputs_on_another_device_than_the_current_one_raise():
    # numkit's kernels launch on the current device: an array on GPU 1 while GPU 0 is current
    # would fault (or crawl over the link), so it is refused, as CuPy itself does
    a = dev(np.linspace(1.0, 2.0, 8))
    b = dev(np.linspace(1.0, 2.0, 8))
    b._device_id = 1
    with pytest.raises(ValueError, match=r"device\(s\) \[0, 1\] but the current device is 0"):
        numkit.gpu.log_iv(a, b)
    a._device_id = 1
    with pytest.raises(ValueError, match=r"with cupy.cuda.Device\(1\)"):
        numkit.gpu.log_iv(a, b)
