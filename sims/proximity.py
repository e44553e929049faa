"""How close the emitter sits to a horizontal material interface, in grid steps (pure).

Meep 1.25 does not smooth z-normal dielectric interfaces in cylindrical coordinates: ε across
a Block's or Cylinder's top face is the same with ``eps_averaging`` on and off (radial faces
and curved ones are smoothed). An emitter within a grid step or so of such a face then sees a
staircase whose error jumps with the face's sub-pixel position. Measured for a dipole 5 nm
above a 200 nm Si3N4 membrane against the exact layered-medium result
(:func:`sims.analytic.slab_rate`): cylindrical runs at 37-44 px/µm were off by +4 % to −20 %,
non-monotonically (−14 % at 39, −4 % at 40, −8 % at 41, −11 % at 42 px/µm at 520 nm), while the
same membrane in 3D (where Meep smooths) was within 4 % at 39 and 40 px/µm; at 80 and 160 px/µm
the cylindrical run is within 4.5 % and 2.7 % over 480-560 nm.

The tool now smooths such faces itself (:mod:`sims.z_smoothing`: second-order convergence,
residual scatter ±3 % at 39-44 px/µm). Faces it cannot smooth (a metal or dispersive material
on either side, or ``eps_averaging=False``) keep the jitter, which the two-grid estimate cannot
see, so those results carry :func:`proximity_warning` and are flagged as not converged.
"""

from __future__ import annotations

import math

from cavities.shapes import Block, Cylinder, Layer, Shape, Sphere
from cavities.structure import Structure

RESOLVED_STEPS = 1.5
"""An emitter at least this many grid steps from every horizontal face counts as resolved."""


def _z_faces(shape: Shape, x_um: float, y_um: float) -> tuple[float, ...]:
    """z of the shape's horizontal faces directly above or below the point (x, y)."""
    if isinstance(shape, Layer):
        return (shape.z_min_um, shape.z_max_um)
    if isinstance(shape, Block):
        (cx, cy, cz), (sx, sy, sz) = shape.center_um, shape.size_um
        inside = abs(x_um - cx) <= sx / 2 and abs(y_um - cy) <= sy / 2
        return (cz - sz / 2, cz + sz / 2) if inside else ()
    if isinstance(shape, Cylinder) and shape.axis == "z":
        cx, cy, cz = shape.center_um
        radius = max(shape.radius_um, shape.top_radius_um or 0.0)
        inside = math.hypot(x_um - cx, y_um - cy) <= radius
        return (cz - shape.height_um / 2, cz + shape.height_um / 2) if inside else ()
    return ()  # spheres (curved, smoothed) and other shapes


def _nearest_face(structure: Structure) -> float | None:
    if structure.dimensions == "2d":
        return None
    ex, ey, ez = structure.emitter_position_um
    if structure.dimensions == "cylindrical":
        ex = ey = 0.0
    faces = [z for s in structure.shapes if not isinstance(s, Sphere)
             for z in _z_faces(s, ex, ey)]
    return min(faces, key=lambda z: abs(z - ez), default=None)


def _smoothed(structure: Structure, face_z_um: float) -> bool:
    """Whether :mod:`sims.z_smoothing` smooths this face on the axis (plain dielectrics on
    both sides)."""
    from sims.z_smoothing import plain_epsilon

    tiny = 1e-9
    sides = [structure.material_at((0.0, 0.0, face_z_um + d)) for d in (-tiny, tiny)]
    return all(plain_epsilon(m) is not None for m in sides)


def horizontal_interface_distance_um(structure: Structure) -> float | None:
    """Distance from the emitter to the nearest horizontal face of any shape above or below it
    (None if there is none, or for 2D structures).

    Example:
        >>> from cavities.materials import constant_index
        >>> s = Structure(shapes=(Layer(material=constant_index("n2", 2.0), z_min_um=-0.1,
        ...                             z_max_um=0.1),), cell_size_um=(1, 1, 1),
        ...               dimensions="cylindrical", emitter_position_um=(0, 0, 0.105),
        ...               wavelength_min_um=0.5, wavelength_max_um=0.55)
        >>> round(horizontal_interface_distance_um(s), 6)
        0.005
    """
    face = _nearest_face(structure)
    return None if face is None else abs(face - structure.emitter_position_um[2])


def proximity_warning(structure: Structure, resolution_px_per_um: float, *,
                      smoothing: bool = True) -> str | None:
    """A warning when a cylindrical run's emitter is within :data:`RESOLVED_STEPS` grid steps
    of a horizontal interface that is not smoothed (see the module docstring), else None.
    ``smoothing``: whether the run smooths faces (``SimConfig.eps_averaging``)."""
    if structure.dimensions != "cylindrical":
        return None
    d = horizontal_interface_distance_um(structure)
    face = _nearest_face(structure)
    if d is None or face is None or (smoothing and _smoothed(structure, face)):
        return None
    dz = 1.0 / resolution_px_per_um
    if d >= RESOLVED_STEPS * dz:
        return None
    needed = math.ceil(RESOLVED_STEPS / max(d, 1e-4))
    return (f"the emitter is {1e3 * d:.1f} nm from a horizontal interface, {d / dz:.2f} grid "
            f"steps at {resolution_px_per_um:g} px/µm, and that interface is not smoothed (a "
            "metal or dispersive material, or eps_averaging off; Meep 1.25 does not smooth "
            "z-normal interfaces in cylindrical coordinates and sims.z_smoothing handles plain "
            "dielectrics only), so this LDOS carries a grid error that jumps with the "
            "interface's sub-pixel position (measured for a dipole 5 nm above a "
            "Si3N4 membrane: −20 % to +4 % at 37-44 px/µm against the exact result; within 4.5 % "
            f"at 80-160 px/µm). Resolve the distance (>= {needed} px/µm) or check the design in "
            "3D; the two-grid error estimate does not capture this error.")
