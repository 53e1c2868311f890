"""numkit.hamming on CuPy arrays with a NumPy stand-in for CuPy (no GPU, no CuPy here).

The stand-in's RawModule "kernels" count mismatches over exactly the arguments the real kernel
gets (unsigned views of one width, n, m, has_wild and the wildcard's unsigned bits, the bound), so
this checks the Python side that prepares a launch -- dtypes, widening, views, the wildcard's
bit pattern, k, the grid -- against the CPU function on the same inputs. The CUDA kernel itself
is compiled by nvcc in CI and checked on a device by tests/gpu/test_gpu.py.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import numkit.gpu
import numpy as np
import pytest
from numkit import _gpu
from numkit.hamming import hamming_distances
from numpy.lib.stride_tricks import sliding_window_view

from .standins import DeviceArray, add_device, dev, numpy_as_cupy

launches: list[dict[str, Any]] = []


class HammingKernel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, grid: tuple[int], block: tuple[int], args: tuple[Any, ...]) -> None:
        t, n, p, m, has_wild, wild, bound, out = args
        width = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}[self.name.rsplit("_", 1)[1]]
        assert t.dtype == p.dtype == np.dtype(f"u{width}") and out.dtype == np.int32
        # the kernel's C types: long long n, m, bound; int has_wild; unsigned long long wild
        assert [type(a) for a in (n, m, has_wild, wild, bound)] == [
            np.int64,
            np.int64,
            np.int32,
            np.uint64,
            np.int64,
        ]
        assert t.flags.c_contiguous and p.flags.c_contiguous and out.size == int(n) - int(m) + 1
        assert block == (_gpu.BLOCK,) and grid[0] >= 1
        win = sliding_window_view(np.asarray(t), int(m))
        mis = win != np.asarray(p)
        if has_wild:
            w = p.dtype.type(int(wild))
            mis &= (win != w) & (np.asarray(p) != w)
        h = mis.sum(axis=1)
        if int(bound) >= 0:
            h = np.minimum(h, int(bound) + 1)
        out[...] = h
        wv = int(wild) if has_wild else -1
        launches.append({"name": self.name, "wild": wv, "blocks": grid[0]})


class HammingModule:
    def __init__(self, code: str, options: tuple[str, ...]) -> None:
        assert "NUMKIT_CUDA_HAMMING(numkit_hamming_u8" in code
        assert options == _gpu.compile_options()

    def get_function(self, name: str) -> HammingKernel:
        return HammingKernel(name)


def fake_cupy() -> types.ModuleType:
    cp = numpy_as_cupy()
    cp.RawModule = HammingModule  # type: ignore[attr-defined]
    add_device(cp)
    return cp


@pytest.fixture(autouse=True)
def cupy_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy())
    monkeypatch.setattr(_gpu, "_MODULES", {})
    monkeypatch.setattr(_gpu, "_SM_COUNT", {})  # a real device's count must not leak in
    launches.clear()


@pytest.mark.parametrize(
    ("tdt", "pdt", "width"),
    [
        (np.uint8, np.uint8, 1),
        (np.int8, np.int64, 1),  # the pattern fits the text's dtype: the text is not widened
        (np.uint8, np.int16, 2),  # pattern symbols beyond uint8: both widened to int16
        (np.int16, np.uint16, 4),
        (np.int32, np.int32, 4),
        (np.uint64, np.uint64, 8),
        (np.int64, np.int8, 8),
        (np.bool_, np.bool_, 1),
    ],
)
def test_device_path_equals_the_cpu_path(tdt, pdt, width):
    rng = np.random.default_rng(width)
    info = np.iinfo(np.int8 if tdt is np.bool_ else tdt)
    lo, hi = max(info.min, -3), min(info.max, 3)
    text = rng.integers(lo, hi + 1, 5000).astype(tdt)
    pattern = rng.integers(lo, hi + 1, 700).astype(pdt)
    if (tdt, pdt) == (np.uint8, np.int16):
        pattern[5] = 300  # never in the text
    for kw in (
        {},
        {"k": 40},
        {"wildcard": 1},
        {"k": 0, "wildcard": 1 if tdt is np.bool_ else 2},
    ):
        want = hamming_distances(text, pattern, **kw)
        got = hamming_distances(dev(text), dev(pattern), **kw)
        assert isinstance(got, DeviceArray) and got.dtype == np.int32
        np.testing.assert_array_equal(np.asarray(got), want)
        np.testing.assert_array_equal(
            np.asarray(numkit.gpu.hamming_distances(dev(text), dev(pattern), **kw)), want
        )
        assert launches[-1]["name"].endswith(f"u{8 * width}")


def test_negative_wildcard_is_passed_as_its_bit_pattern():
    text = np.array([-1, 5, -1, 7, 5], dtype=np.int8)
    pattern = np.array([5, -1], dtype=np.int8)
    got = np.asarray(hamming_distances(dev(text), dev(pattern), wildcard=-1))
    np.testing.assert_array_equal(got, hamming_distances(text, pattern, wildcard=-1))
    assert launches[-1]["wild"] == 255


def test_uint64_wildcard_above_2_63():
    # (it was passed as an int64 and raised OverflowError)
    big = np.uint64(2**64 - 2)
    text = np.array([big, 5, big, 7, 5, 1], dtype=np.uint64)
    pattern = np.array([5, big, 1], dtype=np.uint64)
    for kw in ({"wildcard": big}, {"wildcard": int(big), "k": 0}):
        got = np.asarray(hamming_distances(dev(text), dev(pattern), **kw))
        np.testing.assert_array_equal(got, hamming_distances(text, pattern, **kw))
    assert launches[-1]["wild"] == 2**64 - 2


def test_eps_mode_of_negative_symbols_gives_the_cpu_estimates():
    # The device numbered the codes from the unsigned views, so the same seed hashed other
    # symbols together than on the CPU (estimates 27 apart, int32 symbols in [-300, 300)).
    rng = np.random.default_rng(8)
    text = rng.integers(-300, 300, 4000).astype(np.int32)
    pattern = text[1000:1400].copy()
    pattern[::9] = rng.integers(-300, 300, pattern[::9].size)
    for kw in ({"eps": 0.3, "seed": 4}, {"eps": 0.3, "seed": 4, "wildcard": -7, "k": 50}):
        want = hamming_distances(text, pattern, method="brute", **kw)
        got = hamming_distances(dev(text), dev(pattern), **kw)
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=str(kw))


def test_grid_covers_every_tile_and_is_bounded():
    hamming_distances(dev(np.zeros(10, np.uint8)), dev(np.zeros(3, np.uint8)))
    assert launches[-1]["blocks"] == 1
    hamming_distances(dev(np.zeros(5 * 1024 + 10, np.uint8)), dev(np.zeros(10, np.uint8)))
    assert launches[-1]["blocks"] == 6  # 1024 windows a block
    hamming_distances(dev(np.zeros(10**6, np.uint8)), dev(np.zeros(10, np.uint8)))
    assert launches[-1]["blocks"] == 32 * 4  # grid-stride over the rest


def test_device_bad_input():
    t, p = dev(np.zeros(20, np.uint8)), dev(np.zeros(5, np.uint8))
    with pytest.raises(TypeError, match="mixed CPU and GPU"):
        hamming_distances(t, np.zeros(5, np.uint8))
    with pytest.raises(TypeError, match="hamming_distances takes CuPy arrays"):
        numkit.gpu.hamming_distances(np.zeros(20, np.uint8), np.zeros(5, np.uint8))
    with pytest.raises(ValueError, match="eps"):
        numkit.gpu.hamming_distances(t, p, eps=1.5)
    with pytest.raises(NotImplementedError, match="'abrahamson'"):
        hamming_distances(t, p, method="abrahamson")
    with pytest.raises(ValueError, match="longer than text"):
        hamming_distances(p, t)
    with pytest.raises(ValueError, match="must not be empty"):
        hamming_distances(t, dev(np.zeros(0, np.uint8)))
    with pytest.raises(ValueError, match="1-D"):
        hamming_distances(dev(np.zeros((4, 5), np.uint8)), p)
    with pytest.raises(TypeError, match="integer array"):
        hamming_distances(dev(np.zeros(20)), p)
    with pytest.raises(ValueError, match="k"):
        numkit.gpu.hamming_distances(t, p, k=-1)
    with pytest.raises(TypeError, match="no common integer dtype"):
        hamming_distances(dev(np.zeros(20, np.uint64)), dev(np.full(5, -1, np.int8)))


def _fake_cupyx(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """cupyx.scipy.fft as scipy.fft returning stand-in device arrays; records each call."""
    import scipy.fft as sfft

    calls: list[str] = []

    def wrap(name: str) -> Any:
        def fn(x: Any, n: int | None = None, axis: int = -1) -> DeviceArray:
            assert isinstance(x, DeviceArray), f"{name} got a host array"
            calls.append(name)
            return dev(getattr(sfft, name)(np.asarray(x), n=n, axis=axis))

        return fn

    fft = types.ModuleType("cupyx.scipy.fft")
    fft.rfft, fft.irfft = wrap("rfft"), wrap("irfft")  # type: ignore[attr-defined]
    scipy_ns = types.ModuleType("cupyx.scipy")
    scipy_ns.fft = fft  # type: ignore[attr-defined]
    root = types.ModuleType("cupyx")
    root.scipy = scipy_ns  # type: ignore[attr-defined]
    for name, mod in (("cupyx", root), ("cupyx.scipy", scipy_ns), ("cupyx.scipy.fft", fft)):
        monkeypatch.setitem(sys.modules, name, mod)
    return calls


@pytest.mark.parametrize(
    ("dtype", "sigma", "m"),
    [(np.uint8, 4, 300), (np.int16, 20, 1000), (np.int64, 300, 64), (np.uint64, 3, 1)],
)
def test_device_fft_engine_equals_the_cpu_path(monkeypatch, dtype, sigma, m):
    # The FFT engine on the device: codes remapped there, every pattern symbol a channel, the
    # transforms on cupyx.scipy.fft; no brute-force kernel is launched.
    calls = _fake_cupyx(monkeypatch)
    rng = np.random.default_rng(sigma)
    text = rng.integers(0, sigma, 6000).astype(dtype)
    pattern = text[2000 : 2000 + m].copy()
    if m > 1:
        pattern[:: max(1, m // 7)] = sigma + 5  # symbols never in the text
    for kw in ({}, {"k": 7}, {"wildcard": 1}, {"k": 0, "wildcard": 2}):
        want = hamming_distances(text, pattern, **kw)
        got = hamming_distances(dev(text), dev(pattern), method="fft", **kw)
        assert isinstance(got, DeviceArray) and got.dtype == np.int32
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=str(kw))
        via_gpu = numkit.gpu.hamming_distances(dev(text), dev(pattern), method="fft", **kw)
        np.testing.assert_array_equal(np.asarray(via_gpu), want)
    assert calls and not launches


def test_device_fft_engine_with_an_all_wildcard_pattern_and_many_batches(monkeypatch):
    from numkit.hamming import _device

    _fake_cupyx(monkeypatch)
    monkeypatch.setattr(_device, "_DEVICE_BATCH_POINTS", 1 << 12)  # many batches of blocks
    rng = np.random.default_rng(2)
    text = rng.integers(0, 5, 50_000).astype(np.uint8)
    pattern = rng.integers(0, 5, 200).astype(np.uint8)
    got = hamming_distances(dev(text), dev(pattern), method="fft", wildcard=3)
    np.testing.assert_array_equal(np.asarray(got), hamming_distances(text, pattern, wildcard=3))
    ones = np.full(50, 3, np.uint8)
    got = hamming_distances(dev(text), dev(ones), method="fft", wildcard=3)
    assert not np.asarray(got).any()
    with pytest.raises(ValueError, match="method"):
        numkit.gpu.hamming_distances(dev(text), dev(pattern), method="lists")  # type: ignore[arg-type]


@pytest.mark.parametrize(("sigma", "eps"), [(300, 0.1), (6, 0.1), (1000, 0.4)])
def test_device_eps_mode_equals_the_cpu_estimate_for_the_same_seed(sigma, eps):
    # The colours come from the same seeded table as on the CPU and are counted exactly on the
    # device, so the estimates are the same numbers (fewer symbols than colours: exact).
    rng = np.random.default_rng(sigma)
    text = rng.integers(0, sigma, 8000).astype(np.int32)
    pattern = text[1000:1400].copy()
    for kw in ({}, {"k": 30}, {"wildcard": 3}):
        want = hamming_distances(text, pattern, eps=eps, seed=7, method="brute", **kw)
        got = hamming_distances(dev(text), dev(pattern), eps=eps, seed=7, **kw)
        assert isinstance(got, DeviceArray) and got.dtype == np.float64
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=str(kw))
        via_gpu = numkit.gpu.hamming_distances(dev(text), dev(pattern), eps=eps, seed=7, **kw)
        np.testing.assert_array_equal(np.asarray(via_gpu), want)
    assert launches  # counted by the brute-force kernel
