#!/usr/bin/env bash
# benchmarks/gpu_check.sh -- the one prepared GPU run (issue 14): install, test, measure; ~6-8 min.
#
# Run once, as is, from anywhere on a machine with an NVIDIA GPU:  bash benchmarks/gpu_check.sh
#   1. CuPy: used as found (the H200 image here has cupy-cuda13x and no network); else
#      pip install ".[gpu]" (cupy-cuda12x[ctk]) where a package index can be reached.
#   2. numkit built from this tree (--no-build-isolation: scikit-build-core, pybind11 and numpy
#      must be there, as they are on that image).
#   3. python -m numkit info; pytest tests/gpu (GPU vs CPU: 2e-14 rel float64, 2 ulp float32).
#   4. Throughput, medians of 3 after a warm-up, CUDA events: log_iv, log_kv, iv_ratio on 1e8
#      float64 and float32 elements; the peers: SciPy on the CPU (on 1e6 of the same elements,
#      scaled per element, one thread), cupyx.scipy.special ive/kve where CuPy has them (and its
#      i0e/k0e at order 0 otherwise), a CuPy copy as the memory-bandwidth reference; vMF logpdf
#      at p = 4096, vmf_rvs and fit_vmf at p = 4096, Hamming n = 1e8 (m = 1000; brute and FFT, and
#      both at m = 1e4) against numkit's
#      CPU brute force, exact Kronecker attention at n = 4096, d = 64 (and the polynomial method at
#      d = 8 against the CPU poly, and the exact gradients at n = 1024). First-call compile times (NVRTC + driver JIT) are printed separately.
# Exit status: that of pytest (the benchmark runs even when tests fail, to show what it can).
# The whole output is also written to $OUT/gpu_check.log (the device tool returns only the tail
# of stdout); every phase is stamped with the seconds since the start and has its own timeout,
# and each benchmark section catches its own errors, so one failure does not hide the rest.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
LOG_DIR=${OUT:-/tmp}
exec > >(tee "$LOG_DIR/gpu_check.log") 2>&1
export PYTHONUNBUFFERED=1
export CUPY_CACHE_DIR=${CUPY_CACHE_DIR:-/tmp/cupy_kernel_cache}  # $HOME may not be writable
PY=${PYTHON:-python3}
t0=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - t0 )) s] $*"; }

if ! $PY -c "import cupy" 2>/dev/null; then
  stamp "CuPy not importable:"
  $PY -c "import cupy" 2>&1 | tail -3
  echo "   trying pip install .[gpu] (fails fast without a package index)"
  timeout 180 $PY -m pip install -q --retries 0 --timeout 5 ".[gpu]" || echo "   pip failed"
fi
$PY -c "import cupy; cupy.show_config()" 2>&1 | head -25
stamp "building numkit from $(pwd) (no LTO: the link would take minutes; no effect on the GPU)"
timeout 420 $PY -m pip install -q --no-build-isolation --no-deps \
  -Ccmake.define.CMAKE_INTERPROCEDURAL_OPTIMIZATION=OFF . || { echo "numkit build failed"; exit 1; }
cd /tmp  # from here on, the installed numkit (not the source tree's python/)
stamp "python -m numkit info"
$PY -m numkit info

stamp "compiling every GPU kernel once, in parallel (NVRTC; CuPy caches the binaries on disk)"
$PY - <<'EOF'
import time
from concurrent.futures import ThreadPoolExecutor

import cupy

import numkit.gpu
from numkit import _gpu


def warm(name):
    t = time.perf_counter()
    try:
        x = cupy.linspace(0.5, 5.0, 8)
        for dt in (cupy.float64, cupy.float32):
            getattr(numkit.gpu, name)(x.astype(dt) + 2, x.astype(dt))
        cupy.cuda.Device().synchronize()
        return f"  {name:22s} compiled and ran in {time.perf_counter() - t:6.1f} s"
    except Exception as exc:
        return f"  {name:22s} FAILED after {time.perf_counter() - t:.1f} s: {str(exc)[:1500]}"


t0 = time.perf_counter()
with ThreadPoolExecutor(max_workers=len(_gpu.kernel_names())) as pool:
    for line in pool.map(warm, _gpu.kernel_names()):
        print(line)
