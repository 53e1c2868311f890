"""Construction failures raise clear exceptions naming the location; bad arguments are rejected
before any evaluation of f."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.splines import (
    AutoKnotsError,
    DiscontinuityError,
    FunctionValueError,
    KnotLimitError,
    autoknots,
)


def test_max_knots_names_the_interval() -> None:
    with pytest.raises(KnotLimitError, match=r"max_knots=50") as info:
        autoknots(lambda x: np.sin(50 * x), 0.0, 10.0, rtol=1e-10, atol=1e-12, max_knots=50)
    err = info.value
    assert isinstance(err, AutoKnotsError) and isinstance(err, RuntimeError)
    assert 0.0 <= err.x_lo < err.x_hi <= 10.0
    assert err.spline is not None and not err.spline.converged and err.spline.nfev <= 50


def test_max_knots_below_the_starting_grid() -> None:
    with pytest.raises(KnotLimitError):
        autoknots(np.cos, 0.0, 1.0, max_dx=1e-3, max_knots=100)


def test_discontinuity_is_located() -> None:
    with pytest.raises(DiscontinuityError, match="discontinuous") as info:
        autoknots(lambda x: np.where(x < 0.3, 1.0, 2.0), 0.0, 1.0)
    err = info.value
    assert err.x_lo <= 0.3 <= err.x_hi and err.x_hi - err.x_lo < 1e-12


def test_kink_with_relative_tolerance_converges() -> None:
    # |x - 0.3| has a kink, not a jump: the spline converges (the interval shrinks until the error
    # h |f''| jump falls below rtol), no exception.
    s = autoknots(lambda x: np.abs(x - 0.3) + 1.0, 0.0, 1.0, rtol=1e-8)
    t = np.linspace(0, 1, 100_001)
    assert np.max(np.abs(s(t) / (np.abs(t - 0.3) + 1) - 1)) <= 1e-8


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_f_names_x(bad: float) -> None:
    def f(x):
        return np.where(x > 0.55, bad, x)

    with pytest.raises(FunctionValueError, match=r"f\(0\.") as info:
        autoknots(f, 0.0, 1.0)
    assert info.value.x_lo > 0.55 and isinstance(info.value, ValueError)


def test_non_finite_at_start_has_no_spline() -> None:
    with pytest.raises(FunctionValueError) as info:
        with np.errstate(divide="ignore"):
            autoknots(lambda x: 1.0 / x, 0.0, 1.0)
    assert info.value.x_lo == 0.0 and info.value.spline is None


def test_log_y_needs_positive_f() -> None:
    with pytest.raises(FunctionValueError, match=r"y_scale=\"log\" needs f > 0"):
        autoknots(np.sin, 0.0, 6.0, y_scale="log")


def test_f_exceptions_propagate() -> None:
    def f(x):
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        autoknots(f, 0.0, 1.0)


def test_f_wrong_size_or_type() -> None:
    with pytest.raises(ValueError, match="one value per element"):
        autoknots(lambda x: 1.0, 0.0, 1.0)
    with pytest.raises(TypeError, match="not convertible"):
        autoknots(lambda x: "abc", 0.0, 1.0)
    with pytest.raises(TypeError):
        autoknots(lambda x: None, 0.0, 1.0, vectorized=False)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"a": 1.0, "b": 1.0}, ValueError, "a < b"),
        ({"a": np.nan}, ValueError, "finite"),
        ({"a": "0"}, TypeError, "real number"),
        ({"a": 0.0, "x_scale": "log"}, ValueError, "0 < a"),
        ({"x_scale": "sqrt"}, ValueError, "x_scale must be one of"),
        ({"y_scale": "asinh"}, ValueError, "y_scale must be one of"),
        ({"rtol": -1e-8}, ValueError, ">= 0"),
        ({"rtol": 1e-17}, ValueError, "double precision"),
        ({"rtol": 1.5}, ValueError, "< 1"),
        ({"n0": 1}, ValueError, "n0 must be >= 2"),
        ({"n0": 6.0}, TypeError, "integer"),
        ({"max_dx": 0.0}, ValueError, "max_dx must be > 0"),
        ({"refine": -1}, ValueError, "refine must be >= 0"),
        ({"refine_ns": np.inf}, ValueError, "finite"),
        ({"max_knots": 4}, ValueError, "max_knots"),
        ({"vectorized": "yes"}, TypeError, "vectorized"),
    ],
)
def test_bad_arguments(kwargs: dict, exc: type, match: str) -> None:
    calls = []
    args = {"a": 0.5, "b": 2.0, **kwargs}
    a, b = args.pop("a"), args.pop("b")
    with pytest.raises(exc, match=match):
        autoknots(lambda x: calls.append(1) or np.cos(x), a, b, **args)
    assert not calls  # rejected before f ran


def test_f_not_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        autoknots(3.0, 0.0, 1.0)  # type: ignore[arg-type]


def test_rtol_zero_with_atol() -> None:
    s = autoknots(np.cos, 0.0, 3.0, rtol=0.0, atol=1e-9)
    t = np.linspace(0, 3, 10_001)
    assert np.max(np.abs(s(t) - np.cos(t))) <= 1e-9


def test_scalar_function_with_vectorized_true_gets_a_hint() -> None:
    import math

    with pytest.raises(TypeError) as info:
        autoknots(math.cos, 0.0, 1.0)
    assert any("vectorized=False" in note for note in getattr(info.value, "__notes__", []))
