"""examples/halo_profiles.ipynb runs top to bottom (nbclient, the installed python3 kernel)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "halo_profiles.ipynb"


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="examples/ not shipped with this checkout")
def test_halo_notebook_executes() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    assert "evaluations, max relative error" in outputs
    assert "rel diff" in outputs
