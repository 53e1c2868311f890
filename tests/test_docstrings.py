"""Every ``>>>`` example in numkit's docstrings runs and prints what it shows (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numkit
import pytest

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(numkit.__path__, "numkit.") if ".tests" not in m.name
)


def test_the_examples_are_collected() -> None:
    # the public functions users meet first carry examples
    names = {t.name.rsplit(".", 1)[-1] for m in MODULES for t in _finder(m)}
    wanted = ("trapezoid", "hamming_distances", "kronecker_attention", "fit_vmf", "autoknots")
    for want in (*wanted, "VMFMixture", "intrl_policy_iteration"):
        assert want in names, want


def _finder(name: str) -> list[doctest.DocTest]:
    mod = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(mod, name)
    # each object once: a function re-exported by a package is found there and in its module
    here = getattr(mod, "__file__", None)
    return [t for t in tests if t.examples and getattr(t, "filename", None) == here]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in _finder(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
