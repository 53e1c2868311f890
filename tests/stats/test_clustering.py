"""Issue 10: the default VMFMixture clusters normalized data better than scikit-learn's KMeans
(defaults of both, mean adjusted Rand index over 5 seeds) on digits and on TF-IDF docstrings.
The full table with timings is printed by ``python benchmarks/run.py stats``."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from .clustering_data import ari_over_seeds, digits, docstrings

SEEDS = range(5)


@pytest.mark.parametrize("load", [digits, docstrings], ids=["digits", "docstrings-tfidf"])
def test_default_mixture_beats_kmeans(load) -> None:
    X, y = load()
    table = ari_over_seeds(X, y, SEEDS)
    ours = np.mean(table["numkit VMFMixture (default)"])
    kmeans = np.mean(table["sklearn KMeans (default)"])
    # measured here: digits 0.657 vs 0.616, docstrings 0.548 vs 0.512 (NumPy/SciPy versions of
    # this machine; the corpus changes with them)
    assert ours > kmeans, table
    assert min(table["numkit VMFMixture (default)"]) > 0.4
