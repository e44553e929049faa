"""The GME screen of every photonic-crystal preset: resonance, Q, mode volumes, Purcell factor
and collection, each with its error, the wall time, and the mode-identification listing.

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python benchmarks/gme_presets.py [--only NAME ...]

Writes ``benchmarks/results/presets_gme.{md,json}`` (never cached: the wall times are measured;
one design at a time on one core). With ``--only`` the named rows of an existing table are
replaced and the others kept.
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


def _pm(value: float | None, error: float | None, scale: float = 1.0, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    if error is None:
        return f"{scale * value:.{digits}g} (no error)"
    return f"{scale * value:.{digits}g} ± {scale * error:.2g}"


def main() -> int:
    from cavities.families.photonic_crystal import PhotonicCrystalSlab
    from cavities.registry import get_preset, list_presets
    from sims.gme import simulate_gme

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    rows = []
    for name, _, _ in list_presets():
        design = get_preset(name)
        if not isinstance(design, PhotonicCrystalSlab) or (args.only and name not in args.only):
            continue
        t0 = time.monotonic()
        r = simulate_gme(design.gme_model(), cache_dir=None)
        wall = time.monotonic() - t0
        mode, mv, acc = r.resonance, r.mode_volume, r.accuracy

        def err(q: str) -> float | None:
            return None if acc is None else acc.error(q)

        listing = next((w for w in r.warnings if "eigenmode(s) of the emitter" in w), "")
        rows.append({
            "preset": name, "plane_waves": r.provenance.stop_reason,
            "wavelength_um": None if mode is None else mode.wavelength_um,
            "wavelength_error_um": err("resonance_wavelength_um"),
            "quality_factor": None if mode is None else mode.quality_factor,
            "quality_factor_error": err("quality_factor"),
            "emitter_volume_lambda_n3": None if mv is None else mv.emitter_volume_lambda_n3,
            "peak_volume_lambda_n3": None if mv is None else mv.peak_volume_lambda_n3,
            "purcell": r.purcell_total_at_resonance, "purcell_error": err("purcell_total"),
            "collection": r.collection_efficiency_at_resonance,
            "collection_error": err("collection_efficiency"),
            "converged": None if acc is None else acc.converged,
            "notes": [] if acc is None else list(acc.notes),
            "wall_time_s": wall, "candidates": listing})
        print(f"{name}: {wall:.1f} s", file=sys.stderr, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    old = out / "presets_gme.json"
    if args.only and old.exists():  # keep the other rows of the existing table
        done = {row["preset"] for row in rows}
        rows = sorted([r for r in json.loads(old.read_text()) if r["preset"] not in done] + rows,
                      key=lambda row: row["preset"])
    old.write_text(json.dumps(rows, indent=1))
    lines = ["| preset | λ (nm) | Q | V at emitter / peak ((λ/n)³) | Purcell (Q/V at the emitter) "
             "| collection | converged | GME wall time (s) |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        v = ("—" if row["emitter_volume_lambda_n3"] is None else
             f"{row['emitter_volume_lambda_n3']:.3g} / {row['peak_volume_lambda_n3']:.3g}")
        conv = "yes" if row["converged"] else ("no: " + "; ".join(row["notes"]))
        lines.append(
            f"| {row['preset']} | {_pm(row['wavelength_um'], row['wavelength_error_um'], 1e3, 5)}"
            f" | {_pm(row['quality_factor'], row['quality_factor_error'])} | {v} | "
            f"{_pm(row['purcell'], row['purcell_error'])} | "
            f"{_pm(row['collection'], row['collection_error'], digits=2)} | {conv} | "
            f"{row['wall_time_s']:.1f} |")
    lines.append("")
    lines += [f"- {row['preset']}: {row['candidates']}" for row in rows]
    (out / "presets_gme.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
