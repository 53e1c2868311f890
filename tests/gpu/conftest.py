"""tests/gpu: the `gpu` marker (device tests in test_gpu.py skip without CuPy or a CUDA device)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gpu: needs CuPy and a CUDA device (skipped otherwise)")