print(f"  all kernels: {time.perf_counter() - t0:.1f} s wall")
EOF

stamp "pytest tests/gpu"
cd "$REPO"
timeout 300 $PY -m pytest -q -rs --tb=short tests/gpu -p no:cacheprovider
rc=$?
cd /tmp

stamp "throughput"
$PY - <<'EOF'
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import cupy
import numpy as np
import scipy.special as sc

import numkit.gpu
import numkit.special
from numkit.stats import VonMisesFisher

N, NSUB = 10**8, 10**6


def gpu_time(fn, reps=3):
    fn()  # warm-up (compiled already)
    times = []
    for _ in range(reps):
        a, b = cupy.cuda.Event(), cupy.cuda.Event()
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(cupy.cuda.get_elapsed_time(a, b) / 1e3)
    return float(np.median(times))


def cpu_time(fn, reps=3):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


try:
    import cupyx.scipy.special as cxs
except ImportError:
    cxs = None
rng = cupy.random.default_rng(0)
peers_cpu = {
    "log_iv": lambda v, x: np.log(sc.ive(v, x)) + x,
    "log_kv": lambda v, x: np.log(sc.kve(v, x)) - x,
    "iv_ratio": lambda v, x: sc.ive(v, x) / sc.ive(v - 1, x),
}
peers_gpu = {"log_iv": "ive", "log_kv": "kve", "iv_ratio": "ive"}
order0 = {"log_iv": "i0e", "log_kv": "k0e"}


def section(fn):
    """Run one benchmark section now; an error is printed and the next section still runs."""
    t = time.perf_counter()
    try:
        fn()
    except Exception:
        import traceback

        print(f"-- section {fn.__name__} FAILED:")
        traceback.print_exc(limit=4)
    print(f"   ({fn.__name__}: {time.perf_counter() - t:.1f} s)", flush=True)
    cupy.get_default_memory_pool().free_all_blocks()
    return fn


P_VMF, N_VMF, KAPPA = 4096, 100_000, 2000.0
MU = cupy.zeros(P_VMF)
MU[0] = 1.0


@section
def special():
    print(f"{'function':10s} {'dtype':8s} {'numkit GPU':>14s} {'SciPy CPU':>12s} {'x SciPy':>9s}"
          f" {'cupyx peer':>24s} {'x peer':>7s}")
    for dtype in (cupy.float64, cupy.float32):
        v = rng.uniform(0.0, 100.0, N).astype(dtype)
        x = (10 ** rng.uniform(-2.0, 4.0, N)).astype(dtype)
        out = cupy.empty(N, dtype=dtype)
        copy_s = gpu_time(lambda: cupy.copyto(out, x))
        print(f"-- {np.dtype(dtype).name}: CuPy copy of 1e8 elements {N / copy_s:.3g} elem/s "
              f"({2 * x.nbytes / copy_s / 1e12:.2f} TB/s): the bandwidth reference")
        vs, xs = cupy.asnumpy(v[:NSUB]).astype(np.float64), cupy.asnumpy(x[:NSUB]).astype(np.float64)
        for name in ("log_iv", "log_kv", "iv_ratio"):
            f = getattr(numkit.gpu, name)
            try:
                g = gpu_time(lambda: f(v, x, out=out))
            except Exception as exc:
                print(f"{name:10s} {np.dtype(dtype).name:8s} FAILED: {str(exc)[:300]}")
                continue
            with np.errstate(all="ignore"):
                c = cpu_time(lambda: peers_cpu[name](vs, xs)) * (N / NSUB)
            peer, pr = "not in cupyx", float("nan")
            if cxs is not None and hasattr(cxs, peers_gpu[name]):
                pf = getattr(cxs, peers_gpu[name])
                pr = gpu_time(lambda: pf(v, x))
                peer = f"cupyx {peers_gpu[name]} {N / pr:.3g}/s"
                pr = pr / g
            elif cxs is not None and name in order0 and hasattr(cxs, order0[name]):
                pf = getattr(cxs, order0[name])
                pr = gpu_time(lambda: pf(x))
                peer = f"cupyx {order0[name]} (v=0) {N / pr:.3g}/s"
                pr = pr / g
            print(f"{name:10s} {np.dtype(dtype).name:8s} {N / g:10.3g}/s {N / c:10.3g}/s "
                  f"{c / g:8.0f}x {peer:>24s} {pr:6.2f}x")
            if name == "log_iv" and dtype == cupy.float64:
                verdict = "PASS" if N / g >= 1e10 else "FAIL"
                print(f"   acceptance: log_iv float64 >= 1e10 elements/s: {verdict}")


