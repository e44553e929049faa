"""Objectives and constraints computed from an :class:`~optimize.evaluate.Evaluation`.

Each objective has a direction and a unit; the constraint "resonance near the emitter line"
is passed to Optuna's samplers as ``constraints_func`` (values <= 0 are feasible), so TPE and
NSGA-II learn to avoid infeasible designs instead of the objective being distorted by a penalty.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from optimize.evaluate import Evaluation


@dataclass(frozen=True)
class Objective:
    name: str
    direction: str
    unit: str
    description: str
    value: Callable[[Evaluation], float]


def _finite(x: float | None) -> float:
    return math.nan if x is None else float(x)


OBJECTIVES: dict[str, Objective] = {o.name: o for o in (
    Objective("purcell", "maximize", "",
              "exciton total decay-rate enhancement (spectral overlap with the LDOS)",
              lambda e: _finite(e.score.purcell_x)),
    Objective("brightness", "maximize", "photons/s",
              "single photons per second at the first lens (pulsed excitation)",
              lambda e: _finite(e.score.brightness_cps)),
    Objective("g2", "minimize", "",
              "g2(0) with the cavity (biexciton/exciton QY ratio)",
              lambda e: _finite(e.score.g2_cavity)),
    Objective("risk", "minimize", "",
              "biexciton-enhancement risk: g2(0) with cavity / without",
              lambda e: _finite(e.score.biexciton_risk)),
    Objective("collection", "maximize", "",
              "fraction of the emitted power collected into the NA",
              lambda e: _finite(e.score.collection_efficiency)),
)}


def get_objectives(names: list[str] | tuple[str, ...]) -> list[Objective]:
    unknown = [n for n in names if n not in OBJECTIVES]
    if unknown:
        raise ValueError(f"unknown objective(s) {unknown}; choose from {sorted(OBJECTIVES)}.")
    if len(set(names)) != len(names):
        raise ValueError(f"objectives must be distinct, but got {list(names)}.")
    if not names:
        raise ValueError("at least one objective is needed.")
    return [OBJECTIVES[n] for n in names]


def detuning_nm(ev: Evaluation) -> float:
    """|λ_resonance − λ_X| in nm (the grid-extrapolated λ when the result carries an error
    estimate); +inf if no resonance was found."""
    mode = ev.sim.resonance
    if mode is None:
        return math.inf
    lam = mode.wavelength_um
    acc = ev.sim.accuracy
    if acc is not None and acc.value("resonance_wavelength_um") is not None:
        lam = acc.value("resonance_wavelength_um")
    return abs(lam - ev.score.exciton_wavelength_um) * 1e3


def resonance_constraint(ev: Evaluation, tolerance_nm: float) -> float:
    """Optuna constraint value: <= 0 when the resonance lies within ``tolerance_nm`` of the
    exciton line (a missing resonance is infeasible by a large margin)."""
    d = detuning_nm(ev)
    return 1e3 if not math.isfinite(d) else d - tolerance_nm
