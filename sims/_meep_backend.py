"""Meep adapter: Structure + SimConfig -> mp.Simulation -> RawRun.

The ``sims._meep_*`` modules are the only ones that import Meep, and ``mp.*`` objects never
leave them: :mod:`sims._meep_geometry` (materials, shapes, cell and monitor regions),
:mod:`sims._meep_postprocess` (collection plane, mode volume) and this module (sources,
symmetries, time step, monitors, run control, provenance). Runs inside a fresh process or a
forked copy of a Meep-loaded worker (:mod:`sims._child`, :mod:`sims._worker`).

Set-up choices, each validated by a test in ``tests/sims_tests``:
* The cell interior (PML excluded) is rounded up to an even number of pixels per axis, so the
  origin is a grid node in every run; the host reference run places its source at the same
  sub-pixel offset, so discretisation errors cancel in the ratio.
* Cylindrical in-plane dipole (m = +1): Meep 1.25 mis-handles an E_r point source at r = 0
  (upstream issue 2704). We use a ring current at r0 = 1.5 Δr with E_r = 1, E_φ = i, which is a
  uniform (circularly polarised) in-plane current near the axis; the homogeneous-host reference
  uses the same ring, so the ratio is the LDOS enhancement of an in-plane dipole on the axis.
* Cylindrical, emitter off the axis at r0 (``Structure.cylindrical_m`` set by
  :mod:`sims.azimuthal_sum`): one harmonic e^{imφ} of the point dipole, a point source of E_r
  (``"x"``, radial), E_φ (``"y"``) or E_z at (r0, 0, z) with that m (Meep's tutorial
  "Nonaxisymmetric dipole sources"); the host reference runs the same ring and m.
* Run control: the source pulse, then at least ``harminv_periods`` of ring-down, then until the
  running LDOS spectrum has converged (``ldos_tolerance``) or the oscillating part of the field
  at the emitter has decayed by ``decay_by`` from its post-pulse maximum
  (:mod:`sims.ring_down`), or the time cap. Harminv analyses the whole
  ring-down; a first Harminv pass after ``PROBE_PERIODS`` places the mode-volume DFT.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import meep as mp
import numpy as np

from cavities.structure import Structure
from sims import analysis
from sims._meep_geometry import (
    UNITS,
    Layout,
    flux_regions,
    interior_volume,
    material_to_meep,
    plane_volume,
    shape_to_meep,
)
from sims._meep_ldos_tail import LdosLimit, LdosTail
from sims._meep_far_field import add_face_monitors, far_field_powers, wants_far_field
from sims._meep_postprocess import collection, mode_volume_of
from sims.compatibility import drude_layers
from sims.config import CYL_RING_RADIUS_PX, SimConfig
from sims.errors import DIVERGENCE_HINT, SimulationDiverged
from sims.grid import POLE_STABILITY, stable_courant
from sims.results import Mode, Provenance, RawRun
from sims.ring_down import SAMPLES_PER_PERIOD, FieldDecay
from sims.z_smoothing import z_face_slabs

HARMINV_MIN_Q = 2.0
PROBE_PERIODS = 10.0
"""Ring-down periods before the first Harminv pass that places the mode-volume DFT."""
NEAR_AXIS_COURANT = 0.9
"""Cylindrical harmonics m > 1: Courant factor NEAR_AXIS_COURANT / (m + 0.5), with Meep's
accurate fields near the axis."""
TAIL_MIN_PERIODS = 40.0
TAIL_MAX_PERIODS = 400.0
TAIL_START_PERIODS = 5.0
"""The LDOS extrapolation (sims.spectral_tail) fits the last half of the ring-down so far, at
least the last TAIL_MIN_PERIODS and at most TAIL_MAX_PERIODS, never the first
TAIL_START_PERIODS after the source: a window that grows with the run, so that a resonance of
Q ~ 2π × window periods is still measured, and that leaves out the early ring-down whose fast
(Q ~ 10) transients Harminv does not resolve (fitting from 5 periods on left a misfit of
0.7-5e-3 of the LDOS maximum on the bullseye, the last 40 periods 5e-5)."""


def _modes(found: Any) -> tuple[Mode, ...]:
    return tuple(
        Mode(wavelength_um=UNITS.wavelength_um(frequency_mu=float(np.real(md.freq))),
             quality_factor=float(np.real(md.Q)), amplitude_abs=float(abs(md.amp)),
             harminv_error=float(abs(md.err)))
        for md in found if md.freq > 0
    )


def _component(structure: Structure) -> tuple[Any, int | None]:
    orientation = structure.dipole_orientation
    if structure.dimensions == "cylindrical":
        if structure.emitter_position_um[0] > 0:  # one harmonic of an off-axis dipole
            comp = {"x": mp.Er, "y": mp.Ep, "z": mp.Ez}[orientation]
            return comp, int(structure.cylindrical_m or 0)
        return (mp.Ez, 0) if orientation == "z" else (mp.Er, 1)
    return {"x": mp.Ex, "y": mp.Ey, "z": mp.Ez}[orientation], None


def _on_axis_ring(structure: Structure, setup: _Setup) -> bool:
    """The in-plane dipole on the axis, run as a small circular ring (upstream issue 2704)."""
    return (setup.layout.dims == "cylindrical" and setup.m == 1
            and structure.emitter_position_um[0] == 0)


def _source_position(structure: Structure, layout: Layout, config: SimConfig
                     ) -> tuple[float, float, float]:
    p = [UNITS.length_mu(c) for c in structure.emitter_position_um]
    if layout.dims == "cylindrical" and p[0] == 0:
        ring = (CYL_RING_RADIUS_PX * layout.dx if config.ring_source_radius_um is None
                else UNITS.length_mu(config.ring_source_radius_um))
        p[0] = ring if structure.dipole_orientation != "z" else 0.0
        p[1] = 0.0
    if layout.dims == "2d":
        p[2] = 0.0
    return (p[0], p[1], p[2])


class _Progress:
    """The field at the emitter, SAMPLES_PER_PERIOD times per optical period: divergence check,
    the decay test (:class:`sims.ring_down.FieldDecay`) and progress lines."""

    def __init__(self, label: str, interval_s: float, t_cap: float, comp: Any, pt: Any,
                 decay: FieldDecay, tail: LdosTail | None = None) -> None:
        self.label, self.interval_s, self.t_cap = label, interval_s, t_cap
        self.comp, self.pt, self.decay, self.tail = comp, pt, decay, tail
        self.start = time.monotonic()
        self.last = self.start

    def __call__(self, sim: Any) -> None:
        value = sim.get_field_point(self.comp, self.pt)
        if not np.isfinite(value) or abs(value) > 1e100:
            raise SimulationDiverged(
                f"fields became {value} at the emitter at t = {UNITS.time_fs(sim.meep_time()):.1f}"
                f" fs: the simulation diverged. {DIVERGENCE_HINT}"
            )
        self.decay.add(sim.meep_time(), complex(value))
        if self.tail is not None:
            self.tail.record(sim.meep_time(), complex(value))
        now = time.monotonic()
        if self.interval_s > 0 and now - self.last >= self.interval_s and mp.am_master():
            self.last = now
            frac = min(1.0, sim.meep_time() / self.t_cap)
            print(f"[{self.label}] t = {UNITS.time_fs(sim.meep_time()):9.1f} fs "
                  f"(<= {100 * frac:5.1f}% of the time cap), {now - self.start:7.1f} s elapsed, "
                  f"|E|² at emitter {abs(value) ** 2:.3e}", file=sys.stderr, flush=True)


class _LdosConvergence:
    """Stop test on the quantity the run reports: the running LDOS spectrum (Meep's DFT so far)
    changes by less than ``tolerance`` × its maximum anywhere over two consecutive check
    windows. (Averaging the spectrum over ~3 nm before the test stops the bullseye 3x sooner,
    but its resonance then sat 5 nm off the converged one: the long-lived Q ~ 200 modes near it
    carry real LDOS.)"""

    def __init__(self, ldos: Any, tolerance: float) -> None:
        self.ldos, self.tolerance = ldos, tolerance
        self.previous: np.ndarray | None = None
        self.streak = 0

    def check(self, current: np.ndarray | None = None) -> bool:
        """Whether the spectrum (Meep's running LDOS, or ``current``) has converged."""
        if current is None:
            current = np.asarray(mp._dft_ldos_ldos(self.ldos), dtype=float)
        if self.previous is not None:
            scale = float(np.max(np.abs(current))) or 1.0
            change = float(np.max(np.abs(current - self.previous))) / scale
            self.streak = self.streak + 1 if change < self.tolerance else 0
        self.previous = current
        return self.streak >= 2


@dataclass
class _Setup:
    """What the run needs besides the mp.Simulation (all in Meep units)."""

    layout: Layout
    comp: Any
    m: int | None
    src_pos: tuple[float, float, float]
    fcen: float
    src_df: float
    courant: float
    symmetry_names: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def point(self) -> Any:
        return mp.Vector3(*self.src_pos)

    @property
    def period(self) -> float:
        return 1.0 / self.fcen


def _sources(structure: Structure, setup: _Setup) -> list[Any]:
    """The dipole: a Gaussian pulse covering the window with margin (1.5 × its width)."""
    pulse = mp.GaussianSource(frequency=setup.fcen, fwidth=setup.src_df)
    sources = [mp.Source(pulse, component=setup.comp, center=setup.point)]
    if _on_axis_ring(structure, setup):
        sources.append(mp.Source(pulse, component=mp.Ep, center=setup.point, amplitude=1j))
        n_em = structure.emitter_index()
        kr0 = (2 * math.pi * n_em * setup.src_pos[0]
               / UNITS.length_mu(structure.wavelength_min_um))
        if kr0 > 0.35:
            setup.warnings.append(
                f"in-plane dipole in cylindrical coordinates: the ring source radius r0 = "
                f"{1e3 * UNITS.length_um(setup.src_pos[0]):.0f} nm (1.5 Δr) gives k·r0 = "
                f"{kr0:.2f} > 0.35, so it radiates measurably unlike a point dipole (collection "
                "efficiency off by ~8 % at k·r0 = 0.6, ~2 % at 0.3). Raise the resolution.")
    return sources


def _symmetries(structure: Structure, config: SimConfig) -> tuple[list[Any], tuple[str, ...]]:
    if config.symmetries != "auto":
        return [], ()
    axis_map = {"x": mp.X, "y": mp.Y, "z": mp.Z}
    pairs = structure.mirror_symmetries()
    return ([mp.Mirror(axis_map[axis], phase=phase) for axis, phase in pairs],
            tuple(f"mirror_{axis}({phase:+d})" for axis, phase in pairs))


def _setup(structure: Structure, config: SimConfig) -> _Setup:
    layout = Layout(structure, config)
    comp, m = _component(structure)
    f_min = UNITS.frequency_mu(wavelength_um=structure.wavelength_max_um)
    f_max = UNITS.frequency_mu(wavelength_um=structure.wavelength_min_um)
    courant = stable_courant(structure, config)
    setup = _Setup(layout=layout, comp=comp, m=m, src_pos=_source_position(structure, layout, config),
                   fcen=0.5 * (f_min + f_max), src_df=1.5 * (f_max - f_min), courant=courant,
                   symmetry_names=())
    if layout.dims == "cylindrical" and m is not None and m > 1:
        # Meep zeroes D_r, D_z, B_r within |m| pixels of the axis unless
        # accurate_fields_near_cylorigin, which needs S ≲ 1/(|m| + 0.5) (Meep's docs); a
        # harmonic of a ring closer than m pixels would otherwise be silently dropped (measured:
        # nanocube ring at 5.6 px, m ≥ 6 gave exactly the host's LDOS) or diverge (vacuum ring
        # at 2 px, m = 2)
        setup.courant = min(setup.courant, NEAR_AXIS_COURANT / (m + 0.5))
        return setup
    if courant < config.courant:
        setup.warnings.append(
            f"Courant factor lowered from {config.courant:g} to {courant:.3g} so that every "
            f"Lorentzian pole is stable at {config.resolution_px_per_um:g} px/µm "
            f"(2π f_eff Δt ≤ {POLE_STABILITY:g}); the run takes "
            f"{config.courant / courant:.2g}x more steps. A finer grid would also do.")
    return setup


def _simulation(structure: Structure, config: SimConfig, setup: _Setup) -> Any:
    dims = setup.layout.dims
    symmetries, setup.symmetry_names = _symmetries(structure, config)
    kwargs: dict[str, Any] = {}
    if dims == "cylindrical":
        kwargs.update(dimensions=mp.CYLINDRICAL, m=setup.m,
                      accurate_fields_near_cylorigin=bool(setup.m and setup.m > 1))
    elif dims == "2d":
        kwargs.update(dimensions=2)
    geometry = [shape_to_meep(s, dims, material_to_meep(s.material)) for s in structure.shapes]
    if dims == "cylindrical" and config.eps_averaging:
        # Meep does not smooth z-normal faces in cylindrical coordinates: sims.z_smoothing
        for slab in z_face_slabs(structure, config.resolution_px_per_um):
            width = UNITS.length_mu(slab.r_max_um - slab.r_min_um)
            geometry.append(mp.Block(
                center=mp.Vector3(UNITS.length_mu(slab.r_min_um) + width / 2, 0,
                                  UNITS.length_mu(slab.z_center_um)),
                size=mp.Vector3(width, mp.inf, UNITS.length_mu(slab.thickness_um)),
                material=mp.Medium(epsilon=slab.epsilon)))
    return mp.Simulation(
        cell_size=setup.layout.cell(), resolution=setup.layout.res, geometry=geometry,
        sources=_sources(structure, setup),
        default_material=material_to_meep(structure.background),
        boundary_layers=setup.layout.boundary_layers(), symmetries=symmetries,
        eps_averaging=config.eps_averaging, Courant=setup.courant,
        force_complex_fields=(dims == "cylindrical"), **kwargs,
    )


@dataclass
class _Monitors:
    freqs: np.ndarray
    flux_freqs: np.ndarray
    ldos: Any
    box: Any
    plane: Any | None


def _monitors(sim: Any, structure: Structure, config: SimConfig, setup: _Setup) -> _Monitors:
    f_lo = UNITS.frequency_mu(wavelength_um=structure.wavelength_max_um)
    f_hi = UNITS.frequency_mu(wavelength_um=structure.wavelength_min_um)
    freqs = np.linspace(f_lo, f_hi, config.n_freqs)
    flux_freqs = np.linspace(f_lo, f_hi, config.n_freqs_flux)
    ldos = mp.Ldos(freqs) if hasattr(mp, "Ldos") else mp._dft_ldos(freqs)
    box = sim.add_flux(flux_freqs, *flux_regions(setup.layout))
    plane = None
    if config.compute_collection and setup.layout.dims != "2d":
        comps = ([mp.Er, mp.Ep, mp.Hr, mp.Hp] if setup.layout.dims == "cylindrical"
                 else [mp.Ex, mp.Ey, mp.Hx, mp.Hy])
        plane = sim.add_dft_fields(comps, flux_freqs, where=plane_volume(
            setup.layout, structure.collection_direction))
    return _Monitors(freqs=freqs, flux_freqs=flux_freqs, ldos=ldos, box=box, plane=plane)


@dataclass
class _RingDown:
    modes: tuple[Mode, ...]
    selected: int | None
    volume_dft: Any | None
    stop_reason: str
    meep_time_s: float
    limit: LdosLimit | None = None
    tail_s: float = 0.0
    ring_time_mu: float = 0.0  # Meep time from the end of the source to the stop


def _harminv(setup: _Setup) -> Any:
    h = mp.Harminv(setup.comp, setup.point, setup.fcen, setup.src_df)
    # Meep discards modes with Q < 50 by default, which hides plasmonic and Mie resonances
    # (Q ~ 5-30); keep everything with Q > 2 and let select_mode decide.
    h.Q_thresh = HARMINV_MIN_Q
    return h


def _ring_down(sim: Any, structure: Structure, config: SimConfig, setup: _Setup,
               mon: _Monitors, *, label: str, want_modes: bool) -> _RingDown:
    """Source pulse, then the ring-down until the field at the emitter decayed (or the cap)."""
    period = setup.period
    t_cap = config.max_periods * period
    window = max(2, int(round(config.decay_check_periods)))
    decay = FieldDecay(decay_by=config.decay_by, window_samples=window * SAMPLES_PER_PERIOD)
    tail = None
    if want_modes and config.ldos_extrapolation:
        tail = LdosTail(mon.ldos, mon.freqs,
                        band_mu=(setup.fcen - setup.src_df / 2, setup.fcen + setup.src_df / 2),
                        real_field=setup.layout.dims != "cylindrical",
                        keep_samples=int(TAIL_MAX_PERIODS * SAMPLES_PER_PERIOD))
    progress = _Progress(label, config.progress_interval_s, t_cap, setup.comp, setup.point, decay,
                         tail)

    def check(s: Any) -> None:  # Meep's step functions must be plain functions (it reads __code__)
        progress(s)

    step_funcs: list[Any] = [mp.dft_ldos(ldos=mon.ldos),
                             mp.at_every(period / SAMPLES_PER_PERIOD, check)]
    window_um = (structure.wavelength_min_um, structure.wavelength_max_um)
    t0 = time.monotonic()
    harminv = _harminv(setup) if want_modes else None
    vol_dft = None
    if want_modes:
        # a first Harminv pass on a short ring-down locates the resonance; the volume DFT for
        # the mode volume starts then, while even a low-Q mode (Q ~ 10-50) still rings.
        probe_periods = min(PROBE_PERIODS, config.harminv_periods)
        probe = _harminv(setup)
        sim.run(*step_funcs, mp.after_sources(harminv), mp.after_sources(probe),
                until_after_sources=probe_periods * period)
        t_source = sim.meep_time() - probe_periods * period
        early = _modes(probe.modes)
        pick = analysis.select_mode(early, target_um=structure.target_um, window_um=window_um)
        if config.compute_mode_volume and pick is not None:
            f_res = UNITS.frequency_mu(wavelength_um=early[pick].wavelength_um)
            comps = ([mp.Er, mp.Ep, mp.Ez] if setup.layout.dims == "cylindrical"
                     else [mp.Ex, mp.Ey, mp.Ez])
            vol_dft = (sim.add_dft_fields(comps, [f_res], where=interior_volume(setup.layout)),
                       early[pick])
        step_funcs.append(harminv)
    else:
        sim.run(*step_funcs, until_after_sources=0)
        t_source = sim.meep_time()
    stop: dict[str, Any] = {"reason": "fields decayed", "limit": None}
    t_min = config.harminv_periods * period if want_modes else 0.0
    converged = _LdosConvergence(mon.ldos, config.ldos_tolerance)
    limit_converged = _LdosConvergence(mon.ldos, config.ldos_tolerance)
    checks = {"next": t_source + t_min}
    # a metal Layer through the cylindrical PML is unstable over long runs (README "Near a
    # metal face"; planar stacks, a half-space): stop at the onset of the growth
    guard_regrowth = setup.layout.dims == "cylindrical" and bool(drude_layers(structure))

    def until(s: Any) -> bool:
        now = s.meep_time()
        elapsed = now - t_source
        if elapsed >= t_cap:
            stop["reason"] = "time cap"
            return True
        if elapsed < t_min or now < checks["next"]:
            return False
        checks["next"] = now + window * period
        if converged.check():
            stop["reason"] = "LDOS converged"
            return True
        if tail is not None:
            # the limit an infinitely long ring-down gives (sims.spectral_tail), trusted when
            # the resonances describe the recent ring-down to within the tolerance
            span = max(TAIL_MIN_PERIODS * period, 0.5 * elapsed)
            lim = tail.limit(since=max(t_source + TAIL_START_PERIODS * period, now - span))
            if (lim is not None and limit_converged.check(lim.ldos)
                    and lim.misfit < config.ldos_tolerance):
                stop["reason"], stop["limit"] = "LDOS limit converged (extrapolated)", lim
                return True
        # structure runs: the oscillating field decayed against its maximum after the source
        # (the static field a pulsed dipole leaves behind and the pulse's own near field are
        # excluded). Host reference runs have no mode to ring down: there the pulse is the
        # reference (measured: a PMMA host at 150 px/µm keeps a 1e-7 low-frequency residual
        # that no post-pulse test ends, while its LDOS is that of the pulse).
        if decay.decayed(since=t_source if want_modes else -math.inf):
            stop["reason"] = "fields decayed"
            return True
        if guard_regrowth and decay.regrowth(since=t_source) > REGROWTH_LIMIT:
            stop["reason"] = REGROWTH_STOP
            return True
        return False

    sim.run(*step_funcs, until=until)
    modes = _modes(harminv.modes) if harminv is not None else ()
    selected = analysis.select_mode(modes, target_um=structure.target_um, window_um=window_um)
    return _RingDown(modes=modes, selected=selected, volume_dft=vol_dft,
                     stop_reason=stop["reason"], meep_time_s=time.monotonic() - t0,
                     limit=stop["limit"], tail_s=0.0 if tail is None else tail.elapsed_s,
                     ring_time_mu=sim.meep_time() - t_source)


REGROWTH_LIMIT = 1e3
"""Growth of the oscillating field's window maximum over its post-source minimum at which a
cylindrical run with a metal Layer through the PML stops
(:meth:`sims.ring_down.FieldDecay.regrowth`). The nanocube's planar stacks grew from
~1e-8-1e-11 of their peak by ×1e3 within ~100 fs once unstable; a passive ring-down does not
grow back at all, and the beating of two modes stays orders of magnitude below this unless
they have equal amplitudes at the emitter and the test window misses the beat's maxima."""
REGROWTH_STOP = "fields grew back (PML instability)"

UNDECAYED_FLUX_WARNING = 0.01
"""An extrapolated stop leaves the flux DFTs of the picked mode short by about twice its
remaining amplitude e^{−γT}; above this the radiative Purcell factor and the collection at
the resonance are flagged (measured: a Q ≈ 800 microsphere WGM stopped at 0.2 of its
amplitude gave radiative/total 0.70 instead of 1)."""


def _undecayed_flux_warning(ring: _RingDown) -> str | None:
    if ring.limit is None or ring.selected is None:
        return None
    mode = ring.modes[ring.selected]
    q = abs(mode.quality_factor)
    if not math.isfinite(q) or q <= 0:
        return None
    f = UNITS.frequency_mu(wavelength_um=mode.wavelength_um)
    left = math.exp(-math.pi * f * ring.ring_time_mu / q)
    if left <= UNDECAYED_FLUX_WARNING:
        return None
    return (f"the run stopped on the extrapolated LDOS while the resonance at "
            f"{1e3 * mode.wavelength_um:.2f} nm (Q {q:.3g}) still had {left:.2g} of its "
            "amplitude: the LDOS (total Purcell) is the extrapolated limit, but the radiated "
            "flux, the radiative Purcell factor and the collection at the resonance are "
            "truncated (too low). Set ldos_extrapolation=False to run until the fields decay.")


def _volume_dft_warning(placed: Mode, final: Mode) -> str | None:
    f_dft = UNITS.frequency_mu(wavelength_um=placed.wavelength_um)
    f_fin = UNITS.frequency_mu(wavelength_um=final.wavelength_um)
    width = f_fin / (2 * abs(final.quality_factor))
    if abs(f_dft - f_fin) <= width:
        return None
    return (f"the mode-volume DFT ran at {1e3 * placed.wavelength_um:.2f} nm (first Harminv "
            f"pass), {abs(f_dft - f_fin) / width:.2g} half-widths from the final resonance "
            f"{1e3 * final.wavelength_um:.2f} nm: V may be off.")


def run(structure: Structure, config: SimConfig, *, label: str = "meep",
        want_modes: bool = True) -> RawRun:
    """Simulate one structure and return the raw (un-normalised) measurements."""
    t_wall = time.monotonic()
    mp.verbosity(0)
    setup = _setup(structure, config)
    sim = _simulation(structure, config, setup)
    mon = _monitors(sim, structure, config, setup)
    faces = (add_face_monitors(sim, setup.layout, structure, mon.flux_freqs)
             if want_modes and wants_far_field(structure) else None)
    ring = _ring_down(sim, structure, config, setup, mon, label=label, want_modes=want_modes)
    warnings = setup.warnings
    undecayed = _undecayed_flux_warning(ring)
    if undecayed:
        warnings.append(undecayed)
    if ring.stop_reason == REGROWTH_STOP:
        warnings.append(
            f"run stopped when the field at the emitter grew back ×{REGROWTH_LIMIT:g} after it "
            "had decayed: a metal Layer through the cylindrical PML is unstable over long runs "
            "(measured with Rakić's and Johnson & Christy's metals from ~130-300 fs in the "
            "nanocube's planar stacks). The LDOS so far is used: where the source is weak (the "
            "window's edges) the growth can already dominate it; a negative LDOS there is "
            "refused as unphysical.")
    if ring.stop_reason == "time cap":
        warnings.append(
            f"run stopped at the time cap ({config.max_periods:g} periods after the source) "
            "before the field at the emitter decayed by decay_by: the LDOS spectrum of a "
            "long-lived mode is not converged (Harminv's Q still is). Raise max_periods.")
    ldos_values = np.asarray(sim.ldos_data, dtype=float)
    tail_correction = None
    if ring.limit is not None:
        ldos_values, tail_correction = ring.limit.ldos, ring.limit.correction
    if not np.all(np.isfinite(ldos_values)):
        raise SimulationDiverged(f"the LDOS spectrum contains NaN/inf. {DIVERGENCE_HINT}")
    box_flux = np.asarray(mp.get_fluxes(mon.box), dtype=float)
    plane_flux = plane_coll = None
    if mon.plane is not None:
        plane_flux, plane_coll = collection(sim, mon.plane, setup.layout, structure,
                                            mon.flux_freqs, setup.m)
    far = None if faces is None else far_field_powers(sim, faces, setup.layout, structure,
                                                      mon.flux_freqs, setup.m)
    if faces is not None and far is None:
        warnings.append("radiated power is the flux-box power: the structure is not a planar "
                        "stack outside the box, so its far field was not computed "
                        "(sims.far_field); the box counts surface plasmons as radiation.")
    mode_vol = fmap = None
    if ring.volume_dft is not None and ring.selected is not None:
        dft, placed = ring.volume_dft
        final = ring.modes[ring.selected]
        note = _volume_dft_warning(placed, final)
        if note:
            warnings.append(note)
        mode_vol, fmap, vwarn = mode_volume_of(sim, dft, setup.layout, structure, final,
                                               setup.src_pos, setup.m)
        warnings.extend(vwarn)
    cell = setup.layout.cell()
    prov = Provenance(
        dimensions=setup.layout.dims, resolution_px_per_um=config.resolution_px_per_um,
        cell_size_um=tuple(UNITS.length_um(c) for c in (cell.x, cell.y, cell.z)),
        pml_um=UNITS.length_um(setup.layout.pml), symmetries=setup.symmetry_names, cylindrical_m=setup.m,
        source_offset_um=tuple(UNITS.length_um(c) for c in setup.src_pos),
        meep_version=str(getattr(mp, "__version__", "unknown")), mpi_ranks=mp.count_processors(),
        time_steps=int(round(sim.meep_time() / sim.fields.dt)),
        sim_time_fs=UNITS.time_fs(sim.meep_time()), wall_time_s=time.monotonic() - t_wall,
        meep_time_s=ring.meep_time_s, stop_reason=ring.stop_reason,
        ldos_tail_correction=tail_correction, ldos_tail_s=ring.tail_s,
    )
    return RawRun(
        freqs_mu=tuple(mon.freqs.tolist()), ldos=tuple(ldos_values.tolist()),
        flux_freqs_mu=tuple(mon.flux_freqs.tolist()), box_flux=tuple(box_flux.tolist()),
        plane_flux=None if plane_flux is None else tuple(plane_flux),
        plane_collected=None if plane_coll is None else tuple(plane_coll),
        modes=ring.modes, selected_mode=ring.selected, mode_volume=mode_vol, provenance=prov,
        warnings=tuple(warnings), field_map=fmap,
        far_field=None if far is None else tuple(tuple(v) for v in far),  # type: ignore[arg-type]
    )
