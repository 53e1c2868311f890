"""Fuzzing every public function of numkit.quadrature (hypothesis, bounded run time).

Inputs: NaN, +-inf, +-0, subnormals, huge and tiny values, empty arrays, wrong dtypes (complex,
object, strings, datetimes), non-contiguous (strided, reversed) views, odd shapes. Each call must
return, or raise TypeError/ValueError whose message names the argument at fault; never another
exception (RuntimeError only for the documented "singular" model), never a hang (every case runs
under an alarm), and valid input gives finite output.
"""

from __future__ import annotations

import signal
import time
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numkit import quadrature as nq

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
CASE_SECONDS = 30  # per example: generous on a loaded 2-core machine; a hang trips the alarm

SPECIAL = [
    np.nan,
    np.inf,
    -np.inf,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2e-308,
    1e-300,
    1e300,
    1.7976931348623157e308,
    -1e300,
    1.0,
    -1.0,
    0.5,
]
floats = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True))
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
KERNELS = ["matern12", "matern32", "matern52", "matern72", "wiener"]
kernels = st.one_of(st.sampled_from(KERNELS), st.sampled_from(["rbf", "", "Matern52", None, 3]))
lengthscales = st.one_of(
    st.sampled_from([1e-300, 1e-20, 0.01, 0.3, 1.0, 1e5, 1e40, 1e300]),
    floats,
    st.sampled_from(["mle", "1", None, [1.0], 1j]),
)


class CaseTimeout(Exception):
    pass


