"""The type stubs of numkit._core (python/numkit/_core/*.pyi) match the built extension.

mypy.stubtest imports the compiled module with its submodules (numkit._core.<part>) and compares
every name and property with the stubs (missing stubs included); a second test compares parameter
names and defaults with pybind11's signatures. A binding that changes without its stub fails here
(and in CI, which runs this suite).
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
import types
from pathlib import Path

import numkit
import pytest
from numkit import _core

pytest.importorskip("mypy")

ALLOWLIST = Path(__file__).with_name("stubtest_allowlist.txt")


def test_stubs_match_extension(tmp_path: Path) -> None:
    # An installed wheel's stubs are found in site-packages; a source tree's need MYPYPATH (mypy
    # refuses a site-packages directory there).
    root = Path(numkit.__file__).resolve().parent.parent
    env = dict(os.environ)
    if root.name != "site-packages":
        env["MYPYPATH"] = str(root)
    # The Python layer around the stubs is not under test here: analyse it silently, as mypy
    # does for an installed package (from a source tree it would otherwise stop on the layer's
    # own type errors and missing third-party stubs before it compares a single stub).
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n\n[mypy-numkit.*]\nfollow_imports = silent\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy.stubtest",
            "--allowlist",
            str(ALLOWLIST),
            "--mypy-config-file",
            str(config),
            "numkit._core",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # not the checkout: mypy would find its sources twice
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _compiled_parts() -> list[str]:
    # Parts with compiled code have a numkit._core.<part> submodule; pure-Python parts have none.
    return [p for p in numkit.PARTS if isinstance(getattr(_core, p, None), types.ModuleType)]


def test_every_compiled_part_has_a_stub() -> None:
    stub_dir = Path(numkit.__file__).resolve().parent / "_core"
    missing = [p for p in _compiled_parts() if not (stub_dir / f"{p}.pyi").is_file()]
    assert not missing, f"numkit._core submodules without stubs: {missing}"
    assert {"special", "stats", "splines", "quadrature"} <= set(_compiled_parts())


def _runtime_params(obj: object) -> list[tuple[str, bool]] | None:
    """(name, has_default) of each parameter in a pybind11 docstring signature, or None."""
    doc = (getattr(obj, "__doc__", None) or "").strip()
    name = getattr(obj, "__name__", "")
    head = doc.split("\n", 1)[0]
    if not head.startswith(f"{name}(") or "Overloaded" in head:
        return None
    expr = ast.parse(f"def f{head[len(name) :].split(' -> ')[0]}: ...").body[0]
    assert isinstance(expr, ast.FunctionDef)
    args = expr.args.args
    n_default = len(expr.args.defaults)
    return [(a.arg, i >= len(args) - n_default) for i, a in enumerate(args)]


def _stub_functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef]]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            out += [
                (f"{node.name}.{f.name}", f)
                for f in node.body
                if isinstance(f, ast.FunctionDef) and not f.decorator_list
            ]
    return out


@pytest.mark.parametrize("part", _compiled_parts())
def test_stub_signatures_match_pybind11(part: str) -> None:
    # stubtest cannot see the parameters of pybind11 functions (they have no __signature__), so
    # compare the stubs' parameter names and defaults with the signatures pybind11 documents.
    module = importlib.import_module(f"numkit._core.{part}")
    stub = Path(numkit.__file__).resolve().parent / "_core" / f"{part}.pyi"
    checked = 0
    for qualname, fn in _stub_functions(ast.parse(stub.read_text())):
        obj: object = module
        for attr in qualname.split("."):
            obj = getattr(obj, attr)
        runtime = _runtime_params(obj)
        if runtime is None:
            continue
        args = fn.args.args
        n_default = len(fn.args.defaults)
        stubbed = [(a.arg, i >= len(args) - n_default) for i, a in enumerate(args)]
        assert stubbed == runtime, (
            f"{part}.pyi: {qualname} is {stubbed}, the extension has {runtime}"
        )
        checked += 1
    assert checked or not _stub_functions(ast.parse(stub.read_text()))
