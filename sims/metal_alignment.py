"""A rigid vertical shift that puts the metal face nearest to the emitter on a grid plane
(pure geometry; :mod:`sims.runner` applies it to every run that smooths).

The tool smooths a horizontal metal face only where it lies on a grid plane z = kΔ
(:mod:`sims.metal_smoothing` in cylindrical runs, :mod:`sims.metal_boxes` in 3D; the origin is
a grid node, :func:`sims.grid.even_pixels`). A face off the planes stays staircased: the field
samples parallel to it see metal or not by whole steps, so the face the fields see lies up to
Δ/2 from where it is written, and moves as the grid changes. Under a cavity that is a mirror
whose reflection phase changes from grid to grid: the hybrid bullseye's Ag mirror
(``bullseye_hybrid_sin_ag_rt_520``, top face at z = −0.265 µm, 0.1-0.4 steps off the planes at
60-160 px/µm) gave radiative Purcell factors 2.00 / 3.10 / 2.09 at 60 / 80 / 120 px/µm
(its screen structure), alternating with which side of the face the nearest plane fell on; with
the face moved onto a plane, 1.90 / 2.09 / 2.17 / 2.19 at 60-160 px/µm
(``benchmarks/metal_alignment.py``).

So a run moves the structure as a whole, emitter included, by the δ (|δ| ≤ Δ/2) that puts its
metal face nearest to the emitter on a plane, and that face is smoothed at every resolution.
Relative positions, and so the physics, are unchanged; only the cell's boundaries (PML) move
by δ against the structure. A face already on a plane, or a structure without horizontal metal
faces, is left where it is.
"""

from __future__ import annotations

import dataclasses

from cavities.shapes import Block, Cylinder, Layer, Shape
from cavities.structure import Structure
from sims.metal_distance import is_plasmonic_metal
from sims.metal_smoothing import _on_plane


def _horizontal_faces(shape: Shape) -> tuple[float, ...]:
    if isinstance(shape, Layer):
        return (shape.z_min_um, shape.z_max_um)
    if isinstance(shape, Block):
        z, h = shape.center_um[2], shape.size_um[2] / 2
        return (z - h, z + h)
    if isinstance(shape, Cylinder) and shape.axis == "z":
        z, h = shape.center_um[2], shape.height_um / 2
        return (z - h, z + h)
    return ()  # spheres and x/y cylinders: curved, no horizontal face


def metal_faces_z_um(structure: Structure) -> tuple[float, ...]:
    """z of the horizontal faces of the structure's metal shapes inside the cell."""
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    half = structure.cell_size_um[2] / 2
    return tuple(sorted({z for s in structure.shapes if is_plasmonic_metal(s.material, window)
                         for z in _horizontal_faces(s) if abs(z) < half}))


def grid_offset_um(structure: Structure, resolution_px_per_um: float) -> float:
    """δ: the nearest metal face (to the emitter, in z) lies δ above a grid plane; 0 when it is
    on one (or a face as near is), when there is none, or in 2D.

    Example:
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Layer(material=get_material("Ag"), z_min_um=-1e3,
        ...                             z_max_um=-0.265),), cell_size_um=(1, 1, 1),
        ...               dimensions="cylindrical", emitter_position_um=(0, 0, 0.115),
        ...               wavelength_min_um=0.5, wavelength_max_um=0.54)
        >>> round(grid_offset_um(s, 60), 6), grid_offset_um(s, 200)
        (0.001667, 0.0)
    """
    if structure.dimensions == "2d":
        return 0.0
    faces = metal_faces_z_um(structure)
    if not faces:
        return 0.0
    ez = structure.emitter_position_um[2]
    near = min(abs(z - ez) for z in faces)
    nearest = [z for z in faces if abs(z - ez) <= near + 1e-9]
    if any(_on_plane(z, resolution_px_per_um) for z in nearest):
        return 0.0
    dz = 1.0 / resolution_px_per_um
    return nearest[0] - dz * round(nearest[0] / dz)


def _moved(shape: Shape, dz: float) -> Shape:
    if isinstance(shape, Layer):
        return dataclasses.replace(shape, z_min_um=round(shape.z_min_um + dz, 9),
                                   z_max_um=round(shape.z_max_um + dz, 9))
    x, y, z = shape.center_um
    return dataclasses.replace(shape, center_um=(x, y, round(z + dz, 9)))


def aligned_to_grid(structure: Structure, resolution_px_per_um: float) -> Structure:
    """``structure`` moved down by :func:`grid_offset_um` (itself when that is 0)."""
    delta = grid_offset_um(structure, resolution_px_per_um)
    if delta == 0.0:
        return structure
    x, y, z = structure.emitter_position_um
    shapes = tuple(_moved(s, -delta) for s in structure.shapes)
    return dataclasses.replace(structure, shapes=shapes,
                               emitter_position_um=(x, y, round(z - delta, 9)))
