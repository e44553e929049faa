"""Optimisation and sweeps over a cavity family for one emitter, on an Optuna study.

The whole search description (:class:`SearchSpec`) is stored in the study's user attributes, so
``--resume``, extra workers and reports need only the storage URL and the study name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import socket
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cavities.base import Bound, FabricationViolation
from cavities.library import user_materials_in
from cavities.registry import design_from_dict, get_family
from emitter import EmitterParams, preset_emitter
from optimize.evaluate import EvalSettings, Evaluation, evaluate, runs_two_grids
from optimize.objectives import (ON_RESONANCE_RULES, detuning_nm, get_objectives,
                                 line_over_peak, resonance_constraint)
from optimize.storage import redact
from optimize.study import StudySpec, open_study, run_until_budget
from optimize.termination import Termination
from optimize.tuning import (TUNE_MODES, TUNED_ATTR, probe_error_estimate, resolved_tune,
                             tune_by_scale)
from sims.cache import atomic_write
from sims.errors import SimulationError

SPEC_ATTR = "pnc_search_spec"
MATERIALS_ATTR = "pnc_user_materials"
"""Study attribute: the definitions (``Material.to_dict()``) of the user materials the search
names, so that workers in other processes and on other machines use the same ones."""
FAILURE_TYPES: tuple[type[BaseException], ...] = (SimulationError, OSError)


@dataclass(frozen=True, kw_only=True)
class EmitterSpec:
    """Which nanocrystal: a preset name, its size and temperature, and overrides."""

    preset: str = "CsPbBr3"
    edge_nm: float = 10.0
    temperature_k: float = 295.0
    overrides: dict[str, Any] = field(default_factory=dict)

    def build(self) -> EmitterParams:
        return preset_emitter(self.preset, edge_nm=self.edge_nm,
                              temperature_k=self.temperature_k, **self.overrides)


def torch_available() -> bool:
    """Whether PyTorch (the GP sampler's dependency) is installed, without importing it."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


@dataclass(frozen=True, kw_only=True)
class SearchSpec:
    """An optimisation or a sweep.

    Args:
        base_design: the design (``CavityDesign.to_dict()``) whose parameters are varied; its
            target wavelength is set to the emitter's exciton line.
        params: names of the varied parameters (each must have a bound).
        bounds: overrides of the family's optimisation bounds, name -> (low, high).
        objectives: names from :data:`optimize.objectives.OBJECTIVES` (one: single objective;
            several: Pareto front).
        emitter: the nanocrystal.
        settings: how designs are evaluated (fidelity, resolution, ...).
        tolerance_nm: with ``on_resonance="detuning"``, feasible designs have a resonance
            within this of the exciton line.
        on_resonance: what makes a design feasible, a key of
            :data:`optimize.objectives.ON_RESONANCE_RULES`: ``"detuning"`` (the resonance within
            ``tolerance_nm`` of the line), ``"half-max"`` (the line inside the half-maximum
            band of the resonance's LDOS peak) or ``"none"`` (every design feasible).
        sampler: ``"tpe"`` (default, single objective), ``"gp"``, ``"nsga2"``, ``"random"``,
            ``"qmc"`` (quasi-random sweep), ``"grid"``, or ``"auto"``: resolved when the spec is
            made to ``"gp"`` for one objective if PyTorch is installed (it beat TPE and random
            sampling in ``benchmarks/search_efficiency.py``), else ``"tpe"``; several
            objectives get ``"nsga2"``.
        grid: values of each parameter for a grid sweep.
        seed: sampler seed.
        step_um: fabrication grid: every length parameter (``*_um``) is sampled on multiples
            of this step (e.g. 0.005 for 5 nm), so designs snap to what a lithography writes
            and evaluations of the same design are shared through the cache; None: continuous.
        tune: ``"scale"``: each trial's design is scaled (its searched lengths together, on a
            1 nm grid) so that its resonance lands on the exciton line (:mod:`optimize.tuning`:
            one to three probes on the coarse grid alone, then the evaluation of the design
            kept, whose coarse grid the cache holds); ``"none"``: each design is scored
            as sampled; ``"auto"`` (default): ``"scale"`` when the search varies a length that
            sets the mode's scale under an on-resonance rule, else ``"none"``
            (:func:`optimize.tuning.resolved_tune`; :attr:`tuning` is the result). A study
            stored before tuning existed reads as ``"none"``.
    """

    base_design: dict[str, Any]
    params: tuple[str, ...]
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    objectives: tuple[str, ...] = ("purcell",)
    emitter: EmitterSpec = field(default_factory=EmitterSpec)
    settings: EvalSettings = field(default_factory=EvalSettings)
    tolerance_nm: float = 5.0
    on_resonance: str = "detuning"
    sampler: str = "tpe"
    grid: dict[str, tuple[float, ...]] | None = None
    seed: int = 0
    step_um: float | None = None
    tune: str = "auto"

    def __post_init__(self) -> None:
        objs = get_objectives(list(self.objectives))
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "objectives", tuple(self.objectives))
        design = design_from_dict(self.base_design)
        known = type(design).BOUNDS
        if not self.params:
            raise ValueError("choose at least one parameter to vary (`params`).")
        for p in self.params:
            if p not in known and p not in self.bounds:
                raise ValueError(
                    f"parameter {p!r} has no optimisation bound in family {design.family!r}; "
                    f"known: {sorted(known)} (or pass bounds={{{p!r}: (low, high)}}).")
        for p, (lo, hi) in self.bounds.items():
            if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
                raise ValueError(f"bound of {p!r}: `high > low` must hold, but got ({lo}, {hi}).")
        if self.sampler == "grid":
            if not self.grid or set(self.grid) != set(self.params):
                raise ValueError("a grid sweep needs values for exactly the varied parameters "
                                 f"{list(self.params)}, but got {sorted(self.grid or {})}.")
        if self.sampler == "auto":
            object.__setattr__(self, "sampler", "gp" if len(objs) == 1 and torch_available()
                               else "tpe")
        if len(objs) > 1 and self.sampler == "tpe":
            object.__setattr__(self, "sampler", "nsga2")
        if self.step_um is not None and not self.step_um > 0:
            raise ValueError(f"`step_um > 0` must hold, but got step_um={self.step_um!r}.")
        if self.tune not in TUNE_MODES:
            raise ValueError(f"`tune` must be one of {TUNE_MODES}, but got {self.tune!r}.")
        if self.tune == "scale" and not any(p.endswith("_um") for p in self.params):
            raise ValueError("`tune='scale'` scales the searched lengths, but no parameter in "
                             f"{list(self.params)} is a length (`*_um`).")
        if not self.tolerance_nm > 0:
            raise ValueError(f"`tolerance_nm > 0` must hold, but got {self.tolerance_nm!r}.")
        if self.on_resonance not in ON_RESONANCE_RULES:
            raise ValueError(f"`on_resonance` must be one of {sorted(ON_RESONANCE_RULES)}, but "
                             f"got {self.on_resonance!r}.")
        # everything a trial builds, built once now: a bad emitter or simulation setting is a
        # usage error before the study exists, not a failure after it was created
        self.emitter.build()
        self.settings.sim_config(design)

    @property
    def tuning(self) -> str:
        """``"scale"`` or ``"none"``: what the ``tune`` option does for this search."""
        return resolved_tune(self.tune, self.params,
                             get_family(self.base_design["family"]).SCALE_LENGTHS,
                             self.on_resonance, self.sampler)

    @property
    def directions(self) -> tuple[str, ...]:
        return tuple(o.direction for o in get_objectives(list(self.objectives)))

    def bound(self, name: str) -> Bound:
        if name in self.bounds:
            lo, hi = self.bounds[name]
            return Bound(float(lo), float(hi))
        return type(design_from_dict(self.base_design)).BOUNDS[name]

    def to_json(self) -> str:
        d = asdict(self)
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SearchSpec:
        d = json.loads(text)
        d["emitter"] = EmitterSpec(**d["emitter"])
        d["settings"] = EvalSettings(**d["settings"])
        d["params"] = tuple(d["params"])
        d["objectives"] = tuple(d["objectives"])
        d.setdefault("tune", "none")  # stored before tuning existed: untuned
        d["bounds"] = {k: tuple(v) for k, v in d.get("bounds", {}).items()}
        if d.get("grid"):
            d["grid"] = {k: tuple(v) for k, v in d["grid"].items()}
        return cls(**d)


