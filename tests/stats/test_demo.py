"""The stats section of `python -m numkit demo` runs and shows numkit's kappa next to SciPy's."""

from __future__ import annotations

import re

import pytest


def test_demo_prints_numkit_and_scipy_kappas(capsys: pytest.CaptureFixture[str]) -> None:
    from numkit.stats._demo import run

    run()
    out = capsys.readouterr().out
    assert "p = 8192" in out
    deb = re.search(r"numkit fit_vmf, debiased\s+([0-9.]+)\s+(-?[0-9.]+)", out)
    assert deb is not None
    assert abs(float(deb.group(2))) < 3  # within 3 standard errors of the truth
    assert "scipy vonmises_fisher.fit" in out
