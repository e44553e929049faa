"""Assembling a GME result: the SimResult of three plane-wave cut-offs (pure; no legume).

The reported λ and mode volumes are the mean over the cut-offs, Q and collection the k-averaged
values of the middle one; :func:`assemble` also states their errors (:data:`TOLERANCE`), builds
the Lorentzian Purcell spectrum on the slab background (:func:`spectrum`) and the mid-plane
field map. See :mod:`sims.gme` for what each quantity means.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from cavities.families.photonic_crystal.supercell import GmeModel
from sims import gme_modes
from sims.accuracy import Accuracy, Estimate
from sims.in_plane_loss import PX_PER_PERIOD, in_plane_effect
from sims.results import (
    FIELD_MAP_MAX_PX,
    FieldMap,
    Mode,
    ModeVolume,
    Provenance,
    SimResult,
    Spectra,
)

if TYPE_CHECKING:
    from sims.gme import GmeConfig
    from sims.in_plane_loss import InPlaneQ

TOLERANCE = {"resonance_wavelength_um": 0.005, "quality_factor": 0.25, "purcell_total": 0.3,
             "purcell_radiative": 0.3, "collection_efficiency": 0.3}
"""Relative error above which a GME result is flagged as not converged (collection also passes
with an absolute error <= :data:`COLLECTION_ABS_TOLERANCE`)."""
COLLECTION_ABS_TOLERANCE = 0.01
Q_OVER_3D = {"sin_l3_520 (8 × 6)": 1.67, "sin_l3_520 (10 × 8)": 1.68, "h1_sin_520 (10)": 1.50,
             "sin_l3_520 unshifted (10 × 8)": 1.65, "sin_l3_520 end holes optimised": 1.63,
             "akahane_l3_si s = 0": 1.2, "akahane_l3_si s = 0.15a": 1.4}
"""The GME's Q over the 3D Meep Q of the same design, measured (README "Photonic-crystal slabs":
benchmarks/gme_vs_3d.py at 50-70 px/µm, resolution-converged to 2 % for sin_l3_520; Akahane at
12 px/a). Not in the GME's error, which is its own convergence: every result says so. legume's
author reports the same direction (GME over-, FDTD under-estimates Q: fancompute/legume#64;
an optimised L3 at 10⁶ in GME, 2.55 × 10⁵ in FDTD: #55)."""

def legume_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("legume-gme")
    except metadata.PackageNotFoundError:
        return "missing"


def _sem(values: list[float]) -> float:
    return float(np.std(values, ddof=1) / math.sqrt(len(values))) if len(values) > 1 else 0.0


PICK_TOLERANCE = 0.02
"""Cut-offs whose picks differ by more than this relative wavelength found different modes."""


def _gamma(solve: gme_modes.GmeSolve, a: float) -> dict[str, float] | None:
    c = solve.picked_candidate
    if c is None:
        return None
    return {"lam": a / c.frequency, "vr": a ** 3 / c.emitter_coupling,
            "vp": a ** 3 / c.peak_energy}


def _kavg(solve: gme_modes.GmeSolve) -> dict[str, float] | None:
    if solve.picked is None or not solve.loss_rates:
        return None
    f, q = gme_modes.average_loss(solve.loss_rates, solve.frequencies)
    return {"f": f, "q": q, "coll": float(np.mean(solve.collected)),
            "rel_sem_q": _sem(list(solve.loss_rates)) / float(np.mean(solve.loss_rates)),
            "sem_coll": _sem(list(solve.collected))}


def assemble(model: GmeModel, config: GmeConfig, coarse: gme_modes.GmeSolve,
             fine: gme_modes.GmeSolve, check: gme_modes.GmeSolve, *, background: float,
             wall_time_s: float, in_plane: InPlaneQ | None = None) -> SimResult:
    """The SimResult of the three cut-offs (pure; see :class:`GmeConfig` for what each
    contributes). ``in_plane``: the 2D estimate of in-plane leakage
    (:mod:`sims.in_plane_loss`); the change it would make to Q is added to the errors of Q and
    the Purcell factor, not to their values."""
    a, n = model.lattice_um, model.emitter_index
    warnings = [
        "GME screen: Q is the out-of-plane (radiative) Q of the cavity in an unbounded crystal; "
        "in-plane leakage through the finite crystal is not included (the 3D full fidelity "
        "has it)" + ("." if in_plane is None else
                     ": its estimated effect is part of Q's error (below)."),
        "GME's Q is a radiative Q from first-order coupling to the radiation modes of an "
        "effective slab: on every design compared with 3D Meep it was "
        f"{min(Q_OVER_3D.values()):g}-{max(Q_OVER_3D.values()):g}× the 3D Q (README "
        "'Photonic-crystal slabs'), beyond its stated error: read Q and the Purcell factor as "
        "upper estimates, good for ranking; the 3D full fidelity gives their values.",
        f"off-resonant background F_bg = {background:.3g}: the far-field part of the "
        "unpatterned slab's LDOS (guided modes taken as blocked by the band gap).",
        *model.notes,
    ]
    if not fine.gap_found:
        warnings.append("the bulk crystal has no band gap for the emitter's modes: modes were "
                        "searched in the wavelength window only.")
    notes = [f"{len(fine.candidates)} eigenmode(s) of the emitter's parity in the gap at gmax "
             f"{config.gmax:g}: "
             + ", ".join(f"{1e3 * a / c.frequency:.1f} nm (localisation {c.localisation:.2f})"
                         for c in fine.candidates)]
    kf = _kavg(fine)
    if kf is None:
        warnings.append("no cavity mode: " + notes[0] + " — none passes the rule ("
                        + gme_modes.MODE_RULE + ").")
        return _result(model, config, fine, warnings=warnings, background=background,
                       wall_time_s=wall_time_s)
    g_fine = _gamma(fine, a)
    assert g_fine is not None
    same = [g for g in (_gamma(coarse, a), g_fine, _gamma(check, a))
            if g is not None and abs(g["lam"] / g_fine["lam"] - 1) <= PICK_TOLERANCE]
    lam = float(np.mean([g["lam"] for g in same]))
    vr = float(np.mean([g["vr"] for g in same]))
    vp = float(np.mean([g["vp"] for g in same]))
    q = kf["q"]
    leak = _in_plane_q(in_plane)
    in_plane_dq = in_plane_effect(q, leak)
    if in_plane is not None:
        warnings.append(_in_plane_text(in_plane, q, leak, in_plane_dq))
    cube = (lam / n) ** 3
    f_mode = gme_modes.purcell_q_over_v(quality_factor=q, volume_um3=vr, wavelength_um=lam,
                                        refractive_index=n)
    coll = kf["coll"] * f_mode / (f_mode + background)
    values = {"resonance_wavelength_um": lam, "quality_factor": q,
              "purcell_total": f_mode + background, "purcell_radiative": f_mode + background,
              "collection_efficiency": coll}
    accuracy = _accuracy(config, coarse, fine, check, a, values, len(same),
                         in_plane_dq=in_plane_dq)
    if not accuracy.converged:
        warnings.append("GME not converged: " + "; ".join(accuracy.notes))
    cf = fine.picked_candidate
    assert cf is not None
    mv = ModeVolume(wavelength_um=lam, refractive_index=n, peak_volume_um3=vp,
                    emitter_volume_um3=vr, peak_volume_lambda_n3=vp / cube,
                    emitter_volume_lambda_n3=vr / cube,
                    peak_position_um=_peak_position(model, cf))
    mode = Mode(wavelength_um=lam, quality_factor=q, amplitude_abs=1.0, harminv_error=0.0,
                method="gme")
    return _result(model, config, fine, warnings=warnings, background=background,
                   wall_time_s=wall_time_s, mode=mode, mode_volume=mv, f_mode=f_mode,
                   coll_mode=kf["coll"], accuracy=accuracy, notes=notes)


def _in_plane_q(in_plane: InPlaneQ | None) -> float | None:
    """The smaller Q_∥ of the 2D grids (the more pessimistic; None: no leaking mode)."""
    if in_plane is None:
        return None
    found = [v for v in in_plane.grid_values if v is not None]
    return min(found) if found else None


def _in_plane_text(in_plane: InPlaneQ, q: float, leak: float | None, dq: float) -> str:
    grids = "/".join(f"{p:g}" for p in PX_PER_PERIOD)
    if leak is None:
        return ("in-plane leakage (2D effective-index model of the finite crystal, "
                f"{grids} px per period): no long-lived mode in the window, no estimate; Q "
                "is the out-of-plane Q only.")
    vals = "/".join("—" if v is None else f"{v:.3g}" for v in in_plane.grid_values)
    return (f"in-plane leakage (2D effective-index model of the finite crystal, {grids} px per "
            f"period, sims.in_plane_loss): Q_∥ ≈ {vals}. With the smaller value the cavity's Q "
            f"would be {q - dq:.3g} instead of {q:.3g}; the 2D model places the mode "
            "differently in the gap (an indicator, pessimistic on the designs checked in 3D, "
            f"not a correction), so the difference {dq:.3g} is added to the errors of Q and the "
            "Purcell factor (if it is large, the crystal needs more rows).")


def _peak_position(model: GmeModel, c: gme_modes.Candidate) -> tuple[float, float, float]:
    if math.isnan(c.peak_position[0]):
        return tuple(model.emitter_position_um)  # type: ignore[return-value]
    a = model.lattice_um
    return (a * c.peak_position[0], a * c.peak_position[1], 0.0)


def _half_range(xs: list[float]) -> float:
    return 0.5 * (max(xs) - min(xs)) if len(xs) > 1 else math.nan


def _accuracy(config: GmeConfig, coarse: gme_modes.GmeSolve, fine: gme_modes.GmeSolve,
              check: gme_modes.GmeSolve, a: float, values: dict[str, float], n_same: int,
              *, in_plane_dq: float = 0.0) -> Accuracy:
    gs = [_gamma(s, a) for s in (coarse, fine, check)]
    lam_f = values["resonance_wavelength_um"]
    same = [g for g in gs if g is not None and abs(g["lam"] / lam_f - 1) <= PICK_TOLERANCE]
    kc, kf = _kavg(coarse), _kavg(fine)
    assert kf is not None
    notes = []
    if n_same < 3:
        notes.append("the cavity-mode pick differs between the cut-offs ("
                     + ", ".join("—" if g is None else f"{1e3 * g['lam']:.1f} nm" for g in gs)
                     + ")")
    rel_v = _half_range([g["vr"] for g in same]) / float(np.mean([g["vr"] for g in same]))
    same_c = kc is not None and gs[0] is not None and gs[0] in same
    rel_q = ((abs(kf["q"] - kc["q"]) / kf["q"] if same_c else math.nan) + kf["rel_sem_q"]
             + in_plane_dq / kf["q"])
    rel_f = rel_q + rel_v
    coll, coll_mode = values["collection_efficiency"], kf["coll"]
    scale = coll / coll_mode if coll_mode > 0 else 0.0
    errors = {"resonance_wavelength_um": _half_range([g["lam"] for g in same]),
              "quality_factor": rel_q * values["quality_factor"],
              "purcell_total": rel_f * values["purcell_total"],
              "purcell_radiative": rel_f * values["purcell_radiative"],
              "collection_efficiency": scale * ((abs(kf["coll"] - kc["coll"]) if same_c
                                                 else math.nan) + kf["sem_coll"])}
    per_cut = {
        "resonance_wavelength_um": [None if g is None else g["lam"] for g in gs],
        "quality_factor": [None if kc is None else kc["q"], kf["q"], None],
        "collection_efficiency": [None if kc is None else scale * kc["coll"], coll, None],
        "purcell_total": [None, values["purcell_total"], None],
        "purcell_radiative": [None, values["purcell_radiative"], None]}
    estimates = {}
    for q, v in values.items():
        err = errors[q]
        estimates[q] = Estimate(values=tuple(per_cut[q]), value=v,
                                error=err if math.isfinite(err) else None)
        if not math.isfinite(err):
            notes.append(f"{q}: no error estimate")
        elif q == "collection_efficiency" and err <= COLLECTION_ABS_TOLERANCE:
            continue
        elif v and err / abs(v) > TOLERANCE[q]:
            notes.append(f"{q} error {100 * err / abs(v):.2g} % > {100 * TOLERANCE[q]:g} %")
    res = tuple(2 * g / a for g in (config.gmax_coarse, config.gmax, config.gmax_check))
    method = (f"gme: cut-offs gmax {config.gmax_coarse:g}, {config.gmax:g}, "
              f"{config.gmax_check:g} (2π/a): λ and V the mean over the three (error half the "
              f"range), Q and collection at {config.gmax:g} averaged over "
              f"{len(fine.loss_rates)} k-points (error: change from {config.gmax_coarse:g} "
              "+ s.e.m. over k + the in-plane leakage's effect on Q, sims.in_plane_loss); "
              "'resolutions' are the Fourier sampling 2·gmax/a")
    return Accuracy(resolutions_px_per_um=res, order=1.0, method=method, estimates=estimates,
                    converged=not notes, notes=tuple(notes))


def spectrum(*, wavelength_um: float, quality_factor: float, peak: float, background: float,
             window: tuple[float, float], points: int) -> tuple[np.ndarray, np.ndarray]:
    """(λ grid, F_bg + peak/(1 + 4Q²(E/E_c − 1)²)): dense within ~50 linewidths of the
    resonance (a tan mapping in energy), plus a uniform grid over ``window`` and the resonance."""
    ec = 1.0 / wavelength_um
    u = np.linspace(-0.499 * math.pi, 0.499 * math.pi, points)
    e = ec * (1 + np.tan(u) / (2 * quality_factor))
    lo = min(window[0], wavelength_um * (1 - 50 / quality_factor))
    hi = max(window[1], wavelength_um * (1 + 50 / quality_factor))
    lam = np.concatenate([1 / e[(e > 1 / hi) & (e < 1 / lo)], np.linspace(lo, hi, points // 4)])
    lam = np.unique(lam)
    f = background + peak / (1 + 4 * quality_factor ** 2 * (wavelength_um / lam - 1) ** 2)
    return lam, f


def _result(model: GmeModel, config: GmeConfig, fine: gme_modes.GmeSolve, *,
            warnings: list[str], background: float, wall_time_s: float,
            mode: Mode | None = None, mode_volume: ModeVolume | None = None,
            f_mode: float | None = None, coll_mode: float | None = None,
            accuracy: Accuracy | None = None, notes: list[str] | None = None) -> SimResult:
    window = (model.wavelength_min_um, model.wavelength_max_um)
    if mode is None:
        lam = np.linspace(*window, 11)
        tot = np.full(lam.size, background)
        coll = None
    else:
        lam, tot = spectrum(wavelength_um=mode.wavelength_um,
                            quality_factor=mode.quality_factor, peak=f_mode or 0.0,
                            background=background, window=window,
                            points=config.spectrum_points)
        coll = tuple(float(coll_mode or 0.0) * (t - background) / t for t in tot)
    spectra = Spectra(wavelength_um=tuple(lam), purcell_total=tuple(tot),
                      flux_wavelength_um=tuple(lam), purcell_radiative=tuple(tot),
                      radiative_efficiency=tuple(1.0 for _ in lam),
                      collection_efficiency=coll, direction_fraction=None)
    (lx, _), (_, ly) = model.supercell.lattice_vectors_um
    prov = Provenance(dimensions="gme", resolution_px_per_um=2 * config.gmax / model.lattice_um,
                      cell_size_um=(lx, ly, model.supercell.slab_thickness_um), pml_um=0.0,
                      symmetries=("kz-parity",), cylindrical_m=None,
                      source_offset_um=(0.0, 0.0, 0.0),
                      meep_version=f"legume-gme {legume_version()}", mpi_ranks=1,
                      time_steps=0, sim_time_fs=0.0, wall_time_s=wall_time_s, meep_time_s=0.0,
                      stop_reason=f"eigenmodes ({fine.n_plane_waves} plane waves)")
    total = None if mode is None else float(f_mode or 0.0) + background
    coll0 = None if mode is None else float(coll_mode or 0.0) * (total - background) / total
    return SimResult(
        structure=model.to_dict(), config=config.to_dict(),
        modes=() if mode is None else (mode,), selected_mode=None if mode is None else 0,
        mode_selection_rule=gme_modes.MODE_RULE, refractive_index_at_emitter=model.emitter_index,
        spectra=spectra, mode_volume=mode_volume, purcell_total_at_resonance=total,
        purcell_radiative_at_resonance=total, collection_efficiency_at_resonance=coll0,
        analytic_purcell=f_mode, analytic_over_ldos=None, provenance=prov,
        warnings=tuple([*warnings, *(notes or [])]), accuracy=accuracy,
        field_map=None if mode is None else field_map(model, fine))


def field_map(model: GmeModel, solve: gme_modes.GmeSolve) -> FieldMap | None:
    """The picked mode's ε|E|² on the slab mid-plane (normalised to its maximum) with the
    slab's ε (holes and air blocks) on the same grid, for plots."""
    if solve.energy_map is None:
        return None
    x, y, energy = (np.asarray(v, float) for v in solve.energy_map)
    step = max(1, int(math.ceil(max(x.size, y.size) / FIELD_MAP_MAX_PX)))
    x, y, energy = x[::step], y[::step], energy[::step, ::step]
    cell = model.supercell
    xx, yy = np.meshgrid(x, y)
    eps = np.full(xx.shape, cell.slab_index ** 2)
    for hx, hy, r in cell.holes_um:
        eps[(xx - hx) ** 2 + (yy - hy) ** 2 <= r * r] = 1.0
    for bx, by, wx, wy in cell.air_blocks_um:
        eps[(np.abs(xx - bx) <= wx / 2) & (np.abs(yy - by) <= wy / 2)] = 1.0
    peak = float(np.max(energy))
    norm = energy / peak if peak > 0 else energy
    return FieldMap(plane="xy", h_um=tuple(x), v_um=tuple(y),
                    energy=tuple(tuple(float(v) for v in row) for row in norm),
                    epsilon=tuple(tuple(float(v) for v in row) for row in eps))

