"""numkit: accurate and fast numerical kernels for scientific Python.

Parts
-----
special
    log I_v(x), log K_v(x) and related functions as NumPy ufuncs.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("numkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
