# A user's typed script: mypy must accept it with the types asserted below (tests/test_typing.py).
# Not collected by pytest (no test_ prefix); never executed, only type-checked.
from __future__ import annotations

from typing import Any

import numkit.special as sp
import numpy as np
from numkit.quadrature import BayesianQuadrature, simpson
from numkit.splines import AdaptiveSpline, autoknots
from typing_extensions import assert_type

s = autoknots(np.exp, 0.0, 1.0, rtol=1e-8, x_scale="linear", y_scale="log")
assert_type(s, AdaptiveSpline)
assert_type(s(0.5), np.floating[Any])
value: float = float(simpson([1.0, 2.0, 3.0]))
bq = BayesianQuadrature(np.linspace(0.0, 1.0, 9), kernel="matern52", lengthscale=0.5)
res = bq.integrate(np.sin(np.linspace(0.0, 1.0, 9)))
integral = res.integral
std = res.std
ratio = sp.iv_ratio(1.5, np.linspace(0.1, 1.0, 4))
