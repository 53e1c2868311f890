"""No spurious floating-point flags: a finite result raises no warning under errstate(all='raise').

The kernels evaluate several regimes (and, in the block kernels, arms of a branch-free loop that are
not used for an element); an intermediate that overflows, underflows or divides by zero in such an
arm sets a flag NumPy reports as a RuntimeWarning although the result is right. This sweep covers
the whole domain -- orders log-uniform up to 1e300 (beyond, 2v overflows), arguments log-uniform
over the range of the dtype, both signs of v, the extremes (0, subnormal, the largest value) -- for
every ufunc in float64 and float32, and asserts that wherever the result is finite and normal (the
true value is finite there: the accuracy tables check it) no flag at all is raised. Results that
are NaN (x < 0, I negative at negative order) or +-inf (x = 0) may legitimately set a flag and are
left out. Underflow: intermediates (series terms below x ~ 1e-154, powers of 1/x in asymptotic
sums) do underflow where the result is ordinary; the ufunc loops keep an underflow flag only
where an output is subnormal (bind/ufunc.hpp, ResultFlags), as tested at the end.
"""

from __future__ import annotations

import numkit.special as sp
import numpy as np
import pytest

NAMES = sorted(sp.__all__)
N = 100_000


def _sweep(rng: np.random.Generator, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Orders and arguments over the whole range of ``dtype``; a quarter of each is an extreme."""
    fi = np.finfo(dtype)
    lo, hi = float(np.log10(fi.smallest_subnormal)), float(np.log10(fi.max))
    v_ext = np.array([0.0, fi.smallest_subnormal, fi.tiny, 1e-20, 1e-8, 0.5, 1.0, 50.5, 1023.0])
    v_ext = np.concatenate([v_ext, [1e5, 1e8, 1e30, min(1e300, float(fi.max))]])
    x_ext = np.array([fi.smallest_subnormal, 10 * fi.smallest_subnormal, fi.tiny, 1e-30, 1e-20])
    x_ext = np.concatenate([x_ext, [1e-8, 1.0, 1e5, 1e8, 1e30, 1e37, float(fi.max)]])
    x_ext = x_ext[x_ext <= fi.max]
    v = 10.0 ** rng.uniform(lo, min(hi, 300.0), N)  # |v| <= 1e300: 2v must not overflow
    v[: N // 4] = 10.0 ** rng.uniform(-3, 5, N // 4)  # dense where the regimes change
    x = 10.0 ** rng.uniform(lo, hi, N)
    x[N // 4 : N // 2] = 10.0 ** rng.uniform(-25, 8, N // 4)
    iv = rng.random(N) < 0.25
    v[iv] = rng.choice(v_ext, int(iv.sum()))
    ix = rng.random(N) < 0.25
    x[ix] = rng.choice(x_ext, int(ix.sum()))
    # integer and half-integer orders, both signs
    ih = rng.random(N) < 0.1
    v[ih] = np.round(v[ih] * 2) / 2
    v[rng.random(N) < 0.5] *= -1
    return v.astype(dtype), x.astype(dtype)


def _offenders(f: np.ufunc, v: np.ndarray, x: np.ndarray) -> list[str]:
    bad = []
    for vi, xi in zip(v, x):
        try:
            with np.errstate(all="raise"):
                f(vi, xi)
        except FloatingPointError as e:
            bad.append(f"({vi!r}, {xi!r}): {e}")
            if len(bad) >= 8:
                break
    return bad


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
def test_no_spurious_flags(name: str, dtype: type) -> None:
    f = getattr(sp, name)
    v, x = _sweep(np.random.default_rng(20260529), dtype)
    with np.errstate(all="ignore"):
        r = f(v, x)
    ok = np.isfinite(r) & (np.abs(r) >= np.finfo(dtype).tiny)
    assert ok.mean() > 0.2, "a fifth of the sweep at least has a finite result"
    v, x = v[ok], x[ok]
    try:
        with np.errstate(all="raise"):
            f(v, x)
    except FloatingPointError:
        # locate the elements (blocks of 256 share flags): scalar calls on the finite set
        bad = []
        for s in range(0, v.size, 4096):
            try:
                with np.errstate(all="raise"):
                    f(v[s : s + 4096], x[s : s + 4096])
            except FloatingPointError:
                bad += _offenders(f, v[s : s + 4096], x[s : s + 4096])
                if len(bad) >= 8:
                    break
        pytest.fail(
            f"{name} {np.dtype(dtype).name}: spurious flags, e.g. " + "; ".join(bad[:8])
            if bad
            else f"{name}: a flag is raised only in blocks, not at any single element"
        )


def test_underflow_is_reported_where_a_result_underflows() -> None:
    # Subnormal results keep the flag (the ratio ~x/(2v) and log I_0(x) ~ x^2/4 below 2.2e-308;
    # float32 below 1.2e-38), in float64 and float32 loops, alone or beside ordinary results.
    cases = [
        (sp.iv_ratio, np.array([1e10, 1.0]), np.array([1e-300, 1.0])),
        (sp.log_iv, np.array([0.0, 1.0]), np.array([2e-160, 1e-200])),
        (sp.iv_ratio, np.array([10.0, 1.0], np.float32), np.array([1e-38, 1.0], np.float32)),
    ]
    for f, v, x in cases:
        with np.errstate(all="ignore"):
            r = f(v, x)
        assert 0 < abs(r[0]) < np.finfo(r.dtype).tiny, (f.__name__, r)
        with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
            f(v, x)
        with np.errstate(all="raise"):
            f(v[1:], x[1:])  # the ordinary element alone: no flag (its intermediates underflow)
    # the other flags pass as raised: a domain error stays "invalid"
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid"):
        sp.log_iv(np.array([1.0, 1.0]), np.array([1e-200, -1.0]))


@pytest.mark.parametrize("name", ["vmf_log_normalizer", "vmf_log_normalizer_e"])
def test_vmf_normalizers_raise_no_spurious_underflow(name: str) -> None:
    import numkit.stats as st

    f = getattr(st, name)
    p = np.repeat([2.0, 3.0, 10.0, 1000.0, 1e5], 121)
    kappa = np.tile(np.logspace(-300, 300, 121), 5)
    with np.errstate(all="ignore"):
        r = f(p, kappa)
    ok = np.isfinite(r) & (np.abs(r) >= np.finfo(float).tiny)
    assert ok.mean() > 0.9
    with np.errstate(all="raise"):
        f(p[ok], kappa[ok])
