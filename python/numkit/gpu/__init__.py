"""numkit on the GPU: CuPy arrays in, CuPy arrays out, from the same C++ kernel headers.

Every ``numkit.special`` ufunc and the vMF log normalizers have a GPU twin here with the same
arguments, broadcasting and dtype rules (float32 stays float32, integers give float64)::

    import cupy, numkit.gpu
    x = cupy.linspace(0.1, 100.0, 10**8)
    y = numkit.gpu.log_iv(2.5, x)          # a cupy.ndarray on the same device, no host copy

The kernels are ``cpp/include/numkit/`` (the headers the CPU ufuncs use) wrapped by
``cpp/cuda/``, compiled at run time by NVRTC through ``cupy.RawModule`` on the first call of
each function (seconds; CuPy caches the binary on disk, later processes load it). Install with
``pip install "numkit[gpu]"`` (CuPy for CUDA 12); a CPU-only install needs neither CuPy nor a
CUDA toolkit, and importing this module does not import CuPy.

Why explicit functions and not the ufuncs' ``__array_ufunc__``
---------------------------------------------------------------
``numkit.special.log_iv`` is a genuine ``np.ufunc``. Calling it on a CuPy array goes to
``cupy.ndarray.__array_ufunc__``, which handles only ufuncs it finds *by name* in ``cupy`` and
``cupyx.scipy.special``; for a foreign ufunc it returns NotImplemented and NumPy raises TypeError.
numkit cannot register its ufuncs there, and a ufunc's ``__array_ufunc__`` override belongs to
the array type, not the ufunc, so there is no hook through which ``numkit.special.log_iv(cupy_x)``
could reach a GPU kernel. Dispatch is therefore explicit: ``numkit.gpu.<name>``.

Errors
------
Mixing CuPy and NumPy arrays raises TypeError (nothing is copied between host and device behind
your back); so does a NumPy-only call (use the CPU ufunc). Without CuPy every call raises
ImportError naming ``pip install "numkit[gpu]"``. Domain errors give NaN, as on the CPU, but no
floating-point flag is raised on a GPU (``np.errstate`` does not apply).

Kronecker attention
-------------------
:func:`kronecker_attention` (also ``numkit.attention.kronecker_attention`` given CuPy arrays)
is the exact method from the device's batched GEMMs (cuBLAS through CuPy): the n1 x n2 logits
of a block of queries at a time, a max-subtracted softmax, a second GEMM for the values.
``numkit.attention.kronecker_attention(..., method="poly")`` runs the polynomial method's
features and GEMMs on the device, and ``numkit.attention.kronecker_attention_grad`` the exact
gradients, given CuPy arrays.

Hamming distances
-----------------
:func:`hamming_distances` (also ``numkit.hamming.hamming_distances`` given CuPy arrays) is the
tiled brute force of ``cpp/cuda/hamming.cuh``: exact, or clipped at ``k + 1``, with a wildcard;
text and pattern are compared by value in one integer dtype, so no alphabet remap runs.
``method="fft"`` runs the FFT engine on cupyx.scipy.fft (every pattern symbol a channel), and
``eps`` mode hashes the symbols to colours as on the CPU (same seed, same estimates) and counts
them with the brute force. The position-list engine (``"abrahamson"``) is not on the GPU.

vMF fits and samples
--------------------
:func:`fit_vmf` (also ``numkit.stats.fit_vmf`` given CuPy arrays) runs the pass over the n x p
data on the device and solves for kappa on the host: only the p-vector of sums comes back, and
the :class:`~numkit.stats.VMFFit` it returns holds NumPy values. :func:`vmf_rvs` draws the
n x p tangent directions on the device (CuPy's generator, seeded from ``random_state``) and
t = mu.x on the host (the CPU sampler's exact rejection step, 2 n numbers sent over), so its
samples follow the same law as ``VonMisesFisher.rvs`` but are not the same numbers for a seed.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from numkit import _gpu
from numkit._lib.backend import backend_of, is_cupy_array

__all__ = [
    "fit_vmf",
    "hamming_distances",
    "is_available",
    "iv_ratio",
    "kronecker_attention",
    "log_iv",
    "log_iv_dv",
    "log_iv_dx",
    "log_ive",
    "log_kv",
    "log_kv_dv",
    "log_kv_dx",
    "log_kve",
    "status",
    "vmf_log_normalizer",
    "vmf_log_normalizer_e",
    "vmf_logpdf",
    "vmf_rvs",
]


def _device_only(name: str, host_peer: str, **arrays: Any) -> None:
    """TypeError unless every array is a CuPy array: a mixed set names its host arrays (via
    backend_of), an all-host set points to the host function."""
    if all(is_cupy_array(a) for a in arrays.values()):
        return
    backend_of(*arrays.values())  # mixed host and device arrays: its TypeError
    got = ", ".join(f"{k} {type(a).__name__}" for k, a in arrays.items())
    raise TypeError(
        f"numkit.gpu.{name} takes CuPy arrays (got {got}); for host data use {host_peer}"
    )


def status() -> str:
    """The GPU backend's state in words: CuPy's version and device, or why it is unusable."""
    return _gpu.cupy_status()


def is_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device (never raises)."""
    return _gpu.cupy_status().startswith("cupy ") and "no CUDA device" not in _gpu.cupy_status()


