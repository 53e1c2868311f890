"""numkit.stats's section of ``python -m numkit demo``: a vMF fit in 8192 dimensions vs SciPy."""

from __future__ import annotations

import time
import warnings

import numpy as np


def run() -> None:
    """Fit 8192-dim vMF samples with numkit and SciPy; print both kappas next to the truth."""
    from numkit.stats import VonMisesFisher, fit_vmf

    p, kappa, n = 8192, 8192.0, 1000
    mu = np.zeros(p)
    mu[0] = 1.0
    t0 = time.perf_counter()
    x = VonMisesFisher(mu, kappa).rvs(n, random_state=0)
    t_rvs = time.perf_counter() - t0
    t0 = time.perf_counter()
    mle = fit_vmf(x)
    deb = fit_vmf(x, estimator="debiased")
    t_fit = (time.perf_counter() - t0) / 2
    print(f"von Mises-Fisher in p = {p} dimensions, true kappa = {kappa:g}, n = {n} samples")
    print(f"  numkit rvs: {n} samples in {t_rvs * 1e3:.0f} ms (Wood + Householder, O(p) each)")
    print(f"  {'estimator':<28} {'kappa':>14} {'(kappa - truth)/se':>20}")
    for name, res in (("numkit fit_vmf, MLE", mle), ("numkit fit_vmf, debiased", deb)):
        z = (res.kappa - kappa) / res.kappa_se
        print(f"  {name:<28} {res.kappa:14.2f} {z:20.2f}")
    try:
        from scipy.stats import vonmises_fisher
    except ImportError:  # SciPy < 1.11
        print("  scipy.stats.vonmises_fisher: not available in this SciPy")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            _, kappa_scipy = vonmises_fisher.fit(x)
            t_scipy = time.perf_counter() - t0
        print(f"  {'scipy vonmises_fisher.fit':<28} {kappa_scipy:14.3g} {'(silently wrong)':>20}")
        print(f"  fit time: numkit {t_fit * 1e3:.1f} ms, scipy {t_scipy * 1e3:.1f} ms")
    print(f"  numkit standard error of kappa: {deb.kappa_se:.2f}; converged: {deb.converged}")
