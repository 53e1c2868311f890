"""Write the mpmath reference tables of tests/stats.

Run: python tests/stats/data/make_reference.py

vmf_log_normalizer.csv: p, kappa, log C_p(kappa) (30 significant digits) from the defining
    integral.
kappa_roots.csv: p, rbar, kappa with A_p(kappa) = rbar exactly (30 digits), mpmath findroot on A_p
    computed from the integrals (tests/stats/mpref.py); rbar is the double written, so the root is
    that of the double rbar.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mpmath as mp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import mpref  # noqa: E402

P_GRID = (2, 3, 5, 10, 100, 1024, 2048, 8192, 32768, 65536)
ROOT_P = (2, 3, 10, 2048, 8192, 32768, 65536)
ROOT_R = (1e-3, 0.1, 0.5, 0.9, 0.99, 0.999999)


def kappa_grid(p: int) -> list[float]:
    edge = (2.0 * p) ** 0.5  # the kernel's branch point kappa^2 = 2p, both sides
    ks = {
        0.0,
        1e-8,
        1e-3,
        0.5,
        1.0,
        5.0,
        50.0,
        edge * (1 - 1e-9),
        edge * (1 + 1e-9),
        p / 4,
        p,
        10.0 * p,
        1e5,
        1e6,
        1e8,
    }
    return sorted(float(k) for k in ks)


def main() -> None:
    with open(HERE / "vmf_log_normalizer.csv", "w") as fh:
        fh.write("p,kappa,log_normalizer\n")
        for p in P_GRID:
            for k in kappa_grid(p):
                val = mpref.log_normalizer(p, k)
                fh.write(f"{p},{k!r},{mp.nstr(val, 30)}\n")
    with open(HERE / "kappa_roots.csv", "w") as fh:
        fh.write("p,rbar,kappa\n")
        for p in ROOT_P:
            for r in ROOT_R:
                with mp.workdps(mpref.DPS):
                    R = mp.mpf(r)
                    k0 = R * (p - R**2) / (1 - R**2)  # Banerjee's estimate as the start
                    root = mp.findroot(
                        lambda k, p=p, R=R: mpref.mean_resultant_length(p, k) - R,
                        (k0, k0 * (1 + mp.mpf("1e-3"))),
                        solver="secant",
                        tol=mp.mpf(10) ** (-2 * 30),
                    )
                fh.write(f"{p},{r!r},{mp.nstr(root, 30)}\n")


if __name__ == "__main__":
    main()
