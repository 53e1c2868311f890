"""Which array library an input belongs to: NumPy, dask or CuPy -- the one place that asks.

Detection never imports dask or CuPy (a CPU-only install needs neither); it looks at the type's
module. Parts call :func:`backend_of` on all their array arguments and dispatch on the answer.
"""

from __future__ import annotations

from typing import Literal

Backend = Literal["numpy", "dask", "cupy"]

__all__ = ["Backend", "backend_of", "is_cupy_array", "is_dask_array"]


def _top_module(x: object) -> str:
    return type(x).__module__.split(".")[0]


def is_dask_array(x: object) -> bool:
    """True for a dask array (checked without importing dask)."""
    return _top_module(x) == "dask" and hasattr(x, "dask")


def is_cupy_array(x: object) -> bool:
    """True for a CuPy ndarray (checked without importing CuPy)."""
    return _top_module(x) == "cupy" and hasattr(x, "__cuda_array_interface__")


def backend_of(*arrays: object) -> Backend:
    """The backend that must run a call on ``arrays``.

    CuPy if any argument is a CuPy array (then every array argument must be: mixing host and device
    arrays raises TypeError, as CuPy itself does, rather than copying silently; and they must live
    on the current device, CuPy's own rule: numkit's kernels launch there, and pointers into
    another GPU's memory would fault or crawl over the link), else dask if any is a dask array,
    else NumPy. Python scalars go with any backend.
    """
    kinds = [
        "cupy" if is_cupy_array(a) else "dask" if is_dask_array(a) else "numpy"
        for a in arrays
        if a is not None
    ]
    if "cupy" in kinds:
        host = [
            type(a).__name__
            for a in arrays
            if a is not None and not is_cupy_array(a) and hasattr(a, "__array__")
        ]
        if host:
            raise TypeError(
                "mixed CPU and GPU inputs: got CuPy arrays together with "
                f"{', '.join(sorted(set(host)))}; move all arrays to one device "
                "(cupy.asarray(...) or cupy.asnumpy(...))"
            )
        _check_current_device([a for a in arrays if is_cupy_array(a)])
        return "cupy"
    return "dask" if "dask" in kinds else "numpy"


def _check_current_device(arrays: list[object]) -> None:
    """ValueError unless every CuPy array lives on the current device. (Without an importable
    CuPy nothing is checked: the call then fails in require_cupy with the install hint.)"""
    try:
        import cupy  # type: ignore[import-not-found]

        current = int(cupy.cuda.Device().id)
        ids = sorted({int(a.device.id) for a in arrays})  # type: ignore[attr-defined]
    except (ImportError, AttributeError, TypeError):
        return
    if ids != [current]:
        raise ValueError(
            f"the CuPy inputs live on device(s) {ids} but the current device is {current}: "
            f"call under `with cupy.cuda.Device({ids[0]}):` with every array on that device"
        )
