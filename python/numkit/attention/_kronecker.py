"""Kronecker (2-simplicial) attention: the public functions and the choice between methods."""

from __future__ import annotations

import math
import warnings
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from numkit._core import attention as _core
from numkit._lib.backend import backend_of
from numkit._lib.validation import check_count, check_workers, positive_scalar

from . import _poly
from ._validate import (
    MASK_CAUSAL,
    MASK_WINDOW,
    Mask,
    Method,
    Prepared,
    prepare,
    unbroadcast,
)


class KroneckerGrad(NamedTuple):
    """Gradients of ``sum(dout * kronecker_attention(Q, K1, K2, V1, V2))``, shaped as the inputs."""

    dQ: np.ndarray
    dK1: np.ndarray
    dK2: np.ndarray
    dV1: np.ndarray
    dV2: np.ndarray


def _finite(p: Prepared, out: Any) -> Any:
    """out, or ValueError: the inputs are finite (prepare checks them), so a NaN or inf can only
    come from logits past float64's range."""
    xp = _poly._xp(out)
    if out.size and not bool(xp.isfinite(out).all()):
        raise ValueError(
            "the attention result is not finite in float64: its logits (|scale * Q . (K1 * K2)|"
            f" <= {_poly.radius(p):.3g}) or the value products V1 * V2 overflow: rescale the "
            "inputs or the scale"
        )
    return out


def _shaped(p: Prepared, out: Any) -> Any:
    out = _finite(p, out)
    return out.reshape(p.batch_shape + out.shape[1:]).astype(p.dtype, copy=False)


def triples(p: Prepared) -> int:
    """Number of (i, j, k) triples the exact method visits."""
    i = np.arange(p.nq)
    if p.mode == MASK_CAUSAL:
        nj, nk = np.minimum(i + 1, p.n1), np.minimum(i + 1, p.n2)
    elif p.mode == MASK_WINDOW:
        nj = np.minimum(i + 1, p.n1) - np.clip(i - p.w1 + 1, 0, None)
        nk = np.minimum(i + 1, p.n2) - np.clip(i - p.w2 + 1, 0, None)
        nj, nk = np.clip(nj, 0, None), np.clip(nk, 0, None)
    else:
        nj, nk = np.full(p.nq, p.n1), np.full(p.nq, p.n2)
    batch = p.arrays[0].shape[0]
    return int(batch * np.sum(nj.astype(np.float64) * nk))


def _exact(p: Prepared, workers: int) -> np.ndarray:
    Q, K1, K2, V1, V2 = p.arrays[:5]
    out, _ = _core.exact_forward(Q, K1, K2, V1, V2, p.scale, p.mode, p.w1, p.w2, workers)
    return out


def _poly_faster(p: Prepared, rank: int, workers: int) -> bool:
    """Operation-count estimate: exact ~ (2d + 2dv + 25) flops per triple on `workers` threads;
    poly ~ (nq + n1 + n2) r (2 dv + 4) flops (x5 with prefix sums) at a third of the exact
    kernel's rate (NumPy passes instead of one fused loop), plus ~1 ms of Python per batch
    element (worth 2e6 flops)."""
    batch = p.arrays[0].shape[0]
    exact = triples(p) * (2 * p.d + 2 * p.dv + 25) / workers
    rows = batch * (p.nq + p.n1 + p.n2)
    poly = 3 * rows * rank * (2 * p.dv + 4) * (5 if p.mode == MASK_CAUSAL else 1) + 2e6 * batch
    return poly < exact


class PolyAccuracyWarning(UserWarning):
    """method="poly" without ``atol`` ran a degree whose error bound says little about the
    output (above 1e-3 of its scale, or no guarantee at all)."""


def _warn_if_loose(b: _poly.PolyBound, chosen: str) -> None:
    """Without atol nothing checks the degree: say so when its guarantee is loose."""
    if b.bound <= 1e-3 * b.output_scale:
        return
    what = "no guarantee" if not math.isfinite(b.bound) else f"only |error| <= {b.bound:.3g}"
    warnings.warn(
        f"method='poly' with {chosen} degree {b.degree} gives {what} against outputs of size up "
        f"to {b.output_scale:.3g} (logit radius R = {b.radius:.3g}); pass atol= to get the "
        "degree that meets it (or an error), or use method='exact'",
        PolyAccuracyWarning,
        stacklevel=3,
    )


