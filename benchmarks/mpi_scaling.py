"""MPI speed-up of one structure run: 1 rank against N ranks, side by side, per case.

    .venv/bin/python benchmarks/mpi_scaling.py [--ranks 2] [--repeats 2] [--only TEXT ...]

Cases: cylindrical runs of ``bullseye_sin_520`` at 40 px/µm (the old screen grid) and at its
screen's two grids (60 and 80 px/µm), of ``tio2_pillar_520`` at its screen grid (120 px/µm),
and a 3D case, the TiO2 side-emitter pillar (``tio2_pillar_520`` with ``emitter_site="side"``,
3D, 40 px/µm); each case states its grid's pixel count. ``--only TEXT`` (repeatable) runs the
cases whose label contains TEXT and merges them into the existing results file.
Each is one structure run (``sims.process.run_raw``, no cache; the reference run is shared by
all designs of a study), timed two ways: from the caller (what a trial pays: 1 rank runs in the
persistent Meep worker, N ranks start ``mpirun`` and import Meep on every rank) and inside the
run (Meep set-up, stepping and post-processing). The runs alternate 1, N, 1, N ... and the
medians' ratios are printed, with the largest difference of the LDOS spectra between 1 and N
ranks (bullseye 60 px/µm: 1.6e-11 of its maximum). ``sims.process.choose_ranks`` uses what
this measures: it runs cylindrical grids below 20 000 pixels on one rank (more ranks were
slower there) and says so.
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

    bullseye, pillar = get_preset("bullseye_sin_520"), get_preset("tio2_pillar_520")
    return {
        "bullseye_sin_520 (cylindrical, 40 px/µm)": (bullseye, 40.0),
        "bullseye_sin_520 (cylindrical, 60 px/µm)": (bullseye, 60.0),
        "bullseye_sin_520 (cylindrical, 80 px/µm)": (bullseye, 80.0),
        "tio2_pillar_520 (cylindrical, 120 px/µm)": (pillar, 120.0),
        "tio2_pillar_520 side emitter (3D, 40 px/µm)": (
            get_preset("tio2_pillar_520", emitter_site="side"), 40.0),
    }


def main(argv: list[str] | None = None) -> int:
    from optimize.evaluate import EvalSettings
    from sims.process import grid_pixels, run_raw

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", action="append", default=[],
                        help="run the cases whose label contains this (repeatable)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/mpi_scaling.json"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    report = json.loads(out.read_text()) if args.only and out.exists() else {}
    for label, (design, res) in _cases().items():
        if args.only and not any(part in label for part in args.only):
            continue
        structure = design.to_structure("screen")
        cfg = EvalSettings(resolution_px_per_um=res,
                           sim_overrides={"progress_interval_s": 0}).sim_config(design)
        outside: dict[int, list[float]] = {1: [], args.ranks: []}
        inside: dict[int, list[float]] = {1: [], args.ranks: []}
        run_raw(structure, cfg, label="mpi-bench-warm-up")  # start the persistent worker
        ldos: dict[int, list[float]] = {}
        for _ in range(args.repeats):
            for n in outside:
                t = time.monotonic()
                raw = run_raw(structure, cfg, label=f"mpi-bench-{n}", mpi_ranks=n)
                outside[n].append(time.monotonic() - t)
                inside[n].append(raw.provenance.wall_time_s)
                ldos[n] = list(raw.ldos)
                print(f"{label}: {n} rank(s) {outside[n][-1]:.1f} s ({inside[n][-1]:.1f} s "
                      "inside)", file=sys.stderr, flush=True)
        med = {n: statistics.median(t) for n, t in outside.items()}
        med_in = {n: statistics.median(t) for n, t in inside.items()}
        speedup = med[1] / med[args.ranks]
        # the ranks must not change the numbers: largest LDOS difference over its maximum
        ldos_diff = (max(abs(a - b) for a, b in zip(ldos[1], ldos[args.ranks], strict=True))
                     / max(abs(a) for a in ldos[1]))
        report[label] = {"grid_pixels": grid_pixels(structure, cfg),
                         "median_caller_s": med, "median_inside_s": med_in,
                         "speedup_caller": speedup,
                         "speedup_inside": med_in[1] / med_in[args.ranks],
                         "ldos_max_rel_difference": ldos_diff,
                         "caller_s": outside, "inside_s": inside}
        print(f"{label}: from the caller 1 rank {med[1]:.1f} s, {args.ranks} ranks "
              f"{med[args.ranks]:.1f} s: speed-up {speedup:.2f}x; inside the run "
              f"{med_in[1]:.1f} / {med_in[args.ranks]:.1f} s: "
              f"{med_in[1] / med_in[args.ranks]:.2f}x; LDOS {args.ranks} vs 1 rank within "
              f"{ldos_diff:.1e} of its maximum")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