# --- numkit.special ------------------------------------------------------------------------


def log_iv(v: Any, x: Any, out: Any = None) -> Any:
    """log I_v(x) on the GPU (see :func:`numkit.special.log_iv`)."""
    return _gpu.elementwise("log_iv", v, x, out)


def log_ive(v: Any, x: Any, out: Any = None) -> Any:
    """log I_v(x) - x on the GPU (see :func:`numkit.special.log_ive`)."""
    return _gpu.elementwise("log_ive", v, x, out)


def log_kv(v: Any, x: Any, out: Any = None) -> Any:
    """log K_v(x) on the GPU (see :func:`numkit.special.log_kv`)."""
    return _gpu.elementwise("log_kv", v, x, out)


def log_kve(v: Any, x: Any, out: Any = None) -> Any:
    """log K_v(x) + x on the GPU (see :func:`numkit.special.log_kve`)."""
    return _gpu.elementwise("log_kve", v, x, out)


def iv_ratio(v: Any, x: Any, out: Any = None) -> Any:
    """I_v(x) / I_{v-1}(x) on the GPU (see :func:`numkit.special.iv_ratio`)."""
    return _gpu.elementwise("iv_ratio", v, x, out)


def log_iv_dx(v: Any, x: Any, out: Any = None) -> Any:
    """d/dx log I_v(x) on the GPU (see :func:`numkit.special.log_iv_dx`)."""
    return _gpu.elementwise("log_iv_dx", v, x, out)


def log_kv_dx(v: Any, x: Any, out: Any = None) -> Any:
    """d/dx log K_v(x) on the GPU (see :func:`numkit.special.log_kv_dx`)."""
    return _gpu.elementwise("log_kv_dx", v, x, out)


def log_iv_dv(v: Any, x: Any, out: Any = None) -> Any:
    """d/dv log I_v(x) on the GPU (see :func:`numkit.special.log_iv_dv`)."""
    return _gpu.elementwise("log_iv_dv", v, x, out)


def log_kv_dv(v: Any, x: Any, out: Any = None) -> Any:
    """d/dv log K_v(x) on the GPU (see :func:`numkit.special.log_kv_dv`)."""
    return _gpu.elementwise("log_kv_dv", v, x, out)


# --- numkit.stats --------------------------------------------------------------------------


def vmf_log_normalizer(p: Any, kappa: Any, out: Any = None) -> Any:
    """log C_p(kappa) of the vMF distribution on the GPU (see numkit.stats.vmf_log_normalizer)."""
    return _gpu.elementwise("vmf_log_normalizer", p, kappa, out)


def vmf_log_normalizer_e(p: Any, kappa: Any, out: Any = None) -> Any:
    """log C_p(kappa) + kappa on the GPU (see numkit.stats.vmf_log_normalizer_e)."""
    return _gpu.elementwise("vmf_log_normalizer_e", p, kappa, out)


_ROWS_ELEMENTS = 1 << 26  # float64 elements per block of rows in vmf_logpdf (512 MiB)


