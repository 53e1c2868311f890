"""Small helpers shared by the stats tests (no numkit code under test here)."""

from __future__ import annotations

import numpy as np
from scipy.special import comb


def unit(p: int, index: int = 0, dtype: type = np.float64) -> np.ndarray:
    """The unit vector e_index in R^p."""
    e = np.zeros(p, dtype=dtype)
    e[index] = 1
    return e


def random_direction(p: int, seed: int) -> np.ndarray:
    """A direction with all coordinates non-zero (exercises the Householder map in general)."""
    g = np.random.default_rng(seed).standard_normal(p)
    return g / np.linalg.norm(g)


def exact_dot(a: np.ndarray, b: np.ndarray) -> float:
    """Dot product of two double vectors rounded once: Dekker's exact products, then math.fsum."""
    import math

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    split = 134217729.0  # 2^27 + 1

    def halves(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = split * x
        hi = c - (c - x)
        return hi, x - hi

    ah, al = halves(a)
    bh, bl = halves(b)
    prod = a * b
    err = ((ah * bh - prod) + ah * bl + al * bh) + al * bl  # prod + err == a * b exactly
    return math.fsum(np.concatenate([prod, err]))


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert & Arabie's (1985) adjusted Rand index of two labelings, from the contingency table."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(table, (ai, bi), 1)
    n = len(a)
    sum_cells = comb(table, 2).sum()
    sum_a = comb(table.sum(axis=1), 2).sum()
    sum_b = comb(table.sum(axis=0), 2).sum()
    expected = sum_a * sum_b / comb(n, 2)
    maximum = 0.5 * (sum_a + sum_b)
    return float((sum_cells - expected) / (maximum - expected))


def concentrated_rows(p: int, sigma: float, n: int, seed: int) -> np.ndarray:
    """Unit rows mu + sigma z, normalized (not numkit's sampler: the reference is independent)."""
    rng = np.random.default_rng(seed)
    x = random_direction(p, seed) + sigma * rng.standard_normal((n, p))
    return x / np.linalg.norm(x, axis=1)[:, None]
