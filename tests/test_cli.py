"""The command line: `python -m numkit info` and `python -m numkit demo` run and say something."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "numkit", *args], capture_output=True, text=True, timeout=600
    )


def test_info_lists_versions_and_backends() -> None:
    res = run_cli("info")
    assert res.returncode == 0, res.stderr
    for word in ("numkit", "numpy", "scipy", "cpu", "cupy", "dask"):
        assert word in res.stdout


def test_demo_unknown_part_is_a_clear_error() -> None:
    res = run_cli("demo", "nonsense")
    assert res.returncode != 0
    assert "unknown demo part" in res.stderr


@pytest.mark.parametrize("part", ["special", "stats", "splines", "quadrature"])
def test_demo_section_runs(part: str) -> None:
    res = run_cli("demo", part)
    assert res.returncode == 0, res.stderr
    assert f"numkit.{part}" in res.stdout