@contextmanager
def alarm(seconds: int = CASE_SECONDS):
    def handler(signum, frame):
        raise CaseTimeout(f"case ran over {seconds} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def layouts(a: np.ndarray):
    """The same values contiguous, strided (every other element of a larger array), reversed."""
    big = np.empty(2 * a.size + 1, dtype=a.dtype)
    big[1::2] = a.ravel()
    return [a, big[1::2].reshape(a.shape), a[::-1].copy()[::-1]]


def arrays(min_size=0, max_size=12, elements=floats):
    base = st.lists(elements, min_size=min_size, max_size=max_size).map(np.array)
    odd = st.sampled_from(
        [
            np.array([], dtype=float),
            np.array(["a", "b"]),
            np.array([1 + 2j, 3j]),
            np.array([None, 1.0], dtype=object),
            np.array(["2020-01-01"], dtype="datetime64[D]"),
            np.zeros((2, 3)),
            np.float32([0.0, 0.5, 1.0]),
            np.arange(5),
            np.array([True, False]),
        ]
    )
    return st.one_of(base, base, odd)


ALLOWED = (TypeError, ValueError)


def call(fn, *args, names=(), **kwargs):
    """Run fn; allowed errors must name one of `names`; returns the result or None."""
    start = time.perf_counter()
    try:
        with alarm(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", nq.BQLengthscaleWarning)  # random data: expected
            return fn(*args, **kwargs)
    except RuntimeError as exc:  # documented in bq_weights: a numerically singular model
        assert "singular" in str(exc), str(exc)
        return None
    except ALLOWED as exc:
        msg = str(exc)
        assert msg, f"{type(exc).__name__} without a message"
        assert any(n in msg for n in names), f"message does not name {names}: {msg!r}"
        return None
    finally:
        assert time.perf_counter() - start < CASE_SECONDS


@SETTINGS
@given(y=arrays(), dx=floats, axis=st.sampled_from([-1, 0, 1, 2, "a", 1.5]))
def test_fuzz_newton_cotes(y, dx, axis):
    names = ("y", "x", "dx", "axis", "initial")
    for ya in layouts(y) if y.dtype.kind in "biufc" else [y]:
        for fn in (nq.trapezoid, nq.simpson):
            r = call(fn, ya, dx=dx, axis=axis, names=names)
            if r is not None and np.isfinite(dx) and np.all(np.isfinite(ya)) and ya.size:
                assert np.all(np.isfinite(r)) or abs(dx) > 1e290 or np.abs(ya).max() > 1e290
        call(nq.cumulative_trapezoid, ya, dx=dx, axis=axis, initial=0, names=names)
        call(nq.trapezoid, ya, ya, axis=axis, names=names)


node_sets = st.one_of(
    st.lists(st.floats(0, 1), min_size=1, max_size=10, unique=True).map(np.array),
    arrays(),
    st.sampled_from(
        [
            np.linspace(0, 1, 9),
            np.array([0.0, 1e-300, 1.0]),
            np.array([0.0, 5e-324, 0.5]),
            np.array([0.5]),
            np.array([0.0, 1e-9, 1.0]),
        ]
    ),
)
domains = st.one_of(
    st.just((0.0, 1.0)),
    st.just(None),
    st.tuples(floats, floats),
    st.sampled_from(
        [
            "01",
            (0, 1, 2),
            (1, 0),
            (0, np.nan),
            [0, 1],
            np.array([0.0, 1.0]),
            (-1e300, 1e300),
            (0, 5e-324),
        ]
    ),
)


@SETTINGS
@given(nodes=node_sets, kernel=kernels, ell=lengthscales, domain=domains)
def test_fuzz_bq_weights_and_object(nodes, kernel, ell, domain):
    names = ("nodes", "kernel", "lengthscale", "domain", "node")
    for x in layouts(nodes) if nodes.dtype.kind in "biuf" else [nodes]:
        r = call(nq.bq_weights, x, kernel=kernel, lengthscale=ell, domain=domain, names=names)
        if r is not None:
            assert np.all(np.isfinite(r.weights)) and np.isfinite(r.std) and r.std >= 0
    bq = call(
        nq.BayesianQuadrature,
        nodes,
        kernel=kernel,
        lengthscale=ell,
        domain=domain,
        names=(*names, "data", "mle"),
    )
    if bq is None:
        return
    n = bq.nodes.size
    for Y in (
        np.ones(n),
        np.full((3, n), 1e300),
        np.zeros((0, n)),
        np.full(n, np.nan),
        np.ones(n, dtype=np.float32),
        np.ones(n + 1),
        np.array(["a"] * n),
        np.ones(n) * 1j,
        np.ones((n, 2)),
        5e-324 * np.ones(n),
    ):
        r = call(bq.integrate, Y, names=("Y",))
        if r is not None and np.all(np.isfinite(Y)) and Y.size:
            assert np.all(np.isfinite(r.integral)) or np.abs(Y).max() > 1e290
            # std scales with the data (the amplitude is fitted): it may exceed the doubles
            # only where the std of the data scaled to 1, times that scale, does (the Wiener
            # kernel at lengthscale 1e-300 has std 5.8e149 for y = 1: inf for y = 1e300)
            big = np.abs(Y).max()
            if big > 0:
                unit = bq.integrate(Y / big).std
                with np.errstate(over="ignore"):
                    allowed = unit * big > 1e306
                assert np.all(np.isfinite(r.std) | allowed)
        call(bq.log_likelihood, Y, names=("Y",))


@SETTINGS
@given(
    nodes=st.lists(st.floats(0, 2), min_size=3, max_size=12, unique=True).map(np.array),
    kernel=st.sampled_from(KERNELS),
    data=st.one_of(
        st.just("smooth"),
        st.just("nan"),
        st.just("complex"),
        st.just("huge"),
        st.just("zero"),
        st.just("tiny"),
    ),
    bounds=st.one_of(
        st.none(),
        st.tuples(floats, floats),
        st.sampled_from([(0.1, 1.0, 3.0), "ab", (1e-300, 1e300)]),
    ),
)
def test_fuzz_mle(nodes, kernel, data, bounds):
    y = np.exp(-nodes) * np.cos(3 * nodes)
    Y = {
        "smooth": y,
        "nan": np.where(nodes > 1, np.nan, y),
        "complex": y * 1j,
        "huge": 1e300 * y,
        "zero": 0 * y,
        "tiny": 5e-324 * np.sign(y),
    }[data]
    bq = call(
        nq.BayesianQuadrature,
        nodes,
        kernel=kernel,
        lengthscale="mle",
        data=Y,
        domain=(0, 2),
        bounds=bounds,
        names=("data", "bounds", "node"),
    )
    if bq is not None:
        assert np.isfinite(bq.lengthscale) and bq.lengthscale > 0
        assert np.isfinite(bq.integrate(Y).std)


@SETTINGS
@given(
    x=arrays(elements=st.one_of(st.floats(0, 1), floats)),
    kernel=kernels,
    ell=lengthscales,
    domain=domains,
)
def test_fuzz_kernel_integrals(x, kernel, ell, domain):
    names = ("x", "kernel", "lengthscale", "domain", "nodes")
    for xa in layouts(x) if x.dtype.kind in "biuf" else [x]:
        z = call(nq.kernel_mean, xa, kernel=kernel, lengthscale=ell, domain=domain, names=names)
        if z is not None:
            ok = ~np.isnan(np.asarray(xa, dtype=float))
            assert (np.all(np.isfinite(z[ok])) and np.all(z[ok] >= 0)) or kernel == "wiener"
            assert np.all(np.isnan(z[~ok]))
        K = call(nq.kernel_matrix, xa, kernel=kernel, lengthscale=ell, domain=domain, names=names)
        if K is not None:
            assert K.shape == (xa.size, xa.size)
    e = call(nq.initial_error, kernel=kernel, lengthscale=ell, domain=domain, names=names)
    if e is not None:
        assert np.isfinite(e) and e >= 0


def test_alarm_trips():
    with pytest.raises(CaseTimeout), alarm(1):
        time.sleep(3)
