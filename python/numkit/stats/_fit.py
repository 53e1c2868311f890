"""fit_vmf: maximum-likelihood (or debiased) estimation of the vMF mean direction and concentration.

The MLE of mu is the normalized column sum S / |S|; that of kappa solves A_p(kappa) = Rbar with
Rbar = |S| / sum(w) (see _kappa.py). In high dimensions the MLE of kappa is biased upward because
E[Rbar^2] = A^2 + (1 - A^2)/n exactly (the cross terms of |S|^2 have mean A^2, the n diagonal ones
are 1). ``estimator="debiased"`` therefore solves A_p(kappa) = sqrt((n Rbar^2 - 1)/(n - 1)),
with the effective sample size n = (sum w)^2 / sum w^2 for weighted data, and kappa = 0 when
that is <= 0.

The standard error is that of the Fisher information of kappa, n A_p'(kappa) (mu and kappa are
orthogonal parameters): se = 1 / sqrt(n A_p'(kappa)).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._bessel import mean_resultant_length, mrl_derivative, vmf_log_normalizer_e
from ._kappa import solve_kappa, solve_kappa_from_gap
from ._suffstats import sufficient_statistics
from ._validate import check_count

__all__ = ["VMFConvergenceWarning", "VMFFit", "fit_vmf", "solve_kappa"]

_ESTIMATORS = ("mle", "debiased")


class VMFConvergenceWarning(RuntimeWarning):
    """The kappa iteration stopped short of full precision (the result has converged=False)."""


@dataclass(frozen=True)
class VMFFit:
    """Result of :func:`fit_vmf` (frozen).

    Attributes
    ----------
    mu : ndarray, shape (p,)
        Estimated mean direction (float64 unit vector).
    kappa : float
        Estimated concentration (the MLE, or the debiased estimate when ``estimator="debiased"``).
    kappa_mle : float
        The maximum-likelihood concentration (always computed).
    kappa_se : float
        Standard error of ``kappa`` from the Fisher information, 1/sqrt(n_eff A_p'(kappa)).
    loglik : float
        Weighted log-likelihood sum_i w_i log f(x_i; mu, kappa) at the returned (mu, kappa).
    n_iter : int
        Newton/bisection iterations of the kappa solve(s).
    converged : bool
        Whether every kappa solve reached the rounding level of A_p.
    rbar : float
        Mean resultant length |sum w_i x_i| / sum w_i.
    one_minus_rbar : float
        1 - rbar to full precision (from the spread of the rows where it is small: rbar itself
        rounds to 1.0 for points within ~1e-8 rad), what ``kappa_mle`` solves for.
    n_eff : float
        Effective sample size (sum w)^2 / sum w^2 (= n without weights).
    dim : int
        p.
    estimator : {"mle", "debiased"}
        The estimator used for ``kappa``.
    """

    mu: np.ndarray = field(repr=False)
    kappa: float
    kappa_mle: float
    kappa_se: float
    loglik: float
    n_iter: int
    converged: bool
    rbar: float
    n_eff: float
    dim: int
    estimator: Literal["mle", "debiased"]
    one_minus_rbar: float = math.nan

    def __setstate__(self, state: dict[str, Any]) -> None:
        # pickle and deepcopy rebuild mu writeable; it stays read-only as fit_vmf returns it
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.mu.flags.writeable = False

    @property
    def distribution(self) -> Any:
        """The fitted distribution as a :class:`VonMisesFisher`."""
        from ._distribution import VonMisesFisher

        return VonMisesFisher(self.mu, self.kappa)

    def plot(self, ax: Any = None) -> Any:
        """Diagnostic plot: A_p(kappa) against kappa, Rbar, the roots and the +-1 se band.

        Needs matplotlib. Returns the Axes.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - matplotlib is an optional dependency
            raise ImportError("VMFFit.plot needs matplotlib (pip install numkit[plot])") from exc
        if ax is None:
            _, ax = plt.subplots()
        center = max(self.kappa_mle, self.kappa, 1e-3)
        grid = np.linspace(0.0, 2.0 * center, 400)
        ax.plot(grid, mean_resultant_length(self.dim, grid), label=f"$A_{{{self.dim}}}(\\kappa)$")
        ax.axhline(self.rbar, color="C1", ls="--", label=f"$\\bar R$ = {self.rbar:.6g}")
        ax.axvline(self.kappa_mle, color="C2", label=f"MLE $\\kappa$ = {self.kappa_mle:.6g}")
        if self.estimator != "mle":
            ax.axvline(
                self.kappa, color="C3", label=f"{self.estimator} $\\kappa$ = {self.kappa:.6g}"
            )
        if np.isfinite(self.kappa_se):
            ax.axvspan(
                self.kappa - self.kappa_se,
                self.kappa + self.kappa_se,
                color="C3",
                alpha=0.15,
                label=f"$\\pm$1 se = {self.kappa_se:.3g}",
            )
        ax.set_xlabel(r"$\kappa$")
        ax.set_ylabel("mean resultant length")
        ax.set_title(
            f"vMF fit, p = {self.dim}, n_eff = {self.n_eff:.6g}"
            + ("" if self.converged else " (NOT converged)")
        )
        ax.legend(loc="lower right")
        return ax


def _solve(p: int, gap: float, max_iter: int) -> tuple[float, int, bool]:
    """kappa from 1 - Rbar = ``gap`` (see solve_kappa_from_gap), with a warning if not converged."""
    sol = solve_kappa_from_gap(p, gap, max_iter=max_iter)
    if not sol.converged:
        warnings.warn(
            f"the kappa iteration for p = {p}, 1 - Rbar = {gap!r} stopped after {sol.n_iter} "
            f"iterations with residual A_p(kappa) - Rbar = {sol.residual:.3g}; the result has "
            "converged=False",
            VMFConvergenceWarning,
            stacklevel=3,
        )
    return sol.kappa, sol.n_iter, sol.converged


def fit_vmf(
    X: Any,
    weights: Any = None,
    *,
    estimator: Literal["mle", "debiased"] = "mle",
    normalize: bool = False,
    max_iter: int = 100,
) -> VMFFit:
    """Fit a von Mises-Fisher distribution to unit vectors.

    Parameters
    ----------
    X : array_like, scipy.sparse matrix/array or dask array, shape (n, p)
        Rows are observations on the unit sphere in R^p (p >= 2), float32 or float64. Rows further
        than 1e-6 from unit norm raise ValueError unless ``normalize=True``; NaN/inf rows raise.
        A dask array is reduced in one pass (one ``compute``): the fit only needs the column sum.
        Sparse input (CSR, CSC, ...: TF-IDF rows) stays sparse.
    weights : array_like or dask array, shape (n,), optional
        Non-negative observation weights, not all zero. Only their ratios matter: they are
        divided by their maximum first, so any scale from 5e-324 to 1.8e308 gives the same fit
        (``loglik``, a weighted sum, scales with them).
    estimator : {"mle", "debiased"}
        "mle" solves A_p(kappa) = Rbar. "debiased" replaces Rbar^2 by (n Rbar^2 - 1)/(n - 1), which
        removes the upward bias of the MLE when n is not much larger than p (effective n with
        weights; kappa = 0 when the corrected value is <= 0).
    normalize : bool
        Project rows onto the sphere instead of rejecting non-unit rows.
    max_iter : int
        Iterations allowed to the safeguarded Newton solve for kappa (a positive integer), after
        Sra's two fixed Newton steps: ``n_iter`` counts those too, so it can reach
        ``max_iter + 2`` (and twice that for the debiased estimator, which solves twice).

    Returns
    -------
    VMFFit
        ``mu``, ``kappa``, ``kappa_mle``, ``kappa_se``, ``loglik``, ``n_iter``, ``converged``, ...

    Raises
    ------
    TypeError
        Non-numeric or complex X or weights, or a non-integer max_iter.
    ValueError
        Bad rows, p < 2, no rows, bad weights, max_iter < 1, or identical rows (kappa would be
        infinite).

    Notes
    -----
    Rbar = 0 gives kappa = 0 (the uniform distribution; mu is then e_1 by convention). Where
    1 - Rbar < 1e-3 (kappa >~ 500 p) the rows are read a second time (a second ``compute`` for dask)
    for 1 - Rbar from their spread about the mean, since 1 - |S| / W would lose -log10(1 - Rbar)
    digits: kappa is then exact for rows within 1 ulp of the given ones, also where Rbar rounds to
    1 (points 1e-9 rad apart). A solve that does not reach the rounding level of A_p warns
    (:class:`VMFConvergenceWarning`) and returns ``converged=False`` with the best interior
    iterate, never a bracket end.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.stats import VonMisesFisher, fit_vmf
    >>> mu = np.zeros(8192); mu[0] = 1.0
    >>> x = VonMisesFisher(mu, 8192.0).rvs(1000, random_state=1)
    >>> res = fit_vmf(x, estimator="debiased")
    >>> abs(res.kappa / 8192.0 - 1) < 0.05
    True
    """
    if estimator not in _ESTIMATORS:
        raise ValueError(f"estimator must be one of {_ESTIMATORS}, got {estimator!r}")
    max_iter = check_count(max_iter, "max_iter")
    stats = sufficient_statistics(X, weights, normalize=normalize)
    p = stats.s.shape[0]
    norm_s = float(np.sqrt(stats.s @ stats.s))
    gap = stats.one_minus_rbar  # 1 - Rbar, from the spread of the rows where it is small
    rbar = stats.rbar
    if norm_s > 0:
        mu = stats.s / norm_s
    else:
        mu = np.zeros(p)
        mu[0] = 1.0
    n_eff = stats.wsum**2 / stats.w2sum

    if estimator == "debiased" and n_eff <= 1.0 + 1e-12:
        raise ValueError(
            f"the debiased estimator needs an effective sample size above 1, got {n_eff:.6g}"
        )
    kappa_mle, n_iter, converged = _solve(p, gap, max_iter)
    kappa = kappa_mle
    if estimator == "debiased":
        r2 = (n_eff * rbar * rbar - 1.0) / (n_eff - 1.0)
        if r2 <= 0.0:
            kappa, it2, ok2 = 0.0, 0, True
        else:
            # 1 - sqrt(r2) without cancellation: 1 - r2 = n_eff (1 - Rbar^2) / (n_eff - 1)
            gap2 = n_eff * (gap * (1.0 + rbar)) / (n_eff - 1.0)
            kappa, it2, ok2 = _solve(p, min(1.0, gap2 / (1.0 + math.sqrt(r2))), max_iter)
        n_iter += it2
        converged = converged and ok2

    a = float(mean_resultant_length(p, kappa))
    info = n_eff * mrl_derivative(p, kappa, a)
    kappa_se = 1.0 / math.sqrt(info) if info > 0 else math.inf
    # sum_i w_i (log C + kappa mu.x_i) = W ((log C + kappa) + kappa (mu.S/W - 1)), mu.S = |S|;
    # W = wscale * wsum (the weights were scaled exactly; the product overflows to +-inf only
    # where the true log-likelihood is beyond the double range).
    shifted = float(vmf_log_normalizer_e(float(p), kappa))
    with np.errstate(over="ignore"):
        loglik = stats.wscale * (stats.wsum * (shifted - kappa * gap))
    mu.flags.writeable = False
    return VMFFit(
        mu=mu,
        kappa=float(kappa),
        kappa_mle=float(kappa_mle),
        kappa_se=float(kappa_se),
        loglik=float(loglik),
        n_iter=int(n_iter),
        converged=bool(converged),
        rbar=float(rbar),
        one_minus_rbar=float(gap),
        n_eff=float(n_eff),
        dim=int(p),
        estimator=estimator,
    )
