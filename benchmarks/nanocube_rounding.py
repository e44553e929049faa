"""How the nanocube screen's patch resonance moves with the cube's corner rounding.

For ``akselrod_2014`` (75 nm Ag cube, 8 nm PMMA on Au, emitter 25 nm off the centre, z dipole)
with ``corner_radius_um`` = each of ``--corners-nm``, it runs the m = 1 azimuthal harmonic of
the screen (the patch's fundamental gap plasmon; the disk's rims rounded by the corner radius
× R/(L/2) and drawn as grid terraces, sims.rounded_edges) at one resolution, two designs at a
time, and prints the Harminv modes and the peak of the harmonic's LDOS over the host's in the
band. The m = 1 run is what places the resonance (the full screen sums 7 harmonics, ~70 min).

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_rounding.py \\
        [--corners-nm 0 8] [--resolution 250] [--jobs 2] [--out benchmarks/results]

Measured (250 px/µm, ~4 min per design on one core beside a second run): sharp 825.7 nm
(Q 14.8), 8 nm corners 780.1 nm (Q 13.8): −5.5 %. Akselrod et al.'s ~650 nm needs more than
rounding (README "Nanocube on a mirror").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAND_UM = (0.6, 0.95)


def _run(corner_nm: float, resolution: float) -> dict:
    import numpy as np

    from cavities.registry import get_preset
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.runner import raw_runs

    design = get_preset("akselrod_2014").replace(
        corner_radius_um=1e-3 * corner_nm, target_wavelength_um=0.775, window_um=0.45)
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
    return {"corner_nm": corner_nm, "disk_edge_nm": 1e3 * design.screen_edge_radius_um(),
            "resolution": resolution, "ldos_peak_nm": float(1e3 * lam[i]),
            "modes_nm_q": modes, "wall_s": raw.provenance.wall_time_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corners-nm", type=float, nargs="+", default=(0.0, 8.0))
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--jobs", type=int, default=2, help="designs run at once (Meep runs)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda c: _run(c, args.resolution), args.corners_nm))
    sharp = next((r for r in rows if r["corner_nm"] == 0), None)
    print(f"m = 1 harmonic of akselrod_2014's screen, {args.resolution:g} px/µm")
    print("corner (nm) | disk rim (nm) | Harminv modes in the band (nm, Q) | LDOS peak (nm) | "
          "vs sharp")
    for r in rows:
        modes = ", ".join(f"{w:.1f} (Q {q:.1f})" for w, q in r["modes_nm_q"]) or "none"
        shift = ("" if sharp is None or not sharp["modes_nm_q"] or not r["modes_nm_q"] else
                 f"{100 * (r['modes_nm_q'][0][0] / sharp['modes_nm_q'][0][0] - 1):+.1f} %")
        print(f"{r['corner_nm']:g} | {r['disk_edge_nm']:.2f} | {modes} | "
              f"{r['ldos_peak_nm']:.1f} | {shift}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"nanocube_rounding_{args.resolution:g}.json"
    path.write_text(json.dumps(rows, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
