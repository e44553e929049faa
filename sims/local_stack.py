"""The planar stack an emitter sees directly above and below it (pure geometry).

The layers crossed by the vertical line through the emitter, as :class:`sims.layered.Side`
stacks at one wavelength: what a harmonic whose field stays close to the emitter sees of a
patch, a gap or a film (:mod:`sims.layered_harmonics`). It models the structure only where the
nearest metal is a horizontal face of that line (a nanocube's gap, a dipole above a film), not
an edge, a corner or a sphere: :func:`local_stack` returns None otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cavities.materials import Material
from cavities.structure import Structure
from sims.layered import Side
from sims.metal_distance import is_plasmonic_metal, metal_distance_um
from sims.proximity import _z_faces

LOSSLESS = 1e-6
"""|Im ε| / |ε| below which the emitter's layer counts as lossless (the layered formulas need
it)."""
SAME_FACE_UM = 1e-6


@dataclass(frozen=True)
class LocalStack:
    """The emitter's layer and the stacks below and above it at one wavelength."""

    emitter_index: float
    below: Side
    above: Side | None


def vertical_layers(structure: Structure) -> list[tuple[float, float, Material]]:
    """(z_low, z_high, material) along the vertical line through the emitter, bottom to top,
    neighbours of the same material merged; the outermost two are half-spaces (±inf): a face
    beyond the cell (a Layer running through the PML) is not an interface of the simulation."""
    x, y, _ = structure.emitter_position_um
    half = structure.cell_size_um[2] / 2
    faces = sorted({round(z, 12) for s in structure.shapes for z in _z_faces(s, x, y)
                    if abs(z) < half})
    edges = [-math.inf, *faces, math.inf]
    out: list[tuple[float, float, Material]] = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mid = (lo + hi) / 2 if math.isfinite(lo + hi) else (hi - 1.0 if math.isfinite(hi)
                                                             else lo + 1.0)
        mat = structure.material_at((x, y, mid))
        if out and out[-1][2] == mat:
            out[-1] = (out[-1][0], hi, mat)
        else:
            out.append((lo, hi, mat))
    return out


def _nearest_metal_is_a_face(structure: Structure, layers: list[tuple[float, float, Material]],
                             window: tuple[float, float]) -> bool:
    near = metal_distance_um(structure)
    if near is None:
        return False
    z = structure.emitter_position_um[2]
    vertical = [min(abs(z - lo), abs(z - hi)) for lo, hi, m in layers
                if is_plasmonic_metal(m, window)]
    return bool(vertical) and abs(min(vertical) - near[0]) < SAME_FACE_UM


def local_stack(structure: Structure, wavelength_um: float) -> LocalStack | None:
    """The stack through the emitter at ``wavelength_um``, or None where it does not model
    the emitter's surroundings: no metal, the nearest metal not a horizontal face on the
    vertical line (an edge, a sphere), a lossy emitter layer, or no interface below.

    Example (a dipole 10 nm above a silver film on glass):
        >>> from cavities.library import get_material
        >>> from cavities.shapes import Layer
        >>> s = Structure(cell_size_um=(1, 1, 1), emitter_position_um=(0, 0, 0.01),
        ...     wavelength_min_um=0.5, wavelength_max_um=0.54,
        ...     shapes=(Layer(material=get_material("SiO2"), z_min_um=-9, z_max_um=-0.05),
        ...             Layer(material=get_material("Ag"), z_min_um=-0.05, z_max_um=0.0)))
        >>> st = local_stack(s, 0.52)
        >>> st.below.distance_um, len(st.below.films), st.above
        (0.01, 1, None)
    """
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    layers = vertical_layers(structure)
    if not _nearest_metal_is_a_face(structure, layers, window):
        return None
    z = structure.emitter_position_um[2]
    i = next(k for k, (lo, hi, _) in enumerate(layers) if lo <= z < hi)
    lo, hi, mat = layers[i]
    eps1 = complex(mat.permittivity(wavelength_um))
    if abs(eps1.imag) > LOSSLESS * abs(eps1) or eps1.real <= 0 or not math.isfinite(lo):
        return None

    def side(outward: list[tuple[float, float, Material]], face: float) -> Side:
        films = tuple((complex(m.permittivity(wavelength_um)), b - a) for a, b, m in outward[:-1])
        return Side(distance_um=abs(z - face), films=films,
                    half_space_permittivity=complex(outward[-1][2].permittivity(wavelength_um)))

    below = side(layers[:i][::-1], lo)
    above = None if i == len(layers) - 1 else side(layers[i + 1:], hi)
    return LocalStack(emitter_index=math.sqrt(eps1.real), below=below, above=above)
