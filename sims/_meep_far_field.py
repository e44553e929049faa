"""Far field of a cylindrical run near a planar stack: the DFT fields on the flux box's faces
and the layered near-to-far transformation of :mod:`sims.far_field`.

One of the ``sims._meep_*`` modules (the only ones that import Meep). Used for structures with
a metal (Re ε < 0) in cylindrical runs: there the flux box counts the surface plasmons that
leave it along the film as "radiated" power, the far field does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import meep as mp
import numpy as np

from cavities.structure import Structure
from sims._meep_geometry import UNITS, Layout
from sims.far_field import Stack, Surface, background_stack, far_field, wants_far_field
from sims.layout import flux_faces

MEEP_FLUX_PER_POWER = 2.0
"""Meep's flux is ∫ Re(E* × H)·dA of the DFT amplitudes, twice the Poynting power that
:func:`sims.far_field.far_field` returns (a dipole in vacuum: far field = box flux / 2 within
1 % at 100 and 200 px/µm)."""
_COMPONENTS = ("Er", "Ep", "Ez", "Hr", "Hp", "Hz")
__all__ = ["FaceMonitors", "add_face_monitors", "far_field_powers", "wants_far_field"]


@dataclass
class FaceMonitors:
    """The DFT monitors on the faces (top, bottom, side) of the flux box."""

    faces: list[tuple[str, Any, Any]]
    stacks: list[Stack] | None


def add_face_monitors(sim: Any, layout: Layout, structure: Structure,
                      flux_freqs: np.ndarray) -> FaceMonitors:
    comps = [getattr(mp, c) for c in _COMPONENTS]
    faces = []
    for face, kind in zip(flux_faces(layout), ("top", "bottom", "side"), strict=True):
        vol = mp.Volume(center=mp.Vector3(*face.center), size=mp.Vector3(*face.size))
        faces.append((kind, face, sim.add_dft_fields(comps, flux_freqs, where=vol)))
    hx, _, hz = layout.box_half()
    stacks = []
    for f in flux_freqs:
        st = background_stack(structure, radius_um=UNITS.length_um(hx),
                              wavelength_um=UNITS.wavelength_um(frequency_mu=float(f)),
                              z_range_um=(UNITS.length_um(-hz), UNITS.length_um(hz)))
        if st is None:
            return FaceMonitors(faces=faces, stacks=None)
        stacks.append(st)
    return FaceMonitors(faces=faces, stacks=stacks)


def _surfaces(sim: Any, mon: FaceMonitors, layout: Layout, index: int) -> list[Surface]:
    out = []
    comps = [getattr(mp, c) for c in _COMPONENTS]
    step = layout.dx
    for kind, face, dft in mon.faces:
        arrays = [np.ravel(np.asarray(sim.get_dft_array(dft, c, index))) for c in comps]
        if kind == "side":  # Meep's metadata gives the z samples of a z line ...
            coords = np.ravel(np.asarray(sim.get_array_metadata(dft_cell=dft)[2]))
            lo, hi = face.center[2] - face.size[2] / 2, face.center[2] + face.size[2] / 2
            position = face.center[0]
        else:  # ... but not the r samples of an r line (Meep 1.25): pixel centres
            coords = (np.arange(arrays[0].size) + 0.5) * step
            lo, hi = 0.0, face.size[0]
            position = face.center[2]
        # Meep returns one sample beyond each end of a line: keep the face's own samples
        keep = (coords > lo) & (coords < hi)
        out.append(Surface(kind=kind, coords=coords[keep], position=position, step=step,
                           fields=tuple(a[keep] for a in arrays)))  # type: ignore[arg-type]
    return out


def far_field_powers(sim: Any, mon: FaceMonitors, layout: Layout, structure: Structure,
                     flux_freqs: np.ndarray, m: int | None
                     ) -> tuple[list[float], list[float], list[float]] | None:
    """(far field up, down, inside the collection NA in the collection direction) per
    frequency, in Meep flux units (master rank; None if no stack describes the outside)."""
    if mon.stacks is None:
        return None
    per_freq = [_surfaces(sim, mon, layout, i) for i in range(len(flux_freqs))]
    if not mp.am_master():
        zeros = [0.0] * len(flux_freqs)
        return zeros, list(zeros), list(zeros)
    up, down, cone = [], [], []
    for f, surfaces, stack in zip(flux_freqs, per_freq, mon.stacks, strict=True):
        ff = far_field(surfaces, stack, m=int(m or 0), na=structure.collection_na,
                       wavelength_um=UNITS.wavelength_um(frequency_mu=float(f)))
        up.append(MEEP_FLUX_PER_POWER * ff.up)
        down.append(MEEP_FLUX_PER_POWER * ff.down)
        c = ff.up_in_cone if structure.collection_direction == "up" else ff.down_in_cone
        cone.append(MEEP_FLUX_PER_POWER * (c or 0.0))
    return up, down, cone
