"""Fidelity promotion: re-evaluate a study's best screen designs at a higher fidelity.

A search ranks designs by the screen; before a design is fabricated, its numbers should come
from the full fidelity (or a finer grid). :func:`promote` takes the top-k feasible trials of a
study, evaluates each at ``fidelity`` (cached like every evaluation), and records per design the
screen and promoted values of the objectives and of the resonance, Purcell factor and
collection, with their ratios. The records are stored on the study (user attribute
``promotion``, so ``pnc-optimize report`` shows them) and returned.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimize.evaluate import Evaluation, evaluate
from optimize.objectives import get_objectives, resonance_constraint
from optimize.search import SPEC_ATTR, SearchSpec, trial_design
from optimize.tuning import trial_params

PROMOTION_ATTR = "promotion"
QUANTITIES = ("resonance_nm", "purcell", "collection", "brightness_cps")


def headline(ev: Evaluation) -> dict[str, float | None]:
    """The compared quantities of one evaluation."""
    mode = ev.sim.resonance
    return {"resonance_nm": None if mode is None else 1e3 * mode.wavelength_um,
            "purcell": ev.score.purcell_x, "collection": ev.score.collection_efficiency,
            "brightness_cps": ev.score.brightness_cps}


def _ratio(new: float | None, old: float | None) -> float | None:
    if new is None or old is None or not old or not math.isfinite(new / old):
        return None
    return new / old


@dataclass(frozen=True, kw_only=True)
class Promotion:
    """One design at two fidelities.

    Attributes:
        trial: the study's trial number.
        params: its varied parameters (µm).
        fidelity: the promoted fidelity.
        screen, promoted: :func:`headline` values and the objectives (by name) per fidelity.
        feasible: whether the promoted resonance still meets the study's constraint.
        promoted_key: evaluation key of the promoted evaluation (cache / run folder).
        converged: whether the promoted result's own error estimate says converged (None: it
            has none).
    """

    trial: int
    params: dict[str, float]
    fidelity: str
    screen: dict[str, float | None]
    promoted: dict[str, float | None]
    feasible: bool
    promoted_key: str
    converged: bool | None

    def ratios(self) -> dict[str, float | None]:
        """promoted / screen per quantity (λ: the ratio of wavelengths)."""
        return {k: _ratio(self.promoted.get(k), self.screen.get(k)) for k in self.screen}

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "ratios": self.ratios()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Promotion:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def _values(ev: Evaluation, objectives: list[Any]) -> dict[str, float | None]:
    out = headline(ev)
    for o in objectives:
        v = o.value(ev)
        out[o.name] = v if math.isfinite(v) else None
    return out


def promote(study: Any, *, top: int, fidelity: str = "full", run_dir: Path,
            cache_dir: str | Path | bool | None = True, mpi_ranks: int | None = None,
            progress: Callable[[str], None] | None = None) -> list[Promotion]:
    """Evaluate the ``top`` best feasible trials of ``study`` at ``fidelity``.

    Args:
        study: an Optuna study made by :func:`optimize.search.run_search`.
        top: how many designs (best first; only trials that meet the resonance constraint).
        fidelity: ``"full"`` or ``"screen"`` (then only useful with other settings).
        run_dir: the study's run folder (screen evaluations are read from its
            ``evaluations/``; promoted ones are written there too).
        cache_dir: evaluation cache.
        mpi_ranks: MPI ranks per simulation (default: the study's settings); the full
            fidelity's large grids gain from more ranks (:func:`sims.process.choose_ranks`).
        progress: called with a line per design (e.g. ``print``).

    Raises:
        ValueError: the study has no search spec (not made by this tool) or ``top < 1``.
    """
    from optimize.report import _best_trials
    from sims.cache import atomic_write

    if top < 1:
        raise ValueError(f"`top >= 1` must hold, but got top={top!r}.")
    raw = study.user_attrs.get(SPEC_ATTR)
    if not raw:
        raise ValueError(f"study {study.study_name!r} has no search spec: it was not made by "
                         "pnc-optimize, so its designs cannot be rebuilt.")
    spec = SearchSpec.from_json(raw)
    emitter = spec.emitter.build()
    objectives = get_objectives(list(spec.objectives))
    settings = dataclasses.replace(spec.settings, fidelity=fidelity)
    if mpi_ranks is not None:
        if mpi_ranks < 1:
            raise ValueError(f"`mpi_ranks >= 1` must hold, but got mpi_ranks={mpi_ranks!r}.")
        settings = dataclasses.replace(settings, mpi_ranks=mpi_ranks)
    evaluations = run_dir / "evaluations"
    feasible = [t for t in _best_trials(study)
                if all(v <= 0 for v in t.user_attrs.get("constraint", [1.0]))]
    out: list[Promotion] = []
    for t in feasible[:top]:
        key = t.user_attrs.get("evaluation_key")
        path = evaluations / f"{key}.json"
        if not key or not path.exists():
            continue
        screen = Evaluation.from_json(path.read_text())
        design = trial_design(spec, trial_params(t)).replace(
            target_wavelength_um=emitter.exciton_wavelength_um)
        if progress:
            progress(f"promoting trial {t.number} to the {fidelity} fidelity ...")
        ev = evaluate(design, emitter, settings, cache_dir=cache_dir)
        evaluations.mkdir(parents=True, exist_ok=True)
        atomic_write(evaluations / f"{ev.key}.json", ev.to_json())
        acc = ev.sim.accuracy
        p = Promotion(trial=t.number, params=trial_params(t), fidelity=fidelity,
                      screen=_values(screen, objectives), promoted=_values(ev, objectives),
                      feasible=resonance_constraint(ev, spec.tolerance_nm,
                                                    spec.on_resonance) <= 0,
                      promoted_key=ev.key, converged=None if acc is None else acc.converged)
        out.append(p)
        if progress:
            r = p.ratios()
            progress(f"trial {t.number}: {fidelity}/screen brightness "
                     f"{r['brightness_cps'] or float('nan'):.3f}, Purcell "
                     f"{r['purcell'] or float('nan'):.3f}, collection "
                     f"{r['collection'] or float('nan'):.3f}; resonance "
                     f"{p.screen['resonance_nm'] or float('nan'):.1f} -> "
                     f"{p.promoted['resonance_nm'] or float('nan'):.1f} nm")
    study.set_user_attr(PROMOTION_ATTR, json.dumps([p.to_dict() for p in out]))
    return out


def stored_promotions(study: Any) -> list[Promotion]:
    """The promotions recorded on a study (empty if none)."""
    raw = study.user_attrs.get(PROMOTION_ATTR)
    return [] if not raw else [Promotion.from_dict(d) for d in json.loads(raw)]
