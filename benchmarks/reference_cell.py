"""How small the 3D host reference cell may be: the dipole's LDOS and box flux in a host cell of
one host wavelength from the dipole to the PML (the size sims.reference used in 3D until
2026-12-07, and still uses in cylindrical and 2D runs) against smaller cells, in one
homogeneous host on one grid.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/reference_cell.py --host PMMA \\
        --resolution 150 --window-um 0.55 1.0 --fractions 0.25 0.4 [--orientation z]

The reference normalises every LDOS and flux of a structure run (sims.normalise), so a smaller
cell is allowed only where it changes neither by more than the ratio printed here. Writes
``benchmarks/results/reference_cell_<host>_<resolution>.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _host_structure(host: str, window_um: tuple[float, float], orientation: str):
    from cavities.library import get_material
    from cavities.structure import Structure

    lo, hi = window_um
    mat = get_material(host, 0.5 * (lo + hi))
    return Structure(name=f"cell-{host}", shapes=(), background=mat,
                     cell_size_um=(1.0, 1.0, 1.0), dimensions="3d",
                     emitter_position_um=(0.0, 0.0, 0.0), dipole_orientation=orientation,
                     wavelength_min_um=lo, wavelength_max_um=hi,
                     target_wavelength_um=0.5 * (lo + hi))


def main() -> int:
    import numpy as np

    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.reference import reference_config, reference_structure
    from sims.runner import cached_raw

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="PMMA")
    parser.add_argument("--resolution", type=float, default=150.0)
    parser.add_argument("--window-um", type=float, nargs=2, default=(0.55, 1.0))
    parser.add_argument("--orientation", default="z", choices=("x", "y", "z"))
    parser.add_argument("--pml-um", type=float, default=0.2)
    parser.add_argument("--fractions", type=float, nargs="+", default=(0.25, 0.4),
                        help="half-sizes of the small cells in host wavelengths λ_max/n")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()

    structure = _host_structure(args.host, tuple(args.window_um), args.orientation)
    cfg = SimConfig(resolution_px_per_um=args.resolution, pml_um=args.pml_um,
                    n_freqs_flux=9, compute_mode_volume=False)
    n = structure.background.index(structure.target_um).real
    lam_n = structure.wavelength_max_um / n
    dx = 1.0 / args.resolution
    big = reference_structure(structure, cfg)
    big = dataclasses.replace(big, cell_size_um=(2 * (max(lam_n, 6 * dx) + 3 * dx),) * 3)
    cache = resolve_cache_dir(True)
    t0 = time.monotonic()
    ref = cached_raw("reference", big, reference_config(cfg), cache, want_modes=False)
    rows = [{"half_um": big.cell_size_um[0] / 2, "fraction": None,
             "wall_s": ref.provenance.wall_time_s}]
    for frac in args.fractions:
        half = round(max(frac * lam_n, 6 * dx) + 3 * dx, 4)
        small = dataclasses.replace(big, cell_size_um=(2 * half,) * 3,
                                    name=f"{big.name}-half{half:g}")
        run = cached_raw("reference", small, reference_config(cfg), cache, want_modes=False)
        ldos = np.asarray(run.ldos) / np.asarray(ref.ldos)
        flux = np.asarray(run.box_flux) / np.asarray(ref.box_flux)
        rows.append({"half_um": half, "fraction": frac, "wall_s": run.provenance.wall_time_s,
                     "ldos_ratio": [float(ldos.min()), float(ldos.max())],
                     "flux_ratio": [float(flux.min()), float(flux.max())]})
    print(f"{args.host} (n {n:.3f}), 3D, {args.resolution:g} px/µm, "
          f"{args.window_um[0]:g}-{args.window_um[1]:g} µm, {args.orientation} dipole, "
          f"PML {args.pml_um:g} µm; λ_max/n = {lam_n:.3f} µm")
    print("| half cell (µm) | λ_max/n | LDOS small/large | box flux small/large | wall |")
    print("|---|---|---|---|---|")
    for r in rows:
        if r["fraction"] is None:
            print(f"| {r['half_um']:.3f} (one wavelength) | {r['half_um'] / lam_n:.2f} | 1 | 1 | "
                  f"{r['wall_s']:.0f} s |")
            continue
        lo, hi = r["ldos_ratio"]
        flo, fhi = r["flux_ratio"]
        print(f"| {r['half_um']:.3f} | {r['fraction']:g} | {lo:.5f}-{hi:.5f} | "
              f"{flo:.5f}-{fhi:.5f} | {r['wall_s']:.0f} s |")
    out = Path(args.out) / f"reference_cell_{args.host}_{args.resolution:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "lambda_n_um": lam_n, "rows": rows,
                               "wall_s": time.monotonic() - t0}, indent=1) + "\n")
    print(f"-> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
