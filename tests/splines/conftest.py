"""Shared helpers for the splines tests."""

from __future__ import annotations

import numpy as np
from numkit.splines import AdaptiveSpline
from numpy.typing import NDArray


def dense_grid(
    s: AdaptiveSpline, per_interval: int = 7, extra: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Points between every pair of knots (in the fitting coordinate) plus an independent grid.

    The interpolation error peaks between knots, so sampling each interval at 1/8 .. 7/8 finds the
    true maximum far better than any grid that ignores where the knots are.
    """
    k = s.knots
    if s.x_scale == "log":
        u = np.log(k)
        back = np.exp
    elif s.x_scale == "asinh":
        u = np.arcsinh(k)
        back = np.sinh
    else:
        u = k
        back = np.asarray
    frac = np.arange(1, per_interval + 1) / (per_interval + 1)
    inner = back((u[:-1, None] + np.diff(u)[:, None] * frac[None, :]).ravel())
    pts = [inner, k]
    if extra is not None:
        pts.append(extra)
    out = np.sort(np.concatenate(pts))
    return out[(out >= k[0]) & (out <= k[-1])]