def vmf_logpdf(x: Any, mu: Any, kappa: float, *, normalize: bool = False) -> Any:
    """vMF log density at the rows of a CuPy array ``x`` of shape (..., p); returns shape (...).

    The GPU counterpart of ``VonMisesFisher(mu, kappa).logpdf(x)``, with the same formula
    ``(log C_p(kappa) + kappa) - kappa (1 - mu.u)`` for the directions u = x / |x| (with
    ``|u - mu|^2 / 2`` near the mode above kappa = 1e4): the dot products run on the device in
    float64 (also for float32 ``x``, whose dtype the result keeps); the scalar
    ``log C_p(kappa) + kappa`` is the CPU kernel's value.

    Parameters
    ----------
    x : cupy.ndarray, shape (..., p)
        Unit vectors (``|norm - 1| <= 1e-6``) unless ``normalize=True``; float32 or float64.
    mu : cupy.ndarray, shape (p,)
        Mean direction, a unit vector (``|norm - 1| <= 1e-6``).
    kappa : float
        Concentration, finite and >= 0.
    normalize : bool
        Divide the rows of ``x`` by their norms instead of rejecting non-unit rows.

    Raises
    ------
    TypeError
        ``x`` or ``mu`` is not a CuPy array (mixed host/device inputs included).
    ValueError
        Shapes that do not match, non-unit rows or ``mu``, non-finite values, bad kappa.
    """
    from numkit._core.stats import vmf_log_normalizer_e as _shifted
    from numkit.stats._validate import _EXACT_GAP_KAPPA, check_kappa

    if backend_of(x, mu) != "cupy" or not (is_cupy_array(x) and is_cupy_array(mu)):
        raise TypeError(
            "numkit.gpu.vmf_logpdf takes CuPy arrays x and mu (got "
            f"{type(x).__name__}, {type(mu).__name__}); for NumPy use VonMisesFisher.logpdf"
        )
    cupy = _gpu.require_cupy()
    kappa = check_kappa(kappa)
    for arr, name in ((x, "x"), (mu, "mu")):
        if np.dtype(arr.dtype).kind not in "biuf":
            raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    # As on the host (float_array): float32/float64 stay, other real dtypes become float64.
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(cupy.float64)
    if mu.ndim != 1 or mu.shape[0] < 2:
        raise ValueError(f"mu must be a vector of length p >= 2, got shape {mu.shape}")
    p = mu.shape[0]
    if x.ndim == 0 or x.shape[-1] != p:
        raise ValueError(f"x must have shape (..., {p}) to match mu, got shape {x.shape}")
    mu64 = mu.astype(cupy.float64)
    mu_norm = float(cupy.sqrt(mu64 @ mu64))
    if not abs(mu_norm - 1.0) <= 1e-6:
        raise ValueError(f"mu must be a unit vector (|norm - 1| <= 1e-6), got norm {mu_norm!r}")
    mu64 /= mu_norm
    flat = x.reshape(-1, p)
    n = flat.shape[0]
    t = cupy.empty(n, dtype=cupy.float64)
    norms = cupy.empty(n, dtype=cupy.float64)
    exact = kappa > _EXACT_GAP_KAPPA
    near = cupy.empty(n, dtype=cupy.float64) if exact else None
    step = max(1, _ROWS_ELEMENTS // p)  # float32 rows are widened a block at a time
    for i in range(0, n, step):
        block = flat[i : i + step].astype(cupy.float64, copy=False)
        t[i : i + step] = block @ mu64
        nb = cupy.sqrt(cupy.einsum("ij,ij->i", block, block))
        norms[i : i + step] = nb
        if exact:  # |u - mu|^2 / 2 = 1 - u.mu for the direction u, accurate near the mode
            d = block / cupy.where(nb > 0, nb, 1.0)[:, None] - mu64
            near[i : i + step] = 0.5 * cupy.einsum("ij,ij->i", d, d)
    if n:
        # one device-to-host transfer for both checks
        worst, smallest = (
            float(s) for s in cupy.stack([cupy.abs(norms - 1.0).max(), norms.min()]).get()
        )
        if not (np.isfinite(worst) and smallest > 0):
            raise ValueError("x has rows with non-finite values or zero norm")
        if not normalize and worst > 1e-6:
            raise ValueError(
                f"rows of x must be unit vectors (|norm - 1| <= 1e-6), worst {worst:.3g}; "
                "pass normalize=True to project them"
            )
    # As on the CPU (VonMisesFisher.logpdf, stats._validate.one_minus_dot): every row is
    # projected, and above kappa = 1e4 the rows with u.mu > 0.5 take |u - mu|^2 / 2.
    t /= norms
    gap = 1.0 - t
    if exact:
        gap = cupy.where(t > 0.5, near, gap)
    shifted = float(_shifted(float(p), kappa))
    out = shifted - kappa * gap
    return out.reshape(x.shape[:-1]).astype(x.dtype, copy=False)


def fit_vmf(
    X: Any,
    weights: Any = None,
    *,
    estimator: Literal["mle", "debiased"] = "mle",
    normalize: bool = False,
    max_iter: int = 100,
) -> Any:
    """:func:`numkit.stats.fit_vmf` on a CuPy array ``X`` (n, p) (and CuPy ``weights``).

    The validation and the weighted sum of the projected rows run on the device; the p-vector
    and a few scalars come back, and kappa is solved on the host. Returns a
    :class:`numkit.stats.VMFFit` of NumPy values. Raises TypeError for a host ``X`` or mixed
    host/device inputs; otherwise as ``numkit.stats.fit_vmf``.
    """
    from numkit.stats import fit_vmf as _fit

    _device_only("fit_vmf", "numkit.stats.fit_vmf", X=X)
    return _fit(X, weights, estimator=estimator, normalize=normalize, max_iter=max_iter)


def vmf_rvs(mu: Any, kappa: float, size: Any = None, random_state: Any = None) -> Any:
    """vMF(mu, kappa) samples on the device: a CuPy array of shape ``size + (p,)``.

    ``mu`` is a CuPy unit vector (float32 or float64: the samples keep its dtype). t = mu.x is
    drawn on the host by the CPU sampler's rejection step from ``random_state`` (int,
    Generator, SeedSequence or RandomState); the tangent directions, their scaling and the
    Householder reflection run on the device from normals of ``cupy.random.RandomState``
    seeded by the same ``random_state``. Deterministic given ``random_state`` on one device.

    Raises
    ------
    TypeError
        ``mu`` is not a CuPy array; bad ``size`` or ``random_state``.
    ValueError
        As :class:`numkit.stats.VonMisesFisher` (non-unit ``mu``, bad kappa, negative size).
    """
    import math

    from numkit._lib.validation import check_random_state
    from numkit.stats import VonMisesFisher
    from numkit.stats._sampling import sample_vmf
    from numkit.stats._validate import check_size

    _device_only("vmf_rvs", "VonMisesFisher(mu, kappa).rvs", mu=mu)
    cupy = _gpu.require_cupy()
    dist = VonMisesFisher(cupy.asnumpy(mu), kappa)  # p numbers: checked on the host
    shape = check_size(size)
    rng = check_random_state(random_state)
    device_rng = cupy.random.RandomState(int(rng.integers(0, 2**63 - 1)))

    def normal(shape: tuple[int, int], dtype: np.dtype) -> Any:
        return device_rng.standard_normal(shape, dtype=dtype)

    n = math.prod(shape)
    out = sample_vmf(dist.mu, dist.kappa, n, rng, dist.dtype, xp=cupy, normal=normal)
    return out.reshape((*shape, dist.dim))


def hamming_distances(
    text: Any,
    pattern: Any,
    *,
    k: int | None = None,
    wildcard: Any = None,
    method: Literal["auto", "brute", "fft"] = "auto",
    eps: float | None = None,
    seed: Any = None,
) -> Any:
    """:func:`numkit.hamming.hamming_distances` of CuPy integer arrays, on the device.

    ``method="brute"`` (and "auto", until a device run calibrates a choice): the tiled GPU brute
    force (``cpp/cuda/hamming.cuh``), O(n m); ``"fft"``: the FFT engine on cupyx.scipy.fft, one
    channel per pattern symbol, for long patterns over small alphabets. Exact, or clipped at
    ``k + 1``; a ``wildcard`` symbol matches anything; ``eps`` / ``seed``: the CPU's
    (1 + eps)-approximate colour hashing (same seed, same estimates), counted by the brute force.
    Returns a CuPy int32 array of n - m + 1 values (float64 with eps). Raises TypeError for host
    arrays (mixed included) and non-integer dtypes, ValueError as the CPU function for empty
    inputs, m > n, k < 0, eps outside (0, 1) or another method.
    """
    from numkit.hamming._api import _on_device, _options

    _device_only(
        "hamming_distances", "numkit.hamming.hamming_distances", text=text, pattern=pattern
    )
    if method not in ("auto", "brute", "fft"):
        raise ValueError(f"method must be 'auto', 'brute' or 'fft', got {method!r}")
    return _on_device(text, pattern, _options(k, eps, method, seed, None), wildcard)


def kronecker_attention(
    Q: Any,
    K1: Any,
    K2: Any,
    V1: Any,
    V2: Any,
    *,
    scale: float | None = None,
    mask: Literal["causal"] | None = None,
    window: tuple[int, int] | None = None,
) -> Any:
    """Exact :func:`numkit.attention.kronecker_attention` of CuPy arrays, on the device.

    For each block of queries, the n1 x n2 logits are one batched GEMM on the device (with the
    softmax's shift, a bound on each query's logits, folded in; the exact maximum where the
    bound is too loose), and the weighted sum of V1 * V2 and the normalizer are a second GEMM
    and a reduction (float64 throughout; float32 inputs give float32). Masks and windows as on the
    CPU. Raises TypeError for host arrays (mixed included); otherwise as the CPU function.
    """
    from numkit.attention._device import device_attention

    _device_only(
        "kronecker_attention",
        "numkit.attention.kronecker_attention",
        Q=Q,
        K1=K1,
        K2=K2,
        V1=V1,
        V2=V2,
    )
    return device_attention(_gpu.require_cupy(), Q, K1, K2, V1, V2, scale, mask, window)
