# Misuse mypy must reject (tests/test_typing.py): an x_scale that is not one of the Literal options.
from __future__ import annotations

import numpy as np
from numkit.splines import autoknots

s = autoknots(np.exp, 1.0, 10.0, x_scale="loglog")
