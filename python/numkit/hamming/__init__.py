"""Text-to-pattern Hamming distances: exact, k-bounded, approximate, batched, streaming.

:func:`hamming_distances` gives ``H[i] = #{j < m : text[i + j] != pattern[j]}`` for every window
of a text (str, bytes, integer arrays of any width, or a dask array that streams); several exact
engines stand behind it (a blocked SIMD brute force, per-symbol real-FFT correlations through
scipy.fft, Abrahamson's frequent/rare split with position lists) and ``method="auto"`` picks by
a measured cost model. ``k`` bounds the distances (and runs an early-exit brute force), ``eps``
approximates by hashing the alphabet to ``ceil(2 / eps)`` colours, ``wildcard`` adds a symbol
that matches everything. :func:`hamming_distances_many` shares the text's transforms across
patterns; :func:`best_matches` returns the closest windows.

The problem and its algorithms: Chan, Jin, Vassilevska Williams, Xu, "Faster Algorithms for
Text-to-Pattern Hamming Distances", FOCS 2023; Abrahamson, SIAM J. Comput. 16 (1987).
"""

from ._api import BestMatches, best_matches, hamming_distances, hamming_distances_many

__all__ = ["BestMatches", "best_matches", "hamming_distances", "hamming_distances_many"]
