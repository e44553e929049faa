"""Throughput on this machine: trials per hour with 1 and 2 worker processes on cheap
cylindrical trials (journal storage, real CLI workers), and one 3D structure on 1 and 2 MPI
ranks. Each pair is measured in one run; run it on an otherwise idle machine:

    .venv/bin/python benchmarks/bench_throughput.py [--trials 8] [--out benchmarks/results]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COARSE = ["--resolution", "20", "--sim-set", "n_freqs=101", "--sim-set", "n_freqs_flux=11",
          "--set", "n_rings=2", "--tolerance-nm", "40"]


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "optimize", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def workers_throughput(n_workers: int, trials: int, tmp: Path) -> dict[str, float]:
    """Wall time for ``trials`` COMPLETE trials of a fresh study with ``n_workers`` workers."""
    journal = tmp / f"w{n_workers}.journal"
    env = dict(os.environ, PNC_STORAGE=str(journal), PNC_CAVITY_CACHE=str(tmp / f"c{n_workers}"),
               PYTHONPATH=str(ROOT))
    create = _cli(["optimize", "bullseye_sin_520", *COARSE, "--params", "disk_radius_um",
                   "--bound", "disk_radius_um=[0.2,0.3]", "--n-trials", "0", "--study", "b",
                   "--out", str(tmp / f"out{n_workers}"), "--quiet", "--sampler", "random",
                   "--seed", str(n_workers)], env)
    assert create.wait() == 0
    t0 = time.monotonic()
    procs = [_cli(["worker", "--study", "b", "--n-trials", str(trials), "--out",
                   str(tmp / f"out{n_workers}"), "--quiet"], env) for _ in range(n_workers)]
    codes = [p.wait() for p in procs]
    wall = time.monotonic() - t0
    assert codes == [0] * n_workers, codes
    import optuna
    from optuna.trial import TrialState

    from optimize.storage import open_storage

    study = optuna.load_study(study_name="b", storage=open_storage(str(journal)))
    done = len(study.get_trials(states=(TrialState.COMPLETE,)))
    return {"workers": n_workers, "complete_trials": done, "wall_s": round(wall, 1),
            "trials_per_hour": round(3600 * done / wall, 1)}


def mpi_speedup(ranks: int) -> dict[str, float]:
    """One 3D run (a TiO2 pillar on glass, screen fidelity) on ``ranks`` MPI ranks."""
    from cavities.registry import get_preset
    from sims.config import SimConfig
    from sims.runner import run_raw

    design = get_preset("tio2_pillar_520", emitter_site="side")
    structure = design.to_structure("screen")
    config = SimConfig(resolution_px_per_um=design.resolution_px_per_um("screen"),
                       compute_mode_volume=False, compute_collection=False)
    t0 = time.monotonic()
    raw = run_raw(structure, config, label="structure:bench", mpi_ranks=ranks)
    wall = time.monotonic() - t0
    return {"ranks": ranks, "dimensions": structure.dimensions, "wall_s": round(wall, 1),
            "meep_time_s": round(raw.provenance.meep_time_s, 1),
            "time_steps": raw.provenance.time_steps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--skip-mpi", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": f"{os.cpu_count()} cores"}
    with tempfile.TemporaryDirectory(prefix="pnc-bench-") as tmp:
        one = workers_throughput(1, args.trials, Path(tmp))
        two = workers_throughput(2, args.trials, Path(tmp))
    results["workers"] = [one, two]
    results["workers_ratio"] = round(two["trials_per_hour"] / one["trials_per_hour"], 2)
    print(f"1 worker: {one['trials_per_hour']} trials/h; 2 workers: {two['trials_per_hour']} "
          f"trials/h; ratio {results['workers_ratio']}")
    if not args.skip_mpi:
        r1, r2 = mpi_speedup(1), mpi_speedup(2)
        results["mpi"] = [r1, r2]
        results["mpi_ratio"] = round(r1["wall_s"] / r2["wall_s"], 2)
        print(f"3D run: 1 rank {r1['wall_s']} s, 2 ranks {r2['wall_s']} s; speed-up "
              f"{results['mpi_ratio']}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "throughput.json").write_text(json.dumps(results, indent=1))
    print(out / "throughput.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