def grid_bounds(low: float, high: float, step: float) -> tuple[float, float]:
    """The first and last multiples of ``step`` inside [low, high] (rounded to 1e-9 µm).

    Example:
        >>> grid_bounds(0.123, 0.401, 0.005)
        (0.125, 0.4)
    """
    lo = round(math.ceil(round(low / step, 9)) * step, 9)
    hi = round(math.floor(round(high / step, 9)) * step, 9)
    if not hi >= lo:
        raise ValueError(f"no multiple of step_um={step} lies in the bound [{low}, {high}].")
    return lo, hi


def _constraints(trial: Any) -> tuple[float, ...]:
    return tuple(trial.user_attrs.get("constraint", (1e3,)))


def study_spec(spec: SearchSpec, *, study_name: str, storage_url: str) -> StudySpec:
    return StudySpec(study_name=study_name, storage_url=storage_url,
                     directions=spec.directions, sampler=spec.sampler, seed=spec.seed,
                     grid=spec.grid, constraints_func=_constraints,
                     metric_names=spec.objectives)


def trial_design(spec: SearchSpec, params: dict[str, float]) -> Any:
    """The design of one trial; an invalid combination is a fabrication violation (pruned)."""
    base = design_from_dict(spec.base_design)
    try:
        return base.replace(**params)
    except FabricationViolation:
        raise
    except ValueError as err:
        raise FabricationViolation(base.family, [str(err)]) from None


