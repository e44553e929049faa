"""Search efficiency: Optuna's samplers against random sampling on one bullseye design space.

    .venv/bin/python benchmarks/search_efficiency.py [--samplers tpe,gp,nsga2,qmc,random]
        [--seeds 5] [--trials 40] [--resolution 30] [--step-nm 5] [--cache DIR]
        [--preset bullseye_sin_520 --params disk_radius_um,period_um,... --span 0.25]
        [--samplers random,tpe,tpe+tune --tag A] [--merge A B --tag all]

The design space: by default the suspended Si3N4 bullseye (``bullseye_sin_520``) with its disk
radius, grating period, trench width and membrane thickness varied within ±25 % of the preset
(``--preset``, ``--params``, ``--span`` choose another: the hybrid SiN-on-Ag bullseye
``bullseye_hybrid_sin_ag_rt_520`` adds its spacer, the five parameters the issue names), on a
fabrication grid (``--step-nm``, default 5 nm: designs snap to what lithography writes, and a
design two runs both visit is simulated once, through the evaluation cache). The objective is
the tool's: photons per second at the first lens for a 10 nm CsPbBr3 nanocrystal at room
temperature, under the constraint that the resonance lies within 5 nm of the exciton line
(infeasible trials do not count). Every sampler runs ``--seeds`` times for ``--trials`` trials.

Reported per sampler (median and range over the seeds): the number of trials until a run first
reaches 90 % of the best objective any run found, and the best objective after 10, 20, ...
trials; and the ratio of the median trials-to-90 % to random sampling's (the target for the
default sampler, TPE: ≤ 1/3). A run that never reaches 90 % counts as ``trials + 1`` (the
median then says "not reached"). ``gp`` needs PyTorch and is skipped (with a note) without it.
NSGA-II's first generation (Optuna's default population, 50) is random sampling with the same
seed: with ``--trials`` ≤ 50 its runs are random sampling's, trial for trial (the evaluation
cache then serves the random runs), and they measure nothing of NSGA-II itself.

The simulation fidelity is a parameter: by default one 30 px/µm cylindrical grid without the
error estimate (a few seconds per design here), which keeps the landscape's structure (the
resonance, the grating's collection) at a cost that allows ~1000 evaluations on one core; run
with ``--resolution 60 --error-estimate auto`` for the production screen (~1 min per design).
Results: ``benchmarks/results/search_efficiency{_TAG}.{json,md,png}`` (``--tag``).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
PRESET = "bullseye_sin_520"
PARAMS = ("disk_radius_um", "period_um", "trench_width_um", "thickness_um")
SPAN = 0.25
TARGET_FRACTION = 0.9
LEVELS = (0.9, 0.95)
"""Fractions of the best objective found whose first-reaching trial is reported."""


def search_space(step_um: float, preset: str = PRESET, params: tuple[str, ...] = PARAMS,
                 span: float = SPAN) -> dict[str, tuple[float, float]]:
    """±span around the preset, snapped to the fabrication grid."""
    from cavities.registry import get_preset
    from optimize.search import grid_bounds

    d = get_preset(preset).params()
    return {p: grid_bounds(d[p] * (1 - span), d[p] * (1 + span), step_um) for p in params}


def run_one(name: str, seed: int, args: argparse.Namespace
            ) -> tuple[list[float | None], list[int]]:
    """One search; per trial the objective (None if infeasible/failed) and the simulations it
    took (``NAME+tune``: the sampler NAME with each trial tuned onto the line by scaling,
    optimize.tuning)."""
    import optuna

    from cavities.base import FabricationViolation
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from optimize.search import EmitterSpec, SearchSpec, make_evaluator
    from optimize.study import StudySpec, make_sampler
    from sims.errors import SimulationError

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler, _, variant = name.partition("+")
    if variant not in ("", "tune"):
        raise SystemExit(f"unknown sampler variant {name!r}: NAME or NAME+tune")
    spec = SearchSpec(
        base_design=get_preset(args.preset).to_dict(), params=args.params,
        bounds=search_space(args.step_nm / 1e3, args.preset, args.params, args.span),
        objectives=("brightness",),
        emitter=EmitterSpec(preset="CsPbBr3", edge_nm=10.0, temperature_k=295.0),
        settings=EvalSettings(resolution_px_per_um=args.resolution,
                              error_estimate=args.error_estimate),
        sampler=sampler, seed=seed, step_um=args.step_nm / 1e3,
        tune="scale" if variant == "tune" else "none")
    study = optuna.create_study(direction="maximize", sampler=make_sampler(StudySpec(
        study_name=f"{sampler}-{seed}", storage_url="memory", sampler=sampler, seed=seed)))
    with tempfile.TemporaryDirectory() as run_dir:
        study.optimize(make_evaluator(spec, run_dir=Path(run_dir), cache_dir=args.cache),
                       n_trials=args.trials, catch=(FabricationViolation, SimulationError))
    out: list[float | None] = []
    sims: list[int] = []
    for t in study.trials:
        feasible = t.user_attrs.get("constraint", [1.0])[0] <= 0
        ok = t.state == optuna.trial.TrialState.COMPLETE and feasible and t.values
        out.append(float(t.values[0]) if ok and math.isfinite(t.values[0]) else None)
        sims.append(int(t.user_attrs.get("tune_evaluations", 1)))
    return out, sims


def best_so_far(values: list[float | None]) -> list[float]:
    best, curve = 0.0, []
    for v in values:
        best = max(best, v if v is not None else 0.0)
        curve.append(best)
    return curve


def trials_to(curve: list[float], level: float) -> int:
    """First trial (1-based) whose best-so-far reaches ``level``; len + 1 if never."""
    return next((i + 1 for i, b in enumerate(curve) if b >= level), len(curve) + 1)


def summarise(runs: dict[str, list[list[float | None]]], n_trials: int,
              sims: dict[str, list[list[int]]] | None = None) -> dict:
    curves = {s: [best_so_far(r) for r in rs] for s, rs in runs.items()}
    feasible = {s: statistics.mean(sum(v is not None for v in r) / len(r) for r in rs)
                for s, rs in runs.items()}
    out = {**summarise_curves(curves, feasible, n_trials), "runs": runs}
    if sims:
        out["simulations"] = sims
        for s, row in out["samplers"].items():
            if s not in sims:
                continue
            # simulations spent until the trial that first reached 90 % (all of them if never)
            spent = [sum(n[:hit]) for n, hit in zip(sims[s], row["trials_to_90"], strict=True)]
            row["simulations_to_90"] = spent
            row["median_simulations_to_90"] = statistics.median(spent)
            row["reached_90"] = sum(h <= n_trials for h in row["trials_to_90"])
    return out


def summarise_curves(curves: dict[str, list[list[float]]], feasible: dict[str, float],
                     n_trials: int) -> dict:
    """Trials to 90 % and 95 % of the best any run found, best after 10, 20, ... trials."""
    best = max(max(c[-1] for c in cs) for cs in curves.values())
    if not best > 0:
        raise SystemExit("no run found a feasible design: widen the space or run more trials")
    level = TARGET_FRACTION * best
    table = {}
    for s, cs in curves.items():
        row: dict = {"best_at": {n: [c[n - 1] for c in cs] for n in range(10, n_trials + 1, 10)},
                     "feasible_fraction": feasible[s]}
        for frac in LEVELS:
            hits = [trials_to(c, frac * best) for c in cs]
            row[f"trials_to_{round(100 * frac)}"] = hits
            row[f"median_trials_to_{round(100 * frac)}"] = statistics.median(hits)
        table[s] = row
    for frac in LEVELS:
        key = f"median_trials_to_{round(100 * frac)}"
        ref = table.get("random", {}).get(key)
        for row in table.values():
            row[f"ratio_to_random_{round(100 * frac)}"] = None if not ref else row[key] / ref
    return {"global_best": best, "level": level, "samplers": table, "curves": curves}


def _suffix(args: argparse.Namespace) -> str:
    return f"_{args.tag}" if args.tag else ""


def write(summary: dict, args: argparse.Namespace, wall_s: float) -> None:
    n = args.trials
    lines = [f"Bullseye design space ({', '.join(args.params)}, ±{round(100 * args.span)} % "
             f"of {args.preset}, {args.step_nm:g} nm grid), brightness under the 5 nm resonance "
             f"constraint, {args.resolution:g} px/µm, error estimate {args.error_estimate}; "
             f"{len(next(iter(summary['samplers'].values()))['trials_to_90'])} seeds × {n} "
             f"trials per sampler; {wall_s / 60:.0f} min on one core "
             "(`.venv/bin/python benchmarks/search_efficiency.py`).", "",
             f"Best brightness found by any run: {summary['global_best']:.4g} photons/s; "
             f"90 % of it: {summary['level']:.4g}.", "",
             "| sampler | trials to 90 % (median [min-max]) | vs random | trials to 95 % | "
             "vs random | "
             + " | ".join(f"best after {k}" for k in range(10, n + 1, 10))
             + " | feasible trials | simulations to 90 % (median) |",
             "|---|---|---|---|---|" + "---|" * len(range(10, n + 1, 10)) + "---|---|"]
    for s, row in summary["samplers"].items():
        cells = []
        for pct in (90, 95):
            hits, med = row[f"trials_to_{pct}"], row[f"median_trials_to_{pct}"]
            lo, top = (h if h <= n else ">" + str(n) for h in (min(hits), max(hits)))
            ratio = row[f"ratio_to_random_{pct}"]
            median = f"{med:g}" if med <= n else "not reached"
            cells += [f"{median} [{lo}-{top}]",
                      "—" if ratio is None or s == "random" else f"{ratio:.2f}"]
        bests = " | ".join(f"{statistics.median(v):.3g} [{min(v):.3g}-{max(v):.3g}]"
                           for v in row["best_at"].values())
        spent = row.get("median_simulations_to_90")
        spent_text = "—" if spent is None else (
            f"{spent:g} ({row['reached_90']} of {len(row['trials_to_90'])} runs reached it)")
        lines.append(f"| {s} | {' | '.join(cells)} | {bests} | "
                     f"{100 * row['feasible_fraction']:.0f} % | {spent_text} |")
    lines += ["", "Trials to a level count from 1; a run that never reaches it counts as "
              f"{n + 1}. A `+tune` sampler scales each trial's design onto the exciton line "
              "(optimize.tuning): 2-3 simulations per trial, counted in the last column "
              "(simulations until the trial that reached 90 %, all of the run's if none "
              "did). With one seed, TPE, GP and NSGA-II start from the same random trials "
              "as random sampling (their start-up phase), so their curves are paired with "
              "random's; NSGA-II's first generation (50) is random sampling, so with "
              f"{n} trials its runs are random's."]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"search_efficiency{_suffix(args)}.md").write_text("\n".join(lines) + "\n")
    (RESULTS / f"search_efficiency{_suffix(args)}.json").write_text(json.dumps(
        {"args": vars(args), "wall_s": wall_s, **summary}, indent=1))
    print("\n".join(lines))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 4.5))
    x = np.arange(1, n + 1)
    for s, cs in summary["curves"].items():
        a = np.asarray(cs)
        line, = ax.plot(x, np.median(a, axis=0), label=s)
        ax.fill_between(x, a.min(axis=0), a.max(axis=0), color=line.get_color(), alpha=0.15)
    ax.axhline(summary["level"], color="k", ls=":", lw=1, label="90 % of the best found")
    ax.set_xlabel("trial")
    ax.set_ylabel("best feasible brightness so far (photons/s)")
    ax.set_title("Search efficiency on the bullseye (median, min-max over seeds)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / f"search_efficiency{_suffix(args)}.png", dpi=120)


def merge(args: argparse.Namespace) -> int:
    """One table from the runs saved under several tags (run in parallel processes)."""
    runs: dict = {}
    sims: dict = {}
    wall = 0.0
    for tag in args.merge:
        saved = json.loads((RESULTS / f"search_efficiency_{tag}.json").read_text())
        for k in ("trials", "resolution", "error_estimate", "step_nm", "preset", "span"):
            setattr(args, k, saved["args"][k])
        args.params = tuple(saved["args"]["params"])
        runs.update(saved["runs"])
        sims.update(saved.get("simulations", {}))
        wall += saved["wall_s"]
    write(summarise(runs, args.trials, sims), args, wall)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samplers", default="tpe,gp,nsga2,qmc,random")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--resolution", type=float, default=30.0)
    parser.add_argument("--error-estimate", default="off", choices=("auto", "on", "off"))
    parser.add_argument("--step-nm", type=float, default=5.0)
    parser.add_argument("--cache", default=str(ROOT / "runs/search-bench-cache"),
                        help="evaluation cache shared by all runs (keep it to resume)")
    parser.add_argument("--preset", default=PRESET)
    parser.add_argument("--params", default=",".join(PARAMS),
                        help="comma-separated design parameters to search")
    parser.add_argument("--span", type=float, default=SPAN,
                        help="search ±span (a fraction) around the preset's values")
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--render", action="store_true",
                        help="only re-render the table and plot from the saved JSON")
    parser.add_argument("--merge", nargs="+", metavar="TAG",
                        help="combine the saved runs of these tags (same space, trials and "
                        "grid; e.g. two processes, one per core) into --tag's table")
    args = parser.parse_args(argv)
    args.params = tuple(p.strip() for p in args.params.split(",") if p.strip())
    if args.merge:
        return merge(args)
    if args.render:
        saved = json.loads((RESULTS / f"search_efficiency{_suffix(args)}.json").read_text())
        for k in ("trials", "resolution", "error_estimate", "step_nm"):
            setattr(args, k, saved["args"][k])
        for k, default in (("preset", PRESET), ("params", PARAMS), ("span", SPAN)):
            setattr(args, k, tuple(saved["args"][k]) if k == "params" and k in saved["args"]
                    else saved["args"].get(k, default))
        feasible = {s: r["feasible_fraction"] for s, r in saved["samplers"].items()}
        summary = (summarise(saved["runs"], args.trials, saved.get("simulations"))
                   if "runs" in saved else summarise_curves(saved["curves"], feasible,
                                                            args.trials))
        write(summary, args, saved["wall_s"])
        return 0
    samplers = [s.strip() for s in args.samplers.split(",") if s.strip()]
    if "gp" in samplers:
        try:
            import torch  # noqa: F401
        except ImportError:
            print("gp skipped: Optuna's GPSampler needs PyTorch (pip install torch)",
                  file=sys.stderr)
            samplers.remove("gp")
    t0 = time.monotonic()
    runs: dict[str, list[list[float | None]]] = {}
    sims: dict[str, list[list[int]]] = {}
    for seed in range(args.seeds):  # seeds outermost: a partial run already compares all
        for s in samplers:
            t = time.monotonic()
            values, counts = run_one(s, seed, args)
            runs.setdefault(s, []).append(values)
            sims.setdefault(s, []).append(counts)
            best = best_so_far(values)[-1]
            print(f"{s} seed {seed}: best {best:.4g} after {args.trials} trials, "
                  f"{sum(counts)} simulations ({time.monotonic() - t:.0f} s)", file=sys.stderr,
                  flush=True)
    write(summarise(runs, args.trials, sims), args, time.monotonic() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
