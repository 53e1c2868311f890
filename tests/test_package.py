"""Package-level contracts: lazy parts, get_include(), and what importing numkit pulls in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numkit


def test_get_include_holds_the_kernel_headers() -> None:
    inc = Path(numkit.get_include())
    assert (inc / "numkit" / "config.hpp").is_file()
    assert (inc / "numkit" / "special" / "log_bessel.hpp").is_file()


def test_parts_load_lazily() -> None:
    code = (
        "import sys, numkit\n"
        "assert 'numkit.stats' not in sys.modules\n"
        "assert numkit.stats.fit_vmf is not None\n"
        "assert 'numkit.stats' in sys.modules\n"
        "assert set(numkit.PARTS) <= set(dir(numkit))\n"
        "try:\n    numkit.nothing\nexcept AttributeError as e:\n    assert 'nothing' in str(e)\n"
        "else:\n    raise SystemExit('no AttributeError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_numkit_imports_neither_cupy_nor_dask() -> None:
    code = (
        "import sys, numkit, numkit.special, numkit.stats, numkit.splines, numkit.quadrature\n"
        "bad = [m for m in ('cupy', 'dask') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
