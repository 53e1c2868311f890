"""The examples in numkit.splines's docstrings run and print what they claim."""

from __future__ import annotations

import doctest

import numkit.splines._autoknots as autoknots_module


def test_docstring_examples() -> None:
    result = doctest.testmod(autoknots_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
