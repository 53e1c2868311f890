"""Command line: ``python -m numkit info`` and ``python -m numkit demo``.

``demo`` is numkit's tour on built-in data. Each part contributes a section through its own
``numkit.<part>._demo.run()``; parts are shown in the order of ``numkit.PARTS``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import platform
import sys

from numkit import PARTS as DEMO_PARTS


def info() -> None:
    """Print versions and which backends (CPU, CuPy GPU, dask) are available."""
    import numpy as np
    import scipy

    import numkit
    from numkit import _core
    from numkit._gpu import cupy_status

    print(f"numkit      {numkit.__version__}  ({_core.__file__})")
    print(f"python      {platform.python_version()}  ({platform.machine()})")
    print(f"numpy       {np.__version__}")
    print(f"scipy       {scipy.__version__}")
    print("backends")
    print("  cpu       available")
    print(f"  cupy gpu  {cupy_status()}")
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