def _poly_degree(p: Prepared, degree: int | None, atol: float | None) -> int:
    """The degree method="poly" runs: the one given (its bound must meet atol when atol is
    given), else the lowest meeting atol, else 3. Without atol, a degree whose bound exceeds
    1e-3 of the output scale warns (PolyAccuracyWarning)."""
    if p.mode == MASK_WINDOW:
        raise ValueError("method='poly' supports mask=None or 'causal', not window")
    if degree is not None and atol is not None:
        _poly.check_rank(p.d, degree)
        b = _poly.bound_for(p, degree)
        if not b.bound <= atol:
            raise ValueError(
                f"degree={degree} guarantees only {b.bound:.3g}, above atol={atol} (logit "
                f"radius R = {b.radius:.3g}); raise the degree, drop it, or use method='exact'"
            )
        return degree
    if degree is None and atol is not None:
        b = _poly.smallest_degree(p, atol)
        if b is None:
            raise ValueError(
                f"no degree <= {_poly.MAX_DEGREE} meets atol={atol} (logit radius R = "
                f"{_poly.radius(p):.3g}); use method='exact'"
            )
        return b.degree
    chosen = degree or 3
    _poly.check_rank(p.d, chosen)
    _warn_if_loose(_poly.bound_for(p, chosen), "the given" if degree else "the default")
    return chosen


def _check_degree(degree: Any) -> int | None:
    if degree is None:
        return None
    deg = check_count(degree, "degree")  # TypeError for 2.0 or True, as for every count
    if deg > _poly.MAX_DEGREE:
        raise ValueError(f"degree must be in 1..{_poly.MAX_DEGREE}, got {deg}")
    return deg


def _check_atol(atol: Any) -> float | None:
    return None if atol is None else positive_scalar(atol, "atol")


