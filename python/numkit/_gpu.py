"""The one place that knows about CuPy.

CuPy does not route foreign ufuncs (its ``__array_ufunc__`` looks them up by name in cupy), so GPU
support in numkit is explicit; this module only answers whether a usable GPU backend is present.
"""

from __future__ import annotations

import importlib.util


def cupy_status() -> str:
    """Describe the CuPy backend: its version and device, or why it is unavailable."""
    if importlib.util.find_spec("cupy") is None:
        return "not installed (pip install numkit[gpu])"
    try:
        import cupy

        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # a driver or runtime error means: no usable GPU
        return f"installed, no usable GPU ({type(exc).__name__}: {exc})"
    return f"cupy {cupy.__version__}, {n} device(s)"
