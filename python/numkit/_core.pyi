# Type stubs for numkit's compiled core. Private: use the public modules (numkit.special, ...).
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

# numkit.special
log_iv: np.ufunc
log_kv: np.ufunc
log_ive: np.ufunc
log_kve: np.ufunc
iv_ratio: np.ufunc
log_iv_dx: np.ufunc
log_kv_dx: np.ufunc
log_iv_dv: np.ufunc
log_kv_dv: np.ufunc

# numkit.stats
vmf_log_normalizer: np.ufunc
vmf_log_normalizer_e: np.ufunc

# numkit.splines
class _SplineCore:
    def __init__(self, x: npt.ArrayLike, y: npt.ArrayLike, x_scale: int, y_scale: int) -> None: ...
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
    def antiderivative(self, x: npt.ArrayLike, extrapolate: bool) -> npt.NDArray[np.float64]: ...
    def integrate(self, a: float, b: float, extrapolate: bool) -> float: ...

def _autoknots(
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

# numkit.quadrature
def _bq_gram(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float
) -> npt.NDArray[np.float64]: ...
def _bq_initial_variance(kernel: int, lengthscale: float, a: float, b: float) -> float: ...
def _bq_kernel_mean(
    x: npt.ArrayLike, kernel: int, lengthscale: float, a: float, b: float
) -> npt.NDArray[np.float64]: ...
def _bq_quadforms(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float, Y: npt.ArrayLike
) -> tuple[Any, ...]: ...
def _bq_weights(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float, b: float
) -> tuple[Any, ...]: ...
def _bq_whitener(
    nodes: npt.ArrayLike, kernel: int, lengthscale: float, a: float
) -> npt.NDArray[np.float64]: ...
