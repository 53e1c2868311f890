"""Run numkit's benchmarks: each benchmarks/<part>.py prints ratios against the peer.

Usage: ``python benchmarks/run.py [part ...]``. Benchmarks are not tests: they are run by hand and
their figures are recorded in the issue notes. Single thread, medians of repeats.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(parts: list[str]) -> None:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run.py", "_timing.py"})
    for script in scripts:
        if parts and script.stem not in parts:
            continue
        print(f"\n{' ' + script.stem + ' ':=^78}", flush=True)
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
