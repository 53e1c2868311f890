# numkit._core.splines: the AutoKnots builder and the compiled spline (wrapped by numkit.splines).
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

class SplineCore:
    def __init__(
        self,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        x_scale: int,
        y_scale: int,
        u: npt.ArrayLike | None = None,
    ) -> None: ...
    @property
    def x(self) -> npt.NDArray[np.float64]: ...
    @property
    def y(self) -> npt.NDArray[np.float64]: ...
    @property
    def u(self) -> npt.NDArray[np.float64]: ...
    @property
    def coefficients(self) -> npt.NDArray[np.float64]: ...
    @property
    def x_scale(self) -> int: ...
    @property
    def y_scale(self) -> int: ...
    def evaluate(self, x: npt.ArrayLike, nu: int, extrapolate: bool) -> npt.NDArray[np.float64]: ...
    def antiderivative(
        self, x: npt.ArrayLike, extrapolate: bool, order: int = 1
    ) -> npt.NDArray[np.float64]: ...
    def integrate(self, a: float, b: float, extrapolate: bool) -> float: ...

def autoknots_build(
    f: Callable[..., object],
    a: float,
    b: float,
    rtol: float,
    atol: float,
    x_scale: int,
    y_scale: int,
    n0: int,
    max_dx: float,
    refine: int,
    refine_ns: float,
    max_knots: int,
    vectorized: bool,
) -> tuple[Any, ...]: ...
