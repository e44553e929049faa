"""The ONLY module that imports Meep: Structure + SimConfig -> mp.Simulation -> RawRun.

Runs inside a fresh process (``sims._child``); ``mp.*`` objects never leave this module.

Set-up choices, each validated by a test in ``tests/sims_tests``:
* The cell interior (PML excluded) is rounded up to an even number of pixels per axis, so the
  origin is a grid node in every run; the host reference run places its source at the same
  sub-pixel offset, so discretisation errors cancel in the ratio.
* Cylindrical in-plane dipole (m = +1): Meep 1.25 mis-handles an E_r point source at r = 0
  (upstream issue 2704). We use a ring current at r0 = 1.5 Δr with E_r = 1, E_φ = i, which is a
  uniform (circularly polarised) in-plane current near the axis; the homogeneous-host reference
  uses the same ring, so the ratio is the LDOS enhancement of an in-plane dipole on the axis.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import meep as mp
import numpy as np

from cavities.materials import Material
from cavities.shapes import Block, Cylinder, Layer, Shape, Sphere
from cavities.structure import Structure
from sims import analysis
from sims.config import SimConfig
from sims.errors import DIVERGENCE_HINT, SimulationDiverged, SimulationError
from sims.results import FIELD_MAP_MAX_PX, FieldMap, Mode, ModeVolume, Provenance, RawRun
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)
CYL_RING_RADIUS_PX = 1.5  # r0 of the in-plane ring source, in units of Δr (validated: 0.5 and 1.0 fail)
LAYER_EXTENT_MU = 1e5  # lateral size of a Layer (runs through the PML)


# -- materials and geometry -----------------------------------------------------------------------
def material_to_meep(material: Material, units: MeepUnits = UNITS) -> Any:
    """mp.Medium (or mp.metal) for a Material; eV -> Meep frequency through ``units``."""
    if material.perfect_conductor:
        return mp.metal
    susc = []
    for p in material.poles:
        f = units.frequency_mu_from_ev(p.frequency_ev)
        g = units.frequency_mu_from_ev(p.gamma_ev)
        cls = mp.LorentzianSusceptibility if p.kind == "lorentzian" else mp.DrudeSusceptibility
        susc.append(cls(frequency=f, gamma=g, sigma=p.sigma))
    kwargs: dict[str, Any] = {"epsilon": material.epsilon_inf}
    if susc:
        kwargs["E_susceptibilities"] = susc
    if material.epsilon_imag and material.loss_tangent_at_um:
        # ε = ε_r (1 + i σ_D / (2π f)) -> σ_D = 2π f Im ε / ε_r, exact at the pinned wavelength
        f0 = units.frequency_mu(wavelength_um=material.loss_tangent_at_um)
        kwargs["D_conductivity"] = 2 * math.pi * f0 * material.epsilon_imag / material.epsilon_inf
    return mp.Medium(**kwargs)


def _v(p: tuple[float, float, float] | list[float]) -> Any:
    return mp.Vector3(*(UNITS.length_mu(c) for c in p))


def shape_to_meep(shape: Shape, dimensions: str, medium: Any) -> Any:
    axis_vec = {"x": mp.Vector3(1, 0, 0), "y": mp.Vector3(0, 1, 0), "z": mp.Vector3(0, 0, 1)}
    if dimensions == "cylindrical":
        # Meep's cylindrical cell is the (r, z) half-plane: build everything as r-z blocks.
        if isinstance(shape, Layer):
            zc = 0.5 * (shape.z_min_um + shape.z_max_um)
            return mp.Block(center=mp.Vector3(LAYER_EXTENT_MU / 2, 0, UNITS.length_mu(zc)),
                            size=mp.Vector3(LAYER_EXTENT_MU, mp.inf,
                                            UNITS.length_mu(shape.z_max_um - shape.z_min_um)),
                            material=medium)
        if isinstance(shape, Cylinder) and shape.top_radius_um is None:
            r = UNITS.length_mu(shape.radius_um)
            return mp.Block(center=mp.Vector3(r / 2, 0, UNITS.length_mu(shape.center_um[2])),
                            size=mp.Vector3(r, mp.inf, UNITS.length_mu(shape.height_um)),
                            material=medium)
        if isinstance(shape, Sphere):
            return mp.Sphere(center=mp.Vector3(0, 0, UNITS.length_mu(shape.center_um[2])),
                             radius=UNITS.length_mu(shape.radius_um), material=medium)
        if isinstance(shape, Cylinder):  # cone on the axis: Meep's Cone in the (r, z) plane
            return mp.Cone(center=mp.Vector3(0, 0, UNITS.length_mu(shape.center_um[2])),
                           radius=UNITS.length_mu(shape.radius_um),
                           radius2=UNITS.length_mu(shape.top_radius_um or 0.0),
                           height=UNITS.length_mu(shape.height_um), axis=mp.Vector3(0, 0, 1),
                           material=medium)
        raise SimulationError(f"{shape.type} cannot be represented in cylindrical coordinates")
    if isinstance(shape, Layer):
        zc = 0.5 * (shape.z_min_um + shape.z_max_um)
        if dimensions == "2d":
            raise SimulationError(
                "a Layer (infinite in x and y) has no meaning in a 2D (x, y) simulation; use a "
                "Block for the cross-section instead."
            )
        return mp.Block(center=mp.Vector3(0, 0, UNITS.length_mu(zc)),
                        size=mp.Vector3(mp.inf, mp.inf,
                                        UNITS.length_mu(shape.z_max_um - shape.z_min_um)),
                        material=medium)
    if isinstance(shape, Block):
        return mp.Block(center=_v(shape.center_um), size=_v(shape.size_um), material=medium)
    if isinstance(shape, Sphere):
        return mp.Sphere(center=_v(shape.center_um), radius=UNITS.length_mu(shape.radius_um),
                         material=medium)
    if isinstance(shape, Cylinder):
        if shape.top_radius_um is None:
            return mp.Cylinder(center=_v(shape.center_um),
                               radius=UNITS.length_mu(shape.radius_um),
                               height=UNITS.length_mu(shape.height_um), axis=axis_vec[shape.axis],
                               material=medium)
        return mp.Cone(center=_v(shape.center_um), radius=UNITS.length_mu(shape.radius_um),
                       radius2=UNITS.length_mu(shape.top_radius_um),
                       height=UNITS.length_mu(shape.height_um), axis=axis_vec[shape.axis],
                       material=medium)
    raise SimulationError(f"unknown shape type {type(shape).__name__}")


# -- cell layout ------------------------------------------------------------------------------
def even_pixels(length_um: float, resolution: float) -> int:
    """Number of pixels for a length, rounded up to an even integer (origin on a grid node)."""
    n = math.ceil(round(length_um * resolution, 6))
    return n + (n % 2)


class _Layout:
    """Cell, PML and monitor geometry in Meep units for one structure."""

    def __init__(self, structure: Structure, config: SimConfig) -> None:
        self.dims = structure.dimensions
        res = config.resolution_px_per_um
        self.res = UNITS.resolution_mu(px_per_um=res)
        self.dx = 1.0 / self.res
        self.pml = UNITS.length_mu(config.pml_um)
        self.boundary_layer = config.boundary_layer
        sx, sy, sz = structure.cell_size_um
        if self.dims == "cylindrical":
            # r from 0 to R; interior R rounded to whole pixels (r grid starts at the axis)
            self.interior = (math.ceil(round(sx / 2 * res, 6)) / self.res, 0.0,
                             even_pixels(sz, res) / self.res)
        elif self.dims == "2d":
            self.interior = (even_pixels(sx, res) / self.res, even_pixels(sy, res) / self.res, 0.0)
        else:
            self.interior = tuple(even_pixels(s, res) / self.res for s in (sx, sy, sz))
        self.pml_axes = [b == "pml" for b in structure.boundaries]

    def cell(self) -> Any:
        ix, iy, iz = self.interior
        px, py, pz = (self.pml if p else 0.0 for p in self.pml_axes)
        if self.dims == "cylindrical":
            return mp.Vector3(ix + px, 0, iz + 2 * pz)
        if self.dims == "2d":
            return mp.Vector3(ix + 2 * px, iy + 2 * py, 0)
        return mp.Vector3(ix + 2 * px, iy + 2 * py, iz + 2 * pz)

    def boundary_layers(self) -> list[Any]:
        layer = mp.Absorber if self.boundary_layer == "absorber" else mp.PML
        out = []
        if self.dims == "cylindrical":
            if self.pml_axes[0]:
                out.append(layer(self.pml, direction=mp.R))
            if self.pml_axes[2]:
                out.append(layer(self.pml, direction=mp.Z))
            return out
        axes = [mp.X, mp.Y] + ([] if self.dims == "2d" else [mp.Z])
        for axis, use in zip(axes, self.pml_axes, strict=False):
            if use:
                out.append(layer(self.pml, direction=axis))
        return out

    def margin(self) -> float:
        return 2 * self.dx

    def box_half(self) -> tuple[float, float, float]:
        """Half-sizes of the flux box (interior shrunk by a margin)."""
        ix, iy, iz = self.interior
        m = self.margin()
        if self.dims == "cylindrical":
            return (ix - m, 0.0, iz / 2 - m)
        return (ix / 2 - m, iy / 2 - m, iz / 2 - m if self.dims == "3d" else 0.0)


# -- the run ------------------------------------------------------------------------------------
HARMINV_MIN_Q = 2.0
PROBE_PERIODS = 10.0
"""Ring-down periods before the first Harminv pass that places the mode-volume DFT."""


def _modes(found: Any) -> tuple[Mode, ...]:
    return tuple(
        Mode(wavelength_um=UNITS.wavelength_um(frequency_mu=float(np.real(md.freq))),
             quality_factor=float(np.real(md.Q)), amplitude_abs=float(abs(md.amp)),
             harminv_error=float(abs(md.err)))
        for md in found if md.freq > 0
    )
POLE_STABILITY = 1.5
"""Bound on 2π f_eff Δt for each Lorentzian pole, f_eff = f_n √(1 + σ/ε∞). The leapfrog
update of a Lorentz oscillator is unstable above 2 (undamped); the UV poles of Sellmeier fits
(SiO2, Si3N4) and Rakić's 20 eV pole of Ag exceed it at 20 px/µm with Courant 0.5, which is
why such runs diverged (measured here); 1.5 leaves margin."""


def stable_courant(structure: Structure, config: SimConfig) -> float:
    """The configured Courant factor, lowered if a Lorentzian pole would be unstable."""
    f_eff = 0.0
    materials = [structure.background, *(s.material for s in structure.shapes)]
    for mat in materials:
        for p in mat.poles:
            if p.kind != "lorentzian" or p.sigma <= 0:
                continue
            f = UNITS.frequency_mu_from_ev(p.frequency_ev)
            f_eff = max(f_eff, f * math.sqrt(1 + p.sigma / mat.epsilon_inf))
    if f_eff == 0.0:
        return config.courant
    res = UNITS.resolution_mu(px_per_um=config.resolution_px_per_um)
    limit = POLE_STABILITY * res / (2 * math.pi * f_eff)
    return min(config.courant, limit)


def _component(dims: str, orientation: str) -> tuple[Any, int | None]:
    if dims == "cylindrical":
        return (mp.Ez, 0) if orientation == "z" else (mp.Er, 1)
    return {"x": mp.Ex, "y": mp.Ey, "z": mp.Ez}[orientation], None


def _source_position(structure: Structure, layout: _Layout) -> tuple[float, float, float]:
    p = [UNITS.length_mu(c) for c in structure.emitter_position_um]
    if layout.dims == "cylindrical":
        p[0] = CYL_RING_RADIUS_PX * layout.dx if structure.dipole_orientation != "z" else 0.0
        p[1] = 0.0
    if layout.dims == "2d":
        p[2] = 0.0
    return (p[0], p[1], p[2])


def _flux_regions(layout: _Layout) -> list[Any]:
    hx, hy, hz = layout.box_half()
    if layout.dims == "cylindrical":
        return [
            mp.FluxRegion(center=mp.Vector3(hx / 2, 0, hz), size=mp.Vector3(hx, 0, 0)),
            mp.FluxRegion(center=mp.Vector3(hx / 2, 0, -hz), size=mp.Vector3(hx, 0, 0),
                          weight=-1),
            mp.FluxRegion(center=mp.Vector3(hx, 0, 0), size=mp.Vector3(0, 0, 2 * hz)),
        ]
    regions = []
    half = (hx, hy, hz)
    axes = (0, 1) if layout.dims == "2d" else (0, 1, 2)
    for a in axes:
        for sign in (1, -1):
            c = [0.0, 0.0, 0.0]
            c[a] = sign * half[a]
            s = [2 * h for h in half]
            s[a] = 0.0
            if layout.dims == "2d":
                s[2] = 0.0
            regions.append(mp.FluxRegion(center=mp.Vector3(*c), size=mp.Vector3(*s),
                                         weight=float(sign)))
    return regions


def _plane_volume(layout: _Layout, direction: str) -> Any:
    hx, hy, hz = layout.box_half()
    z = hz if direction == "up" else -hz
    if layout.dims == "cylindrical":
        return mp.Volume(center=mp.Vector3(hx / 2, 0, z), size=mp.Vector3(hx, 0, 0))
    return mp.Volume(center=mp.Vector3(0, 0, z), size=mp.Vector3(2 * hx, 2 * hy, 0))


def _interior_volume(layout: _Layout) -> Any:
    hx, hy, hz = layout.box_half()
    m = layout.margin()
    if layout.dims == "cylindrical":
        return mp.Volume(center=mp.Vector3((hx + m) / 2, 0, 0), size=mp.Vector3(hx + m, 0,
                                                                                2 * (hz + m)))
    if layout.dims == "2d":
        return mp.Volume(center=mp.Vector3(), size=mp.Vector3(2 * (hx + m), 2 * (hy + m), 0))
    return mp.Volume(center=mp.Vector3(), size=mp.Vector3(2 * (hx + m), 2 * (hy + m),
                                                          2 * (hz + m)))


class _Progress:
    def __init__(self, label: str, interval_s: float, t_cap: float, comp: Any, pt: Any) -> None:
        self.label, self.interval_s, self.t_cap = label, interval_s, t_cap
        self.comp, self.pt = comp, pt
        self.start = time.monotonic()
        self.last = self.start
        self.history: list[float] = []  # |E|² at the emitter, one sample per optical period

    def __call__(self, sim: Any) -> None:
        value = sim.get_field_point(self.comp, self.pt)
        if not np.isfinite(value) or abs(value) > 1e100:
            raise SimulationDiverged(
                f"fields became {value} at the emitter at t = {UNITS.time_fs(sim.meep_time()):.1f}"
                f" fs: the simulation diverged. {DIVERGENCE_HINT}"
            )
        self.history.append(abs(value) ** 2)
        now = time.monotonic()
        if self.interval_s > 0 and now - self.last >= self.interval_s:
            self.last = now
            frac = min(1.0, sim.meep_time() / self.t_cap)
            print(f"[{self.label}] t = {UNITS.time_fs(sim.meep_time()):9.1f} fs "
                  f"(<= {100 * frac:5.1f}% of the time cap), {now - self.start:7.1f} s elapsed, "
                  f"|E|² at emitter {abs(value) ** 2:.3e}", file=sys.stderr, flush=True)


    def decayed(self, *, window: int, decay_by: float) -> bool:
        """True when max |E|² over the last ``window`` samples < decay_by × the run's maximum."""
        if len(self.history) < 2 * window:
            return False
        return max(self.history[-window:]) < decay_by * max(self.history)


