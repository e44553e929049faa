"""How the metals' permittivity data set moves the nanocube's gap plasmon and its radiative
efficiency: Rakić's Lorentz-Drude fits (Meep's ``Ag``/``Au``) against Johnson & Christy's
measured data (the library's ``Ag_JC``/``Au_JC``).

For ``akselrod_2014`` (75 nm Ag cube on an Au film, PMMA gap, emitter 25 nm off the centre,
z dipole, mid-gap) with a chosen gap and corner radius, it runs the m = 1 azimuthal harmonic of
the screen (the patch's fundamental gap plasmon, the harmonic that carries the resonance), its
planar stack and the host reference, once per metal pair, two runs at a time, and prints the
Harminv modes, the harmonic's total (LDOS) and far-field (radiative) terms at its peak, and
their ratio: the radiative efficiency of the patch mode as the emitter sees it through m = 1.

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_metal_model.py \\
        [--gap-nm 12] [--corner-nm 10] [--resolution 250] [--data-sets rakic jc] [--jobs 2] \\
        [--out benchmarks/results]

Measured (250 px/µm, two runs at a time on 2 cores; README "Near a metal face", the metals'
data set; JSON in benchmarks/results/nanocube_metal_model_*):

| gap, corners | Rakić: mode (Q), m = 1 efficiency | Johnson & Christy | Meep s (Rakić / JC) |
|---|---|---|---|
| 8 nm, sharp | 826.0 nm (14.8), 0.187 | 780.0 nm (23.1), 0.357 | 290 / 125 |
| 12 nm, 10 nm | 667.0 nm (9.7), 0.238 | 632.1 nm (13.2), 0.378 | 375 / 133 |
| 16 nm, sharp | 703.1 nm (10.0), 0.297 | 668.0 nm (13.0), 0.479 | 275 / 107 |
| 8 nm, sharp, 375 px/µm (--jobs 1) | 795.0 nm (14.0), 0.232 | 750.9 nm (21.3), 0.425 | 1171 / 508 |
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = {"Rakić (Meep Ag, Au)": ("Ag", "Au"), "Johnson & Christy": ("Ag_JC", "Au_JC")}
BAND_UM = (0.55, 0.95)


def _harmonic(cube: str, film: str, gap_nm: float, corner_nm: float, resolution: float,
              pool: ThreadPoolExecutor) -> dict:
    import numpy as np

    from cavities.library import get_material
    from cavities.registry import get_preset
    from sims.azimuthal_sum import _host_total, _measured
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.planar_reference import planar_structure
    from sims.runner import raw_runs

    design = get_preset("akselrod_2014").replace(
        cube_material=cube, film_material=film, gap_um=1e-3 * gap_nm,
        corner_radius_um=1e-3 * corner_nm, target_wavelength_um=sum(BAND_UM) / 2,
        window_um=BAND_UM[1] - BAND_UM[0])
    structure = design.to_structure("screen")
    flat = planar_structure(structure)
    cfg = dataclasses.replace(
        SimConfig(resolution_px_per_um=resolution, **design.sim_defaults("screen")),
        compute_mode_volume=False)
    cache = resolve_cache_dir(True)
    runs = [dataclasses.replace(s, cylindrical_m=1, name=f"{s.name}-{cube}-{film}-m1")
            for s in (structure, flat)]
    (raw, ref, _), (planar, _, _) = pool.map(lambda s: raw_runs(s, cfg, cache), runs)
    t = _measured(raw, ref, structure, 1, planar)
    host = _host_total([t], "host_ldos", "share")
    total = (np.asarray(t["ldos"]) - t["planar_ldos"]) / host + t["planar_exact"]
    host_flux = _host_total([t], "host_box_flux", "share_flux")
    far = (np.asarray(t["far_up"]) + np.asarray(t["far_down"])) / host_flux
    lam = 1.0 / np.asarray(raw.freqs_mu)
    flux_lam = 1.0 / np.asarray(raw.flux_freqs_mu)
    total_at_flux = np.interp(flux_lam, lam[::-1], total[::-1])
    band = np.flatnonzero((flux_lam > BAND_UM[0]) & (flux_lam < BAND_UM[1]))
    i = band[np.argmax(far[band])]
    modes = [(1e3 * m.wavelength_um, m.quality_factor) for m in raw.modes
             if BAND_UM[0] < m.wavelength_um < BAND_UM[1]]
    wall = sum(r.provenance.wall_time_s for r in (raw, planar))
    return {"cube": cube, "film": film, "gap_nm": gap_nm, "corner_nm": corner_nm,
            "resolution": resolution, "modes_nm_q": modes,
            "eps_cube_at_peak": str(get_material(cube).permittivity(flux_lam[i])),
            "eps_film_at_peak": str(get_material(film).permittivity(flux_lam[i])),
            "far_peak_nm": 1e3 * flux_lam[i], "far_m1": float(far[i]),
            "total_m1": float(total_at_flux[i]),
            "efficiency_m1": float(far[i] / total_at_flux[i]),
            "wavelength_um": flux_lam.tolist(), "far": far.tolist(),
            "total": total_at_flux.tolist(), "wall_s": wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap-nm", type=float, default=12.0)
    parser.add_argument("--corner-nm", type=float, default=10.0)
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--data-sets", nargs="+", choices=("rakic", "jc"),
                        default=("rakic", "jc"), help="which metal pairs to run")
    parser.add_argument("--jobs", type=int, default=2, help="Meep runs at once (1 or 2)")
    args = parser.parse_args()
    rows = []
    chosen = {k: v for k, v in PAIRS.items()
              if ("rakic" if v[0] == "Ag" else "jc") in args.data_sets}
    with ThreadPoolExecutor(args.jobs) as pool:
        for label, (cube, film) in chosen.items():
            row = _harmonic(cube, film, args.gap_nm, args.corner_nm, args.resolution, pool)
            rows.append({"data_set": label, **row})
    print(f"akselrod_2014, m = 1 harmonic, {args.gap_nm:g} nm PMMA gap, {args.corner_nm:g} nm "
          f"corners, {args.resolution:g} px/µm")
    print("metals | Harminv modes (nm, Q) | far-field peak (nm) | total (m = 1) | radiative "
          "(m = 1) | efficiency | Meep (s)")
    for r in rows:
        modes = ", ".join(f"{w:.1f} (Q {q:.1f})" for w, q in r["modes_nm_q"]) or "none"
        print(f"{r['data_set']} | {modes} | {r['far_peak_nm']:.1f} | {r['total_m1']:.0f} | "
              f"{r['far_m1']:.0f} | {r['efficiency_m1']:.3f} | {r['wall_s']:.0f}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    which = "" if len(chosen) == len(PAIRS) else "_" + "_".join(args.data_sets)
    path = out / (f"nanocube_metal_model_gap{args.gap_nm:g}_corner{args.corner_nm:g}_"
                  f"{args.resolution:g}{which}.json")
    path.write_text(json.dumps(rows, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
