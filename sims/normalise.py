"""Normalise a structure run by its host reference run and pick the resonance (pure).

:func:`combine` turns the raw Meep measurements (LDOS, flux box, collection plane, Harminv
modes) into the typed :class:`~sims.results.SimResult`; :func:`pick_resonance` applies
:data:`sims.peaks.RESONANCE_RULE`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from cavities.structure import Structure
from sims.analysis import MODE_SELECTION_RULE, negative_ldos
from sims.config import SimConfig
from sims.errors import SimulationError, UnphysicalResult
from sims.peaks import (
    RESOLVED_LINEWIDTH_SAMPLES,
    RESONANCE_RULE,
    harminv_mode_on_peak,
    ldos_peak_mode,
    peak_as_mode,
    resonance_peak,
)
from sims.proximity import proximity_warning
from sims.results import Mode, ModeVolume, RawRun, SimResult, Spectra


def pick_resonance(structure: Structure, raw: RawRun, lam: Sequence[float],
                   total: Sequence[float], *, ldos_valid: bool
                   ) -> tuple[tuple[Mode, ...], int | None, ModeVolume | None, list[str]]:
    """(modes, index of the resonance, its mode volume, notes) by :data:`RESONANCE_RULE`.

    The mode volume comes from the backend's DFT at the Harminv pick; it is kept only if that
    mode is the chosen resonance (or lies within the chosen peak's half-width).
    """
    notes: list[str] = []
    modes, harminv_pick = raw.modes, raw.selected_mode
    mv = raw.mode_volume
    peak = resonance_peak(lam, total, target_um=structure.target_um) if ldos_valid else None
    spacing = abs(lam[0] - lam[-1]) / (len(lam) - 1)
    if peak is None:
        if harminv_pick is None and ldos_valid:
            fallback = ldos_peak_mode(lam, total)
            if fallback is not None:
                notes.append(
                    f"Harminv found no resonance in the window; the resonance is the LDOS peak "
                    f"at {1e3 * fallback.wavelength_um:.1f} nm with Q = λ/FWHM = "
                    f"{fallback.quality_factor:.3g} (a low-Q resonance); no mode volume.")
                return (*modes, fallback), len(modes), None, notes
        if harminv_pick is not None and ldos_valid and _resolved(modes[harminv_pick], spacing):
            m = modes[harminv_pick]
            notes.append(
                f"no resonance: the LDOS spectrum has no prominent peak in the window, and "
                f"Harminv's mode at {1e3 * m.wavelength_um:.1f} nm (Q {m.quality_factor:.3g}) is "
                "broad enough for the LDOS grid to show it, so it is not a feature the emitter "
                "sees (before, such a mode was scored and its wavelength jumped between grids). "
                "The spectra are valid; widen the window if the structure's mode lies outside.")
            return modes, None, None, notes
        return modes, harminv_pick, mv, notes
    unresolved = not peak.fwhm_um or peak.fwhm_um < RESOLVED_LINEWIDTH_SAMPLES * spacing
    on_peak = harminv_mode_on_peak(modes, peak, unresolved=unresolved)
    chosen = peak_as_mode(peak, None if on_peak is None else modes[on_peak])
    modes, index = (*modes, chosen), len(modes)
    if on_peak is None:
        notes.append(
            f"no Harminv mode lies on the LDOS peak at {1e3 * peak.wavelength_um:.1f} nm with a "
            "matching Q (a broad peak of overlapping modes): Q = λ/FWHM of the peak"
            + (f" = {chosen.quality_factor:.3g}" if chosen.quality_factor else " (unresolved)")
            + "; no mode volume.")
        return modes, index, None, notes
    if mv is not None and harminv_pick != on_peak:
        notes.append(
            "mode volume dropped: it was computed for the Harminv mode at "
            f"{1e3 * (mv.wavelength_um):.1f} nm, not for the one that forms the LDOS peak at "
            f"{1e3 * peak.wavelength_um:.1f} nm.")
        mv = None
    return modes, index, mv, notes


def _resolved(mode: Mode, spacing_um: float) -> bool:
    """Whether the LDOS grid would show this mode as a peak (its linewidth spans at least
    RESOLVED_LINEWIDTH_SAMPLES samples; a lossless mode, Q < 0, is not resolved)."""
    return mode.quality_factor > 0 and (
        mode.wavelength_um / mode.quality_factor >= RESOLVED_LINEWIDTH_SAMPLES * spacing_um)


def combine(structure: Structure, config: SimConfig, raw: RawRun, ref: RawRun, *,
            planar_reference: bool = False) -> SimResult:
    """Normalise a structure run by its host reference run (pure). ``planar_reference``: the
    LDOS was paired with the planar stack (:mod:`sims.planar_reference`; see
    :func:`sims.proximity.proximity_warning`)."""
    from sims import analytic

    warnings = list(raw.warnings)
    near = proximity_warning(structure, config.resolution_px_per_um,
                             smoothing=config.eps_averaging, planar_reference=planar_reference)
    if near is not None:
        warnings.append(near)
    if tuple(raw.freqs_mu) != tuple(ref.freqs_mu):
        raise SimulationError("structure and reference runs have different frequency grids.")
    total = [a / b for a, b in zip(raw.ldos, ref.ldos, strict=True)]
    negative = negative_ldos(tuple(1.0 / f for f in raw.freqs_mu), total)
    cut = raw.provenance.stop_reason == "time cap"
    if negative is not None and not cut:
        raise UnphysicalResult(
            f"{negative}: the structure gave energy to the dipole although its fields decayed, "
            "which no passive structure does. Likely causes: a dispersive metal (e.g. an Ag film) "
            "running into the boundary layer, or an unstable material fit. Nothing of this run "
            "is reported.")
    if negative is not None:
        warnings.append(
            f"{negative}: a long-lived mode was cut at the time cap, and the finite Fourier "
            "transform of its ring-down oscillates below zero. The LDOS spectrum is not a Purcell "
            "spectrum here: no LDOS Purcell factor is reported (Harminv's Q, the mode volume and "
            "the Q/V estimate still are). Raise max_periods, or use a 3D/full fidelity run whose "
            "mode leaks out.")
    radiative = [a / b for a, b in zip(raw.box_flux, ref.box_flux, strict=True)]
    bound = None
    if raw.far_field is not None:
        # near a metal the box counts surface plasmons leaving it: radiated = far field
        up, down, _ = raw.far_field
        far = [(u + d) / b for u, d, b in zip(up, down, ref.box_flux, strict=True)]
        bound = tuple(r - f for r, f in zip(radiative, far, strict=True))
        radiative = far
    lam = tuple(1.0 / f for f in raw.freqs_mu)  # a = 1 µm (sims.units)
    flux_lam = tuple(1.0 / f for f in raw.flux_freqs_mu)
    total_at_flux = interp_many(flux_lam, lam, total)
    efficiency = [r / t if t > 0 else math.nan for r, t in zip(radiative, total_at_flux,
                                                                 strict=True)]
    collection = direction = None
    if raw.plane_collected is not None and raw.plane_flux is not None:
        collection = tuple(c / b for c, b in zip(raw.plane_collected, raw.box_flux, strict=True))
        direction = tuple(p / b for p, b in zip(raw.plane_flux, raw.box_flux, strict=True))
    if raw.far_field is not None:
        up, down, cone = raw.far_field
        collection = tuple(c / (u + d) if u + d > 0 else 0.0
                           for c, u, d in zip(cone, up, down, strict=True))
        toward = up if structure.collection_direction == "up" else down
        direction = tuple(t / (u + d) if u + d > 0 else 0.0
                          for t, u, d in zip(toward, up, down, strict=True))
    spectra = Spectra(wavelength_um=lam, purcell_total=tuple(total), flux_wavelength_um=flux_lam,
                      purcell_radiative=tuple(radiative), radiative_efficiency=tuple(efficiency),
                      collection_efficiency=collection, direction_fraction=direction,
                      purcell_bound=bound)
    n_em = structure.emitter_index()
    modes, selected, mode_volume, pick_notes = pick_resonance(
        structure, raw, lam, total, ldos_valid=negative is None)
    warnings.extend(pick_notes)
    mode = None if selected is None else modes[selected]
    f_tot = f_rad = coll = analytic_f = ratio = None
    if mode is None:
        warnings.append("no resonance found in the window (see modes)"
                        + ("." if negative else "; spectra are still valid."))
    else:
        if negative is None:
            f_tot = spectra.total_at(mode.wavelength_um)
            f_rad = spectra.radiative_at(mode.wavelength_um)
        coll = spectra.collection_at(mode.wavelength_um)
        spacing = abs(lam[0] - lam[-1]) / (len(lam) - 1)
        if 0 < mode.wavelength_um / mode.quality_factor < 3 * spacing:
            warnings.append(
                f"the resonance linewidth λ/Q = {1e3 * mode.wavelength_um / mode.quality_factor:.3g}"
                f" nm is under-resolved by the LDOS grid ({1e3 * spacing:.3g} nm): the peak Purcell "
                "factor is underestimated; raise n_freqs or narrow the window."
            )
        if mode.quality_factor < 0:
            warnings.append(
                f"the selected mode's decay is not resolved by the run (Harminv Q = "
                f"{mode.quality_factor:.3g} < 0: lossless within Harminv's precision); |Q| is a "
                "lower bound and no Q/V estimate is made. Raise harminv_periods to measure it.")
        mv = mode_volume
        if mv is not None and mode.quality_factor > 0:
            if structure.dimensions == "2d" and mv.emitter_area_lambda_n2:
                analytic_f = analytic.purcell_q_over_a_2d(
                    quality_factor=mode.quality_factor,
                    mode_area_lambda_n2=mv.emitter_area_lambda_n2,
                    dipole="out_of_plane" if structure.dipole_orientation == "z" else "in_plane")
            elif mv.emitter_volume_lambda_n3:
                analytic_f = analytic.purcell_q_over_v(
                    quality_factor=mode.quality_factor,
                    mode_volume_lambda_n3=mv.emitter_volume_lambda_n3)
            if analytic_f is not None and f_tot:
                ratio = analytic_f / f_tot
    prov = dataclasses.replace(raw.provenance, reference_wall_time_s=ref.provenance.wall_time_s)
    return SimResult(
        structure=structure.to_dict(), config=config.to_dict(), modes=modes,
        selected_mode=selected, mode_selection_rule=RESONANCE_RULE + MODE_SELECTION_RULE,
        refractive_index_at_emitter=n_em, spectra=spectra, mode_volume=mode_volume,
        purcell_total_at_resonance=f_tot, purcell_radiative_at_resonance=f_rad,
        collection_efficiency_at_resonance=coll, analytic_purcell=analytic_f,
        analytic_over_ldos=ratio, provenance=prov, warnings=tuple(warnings),
        field_map=raw.field_map,
    )


def interp_many(x: Sequence[float], xs: Sequence[float], ys: Sequence[float]) -> list[float]:
    import numpy as np

    order = np.argsort(xs)
    return list(np.interp(x, np.asarray(xs)[order], np.asarray(ys)[order]))