def make_evaluator(spec: SearchSpec, *, run_dir: Path, cache_dir: str | Path | bool | None = True,
                   on_evaluation: Callable[[Any, Evaluation], None] | None = None,
                   termination: Termination | None = None) -> Callable[[Any], list[float]]:
    """The per-trial function: suggest parameters, evaluate, record, return objective values.

    With ``termination``, a SIGTERM during the simulation stops it at once
    (:mod:`optimize.termination`); Optuna calls outside the simulation are never interrupted.
    """
    emitter = spec.emitter.build()
    objectives = get_objectives(list(spec.objectives))
    evaluations = run_dir / "evaluations"
    tuning = spec.tuning
    # tuning finds the scale on the coarse grid alone (one run per probe) and runs the error
    # estimate only for the chosen design, whose coarse grid then comes from the cache; a
    # screen of one run (3D, guided-mode expansion) has no cheaper look: it tunes with runs
    probe_settings = (dataclasses.replace(spec.settings, error_estimate="off")
                      if tuning == "scale" and runs_two_grids(design_from_dict(spec.base_design),
                                                              spec.settings) else None)
    probe_errors: list[float] = []  # this worker's measured probe errors (run − probe, nm)

    def evaluate_trial(trial: Any) -> list[float]:
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        params: dict[str, float] = {}
        base = design_from_dict(spec.base_design)
        for name in spec.params:
            b = spec.bound(name)
            if isinstance(getattr(base, name), int) and not isinstance(getattr(base, name),
                                                                       bool):
                params[name] = trial.suggest_int(name, int(b.low), int(b.high), log=b.log)
            elif spec.step_um and name.endswith("_um") and not b.log:
                lo, hi = grid_bounds(b.low, b.high, spec.step_um)
                params[name] = round(trial.suggest_float(name, lo, hi, step=spec.step_um), 9)
            else:
                params[name] = trial.suggest_float(name, b.low, b.high, log=b.log)

        def run(values: dict[str, float], settings: EvalSettings = spec.settings,
                keep: bool = True) -> Evaluation:
            design = trial_design(spec, values).replace(
                target_wavelength_um=emitter.exciton_wavelength_um)
            with termination.interruptible() if termination is not None else nullcontext():
                ev = evaluate(design, emitter, settings, cache_dir=cache_dir)
            if keep:
                evaluations.mkdir(parents=True, exist_ok=True)
                atomic_write(evaluations / f"{ev.key}.json", ev.to_json())  # shared run folders
            return ev

        def probe(values: dict[str, float]) -> Evaluation:
            return run(values, probe_settings, keep=False)

        if tuning == "scale":
            tuned = tune_by_scale(params, spec.params, emitter.exciton_wavelength_um * 1e3,
                                  spec.tolerance_nm, run,
                                  probe=None if probe_settings is None else probe,
                                  probe_error_nm=probe_error_estimate(probe_errors))
            if tuned.probe_error_nm is not None:
                probe_errors.append(tuned.probe_error_nm)
            ev = tuned.evaluation
            trial.set_user_attr("tune_scale", round(tuned.scale, 6))
            trial.set_user_attr("tune_evaluations", tuned.evaluations)
            if tuned.params != params:
                trial.set_user_attr(TUNED_ATTR, tuned.params)
        else:
            ev = run(params)
        mode = ev.sim.resonance
        attrs = {
            "evaluation_key": ev.key,
            "resonance_nm": None if mode is None else round(mode.wavelength_um * 1e3, 3),
            "quality_factor": None if mode is None else round(mode.quality_factor, 3),
            "purcell": ev.score.purcell_x, "brightness_cps": ev.score.brightness_cps,
            "g2": ev.score.g2_cavity, "risk": ev.score.biexciton_risk,
            "collection": ev.score.collection_efficiency,
            "wall_time_s": round(ev.sim.provenance.wall_time_s
                                 + ev.sim.provenance.reference_wall_time_s, 2),
            "mpi_ranks": ev.sim.provenance.mpi_ranks,
            # both on-resonance measures, whichever rule the study uses (reports compare them)
            "detuning_nm": round(detuning_nm(ev), 3),
            "line_over_peak": round(line_over_peak(ev), 4),
        }
        for k, v in attrs.items():
            if v is None or isinstance(v, str) or math.isfinite(v):
                trial.set_user_attr(k, v)
        constraint = resonance_constraint(ev, spec.tolerance_nm, spec.on_resonance)
        trial.set_user_attr("constraint", [constraint])
        if hasattr(trial, "set_constraint"):  # Optuna >= 5
            trial.set_constraint("resonance_detuning_nm", constraint)
        if on_evaluation is not None:
            on_evaluation(trial, ev)
        return [o.value(ev) for o in objectives]

    return evaluate_trial


