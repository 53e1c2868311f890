"""The one place that knows about CuPy: kernel sources, run-time compilation and launches.

numkit's GPU kernels are the scalar kernel headers of ``cpp/include/numkit/`` wrapped by the
grid-stride loops of ``cpp/cuda/`` (installed as ``numkit/include`` and ``numkit/cuda``). They
are compiled at run time by NVRTC through ``cupy.RawModule``, one function per module (so the
first call of one function compiles only its two kernels), once per process; CuPy also caches
the binaries on disk (``~/.cupy/kernel_cache``). :func:`kernel_source` gives the exact source
string NVRTC compiles, with no CuPy needed: CI writes those strings to files and compiles them
with nvcc (``.ci/cuda_check.py``).

CuPy is imported on the first call that needs a device, never at import time, so importing
``numkit`` or ``numkit.gpu`` on a CPU-only machine pulls in nothing.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import math
import numbers
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from numkit._lib.backend import backend_of, is_cupy_array

__all__ = [
    "BLOCK",
    "KERNELS",
    "MODULES",
    "compile_options",
    "cuda_dir",
    "cupy_status",
    "elementwise",
    "kernel_names",
    "kernel_source",
    "module_function",
    "module_names",
    "require_cupy",
]

# Threads per block of every launch; equal to NUMKIT_CUDA_BLOCK in cpp/cuda/elementwise.cuh
# (the kernels declare __launch_bounds__ with it; a test checks the two agree).
BLOCK = 256

INSTALL_HINT = 'pip install "numkit[gpu]"'


class Kernel(NamedTuple):
    """One elementwise GPU function: where its scalar kernel lives and how it is called."""

    part: str  # "special" or "stats": the cpp/cuda/<part>.cu file that holds its line
    scalar: str  # the C++ scalar kernel template, e.g. numkit::special::log_iv
    args: tuple[str, str]  # argument names, as in the CPU ufunc's docs


_SPECIAL: tuple[str, ...] = ("log_iv", "log_ive", "log_kv", "log_kve", "iv_ratio")
_SPECIAL += ("log_iv_dx", "log_kv_dx", "log_iv_dv", "log_kv_dv")

KERNELS: dict[str, Kernel] = {
    **{n: Kernel("special", f"numkit::special::{n}", ("v", "x")) for n in _SPECIAL},
    **{
        n: Kernel("stats", f"numkit::stats::{n}", ("p", "kappa"))
        for n in ("vmf_log_normalizer", "vmf_log_normalizer_e")
    },
}


def kernel_names() -> tuple[str, ...]:
    """Names of the elementwise GPU functions: every numkit.special ufunc, the vMF normalizers."""
    return tuple(KERNELS)


# Modules of non-elementwise kernels: name -> the cpp/cuda file compiled whole, as one module.
MODULES: dict[str, str] = {"hamming": "hamming.cu"}


def module_names() -> tuple[str, ...]:
    """Names of the GPU modules that are not elementwise functions (``hamming``)."""
    return tuple(MODULES)


# --- sources and options (pure Python: CI uses these without CuPy) ------------------------------


def cuda_dir() -> str:
    """The directory of numkit's CUDA sources (``elementwise.cuh``, ``special.cu``, ``stats.cu``).

    In an installed wheel it is ``numkit/cuda`` next to ``numkit/include`` (see
    :func:`numkit.get_include`); in a source tree, ``cpp/cuda``.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "cuda", here.parent.parent / "cpp" / "cuda"):
        if (candidate / "elementwise.cuh").is_file():
            return str(candidate)
    raise FileNotFoundError(f"numkit's CUDA sources are missing from {here / 'cuda'}")


def _part_file(part: str) -> list[str]:
    return (Path(cuda_dir()) / f"{part}.cu").read_text(encoding="utf-8").splitlines()


def kernel_source(name: str) -> str:
    """The exact source string NVRTC compiles for ``name``: ``numkit_<name>_f64`` and ``_f32``.

    It is the ``#include`` lines of ``cpp/cuda/<part>.cu`` followed by that file's
    ``NUMKIT_CUDA_BINARY`` line for ``name`` (read from the installed file, so the string is
    what the installed sources say); for a module name (:func:`module_names`), the module's
    whole file. Compile it with :func:`compile_options`.
    """
    if name in MODULES:  # a whole file: its kernels are compiled together
        text = (Path(cuda_dir()) / MODULES[name]).read_text(encoding="utf-8")
        return (
            f"// numkit GPU module {name}: numkit._gpu.kernel_source({name!r})\n"
            f"{_digest_line()}\n{text}"
        )
    try:
        kernel = KERNELS[name]
    except KeyError:
        names = (*kernel_names(), *module_names())
        raise ValueError(f"no GPU kernel named {name!r}; choose from {names}") from None
    lines = _part_file(kernel.part)
    includes = [ln for ln in lines if ln.startswith("#include")]
    wanted = f"NUMKIT_CUDA_BINARY(numkit_{name}, {kernel.scalar})"
    if wanted not in lines:
        raise RuntimeError(f"cpp/cuda/{kernel.part}.cu has no line {wanted!r}")
    header = f"// numkit GPU kernels for {name}: numkit._gpu.kernel_source({name!r})"
    return "\n".join([header, _digest_line(), *includes, wanted, ""])


