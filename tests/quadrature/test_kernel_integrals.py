"""Closed-form kernel means and initial errors against scipy.integrate.quad (to 1e-14)."""

from __future__ import annotations

import numpy as np
import pytest
from numkit.quadrature import initial_error, kernel_mean
from scipy.integrate import quad

# quad cannot always certify its tightest tolerance (it warns) but reaches it: the bars hold.
pytestmark = pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")

P = {"matern12": 0, "matern32": 1, "matern52": 2, "matern72": 3}
C = {0: [1.0], 1: [1.0, 1.0], 2: [1.0, 1.0, 1 / 3], 3: [1.0, 1.0, 0.4, 1 / 15]}


def k_np(kernel, ell, a):
    if kernel == "wiener":
        return lambda s, t: ell + min(s, t) - a
    p = P[kernel]
    lam = np.sqrt(2 * p + 1) / ell

    def k(s, t):
        u = lam * abs(s - t)
        return np.exp(-u) * sum(c * u**i for i, c in enumerate(C[p]))

    return k


CASES = [
    # (lengthscale, domain): long, moderate and short relative to the interval
    (0.3, (0.0, 0.1)),
    (30.0, (0.0, 0.1)),
    (0.3, (0.0, 1.0)),
    (0.01, (-1.0, 2.0)),
    (1e4, (2.0, 2.5)),
]
KERNELS = [*P, "wiener"]


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize(("ell", "domain"), CASES)
def test_kernel_mean_matches_quad(kernel, ell, domain):
    # quad on each side of the kink at x, asked for its tightest tolerance (1.2e-14; Gauss-Kronrod
    # on a smooth piece reaches ~1e-16); the integrands are positive: 1e-14 relative is fair.
    a, b = domain
    k = k_np(kernel, ell, a)
    x = np.array([a, a + 1e-7 * (b - a), a + 0.3 * (b - a), 0.5 * (a + b), b - 1e-3 * (b - a), b])
    z = kernel_mean(x, kernel=kernel, lengthscale=ell, domain=domain)
    for xi, zi in zip(x, z):
        opts = dict(epsabs=0.0, epsrel=1.2e-14, limit=200)
        ref = quad(lambda t, xi=xi: k(xi, t), a, xi, **opts)[0] if xi > a else 0.0
        ref += quad(lambda t, xi=xi: k(xi, t), xi, b, **opts)[0] if xi < b else 0.0
        assert abs(zi - ref) <= 1e-14 * abs(ref), (xi, zi, ref)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize(("ell", "domain"), CASES)
def test_initial_error_matches_quad(kernel, ell, domain):
    a, b = domain
    L = b - a
    k = k_np(kernel, ell, a)
    opts = dict(epsabs=0.0, epsrel=1.2e-14, limit=200)
    if kernel == "wiener":
        # int int (ell + min(s, t) - a) = ell L^2 + int_0^L int_0^L min(u, v)
        inner = lambda s: quad(lambda t: k(s, t), a, b, points=[s], **opts)[0]  # noqa: E731
        v0 = quad(inner, a, b, **opts)[0]
    else:
        # stationary kernel: int int k(s - t) ds dt = 2 int_0^L (L - r) k(r) dr
        v0 = 2 * quad(lambda r: (L - r) * k(r, 0.0), 0.0, L, **opts)[0]
    got = initial_error(kernel=kernel, lengthscale=ell, domain=domain)
    assert abs(got - np.sqrt(v0)) <= 1e-14 * np.sqrt(v0)


def test_kernel_mean_rejects_points_outside():
    with pytest.raises(ValueError, match="inside the domain"):
        kernel_mean([1.5], kernel="matern32", lengthscale=1.0, domain=(0, 1))
    with pytest.raises(ValueError, match="lengthscale"):
        initial_error(kernel="matern32", lengthscale=0.0, domain=(0, 1))
    with pytest.raises(ValueError, match="kernel must be one of"):
        initial_error(kernel="rbf", lengthscale=1.0, domain=(0, 1))
