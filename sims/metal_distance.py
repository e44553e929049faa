"""How far the emitter sits from the nearest metal, for any shape (pure geometry).

A metal here is a material with Re ε < 0 somewhere in the structure's wavelength window
(Drude / Lorentz-Drude fits such as Ag and Au); a perfect conductor is not counted (no
surface plasmons, no quenching). The distance is to the surface of each metal shape as
written, without regard to shapes drawn over it, so it is a lower bound where a later shape
covers part of a metal one (the warning it feeds errs on the safe side).
"""

from __future__ import annotations

import math

from cavities.materials import Material
from cavities.shapes import Block, Cylinder, Layer, Shape, Sphere
from cavities.structure import Structure

Point = tuple[float, float, float]
_AXIS = {"x": 0, "y": 1, "z": 2}


def is_plasmonic_metal(material: Material, window_um: tuple[float, float]) -> bool:
    """Whether Re ε < 0 at either end or the centre of the window (not a PEC).

    Example:
        >>> from cavities.library import get_material
        >>> is_plasmonic_metal(get_material("Ag"), (0.5, 0.54)), is_plasmonic_metal(
        ...     get_material("SiO2"), (0.5, 0.54))
        (True, False)
    """
    if material.perfect_conductor:
        return False
    lo, hi = window_um
    return any(material.permittivity(w).real < 0 for w in (lo, 0.5 * (lo + hi), hi))


def _segment_distance(px: float, py: float, a: tuple[float, float],
                      b: tuple[float, float]) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _cylinder_distance(shape: Cylinder, point: Point) -> float:
    i = _AXIS[shape.axis]
    rel = [p - c for p, c in zip(point, shape.center_um, strict=True)]
    t = rel[i]
    rho = math.sqrt(sum(rel[j] ** 2 for j in range(3) if j != i))
    if shape.contains(point):
        return 0.0
    h = shape.height_um / 2
    a = shape.edge_radius_um
    if a != 0.0:
        # the rounded cross-section is the rectangle [0, R − a] × [−(h − a), h − a] grown by a
        inner = (((0.0, -(h - a)), (shape.radius_um - a, -(h - a))),
                 ((shape.radius_um - a, -(h - a)), (shape.radius_um - a, h - a)),
                 ((shape.radius_um - a, h - a), (0.0, h - a)))
        return max(min(_segment_distance(rho, t, p, q) for p, q in inner) - a, 0.0)
    r_bottom = shape.radius_um
    r_top = shape.radius_um if shape.top_radius_um is None else shape.top_radius_um
    # the (ρ, t) cross-section is a trapezoid; the surface is its three outer edges
    edges = (((0.0, -h), (r_bottom, -h)), ((r_bottom, -h), (r_top, h)), ((r_top, h), (0.0, h)))
    return min(_segment_distance(rho, t, a, b) for a, b in edges)


def shape_distance_um(shape: Shape, point_um: Point) -> float:
    """Distance from a point to a shape (0 inside it), in µm.

    Example:
        >>> from cavities.materials import VACUUM
        >>> round(shape_distance_um(Sphere(center_um=(0, 0, 0), radius_um=0.03,
        ...                                material=VACUUM), (0, 0, 0.05)), 9)
        0.02
    """
    if isinstance(shape, Layer):
        z = point_um[2]
        return max(shape.z_min_um - z, z - shape.z_max_um, 0.0)
    if isinstance(shape, Block):
        return math.sqrt(sum(max(abs(p - c) - s / 2, 0.0) ** 2 for p, c, s in
                             zip(point_um, shape.center_um, shape.size_um, strict=True)))
    if isinstance(shape, Sphere):
        return max(math.dist(point_um, shape.center_um) - shape.radius_um, 0.0)
    if isinstance(shape, Cylinder):
        return _cylinder_distance(shape, point_um)
    raise TypeError(f"unknown shape type {type(shape).__name__}")


def metal_distance_um(structure: Structure) -> tuple[float, str] | None:
    """(distance in µm, material name) of the plasmonic metal nearest the emitter, or None if
    the structure has no metal.

    Example:
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Sphere(center_um=(0, 0, 0), radius_um=0.03,
        ...                              material=get_material("Ag")),),
        ...               cell_size_um=(0.6, 0.6, 0.6), dimensions="cylindrical",
        ...               dipole_orientation="z", emitter_position_um=(0, 0, 0.05),
        ...               wavelength_min_um=0.5, wavelength_max_um=0.54)
        >>> d, name = metal_distance_um(s)
        >>> round(d, 9), name
        (0.02, 'Ag')
    """
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    point = structure.emitter_position_um
    best: tuple[float, str] | None = None
    for shape in structure.shapes:
        if not is_plasmonic_metal(shape.material, window):
            continue
        d = shape_distance_um(shape, point)
        if best is None or d < best[0]:
            best = (d, shape.material.name)
    return best
