"""How the nanocube screen's patch resonance moves with the cube's corner rounding.

For ``akselrod_2014`` (75 nm Ag cube, 8 nm PMMA on Au, emitter 25 nm off the centre, z dipole)
with ``corner_radius_um`` = each of ``--corners-nm``, it runs the m = 1 azimuthal harmonic of
the screen (the patch's fundamental gap plasmon; the disk's rims rounded by the corner radius
× R/(L/2) and drawn as grid terraces, sims.rounded_edges) at one resolution, two designs at a
time, and prints the Harminv modes and the peak of the harmonic's LDOS over the host's in the
band. The m = 1 run is what places the resonance (the full screen sums 7 harmonics, ~70 min).

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_rounding.py \\
        [--corners-nm 0 8] [--gap-nm 8] [--resolution 250] [--jobs 2] [--out ...]

Measured (250 px/µm, ~4 min per design on one core beside a second run; the patch mode is the
Harminv mode at the LDOS peak): 8 nm gap, sharp 825.7 nm, 8 nm corners 780.1 nm (−5.5 %);
12 nm gap 745.0 → 666.7 nm with 10 nm corners; 16 nm gap 702.9 → 647.7 nm (README, the
nanocube section).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAND_UM = (0.6, 0.95)


def _run(corner_nm: float, resolution: float, gap_nm: float = 8.0) -> dict:
    import numpy as np

    from cavities.registry import get_preset
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.runner import raw_runs

    design = get_preset("akselrod_2014").replace(
        corner_radius_um=1e-3 * corner_nm, gap_um=1e-3 * gap_nm, target_wavelength_um=0.775,
        window_um=0.45)
    s = design.to_structure("screen")
    s = dataclasses.replace(s, cylindrical_m=1, name=f"{s.name}-corner{corner_nm:g}nm-m1")
    cfg = dataclasses.replace(SimConfig(resolution_px_per_um=resolution,
                                        **design.sim_defaults("screen")),
                              compute_mode_volume=False)
    raw, ref, _ = raw_runs(s, cfg, resolve_cache_dir(True))
    lam = 1.0 / np.asarray(raw.freqs_mu)
    ratio = np.asarray(raw.ldos) / np.asarray(ref.ldos)
    band = np.flatnonzero((lam > BAND_UM[0]) & (lam < BAND_UM[1]))
    i = band[np.argmax(ratio[band])]
    modes = [(1e3 * m.wavelength_um, m.quality_factor) for m in raw.modes
             if BAND_UM[0] < m.wavelength_um < BAND_UM[1]]
    peak = float(1e3 * lam[i])
    # the patch mode: the Harminv mode nearest the LDOS peak (others in the band are weak)
    patch = min(modes, key=lambda wq: abs(wq[0] - peak))[0] if modes else None
    return {"corner_nm": corner_nm, "gap_nm": gap_nm,
            "disk_edge_nm": 1e3 * design.screen_edge_radius_um(),
            "resolution": resolution, "ldos_peak_nm": peak, "patch_mode_nm": patch,
            "modes_nm_q": modes, "wall_s": raw.provenance.wall_time_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corners-nm", type=float, nargs="+", default=(0.0, 8.0))
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--gap-nm", type=float, default=8.0,
                        help="PMMA gap (a multiple of the grid step keeps both faces on planes)")
    parser.add_argument("--jobs", type=int, default=2, help="designs run at once (Meep runs)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda c: _run(c, args.resolution, args.gap_nm), args.corners_nm))
    sharp = next((r for r in rows if r["corner_nm"] == 0), None)
    print(f"m = 1 harmonic of akselrod_2014's screen, {args.gap_nm:g} nm gap, "
          f"{args.resolution:g} px/µm")
    print("corner (nm) | disk rim (nm) | Harminv modes in the band (nm, Q) | LDOS peak (nm) | "
          "patch mode vs sharp")
    for r in rows:
        modes = ", ".join(f"{w:.1f} (Q {q:.1f})" for w, q in r["modes_nm_q"]) or "none"
        shift = ("" if sharp is None or None in (sharp["patch_mode_nm"], r["patch_mode_nm"])
                 else f"{100 * (r['patch_mode_nm'] / sharp['patch_mode_nm'] - 1):+.1f} %")
        print(f"{r['corner_nm']:g} | {r['disk_edge_nm']:.2f} | {modes} | "
              f"{r['ldos_peak_nm']:.1f} | {shift}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gap = "" if args.gap_nm == 8.0 else f"_gap{args.gap_nm:g}"
    path = out / f"nanocube_rounding{gap}_{args.resolution:g}.json"
    path.write_text(json.dumps(rows, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
