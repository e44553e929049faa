"""Simulate every cavity preset and write a table: resonance, Q, mode volume, total and radiative
Purcell factor, collection efficiency, resolution and wall time.

    .venv/bin/python benchmarks/preset_table.py [--fidelity screen|full] [--only NAME ...]

Writes ``benchmarks/results/presets_<fidelity>.md`` and ``.json`` (results are cached, so a
second run only re-reads them; pass ``--no-cache`` to measure wall times again). With
``--only`` the named rows of an existing table are replaced and the others kept.
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
    from sims.config import SimConfig
    from sims.errors import SimulationError
    from sims.runner import simulate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fidelity", choices=("screen", "full"), default="screen")
    parser.add_argument("--only", nargs="*", help="preset names (default: all)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    rows = []
    for name, family, _ in list_presets():
        if args.only and name not in args.only:
            continue
        design = get_preset(name)
        structure = design.to_structure(args.fidelity)
        res = design.resolution_px_per_um(args.fidelity)
        t0 = time.monotonic()
        try:
            r = simulate(structure, SimConfig(resolution_px_per_um=res,
                                              **design.sim_defaults(args.fidelity)),
                         cache_dir=None if args.no_cache else True)
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
        }
        rows.append(row)
        print(f"{name}: {json.dumps(row)}", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    previous = out / f"presets_{args.fidelity}.json"
    if args.only and previous.exists():  # update those rows of the existing table, keep the rest
        fresh = {row["preset"]: row for row in rows}
        order = [name for name, _, _ in list_presets()]
        kept = [row for row in json.loads(previous.read_text())
                if row["preset"] not in fresh and row["preset"] in order]
        rows = sorted(kept + rows, key=lambda row: order.index(row["preset"]))
    (out / f"presets_{args.fidelity}.json").write_text(json.dumps(rows, indent=1))
    lines = ["| preset | dims | px/µm | λ (nm) | Q | V ((λ/n)³; 2D: (λ/n)²) | Purcell total | "
             "Purcell radiative | collection | Meep wall time (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['preset']} | failed: {row['error'][:80]} |||||||||")
            continue
        lines.append(
            f"| {row['preset']} | {row['dimensions']} | {row['resolution_px_per_um']:g} | "
            f"{_f(row['resonance_nm'], 5)} | {_f(row['Q'])} | {_f(row['V_lambda_n3'])} | "
            f"{_f(row['purcell_total'])} | {_f(row['purcell_radiative'])} | "
            f"{_f(row['collection'])} | {row['wall_time_s']} |")
    table = "\n".join(lines)
    (out / f"presets_{args.fidelity}.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
