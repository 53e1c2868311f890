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
