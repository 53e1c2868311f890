"""NumPy dressed as CuPy, for the tests of numkit's device code on a machine without a GPU.

``DeviceArray`` is a NumPy array whose type says "cupy" (what numkit's backend detection looks
at); ``numpy_as_cupy()`` is a ``cupy`` module made of NumPy's namespace plus ``asnumpy``, a
seeded ``random.RandomState`` and what a test adds (RawModule, cuda.Device, ...).
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np


class DeviceArray(np.ndarray):
    """A NumPy array that numkit's backend detection takes for a CuPy array."""

    __module__ = "cupy"

    @property
    def __cuda_array_interface__(self) -> dict[str, Any]:
        return {"shape": self.shape, "typestr": self.dtype.str}

    def get(self) -> np.ndarray:
        """The host copy (cupy.ndarray.get)."""
        return np.asarray(self).view(np.ndarray)

    @property
    def device(self) -> Any:
        """Device 0 (the current one), unless a test set ``_device_id``."""
        return types.SimpleNamespace(id=getattr(self, "_device_id", 0))


def dev(a: Any) -> DeviceArray:
    return np.asarray(a).view(DeviceArray)


class _RandomState:
    def __init__(self, seed: int) -> None:
        self._g = np.random.default_rng(seed)

    def standard_normal(self, shape: Any, dtype: Any) -> DeviceArray:
        return dev(self._g.standard_normal(shape, dtype=dtype))


def numpy_as_cupy() -> types.ModuleType:
    cp = types.ModuleType("cupy")
    for name in dir(np):
        if not name.startswith("_"):
            setattr(cp, name, getattr(np, name))
    cp.ndarray = DeviceArray  # type: ignore[attr-defined]
    cp.asarray = lambda a, dtype=None: dev(np.asarray(a, dtype=dtype))  # type: ignore[attr-defined]
    cp.empty = lambda shape, dtype=float: dev(np.empty(shape, dtype))  # type: ignore[attr-defined]
    cp.zeros = lambda shape, dtype=float: dev(np.zeros(shape, dtype))  # type: ignore[attr-defined]
    cp.ascontiguousarray = lambda a: dev(np.ascontiguousarray(a))  # type: ignore[attr-defined]
    cp.stack = lambda arrays, axis=0: dev(np.stack(arrays, axis))  # type: ignore[attr-defined]
    cp.asnumpy = lambda a: np.asarray(a).view(np.ndarray)  # type: ignore[attr-defined]
    cp.random = types.SimpleNamespace(RandomState=_RandomState)  # type: ignore[attr-defined]
    current = types.SimpleNamespace(id=0)
    cp.cuda = types.SimpleNamespace(Device=lambda: current)  # type: ignore[attr-defined]
    return cp


def add_device(cp: types.ModuleType) -> None:
    """A ``cupy.cuda`` with one device of 4 multiprocessors (what launch grids ask about)."""
    device = types.SimpleNamespace(id=0)
    runtime = types.SimpleNamespace(getDeviceProperties=lambda i: {"multiProcessorCount": 4})
    cp.cuda = types.SimpleNamespace(Device=lambda: device, runtime=runtime)  # type: ignore[attr-defined]
