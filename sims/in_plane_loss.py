"""In-plane leakage of a photonic-crystal slab cavity through its finite crystal: an estimate
the GME screen adds to its error budget.

The guided-mode expansion (:mod:`sims.gme`) solves the cavity in a periodic supercell, so no
light leaves sideways and its Q is the radiative (out-of-plane) Q, Q_rad. A crystal of a few
rows leaks in-plane as well; with Si3N4's narrow band gap that loss dominates small crystals.
The 3D Q is then Q = 1/(1/Q_rad + 1/Q_∥).

Estimate of Q_∥: the family's 2D effective-index Meep model of the *finite* crystal (the slab
becomes a uniform medium of its TE0 effective index, so nothing leaves vertically: every loss
of this model is in-plane) is run for :data:`RUN_PERIODS` optical periods after a short pulse at
the emitter, on two grids (:data:`PX_PER_PERIOD` points per lattice period); Harminv's Q of the
cavity mode (:func:`pick_cavity_mode`) on the finer grid is Q_∥. Harminv resolves a Q far
beyond the run length from a clean ring-down (sin_l3_520 at 8 px per period: Q 4638 from 600
periods, 4639 from 3000).

How good the estimate is (measured, README "Photonic-crystal slabs"): the effective-index
model moves the mode relative to the band gap (2D λ 532 nm for a 3D 521 nm), and in-plane
leakage depends on that position exponentially, so Q_∥ is an order-of-magnitude indicator, and
on the designs checked in 3D a pessimistic one: sin_l3_520's 3D Q is 949 with an 8 × 6-period
crystal and 1022 with 10 × 8 (the GME's out-of-plane Q rises by the same 8 % between the two
supercells), where the 2D Q_∥ of 4.6 × 10³ → 2.9 × 10⁴ would have predicted a 20 % rise; for
Akahane's Si L3 (8 × 6) the 2D Q_∥ is 2.6-2.9 × 10⁴ although the 3D total Q is 3.2 × 10⁴.
The GME screen therefore does not correct its Q with it: it adds the change the in-plane loss
would make, Q_rad − 1/(1/Q_rad + 1/Q_∥) (:func:`in_plane_effect`), to the error of Q and the
Purcell factor and says so, so that a crystal too small for its gap is flagged "not
converged" instead of being ranked by an out-of-plane Q it cannot reach.

Not for nanobeams: a beam's 2D model radiates sideways in the plane (nanobeam_sin_520: 2D Q
1670, below the 3D total of 5.6 × 10³), which is the out-of-plane loss of 3D, not leakage
through the mirror.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from cavities.structure import Structure
    from sims.results import Mode

PX_PER_PERIOD = (8.0, 12.0)
"""Grid points per lattice period of the two 2D runs (the second is reported; the change
between them is stated). sin_l3_520: Q_∥ 4638 / 4183 (8 / 12 px), 4024 at 5.8 px; Akahane's
L3: 2.91 / 2.58 × 10⁴."""
RUN_PERIODS = 600.0
"""Optical periods (at the window centre) after the pulse: enough for Harminv (above)."""
HARMINV_ERROR_MAX = 1e-4
"""Harminv modes with a larger relative error are noise, not modes."""


@dataclass(frozen=True)
class InPlaneQ:
    """The 2D estimate of in-plane leakage.

    Args:
        quality_factor: Q_∥ on the finer grid (None: no long-lived mode was found, i.e. the
            crystal confines the mode in-plane beyond what the run can measure or the 2D
            model has no cavity mode in the window).
        grid_values: Q_∥ on each grid of :data:`PX_PER_PERIOD` (None where no mode).
        wavelength_um: the 2D model's resonance (it differs from the 3D one: effective index).
        wall_time_s: wall time of both runs.
    """

    quality_factor: float | None
    grid_values: tuple[float | None, ...]
    wavelength_um: float | None
    wall_time_s: float

    def to_dict(self) -> dict[str, Any]:
        return {"quality_factor": self.quality_factor, "grid_values": list(self.grid_values),
                "wavelength_um": self.wavelength_um, "wall_time_s": self.wall_time_s,
                "px_per_period": list(PX_PER_PERIOD), "run_periods": RUN_PERIODS}


def pick_cavity_mode(modes: tuple[Mode, ...] | list[Mode], window_um: tuple[float, float]
                     ) -> Mode | None:
    """The cavity mode among Harminv's: inside the window, Harminv error below
    :data:`HARMINV_ERROR_MAX`, Q > 0, and the largest |amplitude|·Q (the highest LDOS peak a
    mode makes at the emitter: the same choice as :data:`sims.peaks.RESONANCE_RULE`)."""
    lo, hi = window_um
    ok = [m for m in modes if m.method == "harminv" and lo <= m.wavelength_um <= hi
          and m.quality_factor > 0 and m.harminv_error <= HARMINV_ERROR_MAX]
    return max(ok, key=lambda m: abs(m.amplitude_abs) * m.quality_factor, default=None)


def in_plane_effect(q_rad: float, q_in_plane: float | None) -> float:
    """How much the in-plane loss would lower Q: Q_rad − 1/(1/Q_rad + 1/Q_∥) (0 if no
    in-plane mode was found)."""
    if q_in_plane is None or not math.isfinite(q_in_plane) or q_in_plane <= 0:
        return 0.0
    return q_rad - 1.0 / (1.0 / q_rad + 1.0 / q_in_plane)


def estimate(structure: Structure, lattice_um: float, *,
             cache_dir: str | Path | bool | None = True) -> InPlaneQ:
    """Q_∥ of the cavity in ``structure`` (the 2D effective-index model of the finite crystal,
    ``design.to_structure("screen")`` of a triangular-lattice family) with lattice constant
    ``lattice_um``; Meep runs go through :func:`sims.runner.simulate` (own process, cached)."""
    from sims.config import SimConfig
    from sims.runner import simulate

    if structure.dimensions != "2d":
        raise ValueError("the in-plane loss estimate needs the 2D effective-index structure, "
                         f"but got dimensions={structure.dimensions!r}.")
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    values: list[float | None] = []
    lam = None
    wall = 0.0
    for px in PX_PER_PERIOD:
        config = SimConfig(resolution_px_per_um=px / lattice_um, max_periods=RUN_PERIODS,
                           compute_mode_volume=False, compute_collection=False,
                           ldos_extrapolation=False, n_freqs=101, n_freqs_flux=5,
                           progress_interval_s=0)
        result = simulate(structure, config, cache_dir=cache_dir)
        wall += result.provenance.wall_time_s
        mode = pick_cavity_mode(result.modes, window)
        values.append(None if mode is None else mode.quality_factor)
        lam = None if mode is None else mode.wavelength_um
    return InPlaneQ(quality_factor=values[-1], grid_values=tuple(values), wavelength_um=lam,
                    wall_time_s=wall)