def run(structure: Structure, config: SimConfig, *, label: str = "meep",
        want_modes: bool = True) -> RawRun:
    """Simulate one structure and return the raw (un-normalised) measurements."""
    t_wall = time.monotonic()
    mp.verbosity(0)
    layout = _Layout(structure, config)
    dims = layout.dims
    comp, m = _component(dims, structure.dipole_orientation)
    src_pos = _source_position(structure, layout)
    f_min = UNITS.frequency_mu(wavelength_um=structure.wavelength_max_um)
    f_max = UNITS.frequency_mu(wavelength_um=structure.wavelength_min_um)
    fcen, df = 0.5 * (f_min + f_max), f_max - f_min
    src_df = 1.5 * df  # the Gaussian covers the window with margin
    pulse = mp.GaussianSource(frequency=fcen, fwidth=src_df)
    pt = mp.Vector3(*src_pos)
    sources = [mp.Source(pulse, component=comp, center=pt)]
    if dims == "cylindrical" and m == 1:
        sources.append(mp.Source(pulse, component=mp.Ep, center=pt, amplitude=1j))

    warnings: list[str] = []
    if dims == "cylindrical" and m == 1:
        n_em = structure.emitter_index()
        kr0 = 2 * math.pi * n_em * src_pos[0] / UNITS.length_mu(structure.wavelength_min_um)
        if kr0 > 0.35:
            warnings.append(
                f"in-plane dipole in cylindrical coordinates: the ring source radius r0 = "
                f"{1e3 * UNITS.length_um(src_pos[0]):.0f} nm (1.5 Δr) gives k·r0 = {kr0:.2f} > 0.35,"
                " so it radiates measurably unlike a point dipole (collection efficiency off by "
                "~8 % at k·r0 = 0.6, ~2 % at 0.3). Raise the resolution."
            )
    symmetries: list[Any] = []
    sym_names: list[str] = []
    if config.symmetries == "auto":
        axis_map = {"x": mp.X, "y": mp.Y, "z": mp.Z}
        for axis, phase in structure.mirror_symmetries():
            symmetries.append(mp.Mirror(axis_map[axis], phase=phase))
            sym_names.append(f"mirror_{axis}({phase:+d})")

    geometry = [shape_to_meep(s, dims, material_to_meep(s.material)) for s in structure.shapes]
    courant = stable_courant(structure, config)
    if courant < config.courant:
        warnings.append(
            f"Courant factor lowered from {config.courant:g} to {courant:.3g} so that every "
            f"Lorentzian pole is stable at {config.resolution_px_per_um:g} px/µm "
            f"(2π f_eff Δt ≤ {POLE_STABILITY:g}); the run takes "
            f"{config.courant / courant:.2g}x more steps. A finer grid would also do.")
    kwargs: dict[str, Any] = {}
    if dims == "cylindrical":
        kwargs.update(dimensions=mp.CYLINDRICAL, m=m)
    elif dims == "2d":
        kwargs.update(dimensions=2)
    sim = mp.Simulation(
        cell_size=layout.cell(), resolution=layout.res, geometry=geometry, sources=sources,
        default_material=material_to_meep(structure.background),
        boundary_layers=layout.boundary_layers(), symmetries=symmetries,
        eps_averaging=config.eps_averaging, Courant=courant,
        force_complex_fields=(dims == "cylindrical"), **kwargs,
    )
    freqs = np.linspace(f_min, f_max, config.n_freqs)
    flux_freqs = np.linspace(f_min, f_max, config.n_freqs_flux)
    ldos = mp.Ldos(freqs) if hasattr(mp, "Ldos") else mp._dft_ldos(freqs)
    box = sim.add_flux(flux_freqs, *_flux_regions(layout))
    plane = None
    want_collection = config.compute_collection and dims != "2d"
    if want_collection:
        comps = [mp.Er, mp.Ep, mp.Hr, mp.Hp] if dims == "cylindrical" else [mp.Ex, mp.Ey, mp.Hx,
                                                                             mp.Hy]
        plane = sim.add_dft_fields(comps, flux_freqs,
                                   where=_plane_volume(layout, structure.collection_direction))

    period = 1.0 / fcen
    t_cap = config.max_periods * period
    progress = _Progress(label, config.progress_interval_s, t_cap, comp, pt)
    harminv = mp.Harminv(comp, pt, fcen, src_df) if want_modes else None
    if harminv is not None:
        # Meep discards modes with Q < 50 by default, which hides plasmonic and Mie
        # resonances (Q ~ 5-30); keep everything with Q > 2 and let select_mode decide.
        harminv.Q_thresh = HARMINV_MIN_Q
    def _check(s: Any) -> None:
        progress(s)

    step_funcs: list[Any] = [mp.dft_ldos(ldos=ldos), mp.at_every(period, _check)]

    t_meep = time.monotonic()
    # phase 1a: source on + a short ring-down; a first Harminv pass on it locates the
    # resonance, and the volume DFT for the mode volume starts right then, while even a low-Q
    # mode (Q ~ 10-50, gone after ~Q/3 periods) still rings.
    # phase 1b: the rest of the ring-down for the final Harminv analysis (both phases' data).
    probe_periods = min(PROBE_PERIODS, config.harminv_periods)
    probe = mp.Harminv(comp, pt, fcen, src_df) if want_modes else None
    if probe is not None:
        probe.Q_thresh = HARMINV_MIN_Q
    if want_modes:
        phase1 = step_funcs + [mp.after_sources(harminv), mp.after_sources(probe)]
        sim.run(*phase1, until_after_sources=probe_periods * period)
    else:
        # a reference (no modes wanted): straight to the decay check once the source is off
        sim.run(*step_funcs, until_after_sources=0)
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    vol_dft = None
    if want_modes and config.compute_mode_volume:
        early = _modes(probe.modes)
        early_sel = analysis.select_mode(early, target_um=structure.target_um, window_um=window)
        if early_sel is not None:
            f_res = UNITS.frequency_mu(wavelength_um=early[early_sel].wavelength_um)
            ecomps = [mp.Er, mp.Ep, mp.Ez] if dims == "cylindrical" else [mp.Ex, mp.Ey, mp.Ez]
            vol_dft = sim.add_dft_fields(ecomps, [f_res], where=_interior_volume(layout))
    rest = config.harminv_periods - probe_periods
    if want_modes and rest > 0:
        sim.run(*step_funcs, harminv, until=rest * period)
    t_source = sim.meep_time() - (config.harminv_periods * period if want_modes else 0.0)
    modes = _modes(harminv.modes) if harminv is not None else ()
    selected = analysis.select_mode(modes, target_um=structure.target_um, window_um=window)
    if vol_dft is not None and selected is not None:
        f_dft = UNITS.frequency_mu(wavelength_um=early[early_sel].wavelength_um)
        f_fin = UNITS.frequency_mu(wavelength_um=modes[selected].wavelength_um)
        width = f_fin / (2 * abs(modes[selected].quality_factor))
        if abs(f_dft - f_fin) > width:
            warnings.append(
                f"the mode-volume DFT ran at {1e3 * early[early_sel].wavelength_um:.2f} nm (first "
                f"Harminv pass), {abs(f_dft - f_fin) / width:.2g} half-widths from the final "
                f"resonance {1e3 * modes[selected].wavelength_um:.2f} nm: V may be off.")
    # phase 2: until the field at the emitter has decayed (or the time cap)
    stop = {"reason": "fields decayed"}
    window = max(2, int(round(config.decay_check_periods)))

    def until(s: Any) -> bool:
        if s.meep_time() - t_source >= t_cap:
            stop["reason"] = "time cap"
            return True
        return progress.decayed(window=window, decay_by=config.decay_by)

    # at least a few periods so the V-DFT accumulates
    sim.run(*step_funcs, until=10 * period)
    sim.run(*step_funcs, until=until)
    meep_time_s = time.monotonic() - t_meep
    if stop["reason"] == "time cap":
        warnings.append(
            f"run stopped at the time cap ({config.max_periods:g} periods after the source) "
            "before the field at the emitter decayed by decay_by: the LDOS spectrum of a "
            "long-lived mode is not converged (Harminv's Q still is). Raise max_periods."
        )
    ldos_values = np.asarray(sim.ldos_data, dtype=float)
    if not np.all(np.isfinite(ldos_values)):
        raise SimulationDiverged(f"the LDOS spectrum contains NaN/inf. {DIVERGENCE_HINT}")
    box_flux = np.asarray(mp.get_fluxes(box), dtype=float)

    plane_flux = plane_coll = None
    if plane is not None:
        plane_flux, plane_coll = _collection(sim, plane, layout, structure, flux_freqs, m)
    mode_vol = fmap = None
    if vol_dft is not None and selected is not None:
        mode_vol, fmap, vwarn = _mode_volume(sim, vol_dft, layout, structure, modes[selected],
                                             src_pos, m)
        warnings.extend(vwarn)
    prov = Provenance(
        dimensions=dims, resolution_px_per_um=config.resolution_px_per_um,
        cell_size_um=tuple(UNITS.length_um(c) for c in (layout.cell().x, layout.cell().y,
                                                        layout.cell().z)),
        pml_um=config.pml_um, symmetries=tuple(sym_names), cylindrical_m=m,
        source_offset_um=tuple(UNITS.length_um(c) for c in src_pos),
        meep_version=str(getattr(mp, "__version__", "unknown")), mpi_ranks=mp.count_processors(),
        time_steps=int(round(sim.meep_time() / sim.fields.dt)),
        sim_time_fs=UNITS.time_fs(sim.meep_time()), wall_time_s=time.monotonic() - t_wall,
        meep_time_s=meep_time_s, stop_reason=stop["reason"],
    )
    return RawRun(
        freqs_mu=tuple(freqs.tolist()), ldos=tuple(ldos_values.tolist()),
        flux_freqs_mu=tuple(flux_freqs.tolist()), box_flux=tuple(box_flux.tolist()),
        plane_flux=None if plane_flux is None else tuple(plane_flux),
        plane_collected=None if plane_coll is None else tuple(plane_coll),
        modes=modes, selected_mode=selected, mode_volume=mode_vol, provenance=prov,
        warnings=tuple(warnings), field_map=fmap,
    )


