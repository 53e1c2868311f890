"""Property-based checks (hypothesis) of invariants that hold exactly, whatever the inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numkit.splines import autoknots

coefs = st.lists(st.floats(-10, 10, allow_nan=False), min_size=4, max_size=4)
ends = st.tuples(st.floats(-50, 50), st.floats(0.1, 100))


@settings(max_examples=40, deadline=None)
@given(c=coefs, ab=ends, n0=st.integers(4, 12))
def test_cubics_are_reproduced_after_one_pass(
    c: list[float], ab: tuple[float, float], n0: int
) -> None:
    # A not-a-knot spline through >= 4 points of a cubic is that cubic: the first midpoint pass
    # passes everywhere (up to rounding), so n0 + (n0 - 1) knots and the grading rule stays idle;
    # the default check's 5 probes pass too and are dropped (counted in nfev only).
    a, width = ab
    b = a + width

    def f(x):
        return np.polyval(c, (x - a) / width)

    scale = sum(abs(v) for v in c) + 1.0
    s = autoknots(f, a, b, rtol=0.0, atol=1e-9 * scale, refine=0, n0=n0)
    assert len(s.knots) == 2 * n0 - 1 and s.nfev == len(s.knots) + 5
    t = np.linspace(a, b, 257)
    assert np.max(np.abs(s(t) - f(t))) <= 1e-11 * scale * 10


@settings(max_examples=40, deadline=None)
@given(p=st.floats(-3, 3), q=st.floats(0.01, 0.99), r=st.floats(0.01, 0.99))
def test_integrals_are_additive_and_match_the_antiderivative(p: float, q: float, r: float) -> None:
    s = autoknots(
        lambda x: x**p * np.exp(-x / 7), 0.01, 100.0, rtol=1e-8, x_scale="log", y_scale="log"
    )
    lo, hi = sorted((0.01 * (1e4) ** q, 0.01 * (1e4) ** r))
    mid = np.sqrt(lo * hi)
    whole = s.integrate(lo, hi)
    parts = s.integrate(lo, mid) + s.integrate(mid, hi)
    assert abs(whole - parts) <= 1e-13 * abs(whole) + 1e-300
    F = s.antiderivative()
    assert abs((F(hi) - F(lo)) - whole) <= 1e-12 * abs(F(hi)) + 1e-300
    assert s.integrate(hi, lo) == -whole
