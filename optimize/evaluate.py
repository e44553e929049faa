"""Evaluate one design for one emitter: simulate (cached), score, save.

An :class:`Evaluation` is the unit an optimisation trial, a sweep point and ``pnc-optimize
evaluate`` all produce. It is cached by a content hash of (design, emitter, settings): the same
design evaluated twice is simulated once. The simulation core also caches its runs, so a trial
that died after its simulation finished does not simulate again when it is retried.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cavities.base import DEFAULT_MIN_FEATURE_UM, CavityDesign
from cavities.registry import design_from_dict
from emitter import CavityResponse, EmitterParams, EmitterScore, Excitation, score
from sims import cache as sims_cache
from sims.config import SimConfig
from sims.results import SimResult
from sims.runner import default_cache_dir, simulate
from sims.screen import simulate_with_error

EVALUATION_SCHEMA = 1


@dataclass(frozen=True, kw_only=True)
class EvalSettings:
    """How a design is evaluated.

    Args:
        fidelity: ``"screen"`` (fast path) or ``"full"``; see each family.
        resolution_px_per_um: override of the family's resolution for that fidelity.
        sim_overrides: other :class:`~sims.config.SimConfig` fields.
        orientation: dipole-orientation model of the emitter score, one of
            :data:`emitter.purcell.ORIENTATIONS` (``"aligned"``, ``"random"``, ``"triplet"``,
            ``"planar"``).
        min_feature_um: smallest feature the fab makes (fabrication checks).
        mpi_ranks: MPI ranks per simulation (1: serial).
        launcher: MPI launcher command, e.g. ``"srun --mpi=pmix"`` (validated by
            :func:`optimize.slurm.parse_launcher`; None: mpirun, chosen by sims.runner).
        timeout_s: wall-clock limit of one simulation (None: no limit).
        error_estimate: ``"auto"`` (cylindrical structures: a second grid at 0.75× the
            resolution and Richardson estimates of λ, Q, Purcell and collection, see
            :mod:`sims.screen`), ``"on"`` (every structure) or ``"off"``.
    """

    fidelity: str = "screen"
    resolution_px_per_um: float | None = None
    sim_overrides: dict[str, Any] = field(default_factory=dict)
    orientation: str = "aligned"
    min_feature_um: float = DEFAULT_MIN_FEATURE_UM
    mpi_ranks: int = 1
    launcher: str | None = None
    timeout_s: float | None = None
    error_estimate: str = "auto"

    def __post_init__(self) -> None:
        if self.error_estimate not in ("auto", "on", "off"):
            raise ValueError("`error_estimate` must be 'auto', 'on' or 'off', but got "
                             f"error_estimate={self.error_estimate!r}.")
        known = sorted(f.name for f in dataclasses.fields(SimConfig))
        for key in self.sim_overrides:
            if key == "resolution_px_per_um":
                raise ValueError("set the resolution with `resolution_px_per_um` (--resolution), "
                                 "not in sim_overrides (--sim-set).")
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"--sim-set: SimConfig has no field {key!r}.{hint} "
                                 f"Known fields: {known}.")

    def wants_error_estimate(self, dimensions: str) -> bool:
        return self.error_estimate == "on" or (self.error_estimate == "auto"
                                               and dimensions == "cylindrical")

    def sim_config(self, design: CavityDesign) -> SimConfig:
        res = self.resolution_px_per_um or design.resolution_px_per_um(self.fidelity)
        fields = {**design.sim_defaults(self.fidelity), **self.sim_overrides}
        try:
            return SimConfig(resolution_px_per_um=res, **fields)
        except TypeError as err:  # e.g. a text value where a number belongs
            raise ValueError(f"--sim-set {self.sim_overrides}: invalid SimConfig value "
                             f"({err}).") from None

    def key_dict(self) -> dict[str, Any]:
        """What changes the numbers (not how the run is launched)."""
        return {"fidelity": self.fidelity, "resolution_px_per_um": self.resolution_px_per_um,
                "sim_overrides": dict(sorted(self.sim_overrides.items())),
                "orientation": self.orientation, "error_estimate": self.error_estimate}


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """One design evaluated for one emitter: inputs, the simulation and the emitter score."""

    key: str
    design: dict[str, Any]
    emitter: dict[str, Any]
    settings: dict[str, Any]
    sim: SimResult
    score: EmitterScore
    schema_version: int = EVALUATION_SCHEMA

    def summary(self) -> str:
        """The rows of ``evaluation.md`` as text (simulated numbers ``± error`` when the
        simulation has an error estimate), then the warnings."""
        from optimize.display import evaluation_summary

        return evaluation_summary(self)

    def _repr_html_(self) -> str:
        """The same table as HTML, shown by Jupyter notebooks."""
        from optimize.display import evaluation_html

        return evaluation_html(self)

    def plot(self, kind: str = "spectra", path: str | Path | None = None, **kwargs: Any) -> Any:
        """A matplotlib figure: ``"spectra"`` (X and XX lines marked), ``"field_map"`` or
        ``"geometry"``; see :func:`optimize.display.plot_evaluation`."""
        from optimize.display import plot_evaluation

        return plot_evaluation(self, kind, path, **kwargs)

    def to_json(self) -> str:
        return json.dumps({
            "schema_version": self.schema_version, "key": self.key, "design": self.design,
            "emitter": self.emitter, "settings": self.settings, "sim": self.sim.to_dict(),
            "score": self.score.to_dict(),
        }, indent=1, sort_keys=True, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Evaluation:
        d = json.loads(text)
        if d.get("schema_version") != EVALUATION_SCHEMA:
            raise ValueError(f"evaluation schema_version={d.get('schema_version')!r} is not "
                             f"supported (expects {EVALUATION_SCHEMA}).")
        return cls(key=d["key"], design=d["design"], emitter=d["emitter"],
                   settings=d["settings"], sim=SimResult.from_dict(d["sim"]),
                   score=EmitterScore.from_dict(d["score"]))


def simulation_method(design: CavityDesign, fidelity: str) -> str:
    """How a family simulates a fidelity: ``"gme"`` (:mod:`sims.gme`, photonic-crystal slab
    screens) or ``"meep"`` (everything else); declared by the family's ``METHODS``."""
    methods = getattr(type(design), "METHODS", None) or {}
    return str(methods.get(fidelity, "meep"))


