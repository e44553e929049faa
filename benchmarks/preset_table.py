"""Simulate every cavity preset and write a table: resonance, Q, mode volume, total and radiative
Purcell factor, collection efficiency, resolution and wall time.

    .venv/bin/python benchmarks/preset_table.py [--fidelity screen|full] [--only NAME ...]

Writes ``benchmarks/results/presets_<fidelity>.md`` and ``.json`` (results are cached, so a
second run only re-reads them; pass ``--no-cache`` to measure wall times again). With
``--only`` the named rows of an existing table are replaced and the others kept. Presets whose
fidelity is not a Meep run (the photonic-crystal screens: guided-mode expansion) are left to
``benchmarks/gme_presets.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _f(x: float | None, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.{digits}g}"


def main() -> int:
    from cavities.registry import get_preset, list_presets
    from optimize.evaluate import simulation_method
    from sims.config import SimConfig
    from sims.errors import SimulationError
    from sims.runner import simulate
    from sims.screen import simulate_with_error

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fidelity", choices=("screen", "full"), default="screen")
    parser.add_argument("--only", nargs="*", help="preset names (default: all)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--ranks", type=int, default=1,
                        help="MPI ranks per run; for an off-axis emitter in a cylindrical "
                        "cell, the number of azimuthal harmonics run at once")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    rows = []
    for name, family, _ in list_presets():
        if args.only and name not in args.only:
            continue
        design = get_preset(name)
        method = simulation_method(design, args.fidelity)
        if method != "meep":
            # photonic-crystal screens are guided-mode expansion: benchmarks/gme_presets.py
            print(f"{name}: {args.fidelity} fidelity is {method!r}, not Meep: see "
                  "benchmarks/gme_presets.py", file=sys.stderr)
            continue
        structure = design.to_structure(args.fidelity)
        res = design.resolution_px_per_um(args.fidelity)
        t0 = time.monotonic()
        cfg = SimConfig(resolution_px_per_um=res, **design.sim_defaults(args.fidelity))
        cache = None if args.no_cache else True
        try:
            if structure.dimensions == "cylindrical":  # as the optimiser evaluates them
                r = simulate_with_error(structure, cfg, orders=design.CONVERGENCE_ORDERS,
                                         grid_ratio=design.ERROR_GRID_RATIO,
                                         cache_dir=cache, mpi_ranks=args.ranks)
            else:
                r = simulate(structure, cfg, cache_dir=cache, mpi_ranks=args.ranks)
        except SimulationError as err:
            print(f"{name}: FAILED {err}", file=sys.stderr)
            rows.append({"preset": name, "family": family, "error": str(err)})
            continue
        wall = time.monotonic() - t0
        mode, mv = r.resonance, r.mode_volume
        row = {
            "preset": name, "family": family, "dimensions": structure.dimensions,
            "resolution_px_per_um": res,
            "resonance_nm": None if mode is None else 1e3 * mode.wavelength_um,
            "Q": None if mode is None else mode.quality_factor,
            "V_lambda_n3": None if mv is None else (mv.peak_volume_lambda_n3
                                                    or mv.peak_area_lambda_n2),
            "purcell_total": r.purcell_total_at_resonance,
            "purcell_radiative": r.purcell_radiative_at_resonance,
            "purcell_total_at_target": r.spectra.total_at(structure.target_um),
            "collection": r.collection_efficiency_at_resonance,
            "analytic_over_ldos": r.analytic_over_ldos,
            "wall_time_s": round(r.provenance.wall_time_s + r.provenance.reference_wall_time_s,
                                 1),
            "this_call_s": round(wall, 1),
            "errors": None if r.accuracy is None else {
                q: r.accuracy.error(q) for q in r.accuracy.estimates},
            "converged": None if r.accuracy is None else r.accuracy.converged,
            "grids_px_per_um": None if r.accuracy is None else list(
                r.accuracy.resolutions_px_per_um),
        }
        rows.append(row)
        print(f"{name}: {json.dumps(row)}", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    previous = out / f"presets_{args.fidelity}.json"
    if args.only and previous.exists():  # update those rows of the existing table, keep the rest
        fresh = {row["preset"]: row for row in rows}
        order = [name for name, _, _ in list_presets()]
        meep_rows = {name for name in order
                     if simulation_method(get_preset(name), args.fidelity) == "meep"}
        kept = [row for row in json.loads(previous.read_text())
                if row["preset"] not in fresh and row["preset"] in meep_rows]
        rows = sorted(kept + rows, key=lambda row: order.index(row["preset"]))
    (out / f"presets_{args.fidelity}.json").write_text(json.dumps(rows, indent=1))
    lines = ["| preset | dims | px/µm | λ (nm) | Q | V ((λ/n)³; 2D: (λ/n)²) | Purcell total | "
             "Purcell radiative | collection | converged | wall time (s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]

    def pm(row: dict, key: str, q: str, scale: float = 1.0, digits: int = 4) -> str:
        err = (row.get("errors") or {}).get(q)
        return _f(row[key], digits) + ("" if err is None else f" ± {_f(scale * err, 2)}")
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['preset']} | failed: {row['error'][:80]} |||||||||")
            continue
        grids = row.get("grids_px_per_um")
        grid_text = ("/".join(f"{g:g}" for g in grids) if grids
                     else f"{row['resolution_px_per_um']:g}")
        conv = {None: "— (no estimate)", True: "yes", False: "**no**"}[row.get("converged")]
        lines.append(
            f"| {row['preset']} | {row['dimensions']} | "
            f"{grid_text} | {pm(row, 'resonance_nm', 'resonance_wavelength_um', 1e3, 5)} | "
            f"{pm(row, 'Q', 'quality_factor')} | {_f(row['V_lambda_n3'])} | "
            f"{pm(row, 'purcell_total', 'purcell_total')} | "
            f"{pm(row, 'purcell_radiative', 'purcell_radiative')} | "
            f"{pm(row, 'collection', 'collection_efficiency')} | {conv} | "
            f"{row.get('this_call_s', row['wall_time_s'])} |")
    table = "\n".join(lines)
    (out / f"presets_{args.fidelity}.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
