"""Does the resonance pick hold? λ of the screen under perturbations of the run, per family.

    .venv/bin/python benchmarks/pick_stability.py [--presets bullseye_sin_520,tio2_pillar_520]

Perturbations of one screen evaluation (single grid, the family's screen resolution r):
the ring-down (the LDOS-convergence tolerance 6e-4 / 2e-4 (default) / 2e-5, a minimum
ring-down ``harminv_periods`` of 60 instead of 20 periods, and the run without the LDOS
extrapolation, which rings down until the running LDOS itself has converged; the ``steps``
column gives each run's length) and the grid (r − 1 and r + 1 px/µm). The table prints λ, Q and the total Purcell factor of
each run, the largest λ change, and the screen's own stated λ error (``sims.screen``) to
compare it with. Results go to ``benchmarks/results/pick_stability.{json,md}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERTURBATIONS = {
    "default": {},
    "ldos_tolerance 6e-4 (shorter)": {"ldos_tolerance": 6e-4},
    "ldos_tolerance 2e-5 (longer)": {"ldos_tolerance": 2e-5},
    "min ring-down 60 periods": {"harminv_periods": 60.0},
    "no LDOS extrapolation (full ring-down)": {"ldos_extrapolation": False},
    "grid -1 px/µm": {"_dres": -1.0},
    "grid +1 px/µm": {"_dres": +1.0},
}


def main(argv: list[str] | None = None) -> int:
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims.runner import simulate
    from sims.screen import simulate_with_error

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", default="bullseye_sin_520,tio2_pillar_520")
    parser.add_argument("--cache", default=str(ROOT / "runs/bench-cache"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/pick_stability"))
    args = parser.parse_args(argv)
    report: dict = {}
    lines = ["| preset | run | px/µm | λ (nm) | Q | Purcell (total) | stop | steps |",
             "|---|---|---|---|---|---|---|---|"]
    for name in args.presets.split(","):
        design = get_preset(name)
        base = EvalSettings().sim_config(design)
        structure = design.to_structure("screen")
        rows = {}
        for label, change in PERTURBATIONS.items():
            change = dict(change)
            dres = change.pop("_dres", 0.0)
            cfg = dataclasses.replace(base, resolution_px_per_um=base.resolution_px_per_um
                                      + dres, progress_interval_s=0, **change)
            r = simulate(structure, cfg, cache_dir=args.cache)
            m = r.resonance
            rows[label] = {"resolution": cfg.resolution_px_per_um,
                           "lam_nm": None if m is None else 1e3 * m.wavelength_um,
                           "q": None if m is None else m.quality_factor,
                           "purcell": r.purcell_total_at_resonance,
                           "stop": r.provenance.stop_reason, "steps": r.provenance.time_steps}
            row = rows[label]
            lines.append(f"| {name} | {label} | {row['resolution']:g} | "
                         f"{row['lam_nm']:.1f} | {row['q']:.3g} | {row['purcell']:.3f} | "
                         f"{row['stop']} | {row['steps']} |")
            print(lines[-1], flush=True)
        lams = [row["lam_nm"] for row in rows.values() if row["lam_nm"] is not None]
        stated = simulate_with_error(structure, base, orders=design.CONVERGENCE_ORDERS,
                                     grid_ratio=design.ERROR_GRID_RATIO,
                                     cache_dir=args.cache).accuracy
        err = stated.error("resonance_wavelength_um")
        report[name] = {"runs": rows, "lam_spread_nm": max(lams) - min(lams),
                        "stated_lam_error_nm": None if err is None else 1e3 * err}
        lines.append(f"| {name} | **largest λ change** | | {max(lams) - min(lams):.2f} nm | | | "
                     f"stated screen λ error: {1e3 * err:.1f} nm | |")
        print(lines[-1], flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=1))
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