def runs_two_grids(design: CavityDesign, settings: EvalSettings) -> bool:
    """Whether :func:`evaluate` runs this design on two grids (a Meep run with the error
    estimate), so that one run of its coarse grid is a cheaper look at the same design."""
    return (simulation_method(design, settings.fidelity) == "meep"
            and settings.wants_error_estimate(design.to_structure(settings.fidelity).dimensions))


def emitter_dict(emitter: EmitterParams) -> dict[str, Any]:
    return json.loads(json.dumps(dataclasses.asdict(emitter), default=str))


def evaluation_key(design: CavityDesign, emitter: EmitterParams, settings: EvalSettings) -> str:
    """Content hash of (design, the definitions of the user materials it names, emitter,
    settings and the grid set-up they resolve to for this family, schema, the simulation
    code's :data:`~sims.cache.CODE_VERSION` and the Meep version): a change of the numerics,
    of a family's grids, of Meep or of a registered material's poles invalidates cached
    evaluations as it does cached simulations (:mod:`sims.cache`)."""
    from cavities.library import user_materials_in

    data = design.to_dict()
    # the resolved grid and error-estimate set-up, not only the user's settings: a family's
    # default resolution, orders or error grid can change between versions
    resolved: dict[str, Any] = {"sim_config": settings.sim_config(design).to_dict(),
                                "error_grid_ratio": design.ERROR_GRID_RATIO,
                                "orders": dict(sorted(design.CONVERGENCE_ORDERS.items()))}
    if simulation_method(design, settings.fidelity) == "gme":
        from sims.gme import GME_CODE_VERSION, GmeConfig, legume_version

        resolved = {"method": "gme", "gme_config": GmeConfig().to_dict(),
                    "gme_code": GME_CODE_VERSION, "legume": legume_version()}
    content: dict[str, Any] = {"design": data, "emitter": emitter_dict(emitter),
                               "settings": settings.key_dict(), "resolved": resolved,
                               "schema": EVALUATION_SCHEMA,
                               "code": sims_cache.CODE_VERSION,
                               "analysis": sims_cache.ANALYSIS_VERSION,
                               "meep": sims_cache.meep_version_tag()}
    materials = user_materials_in(data)
    if materials:  # a user name means nothing without its definition (two fits, one name)
        content["materials"] = {n: m.to_dict() for n, m in materials.items()}
    payload = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _cache_root(cache_dir: str | Path | bool | None) -> Path | None:
    if cache_dir is None or cache_dir is False:
        return None
    return default_cache_dir() if cache_dir is True else Path(cache_dir)


