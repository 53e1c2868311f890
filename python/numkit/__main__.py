"""Command line: ``python -m numkit info`` and ``python -m numkit demo``.

``demo`` is numkit's tour on built-in data. Each part contributes a section through its own
``numkit.<part>._demo.run()``; parts are shown in the order of ``numkit.PARTS``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import platform
import re
import sys

from numkit import PARTS as DEMO_PARTS


def _core_binary() -> bytes:
    from numkit import _core

    with open(_core.__file__, "rb") as f:
        return f.read()


def _compiler(binary: bytes) -> str:
    """The compiler named in the extension's ELF .comment section (GCC and Clang record it)."""
    for pattern in (rb"GCC: \([^)]*\) [0-9][0-9.]*", rb"clang version [0-9][0-9.]*"):
        found = re.search(pattern, binary)
        if found:
            return found.group().decode(errors="replace")
    return "unknown (no compiler note in the extension)"


# The function-multiversioning clones of the CPU block kernels (target_clones in
# cpp/include/numkit/special/cpu/), best first, and the CPU features GCC's resolver checks.
_CLONES = (
    ("x86-64-v4", ("AVX512F", "AVX512BW", "AVX512CD", "AVX512DQ", "AVX512VL")),
    ("x86-64-v3", ("AVX2", "FMA3", "F16C")),
)


def _simd_target() -> str:
    """Which target_clones variant this CPU runs (the dispatch happens when _core loads)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return f"baseline build for {platform.machine()} (clones are x86-64 only)"
    try:
        umath = importlib.import_module("numpy._core._multiarray_umath")
    except ImportError:  # NumPy < 2
        umath = importlib.import_module("numpy.core._multiarray_umath")
    features: dict[str, bool] = getattr(umath, "__cpu_features__", {})
    for name, needs in _CLONES:
        if all(features.get(f, False) for f in needs):
            return f"{name} (clones: x86-64-v4, x86-64-v3, default; chosen by this CPU's features)"
    return "default x86-64 (SSE2) (clones: x86-64-v4, x86-64-v3, default)"


def _threads(binary: bytes) -> str:
    if any(sym in binary for sym in (b"GOMP_", b"omp_get_", b"pthread_create")):
        return "the extension uses OpenMP or threads"
    return "numkit's kernels run on the calling thread (no OpenMP runtime or thread pool)"


def _blas() -> str | None:
    if importlib.util.find_spec("threadpoolctl") is None:
        return None
    from threadpoolctl import threadpool_info

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return (
        ", ".join(
            f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)"
            for p in pools
        )
        or None
    )


def info() -> None:
    """Print versions, the build (compiler, SIMD target, threads) and the available backends."""
    import numpy as np
    import scipy

    import numkit
    from numkit import _core, _gpu

    binary = _core_binary()
    print(f"numkit      {numkit.__version__}  ({_core.__file__})")
    print(f"python      {platform.python_version()}  ({platform.machine()})")
    print(f"numpy       {np.__version__}")
    print(f"scipy       {scipy.__version__}")
    print("build")
    print(f"  compiler  {_compiler(binary)}")
    print(f"  simd      {_simd_target()}")
    print(f"  threads   {_threads(binary)}")
    blas = _blas()
    if blas:
        print(f"  blas      {blas} (NumPy/SciPy's, used by stats and quadrature)")
    print("backends")
    print("  cpu       available")
    print(f"  cupy gpu  {_gpu.cupy_status()}")
    print(
        f"            kernels: {len(_gpu.kernel_names())} elementwise functions (numkit.gpu), "
        f"compiled by NVRTC on first use; sources {_gpu.cuda_dir()}"
    )
    if importlib.util.find_spec("dask") is None:
        print("  dask      not installed (pip install numkit[dask])")
    else:
        import dask

        print(f"  dask      dask {dask.__version__}")


def demo(parts: list[str]) -> None:
    """Run the tour: each part's demo section on built-in data."""
    for part in parts:
        module = f"numkit.{part}._demo"
        if importlib.util.find_spec(f"numkit.{part}") is None:
            continue
        if importlib.util.find_spec(module) is None:
            continue
        title = f" numkit.{part} "
        print(f"\n{title:=^78}")
        importlib.import_module(module).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m numkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="versions and available backends")
    p_demo = sub.add_parser("demo", help="a tour of numkit on built-in data")
    p_demo.add_argument(
        "parts",
        nargs="*",
        metavar="PART",
        help=f"sections to show, any of {', '.join(DEMO_PARTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(getattr(args, "parts", [])) - set(DEMO_PARTS))
    if unknown:
        parser.error(f"unknown demo part(s) {unknown}; choose from {list(DEMO_PARTS)}")
    if args.command == "info":
        info()
    else:
        demo(list(args.parts) or list(DEMO_PARTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