@section
def attention_exact():
    # Exact Kronecker attention, n = 4096, d = 64 (one head), against numkit's CPU exact kernel on
    # 16 of the queries (one thread, timed once, scaled per query).
    from numkit.attention import kronecker_attention

    na, da, nsub = 4096, 64, 16
    arrs = [cupy.random.default_rng(3 + i).standard_normal((na, da)) for i in range(5)]
    g = gpu_time(lambda: numkit.gpu.kronecker_attention(*arrs), reps=2)
    host = [cupy.asnumpy(a) for a in arrs]
    t = time.perf_counter()
    ref = kronecker_attention(host[0][:nsub], *host[1:], workers=1)
    c = (time.perf_counter() - t) * (na / nsub)
    near = float(abs(cupy.asnumpy(numkit.gpu.kronecker_attention(arrs[0][:nsub], *arrs[1:])) - ref).max())
    verdict = "PASS" if g < 1.0 else "FAIL"
    print(f"kronecker_attention exact n={na} d={da}: GPU {g:.3f} s, numkit CPU (1 thread) {c:.1f} s "
          f"({c / g:.0f}x), max |GPU - CPU| on {nsub} queries {near:.2e}; acceptance < 1 s: {verdict}")


@section
def vmf_logpdf():
    p, n, kappa, mu = P_VMF, N_VMF, KAPPA, MU
    for dtype in (cupy.float32, cupy.float64):
        # normalized in float64 and then rounded: float32 norms summed in float32 may miss the
        # 1e-6 unit-norm check
        X = rng.standard_normal((n, p))
        X = (X / cupy.linalg.norm(X, axis=1, keepdims=True)).astype(dtype)
        g = gpu_time(lambda: numkit.gpu.vmf_logpdf(X, mu, kappa))
        d = VonMisesFisher(cupy.asnumpy(mu).astype(np.dtype(dtype)), kappa)
        Xs = cupy.asnumpy(X[:2000])
        c = cpu_time(lambda: d.logpdf(Xs)) * (n / 2000)
        print(f"vmf_logpdf p={p} n={n} {np.dtype(dtype).name}: GPU {n / g:.3g} rows/s, "
              f"numkit CPU {n / c:.3g} rows/s ({c / g:.0f}x)")


@section
def vmf_rvs_fit():
    p, n, kappa, mu = P_VMF, N_VMF, KAPPA, MU
    X = numkit.gpu.vmf_rvs(mu, kappa, n, random_state=1)
    g = gpu_time(lambda: numkit.gpu.vmf_rvs(mu, kappa, n, random_state=1))
    f = gpu_time(lambda: numkit.gpu.fit_vmf(X))
    d = VonMisesFisher(cupy.asnumpy(mu), kappa)
    c = cpu_time(lambda: d.rvs(2000, random_state=1)) * (n / 2000)
    print(f"vmf_rvs p={p} n={n}: GPU {n / g:.3g} rows/s, numkit CPU {n / c:.3g} rows/s ({c / g:.0f}x);"
          f" fit_vmf on them: {f * 1e3:.1f} ms, kappa {numkit.gpu.fit_vmf(X).kappa:.1f} (true {kappa})")
    cupy.get_default_memory_pool().free_all_blocks()


