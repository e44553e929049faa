"""A simulation that carries its discretisation error: the result on the requested grid and on
a finer one (1.5× by default), and Richardson estimates of every headline quantity
(:mod:`sims.accuracy`).

Why a finer and not a coarser second grid: 0.75× of the families' screen grids was
pre-asymptotic (measured, ``benchmarks/screen_accuracy.py``: the pillar's λ moved the wrong way
from 45 to 60 px/µm and its Purcell factor came out 7 % low), while 60/90 and 40/60 px/µm
extrapolate to the converged values. In cylindrical coordinates a run costs ∝ resolution³, so
the second grid costs 3.4× the first.

The returned result is the finer grid's, *corrected to the extrapolation*: its resonance
wavelength, Q, Purcell factors and collection are the extrapolated values (``accuracy`` holds
each grid's raw value and the stated error), and its spectra are shifted by the extrapolated
change of the resonance wavelength and scaled to the extrapolated Purcell factors, so the
emitter model and the optimiser's resonance constraint see the converged physics rather than
the grid's bias (the bullseye's resonance sits ~20 nm red at 60 px/µm). ``converged=False``, with
the reason in ``accuracy.notes`` and in the warnings, when an error exceeds its tolerance or the
two grids picked different resonances; then nothing is corrected.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

from cavities.structure import Structure
from sims.accuracy import Accuracy, estimate
from sims.config import SimConfig
from sims.planar_reference import planar_controlled
from sims.proximity import proximity_warning
from sims.results import SimResult

DEFAULT_GRID_RATIO = 1.5
DEFAULT_ORDERS = {"resonance_wavelength_um": 1.0, "quality_factor": 1.0,
                  "purcell_total": 1.0, "purcell_radiative": 1.0,
                  "collection_efficiency": 1.0}
"""First order unless a family measured better: the conservative choice (a larger correction
and error bar) when the order is unknown."""


def headline(result: SimResult) -> dict[str, float | None]:
    """The quantities of :data:`sims.accuracy.QUANTITIES` at the result's resonance."""
    mode = result.resonance
    return {
        "resonance_wavelength_um": None if mode is None else mode.wavelength_um,
        "quality_factor": None if mode is None or mode.quality_factor <= 0
        else mode.quality_factor,
        "purcell_total": result.purcell_total_at_resonance,
        "purcell_radiative": result.purcell_radiative_at_resonance,
        "collection_efficiency": result.collection_efficiency_at_resonance,
    }


SAME_MODE_MAX_SHIFT = 0.02
"""Largest relative shift of a resonance between the two grids still taken as the same mode."""


def _same_resonance(coarse: SimResult, fine: SimResult) -> bool:
    """Whether the two grids picked the same resonance: within its width of each other, or (a
    high-Q mode moves by more than its width between grids: measured 1.3 nm for a Q ≈ 860
    microsphere WGM 0.6 nm wide at 40/60 px/µm) closer to each other than half the distance
    to any other resonance either grid found, and within 2 %."""
    a, b = coarse.resonance, fine.resonance
    if a is None or b is None:
        return a is b
    width = max(b.wavelength_um / b.quality_factor if b.quality_factor > 0 else 0.0, 1e-4)
    shift = abs(a.wavelength_um - b.wavelength_um)
    if shift <= width:
        return True
    if shift > SAME_MODE_MAX_SHIFT * b.wavelength_um:
        return False
    others = [m.wavelength_um for r in (coarse, fine) for m in r.modes
              if min(abs(m.wavelength_um - a.wavelength_um),
                     abs(m.wavelength_um - b.wavelength_um)) > width]
    gap = min((min(abs(w - a.wavelength_um), abs(w - b.wavelength_um)) for w in others),
              default=math.inf)
    return shift < 0.5 * gap


def accuracy_of(results: list[SimResult], orders: Mapping[str, float]) -> Accuracy:
    """Richardson estimates from results on increasing grids (each quantity at its order)."""
    resolutions = [r.provenance.resolution_px_per_um for r in results]
    return estimate([headline(r) for r in results], resolutions, order=orders,
                    same_resonance=_same_resonance(results[-2], results[-1]))


