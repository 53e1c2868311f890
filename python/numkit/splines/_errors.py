"""Exceptions raised when an adaptive spline cannot be built to the requested precision."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._spline import AdaptiveSpline


class AutoKnotsError(RuntimeError):
    """Base class: the construction stopped before reaching the requested precision.

    Attributes
    ----------
    x_lo, x_hi : float
        Where it stopped: the interval (or the point, ``x_lo == x_hi``) that could not be resolved.
    spline : AdaptiveSpline or None
        The spline built so far (``converged`` is False), for inspection; None if f failed at the
        starting knots.
    """

    def __init__(
        self, message: str, x_lo: float, x_hi: float, spline: AdaptiveSpline | None
    ) -> None:
        super().__init__(message)
        self.x_lo = x_lo
        self.x_hi = x_hi
        self.spline = spline


class KnotLimitError(AutoKnotsError):
    """Reaching the tolerance would need more than ``max_knots`` knots."""


class DiscontinuityError(AutoKnotsError):
    """Knots closer than ~100 ulp were still failing the tests: f is discontinuous (or has a
    singular derivative) there, or the tolerance is below what double precision resolves."""


class FunctionValueError(AutoKnotsError, ValueError):
    """f returned a non-finite value (or a value <= 0 with ``y_scale="log"``)."""
