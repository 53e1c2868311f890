"""Demo section of numkit.splines: an NFW surface-density table built to rtol 1e-8."""

from __future__ import annotations

import time

import numpy as np
from scipy.interpolate import CubicSpline

from ._autoknots import autoknots
from ._halo import nfw_sigma

RHO_S, R_S = 1.0e15, 0.25  # Msun/Mpc^3, Mpc: a cluster-size halo
R_MIN, R_MAX = 1e-3 * R_S, 1e3 * R_S
RTOL = 1e-8


def _max_rel_error(spline_eval, f, r: np.ndarray) -> float:
    return float(np.max(np.abs(spline_eval(r) / f(r) - 1.0)))


def run() -> None:
    """Print the table's knots, evaluations and achieved error, and the uniform grids it beats."""

    def f(r: np.ndarray) -> np.ndarray:
        return nfw_sigma(r, RHO_S, R_S)

    t0 = time.perf_counter()
    s = autoknots(f, R_MIN, R_MAX, rtol=RTOL, x_scale="log", y_scale="log")
    dt = time.perf_counter() - t0
    check = np.geomspace(R_MIN, R_MAX, 400_001)
    err = _max_rel_error(s, f, check)
    print(
        f"NFW Sigma(R), rho_s={RHO_S:g}, r_s={R_S:g} on [{R_MIN:g}, {R_MAX:g}], "
        f"rtol={RTOL:g}, ln-ln"
    )
    print(f"  {s!r}")
    print(
        f"  knots {len(s.knots)}, evaluations of f {s.nfev} in {s.n_passes} passes, "
        f"built in {dt * 1e3:.1f} ms"
    )
    print(
        f"  achieved max relative error {err:.2e} on 400,001 log-spaced points "
        f"(estimate {s.max_error_estimate:.1e})"
    )
    k = s.knots
    fmt = {"float_kind": lambda v: f"{v:.4g}"}
    print(
        f"  first knots {np.array2string(k[:4], formatter=fmt)} ... "
        f"last {np.array2string(k[-3:], formatter=fmt)}"
    )

    # The same data on uniform grids (scipy CubicSpline, not-a-knot).
    print("  uniform grids for comparison (scipy CubicSpline, not-a-knot):")
    lo, hi = 8, 4 * len(k)  # smallest uniform ln-R grid reaching the same achieved error
    while hi - lo > 1:
        mid = (lo + hi) // 2
        u = np.linspace(np.log(R_MIN), np.log(R_MAX), mid)
        cs = CubicSpline(u, np.log(f(np.exp(u))))
        e = _max_rel_error(lambda r, cs=cs: np.exp(cs(np.log(r))), f, check)
        lo, hi = (lo, mid) if e <= err else (mid, hi)
    print(f"    uniform in ln R (ln-ln fit): {hi} points reach the same {err:.1e}")
    # Uniform in R: the error peaks at the smallest radii (Sigma ~ ln(1/R) there); check there.
    near = np.geomspace(R_MIN, 100 * R_MIN, 20_001)
    errs = []
    sizes = (300_000, 3_000_000)
    for n in sizes:
        r = np.linspace(R_MIN, R_MAX, n)
        cs = CubicSpline(r, f(r))
        errs.append(_max_rel_error(cs, f, near))
        print(f"    uniform in R (linear fit): {n:>9,d} points, max rel error {errs[-1]:.1e}")
    slope = np.log(errs[1] / errs[0]) / np.log(sizes[1] / sizes[0])
    need = sizes[1] * (err / errs[1]) ** (1.0 / slope)
    print(
        f"    -> uniform in R needs ~{need:.1e} points for {err:.1e} "
        f"(rough: error ~ N^{slope:.1f} here); autoknots: {s.nfev}"
    )
