"""The control section of ``python -m numkit demo`` runs and shows both tasks against the paper."""

from __future__ import annotations

from numkit.control import _demo


def test_demo_runs(capsys):
    _demo.run()
    out = capsys.readouterr().out
    assert "linear task" in out and "nonlinear task" in out
    assert "gregory6" in out and "NOT CONVERGED" not in out
