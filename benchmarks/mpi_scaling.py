"""MPI speed-up of one structure run: 1 rank against N ranks, side by side, per case.

    .venv/bin/python benchmarks/mpi_scaling.py [--ranks 2] [--repeats 2]

Cases: the cylindrical screen of ``bullseye_sin_520`` (its 80 px/µm error grid, the
larger of the screen's two) and a 3D case, the TiO2
side-emitter pillar (``tio2_pillar_520`` with ``emitter_site="side"``, 3D, 40 px/µm).
Each is one structure run (``sims.process.run_raw``, no cache; the reference run is shared by
all designs of a study), timed two ways: from the caller (what a trial pays: 1 rank runs in the
persistent Meep worker, N ranks start ``mpirun`` and import Meep on every rank) and inside the
run (Meep set-up, stepping and post-processing). The runs alternate 1, N, 1, N ... and the
medians' ratios are printed. ``sims.process.choose_ranks`` uses what this measures: it runs
cylindrical structures on one rank (more ranks were slower) and says so.
Results go to ``benchmarks/results/mpi_scaling.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cases() -> dict:
    from cavities.registry import get_preset

    return {
        "bullseye_sin_520 (cylindrical, 80 px/µm)": (get_preset("bullseye_sin_520"), 80.0),
        "tio2_pillar_520 side emitter (3D, 40 px/µm)": (
            get_preset("tio2_pillar_520", emitter_site="side"), 40.0),
    }


def main(argv: list[str] | None = None) -> int:
    from optimize.evaluate import EvalSettings
    from sims.process import run_raw

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/mpi_scaling.json"))
    args = parser.parse_args(argv)
    report = {}
    for label, (design, res) in _cases().items():
        structure = design.to_structure("screen")
        cfg = EvalSettings(resolution_px_per_um=res,
                           sim_overrides={"progress_interval_s": 0}).sim_config(design)
        outside: dict[int, list[float]] = {1: [], args.ranks: []}
        inside: dict[int, list[float]] = {1: [], args.ranks: []}
        run_raw(structure, cfg, label="mpi-bench-warm-up")  # start the persistent worker
        for _ in range(args.repeats):
            for n in outside:
                t = time.monotonic()
                raw = run_raw(structure, cfg, label=f"mpi-bench-{n}", mpi_ranks=n)
                outside[n].append(time.monotonic() - t)
                inside[n].append(raw.provenance.wall_time_s)
                print(f"{label}: {n} rank(s) {outside[n][-1]:.1f} s ({inside[n][-1]:.1f} s "
                      "inside)", file=sys.stderr, flush=True)
        med = {n: statistics.median(t) for n, t in outside.items()}
        med_in = {n: statistics.median(t) for n, t in inside.items()}
        speedup = med[1] / med[args.ranks]
        report[label] = {"median_caller_s": med, "median_inside_s": med_in,
                         "speedup_caller": speedup,
                         "speedup_inside": med_in[1] / med_in[args.ranks],
                         "caller_s": outside, "inside_s": inside}
        print(f"{label}: from the caller 1 rank {med[1]:.1f} s, {args.ranks} ranks "
              f"{med[args.ranks]:.1f} s: speed-up {speedup:.2f}x; inside the run "
              f"{med_in[1]:.1f} / {med_in[args.ranks]:.1f} s: "
              f"{med_in[1] / med_in[args.ranks]:.2f}x")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
