"""CI without a GPU: compile the exact CUDA sources numkit's GPU path compiles at run time.

1. nvcc (when on PATH): every string numkit._gpu.kernel_source(name) gives is written to a file
   and compiled with numkit._gpu.compile_options() -- the NVRTC options, i.e. the installed
   numkit/include and numkit/cuda -- for sm_80 and sm_90, device code only (as NVRTC does), with
   ``-Werror cross-execution-space-call``; then every cpp/cuda/*.cu file of the source tree with
   ``-I cpp/include``, host and device (``nvcc -c``). By default the device code stops at PTX:
   ptxas (SASS) costs about 20 CPU s per function and architecture on the CI machine, some 8
   minutes for all of them; NUMKIT_CUDA_CHECK_SASS=1 assembles everything with ptxas as well.
2. NVRTC itself (when libnvrtc can be loaded: NUMKIT_NVRTC_LIB, the nvidia-cuda-nvrtc-cu12 wheel,
   or the system library): the same strings and options plus what CuPy adds (-arch=compute_XX,
   -ftz=true), under NVRTC's rules, which nvcc cannot reproduce: NVRTC has no host standard
   headers (<cmath>, <cstdint>, <type_traits>, <utility> do not exist; __CUDACC_RTC__ is defined,
   and defining it for nvcc is not the same thing) and no GCC builtins such as __builtin_nan.
   NVRTC needs no GPU to compile. Not installed by default: this step is skipped without it.
   CuPy also puts its bundled CCCL (libcudacxx, cub, thrust) and $CUDA_PATH/include on NVRTC's
   include path; headers that include <cuda/std/...> need those here too: --include DIR.

Usage: python .ci/cuda_check.py [--jobs N] [--only nvcc|nvrtc] [--include DIR] [--prelude FILE]
       [name ...]
(--prelude prepends a file to each NVRTC string: a diagnostic aid, see nvrtc_probe_shim.h.)
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHS = ("80", "90")


def nvcc_jobs(tmp: Path, names: list[str], sass: bool) -> list[tuple[str, list[str]]]:
    from numkit import _gpu

    jobs = []
    base = ["nvcc", "-std=c++17", "-Werror", "cross-execution-space-call"]
    for name in names:
        src = tmp / f"{name}.cu"
        src.write_text(_gpu.kernel_source(name), encoding="utf-8")
        for arch in ARCHS:
            mode = ["--cubin", f"-arch=sm_{arch}"] if sass else ["--ptx", f"-arch=compute_{arch}"]
            out = tmp / f"{name}.sm_{arch}.out"
            jobs.append(
                (
                    f"{name} (NVRTC string) sm_{arch}",
                    [*base, *_gpu.compile_options(), *mode, str(src), "-o", str(out)],
                )
            )
    for cu in sorted((ROOT / "cpp" / "cuda").glob("*.cu")):
        code = "sm" if sass else "compute"
        gencode = [f"-gencode=arch=compute_{a},code={code}_{a}" for a in ARCHS]
        out = tmp / f"{cu.stem}.o"
        cmd = [*base, "-I", str(ROOT / "cpp" / "include"), *gencode, "-c", str(cu), "-o", str(out)]
        jobs.append((f"cpp/cuda/{cu.name} sm_{'+sm_'.join(ARCHS)}", cmd))
    return jobs


def run_nvcc(names: list[str], jobs: int) -> int:
    if shutil.which("nvcc") is None:
        print("nvcc: not on PATH, skipped")
        return 0
    sass = os.environ.get("NUMKIT_CUDA_CHECK_SASS") == "1"
    version = subprocess.run(["nvcc", "--version"], capture_output=True, text=True).stdout
    print(f"nvcc: {version.strip().splitlines()[-1]}; device code to {'SASS' if sass else 'PTX'}")
    t_all = time.perf_counter()
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        work = nvcc_jobs(Path(d), names, sass)

        def one(job: tuple[str, list[str]]) -> tuple[str, int, str, float]:
            t0 = time.perf_counter()
            res = subprocess.run(job[1], capture_output=True, text=True)
            return job[0], res.returncode, res.stdout + res.stderr, time.perf_counter() - t0

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for label, rc, log, dt in pool.map(one, work):
                print(f"nvcc  {label:44s} {'ok' if rc == 0 else 'FAILED'} ({dt:.1f} s)")
                if rc != 0:
                    failed += 1
                    print(log[-4000:])
    print(f"nvcc: {len(work) - failed}/{len(work)} compiled in {time.perf_counter() - t_all:.0f} s")
    return failed


def load_nvrtc() -> ctypes.CDLL | None:
    candidates = []
    if os.environ.get("NUMKIT_NVRTC_LIB"):
        candidates.append(os.environ["NUMKIT_NVRTC_LIB"])
    try:
        import nvidia.cuda_nvrtc as pkg  # the nvidia-cuda-nvrtc-cu12 wheel

        for root in pkg.__path__:
            candidates += sorted(glob.glob(os.path.join(root, "lib", "libnvrtc.so*")))
    except ImportError:
        pass
    found = ctypes.util.find_library("nvrtc")
    if found:
        candidates.append(found)
    for path in candidates:
        if "builtins" in path or ".alt." in path:
            continue
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def nvrtc_compile(lib: ctypes.CDLL, source: str, name: str, options: list[str]) -> tuple[int, str]:
    """Compile ``source`` to PTX with NVRTC; (nvrtcResult, program log)."""
    prog = ctypes.c_void_p()
    rc = lib.nvrtcCreateProgram(
        ctypes.byref(prog), source.encode(), f"{name}.cu".encode(), 0, None, None
    )
    if rc != 0:
        return rc, "nvrtcCreateProgram failed"
    opts = (ctypes.c_char_p * len(options))(*[o.encode() for o in options])
    rc = lib.nvrtcCompileProgram(prog, len(options), opts)
    size = ctypes.c_size_t()
    lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
    log = ctypes.create_string_buffer(size.value)
    lib.nvrtcGetProgramLog(prog, log)
    lib.nvrtcDestroyProgram(ctypes.byref(prog))
    return rc, log.value.decode(errors="replace")


def run_nvrtc(names: list[str], jobs: int, prelude: str, includes: list[str]) -> int:
    from numkit import _gpu

    lib = load_nvrtc()
    if lib is None:
        print("nvrtc: libnvrtc not found (pip install nvidia-cuda-nvrtc-cu12 to check), skipped")
        return 0
    major, minor = ctypes.c_int(), ctypes.c_int()
    lib.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
    work = [(n, a) for n in names for a in ARCHS]

    def one(item: tuple[str, str]) -> tuple[str, str, int, str, float]:
        name, arch = item
        extra = [f"-I{d}" for d in includes]
        options = [*_gpu.compile_options(), *extra, f"-arch=compute_{arch}", "-ftz=true"]
        t0 = time.perf_counter()
        rc, log = nvrtc_compile(lib, prelude + _gpu.kernel_source(name), name, options)
        return name, arch, rc, log, time.perf_counter() - t0

    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # NVRTC is thread-safe per program
        for name, arch, rc, log, dt in pool.map(one, work):
            status = "ok" if rc == 0 else f"FAILED (nvrtcResult {rc})"
            version = f"{major.value}.{minor.value}"
            print(f"nvrtc {version} {name:22s} compute_{arch}: {status} ({dt:.1f} s)")
            if rc != 0:
                failed += 1
                errors = sorted({ln for ln in log.splitlines() if "error" in ln})
                print("\n".join(errors)[:4000])
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="kernel names (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", choices=("nvcc", "nvrtc"))
    parser.add_argument("--prelude", type=Path, help="file prepended to each NVRTC string")
    parser.add_argument("--include", action="append", default=[], help="extra NVRTC -I dir")
    args = parser.parse_args()
    from numkit import _gpu

    names = args.names or [*_gpu.kernel_names(), *_gpu.module_names()]
    prelude = args.prelude.read_text(encoding="utf-8") if args.prelude else ""
    failed = 0
    if args.only in (None, "nvcc"):
        failed += run_nvcc(names, args.jobs)
    if args.only in (None, "nvrtc"):
        failed += run_nvrtc(names, args.jobs, prelude, args.include)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