@functools.cache
def _digest_line() -> str:
    """A comment with the sha256 of every header and CUDA source the kernels can include.

    CuPy's on-disk kernel cache is keyed by the source string (plus options, architecture and
    versions), and the string is mostly ``#include`` lines: without this line, changed headers
    at the same install path would be served the old binaries.
    """
    from numkit import get_include

    h = hashlib.sha256()
    for root in (Path(get_include()) / "numkit", Path(cuda_dir())):
        for f in sorted(root.rglob("*")):
            if f.suffix in (".h", ".hpp", ".cuh", ".cu"):
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return f"// numkit sources sha256 {h.hexdigest()}"


def compile_options() -> tuple[str, ...]:
    """The NVRTC options numkit passes to ``cupy.RawModule`` (CuPy adds ``-arch`` and -ftz=true).

    ``-fmad=false``: the kernels are the CPU's scalar templates, whose error analysis (and the
    host build, which never contracts a * b + c) assumes separately rounded products and sums;
    NVRTC's default contraction moved d/dv log I near its zeros by 1200x the 2e-14 bar against
    the CPU (emulated on the host), and is off so that the GPU computes what the CPU does.
    """
    from numkit import get_include

    return ("-std=c++17", "-fmad=false", f"-I{get_include()}", f"-I{cuda_dir()}")


# --- CuPy: import, status, modules ------------------------------------------------------------


def cupy_status() -> str:
    """Describe the CuPy backend: its version and device, or why it is unavailable."""
    if importlib.util.find_spec("cupy") is None:
        return f"not installed ({INSTALL_HINT})"
    try:
        import cupy  # type: ignore[import-not-found]

        n = cupy.cuda.runtime.getDeviceCount()
        if n < 1:
            return f"cupy {cupy.__version__}, no CUDA device"
        props = cupy.cuda.runtime.getDeviceProperties(0)
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        cc = f"sm_{props['major']}{props['minor']}"
    except Exception as exc:  # a driver or runtime error means: no usable GPU
        return f"installed, no usable GPU ({type(exc).__name__}: {exc})"
    return f"cupy {cupy.__version__}, {n} device(s), device 0: {name} ({cc})"


def require_cupy() -> Any:
    """Import and return CuPy, or raise ImportError saying how to get it."""
    try:
        import cupy  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ImportError(
            f"numkit.gpu needs CuPy with a CUDA device: {INSTALL_HINT} (CuPy for CUDA 12); "
            f"CuPy could not be imported ({exc})"
        ) from exc
    return cupy


_MODULES: dict[str, Any] = {}


def _kernel(name: str, dtype: np.dtype) -> Any:
    """The compiled RawKernel ``numkit_<name>_<f32|f64>`` (compiled on first use, then cached)."""
    suffix = "f32" if dtype == np.float32 else "f64"
    return module_function(name, f"numkit_{name}_{suffix}")


def module_function(name: str, function: str) -> Any:
    """RawKernel ``function`` of the module compiled from ``kernel_source(name)`` (compiled on
    first use, then cached per process; CuPy caches the binary on disk)."""
    cupy = require_cupy()
    module = _MODULES.get(name)
    if module is None:
        module = cupy.RawModule(code=kernel_source(name), options=compile_options())
        _MODULES[name] = module
    try:
        return module.get_function(function)
    except Exception as exc:  # NVRTC or driver error: say which source and options failed
        _MODULES.pop(name, None)
        raise RuntimeError(
            f"numkit.gpu could not compile the {name} kernels with NVRTC "
            f"(source: numkit._gpu.kernel_source({name!r}), options {compile_options()}): {exc}"
        ) from exc


# --- dispatch -----------------------------------------------------------------------------


def _cpu_ufunc(name: str) -> np.ufunc:
    if KERNELS[name].part == "special":
        from numkit import special

        return getattr(special, name)
    from numkit._core import stats

    return getattr(stats, name)


def _is_scalar(a: object) -> bool:
    return isinstance(a, (numbers.Number, np.generic))


