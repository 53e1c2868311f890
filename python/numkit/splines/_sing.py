"""Endpoint singularities: the change of variable behind ``autoknots(..., sing=...)``.

With ``sing="left"`` the spline is built in the distance to the singular end, xi = x - a, on a
logarithmic scale: u = ln xi. An algebraic end behaviour f = (x - a)^p g(x) (g smooth) becomes
ln f = p u + ln g(a + e^u), smooth in u and a straight line as u -> -inf, and f itself is e^(p u)
times a smooth function, which a cubic in u fits to a relative tolerance with knots of a fixed
width in u. xi runs from the gap to the next double (the smallest positive x - a; at least the
smallest normal double, 2.2e-308) to b - a, and every point is snapped to a distance that a double
x has exactly. So every double of (a, b] lies inside the spline, except, when the singular end is
0, the subnormal distances below 2.2e-308, where the end cubic is continued; at x = a itself the
value is f(a) as f returned it.
``sing="right"`` is the mirror image, xi = b - x.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

SingName = Literal["left", "right"]
SINGS: tuple[SingName, ...] = ("left", "right")


@dataclass(frozen=True)
class EndSingularity:
    """The map x <-> xi = sign (x - anchor) of a spline built with ``sing``."""

    side: SingName
    a: float
    b: float
    f_end: float  # f at the singular end, as f returned it (may be inf or NaN)

    @property
    def anchor(self) -> float:
        return self.a if self.side == "left" else self.b

    @property
    def sign(self) -> float:
        return 1.0 if self.side == "left" else -1.0

    @property
    def xi_min(self) -> float:
        """The smallest positive distance of a double from the singular end, at least the
        smallest normal double (subnormal distances carry too few bits for the knots)."""
        if self.side == "left":
            gap = float(np.nextafter(self.a, np.inf) - self.a)
        else:
            gap = float(self.b - np.nextafter(self.b, -np.inf))
        return max(gap, float(np.finfo(np.float64).tiny))

    @property
    def xi_max(self) -> float:
        return self.b - self.a

    def to_xi(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """xi for x; points of [a, b] land at or below xi_max (0 at the singular end)."""
        xi = self.sign * (x - self.anchor)
        inside = (x >= self.a) & (x <= self.b)
        return np.where(inside, np.minimum(xi, self.xi_max), xi)

    def from_xi(self, xi: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.anchor + self.sign * np.asarray(xi, dtype=np.float64)

    def state(self) -> tuple[str, float, float, float]:
        return (self.side, self.a, self.b, self.f_end)
