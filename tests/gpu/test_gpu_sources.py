"""The GPU backend without a GPU: kernel sources, lazy CuPy, clear errors (always run).

The device tests are in test_gpu.py; these check what CI can check on a CPU-only machine.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numkit
import numkit.gpu
import numkit.special
import numpy as np
import pytest
from numkit import _gpu


class FakeCupyArray:
    """Looks like a CuPy array to numkit's backend detection, without CuPy."""

    __module__ = "cupy._core.core"

    def __init__(self, shape: tuple[int, ...] = (3,), dtype: str = "float64") -> None:
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self.__cuda_array_interface__ = {"shape": shape, "typestr": self.dtype.str}


def test_every_cpu_function_has_a_gpu_kernel() -> None:
    expected = set(numkit.special.__all__) | {"vmf_log_normalizer", "vmf_log_normalizer_e"}
    assert set(_gpu.kernel_names()) == expected
    for name in expected:
        assert callable(getattr(numkit.gpu, name)), name


@pytest.mark.parametrize("name", _gpu.kernel_names())
def test_kernel_source_is_the_line_of_its_cu_file(name: str) -> None:
    src = _gpu.kernel_source(name)
    kernel = _gpu.KERNELS[name]
    line = f"NUMKIT_CUDA_BINARY(numkit_{name}, {kernel.scalar})"
    assert line in src.splitlines()
    cu = (Path(_gpu.cuda_dir()) / f"{kernel.part}.cu").read_text().splitlines()
    assert line in cu
    includes = [ln for ln in src.splitlines() if ln.startswith("#include")]
    assert includes == [ln for ln in cu if ln.startswith("#include")]
    assert '#include "elementwise.cuh"' in includes
    # Exactly one function per string: the first call of one function compiles only its kernels.
    assert src.count("NUMKIT_CUDA_BINARY(") == 1


def test_cu_files_hold_no_kernel_numkit_gpu_does_not_know() -> None:
    lines = []
    for cu in Path(_gpu.cuda_dir()).glob("*.cu"):
        lines += re.findall(r"^NUMKIT_CUDA_BINARY\(numkit_(\w+), ", cu.read_text(), re.M)
    assert sorted(lines) == sorted(_gpu.kernel_names())


def test_launch_block_matches_the_kernels_launch_bounds() -> None:
    header = (Path(_gpu.cuda_dir()) / "elementwise.cuh").read_text()
    found = re.search(r"#define NUMKIT_CUDA_BLOCK (\d+)", header)
    assert found and int(found.group(1)) == _gpu.BLOCK


def test_compile_options_point_at_the_headers_and_cuda_sources() -> None:
    opts = _gpu.compile_options()
    assert "-std=c++17" in opts
    assert f"-I{numkit.get_include()}" in opts
    assert f"-I{_gpu.cuda_dir()}" in opts
    assert (Path(numkit.get_include()) / "numkit" / "special" / "log_bessel.hpp").is_file()


def test_unknown_kernel_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no GPU kernel named 'log_gamma'"):
        _gpu.kernel_source("log_gamma")


def test_import_numkit_gpu_does_not_import_cupy() -> None:
    code = (
        "import sys, numkit.gpu, numkit._gpu\n"
        "numkit._gpu.kernel_source('log_iv'); numkit._gpu.compile_options()\n"
        "assert 'cupy' not in sys.modules, 'cupy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_cupy_a_call_says_how_to_install_it() -> None:
    # sys.modules['cupy'] = None makes `import cupy` fail as on a CPU-only install.
    code = (
        "import sys\n"
        "sys.modules['cupy'] = None\n"
        "from tests.gpu.test_gpu_sources import FakeCupyArray\n"
        "import numkit.gpu\n"
        "try:\n"
        "    numkit.gpu.log_iv(1.0, FakeCupyArray())\n"
        "except ImportError as e:\n"
        "    assert 'pip install \"numkit[gpu]\"' in str(e), str(e)\n"
        "else:\n"
        "    raise SystemExit('no ImportError')\n"
        "assert not numkit.gpu.is_available()\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_mixed_host_and_device_inputs_raise_type_error() -> None:
    with pytest.raises(TypeError, match="mixed CPU and GPU inputs"):
        numkit.gpu.log_iv(np.ones(3), FakeCupyArray())
    with pytest.raises(TypeError, match="mixed CPU and GPU inputs"):
        numkit.gpu.log_kv(FakeCupyArray(), 2.0, out=np.empty(3))


def test_numpy_only_call_points_to_the_cpu_ufunc() -> None:
    with pytest.raises(TypeError, match=r"numkit\.special\.log_iv"):
        numkit.gpu.log_iv(1.0, np.ones(3))
    with pytest.raises(TypeError, match=r"numkit\.stats\.vmf_log_normalizer"):
        numkit.gpu.vmf_log_normalizer(3.0, np.ones(3))
    with pytest.raises(TypeError, match="CuPy arrays x and mu"):
        numkit.gpu.vmf_logpdf(np.ones((2, 3)), np.ones(3), 1.0)


def test_complex_input_is_rejected_before_the_device() -> None:
    with pytest.raises(TypeError, match="v must be real"):
        numkit.gpu.log_iv(FakeCupyArray(dtype="complex128"), FakeCupyArray())


def test_status_names_the_install_command_without_cupy() -> None:
    status = numkit.gpu.status()
    if "not installed" in status:
        assert 'pip install "numkit[gpu]"' in status
