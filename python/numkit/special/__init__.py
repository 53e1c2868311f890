"""Special functions as NumPy ufuncs (provisional)."""

from numkit._core import log_iv

__all__ = ["log_iv"]