def _collection(sim: Any, plane: Any, layout: _Layout, structure: Structure,
                flux_freqs: np.ndarray, m: int | None) -> tuple[list[float], list[float]]:
    sign = 1.0 if structure.collection_direction == "up" else -1.0
    totals, collected = [], []
    for i, f in enumerate(flux_freqs):
        k0 = 2 * math.pi * f
        if layout.dims == "cylindrical":
            er, ep, hr, hp = (np.ravel(sim.get_dft_array(plane, c, i))
                              for c in (mp.Er, mp.Ep, mp.Hr, mp.Hp))
            r = (np.arange(er.size) + 0.5) * layout.dx
            tot = analysis.plane_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=layout.dx)
            col = analysis.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r,
                                                       dr=layout.dx, m=int(m or 0), k0=k0,
                                                       na=structure.collection_na)
        else:
            ex, ey, hx, hy = (np.atleast_2d(sim.get_dft_array(plane, c, i))
                              for c in (mp.Ex, mp.Ey, mp.Hx, mp.Hy))
            tot = analysis.plane_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=layout.dx,
                                                 dy=layout.dx)
            col = analysis.collected_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=layout.dx,
                                                     dy=layout.dx, k0=k0,
                                                     na=structure.collection_na)
        totals.append(sign * tot)
        collected.append(sign * col)
    return totals, collected


