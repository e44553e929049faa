"""What tuning a trial onto the exciton line costs, with and without single-grid probes.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/tuning_cost.py [--designs 8] [--seed 7]
    .venv/bin/python benchmarks/tuning_cost.py --render     # the table again, from the JSON

A search with ``tune="scale"`` (optimize.tuning) finds each trial's scale from evaluations of
scaled designs. ``full``: each of them is the two-grid screen with its error estimate (the
behaviour before 2026-12-08). ``probe`` (the library's default now): each is one run on the
coarse grid, and only the chosen design gets the two-grid screen, whose coarse grid then comes
from the simulation cache. Both variants tune the same designs (the main job's space: disk
radius, period and trench of ``bullseye_sin_520`` on a 5 nm grid, drawn with a seeded RNG;
room-temperature 10 nm CsPbBr3, 5 nm tolerance), each with its own empty cache, in one
process, alternating which variant goes first from design to design, so that their wall times
are measured side by side under the same load.

Writes ``benchmarks/results/tuning_cost.json`` and ``tuning_cost.md``: per design the
evaluations, wall time, detuning of the tuned design (extrapolated λ) and its brightness for
both variants, and the ratio of the total wall times.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
BOUNDS = {"disk_radius_um": (0.22, 0.30), "period_um": (0.27, 0.34),
          "trench_width_um": (0.08, 0.14)}
"""The main job's space (Makefile ``run``)."""


def designs(n: int, seed: int, step_um: float = 0.005) -> list[dict[str, float]]:
    """``n`` designs on the fabrication grid, drawn uniformly from :data:`BOUNDS`."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        d = {}
        for name, (lo, hi) in BOUNDS.items():
            k = rng.integers(round(lo / step_um), round(hi / step_um) + 1)
            d[name] = round(float(k) * step_um, 9)
        out.append(d)
    return out


def measure(args: argparse.Namespace) -> int:
    import dataclasses

    from cavities.registry import get_preset
    from emitter import preset_emitter
    from optimize.evaluate import EvalSettings, evaluate
    from optimize.objectives import detuning_nm
    from optimize.tuning import probe_error_estimate, tune_by_scale

    emitter = preset_emitter("CsPbBr3", edge_nm=10.0, temperature_k=295.0)
    line_nm = emitter.exciton_wavelength_um * 1e3
    base = get_preset("bullseye_sin_520").replace(
        target_wavelength_um=emitter.exciton_wavelength_um)
    settings = EvalSettings()
    probe_settings = dataclasses.replace(settings, error_estimate="off")
    rows: dict[str, list[dict]] = {"full": [], "probe": []}
    probe_errors: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        caches = {v: Path(tmp) / v for v in rows}

        def tune(variant: str, p: dict[str, float]) -> dict:
            def run(q: dict[str, float], s: EvalSettings = settings):
                return evaluate(base.replace(**q), emitter, s, cache_dir=caches[variant])

            probe = (lambda q: run(q, probe_settings)) if variant == "probe" else None
            t0 = time.perf_counter()
            tuned = tune_by_scale(p, tuple(BOUNDS), line_nm, args.tolerance_nm, run, probe,
                                  probe_error_nm=probe_error_estimate(probe_errors))
            wall = time.perf_counter() - t0
            if tuned.probe_error_nm is not None:  # as optimize.search does, per worker
                probe_errors.append(tuned.probe_error_nm)
            ev = tuned.evaluation
            return {"design": p, "tuned": tuned.params, "scale": tuned.scale,
                    "probe_error_nm": tuned.probe_error_nm,
                    "evaluations": tuned.evaluations, "wall_s": round(wall, 2),
                    "detuning_nm": round(detuning_nm(ev), 3),
                    "brightness_cps": ev.score.brightness_cps, "purcell": ev.score.purcell_x}

        for i, p in enumerate(designs(args.designs, args.seed)):
            for variant in (("full", "probe") if i % 2 == 0 else ("probe", "full")):
                row = tune(variant, p)
                rows[variant].append(row)
                print(f"design {i + 1}/{args.designs} [{variant}]: {row['evaluations']} "
                      f"evaluations, {row['wall_s']:.0f} s, detuning {row['detuning_nm']:.2f} "
                      f"nm, brightness {row['brightness_cps']:.3g}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "tuning_cost.json"
    out.write_text(json.dumps({"seed": args.seed, "tolerance_nm": args.tolerance_nm,
                               "line_nm": line_nm, "command": " ".join(sys.argv),
                               **rows}, indent=1))
    print(f"wrote {out}")
    return render()


def render() -> int:
    data = json.loads((RESULTS / "tuning_cost.json").read_text())
    full, probe = data["full"], data["probe"]
    lines = ["| design (R / Λ / trench, nm) | full: evaluations, s | probe: evaluations, s | "
             "detuning full / probe (nm) | brightness full / probe (10⁶/s) |",
             "|---|---|---|---|---|"]
    for f, p in zip(full, probe, strict=True):
        d = f["design"]
        lines.append(
            f"| {1e3 * d['disk_radius_um']:.0f} / {1e3 * d['period_um']:.0f} / "
            f"{1e3 * d['trench_width_um']:.0f} | {f['evaluations']}, {f['wall_s']:.0f} | "
            f"{p['evaluations']}, {p['wall_s']:.0f} | {f['detuning_nm']:.2f} / "
            f"{p['detuning_nm']:.2f} | {f['brightness_cps'] / 1e6:.3f} / "
            f"{p['brightness_cps'] / 1e6:.3f} |")
    tf = sum(r["wall_s"] for r in full)
    tp = sum(r["wall_s"] for r in probe)
    same = sum(f["tuned"] == p["tuned"] for f, p in zip(full, probe, strict=True))
    within = sum(p["detuning_nm"] <= data["tolerance_nm"] for p in probe)
    lines += ["", f"Total wall time: full {tf:.0f} s, probe {tp:.0f} s; probe/full {tp / tf:.2f} "
              f"(speed-up {tf / tp:.2f}×). The same tuned design in {same} of {len(full)}; "
              f"probe-tuned designs within the {data['tolerance_nm']:g} nm tolerance: {within} "
              f"of {len(probe)}."]
    text = "\n".join(lines)
    print(text)
    (RESULTS / "tuning_cost.md").write_text(text + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", action="store_true")
    parser.add_argument("--designs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tolerance-nm", type=float, default=5.0)
    args = parser.parse_args()
    return render() if args.render else measure(args)


if __name__ == "__main__":
    sys.exit(main())
