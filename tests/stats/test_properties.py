"""Property tests (hypothesis) over the whole (p, kappa) range: monotonicity and round trips.

d/dkappa log C_p = -A_p in (-1, 0], so log C_p decreases and log C_p + kappa increases; and the
solver inverts A_p: solve_kappa(p, A_p(kappa)) = kappa to the conditioning eps / (1 - A_p) of the
equation (the rounding of A_p near 1). A_p here is numkit.special.iv_ratio, itself tested against
mpmath in tests/special; these tests check the stats layer's consistency with it, not the values.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numkit.special import iv_ratio
from numkit.stats import solve_kappa, vmf_log_normalizer, vmf_log_normalizer_e

dims = st.integers(min_value=2, max_value=70000)
kappas = st.floats(min_value=1e-6, max_value=1e8, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(p=dims, kappa=kappas, factor=st.floats(min_value=1.001, max_value=10.0))
def test_log_normalizer_is_monotone_and_finite(p: int, kappa: float, factor: float) -> None:
    lo = vmf_log_normalizer(float(p), kappa)
    hi = vmf_log_normalizer(float(p), kappa * factor)
    assert np.isfinite(lo) and np.isfinite(hi)
    assert hi <= lo
    assert vmf_log_normalizer_e(float(p), kappa * factor) >= vmf_log_normalizer_e(float(p), kappa)
    # the mean value theorem: the drop is between A(kappa) and A(kappa factor) times the step
    step = kappa * (factor - 1)
    a_lo, a_hi = iv_ratio(p / 2, kappa), iv_ratio(p / 2, kappa * factor)
    drop = lo - hi
    slack = 1e-13 * (abs(lo) + abs(hi))
    assert a_lo * step - slack <= drop <= a_hi * step + slack


@settings(max_examples=80, deadline=None)
@given(p=dims, kappa=st.floats(min_value=1e-3, max_value=1e7, allow_nan=False))
def test_solver_inverts_the_mean_resultant_length(p: int, kappa: float) -> None:
    a = float(iv_ratio(p / 2, kappa))
    if 1 - a <= 1e-12:
        return  # A_p rounds to (almost) 1: kappa is not determined by a double A_p there
    sol = solve_kappa(p, a)
    assert sol.converged
    tol = 1e-13 + 8 * 2.2e-16 / (1 - a)
    assert abs(sol.kappa / kappa - 1) <= tol, (sol.kappa, kappa)