def _mode_volume(sim: Any, dft: Any, layout: _Layout, structure: Structure, mode: Mode,
                 src_pos: tuple[float, float, float], m: int | None
                 ) -> tuple[ModeVolume | None, FieldMap | None, list[str]]:
    warnings: list[str] = []
    f = UNITS.frequency_mu(wavelength_um=mode.wavelength_um)
    vol = _interior_volume(layout)
    dims = layout.dims
    comps = [mp.Er, mp.Ep, mp.Ez] if dims == "cylindrical" else [mp.Ex, mp.Ey, mp.Ez]
    fields = [np.asarray(sim.get_dft_array(dft, c, 0)) for c in comps]
    eps = np.real(np.asarray(sim.get_array(component=mp.Dielectric, vol=vol, frequency=f)))
    # components that are identically zero by symmetry (e.g. E_x, E_y of a 2D TM run) come
    # back empty
    fields = [a if a.ndim else np.zeros(eps.shape, dtype=complex) for a in fields]
    if any(a.shape != eps.shape for a in fields):
        return None, None, [f"mode volume skipped: DFT arrays {[a.shape for a in fields]} and ε "
                      f"{eps.shape} differ in shape."]
    e2 = sum(np.abs(a) ** 2 for a in fields)
    n_em = structure.emitter_index()
    dipole = structure.dipole_orientation
    if dims == "cylindrical":
        # arrays are indexed [z, r] (Meep 1.25), r at (i + 1/2) Δr
        nz, nr = eps.shape
        r = (np.arange(nr) + 0.5) * layout.dx
        z = (np.arange(nz) + 0.5) * layout.dx - nz * layout.dx / 2
        weights = 2 * math.pi * r[None, :] * layout.dx**2
        iz = int(np.argmin(np.abs(z - src_pos[2])))
        # on the axis: m=0 -> E_z; m=+1 -> the (circular) in-plane field, all of |E|²
        em_e2 = float(np.abs(fields[2][iz, 0]) ** 2) if m == 0 else float(e2[iz, 0])
        coords = [z[:, None] * 0 + r[None, :], np.zeros_like(e2), z[:, None] + 0 * r[None, :]]
        fmap = _field_map("rz", r, z, (eps * e2), eps)
    else:
        x, y, zc, w = sim.get_array_metadata(dft_cell=dft)
        weights = w
        axes = [np.asarray(x), np.asarray(y)] + ([np.asarray(zc)] if dims == "3d" else [])
        comp_index = {"x": 0, "y": 1, "z": 2}[dipole]
        em_e2 = _interp_at(fields[comp_index], axes, src_pos)
        grids = np.meshgrid(*axes, indexing="ij")
        coords = grids + ([np.zeros_like(e2)] if dims == "2d" else [])
        if dims == "2d":  # arrays [x, y]
            fmap = _field_map("xy", axes[0], axes[1], (eps * e2).T, eps.T)
        else:  # arrays [x, y, z]: the x-z plane through the emitter
            j = int(np.argmin(np.abs(axes[1] - src_pos[1])))
            fmap = _field_map("xz", axes[0], axes[2], (eps * e2)[:, j, :].T, eps[:, j, :].T)
    if np.any(eps < 0):
        warnings.append(
            "mode volume: the structure contains metal (Re ε < 0), where ε|E|² is not an energy "
            "density; V counts the field energy outside the metal only. For plasmonic cavities "
            "use the LDOS Purcell factor, not Q/V (Koenderink, Opt. Lett. 35, 4208 (2010))."
        )
    v_peak, v_em, ipk = analysis.mode_volume(eps=eps, e2=e2, weights=weights,
                                             emitter_eps=n_em**2, emitter_e2=em_e2)
    peak_pos = tuple(float(np.ravel(c)[ipk]) for c in coords)
    lam = mode.wavelength_um
    unit = (lam / n_em)
    if dims == "2d":
        return ModeVolume(wavelength_um=lam, refractive_index=n_em,
                          peak_area_um2=UNITS.area_um2(v_peak),
                          emitter_area_um2=UNITS.area_um2(v_em),
                          peak_area_lambda_n2=UNITS.area_um2(v_peak) / unit**2,
                          emitter_area_lambda_n2=UNITS.area_um2(v_em) / unit**2,
                          peak_position_um=peak_pos), fmap, warnings
    return ModeVolume(wavelength_um=lam, refractive_index=n_em,
                      peak_volume_um3=UNITS.volume_um3(v_peak),
                      emitter_volume_um3=UNITS.volume_um3(v_em),
                      peak_volume_lambda_n3=UNITS.volume_um3(v_peak) / unit**3,
                      emitter_volume_lambda_n3=UNITS.volume_um3(v_em) / unit**3,
                      peak_position_um=peak_pos), fmap, warnings


