# numkit._core.attention: exact Kronecker attention kernels (wrapped by numkit.attention).
from typing import Any

import numpy as np
import numpy.typing as npt

def exact_backward(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    dout: npt.ArrayLike,
    scale: float,
    mode: int,
    w1: int,
    w2: int,
    workers: int,
) -> tuple[Any, ...]: ...
def exact_forward(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    scale: float,
    mode: int,
    w1: int,
    w2: int,
    workers: int,
) -> tuple[Any, ...]: ...
def exact_forward_scalar(
    Q: npt.ArrayLike,
    K1: npt.ArrayLike,
    K2: npt.ArrayLike,
    V1: npt.ArrayLike,
    V2: npt.ArrayLike,
    scale: float,
    mode: int,
    w1: int,
    w2: int,
) -> npt.NDArray[np.float64]: ...
