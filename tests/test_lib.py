"""The shared helpers of numkit._lib: the workers convention and the seed check every part uses."""

from __future__ import annotations

import numpy as np
import pytest
from numkit._lib.validation import check_count, check_random_state, check_workers, usable_cores


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
