"""The frozen von Mises-Fisher distribution VonMisesFisher(mu, kappa)."""

from __future__ import annotations

import math
from typing import Any, Literal, Union

import numpy as np

from .._lib.backend import is_cupy_array
from .._lib.validation import check_random_state, float_array
from ._bessel import (
    mean_resultant_length,
    one_minus_mrl,
    vmf_log_normalizer,
    vmf_log_normalizer_e,
)
from ._sampling import sample_vmf
from ._validate import (
    check_kappa,
    check_row_norms,
    check_size,
    divide_rows,
    one_minus_dot,
    row_blocks,
    row_norms,
    unit_rows,
)

__all__ = ["VonMisesFisher"]

Size = Union[int, tuple[int, ...], None]


class VonMisesFisher:
    """The von Mises-Fisher distribution on the unit sphere S^{p-1} in R^p, frozen.

    The density with respect to the surface measure is ``C_p(kappa) exp(kappa mu.x)`` with
    ``log C_p(kappa) = (p/2 - 1) log kappa - (p/2) log(2 pi) - log I_{p/2-1}(kappa)``, evaluated
    with numkit's log-Bessel functions so that it stays finite for p up to (and beyond) 65536 and
    kappa from 0 (the uniform distribution) to 1e8.

    Parameters
    ----------
    mu : array_like, shape (p,)
        Mean direction, a unit vector (``|norm - 1| <= 1e-6``), p >= 2. float32 or float64: the
        dtype of ``mu`` is the dtype of the samples drawn by ``rvs``.
    kappa : float
        Concentration, finite and >= 0.
    normalize : bool, optional
        Divide ``mu`` by its norm instead of rejecting a non-unit ``mu``.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.stats import VonMisesFisher
    >>> mu = np.zeros(2048); mu[0] = 1.0
    >>> d = VonMisesFisher(mu, 500.0)
    >>> x = d.rvs(1000, random_state=0)
    >>> float(d.logpdf(x).mean()) > 0
    True
    """

    def __init__(self, mu: object, kappa: float, *, normalize: bool = False) -> None:
        arr = float_array(mu, "mu")
        if arr.ndim != 1:
            raise ValueError(f"mu must be a 1-D vector, got shape {arr.shape}")
        arr = unit_rows(arr, normalize=normalize, name="mu")
        # Store mu in float64, renormalized, so that the reflection in rvs is exact to rounding.
        mu64 = arr.astype(np.float64)
        mu64 /= np.sqrt(mu64 @ mu64)
        self._mu = mu64
        self._mu.flags.writeable = False
        self._dtype = arr.dtype
        self._kappa = check_kappa(kappa)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # pickle and deepcopy rebuild mu as a writeable array: keep it read-only (mutating the
        # unit vector in place would make every later result silently wrong)
        self.__dict__.update(state)
        self._mu.flags.writeable = False

    @classmethod
    def fit(
        cls,
        X: Any,
        weights: Any = None,
        *,
        estimator: Literal["mle", "debiased"] = "mle",
        normalize: bool = False,
        max_iter: int = 100,
    ) -> VonMisesFisher:
        """The fitted distribution: mu and kappa of :func:`fit_vmf` with the same arguments
        (numpy, scipy.sparse or dask X). Unlike SciPy's ``vonmises_fisher.fit``, which returns
        the tuple ``(mu, kappa)``, this returns a :class:`VonMisesFisher` (``d.mu``, ``d.kappa``).
        Use :func:`fit_vmf` itself for the standard error, log-likelihood and convergence report.

        Examples
        --------
        >>> import numpy as np
        >>> from numkit.stats import VonMisesFisher
        >>> x = VonMisesFisher(np.eye(3)[0], 50.0).rvs(2000, random_state=0)
        >>> d = VonMisesFisher.fit(x)
        >>> bool(abs(d.kappa / 50 - 1) < 0.1)
        True
        """
        from ._fit import fit_vmf

        res = fit_vmf(X, weights, estimator=estimator, normalize=normalize, max_iter=max_iter)
        return cls(res.mu, res.kappa)

    # --- parameters -------------------------------------------------------------------------
    @property
    def mu(self) -> np.ndarray:
        """The mean direction (read-only float64 unit vector)."""
        return self._mu

    @property
    def kappa(self) -> float:
        """The concentration."""
        return self._kappa

    @property
    def dim(self) -> int:
        """p, the dimension of the ambient space R^p."""
        return int(self._mu.shape[0])

    @property
    def dtype(self) -> np.dtype:
        """dtype of samples from ``rvs`` (that of the ``mu`` given)."""
        return self._dtype

    def __repr__(self) -> str:
        return f"VonMisesFisher(p={self.dim}, kappa={self._kappa!r}, dtype={self._dtype.name})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VonMisesFisher):
            return NotImplemented
        return (
            self._kappa == other._kappa
            and self._dtype == other._dtype
            and np.array_equal(self._mu, other._mu)
        )

    __hash__ = None  # type: ignore[assignment]

    # --- normalizer and moments -----------------------------------------------------------
    def log_normalizer(self) -> float:
        """log C_p(kappa), so that logpdf(x) = log C_p(kappa) + kappa mu.x."""
        return float(vmf_log_normalizer(float(self.dim), self._kappa))

    def mean_resultant_length(self) -> float:
        """A_p(kappa) = E[mu.x] = I_{p/2}(kappa) / I_{p/2-1}(kappa)."""
        return float(mean_resultant_length(self.dim, self._kappa))

    def mean(self) -> np.ndarray:
        """E[x] = A_p(kappa) mu (a vector inside the ball, not on the sphere)."""
        return self.mean_resultant_length() * self._mu

    def entropy(self) -> float:
        """Differential entropy -E[log f(x)] = -log C_p(kappa) - kappa A_p(kappa), in nats.

        Computed as -(log C_p + kappa) + kappa (1 - A_p): both parts stay O(p log kappa) at large
        kappa, where log C_p ~ -kappa would cancel against kappa A_p.
        """
        shifted = float(vmf_log_normalizer_e(float(self.dim), self._kappa))
        return -shifted + self._kappa * one_minus_mrl(self.dim, self._kappa)

    # --- density ----------------------------------------------------------------------------
    def logpdf(self, x: object, *, normalize: bool = False) -> np.ndarray:
        """Log density at points ``x`` of shape (..., p) on the sphere; returns shape (...).

        Rows must be unit vectors (``|norm - 1| <= 1e-6``) unless ``normalize=True``. The result
        has the dtype of ``x`` (float32 or float64) and is computed in float64 as
        ``(log C_p(kappa) + kappa) - kappa (1 - mu.u)`` for the direction u = x / |x| (rows are
        always projected), with ``1 - mu.u = |u - mu|^2 / 2`` near the mode at kappa > 1e4, so
        it keeps full accuracy there (1 - mu.x alone lost kappa eps: 0.5 nats at 1e16). The dot
        products are accumulated in float64 also for float32 data.
        A CuPy ``x`` is evaluated on its device (:func:`numkit.gpu.vmf_logpdf`, a CuPy result).
        """
        if is_cupy_array(x):
            from numkit import _gpu, gpu

            cupy = _gpu.require_cupy()
            return gpu.vmf_logpdf(x, cupy.asarray(self._mu), self._kappa, normalize=normalize)
        arr = float_array(x, "x")
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(
                f"x must have shape (..., {self.dim}) to match mu, got shape {arr.shape}"
            )
        # Every row is projected onto the sphere (rows within the 1e-6 tolerance too: kappa
        # (|x| - 1) was +90 nats at kappa = 1e8, |x| = 1 + 9e-7), and kappa (1 - mu.x) keeps its
        # relative accuracy near the mode (one_minus_dot).
        flat = arr.reshape(-1, self.dim)
        n = flat.shape[0]
        gap = np.empty(n, dtype=np.float64)
        step = row_blocks(n, self.dim).step
        mu = self._mu[None, :]
        for i in range(0, n, step):
            blk = flat[i : i + step]
            norms = row_norms(blk)
            check_row_norms(
                norms, normalize=normalize, name="x", offset=i, where=" of the flattened rows"
            )
            if norms.size and 1e-150 < norms.min() and norms.max() < 1e150:
                # u.mu = (x.mu) / |x|: no copy of the rows (one_minus_dot divides the few it
                # needs)
                t = (blk.astype(np.float64, copy=False) @ self._mu / norms)[:, None]
                gap[i : i + step] = one_minus_dot(blk, mu, t, self._kappa, norms)[:, 0]
            else:  # subnormal or huge rows (normalize=True): x.mu would lose digits; divide
                u = divide_rows(blk, norms)
                gap[i : i + step] = one_minus_dot(u, mu, (u @ self._mu)[:, None], self._kappa)[:, 0]
        shifted = float(vmf_log_normalizer_e(float(self.dim), self._kappa))
        out = shifted - self._kappa * gap
        # [()]: one point (shape (p,)) gives a NumPy scalar, as SciPy's logpdf does
        return out.reshape(arr.shape[:-1]).astype(arr.dtype, copy=False)[()]

    def pdf(self, x: object, *, normalize: bool = False) -> np.ndarray:
        """Density at ``x`` (may underflow to 0 or overflow in high dimensions: prefer logpdf)."""
        return np.exp(self.logpdf(x, normalize=normalize))

    # --- sampling ---------------------------------------------------------------------------
    def rvs(self, size: Size = None, random_state: object = None) -> np.ndarray:
        """Random unit vectors of shape ``size + (p,)`` (``size=None``: a single vector (p,)).

        Wood's rejection sampler for t = mu.x in its cancellation-free form plus a Householder
        reflection (O(p) per sample). Deterministic given ``random_state`` (int, Generator,
        SeedSequence or RandomState). Samples have the dtype of ``mu``. Any finite kappa works,
        up to the largest double.

        Raises
        ------
        TypeError
            ``size`` is not None, an integer or a tuple of integers; bad ``random_state``.
        ValueError
            A negative size.
        RuntimeError
            (``SamplerError``) the rejection loop accepted too few proposals in its bounded
            number of rounds: a numerical breakdown, never expected.
        """
        shape = check_size(size)
        rng = check_random_state(random_state)
        n = math.prod(shape)
        samples = sample_vmf(self._mu, self._kappa, n, rng, np.dtype(self._dtype))
        return samples.reshape((*shape, self.dim))
