"""One azimuthal harmonic of the off-axis nanocube screen against its planar stack, over a wide
window: where the patch's gap plasmons of that harmonic lie.

For harmonic m of the `akselrod_2014` screen (emitter 25 nm off the cube's centre, mid-gap, z
dipole) with a chosen gap, it runs the structure and the planar stack through the emitter
(sims.planar_reference) at one resolution, two at once, and prints per wavelength the
harmonic's LDOS term (over the host's point-dipole LDOS), the same for Meep's planar stack,
the stack's exact harmonic (sims.layered_harmonics) and their difference. Measured (README
"Near a metal face"): m = 1 peaks at 875 nm (8 nm gap) and 800 nm (12 nm), 250 px/µm, ~5 min
each on 2 cores.

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_harmonic.py \\
        --gap-nm 8 --m 1 [--resolution 250] [--out benchmarks/results]

Choose resolutions whose grid step divides the gap (8 nm: 125, 250, 375 px/µm), so that both
gap faces lie on grid planes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap-nm", type=float, default=8.0)
    parser.add_argument("--m", type=int, default=1)
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--window", type=float, nargs=2, default=(0.55, 1.0),
                        metavar=("MIN_UM", "MAX_UM"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()

    import numpy as np

    from cavities.registry import get_preset
    from sims.azimuthal_sum import _measured
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.planar_reference import planar_structure
    from sims.runner import raw_runs

    lo, hi = args.window
    # the equal-area disk: the disk of the stored results (benchmarks/results/nanocube_harmonic_*)
    design = get_preset("akselrod_2014").replace(
        gap_um=1e-3 * args.gap_nm, target_wavelength_um=(lo + hi) / 2, window_um=hi - lo,
        screen_disk="area")
    structure = design.to_structure("screen")
    flat = planar_structure(structure)
    if flat is None:
        raise SystemExit("no planar stack at the emitter: nothing to compare")
    cfg = dataclasses.replace(
        SimConfig(resolution_px_per_um=args.resolution, **design.sim_defaults("screen")),
        compute_mode_volume=False)
    cache = resolve_cache_dir(True)
    runs = [dataclasses.replace(s, cylindrical_m=args.m, name=f"{s.name}-m{args.m}")
            for s in (structure, flat)]
    with ThreadPoolExecutor(2) as pool:
        (raw, ref, _), (planar, _, _) = pool.map(lambda s: raw_runs(s, cfg, cache), runs)
    terms = _measured(raw, ref, structure, args.m, planar)
    host = np.asarray(terms["host_ldos"]) / np.asarray(terms["share"])  # point-dipole host LDOS
    lam = 1.0 / np.asarray(raw.freqs_mu)
    patch = (np.asarray(terms["ldos"]) - terms["host_ldos"]) / host + terms["share"]
    stack = (np.asarray(terms["planar_ldos"]) - terms["host_ldos"]) / host + terms["share"]
    exact = np.asarray(terms["planar_exact"])
    print(f"gap {args.gap_nm:g} nm, m = {args.m}, {args.resolution:g} px/µm "
          f"(Meep {raw.provenance.wall_time_s + planar.provenance.wall_time_s:.0f} s)")
    print("λ (nm) | structure | planar (Meep) | planar (exact) | structure − planar (Meep)")
    for w in np.arange(lo, hi + 1e-9, 0.025):
        i = int(np.argmin(np.abs(lam - w)))
        print(f"{1e3 * lam[i]:6.0f} | {patch[i]:9.1f} | {stack[i]:13.1f} | {exact[i]:14.1f} | "
              f"{patch[i] - stack[i]:9.1f}")
    peak = int(np.argmax(patch - stack))
    print(f"largest difference from the stack at {1e3 * lam[peak]:.0f} nm")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"nanocube_harmonic_gap{args.gap_nm:g}_m{args.m}_{args.resolution:g}.json"
    (out / name).write_text(json.dumps({
        "gap_nm": args.gap_nm, "m": args.m, "resolution_px_per_um": args.resolution,
        "wavelength_um": lam.tolist(), "structure": patch.tolist(),
        "planar_meep": stack.tolist(), "planar_exact": exact.tolist()}, indent=1))
    print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
