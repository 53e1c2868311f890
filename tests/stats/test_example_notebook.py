"""examples/vmf_embeddings.ipynb runs top to bottom (nbclient, the installed python3 kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "vmf_embeddings.ipynb"


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="examples/ not shipped with this checkout")
def test_vmf_notebook_executes() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    stdout = "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    assert "points assigned to their true cluster: 100.0%" in stdout
    assert "scipy" in stdout
