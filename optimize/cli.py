"""``pnc-optimize``: presets, evaluate one design, sweep, optimise, report.

Exit codes: 0 success, 1 runtime failure (simulation or storage), 2 usage error (bad parameter
name, out-of-range value, unknown preset). Paths go to stdout, progress and summaries to
stderr; tracebacks only with ``--debug``. Storage passwords never appear in any output.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import traceback
from pathlib import Path
from typing import Any

from cavities._version import add_version_option
from cavities.base import FabricationViolation
from optimize.objectives import ON_RESONANCE_RULES
from optimize.slurm import DEFAULT_SIGNAL_GRACE_S
from optimize.storage import StorageError, redact, storage_url
from optimize.tuning import TUNE_MODES

DEFAULT_OUT = Path("runs")


class UsageError(ValueError):
    """Bad command-line input (exit code 2)."""


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _pairs(pairs: list[str] | None, what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError(f"{what} {pair!r} must look like name=value.")
        k, v = pair.split("=", 1)
        out[k.strip()] = _parse_value(v)
    return out


def load_design(source: str, overrides: dict[str, Any]) -> Any:
    """A preset name or a design JSON file, with parameter overrides."""
    from cavities.registry import design_from_dict, get_preset

    path = Path(source)
    if source.endswith(".json") or path.exists():
        if not path.exists():
            raise UsageError(f"design file {source} does not exist.")
        design = design_from_dict(json.loads(path.read_text()))
        return design.replace(**overrides) if overrides else design
    return get_preset(source, **overrides)


def _emitter_spec(args: argparse.Namespace) -> Any:
    from optimize.search import EmitterSpec

    return EmitterSpec(preset=args.emitter, edge_nm=args.edge_nm,
                       temperature_k=args.temperature_k,
                       overrides=_pairs(args.emitter_set, "emitter override"))


def _settings(args: argparse.Namespace) -> Any:
    from optimize.evaluate import EvalSettings

    return EvalSettings(fidelity=args.fidelity, resolution_px_per_um=args.resolution,
                        sim_overrides=_pairs(args.sim_set, "--sim-set"),
                        orientation=args.orientation, min_feature_um=args.min_feature_um,
                        mpi_ranks=args.ranks, timeout_s=args.timeout_s,
                        error_estimate=args.error_estimate)


# -- subcommands ---------------------------------------------------------------------------------
def cmd_presets(args: argparse.Namespace) -> int:
    from cavities.registry import get_family, list_presets
    from emitter import EMITTER_PRESETS

    if args.json:
        cavities = []
        for name, family, desc in list_presets():
            entry: dict[str, Any] = {"name": name, "family": family, "description": desc}
            if args.verbose:
                entry["bounds"] = {p: {"low": b.low, "high": b.high, "unit": b.unit,
                                       "log": b.log}
                                   for p, b in get_family(family).BOUNDS.items()}
            cavities.append(entry)
        print(json.dumps({"cavity_presets": cavities, "emitter_presets": list(EMITTER_PRESETS)},
                         indent=1, ensure_ascii=False, allow_nan=False))
        return 0
    print("Cavity presets (pnc-optimize evaluate PRESET):", file=sys.stderr)
    for name, family, desc in list_presets():
        print(f"{name:32s} {family:20s} {desc}")
        if args.verbose:
            bounds = get_family(family).BOUNDS
            for p, b in bounds.items():
                print(f"{'':34s}{p}: [{b.low:g}, {b.high:g}] {b.unit}")
    print("\nEmitter presets (--emitter):", file=sys.stderr)
    for name in EMITTER_PRESETS:
        print(name)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from optimize.evaluate import evaluate
    from optimize.report import write_evaluation_report

    design = load_design(args.design, _pairs(args.set, "--set"))
    emitter = _emitter_spec(args).build()
    if not args.keep_target:
        design = design.replace(target_wavelength_um=emitter.exciton_wavelength_um)
    out = Path(args.out)
    print(f"evaluating {design.family} for {args.emitter} "
          f"({args.edge_nm:g} nm, {args.temperature_k:g} K) ...", file=sys.stderr)
    ev = evaluate(design, emitter, _settings(args), cache_dir=args.cache or True,
                  check_fabrication=not args.no_fab_check)
    path = write_evaluation_report(ev, out)
    print(path)
    return 0


def _search_spec(args: argparse.Namespace, sampler: str, grid: dict[str, Any] | None) -> Any:
    from optimize.search import SearchSpec

    overrides = _pairs(args.set, "--set")
    base = load_design(args.design, overrides)
    params = [p.strip() for p in (args.params or "").split(",") if p.strip()]
    if grid:
        params = list(grid)
    bounds = {k: tuple(v) for k, v in _pairs(args.bound, "--bound").items()}
    for name, value in overrides.items():
        _check_in_bound(base, name, value, bounds)
    return SearchSpec(base_design=base.to_dict(), params=tuple(params), bounds=bounds,
                      objectives=tuple(args.objective or ["purcell"]),
                      emitter=_emitter_spec(args), settings=_settings(args),
                      tolerance_nm=args.tolerance_nm, on_resonance=args.on_resonance,
                      sampler=sampler, grid=grid,
                      seed=args.seed,
                      step_um=None if args.grid_step_nm is None else args.grid_step_nm / 1e3,
                      tune=getattr(args, "tune", "auto"))


def _check_in_bound(design: Any, name: str, value: Any, bounds: dict[str, Any]) -> None:
    """A ``--set`` value of a search must lie inside the parameter's bound (the family's, or
    ``--bound``): the search explores that range, so a start outside it is a typo."""
    if name in bounds:
        low, high = (float(v) for v in bounds[name])
    elif name in type(design).BOUNDS:
        b = type(design).BOUNDS[name]
        low, high = b.low, b.high
    else:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and not low <= value <= high:
        raise UsageError(f"--set: `{low:g} <= {name} <= {high:g}` (the {design.family} "
                         f"bound) must hold, but got {name}={value!r}; widen it with --bound "
                         f"{name}=[LOW,HIGH] if intended.")


def _run(args: argparse.Namespace, sampler: str, grid: dict[str, Any] | None) -> int:
    from optimize.report import write_study_report
    from optimize.search import run_search

    out = Path(args.out)
    url = storage_url(args.storage, out)
    spec = None if (args.resume and not args.design) else _search_spec(args, sampler, grid)
    study = run_search(spec, study_name=args.study, storage_url=url, run_dir=out,
                       total_trials=args.n_trials, resume=args.resume,
                       cache_dir=args.cache or True, show_progress_bar=not args.quiet,
                       artifact_dir=Path(args.artifacts) if args.artifacts else None)
    if getattr(args, "promote", 0):
        _promote(study, args, out)
    report = write_study_report(study, out)
    print(f"study {args.study!r} in {redact(url)}: report {report}", file=sys.stderr)
    print(report)
    return 0


def _promote(study: Any, args: argparse.Namespace, out: Path) -> None:
    from optimize.promotion import promote

    promos = promote(study, top=args.promote, fidelity=args.promote_fidelity, run_dir=out,
                     cache_dir=args.cache or True, mpi_ranks=args.promote_ranks,
                     progress=lambda line: print(line, file=sys.stderr, flush=True))
    if not promos:
        print("no design meets the resonance constraint: nothing to promote", file=sys.stderr)


def cmd_promote(args: argparse.Namespace) -> int:
    from optimize.report import write_study_report

    out = Path(args.out)
    study = _load_existing(args, out)
    _promote(study, args, out)
    print(write_study_report(study, out))
    return 0


def _load_existing(args: argparse.Namespace, out: Path) -> Any:
    import optuna

    from optimize.storage import open_storage
    from optimize.study import StudySpec, open_study

    url = storage_url(args.storage, out)
    try:
        directions = optuna.load_study(study_name=args.study,
                                       storage=open_storage(url, heartbeat=False)).directions
    except KeyError:
        raise UsageError(f"no study named {args.study!r} in {redact(url)}.") from None
    return open_study(StudySpec(study_name=args.study, storage_url=url,
                                directions=tuple(d.name.lower() for d in directions),
                                sampler="random"), create=False)


def cmd_optimize(args: argparse.Namespace) -> int:
    return _run(args, args.sampler, None)


def cmd_sweep(args: argparse.Namespace) -> int:
    grid = None
    if args.grid:
        grid = {}
        for k, v in _pairs(args.grid, "--grid").items():
            values = v if isinstance(v, list) else [float(x) for x in str(v).split(",")]
            grid[k] = tuple(float(x) for x in values)
        args.n_trials = args.n_trials or 10**9
        return _run(args, "grid", grid)
    if not args.params:
        raise UsageError("a sweep needs --grid name=v1,v2,... or --params with --n-trials "
                         "(quasi-random).")
    return _run(args, "qmc", None)


def cmd_worker(args: argparse.Namespace) -> int:
    from optimize.search import run_search
    from optimize.study import count_complete
    from optimize.termination import Termination

    out = Path(args.out)
    url = storage_url(args.storage, out)
    launch: dict[str, Any] = {"mpi_ranks": args.ranks}
    if args.launcher:
        launch["launcher"] = args.launcher
    if args.timeout_s:
        launch["timeout_s"] = args.timeout_s
    index = args.worker_index
    if index is None:
        index = int(os.environ.get("SLURM_ARRAY_TASK_ID", "0") or 0)
    print(f"worker {index} attached to study {args.study!r} in {redact(url)} "
          f"(budget {args.n_trials} COMPLETE trials, {args.ranks} MPI rank(s) per trial)",
          file=sys.stderr)
    with Termination() as termination:
        study = run_search(None, study_name=args.study, storage_url=url, run_dir=out,
                           total_trials=args.n_trials, resume=True,
                           cache_dir=args.cache or True, show_progress_bar=not args.quiet,
                           launch=launch, worker_index=index, termination=termination,
                           artifact_dir=Path(args.artifacts) if args.artifacts else None)
    if termination.requested:
        print(f"worker stopped by {termination.signal_name}: no new trials; a trial it was "
              f"running is FAILED and queued again. Study {args.study!r}: "
              f"{count_complete(study)} COMPLETE trials.", file=sys.stderr)
        return 0
    print(f"study {args.study!r}: {count_complete(study)} COMPLETE trials", file=sys.stderr)
    return 0


def cmd_slurm(args: argparse.Namespace) -> int:
    from optimize.slurm import SlurmJob

    out = Path(args.out).resolve()
    job = SlurmJob(study=args.study, n_trials=args.n_trials, workers=args.workers,
                   ranks=args.ranks, time=args.time, out_dir=out,
                   cache_dir=Path(args.cache).resolve() if args.cache else out / "cache",
                   storage_env=args.storage_env, launcher=args.launcher,
                   signal_grace_s=args.signal_grace_s, timeout_s=args.timeout_s,
                   partition=args.partition, account=args.account, qos=args.qos,
                   mem=args.mem, constraint=args.constraint, setup=args.setup,
                   artifact_dir=Path(args.artifacts).resolve() if args.artifacts else None)
    script = job.script()
    if args.dry_run:
        print(script)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    path = out / job.script_name()
    path.write_text(script)
    print(path)
    print(f"submit with: sbatch {shlex.quote(str(path))}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from optimize.report import write_study_report

    out = Path(args.out)
    study = _load_existing(args, out)
    path = write_study_report(study, out)
    if args.json:
        from optimize.report import study_report_data

        print(json.dumps(study_report_data(study, out), indent=1, ensure_ascii=False,
                         allow_nan=False, default=str))
        return 0
    print(path)
    return 0


# -- parser --------------------------------------------------------------------------------------
def _launcher(text: str) -> str:
    from optimize.slurm import parse_launcher

    try:
        return parse_launcher(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _common_eval(p: argparse.ArgumentParser) -> None:
    from emitter.purcell import ORIENTATIONS

    g = p.add_argument_group("emitter")
    g.add_argument("--emitter", default="CsPbBr3", help="emitter preset (default CsPbBr3)")
    g.add_argument("--edge-nm", type=float, default=10.0, help="nanocrystal edge length (nm)")
    g.add_argument("--temperature-k", type=float, default=295.0, help="temperature (K)")
    g.add_argument("--emitter-set", action="append", metavar="NAME=VALUE",
                   help="override an emitter parameter")
    p.add_argument("--material", action="append", metavar="FILE.json",
                   help="register a fitted material (pnc-cavity fit-material --out) so the "
                   "design can name it; a study stores its definition for every worker")
    g = p.add_argument_group("simulation")
    g.add_argument("--fidelity", choices=("screen", "full"), default="screen")
    g.add_argument("--resolution", type=float, default=None, help="px/µm (default: family's)")
    g.add_argument("--sim-set", action="append", metavar="NAME=VALUE",
                   help="override a SimConfig field, e.g. n_freqs=201")
    g.add_argument("--orientation", default="aligned", choices=ORIENTATIONS,
                   help="dipole-orientation model of the emitter score (see "
                   "emitter.purcell.orientation_factor; default aligned)")
    g.add_argument("--min-feature-um", type=float, default=0.03)
    g.add_argument("--error-estimate", choices=("auto", "on", "off"), default="auto",
                   help="grid-error estimate: a second run at 1.5x the resolution and Richardson "
                   "extrapolation of λ, Q, Purcell and collection (auto: cylindrical runs)")
    g.add_argument("--ranks", type=int, default=1, help="MPI ranks per simulation")
    g.add_argument("--timeout-s", type=float, default=None, help="wall-clock limit per run")
    g.add_argument("--cache", default=None, help="result cache directory "
                   "(default $PNC_CAVITY_CACHE or ~/.cache/pnc-cavity-designer)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override a design parameter (µm)")


def _common_search(p: argparse.ArgumentParser, n_default: int | None) -> None:
    p.add_argument("design", nargs="?", help="preset name or design JSON")
    _common_eval(p)
    p.add_argument("--params", help="comma-separated parameters to vary")
    p.add_argument("--bound", action="append", metavar="NAME=[LOW,HIGH]",
                   help="override a parameter's bounds, e.g. disk_radius_um=[0.2,0.4]")
    p.add_argument("--objective", action="append",
                   choices=("purcell", "brightness", "g2", "risk", "collection"),
                   help="objective (repeat for a Pareto front; default purcell)")
    p.add_argument("--tolerance-nm", type=float, default=5.0,
                   help="resonance must lie within this of the exciton line "
                        "(--on-resonance detuning)")
    p.add_argument("--on-resonance", choices=tuple(ON_RESONANCE_RULES),
                   default="detuning",
                   help="what makes a design feasible: 'detuning' (resonance within "
                        "--tolerance-nm of the exciton line) or 'half-max' (LDOS at the exciton "
                        "line >= 0.5 x its value at the resonance: the line inside the peak's "
                        "half-maximum band; suits broad, multi-mode peaks such as a "
                        "bullseye's) or 'none' (every design feasible: broadband antennas "
                        "for a broad line, ranked by the objective alone)")
    p.add_argument("--n-trials", type=int, default=n_default,
                   help="COMPLETE trials the whole study should reach")
    p.add_argument("--study", default="pnc-study", help="study name")
    p.add_argument("--storage", help="Optuna storage URL or journal file (default: SQLite in "
                   "--out; env PNC_STORAGE)")
    p.add_argument("--resume", action="store_true", help="continue an existing study")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--grid-step-nm", type=float, default=None,
                   help="sample every length parameter on this fabrication grid (e.g. 5), so "
                   "designs snap to what lithography writes and repeats come from the cache")
    p.add_argument("--tune", choices=TUNE_MODES, default="auto",
                   help="'scale': scale each trial's searched lengths together so that its "
                   "resonance lands on the exciton line (2-3 simulations per trial; the sampler "
                   "then searches the design's shape); 'none': score each design as sampled; "
                   "'auto' (default): 'scale' when a length that sets the mode's scale (a "
                   "period, a lattice constant, a diameter) is searched under an on-resonance "
                   "rule, else 'none' (a resumed study keeps its stored choice)")
    p.add_argument("--out", default=str(DEFAULT_OUT / "study"), help="run folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _artifacts_option(p)


def _promote_options(p: argparse.ArgumentParser, default: int = 0) -> None:
    p.add_argument("--promote", type=int, default=default, metavar="K",
                   help="after the search, evaluate the K best feasible designs again at "
                   "--promote-fidelity; the report shows both values and their ratio"
                   + (" (default 0: none)" if not default else f" (default {default})"))
    p.add_argument("--promote-fidelity", default="full", choices=("full", "screen"),
                   help="fidelity of the promotion (default full)")
    p.add_argument("--promote-ranks", type=int, default=None, metavar="N",
                   help="MPI ranks per simulation of the promotion (default: the study's); "
                   "cylindrical grids too small to gain still run on one rank")


def _artifacts_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--artifacts", metavar="DIR", default=None,
                   help="store each trial's spectrum figure as an Optuna artifact in DIR "
                   "(view with optuna-dashboard STORAGE --artifact-dir DIR)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pnc-optimize", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    add_version_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("presets", help="list cavity and emitter presets")
    p.add_argument("-v", "--verbose", action="store_true", help="also list bounds")
    p.add_argument("--json", action="store_true", help="print the lists as JSON")
    p.set_defaults(func=cmd_presets)
    p = sub.add_parser("evaluate", help="simulate and score one design")
    p.add_argument("design", help="preset name or design JSON")
    _common_eval(p)
    p.add_argument("--keep-target", action="store_true",
                   help="keep the design's target wavelength (default: the exciton line)")
    p.add_argument("--no-fab-check", action="store_true", help="skip fabrication checks")
    p.add_argument("--out", default=str(DEFAULT_OUT / "evaluate"))
    p.set_defaults(func=cmd_evaluate)
    p = sub.add_parser("optimize", help="optimise a family's parameters")
    _common_search(p, 20)
    p.add_argument("--sampler", default="auto",
                   choices=("auto", "tpe", "gp", "nsga2", "random", "qmc"),
                   help="auto (default: gp with PyTorch installed, else tpe; nsga2 for several "
                   "objectives), tpe, gp (Gaussian process, needs PyTorch), nsga2, random, qmc")
    _promote_options(p)
    p.set_defaults(func=cmd_optimize)
    p = sub.add_parser("promote", help="re-evaluate a study's best designs at the full fidelity")
    p.add_argument("--study", default="pnc-study", help="study name")
    p.add_argument("--storage", help="Optuna storage URL or journal file (default: SQLite in "
                   "--out; env PNC_STORAGE)")
    p.add_argument("--out", default=str(DEFAULT_OUT / "study"), help="run folder")
    p.add_argument("--cache", default=None, help="result cache directory")
    _promote_options(p, default=3)
    p.set_defaults(func=cmd_promote)
    p = sub.add_parser("sweep", help="grid or quasi-random sweep")
    _common_search(p, None)
    p.add_argument("--grid", action="append", metavar="NAME=V1,V2,...",
                   help="grid values of a parameter (repeat per parameter)")
    p.set_defaults(func=cmd_sweep)
    p = sub.add_parser("worker", help="attach to an existing study and run trials until the "
                       "study's budget is reached")
    p.add_argument("--study", default="pnc-study")
    p.add_argument("--storage", help="storage URL (default $PNC_STORAGE)")
    p.add_argument("--n-trials", type=int, required=True,
                   help="COMPLETE trials the whole study should reach (shared by all workers)")
    p.add_argument("--ranks", type=int, default=1, help="MPI ranks per simulation")
    p.add_argument("--launcher", type=_launcher, default=None,
                   help="MPI launcher, e.g. srun, 'srun --mpi=pmix', 'mpirun --allow-run-as-root'")
    p.add_argument("--worker-index", type=int, default=None,
                   help="this worker's index (default $SLURM_ARRAY_TASK_ID or 0); part of the "
                   "sampler seed")
    p.add_argument("--timeout-s", type=float, default=None, help="wall-clock limit per run")
    p.add_argument("--cache", default=None, help="shared result cache directory")
    p.add_argument("--out", default=str(DEFAULT_OUT / "study"))
    p.add_argument("--quiet", action="store_true")
    _artifacts_option(p)
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser("slurm", help="write a SLURM job script (array of workers)")
    p.add_argument("--study", default="pnc-study")
    p.add_argument("--n-trials", type=int, required=True)
    p.add_argument("--workers", type=int, default=8, help="array tasks (worker processes)")
    p.add_argument("--ranks", type=int, default=4, help="MPI ranks per trial")
    p.add_argument("--time", default="24:00:00", help="time limit per array task")
    p.add_argument("--timeout-s", type=float, default=None, help="wall-clock limit per run")
    p.add_argument("--partition", default=None, help="#SBATCH --partition")
    p.add_argument("--account", default=None, help="#SBATCH --account")
    p.add_argument("--qos", default=None, help="#SBATCH --qos")
    p.add_argument("--mem", default=None, help="#SBATCH --mem, e.g. 16G")
    p.add_argument("--constraint", default=None, help="#SBATCH --constraint")
    p.add_argument("--launcher", default="srun",
                   help="MPI launcher of each trial, e.g. 'srun --mpi=pmix' (default srun)")
    p.add_argument("--signal-grace-s", type=int, default=DEFAULT_SIGNAL_GRACE_S,
                   help="Slurm sends SIGTERM this many seconds before the time limit; the "
                   f"worker then stops (default {DEFAULT_SIGNAL_GRACE_S})")
    p.add_argument("--storage-env", default="PNC_STORAGE",
                   help="environment variable holding the storage URL")
    p.add_argument("--cache", default=None, help="shared result cache directory")
    p.add_argument("--setup", default=None, help="shell line that activates the environment "
                   "(inserted into the script as is)")
    p.add_argument("--out", default=str(DEFAULT_OUT / "study"))
    _artifacts_option(p)
    p.add_argument("--dry-run", action="store_true", help="print the script, write nothing")
    p.set_defaults(func=cmd_slurm)
    p = sub.add_parser("report", help="write the report of a study")
    p.add_argument("--study", default="pnc-study")
    p.add_argument("--storage")
    p.add_argument("--out", default=str(DEFAULT_OUT / "study"))
    p.add_argument("--json", action="store_true",
                   help="print the report's tables as JSON on stdout (the files are written "
                   "as well)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) in ("optimize", "sweep"):
        if not args.design and not args.resume:
            parser.error("a design (preset or JSON) is needed unless --resume")
        if args.command == "sweep" and not args.grid and not args.n_trials:
            parser.error("a quasi-random sweep needs --n-trials")
    try:
        if getattr(args, "material", None):
            from cavities.measured_materials import register_material_files

            register_material_files(args.material)
        return int(args.func(args))
    except (UsageError, FabricationViolation, ValueError) as err:
        if args.debug:
            traceback.print_exc()
        print(f"pnc-optimize: error: {redact(str(err))}", file=sys.stderr)
        return 2
    except (StorageError, OSError, RuntimeError) as err:
        if args.debug:
            traceback.print_exc()
        print(f"pnc-optimize: error: {redact(str(err))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
