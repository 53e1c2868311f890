"""The kernel headers compile without the C++ standard headers, as under NVRTC (issue 8).

NVRTC (CuPy's run-time CUDA compiler) provides no <type_traits>, <utility> or <cstdint>; the
headers then take numkit::nstd's own traits (config.hpp). This check compiles
``cpp/nvrtc_headers.cpp`` with the host compiler, ``-nostdinc++`` and ``__CUDACC_RTC__`` defined,
which fails on any std:: trait or header a CUDA-visible kernel header would still need.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("c++") is None, reason="no host C++ compiler")
def test_kernel_headers_compile_without_std_headers():
    src = Path(__file__).resolve().parent / "cpp" / "nvrtc_headers.cpp"
    cmd = ["c++", "-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-nostdinc++"]
    cmd += [f"-I{ROOT / 'cpp' / 'include'}", str(src)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-4000:]
