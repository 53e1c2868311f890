"""numkit's public API is precisely typed: mypy accepts a typed user script (with assert_type on
the results) and rejects a misspelt Literal option, on the installed package or the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numkit
import pytest

pytest.importorskip("mypy")
pytest.importorskip("typing_extensions")

HERE = Path(__file__).resolve().parent / "typing"


def _mypy(script: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    root = Path(numkit.__file__).resolve().parent.parent
    env = dict(os.environ)
    if root.name != "site-packages":  # a source tree: point mypy at it (as tests/test_stubs.py)
        env["MYPYPATH"] = str(root)
    cmd = [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(script)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def test_typed_usage_checks(tmp_path: Path) -> None:
    r = _mypy(HERE / "typed_usage.py", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_misspelt_option_is_rejected(tmp_path: Path) -> None:
    r = _mypy(HERE / "typed_misuse.py", tmp_path)
    assert r.returncode == 1 and "loglog" in r.stdout, r.stdout + r.stderr