def _field_map(plane: str, h: np.ndarray, v: np.ndarray, energy: np.ndarray,
               eps: np.ndarray) -> FieldMap:
    """Downsample a [v, h] map to at most FIELD_MAP_MAX_PX per axis, normalise to its max."""
    sh = max(1, math.ceil(len(h) / FIELD_MAP_MAX_PX))
    sv = max(1, math.ceil(len(v) / FIELD_MAP_MAX_PX))
    en = np.abs(energy[::sv, ::sh])
    peak = float(en.max()) if en.size and en.max() > 0 else 1.0
    def rows(a: np.ndarray) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(x) for x in row) for row in np.round(a, 6))
    return FieldMap(plane=plane, h_um=tuple(UNITS.length_um(float(x)) for x in h[::sh]),
                    v_um=tuple(UNITS.length_um(float(x)) for x in v[::sv]),
                    energy=rows(en / peak), epsilon=rows(np.real(eps[::sv, ::sh])))


def _interp_at(field: np.ndarray, axes: list[np.ndarray], point: tuple[float, ...]) -> float:
    """|field|² at a point by multilinear interpolation of the complex field on the grid."""
    from scipy.interpolate import RegularGridInterpolator

    f = np.asarray(field)
    pts = list(axes)
    if any(len(a) < 2 for a in pts):
        idx = tuple(int(np.argmin(np.abs(a - point[i]))) for i, a in enumerate(pts))
        return float(np.abs(f[idx]) ** 2)
    interp = RegularGridInterpolator(pts, f, bounds_error=False, fill_value=None)
    return float(np.abs(interp([point[: len(pts)]])[0]) ** 2)
