"""Screen-evaluation wall time, this tree against a baseline commit, side by side in one run.

    .venv/bin/python benchmarks/screen_speed.py [--baseline 53477d2] [--repeats 3]

For each preset (bullseye_sin_520, tio2_pillar_520) it evaluates the screen fidelity for a
room-temperature CsPbBr3 emitter (``optimize.evaluate.evaluate``, an empty cache each time,
each evaluation in a fresh Python process, as a new optimisation worker would) with

* ``baseline``: the baseline commit, checked out in a temporary git worktree;
* ``single``: this tree, one grid (``error_estimate="off"``): the equal-accuracy comparison;
* ``with-error``: this tree's default, the same grid plus the 0.75× grid for the error bars;

alternating A, B, C, A, B, C ... so that drifts of the machine's speed hit all alike, and
prints the medians and the ratios baseline/new. It also reports, for this tree, the share of
the wall time spent outside Meep's time stepping (the wrapper overhead) and a warm figure:
three further designs evaluated in the same process after the preset, as in an optimisation
(the reference run is then cached and the persistent Meep worker already running), for the
baseline and this tree alike. Results go to ``benchmarks/results/screen_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ("bullseye_sin_520", "tio2_pillar_520")

SNIPPET = r"""
import json, sys, tempfile, time
t0 = time.monotonic()
from cavities.registry import get_preset
from emitter import preset_emitter
from optimize.evaluate import EvalSettings, evaluate
name, mode = sys.argv[1], sys.argv[2]
kind = mode.replace("warm-", "")
kwargs = {} if kind == "baseline" else {"error_estimate": "off" if kind == "single" else "on"}
emitter = preset_emitter("CsPbBr3", edge_nm=10, temperature_k=295)
designs = [get_preset(name)]
if mode.startswith("warm-"):
    d = designs[0]
    key = "disk_radius_um" if "disk_radius_um" in d.params() else "diameter_um"
    designs = [d.replace(**{key: round(d.params()[key] * f, 4)}) for f in (1.0, 1.02, 0.98, 1.04)]
times, meep = [], 0.0
with tempfile.TemporaryDirectory() as cache:
    for d in designs:
        t = time.monotonic()
        ev = evaluate(d, emitter, EvalSettings(**kwargs), cache_dir=cache)
        times.append(time.monotonic() - t)
        runs = [ev.sim]
        meep += ev.sim.provenance.meep_time_s
m = ev.sim.resonance
print("RESULT " + json.dumps({"wall_s": time.monotonic() - t0, "eval_s": times,
      "lam_nm": None if m is None else 1e3 * m.wavelength_um,
      "purcell": ev.sim.purcell_total_at_resonance,
      "collection": ev.sim.collection_efficiency_at_resonance}))
"""


def _run(tree: Path, name: str, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SNIPPET, name, mode], cwd=tree,
                         capture_output=True, text=True,
                         env={"PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1",
                              "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{mode} {name} failed:\n{out.stderr[-3000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="53477d2", help="baseline commit (main before)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/screen_speed.json"))
    args = parser.parse_args(argv)
    report: dict = {"baseline": args.baseline, "repeats": args.repeats, "presets": {}}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.baseline], check=True, capture_output=True)
        try:
            for name in args.presets.split(","):
                rows: dict[str, list[dict]] = {"baseline": [], "single": [], "with-error": []}
                for i in range(args.repeats):
                    for mode in rows:
                        tree = base if mode == "baseline" else ROOT
                        rows[mode].append(_run(tree, name, mode))
                        print(f"{name} {mode} #{i}: {rows[mode][-1]['wall_s']:.1f} s",
                              file=sys.stderr, flush=True)
                warm = {m: _run(base if m == "baseline" else ROOT, name, f"warm-{m}")
                        for m in ("baseline", "single", "with-error")}
                med = {m: statistics.median(r["wall_s"] for r in v) for m, v in rows.items()}
                wmed = {m: statistics.median(w["eval_s"][1:]) for m, w in warm.items()}
                entry = {
                    "median_wall_s": med,
                    "ratio_baseline_over_single": med["baseline"] / med["single"],
                    "ratio_baseline_over_with_error": med["baseline"] / med["with-error"],
                    "warm_median_eval_s": wmed,
                    "warm_ratio_baseline_over_single": wmed["baseline"] / wmed["single"],
                    "warm_ratio_baseline_over_with_error": wmed["baseline"] / wmed["with-error"],
                    "warm_eval_s": {m: w["eval_s"] for m, w in warm.items()},
                    "values": {m: v[-1] for m, v in rows.items()},
                }
                report["presets"][name] = entry
                print(f"{name}: fresh process: baseline {med['baseline']:.1f} s, single grid "
                      f"{med['single']:.1f} s ({entry['ratio_baseline_over_single']:.2f}x), "
                      f"with error bars {med['with-error']:.1f} s "
                      f"({entry['ratio_baseline_over_with_error']:.2f}x); in an optimisation "
                      f"(median of 3 further designs): baseline {wmed['baseline']:.1f} s, "
                      f"single {wmed['single']:.1f} s "
                      f"({entry['warm_ratio_baseline_over_single']:.2f}x), with error bars "
                      f"{wmed['with-error']:.1f} s "
                      f"({entry['warm_ratio_baseline_over_with_error']:.2f}x)")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           capture_output=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