def resumed_seed(*, seed: int, n_trials: int, worker_index: int) -> int:
    """The sampler seed of a resumed study or an extra worker.

    A resumed study or an extra worker must not replay the sampler's sequence from the start
    (it would propose the same designs again), and the same state must give the same seed
    (reproducible resumes): the seed is a hash of the user's ``seed``, the number of trials
    already in the study and the worker's index (``--worker-index``, the Slurm array index).
    Two workers with different indices get different seeds even when they start together.

    Example:
        >>> resumed_seed(seed=0, n_trials=3, worker_index=1) == resumed_seed(
        ...     seed=0, n_trials=3, worker_index=1)
        True
    """
    digest = hashlib.sha256(f"pnc-resume:{seed}:{n_trials}:{worker_index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _register_study_materials(definitions: dict[str, Any] | None, study_name: str) -> None:
    """A study made with user materials (``register_material``, ``--material``) stores their
    definitions; every worker that attaches registers them, so no worker needs the files."""
    if not definitions:
        return
    from cavities.measured_materials import register_shipped_materials

    for note in register_shipped_materials(definitions, origin=f"study {study_name!r}"):
        print(f"pnc-optimize: {note}", file=sys.stderr)


def create_or_resume(spec: SearchSpec | None, *, study_name: str, storage_url: str,
                     resume: bool, worker_index: int = 0) -> tuple[Any, SearchSpec]:
    """Open the study. New: store the spec. Resume: the stored spec wins (a different spec
    passed with ``resume`` is an error, so a study never mixes two searches); the sampler seed
    is :func:`resumed_seed` (the stored seed for quasi-random sweeps, whose scrambled sequence
    needs one seed shared by every worker)."""
    import optuna

    from optimize.storage import open_storage

    existing = None
    try:
        existing = optuna.load_study(study_name=study_name, storage=open_storage(storage_url))
    except KeyError:
        pass
    if existing is not None:
        stored = existing.user_attrs.get(SPEC_ATTR)
        if stored is None:
            raise ValueError(f"study {study_name!r} in {redact(storage_url)} was not made by "
                             "this tool (no search spec stored).")
        _register_study_materials(existing.user_attrs.get(MATERIALS_ATTR), study_name)
        stored_spec = SearchSpec.from_json(stored)
        if not resume:
            raise ValueError(f"study {study_name!r} already exists in {redact(storage_url)}; "
                             "pass --resume to continue it or choose another --study name.")
        if spec is not None and spec.tune == "auto":
            spec = dataclasses.replace(spec, tune=stored_spec.tune)  # the stored choice wins
        if spec is not None and spec.to_json() != stored_spec.to_json():
            raise ValueError(f"study {study_name!r} was created with a different search "
                             "(parameters, objectives, emitter or settings); --resume continues "
                             "it with its stored search: drop the conflicting options.")
        seeded = stored_spec
        if stored_spec.sampler != "qmc":
            n_before = len(existing.get_trials(deepcopy=False))
            seeded = dataclasses.replace(stored_spec, seed=resumed_seed(
                seed=stored_spec.seed, n_trials=n_before, worker_index=worker_index))
        return open_study(study_spec(seeded, study_name=study_name, storage_url=storage_url),
                          create=False), stored_spec
    if spec is None:
        raise ValueError(f"no study named {study_name!r} in {redact(storage_url)}.")
    study = open_study(study_spec(spec, study_name=study_name, storage_url=storage_url))
    study.set_user_attr(SPEC_ATTR, spec.to_json())
    materials = user_materials_in(spec.base_design)
    if materials:
        study.set_user_attr(MATERIALS_ATTR, {n: m.to_dict() for n, m in materials.items()})
    if spec.sampler not in ("grid", "qmc"):
        # the first trial is the starting design itself (a published or hand-tuned preset)
        base = design_from_dict(spec.base_design)
        start = {p: getattr(base, p) for p in spec.params}
        if spec.step_um:  # the start design's lengths on the fabrication grid as well
            start = {p: (round(round(v / spec.step_um) * spec.step_um, 9)
                         if p.endswith("_um") and not spec.bound(p).log else v)
                     for p, v in start.items()}
        if all(spec.bound(p).low <= v <= spec.bound(p).high for p, v in start.items()):
            study.enqueue_trial(start, user_attrs={"start_design": True})
    for i, o in enumerate(spec.objectives):
        study.set_user_attr(f"objective_{i}", o)
    return study, spec


def run_search(spec: SearchSpec | None, *, study_name: str, storage_url: str, run_dir: Path,
               total_trials: int, resume: bool = False,
               cache_dir: str | Path | bool | None = True,
               show_progress_bar: bool = True,
               launch: dict[str, Any] | None = None, worker_index: int = 0,
               termination: Termination | None = None,
               artifact_dir: Path | None = None) -> Any:
    """Run (or continue) a search until the study holds ``total_trials`` COMPLETE trials.

    ``spec=None`` attaches to an existing study (a worker). ``launch`` overrides how this
    process runs simulations (``mpi_ranks``, ``launcher``, ``timeout_s``): these do not change
    the numbers, so workers on different machines may differ. ``worker_index`` enters the
    seed of a resumed study (:func:`resumed_seed`); ``termination`` stops the search on SIGTERM
    (:mod:`optimize.termination`); ``artifact_dir`` stores each trial's spectrum figure as an
    Optuna artifact there (:mod:`optimize.artifacts`; None: no figures).
    """
    import dataclasses

    from optimize.study import wrap_objective

    study, spec = create_or_resume(spec, study_name=study_name, storage_url=storage_url,
                                   resume=resume, worker_index=worker_index)
    if launch:
        allowed = {"mpi_ranks", "launcher", "timeout_s"}
        if set(launch) - allowed:
            raise ValueError(f"launch overrides must be among {sorted(allowed)}, but got "
                             f"{sorted(launch)}.")
        spec = dataclasses.replace(spec, settings=dataclasses.replace(spec.settings, **launch))
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "search.json").write_text(json.dumps(json.loads(spec.to_json()), indent=1))
    if spec.sampler == "grid" and spec.grid:
        total_trials = min(total_trials, math.prod(len(v) for v in spec.grid.values()))
    on_evaluation = None
    if artifact_dir is not None:
        from optimize.artifacts import spectrum_uploader

        on_evaluation = spectrum_uploader(Path(artifact_dir))
    objective = wrap_objective(make_evaluator(spec, run_dir=run_dir, cache_dir=cache_dir,
                                              on_evaluation=on_evaluation,
                                              termination=termination),
                               FAILURE_TYPES, termination=termination)
    run_until_budget(study, objective, total_trials=total_trials, failure_types=FAILURE_TYPES,
                     show_progress_bar=show_progress_bar, termination=termination)
    return study
