"""VMFMixture: EM clustering of unit vectors with a mixture of von Mises-Fisher distributions.

Model: f(x) = sum_k w_k C_p(kappa_k) exp(kappa_k mu_k.x) (Banerjee, Dhillon, Ghosh & Sra 2005,
"Clustering on the unit hypersphere using von Mises-Fisher distributions", JMLR 6). Everything
is in log space: log w_k + (log C_p(kappa_k) + kappa_k) + kappa_k (mu_k.x - 1), then logsumexp
over components, so nothing under- or overflows at p = 65536 and kappa = 1e5.

E-step: responsibilities r_ik = posterior of component k (soft), or the one-hot argmax (hard
assignments, "classification EM"). M-step: N_k = sum_i r_ik, S_k = sum_i r_ik x_i,
w_k = N_k / n, mu_k = S_k / |S_k|, kappa_k solves A_p(kappa) = |S_k| / N_k (per component) or
A_p(kappa) = sum_k |S_k| / n (one shared kappa). Both steps are exact maximizations, so the
log-likelihood (soft) or the classification log-likelihood (hard) never decreases.

Seeding: k-means++ on the sphere (Arthur & Vassilvitskii 2007) with the chordal distance
|x - c|^2 = 2 (1 - x.c), then one hard M-step from the nearest-seed partition.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from scipy.special import logsumexp

from .._lib.validation import check_random_state, float_array
from ._bessel import vmf_log_normalizer_e
from ._kappa import solve_kappa
from ._validate import unit_rows

__all__ = ["VMFMixture"]

_TINY_WEIGHT = 1e-12  # a component with less total responsibility keeps its previous mu, kappa


class VMFMixture:
    """Mixture of von Mises-Fisher distributions fitted by EM (sklearn-like interface).

    Parameters
    ----------
    n_components : int
        Number of components K >= 1.
    shared_kappa : bool
        One concentration for all components instead of one per component.
    assignment : {"soft", "hard"}
        Soft EM (posterior responsibilities) or hard EM (each point to its most probable component).
    estimator : {"mle", "debiased"}
        M-step for kappa: the exact maximization ("mle"), or the high-dimensional bias correction
        of :func:`fit_vmf` with each component's effective size (sum r)^2 / sum r^2 ("debiased";
        EM is then no longer an exact ascent, so the monotonicity guarantee is the MLE's only).
    tol : float
        Stop when the mean log-likelihood per point improves by less than ``tol``.
    max_iter : int
        Maximum number of EM iterations per initialization.
    n_init : int
        Number of k-means++ initializations; the one with the highest log-likelihood is kept.
    max_kappa : float
        Concentrations are capped here (a component on a single point would have kappa = inf).
    normalize : bool
        Project rows onto the sphere instead of rejecting rows that are not unit vectors.
    random_state : None, int, Generator, SeedSequence or RandomState
        Seeding; the fit is deterministic given it.

    Attributes
    ----------
    means_ : ndarray (K, p)
    kappas_ : ndarray (K,)
    weights_ : ndarray (K,)
    n_iter_ : int
    converged_ : bool
    lower_bound_ : float
        Mean log-likelihood per point at the end of the best run (classification log-likelihood
        for hard assignments).
    loglik_history_ : list of float
        That objective after each E-step of the best run; non-decreasing.
    labels_ : ndarray (n,)
        Most probable component of each training point.
    """

    def __init__(
        self,
        n_components: int,
        *,
        shared_kappa: bool = False,
        assignment: str = "soft",
        estimator: str = "mle",
        tol: float = 1e-7,
        max_iter: int = 300,
        n_init: int = 1,
        max_kappa: float = 1e8,
        normalize: bool = False,
        random_state: object = None,
    ) -> None:
        if not isinstance(n_components, (int, np.integer)) or n_components < 1:
            raise ValueError(f"n_components must be a positive integer, got {n_components!r}")
        if assignment not in ("soft", "hard"):
            raise ValueError(f"assignment must be 'soft' or 'hard', got {assignment!r}")
        if estimator not in ("mle", "debiased"):
            raise ValueError(f"estimator must be 'mle' or 'debiased', got {estimator!r}")
        if not (tol >= 0):
            raise ValueError(f"tol must be >= 0, got {tol!r}")
        if not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
        if not isinstance(n_init, (int, np.integer)) or n_init < 1:
            raise ValueError(f"n_init must be a positive integer, got {n_init!r}")
        if not (max_kappa > 0 and math.isfinite(max_kappa)):
            raise ValueError(f"max_kappa must be positive and finite, got {max_kappa!r}")
        self.n_components = int(n_components)
        self.shared_kappa = bool(shared_kappa)
        self.assignment = assignment
        self.estimator = estimator
        self.tol = float(tol)
        self.max_iter = int(max_iter)
        self.n_init = int(n_init)
        self.max_kappa = float(max_kappa)
        self.normalize = bool(normalize)
        self.random_state = random_state

    def __repr__(self) -> str:
        return (
            f"VMFMixture(n_components={self.n_components}, shared_kappa={self.shared_kappa}, "
            f"assignment={self.assignment!r}, estimator={self.estimator!r}, tol={self.tol}, "
            f"max_iter={self.max_iter}, n_init={self.n_init})"
        )

    # --- input ------------------------------------------------------------------------------
    def _check_X(self, X: Any, *, fitted: bool) -> np.ndarray:
        arr = float_array(X, "X")
        if arr.ndim != 2:
            raise ValueError(f"X must be a 2-D array of shape (n, p), got shape {arr.shape}")
        if fitted:
            self._check_fitted()
            if arr.shape[1] != self.means_.shape[1]:
                raise ValueError(
                    f"X has p = {arr.shape[1]} columns but the mixture was fitted with "
                    f"p = {self.means_.shape[1]}"
                )
        arr = unit_rows(arr, normalize=self.normalize, name="X")
        # float32 data is copied to float64 once: the E-step's kappa (mu.x - 1) at kappa ~ 1e4
        # would lose three digits to float32 dot products.
        return arr.astype(np.float64, copy=False)

    def _check_fitted(self) -> None:
        if not hasattr(self, "means_"):
            raise RuntimeError("this VMFMixture is not fitted yet: call fit(X) first")

    # --- the two steps ----------------------------------------------------------------------
    @staticmethod
    def _log_joint(
        X: np.ndarray, means: np.ndarray, kappas: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """log w_k + log f_k(x_i), shape (n, K), in float64."""
        p = X.shape[1]
        t = X @ means.T
        shifted = vmf_log_normalizer_e(float(p), kappas)
        with np.errstate(divide="ignore"):
            logw = np.log(weights)
        return logw + shifted + kappas * (t - 1.0)

    def _m_step(
        self, X: np.ndarray, resp: np.ndarray, means: np.ndarray, kappas: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n, p = X.shape
        nk = resp.sum(axis=0)
        S = resp.T @ X
        norms = np.sqrt(np.einsum("kj,kj->k", S, S))
        means = means.copy()
        kappas = kappas.copy()
        alive = (nk > _TINY_WEIGHT * n) & (norms > 0)
        means[alive] = S[alive] / norms[alive, None]
        weights = nk / nk.sum()
        # Mean resultant length of each component; debiased: |S_k|^2 - sum_i r_ik^2 estimates
        # A^2 (N_k^2 - sum_i r_ik^2), since E|S_k|^2 = sum r^2 + (N_k^2 - sum r^2) A^2.
        if self.estimator == "debiased":
            r2 = np.einsum("ik,ik->k", resp, resp)
            num = np.maximum(norms * norms - r2, 0.0)
            den = nk * nk - r2
            rbar = np.where(den > 0, np.sqrt(num / np.where(den > 0, den, 1.0)), 1.0)
            rbar = np.where(alive, rbar, 0.0)
        else:
            rbar = np.where(alive, norms / np.where(alive, nk, 1.0), 0.0)
        if self.shared_kappa:
            kappas[:] = self._kappa_for(p, min(float((nk * rbar)[alive].sum()) / n, 1.0))
        else:
            for k in np.flatnonzero(alive):
                kappas[k] = self._kappa_for(p, min(float(rbar[k]), 1.0))
        return means, kappas, weights

    def _kappa_for(self, p: int, rbar: float) -> float:
        if rbar <= 0.0:
            return 0.0
        if 1.0 - rbar <= 8 * np.finfo(float).eps:
            return self.max_kappa
        sol = solve_kappa(p, rbar)
        return min(sol.kappa, self.max_kappa)

    def _e_step(self, log_joint: np.ndarray) -> tuple[np.ndarray, float]:
        """Responsibilities and the objective (mean log-likelihood per point)."""
        if self.assignment == "soft":
            norm = logsumexp(log_joint, axis=1)
            return np.exp(log_joint - norm[:, None]), float(norm.mean())
        labels = np.argmax(log_joint, axis=1)
        resp = np.zeros_like(log_joint)
        resp[np.arange(log_joint.shape[0]), labels] = 1.0
        return resp, float(log_joint[np.arange(log_joint.shape[0]), labels].mean())

    # --- seeding ----------------------------------------------------------------------------
    def _seed(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """k-means++ on the sphere: seeds drawn with probability prop. to 1 - max_j x.c_j."""
        n = X.shape[0]
        K = self.n_components
        idx = [int(rng.integers(n))]
        closest = np.maximum(1.0 - X @ X[idx[0]], 0.0)
        for _ in range(1, K):
            total = closest.sum()
            if total <= 0:  # fewer distinct points than components: pick any
                j = int(rng.integers(n))
            else:
                j = int(rng.choice(n, p=closest / total))
            idx.append(j)
            d = np.maximum(1.0 - X @ X[j], 0.0)
            closest = np.minimum(closest, d)
        return X[idx].copy()

    def _initial_parameters(
        self, X: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = X.shape[0]
        seeds = self._seed(X, rng)
        labels = np.argmax(X @ seeds.T, axis=1)
        resp = np.zeros((n, self.n_components))
        resp[np.arange(n), labels] = 1.0
        kappas = np.full(self.n_components, 1.0)
        return self._m_step(X, resp, seeds, kappas)

    # --- public API -------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> VMFMixture:
        """Fit the mixture to the rows of X (n, p) by EM; returns self."""
        del y
        X = self._check_X(X, fitted=False)
        n = X.shape[0]
        if n < self.n_components:
            raise ValueError(f"X has {n} rows, fewer than n_components = {self.n_components}")
        rng = check_random_state(self.random_state)
        best: tuple | None = None
        for _ in range(self.n_init):
            run = self._run_em(X, rng)
            if best is None or run[4][-1] > best[4][-1]:
                best = run
        means, kappas, weights, n_iter, history, converged = best
        self.means_ = means
        self.kappas_ = kappas
        self.weights_ = weights
        self.n_iter_ = n_iter
        self.converged_ = converged
        self.loglik_history_ = history
        self.lower_bound_ = history[-1]
        self.labels_ = np.argmax(self._log_joint(X, means, kappas, weights), axis=1)
        if not converged:
            warnings.warn(
                f"VMFMixture did not converge in {self.max_iter} iterations (last change of the "
                f"mean log-likelihood {history[-1] - history[-2]:.3g} > tol = {self.tol:g})",
                RuntimeWarning,
                stacklevel=2,
            )
        return self

    def _run_em(self, X: np.ndarray, rng: np.random.Generator) -> tuple:
        means, kappas, weights = self._initial_parameters(X, rng)
        history: list[float] = []
        converged = False
        n_iter = 0
        for _ in range(self.max_iter):
            n_iter += 1
            resp, obj = self._e_step(self._log_joint(X, means, kappas, weights))
            history.append(obj)
            if len(history) > 1 and abs(history[-1] - history[-2]) <= self.tol:
                converged = True
                break
            means, kappas, weights = self._m_step(X, resp, means, kappas)
        return means, kappas, weights, n_iter, history, converged

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit, then return the most probable component of each row."""
        return self.fit(X, y).labels_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Posterior probability of each component for each row, shape (n, K)."""
        X = self._check_X(X, fitted=True)
        lj = self._log_joint(X, self.means_, self.kappas_, self.weights_)
        return np.exp(lj - logsumexp(lj, axis=1)[:, None])

    def predict(self, X: Any) -> np.ndarray:
        """Most probable component of each row, shape (n,)."""
        X = self._check_X(X, fitted=True)
        return np.argmax(self._log_joint(X, self.means_, self.kappas_, self.weights_), axis=1)

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-density of the mixture at each row, shape (n,)."""
        X = self._check_X(X, fitted=True)
        return logsumexp(self._log_joint(X, self.means_, self.kappas_, self.weights_), axis=1)

    def score(self, X: Any, y: Any = None) -> float:
        """Mean log-likelihood per row."""
        del y
        return float(self.score_samples(X).mean())

    def n_parameters(self) -> int:
        """Free parameters: K (p - 1) directions, K or 1 concentrations, K - 1 weights."""
        self._check_fitted()
        K, p = self.means_.shape
        return K * (p - 1) + (1 if self.shared_kappa else K) + (K - 1)

    def aic(self, X: Any) -> float:
        """Akaike information criterion -2 log L + 2 n_parameters (lower is better)."""
        X = self._check_X(X, fitted=True)
        return float(-2.0 * self.score(X) * X.shape[0] + 2.0 * self.n_parameters())

    def sample(
        self, n_samples: int = 1, random_state: object = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n_samples`` points from the fitted mixture; returns (X, component labels)."""
        self._check_fitted()
        if not isinstance(n_samples, (int, np.integer)) or n_samples < 0:
            raise ValueError(f"n_samples must be a non-negative integer, got {n_samples!r}")
        from ._distribution import VonMisesFisher

        rng = check_random_state(random_state)
        counts = rng.multinomial(int(n_samples), self.weights_ / self.weights_.sum())
        parts = [
            VonMisesFisher(mu, float(k)).rvs(int(c), random_state=rng)
            for mu, k, c in zip(self.means_, self.kappas_, counts)
        ]
        labels = np.repeat(np.arange(self.n_components), counts)
        return np.concatenate(parts, axis=0), labels

    def bic(self, X: Any) -> float:
        """Bayesian information criterion -2 log L + n_parameters log n (lower is better)."""
        X = self._check_X(X, fitted=True)
        n = X.shape[0]
        return float(-2.0 * self.score(X) * n + self.n_parameters() * np.log(n))
