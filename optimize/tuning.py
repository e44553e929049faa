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
and the scale follows from the physics. In a search the scale is found with probes, single runs
on the coarse grid of the two-grid screen, and only the design kept gets the screen with its
error estimate (its coarse grid from the cache): one to three coarse runs and mostly one fine
run per trial, where an untuned trial takes one of each (``benchmarks/tuning_cost.py``: 1.39×
faster than tuning with two-grid screens on the main job's space). The
evaluation closest to the line is the trial's, and its scaled parameters are recorded
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
from sims.errors import SimulationError

TUNE_MODES = ("auto", "none", "scale")
"""``"auto"`` (the default) is resolved by :func:`resolved_tune`."""
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
    probe_error_nm: float | None = None
    """With probes: the run's resonance minus the probe's, on the design run first."""


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


def resolved_tune(tune: str, params: tuple[str, ...], scale_lengths: tuple[str, ...],
                  on_resonance: str, sampler: str) -> str:
    """``"scale"`` or ``"none"``: what a search with option ``tune`` does.

    ``"auto"`` tunes when the search has a resonance to put on the line (its on-resonance rule
    is not ``"none"``), the sampler chooses the designs (not a ``"grid"`` sweep, whose designs
    are the user's) and the search varies a length that sets the mode's scale (the family's
    ``SCALE_LENGTHS``). Measured on the bullseye (``benchmarks/search_efficiency.py``, 5 seeds
    × 40 trials): TPE with tuning reaches 90 % of the best design in a median of 3 trials
    against random sampling's 10 (2.3 simulations per trial).

    Example:
        >>> resolved_tune("auto", ("period_um", "trench_width_um"), ("period_um",),
        ...               "half-max", "tpe")
        'scale'
        >>> resolved_tune("auto", ("end_hole_shift_um",), ("lattice_um",), "detuning", "tpe")
        'none'
    """
    if tune != "auto":
        return tune
    if on_resonance == "none" or sampler == "grid":
        return "none"
    return "scale" if set(params) & set(scale_lengths) else "none"


def _off_nm(ev: Evaluation, line_nm: float) -> float:
    """How far the judged resonance of ``ev`` lies from ``line_nm`` (inf: no resonance)."""
    lam = _wavelength_nm(ev)
    return math.inf if lam is None else abs(lam - line_nm)


def tune_by_scale(params: dict[str, float], names: tuple[str, ...], line_nm: float,
                  tolerance_nm: float,
                  run: Callable[[dict[str, float]], Evaluation],
                  probe: Callable[[dict[str, float]], Evaluation] | None = None,
                  probe_error_nm: float = 0.0) -> Tuned:
    """Evaluate ``params`` (``run``), scale the lengths among ``names`` onto ``line_nm`` and
    evaluate again (a secant step more if needed, :data:`MAX_EVALUATIONS` in all); the
    evaluation nearest to the line wins (the first on a tie). A scaled design that fails
    validation, a fabrication check or its simulation ends the tuning.

    With ``probe`` (a cheaper evaluation of the same design: one grid where ``run`` takes two
    and extrapolates), the scale is found with probes and only the chosen design is run; its
    coarse grid is then the probe's, from the cache. The probes aim at the line shifted by
    ``probe_error_nm`` (their grid error as earlier trials measured it: the run's resonance
    minus the probe's, :attr:`Tuned.probe_error_nm`). If the run's resonance is still more
    than half the tolerance off, the probes are aimed again with the error this design showed,
    and the design they find is run too; the nearer of the two runs is kept. If that error
    exceeds the tolerance (the two grids chose another peak than the probe's grid), the
    tuning goes on from the run with runs. ``evaluations`` counts probes and runs.

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
    if probe is not None:
        found = tune_by_scale(params, names, line_nm - probe_error_nm, tolerance_nm, probe)
        ev = run(found.params)
        lam, lam_probe = _wavelength_nm(ev), _wavelength_nm(found.evaluation)
        if lam is None or lam_probe is None:
            return Tuned(evaluation=ev, scale=found.scale, params=found.params,
                         evaluations=found.evaluations + 1)
        error = lam - lam_probe
        if abs(lam - line_nm) <= tolerance_nm / 2:
            return Tuned(evaluation=ev, scale=found.scale, params=found.params,
                         evaluations=found.evaluations + 1, probe_error_nm=error)
        if abs(error) > tolerance_nm:
            # the two grids see another peak than the probe's one grid: probes cannot aim
            # here, so the tuning goes on from the run with runs
            more = tune_by_scale(found.params, names, line_nm, tolerance_nm,
                                 lambda q: ev if q == found.params else run(q))
            return Tuned(evaluation=more.evaluation, scale=found.scale * more.scale,
                         params=more.params, evaluations=found.evaluations + more.evaluations,
                         probe_error_nm=None)
        # the run's resonance (extrapolated over two grids) is off the line by more than the
        # probes saw: aim the probes again, at the line shifted by their error on this design
        again = tune_by_scale(found.params, names, line_nm - error, tolerance_nm,
                              lambda q: found.evaluation if q == found.params else probe(q))
        # again's first evaluation is the free repeat of found's kept probe: it counts the run
        count = found.evaluations + again.evaluations
        if again.params == found.params:
            return Tuned(evaluation=ev, scale=found.scale, params=found.params,
                         evaluations=count, probe_error_nm=error)
        ev2 = run(again.params)
        if _off_nm(ev2, line_nm) < _off_nm(ev, line_nm):
            return Tuned(evaluation=ev2, scale=found.scale * again.scale, params=again.params,
                         evaluations=count + 1, probe_error_nm=error)
        return Tuned(evaluation=ev, scale=found.scale, params=found.params,
                     evaluations=count + 1, probe_error_nm=error)
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
        if _off_nm(ev, line_nm) < _off_nm(best.evaluation, line_nm):
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


def probe_error_estimate(errors: list[float], last: int = 5) -> float:
    """The probe error to aim with: the median of the ``last`` measured ones (0 before any).

    Example:
        >>> probe_error_estimate([]), probe_error_estimate([-2.1, -1.7, 9.0])
        (0.0, -1.7)
    """
    if not errors:
        return 0.0
    recent = sorted(errors[-last:])
    mid = len(recent) // 2
    return recent[mid] if len(recent) % 2 else 0.5 * (recent[mid - 1] + recent[mid])


def trial_params(trial: Any) -> dict[str, float]:
    """The parameters of the design a trial scored: the tuned ones when the search tuned it."""
    tuned = trial.user_attrs.get(TUNED_ATTR)
    return dict(tuned) if tuned else dict(trial.params)
