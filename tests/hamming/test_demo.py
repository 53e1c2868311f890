"""The hamming section of ``python -m numkit demo`` runs and finds the planted genes."""

from __future__ import annotations

from numkit.hamming import _demo


def test_demo_runs(capsys):
    _demo.run()
    out = capsys.readouterr().out
    assert "123456" in out and "numpy" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [int(r[1]) for r in rows[:6]] == [0, 0, 3, 8, 20, 40]
