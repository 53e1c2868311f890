"""The shared helpers of numkit._lib: the workers convention and the seed check every part uses."""

from __future__ import annotations

import numpy as np
import pytest
from numkit._lib.validation import (
    check_count,
    check_random_state,
    check_workers,
    numeric_array,
    positive_scalar,
    usable_cores,
)


def test_workers_follow_scipy_fft() -> None:
    cores = usable_cores()
    assert check_workers(None) == 1
    assert check_workers(None, default=None) == cores
    assert check_workers(3) == 3
    assert check_workers(np.int64(2)) == 2
    assert check_workers(-1) == cores
    assert check_workers(-cores) == 1


@pytest.mark.parametrize(
    ("bad", "exc"), [(0, ValueError), (-(10**6), ValueError), (True, TypeError), (1.5, TypeError)]
)
def test_workers_errors_name_the_argument(bad: object, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="workers must be"):
        check_workers(bad)


def test_random_state_names_its_argument() -> None:
    assert isinstance(check_random_state(np.random.RandomState(0)), np.random.Generator)
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    with pytest.raises(TypeError, match="seed must be"):
        check_random_state("s", "seed")
    with pytest.raises(TypeError, match="seed must be"):
        check_random_state(True, "seed")
    with pytest.raises(ValueError, match="seed must be >= 0"):
        check_random_state(-1, "seed")


@pytest.mark.parametrize(
    ("bad", "minimum", "exc"),
    [
        (True, 0, TypeError),
        (2.0, 0, TypeError),
        ("3", 1, TypeError),
        (-1, 0, ValueError),
        (0, 1, ValueError),
    ],
)
def test_count_errors_name_the_argument(bad: object, minimum: int, exc: type[Exception]) -> None:
    with pytest.raises(exc, match=r"^k must be a"):
        check_count(bad, "k", minimum=minimum)


def test_count_accepts_numpy_integers() -> None:
    assert check_count(np.int64(0), "k", minimum=0) == 0
    assert type(check_count(np.uint8(7), "top")) is int


def test_positive_scalar_takes_real_numbers_only() -> None:
    # (float("0.3") made a string a valid lengthscale; failures were ValueError)
    assert positive_scalar(np.float32(0.5), "h") == 0.5
    assert positive_scalar(np.array(2.0), "h") == 2.0
    assert positive_scalar(0, "h", zero_ok=True) == 0.0
    for bad in ("0.3", b"1", True, 1 + 2j, None, [1.0]):
        with pytest.raises(TypeError, match="h must be a real number"):
            positive_scalar(bad, "h")
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="h must be finite and > 0"):
            positive_scalar(bad, "h")


def test_masked_arrays_with_masked_entries_are_refused() -> None:
    from numkit.quadrature import simpson, trapezoid

    y = np.ma.array([1.0, 5.0, 2.0, 3.0], mask=[0, 1, 0, 0])
    with pytest.raises(TypeError, match="y is a masked array with masked entries"):
        trapezoid(y)
    with pytest.raises(TypeError, match="masked"):
        simpson(y)
    unmasked = np.ma.array([1.0, 5.0, 2.0, 3.0])  # nothing masked: the values are the array
    assert trapezoid(unmasked) == trapezoid(np.asarray(unmasked))
    assert numeric_array(np.ma.array([1, 2], mask=[0, 0]), "y").tolist() == [1, 2]
