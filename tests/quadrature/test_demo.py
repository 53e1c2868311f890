"""The quadrature section of ``python -m numkit demo`` runs and shows the table."""

from __future__ import annotations

from numkit.quadrature import _demo


def test_demo_runs(capsys):
    _demo.run()
    out = capsys.readouterr().out
    assert "BQ matern72" in out and "simpson" in out and "LengthscaleFit" in out
