"""Convergence of the GME screen with the plane-wave cut-off and the k-point average.

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python benchmarks/gme_convergence.py sin_l3_520 \\
        --gmax 1.0 1.25 1.5 1.75 2.0 [--set end_hole_shift_um=0.063]

For each cut-off gmax (2π/a): the plane waves, the resonance, Q at Γ and Q from the loss rates
averaged over the default k-points (:data:`sims.gme.DEFAULT_K_FRACTIONS` or the family's), the
mode volume at the emitter and at the peak, the NA-collected fraction of the mode's radiation,
and the wall time of the solve (one core). These measurements chose the screen's cut-offs
(1.25, 1.5, 1.75; :class:`sims.gme.GmeConfig`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import numpy as np

    from cavities.registry import get_preset
    from sims import _gme_backend as backend
    from sims import gme_modes
    from sims.gme import DEFAULT_K_FRACTIONS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset")
    parser.add_argument("--gmax", type=float, nargs="+", default=[1.0, 1.25, 1.5, 1.75, 2.0])
    parser.add_argument("--set", action="append", default=[], help="design override k=v")
    args = parser.parse_args()
    over = {}
    for pair in args.set:
        k, _, v = pair.partition("=")
        over[k] = int(v) if v.lstrip("-").isdigit() else float(v)
    design = get_preset(args.preset, **over)
    model = design.gme_model()
    legume = backend.require_legume()
    gap = backend.bulk_gap(legume, model)
    ks = model.k_fractions or DEFAULT_K_FRACTIONS
    a, n = model.lattice_um, model.emitter_index
    print(f"{args.preset} {args.set}: bulk gap a/λ {gap[0]:.4f}-{gap[1]:.4f}; k-points {ks}")
    print(f"{'gmax':>5} {'N':>6} {'λ (nm)':>9} {'Q(Γ)':>9} {'Q(k-avg)':>9} {'V_r':>7} "
          f"{'V_peak':>7} {'coll':>6} {'t (s)':>7}")
    for gmax in args.gmax:
        s = backend.solve(model, gmax=gmax, k_fractions=ks, gap=gap)
        c = s.picked_candidate
        if c is None or not s.loss_rates:
            print(f"{gmax:5.2f} {s.n_plane_waves:6d} no cavity mode")
            continue
        lam = a / c.frequency
        cube = (lam / n) ** 3
        _, q = gme_modes.average_loss(s.loss_rates, s.frequencies)
        print(f"{gmax:5.2f} {s.n_plane_waves:6d} {1e3 * lam:9.2f} "
              f"{s.frequencies[0] / (2 * s.loss_rates[0]):9.4g} {q:9.4g} "
              f"{a ** 3 / c.emitter_coupling / cube:7.4f} {a ** 3 / c.peak_energy / cube:7.4f} "
              f"{float(np.mean(s.collected)):6.3f} {s.wall_time_s:7.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
