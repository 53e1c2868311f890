"""Shared plumbing of numkit's parts: input validation and array backends (NumPy, dask, CuPy).

Every part validates through :mod:`numkit._lib.validation` and asks :mod:`numkit._lib.backend`
which library an array belongs to; no part keeps a private copy of either.
"""
