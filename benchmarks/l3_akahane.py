"""Akahane L3 benchmark: 3D Q and resonance of the Si L3 versus the end-hole shift.

Akahane, Asano, Song & Noda, Nature 425, 944 (2003) (REFERENCES B1): a = 420 nm, r = 0.29a,
t = 0.6a, n = 3.4; FDTD Q rises from ≈ 5×10³ (s = 0) to ≈ 10⁵ (s ≈ 0.15–0.2a), λ ≈ 1.57–1.6 µm.

Usage::

    python -m benchmarks.l3_akahane --shifts 0 0.05 0.10 0.15 --px-per-a 12

Each shift is one 3D run (x, y, z mirrors; 7-9 min at 12 px/a on one core of a busy 2-core
machine). Measured: s = 0 -> λ = 1.569 µm, Q = 5.1e3; s = 0.15a -> λ = 1.581 µm, Q = 3.2e4.
"""

from __future__ import annotations

import argparse
import time

from cavities.registry import get_preset
from sims.config import SimConfig
from sims.runner import simulate


def run(shift_fraction: float, px_per_a: float, periods: float) -> tuple[float, float, float]:
    """(λ µm, Q, wall time s) of the Akahane L3 with end-hole shift ``shift_fraction``·a."""
    d = get_preset("akahane_l3_si")
    d = d.replace(end_hole_shift_um=shift_fraction * d.lattice_um)
    cfg = SimConfig(resolution_px_per_um=px_per_a / d.lattice_um, pml_um=1.0, n_freqs=401,
                    n_freqs_flux=11, harminv_periods=periods, max_periods=periods,
                    compute_mode_volume=False, compute_collection=False)
    t0 = time.monotonic()
    r = simulate(d.to_structure("full"), cfg)
    mode = r.resonance
    wall = time.monotonic() - t0
    if mode is None:
        return float("nan"), float("nan"), wall
    return mode.wavelength_um, mode.quality_factor, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=float, nargs="+", default=[0.0, 0.15],
                        help="end-hole shifts in units of a")
    parser.add_argument("--px-per-a", type=float, default=12.0)
    parser.add_argument("--periods", type=float, default=100.0,
                        help="ring-down periods given to Harminv")
    args = parser.parse_args(argv)
    print(f"{'s/a':>6} {'λ (µm)':>9} {'Q':>10} {'wall (s)':>9}")
    for s in args.shifts:
        lam, q, wall = run(s, args.px_per_a, args.periods)
        print(f"{s:6.3f} {lam:9.4f} {q:10.0f} {wall:9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
