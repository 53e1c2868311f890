# numkit._core.quadrature: state-space Bayesian quadrature (wrapped by numkit.quadrature).
from typing import Any

import numpy as np
import numpy.typing as npt

def gram(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float
) -> npt.NDArray[np.float64]: ...
def initial_variance(kernel: int, lengthscale: float, a: float, b: float) -> float: ...
def kernel_mean(
    x: npt.ArrayLike, kernel: int, lengthscale: float, a: float, b: float
) -> npt.NDArray[np.float64]: ...
def quadforms(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float, Y: npt.ArrayLike
) -> tuple[Any, ...]: ...
def weights(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float, b: float
) -> tuple[Any, ...]: ...
def whitener(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float
) -> npt.NDArray[np.float64]: ...
