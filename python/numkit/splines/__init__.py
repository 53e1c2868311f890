"""numkit.splines: cubic splines whose knots are chosen to reach a stated precision.

`autoknots` implements AutoKnots (Vitenti, de Simoni, Penna-Lima, Barroso, arXiv:2412.13423): the
user gives f, an interval and a tolerance; every evaluation of f becomes a knot. Fitting in log or
asinh coordinates (``x_scale``, ``y_scale``) makes power-law-like functions cheap.

Functions
---------
autoknots
    Build an `AdaptiveSpline` of f on [a, b] to ``|f - s| <= rtol |f| + atol``.

Classes
-------
AdaptiveSpline, SplineDerivative, SplineAntiderivative
    The result and the callables its derivative/antiderivative return.
AutoKnotsError, KnotLimitError, DiscontinuityError, FunctionValueError
    Why a construction stopped; each names the location.
"""

from __future__ import annotations

from ._autoknots import autoknots
from ._errors import AutoKnotsError, DiscontinuityError, FunctionValueError, KnotLimitError
from ._spline import AdaptiveSpline, SplineAntiderivative, SplineDerivative

__all__ = [
    "AdaptiveSpline",
    "AutoKnotsError",
    "DiscontinuityError",
    "FunctionValueError",
    "KnotLimitError",
    "SplineAntiderivative",
    "SplineDerivative",
    "autoknots",
]
