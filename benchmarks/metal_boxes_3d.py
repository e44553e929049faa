"""3D runs near metal faces with and without the box smoothing (sims.metal_boxes), against
the exact layered-medium result: a dipole above a metal half-space or in the middle of a
metal-insulator-metal gap (sims.metal_cases, run as 3D cells instead of cylindrical ones).

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/metal_boxes_3d.py \\
        --case half-space --metal Au --distance-nm 20 --orientation z --resolution 100

Faces sit on grid planes at every resolution that divides their position (the half-space's
face is at z = −50 nm: 100, 200 px/µm). Prints the total (LDOS) Purcell factor at a few
wavelengths against the exact result and writes a JSON. The staircased numbers of the README
are this script run on a checkout without sims.metal_boxes (``PYTHONPATH=<checkout>``, where
3D metal faces were staircased); ``--tag`` names the JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT_UM = (0.46, 0.5, 0.52, 0.55, 0.58)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=("half-space", "mim"), default="half-space")
    parser.add_argument("--metal", default="Au")
    parser.add_argument("--distance-nm", type=float, default=20.0,
                        help="emitter height above the face (half-space) or gap width (mim)")
    parser.add_argument("--orientation", choices=("z", "x"), default="z")
    parser.add_argument("--resolution", type=float, default=100.0)
    parser.add_argument("--lateral-um", type=float, default=0.4,
                        help="interior width of the 3D cell (x and y)")
    parser.add_argument("--pml-um", type=float, default=0.3)
    parser.add_argument("--tag", default="smoothed")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()

    import numpy as np

    from sims import metal_cases
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.normalise import combine
    from sims.runner import raw_runs

    d_um = 1e-3 * args.distance_nm
    case = (metal_cases.half_space(args.metal, d_um, args.orientation)
            if args.case == "half-space" else metal_cases.mim_gap(args.metal, d_um,
                                                                   args.orientation))
    if hasattr(metal_cases, "in_3d"):
        case = metal_cases.in_3d(case, args.lateral_um)
        s = case.structure
    else:  # a checkout from before sims.metal_boxes (the staircased rows)
        cyl = case.structure
        s = dataclasses.replace(cyl, dimensions="3d", name=f"{cyl.name}-3d",
                                cell_size_um=(args.lateral_um, args.lateral_um,
                                              cyl.cell_size_um[2]))
    cfg = SimConfig(resolution_px_per_um=args.resolution, pml_um=args.pml_um,
                    compute_mode_volume=False, n_freqs_flux=7)
    t0 = time.perf_counter()
    raw, ref, _ = raw_runs(s, cfg, resolve_cache_dir(True))
    result = combine(s, cfg, raw, ref)
    wall = time.perf_counter() - t0
    lam = np.asarray(result.spectra.wavelength_um)
    total = np.asarray(result.spectra.purcell_total)
    rows = []
    for w in REPORT_UM:
        got = float(np.interp(w, lam[::-1], total[::-1]) if lam[0] > lam[-1]
                    else np.interp(w, lam, total))
        want = case.reference(w)[0]
        rows.append({"wavelength_um": w, "purcell_total": got, "exact": want,
                     "error": got / want - 1})
        print(f"{1e3 * w:5.0f} nm  total {got:9.3f}  exact {want:9.3f}  "
              f"{100 * (got / want - 1):+6.1f} %")
    print(f"{s.name} {args.resolution:g} px/µm ({args.tag}): {wall:.0f} s wall, "
          f"{raw.provenance.meep_time_s:.0f} s Meep, stop: {raw.provenance.stop_reason}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = (f"metal_boxes_3d_{args.case}_{args.metal}_{args.distance_nm:g}nm_"
            f"{args.orientation}_{args.resolution:g}_{args.tag}.json")
    (out / name).write_text(json.dumps({
        "case": args.case, "metal": args.metal, "distance_nm": args.distance_nm,
        "orientation": args.orientation, "resolution_px_per_um": args.resolution,
        "lateral_um": args.lateral_um, "pml_um": args.pml_um, "tag": args.tag,
        "rows": rows, "wall_s": wall, "meep_s": raw.provenance.meep_time_s,
        "stop_reason": raw.provenance.stop_reason, "warnings": list(result.warnings)},
        indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
