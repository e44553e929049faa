"""Screen speed at equal accuracy: the commit before this work against this tree.

    .venv/bin/python benchmarks/screen_equal_accuracy.py [--baseline 53477d2]
        [--presets bullseye_sin_520,tio2_pillar_520] [--grids bullseye_sin_520=40,80,120,160 ...]

"Faster at equal accuracy" needs both sides at the same accuracy. The baseline (53477d2, main
when the issue "Screens that are right and fast" was filed: one grid, no smoothing of
horizontal faces, a fixed 160-period ring-down) is run on the *same design* at a series of
grids, and each run's true error is measured against the converged values of
``benchmarks/results/screen_accuracy.json`` (Richardson extrapolation of this tree's 120/160/200
and 180/240/300 px/µm series). This tree's screen (its default: two grids, extrapolated) is run
once. The speed-up at equal accuracy is the wall time of the cheapest baseline grid whose
errors in λ, total Purcell and collection are all no larger than this tree's screen errors,
over this tree's wall time; if no baseline grid reaches that accuracy, the finest grid's time
gives a lower bound ("≥").

Each evaluation runs in a fresh Python process with an empty cache (screen fidelity,
CsPbBr3 at room temperature), one after the other on one core. The baseline is checked out
in a temporary git worktree. Results: ``benchmarks/results/screen_equal_accuracy.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_GRIDS = {"bullseye_sin_520": (40.0, 80.0, 120.0, 160.0),
                 "tio2_pillar_520": (60.0, 120.0, 180.0, 240.0)}
QUANTITIES = ("resonance_wavelength_um", "purcell_total", "collection_efficiency")

SNIPPET = r"""
import json, sys, tempfile, time
t0 = time.monotonic()
from cavities.registry import design_from_dict
from emitter import preset_emitter
from optimize.evaluate import EvalSettings, evaluate
design, kind, res = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])
kwargs = {"resolution_px_per_um": res} if res > 0 else {}
if kind == "new":
    kwargs["error_estimate"] = "on"
emitter = preset_emitter("CsPbBr3", edge_nm=10, temperature_k=295)
with tempfile.TemporaryDirectory() as cache:
    ev = evaluate(design_from_dict(design), emitter, EvalSettings(**kwargs), cache_dir=cache)
m = ev.sim.resonance
print("RESULT " + json.dumps({
    "wall_s": time.monotonic() - t0,
    "resonance_wavelength_um": None if m is None else m.wavelength_um,
    "purcell_total": ev.sim.purcell_total_at_resonance,
    "collection_efficiency": ev.sim.collection_efficiency_at_resonance,
    "steps": ev.sim.provenance.time_steps}))
"""


def _run(tree: Path, design: dict, kind: str, res: float) -> dict:
    out = subprocess.run([sys.executable, "-c", SNIPPET, json.dumps(design), kind, str(res)],
                         cwd=tree, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1",
                              "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} at {res} px/µm failed:\n{out.stderr[-3000:]}")


def errors(row: dict, converged: dict) -> dict[str, float | None]:
    """|value − converged| per quantity (λ in µm, the others relative)."""
    out: dict[str, float | None] = {}
    for q in QUANTITIES:
        v, ref = row.get(q), converged[q]["value"]
        if v is None:
            out[q] = None
        elif q == "resonance_wavelength_um":
            out[q] = abs(v - ref)
        else:
            out[q] = abs(v - ref) / abs(ref)
    return out


def _fmt_errors(e: dict[str, float | None]) -> str:
    lam, f, c = (e[q] for q in QUANTITIES)
    return " | ".join("no resonance" if x is None else s for x, s in (
        (lam, f"{1e3 * lam:.2f} nm" if lam is not None else ""),
        (f, f"{100 * f:.1f} %" if f is not None else ""),
        (c, f"{100 * c:.1f} %" if c is not None else "")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="53477d2")
    parser.add_argument("--presets", default=",".join(DEFAULT_GRIDS))
    parser.add_argument("--grids", nargs="*", default=[],
                        help="PRESET=r1,r2,... baseline grids (px/µm)")
    parser.add_argument("--reuse-baseline", action="store_true",
                        help="take the baseline rows from the previous results file (the same "
                             "baseline commit and design) instead of running them again")
    args = parser.parse_args(argv)
    grids = dict(DEFAULT_GRIDS)
    for item in args.grids:
        name, _, values = item.partition("=")
        grids[name] = tuple(float(v) for v in values.split(","))
    reference = json.loads((RESULTS / "screen_accuracy.json").read_text())
    previous: dict = {}
    if args.reuse_baseline and (RESULTS / "screen_equal_accuracy.json").exists():
        previous = json.loads((RESULTS / "screen_equal_accuracy.json").read_text())
        if previous.get("baseline") != args.baseline:
            previous = {}
    from cavities.registry import get_preset

    report: dict = {"baseline": args.baseline, "presets": {}}
    lines = [f"Baseline {args.baseline} against this tree, same design, fresh cache, one core "
             "(`.venv/bin/python benchmarks/screen_equal_accuracy.py`). Errors against the "
             "converged values of `screen_accuracy.json`.", "",
             "| preset | run | px/µm | wall time | λ error | Purcell error | collection error |",
             "|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.baseline], check=True, capture_output=True)
        try:
            for name in args.presets.split(","):
                design = get_preset(name).to_dict()
                converged = reference[name]["converged"]
                new = _run(ROOT, design, "new", 0.0)
                new_err = errors(new, converged)
                print(f"{name} this tree: {new['wall_s']:.1f} s, errors {new_err}",
                      file=sys.stderr, flush=True)
                rows = []
                old = {r["resolution_px_per_um"]: r for r in previous.get("presets", {})
                       .get(name, {}).get("baseline", []) if r.get("design", design) == design}
                for res in grids[name]:
                    row = old.get(res) or _run(base, design, "baseline", res)
                    row.update(resolution_px_per_um=res, errors=errors(row, converged),
                               design=design)
                    rows.append(row)
                    print(f"{name} baseline {res:g} px/µm: {row['wall_s']:.1f} s, errors "
                          f"{row['errors']}", file=sys.stderr, flush=True)
                matched = next((r for r in rows if all(
                    r["errors"][q] is not None and new_err[q] is not None
                    and r["errors"][q] <= new_err[q] for q in QUANTITIES)), None)
                reached = matched is not None
                ref_row = matched or rows[-1]
                ratio = ref_row["wall_s"] / new["wall_s"]
                report["presets"][name] = {"new": {**new, "errors": new_err},
                                           "baseline": rows, "equal_accuracy_reached": reached,
                                           "speedup": ratio, "speedup_is_lower_bound": not reached}
                lines.append(f"| {name} | this tree (screen, 2 grids) | — | {new['wall_s']:.0f} s "
                             f"| {_fmt_errors(new_err)} |")
                for r in rows:
                    lines.append(f"| {name} | baseline | {r['resolution_px_per_um']:g} | "
                                 f"{r['wall_s']:.0f} s | {_fmt_errors(r['errors'])} |")
                verdict = (f"{ratio:.1f}x" if reached else f"≥ {ratio:.1f}x (no baseline grid "
                           "reached this tree's accuracy; the finest one's time is the bound)")
                lines.append(f"| {name} | **speed-up at equal accuracy** | | {verdict} | | | |")
                print(f"{name}: speed-up at equal accuracy {verdict}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           capture_output=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "screen_equal_accuracy.json").write_text(json.dumps(report, indent=1))
    (RESULTS / "screen_equal_accuracy.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