def kronecker_attention(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    *,
    scale: float | None = None,
    mask: Mask | None = None,
    window: tuple[int, int] | None = None,
    method: Method = "auto",
    degree: int | None = None,
    atol: float | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Kronecker (2-simplicial) attention: a softmax over pairs (j, k) of trilinear logits.

    ``Att[i] = sum_jk softmax_jk(scale * sum_l Q[i,l] K1[j,l] K2[k,l]) V1[j] * V2[k]``, i.e.
    ``D^-1 A (V1 ⊘ V2)`` with ``A = exp(Q (K1 ⊘ K2)^T * scale)`` (Alman & Song, ICLR 2024),
    computed without forming the n x n^2 matrix A.

    Parameters
    ----------
    Q : array_like, shape (..., nq, d)
    K1, V1 : array_like, shapes (..., n1, d) and (..., n1, dv)
    K2, V2 : array_like, shapes (..., n2, d) and (..., n2, dv)
        Any leading batch/head dimensions (broadcast against each other). K2/V2 may have their
        own length (cross attention). float32 or float64 (other reals become float64).
    scale : float, optional
        Logit scale, default ``1 / d`` (the paper's normalization).
    mask : {None, "causal"}
        ``"causal"`` keeps the pairs with j <= i and k <= i.
    window : (int, int), optional
        Causal sliding windows of 2-simplicial attention: j in (i - w1, i], k in (i - w2, i].
    method : {"auto", "exact", "poly"}
        ``"exact"``: tiled C++ kernel with an online (running-max) softmax, O(nd) memory, equal
        to the definition up to rounding. ``"poly"``: the polynomial method, O(n r dv) with
        r = C(d + degree, degree) (mask None or "causal"); its error bound is
        :func:`poly_error_bound`. ``"auto"``: poly only when ``atol`` is given, its bound meets
        ``atol`` and the operation count says it is faster; exact otherwise.
    degree : int, optional
        Polynomial degree for ``"poly"``; default: the lowest degree whose bound meets ``atol``
        (degree 3 if ``atol`` is None). Without ``atol``, a degree whose bound exceeds 1e-3 of
        ``max |V1 * V2|`` warns (:class:`PolyAccuracyWarning`): at standard-normal inputs the
        degree-3 error is ~50% of the output.
    atol : float, optional
        Absolute error the approximation must guarantee (``"poly"``, ``"auto"``).
    workers : int, optional
        Threads over queries and batch for the exact kernel, in scipy.fft's convention (as
        everywhere in numkit): None is 1, -1 every core this process may use, -2 all but one.

    Returns
    -------
    ndarray, shape (..., nq, dv), the inputs' dtype (float32 only if all inputs are float32).
    float32 inputs are computed in float64 (logits, softmax and sums; O(nd) extra memory) and
    rounded once at the end. CuPy inputs (all five) give a CuPy array: "exact" and "auto" run
    the exact method on the GPU from batched GEMMs (``numkit.gpu.kronecker_attention``),
    "poly" the polynomial method's features and GEMMs on the device.

    Raises
    ------
    ValueError
        Mismatched shapes or feature sizes, an empty sequence, non-finite values, a window size
        < 1, an unknown mask/method, ``method="poly"`` with a window, or no degree meeting
        ``atol`` for ``method="poly"``.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.attention import kronecker_attention, kronecker_attention_naive
    >>> rng = np.random.default_rng(0)
    >>> Q, K1, K2, V1, V2 = (rng.standard_normal((64, 8)) for _ in range(5))
    >>> out = kronecker_attention(Q, K1, K2, V1, V2)  # exact, O(n d) memory
    >>> out.shape
    (64, 8)
    >>> bool(np.abs(out - kronecker_attention_naive(Q, K1, K2, V1, V2)).max() < 1e-14)
    True
    >>> causal = kronecker_attention(Q, K1, K2, V1, V2, mask="causal")
    """
    if method not in ("auto", "exact", "poly"):
        raise ValueError(f"method must be 'auto', 'exact' or 'poly', got {method!r}")
    deg = _check_degree(degree)
    tol = _check_atol(atol)
    nw = check_workers(workers)
    if backend_of(Q, K1, K2, V1, V2) == "cupy":
        # On the GPU "auto" is the exact method (batched GEMMs); "poly" runs its features and
        # GEMMs on the device.
        from numkit import _gpu

        from ._device import device_attention, device_prepared

        xp = _gpu.require_cupy()
        if method == "poly":
            p = device_prepared(xp, Q, K1, K2, V1, V2, scale, mask, window)
            return _shaped(p, _poly.poly_prepared(p, _poly_degree(p, deg, tol)))
        return device_attention(xp, Q, K1, K2, V1, V2, scale, mask, window)
    p = prepare(Q, K1, K2, V1, V2, scale, mask, window)
    if method == "exact":
        return _shaped(p, _exact(p, nw))
    if method == "poly":
        return _shaped(p, _poly.poly_prepared(p, _poly_degree(p, deg, tol)))
    # auto
    if tol is not None and p.mode != MASK_WINDOW:
        b = _poly.bound_for(p, deg) if deg is not None else _poly.smallest_degree(p, tol)
        if (
            b is not None
            and b.rank <= _poly.MAX_RANK
            and b.bound <= tol
            and _poly_faster(p, b.rank, nw)
        ):
            return _shaped(p, _poly.poly_prepared(p, b.degree))
    return _shaped(p, _exact(p, nw))


def poly_error_bound(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    *,
    scale: float | None = None,
    mask: Mask | None = None,
    degree: int = 3,
) -> _poly.PolyBound:
    """The rigorous bound on ``|method="poly" - exact|`` (every output entry) for these inputs.

    Computed from max norms before any attention work (see numkit.attention._poly for the
    derivation): Chebyshev interpolation error of exp on [-R, R] plus floating-point allowances,
    turned into an output bound through the smallest possible weight e^-R. The same bound holds
    with or without the causal mask.
    """
    deg = _check_degree(degree)
    p = prepare(Q, K1, K2, V1, V2, scale, mask, None)
    return _poly.bound_for(p, deg or 3)


def kronecker_attention_grad(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    dout: npt.ArrayLike,
    *,
    scale: float | None = None,
    mask: Mask | None = None,
    window: tuple[int, int] | None = None,
    workers: int | None = None,
) -> KroneckerGrad:
    """Exact gradients of ``sum(dout * kronecker_attention(Q, K1, K2, V1, V2, ...))``.

    With P the attention weights, dP_ijk = dout_i . (V1[j] * V2[k]) and
    dS = P (dP - dout_i . Att_i) (Liang et al. 2024, "Tensor Attention Training"):
    dQ_i = scale sum_jk dS_ijk K1[j] * K2[k], and likewise for K1, K2; dV1[j] = sum_ik P_ijk
    dout_i * V2[k], and likewise for V2. Recomputes the weights tile by tile from the forward's
    log-normalizers: O(nd) memory per thread, the same masks and windows, float64 arithmetic.
    Gradients of broadcast inputs are summed back to their shapes. CuPy inputs (all six) run on
    the device from batched GEMMs and give CuPy arrays. ``workers`` as in
    :func:`kronecker_attention` (None is 1 thread).

    Returns
    -------
    KroneckerGrad
        ``(dQ, dK1, dK2, dV1, dV2)``, each with the shape of its input.
    """
    nw = check_workers(workers)
    if backend_of(Q, K1, K2, V1, V2, dout) == "cupy":
        from numkit import _gpu

        from ._device import device_attention_grad

        xp = _gpu.require_cupy()
        return KroneckerGrad(
            *device_attention_grad(xp, Q, K1, K2, V1, V2, dout, scale, mask, window)
        )
    p = prepare(Q, K1, K2, V1, V2, scale, mask, window, dout=dout)
    Qa, K1a, K2a, V1a, V2a, Da = p.arrays
    grads = _core.exact_backward(Qa, K1a, K2a, V1a, V2a, Da, p.scale, p.mode, p.w1, p.w2, nw)
    shaped = [
        unbroadcast(_finite(p, g).reshape(p.batch_shape + g.shape[1:]), shape).astype(
            p.dtype, copy=False
        )
        for g, shape in zip(grads, p.shapes[:5])
    ]
    return KroneckerGrad(*shaped)