def evaluate(design: CavityDesign | dict[str, Any], emitter: EmitterParams,
             settings: EvalSettings | None = None, *, excitation: Excitation | None = None,
             cache_dir: str | Path | bool | None = True, check_fabrication: bool = True
             ) -> Evaluation:
    """Simulate a design (cached) and score it for an emitter.

    Raises:
        FabricationViolation: the design fails a fabrication check (before any simulation).
        sims.errors.SimulationError: the simulation diverged, crashed or timed out.
    """
    settings = settings or EvalSettings()
    if isinstance(design, dict):
        design = design_from_dict(design)
    if check_fabrication:
        design.check_fabrication(settings.min_feature_um)
    key = evaluation_key(design, emitter, settings)
    root = _cache_root(cache_dir)
    hit = None if root is None else root / "evaluations" / f"{key}.json"
    if hit is not None and hit.exists() and excitation is None:
        try:
            return Evaluation.from_json(hit.read_text())
        except (ValueError, KeyError, json.JSONDecodeError):
            hit.unlink(missing_ok=True)  # stale or truncated: recompute
    if simulation_method(design, settings.fidelity) == "gme":
        from sims.gme import simulate_gme

        sim = simulate_gme(design.gme_model(), cache_dir=cache_dir)  # type: ignore[attr-defined]
        return _scored(design, emitter, settings, key, sim, excitation, hit)
    structure = design.to_structure(settings.fidelity)
    run_kwargs: dict[str, Any] = dict(cache_dir=cache_dir, mpi_ranks=settings.mpi_ranks,
                                      launcher=settings.launcher, timeout_s=settings.timeout_s)
    if settings.wants_error_estimate(structure.dimensions):
        sim = simulate_with_error(structure, settings.sim_config(design),
                                  orders=design.CONVERGENCE_ORDERS,
                                  grid_ratio=design.ERROR_GRID_RATIO, **run_kwargs)
    else:
        sim = simulate(structure, settings.sim_config(design), **run_kwargs)
    return _scored(design, emitter, settings, key, sim, excitation, hit)


def _scored(design: CavityDesign, emitter: EmitterParams, settings: EvalSettings, key: str,
            sim: SimResult, excitation: Excitation | None, hit: Path | None) -> Evaluation:
    response = CavityResponse.from_sim_result(sim)
    sc = score(response, emitter, excitation=excitation, orientation=settings.orientation)
    ev = Evaluation(key=key, design=design.to_dict(), emitter=emitter_dict(emitter),
                    settings={**settings.key_dict(), "min_feature_um": settings.min_feature_um,
                              "mpi_ranks": settings.mpi_ranks},
                    sim=sim, score=sc)
    if hit is not None and excitation is None:
        sims_cache.atomic_write(hit, ev.to_json())
    return ev