@section
def hamming():
    # Hamming: n = 1e8 random uint8 text, m = 1000, the GPU brute force against numkit's CPU brute
    # force on 1e6 of the same text (one thread, scaled per window).
    from numkit.hamming import hamming_distances

    nh, m = 10**8, 1000
    T = cupy.random.default_rng(2).integers(0, 4, nh, dtype=cupy.uint8)
    P = T[5000 : 5000 + m].copy()
    g = gpu_time(lambda: numkit.gpu.hamming_distances(T, P))
    gk = gpu_time(lambda: numkit.gpu.hamming_distances(T, P, k=10))
    gf = gpu_time(lambda: numkit.gpu.hamming_distances(T, P, method="fft"))  # 4 symbols: 4 channels
    Ts, Ps = cupy.asnumpy(T[: 10**6]), cupy.asnumpy(P)
    c = cpu_time(lambda: hamming_distances(Ts, Ps, method="brute")) * ((nh - m + 1) / (10**6 - m + 1))
    cells = (nh - m + 1) * m
    same = bool((cupy.asnumpy(numkit.gpu.hamming_distances(T[: 10**6], P)) == hamming_distances(Ts, Ps)).all())
    same_fft = bool((numkit.gpu.hamming_distances(T[: 10**6], P, method="fft")
                     == numkit.gpu.hamming_distances(T[: 10**6], P)).all())
    print(f"hamming n=1e8 m={m}: GPU {g * 1e3:.1f} ms ({cells / g:.3g} cells/s), k=10 {gk * 1e3:.1f} ms; "
          f"numkit CPU brute {c:.2f} s ({c / g:.0f}x); equal to the CPU on 1e6: {same}")
    print(f"hamming n=1e8 m={m} FFT engine on the GPU: {gf * 1e3:.1f} ms (brute / fft {g / gf:.2f}); "
          f"equal to the GPU brute force on 1e6: {same_fft}")
    P4 = T[7000 : 7000 + 10 * m].copy()  # m = 1e4: where the FFT should win
    g4 = gpu_time(lambda: numkit.gpu.hamming_distances(T, P4))
    gf4 = gpu_time(lambda: numkit.gpu.hamming_distances(T, P4, method="fft"))
    print(f"hamming n=1e8 m={10 * m}: GPU brute {g4 * 1e3:.1f} ms, FFT {gf4 * 1e3:.1f} ms "
          f"(brute / fft {g4 / gf4:.2f}): calibrates method='auto' on the GPU")
    cupy.get_default_memory_pool().free_all_blocks()


@section
def attention_poly():
    # The polynomial method on the device, n = 4096, d = 8, degree 3 (rank 165), against the CPU poly.
    from numkit.attention import kronecker_attention

    na = 4096
    pa = [0.3 * cupy.random.default_rng(9 + i).standard_normal((na, 8)) for i in range(5)]
    gp = gpu_time(lambda: kronecker_attention(*pa, method="poly", degree=3), reps=2)
    ph = [cupy.asnumpy(a) for a in pa]
    t = time.perf_counter()
    cref = kronecker_attention(*ph, method="poly", degree=3)
    cp_t = time.perf_counter() - t
    dp = float(abs(cupy.asnumpy(kronecker_attention(*pa, method="poly", degree=3)) - cref).max())
    print(f"kronecker_attention poly n={na} d=8 degree 3: GPU {gp * 1e3:.1f} ms, CPU {cp_t * 1e3:.1f} ms "
          f"({cp_t / gp:.1f}x), max |GPU - CPU| {dp:.2e}")


@section
def attention_grad():
    # Exact gradients on the device: n = 1024, d = 64, timed; and against the CPU at n = 128.
    from numkit.attention import kronecker_attention_grad

    ga = [cupy.random.default_rng(20 + i).standard_normal((1024, 64)) for i in range(6)]
    gg = gpu_time(lambda: kronecker_attention_grad(*ga), reps=2)
    sm = [cupy.asnumpy(a[:128]) for a in ga]
    want = kronecker_attention_grad(*sm)
    got = kronecker_attention_grad(*(cupy.asarray(a) for a in sm))
    rel = max(float(abs(cupy.asnumpy(g) - w).max() / abs(w).max()) for g, w in zip(got, want))
    print(f"kronecker_attention_grad n=1024 d=64: GPU {gg:.3f} s; n=128 max rel |GPU - CPU| {rel:.2e}")

EOF
stamp "done; pytest exit status $rc"
exit $rc
