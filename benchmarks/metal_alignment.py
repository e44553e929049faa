"""Grid series of a preset near a metal mirror with its mirror face moved onto the grid planes
(sims.metal_alignment, the default) or left where it is written (``--staircased``: the face
off the planes is not smoothed, as before 2026-12-07).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/metal_alignment.py \\
        --preset bullseye_hybrid_sin_ag_rt_520 --resolutions 60 80 120 [--staircased]
    ... benchmarks/metal_alignment.py --half-space Ag:0.05:z --face-offset-steps 0.3 \\
        --resolutions 60 [--staircased]

``--half-space METAL:DISTANCE_UM:ORIENTATION``: the oracle case of sims.metal_cases with its
metal face (and the emitter) raised by ``--face-offset-steps`` grid steps of the first grid,
against the exact (Sommerfeld) rate: prints the error range over the window.

Prints, per grid, the resonance (LDOS peak, Harminv Q), the total and radiative Purcell factors
and the collection into the preset's NA at the resonance, and the shift the run applied; writes
``benchmarks/results/metal_alignment_<preset>[_staircased].json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def half_space(args: argparse.Namespace) -> int:
    """A dipole above a metal half-space whose face lies off the grid planes, against the exact
    rate (the staircased numbers of README "Emitters near metals")."""
    import warnings

    import numpy as np

    from sims import metal_cases, runner
    from sims.config import SimConfig

    if args.staircased:
        runner.aligned_to_grid = lambda structure, resolution: structure
    metal, distance, orientation = args.half_space.split(":")
    shift = args.face_offset_steps / args.resolutions[0]
    case = metal_cases.half_space(metal, float(distance), orientation, face_offset_um=shift)
    s = case.structure
    for res in args.resolutions:
        cfg = SimConfig(resolution_px_per_um=res, pml_um=0.5, compute_mode_volume=False,
                        compute_collection=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the metal Layer runs into the PML
            r = runner.simulate(s, cfg, cache_dir=None)
        lam = np.asarray(r.spectra.wavelength_um)
        err = np.asarray(r.spectra.purcell_total) / np.array(
            [case.reference(w)[0] for w in lam]) - 1
        print(f"{case.name}, face {args.face_offset_steps:g} steps off the {args.resolutions[0]:g}"
              f" px/µm planes, {res:g} px/µm, {'staircased' if args.staircased else 'aligned'}:"
              f" total against the exact rate {100 * err.min():+.1f} … {100 * err.max():+.1f} %")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="bullseye_hybrid_sin_ag_rt_520")
    parser.add_argument("--fidelity", default="screen", choices=("screen", "full"))
    parser.add_argument("--resolutions", type=float, nargs="+", default=(60.0, 80.0, 120.0))
    parser.add_argument("--staircased", action="store_true",
                        help="do not move the structure (its metal face stays off the planes)")
    parser.add_argument("--half-space", metavar="METAL:DISTANCE_UM:ORIENTATION")
    parser.add_argument("--face-offset-steps", type=float, default=0.3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    if args.half_space:
        return half_space(args)

    from cavities.registry import get_preset
    from sims import runner
    from sims.config import SimConfig
    from sims.metal_alignment import grid_offset_um

    if args.staircased:
        runner.aligned_to_grid = lambda structure, resolution: structure
    design = get_preset(args.preset)
    structure = design.to_structure(args.fidelity)
    rows = []
    for res in args.resolutions:
        cfg = SimConfig(resolution_px_per_um=res, **design.sim_defaults(args.fidelity))
        t0 = time.monotonic()
        r = runner.simulate(structure, cfg, cache_dir=True)
        mode = r.resonance
        row = {"resolution": res,
               "shift_nm": 0.0 if args.staircased else 1e3 * grid_offset_um(structure, res),
               "resonance_nm": None if mode is None else 1e3 * mode.wavelength_um,
               "Q": None if mode is None else mode.quality_factor,
               "purcell_total": r.purcell_total_at_resonance,
               "purcell_radiative": r.purcell_radiative_at_resonance,
               "collection": r.collection_efficiency_at_resonance,
               "wall_s": time.monotonic() - t0}
        rows.append(row)
        print(json.dumps(row), flush=True)
    label = "staircased" if args.staircased else "aligned"
    print(f"\n{args.preset} ({args.fidelity}), mirror face {label}:")
    print("| px/µm | shift (nm) | λ (nm) | Q | total Purcell | radiative Purcell | collection |")
    print("|---|---|---|---|---|---|---|")
    for w in rows:
        print(f"| {w['resolution']:g} | {w['shift_nm']:+.2f} | {w['resonance_nm']:.1f} | "
              f"{w['Q']:.0f} | {w['purcell_total']:.3f} | {w['purcell_radiative']:.3f} | "
              f"{w['collection']:.3f} |")
    out = Path(args.out) / (f"metal_alignment_{args.preset}_{args.fidelity}"
                            f"{'_staircased' if args.staircased else ''}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