def simulate_with_error(structure: Structure, config: SimConfig, *,
                        grid_ratio: float = DEFAULT_GRID_RATIO,
                        orders: Mapping[str, float] | None = None,
                        simulate: Callable[..., SimResult] | None = None,
                        **kwargs: Any) -> SimResult:
    """Simulate on ``config``'s grid and on ``grid_ratio`` × it; attach the error estimate.

    Args:
        structure, config: as for :func:`sims.runner.simulate`.
        grid_ratio: resolution of the second grid relative to the first (> 1: finer).
        orders: convergence order per quantity (default :data:`DEFAULT_ORDERS`).
        simulate: the simulation function (default :func:`sims.runner.simulate`).
        **kwargs: passed to ``simulate`` (cache_dir, mpi_ranks, timeout_s, ...).
    """
    if not grid_ratio > 1:
        raise ValueError(f"`grid_ratio > 1` must hold (the second grid is the finer one), but "
                         f"got grid_ratio={grid_ratio!r}.")
    if simulate is None:
        from sims.runner import simulate as run
    else:
        run = simulate
    fine_cfg = dataclasses.replace(
        config, resolution_px_per_um=round(config.resolution_px_per_um * grid_ratio, 6))
    coarse = run(structure, config, **kwargs)
    fine = run(structure, fine_cfg, **kwargs)
    acc = accuracy_of([coarse, fine], {**DEFAULT_ORDERS, **(orders or {})})
    near = proximity_warning(structure, config.resolution_px_per_um,
                             smoothing=config.eps_averaging,
                             planar_reference=planar_controlled(structure))
    if near is not None:
        acc = dataclasses.replace(acc, converged=False, notes=(
            *acc.notes, "the emitter is closer to a horizontal interface than the coarser grid "
            "resolves (see the warning): the error bars do not include that error"))
    warnings = list(fine.warnings)
    if not acc.converged:
        grids = "/".join(f"{r:g}" for r in acc.resolutions_px_per_um)
        warnings.append(f"not converged on the grids {grids} px/µm: " + acc.summary())
    if "pick differs" in " ".join(acc.notes) or fine.resonance is None:
        return dataclasses.replace(fine, accuracy=acc, warnings=tuple(warnings))
    return corrected(fine, acc, warnings)


def _ratio(new: float | None, old: float | None) -> float:
    return 1.0 if new is None or not old else new / old


def corrected(fine: SimResult, acc: Accuracy, warnings: list[str]) -> SimResult:
    """``fine`` with its headline numbers replaced by the extrapolated ones and its spectra
    shifted and scaled to match them (see the module docstring)."""
    mode = fine.resonance
    assert mode is not None and fine.selected_mode is not None
    lam = acc.value("resonance_wavelength_um") or mode.wavelength_um
    shift = lam - mode.wavelength_um
    s_tot = _ratio(acc.value("purcell_total"), fine.purcell_total_at_resonance)
    s_rad = _ratio(acc.value("purcell_radiative"), fine.purcell_radiative_at_resonance)
    c_new, c_old = acc.value("collection_efficiency"), fine.collection_efficiency_at_resonance
    sp = fine.spectra
    coll = None if sp.collection_efficiency is None else tuple(
        min(1.0, max(0.0, c + (c_new - c_old))) if c_new is not None and c_old is not None
        else c for c in sp.collection_efficiency)
    spectra = dataclasses.replace(
        sp, wavelength_um=tuple(w + shift for w in sp.wavelength_um),
        purcell_total=tuple(s_tot * v for v in sp.purcell_total),
        flux_wavelength_um=tuple(w + shift for w in sp.flux_wavelength_um),
        purcell_radiative=tuple(s_rad * v for v in sp.purcell_radiative),
        radiative_efficiency=tuple(e * s_rad / s_tot for e in sp.radiative_efficiency),
        collection_efficiency=coll)
    q = acc.value("quality_factor")
    new_mode = dataclasses.replace(mode, wavelength_um=lam,
                                   quality_factor=q if q and q > 0 else mode.quality_factor)
    modes = tuple(new_mode if i == fine.selected_mode else m for i, m in enumerate(fine.modes))
    warnings.append(
        f"values and spectra corrected to the grid extrapolation ({acc.method}): resonance "
        f"shifted by {1e3 * shift:+.1f} nm, total Purcell ×{s_tot:.3f}, radiative ×{s_rad:.3f}; "
        "raw per-grid values in `accuracy`.")
    return dataclasses.replace(
        fine, modes=modes, spectra=spectra, accuracy=acc, warnings=tuple(warnings),
        purcell_total_at_resonance=acc.value("purcell_total"),
        purcell_radiative_at_resonance=acc.value("purcell_radiative"),
        collection_efficiency_at_resonance=c_new)

