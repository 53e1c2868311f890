"""The numerics of vMF-mixture EM: log joint densities, the E- and M-steps and k-means++ seeding.

Model: f(x) = sum_k w_k C_p(kappa_k) exp(kappa_k mu_k.x) (Banerjee, Dhillon, Ghosh & Sra 2005,
"Clustering on the unit hypersphere using von Mises-Fisher distributions", JMLR 6). Everything is
in log space: log w_k + (log C_p(kappa_k) + kappa_k) + kappa_k (mu_k.x - 1), then logsumexp over
components, so nothing under- or overflows at p = 65536 and kappa = 1e5.

The data enter only through X @ mu^T and R^T X (responsibilities R), so X may be a dense float64
array or a scipy.sparse CSR matrix of unit rows; only the reported scores densify the rows near
a sharp mode (kappa > 1e4), a block at a time, for their gap |u - mu|^2 / 2.

M-step: N_k = sum_i r_ik, S_k = sum_i r_ik x_i, w_k = N_k / n, mu_k = S_k / |S_k|, and kappa_k
solves A_p(kappa) = Rbar_k with
    Rbar_k = (|S_k| + tau Rbar) / (N_k + tau),        Rbar = sum_k |S_k| / n,
the maximum a posteriori kappa under the conjugate prior pi(kappa) ~ C_p(kappa)^tau exp(tau Rbar
kappa) -- tau pseudo-points with the pooled mean resultant length ("kappa_prior" = tau). tau = 0 is
the per-component MLE, tau -> inf the shared-kappa MLE. With tau = 0 (or shared kappa) each step
is an exact maximization and the log-likelihood never decreases. kappa is solved from 1 - Rbar_k,
which for concentrated components (1 - |S_k| / N_k < 1e-3) comes from the spread of the rows
about the component's mean, as in fit_vmf: no digits are lost to cancellation at large kappa.

Seeding: greedy k-means++ on the sphere (Arthur & Vassilvitskii 2007; the greedy variant of
scikit-learn's KMeans) with the chordal distance |x - c|^2 = 2 (1 - x.c), then one hard M-step
from the nearest-seed partition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import sparse
from scipy.special import logsumexp

from ._bessel import vmf_log_normalizer_e
from ._kappa import solve_kappa_from_gap
from ._suffstats import _spread, gap_of
from ._validate import one_minus_dot

__all__ = ["EMOptions", "e_step", "initial_parameters", "log_joint", "m_step"]

_TINY_WEIGHT = 1e-12  # a component with less total responsibility keeps its previous mu, kappa

Params = tuple[np.ndarray, np.ndarray, np.ndarray]  # means (K, p), kappas (K,), weights (K,)


@dataclass(frozen=True)
class EMOptions:
    """The validated options the steps need."""

    n_components: int
    shared_kappa: bool
    kappa_prior: float
    assignment: Literal["soft", "hard"]
    estimator: Literal["mle", "debiased"]
    max_kappa: float


def dot_means(X: Any, means: np.ndarray) -> np.ndarray:
    """X @ means^T as a dense (n, K) float64 array, for dense or CSR X."""
    return np.asarray(X @ means.T, dtype=np.float64)


def log_joint(
    X: Any, means: np.ndarray, kappas: np.ndarray, weights: np.ndarray, *, exact: bool = False
) -> np.ndarray:
    """log w_k + log f_k(x_i), shape (n, K), in float64. ``exact``: kappa (1 - mu.x) to full
    relative accuracy near the modes (one_minus_dot; dense or sparse X: sparse X scored 1 - t,
    52 nats off at kappa 2e17), for the reported scores: the EM
    iterations do without (an absolute kappa eps, 2e-8 at kappa = 1e8, moves no
    responsibility)."""
    p = X.shape[1]
    t = dot_means(X, means)
    shifted = vmf_log_normalizer_e(float(p), kappas)
    with np.errstate(divide="ignore"):
        logw = np.log(weights)
    gap = one_minus_dot(X, means, t, kappas) if exact else 1.0 - t
    return logw + shifted - kappas * gap


def e_step(lj: np.ndarray, assignment: str) -> tuple[np.ndarray, float]:
    """Responsibilities and the objective (mean log-likelihood per point; for hard assignments the
    classification log-likelihood)."""
    rows = np.arange(lj.shape[0])
    if assignment == "soft":
        norm = logsumexp(lj, axis=1)
        return np.exp(lj - norm[:, None]), float(norm.mean())
    labels = np.argmax(lj, axis=1)
    resp = np.zeros_like(lj)
    resp[rows, labels] = 1.0
    return resp, float(lj[rows, labels].mean())


def _kappa_for(p: int, gap: float, max_kappa: float) -> float:
    """kappa solving A_p(kappa) = 1 - gap, clipped to max_kappa (gap = 1 - Rbar, to full
    precision: Rbar itself rounds to 1 for kappa >~ 1e16 p)."""
    if gap >= 1.0:
        return 0.0
    if gap * max_kappa < 0.25 * (p - 1):  # kappa ~ (p - 1) / (2 gap) > 2 max_kappa
        return max_kappa
    return min(solve_kappa_from_gap(p, gap).kappa, max_kappa)


def _gaps(X: Any, resp: np.ndarray, S: np.ndarray, norms: np.ndarray, nk: np.ndarray) -> np.ndarray:
    """1 - |S_k| / N_k of every component, to full precision: where it is below SPREAD_BELOW it
    comes from the spread of the rows about the component's mean (gap_of; one more pass over
    the data per such component), as fit_vmf computes it. 1 - |S_k| / N_k itself loses
    -log10(1 - Rbar) digits: kappa was 1e-4 off at kappa ~ 1e12."""
    gaps = np.ones(nk.size)
    for k in np.flatnonzero(norms > 0):
        w = resp[:, k]
        gaps[k] = gap_of(S[k], float(nk[k]), lambda c, w=w: _spread(X, w, c))
    return gaps


def m_step(X: Any, resp: np.ndarray, old: Params, opt: EMOptions) -> Params:
    """Weights, directions and concentrations maximizing the expected complete log-likelihood
    (plus the log prior of kappa when kappa_prior > 0) given the responsibilities."""
    n, p = X.shape
    means, kappas = old[0].copy(), old[1].copy()
    nk = resp.sum(axis=0)
    S = np.asarray((X.T @ resp).T if sparse.issparse(X) else resp.T @ X, dtype=np.float64)
    norms = np.sqrt(np.einsum("kj,kj->k", S, S))
    alive = (nk > _TINY_WEIGHT * n) & (norms > 0)
    means[alive] = S[alive] / norms[alive, None]
    weights = nk / nk.sum()
    # 1 - Rbar_k of each component (1 - |S_k| / N_k, computed without cancellation); debiased:
    # |S_k|^2 - sum_i r_ik^2 estimates A^2 (N_k^2 - sum_i r_ik^2), since E|S_k|^2 = sum r^2 +
    # (N_k^2 - sum r^2) A^2, i.e. 1 - A = 1 - sqrt(1 - delta), delta = N_k^2 g (2 - g) / den.
    gaps = np.where(alive, _gaps(X, resp, S, norms, nk), 1.0)
    if opt.estimator == "debiased":
        r2 = np.einsum("ik,ik->k", resp, resp)
        den = nk * nk - r2
        delta = nk * nk * gaps * (2.0 - gaps) / np.where(den > 0, den, 1.0)
        debiased = np.where(delta < 1, delta / (1.0 + np.sqrt(np.maximum(1.0 - delta, 0.0))), 1.0)
        gaps = np.where(alive & (den > 0), debiased, gaps)
    # the pooled 1 - Rbar = 1 - sum_k L_k / n = sum_k N_k (1 - L_k / N_k) / n
    pooled = min(float(nk @ gaps) / n, 1.0)
    if opt.shared_kappa:
        kappas[:] = _kappa_for(p, pooled, opt.max_kappa)
        return means, kappas, weights
    tau = opt.kappa_prior
    # Every component with weight, also one whose resultant is exactly 0 (its MLE kappa is 0,
    # or the prior's pull; it kept the seed's kappa = 1 before), which keeps its mean. With the
    # prior, 1 - Rbar_k = (N_k g_k + tau g) / (N_k + tau).
    for k in np.flatnonzero(nk > _TINY_WEIGHT * n):
        gap = (nk[k] * gaps[k] + tau * pooled) / (nk[k] + tau)
        kappas[k] = _kappa_for(p, min(float(gap), 1.0), opt.max_kappa)
    return means, kappas, weights


def _seed(X: Any, K: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ on the sphere (as scikit-learn's KMeans seeds): each new seed is the best
    of 2 + floor(ln K) candidates drawn with probability prop. to 1 - max_j x.c_j (half the
    squared chordal distance to the nearest seed), best meaning the smallest total distance."""
    n = X.shape[0]
    n_local = 2 + int(math.log(K)) if K > 1 else 1

    def rows(idx: np.ndarray) -> np.ndarray:
        r = X[idx]
        return np.asarray(r.toarray() if sparse.issparse(r) else r, dtype=np.float64)

    def dist(c: np.ndarray) -> np.ndarray:  # (m, p) candidates -> (n, m) distances
        return np.maximum(1.0 - dot_means(X, c), 0.0)

    seeds = [rows(np.array([int(rng.integers(n))]))[0]]
    closest = dist(seeds[0][None, :]).ravel()
    for _ in range(1, K):
        total = closest.sum()
        if total <= 0:  # fewer distinct points than components: pick any
            cand = rng.integers(n, size=1)
        else:
            cumulative = np.cumsum(closest)
            picks = rng.random(n_local) * cumulative[-1]
            cand = np.minimum(np.searchsorted(cumulative, picks), n - 1)
        c = rows(cand)
        pot = np.minimum(closest[:, None], dist(c))
        best = int(np.argmin(pot.sum(axis=0)))
        seeds.append(c[best])
        closest = pot[:, best]
    return np.stack(seeds)


def initial_parameters(X: Any, opt: EMOptions, rng: np.random.Generator) -> Params:
    """k-means++ seeds, then one hard M-step from the nearest-seed partition."""
    n = X.shape[0]
    K = opt.n_components
    seeds = _seed(X, K, rng)
    labels = np.argmax(dot_means(X, seeds), axis=1)
    resp = np.zeros((n, K))
    resp[np.arange(n), labels] = 1.0
    return m_step(X, resp, (seeds, np.ones(K), np.full(K, 1.0 / K)), opt)
