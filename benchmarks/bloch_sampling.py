"""Why a metasurface's single-emitter LDOS is not a few Bloch-periodic runs (issue "The
review's other cavities", the plasmonic metasurface): the Brillouin-zone average that turns
Bloch runs into one emitter, done exactly for the one case with a closed form.

A periodic cell with one dipole and Bloch wavevector k is an array of dipoles with phases
e^{ik·R}; one emitter in an infinite array is the average of those runs over the Brillouin
zone (the array scanning method): P_single = (A/4π²) ∫_BZ P_k d²k. With no structure at all
(vacuum, so P_single/P_0 = 1 exactly) the array's power per dipole is a sum over the
propagating diffraction orders q = k + G (Weyl expansion of the dipole field):

    P_k/P_0 = (3π / (A k0²)) Σ_{|q| < k0} w(q) k0 / k_z,   k_z = (k0² − |q|²)^½,

with w = |q|²/k0² for a z dipole and 1 − q_x²/k0² for an x dipole. Every order that grazes
(|q| → k0, a Rayleigh anomaly) makes P_k diverge as 1/k_z, so the zone average converges
slowly and erratically with the number of k points: each k point is one 3D Meep run.
This script prints the Monkhorst-Pack (shifted) and Γ-centred n × n averages against the
exact 1 for a square lattice (no Meep; a second, independent check: the k-space integral of
the single dipole gives 1 to 1e-12, ``--check``).

    .venv/bin/python benchmarks/bloch_sampling.py [--period-um 0.3] [--n 2 4 8 16 64]
"""

from __future__ import annotations

import argparse
import math

import numpy as np


def array_power(kx: float, ky: float, period_um: float, k0: float, orientation: str) -> float:
    """P_k/P_0 of a square array (period a) of dipoles with Bloch phase e^{ik·R}, in vacuum."""
    g = 2 * math.pi / period_um
    orders = int(math.ceil(k0 / g)) + 2
    m = np.arange(-orders, orders + 1)
    qx, qy = np.meshgrid(kx + g * m, ky + g * m, indexing="ij")
    q2 = qx ** 2 + qy ** 2
    prop = q2 < k0 ** 2
    kz = np.sqrt(k0 ** 2 - q2[prop])
    w = q2[prop] / k0 ** 2 if orientation == "z" else 1 - qx[prop] ** 2 / k0 ** 2
    return float(3 * math.pi / (period_um ** 2 * k0 ** 2) * np.sum(w * k0 / kz))


def zone_average(n: int, shifted: bool, period_um: float, k0: float, orientation: str
                 ) -> float:
    """The n × n grid average over the Brillouin zone (Monkhorst-Pack if shifted, else
    Γ-centred)."""
    f = (np.arange(n) + (0.5 if shifted else 0.0)) / n - 0.5
    g = 2 * math.pi / period_um
    return float(np.mean([array_power(g * x, g * y, period_um, k0, orientation)
                          for x in f for y in f]))


def single_dipole_check(k0: float, orientation: str) -> float:
    """(1/4π²)∫ f(q) d²q over the light cone, f the summand above times A: 1 exactly (the
    normalisation of the formula; substitution q = k0 sin t removes the 1/k_z)."""
    t = np.linspace(0, math.pi / 2, 200001)
    t = 0.5 * (t[1:] + t[:-1])
    dt = t[1] - t[0]
    q = k0 * np.sin(t)
    # d²q = q dq dφ, dq/k_z = dt; the φ average of w: q²/k0² (z) or 1 − q²/(2k0²) (x)
    w = q ** 2 / k0 ** 2 if orientation == "z" else 1 - q ** 2 / (2 * k0 ** 2)
    return float(3 * math.pi / k0 ** 2 / (4 * math.pi ** 2) * np.sum(2 * math.pi * q * w * k0)
                 * dt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period-um", type=float, default=0.3)
    parser.add_argument("--wavelengths-um", type=float, nargs="+", default=[0.45, 0.52, 0.65])
    parser.add_argument("--n", type=int, nargs="+", default=[2, 4, 8, 16, 32, 64])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    print(f"square lattice, period {1e3 * args.period_um:g} nm, vacuum: zone average of "
          "P_k/P_0 (exact: 1) over n × n k points")
    print("| λ (nm) | dipole | grid | " + " | ".join(f"n = {n}" for n in args.n) + " |")
    print("|---|---|---|" + "---|" * len(args.n))
    for lam in args.wavelengths_um:
        k0 = 2 * math.pi / lam
        for orientation in ("z", "x"):
            if args.check:
                print(f"check {lam} {orientation}: {single_dipole_check(k0, orientation):.12f}")
            for shifted in (True, False):
                vals = [zone_average(n, shifted, args.period_um, k0, orientation)
                        for n in args.n]
                grid = "Monkhorst-Pack" if shifted else "Γ-centred"
                print(f"| {1e3 * lam:g} | {orientation} | {grid} | "
                      + " | ".join(f"{v:.3f}" for v in vals) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
