"""Tuning a trial's design onto the exciton line by scaling its lengths (the search option
``SearchSpec.tune = "scale"``).

Maxwell's equations have no length scale: a structure of non-dispersive media scaled by s has
its resonances at s·λ. A search under the constraint "resonance within a few nm of the exciton
line" otherwise spends most trials on designs that miss the line (86-88 % of them on the
suspended bullseye, ``benchmarks/search_efficiency.py``). With tuning, each trial's design is
evaluated, then scaled (the searched length parameters, together) so that its resonance lands
on the line: s₁ = λ_X/λ₀, then one secant step on the measured λ(s) if the first scale missed
by more than half the tolerance (the media are dispersive, and parameters left out of the
search do not scale). The sampler then searches the design's shape (the ratios of its lengths)
and the scale follows from the physics; each trial costs two or three evaluations instead of
one. The evaluation closest to the line is the trial's, and its scaled parameters are recorded
(:data:`TUNED_ATTR`), so that reports and promotion use the design that was scored. A scaled
design may lie outside the search bounds (the bounds hold what the sampler suggests, not what
the scale makes of it); the family's validation and fabrication checks still apply to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cavities.base import FabricationViolation
from optimize.evaluate import Evaluation
from optimize.objectives import detuning_nm
from sims.errors import SimulationError

TUNE_MODES = ("none", "scale")
TUNED_ATTR = "tuned_params"
"""Trial user attribute: the scaled parameters of the design that was scored."""
MAX_EVALUATIONS = 3
TUNE_GRID_UM = 0.001
"""Scaled lengths snap to 1 nm (a coarser fabrication grid would move the resonance by more
than the tolerance: 2.5 nm on a 250 nm period is 5 nm at 520 nm)."""


@dataclass(frozen=True)
class Tuned:
    """The evaluation a trial keeps, its scale, its parameters and how many runs it took."""

    evaluation: Evaluation
    scale: float
    params: dict[str, float]
    evaluations: int


def scaled_params(params: dict[str, float], scale: float, names: tuple[str, ...],
                  grid_um: float = TUNE_GRID_UM) -> dict[str, float]:
    """``params`` with every length (``*_um``) among ``names`` multiplied by ``scale`` and
    snapped to ``grid_um``.

    Example:
        >>> scaled_params({"period_um": 0.25, "n_rings": 6}, 1.0123, ("period_um", "n_rings"))
        {'period_um': 0.253, 'n_rings': 6}
    """
    out = dict(params)
    for name in names:
        if name.endswith("_um"):
            out[name] = round(round(params[name] * scale / grid_um) * grid_um, 9)
    return out


def _wavelength_nm(ev: Evaluation) -> float | None:
    """The resonance the constraint judges (:func:`optimize.objectives.detuning_nm`): the
    grid-extrapolated λ when the result carries an error estimate."""
    mode = ev.sim.resonance
    if mode is None:
        return None
    acc = ev.sim.accuracy
    if acc is not None and acc.value("resonance_wavelength_um") is not None:
        return float(acc.value("resonance_wavelength_um")) * 1e3
    return float(mode.wavelength_um) * 1e3


def tune_by_scale(params: dict[str, float], names: tuple[str, ...], line_nm: float,
                  tolerance_nm: float,
                  run: Callable[[dict[str, float]], Evaluation]) -> Tuned:
    """Evaluate ``params`` (``run``), scale the lengths among ``names`` onto ``line_nm`` and
    evaluate again (a secant step more if needed, :data:`MAX_EVALUATIONS` in all); the
    evaluation nearest to the line wins (the first on a tie). A scaled design that fails
    validation, a fabrication check or its simulation ends the tuning.

    Example (a fake run whose resonance is 2000 nm × period, with a 3 % dispersive error):
        >>> from types import SimpleNamespace
        >>> def run(p):
        ...     lam = 2000 * p["period_um"] * (1 + 0.03 * (p["period_um"] - 0.25) / 0.25)
        ...     mode = SimpleNamespace(wavelength_um=lam / 1e3)
        ...     return SimpleNamespace(sim=SimpleNamespace(resonance=mode, accuracy=None),
        ...                            score=SimpleNamespace(exciton_wavelength_um=0.52))
        >>> t = tune_by_scale({"period_um": 0.24}, ("period_um",), 520.0, 5.0, run)
        >>> t.params, t.evaluations, round(t.evaluation.sim.resonance.wavelength_um * 1e3, 1)
        ({'period_um': 0.26}, 2, 520.6)
    """
    ev = run(params)
    best = Tuned(evaluation=ev, scale=1.0, params=dict(params), evaluations=1)
    lam0 = _wavelength_nm(ev)
    if lam0 is None or abs(lam0 - line_nm) <= tolerance_nm / 2:
        return best
    points = [(1.0, lam0)]
    scale = line_nm / lam0
    count = 1
    while count < MAX_EVALUATIONS:
        trial = scaled_params(params, scale, names)
        if trial == best.params or any(trial == scaled_params(params, s, names)
                                       for s, _ in points[1:]):
            break  # the grid snaps this scale onto a design already run
        try:
            ev = run(trial)
        except (FabricationViolation, ValueError, SimulationError):
            break  # the trial keeps the best design run so far
        count += 1
        lam = _wavelength_nm(ev)
        if lam is None:
            break
        if detuning_nm(ev) < detuning_nm(best.evaluation):
            best = Tuned(evaluation=ev, scale=scale, params=trial, evaluations=count)
        if abs(lam - line_nm) <= tolerance_nm / 2:
            break
        (s_a, l_a), (s_b, l_b) = points[-1], (scale, lam)
        points.append((scale, lam))
        slope = (l_b - l_a) / (s_b - s_a) if s_b != s_a else 0.0
        scale = s_b + (line_nm - l_b) / slope if slope > 0 else s_b * line_nm / l_b
        if not math.isfinite(scale) or scale <= 0:
            break
    return Tuned(evaluation=best.evaluation, scale=best.scale, params=best.params,
                 evaluations=count)


def trial_params(trial: Any) -> dict[str, float]:
    """The parameters of the design a trial scored: the tuned ones when the search tuned it."""
    tuned = trial.user_attrs.get(TUNED_ATTR)
    return dict(tuned) if tuned else dict(trial.params)
