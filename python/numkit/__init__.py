"""numkit: accurate and fast numerical kernels for scientific Python.

Parts
-----
special
    log I_v(x), log K_v(x), their ratios and derivatives as NumPy ufuncs, finite and accurate
    where SciPy overflows.
stats
    von Mises-Fisher distributions, fitting (MLE and debiased) and mixtures on the sphere in
    up to 65536 dimensions.
splines
    Adaptive-knot cubic splines built to a stated precision (autoknots).
quadrature
    Sample-based quadrature: trapezoid/Simpson with SciPy's conventions, Gregory's end
    corrections, and Bayesian quadrature (Matern 1/2..7/2, Wiener) that keeps its convergence
    rate down to rounding.
hamming
    Text-to-pattern Hamming distances (exact, k-bounded, approximate, batched, streaming over
    dask), several exact engines behind a measured cost model.
attention
    Kronecker (2-simplicial) attention: exact in O(nd) memory with gradients, and the
    polynomial method with a rigorous error bound.
control
    Integral reinforcement-learning policy iteration for continuous-time control, on
    numkit.quadrature's rules.
gpu
    CuPy arrays in, CuPy arrays out: the special functions, vMF fits and samples, Hamming
    distances and Kronecker attention on a CUDA device (``pip install "numkit[gpu]"``).

The parts load on first use (``import numkit; numkit.stats.fit_vmf(...)`` works), as in SciPy.
Run ``python -m numkit demo`` for a tour and ``python -m numkit info`` for versions and backends.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("numkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

# The public parts, in the order of the README and the demo. Adding a part adds its name here.
PARTS = ("special", "stats", "splines", "quadrature", "hamming", "attention", "control")

# Loaded on first use as well, though not a part with a demo: the CuPy entry points.
_LAZY = (*PARTS, "gpu")

__all__ = ["PARTS", "__version__", "get_include", *_LAZY]

if TYPE_CHECKING:
    from . import attention as attention
    from . import control as control
    from . import gpu as gpu
    from . import hamming as hamming
    from . import quadrature as quadrature
    from . import special as special
    from . import splines as splines
    from . import stats as stats


def get_include() -> str:
    """The directory of numkit's C++ kernel headers (``numkit/config.hpp``, ``numkit/special/...``).

    The headers are host/device clean: the GPU backend compiles them at run time with
    ``-I get_include()``, and C++ or CUDA code of your own can include them the same way.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "include", here.parent.parent / "cpp" / "include"):
        if (candidate / "numkit" / "config.hpp").is_file():  # installed wheel, then source tree
            return str(candidate)
    raise FileNotFoundError(f"numkit's kernel headers are missing from {here / 'include'}")


def __getattr__(name: str) -> Any:
    # PEP 562: load a part the first time it is used, so `import numkit` stays cheap.
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # The public names (and the dunders), not this module's own imports (Any, Path, ...).
    return sorted({*__all__, *(k for k in globals() if k.startswith("__"))})
