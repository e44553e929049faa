"""Optimisation from Python: a bullseye for a 4 K CsPbBr3 nanocrystal, brightness vs g2(0)
(Pareto front, NSGA-II), in a journal-file study that other processes could join.

    .venv/bin/python examples/optimize_from_python.py [--trials 12] [--out runs/examples/opt]
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from cavities import get_preset
    from optimize.evaluate import EvalSettings
    from optimize.report import write_study_report
    from optimize.search import EmitterSpec, SearchSpec, run_search

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--out", default="runs/examples/opt")
    args = parser.parse_args()
    out = Path(args.out)
    spec = SearchSpec(
        base_design=get_preset("bullseye_sin_520").to_dict(),
        params=("disk_radius_um", "period_um", "trench_width_um"),
        objectives=("brightness", "g2"),
        emitter=EmitterSpec(preset="CsPbBr3", edge_nm=10.0, temperature_k=4.0),
        settings=EvalSettings(fidelity="screen"),
        tolerance_nm=10.0, seed=1)
    study = run_search(spec, study_name="bullseye-4K-pareto",
                       storage_url=str(out / "study.journal"), run_dir=out,
                       total_trials=args.trials, resume=True)
    print(write_study_report(study, out))


if __name__ == "__main__":
    main()