def _result_dtype(name: str, args: tuple[Any, ...]) -> np.dtype:
    """The dtype the CPU ufunc would give (float32 stays float32, integers become float64)."""
    ufunc = _cpu_ufunc(name)
    kinds: list[Any] = []
    for a in args:
        if isinstance(a, (bool, np.bool_)):
            kinds.append(np.dtype(np.bool_))
        elif isinstance(a, numbers.Number) and not isinstance(a, np.generic):
            kinds.append(type(a))  # a weak Python scalar (NEP 50), as NumPy treats it
        else:
            kinds.append(np.dtype(a.dtype))
    try:
        resolved = ufunc.resolve_dtypes((*kinds, None))
    except TypeError as exc:
        got = ", ".join(str(k) for k in kinds)
        raise TypeError(
            f"numkit.gpu.{name}: no float32/float64 loop for inputs of type ({got}): {exc}"
        ) from exc
    return np.dtype(resolved[-1])


def _operand(cupy: Any, a: Any, dtype: np.dtype, shape: tuple[int, ...]) -> tuple[Any, int]:
    """A device array of ``dtype`` and its element stride for the kernel's flat index."""
    if _is_scalar(a):
        return cupy.full((1,), a, dtype=dtype), 0
    arr = a if a.dtype == dtype else a.astype(dtype)
    if arr.size == 1:
        return arr.reshape(1), 0
    if arr.shape == shape:
        if arr.flags.c_contiguous:
            return arr, 1
        if arr.ndim == 1 and arr.strides[0] % arr.itemsize == 0:
            return arr, arr.strides[0] // arr.itemsize  # a strided view, no copy
        return cupy.ascontiguousarray(arr), 1
    # A genuine broadcast (e.g. (n, 1) against (1, m)): materialize this operand.
    return cupy.ascontiguousarray(cupy.broadcast_to(arr, shape)), 1


_SM_COUNT: dict[int, int] = {}


def _launch_grid(cupy: Any, n: int) -> int:
    """Blocks for n elements: one per BLOCK elements, at most 32 per multiprocessor (the kernels
    loop grid-stride over the rest)."""
    dev = cupy.cuda.Device().id
    if dev not in _SM_COUNT:
        props = cupy.cuda.runtime.getDeviceProperties(dev)
        _SM_COUNT[dev] = int(props["multiProcessorCount"])
    return max(1, min(math.ceil(n / BLOCK), 32 * _SM_COUNT[dev]))


def elementwise(name: str, a: Any, b: Any, out: Any = None) -> Any:
    """``name(a, b)`` on the GPU: CuPy arrays (or Python/NumPy scalars) in, a CuPy array out.

    Broadcasts like the CPU ufunc and gives its dtype. Inputs that already have the result dtype
    and are C-contiguous (or a 1-D strided view, or a single element) are read in place; a cast
    or a genuine broadcast of a multi-dimensional operand makes a device copy of that operand.
    """
    kernel = KERNELS[name]
    arrays = [x for x in (a, b, out) if not _is_scalar(x) and x is not None]
    if backend_of(*arrays) != "cupy" or not any(is_cupy_array(x) for x in (a, b)):
        got = ", ".join(type(x).__name__ for x in (a, b))
        raise TypeError(
            f"numkit.gpu.{name} takes CuPy arrays (got {got}); for NumPy arrays use the CPU "
            f"ufunc numkit.{kernel.part}.{name}"
        )
    if out is not None and not is_cupy_array(out):
        raise TypeError(f"numkit.gpu.{name}: out must be a CuPy array, got {type(out).__name__}")
    for argname, x in zip(kernel.args, (a, b)):
        if not _is_scalar(x) and np.dtype(x.dtype).kind not in "biuf":
            raise TypeError(f"numkit.gpu.{name}: {argname} must be real, got dtype {x.dtype}")
    cupy = require_cupy()
    dtype = _result_dtype(name, (a, b))
    shapes = [() if _is_scalar(x) else tuple(x.shape) for x in (a, b)]
    shape = tuple(np.broadcast_shapes(*shapes))
    if out is None:
        result = cupy.empty(shape, dtype=dtype)
    else:
        if out.shape != shape:
            raise ValueError(
                f"numkit.gpu.{name}: out has shape {out.shape}, the result has shape {shape}"
            )
        if out.dtype != dtype:
            raise TypeError(
                f"numkit.gpu.{name}: out has dtype {out.dtype}, the result has dtype {dtype}"
            )
        result = out
    n = int(np.prod(shape, dtype=np.int64))
    if n == 0:
        return result
    ops = []
    for x in (a, b):
        arr, stride = _operand(cupy, x, dtype, shape)
        if out is not None and arr is not out and cupy.may_share_memory(arr, out):
            arr = arr.copy()  # out overlaps an input in another layout: read a snapshot
        ops.append((arr, stride))
    target = result if result.flags.c_contiguous else cupy.empty(shape, dtype=dtype)
    fn = _kernel(name, dtype)
    (pa, sa), (pb, sb) = ops
    fn(
        (_launch_grid(cupy, n),),
        (BLOCK,),
        (pa, np.int64(sa), pb, np.int64(sb), target, np.int64(n)),
    )
    if target is not result:
        result[...] = target
    return result
