"""Every notebook in examples/ runs top to bottom (nbclient, the installed python3 kernel) and
prints what it promises."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Notebook -> lines of stdout that show it reached its result, not only that it ran.
EXPECTED_OUTPUT = {
    "match3.ipynb": ["Kronecker attention, hand-set weights: accuracy 100.0%", "softmax attention"],
    "halo_profiles.ipynb": ["evaluations, max relative error", "rel diff"],
    "intrl.ipynb": ["beats the paper's BQ by >= 100x on both tasks", "paper's slopes"],
    "vmf_embeddings.ipynb": ["points assigned to their true cluster: 100.0%", "scipy"],
}


def test_every_notebook_is_checked() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.ipynb")) == sorted(EXPECTED_OUTPUT)


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTPUT))
def test_notebook_executes(name: str) -> None:
    path = EXAMPLES / name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    ).execute()
    stdout = "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    for expected in EXPECTED_OUTPUT[name]:
        assert expected in stdout
