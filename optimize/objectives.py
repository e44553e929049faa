"""Objectives and constraints computed from an :class:`~optimize.evaluate.Evaluation`.

Each objective has a direction and a unit; the constraint "the emitter is on resonance" is
passed to Optuna's samplers as ``constraints_func`` (values <= 0 are feasible), so the samplers
learn to avoid infeasible designs instead of the objective being distorted by a penalty. Three
rules say what "on resonance" means (:data:`ON_RESONANCE_RULES`): the resonance within a fixed
window of the exciton line (``"detuning"``, the default), the exciton line inside the
half-maximum band of the resonance's LDOS peak (``"half-max"``), or no condition (``"none"``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the CLI imports ON_RESONANCE_RULES without the model
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


def line_over_peak(ev: Evaluation) -> float:
    """Total (LDOS) Purcell factor at the exciton line over its value at the resonance the
    emitter sees: 1 on the peak, 0.5 at the half-maximum point of a peak on a dark background;
    0 if no resonance was found."""
    peak = ev.sim.purcell_total_at_resonance
    if ev.sim.resonance is None or peak is None or not peak > 0:
        return 0.0
    return float(ev.sim.spectra.total_at(ev.score.exciton_wavelength_um)) / float(peak)


HALF_MAX = 0.5
ON_RESONANCE_RULES: dict[str, str] = {
    "detuning": "resonance within the tolerance (--tolerance-nm) of the exciton line",
    "half-max": "exciton line inside the half-maximum band of the resonance's LDOS peak "
                "(LDOS Purcell factor at the line >= 0.5 x its value at the resonance)",
    "none": "no condition: every evaluated design is feasible, the objective alone ranks them "
            "(broadband antennas whose LDOS has no peak near the line)",
}
"""What "the emitter is on resonance" means. ``"detuning"`` suits a narrow line and a single
mode. ``"half-max"`` follows the peak's own width: a bullseye's LDOS peak is often a band of
overlapping modes, and which of its humps is the highest (the resonance pick) can change from one
design to its neighbour while the enhancement at the line changes smoothly (measured on
``bullseye_sin_520`` with the disk radius, README "The main job"). ``"none"`` suits a
broadband design for a broad room-temperature line, whose brightness comes from its collection
and whose LDOS may have no peak at all: the brightness objective already scores the line."""


def resonance_constraint(ev: Evaluation, tolerance_nm: float, rule: str = "detuning") -> float:
    """Optuna constraint value, <= 0 when the emitter is on resonance by ``rule``
    (:data:`ON_RESONANCE_RULES`). ``"detuning"``: detuning − ``tolerance_nm`` (nm; a missing
    resonance is infeasible by 1000). ``"half-max"``: 0.5 − :func:`line_over_peak`.
    ``"none"``: 0 (feasible).

    Example:
        >>> sorted(ON_RESONANCE_RULES)
        ['detuning', 'half-max', 'none']
    """
    if rule == "half-max":
        return HALF_MAX - line_over_peak(ev)
    if rule == "none":
        return 0.0
    if rule != "detuning":
        raise ValueError(f"unknown on-resonance rule {rule!r}; choose from "
                         f"{sorted(ON_RESONANCE_RULES)}.")
    d = detuning_nm(ev)
    return 1e3 if not math.isfinite(d) else d - tolerance_nm
