"""A planar control variate for the LDOS of an emitter close to a metal film or in a metal gap.

Near a metal most of the decay is the near field of the faces right above and below the emitter
(quenching), which a grid resolves slowly: on the nanocube screen (8 nm gap, 200 px/µm) Meep's
harmonics m = 0-3 of the *planar* gap came out 1.3-4× below the exact Sommerfeld values
(:mod:`sims.layered_harmonics`). The same grid error sits in the structure's run. So each run
(each azimuthal harmonic) is paired with a run of the same cell in which the shapes are replaced
by the planar stack through the emitter (:func:`sims.local_stack.local_stack`, layers running
through the PML), and

    P = P_planar,exact + (S − S_planar) / H

(S, S_planar: Meep's LDOS of the structure and of the stack; H: the host's point-dipole LDOS).
The difference is what the finite structure changes — its resonances, radiation, edges —
where the grid errors of the local near field cancel, as the host run's do in S/H. It is exact
in the continuum limit whatever the structure; it helps where the near field is planar, which
is where :func:`planar_structure` returns a stack (the nearest metal a horizontal face on the
emitter's vertical line). For harmonics whose field stays near the emitter S = S_planar, so an
off-axis sum stops after a few m and the rest is the exact planar tail.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy.interpolate import CubicSpline

from cavities.shapes import Layer
from cavities.structure import Structure
from sims.layered import layered_rate
from sims.layered_harmonics import ORIENTATION_OF, layered_harmonic_rate
from sims.local_stack import local_stack, vertical_layers

PLANAR_META = "planar_reference"
"""Key in ``Structure.meta`` marking the planar stack of a structure (its metal layers run
through the PML on purpose: the stack's bound modes must leave, not reflect)."""
EXACT_POINTS = 25
"""Wavelengths at which the exact planar rates are computed and then interpolated (cubic): the
stack has no resonance in a window, measured interpolation error < 1e-3."""
_FAR_Z_UM = 1e3


def planar_structure(structure: Structure) -> Structure | None:
    """The structure's cell with its shapes replaced by the planar stack through the emitter,
    or None where that stack does not model the emitter's near field
    (:func:`sims.local_stack.local_stack`; only cylindrical runs)."""
    if structure.dimensions != "cylindrical" or structure.meta.get(PLANAR_META):
        return None
    if local_stack(structure, structure.target_um) is None:
        return None
    shapes = tuple(Layer(material=mat, z_min_um=max(lo, -_FAR_Z_UM), z_max_um=min(hi, _FAR_Z_UM))
                   for lo, hi, mat in vertical_layers(structure) if mat != structure.background)
    return dataclasses.replace(structure, shapes=shapes, name=f"{structure.name}-planar",
                               meta={**structure.meta, PLANAR_META: True})


def planar_controlled(structure: Structure) -> bool:
    """Whether :func:`sims.runner.simulate` pairs this structure with its planar stack: an
    off-axis point dipole (summed over harmonics, :mod:`sims.azimuthal_sum`) whose nearest
    metal is a face of the stack through it."""
    return structure.is_off_axis_dipole and planar_structure(structure) is not None


def _exact_at(structure: Structure, wavelength_um: float, m: int | None) -> float:
    st = local_stack(structure, wavelength_um)
    if st is None:
        raise ValueError(f"structure {structure.name!r} has no planar stack at the emitter at "
                         f"{wavelength_um:g} µm (sims.local_stack.local_stack).")
    kw = dict(wavelength_um=wavelength_um, emitter_index=st.emitter_index, below=st.below,
              above=st.above)
    r0, orientation = structure.emitter_position_um[0], structure.dipole_orientation
    if m is None or r0 == 0:
        # the whole stack: a point dipole, or on the axis the one harmonic it couples to
        return layered_rate(orientation=ORIENTATION_OF[orientation],
                            **kw)  # type: ignore[arg-type]
    return layered_harmonic_rate(m, radius_um=r0, orientation=orientation,
                                 **kw)  # type: ignore[arg-type]


def exact_planar_rate(structure: Structure, wavelengths_um: np.ndarray, m: int | None = None
                      ) -> np.ndarray:
    """The stack's exact decay rate over the host's bulk rate at ``wavelengths_um``: of the
    point dipole (``m=None``) or of its harmonic pair ±m (:mod:`sims.layered_harmonics`),
    computed at :data:`EXACT_POINTS` wavelengths and interpolated."""
    lam = np.asarray(wavelengths_um, dtype=float)
    lo, hi = float(lam.min()), float(lam.max())
    if not (math.isfinite(lo) and lo > 0):
        raise ValueError(f"wavelengths must be positive and finite, but got {lo!r}..{hi!r}.")
    if hi - lo < 1e-9:
        return np.full_like(lam, _exact_at(structure, lo, m))
    grid = np.linspace(lo, hi, EXACT_POINTS)
    values = np.array([_exact_at(structure, float(w), m) for w in grid])
    return np.asarray(CubicSpline(grid, values)(lam))
