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
from sims.metal_distance import metal_distance_um
from sims.metal_smoothing import unsmoothed_metal_faces

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


def _face_warning(structure: Structure, resolution_px_per_um: float, *,
                  smoothing: bool) -> str | None:
    if structure.dimensions != "cylindrical":
        return None
    d = horizontal_interface_distance_um(structure)
    face = _nearest_face(structure)
    if d is None or face is None or (smoothing and _smoothed(structure, face)):
        return None
    if metal_distance_um(structure) is not None and _face_is_metal(structure, face):
        return None  # a metal face: metal_warning covers it
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


def _face_is_metal(structure: Structure, face_z_um: float) -> bool:
    from sims.metal_distance import is_plasmonic_metal

    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    return any(is_plasmonic_metal(structure.material_at((0.0, 0.0, face_z_um + dz)), window)
               for dz in (-1e-9, 1e-9))


def proximity_warning(structure: Structure, resolution_px_per_um: float, *,
                      smoothing: bool = True, planar_reference: bool = False) -> str | None:
    """A warning when the run's emitter is too close to an interface for its grid: within
    :data:`RESOLVED_STEPS` steps of an unsmoothed horizontal dielectric face (cylindrical), or
    within the measured resolved distance of a metal (:func:`metal_warning`); else None.
    ``smoothing``: whether the run smooths faces (``SimConfig.eps_averaging``).
    ``planar_reference``: the result was paired with the planar stack through the emitter
    (:mod:`sims.planar_reference`), whose exact near field replaces the grid's, so the metal's
    grid-step warning does not apply (the sum states what it did instead)."""
    metal = None if planar_reference else metal_warning(structure, resolution_px_per_um,
                                                        smoothing=smoothing)
    parts = [w for w in (_face_warning(structure, resolution_px_per_um, smoothing=smoothing),
                         metal) if w is not None]
    return " ".join(parts) if parts else None


METAL_RESOLVED_STEPS = {"smoothed": 4.0, "staircased": 16.0}
"""Emitter-metal distance in grid steps below which a result near a metal is flagged: 4 for
planar faces smoothed by :mod:`sims.metal_smoothing` (cylindrical, faces on grid planes:
measured within 7.1 % at 4 steps for Ag and Au, 5.4 % for Au at 4 steps 20 nm away), 16 for
staircased metal (curved or 3D surfaces, faces off the grid planes, ``eps_averaging`` off): an
Ag sphere (a = 30 nm, radial dipole 20 nm away) was +37.6 / +15.8 / +14.8 % at 4 / 6 / 8
steps, not converging; 16 steps is where a staircased planar face was within ~1 % (Ag,
80 nm at 100 px/µm was −7.4 %, 160 nm −1 %). See :func:`metal_warning`."""


def _metal_smoothed(structure: Structure, resolution_px_per_um: float, smoothing: bool) -> bool:
    """Whether every metal surface of the run is smoothed: a cylindrical run with smoothing
    on, metal only in Layers and straight z-Cylinders with sharp rims, all their horizontal
    faces on grid planes (their sidewalls are smoothed at any radius:
    :mod:`sims.metal_sidewalls`; rounded rims are terraces, a curve's staircase,
    :mod:`sims.rounded_edges`); or a 3D run of boxes (:func:`_boxes_smoothed`)."""
    from cavities.shapes import Cylinder, Layer
    from sims.metal_distance import is_plasmonic_metal

    if smoothing and structure.dimensions == "3d":
        return _boxes_smoothed(structure, resolution_px_per_um)
    if not smoothing or structure.dimensions != "cylindrical":
        return False
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    for sh in structure.shapes:
        if not is_plasmonic_metal(sh.material, window):
            continue
        planar = isinstance(sh, Layer) or (isinstance(sh, Cylinder) and sh.axis == "z"
                                            and sh.top_radius_um is None
                                            and sh.edge_radius_um == 0.0)  # rims: terraces
        if not planar:
            return False
    return not unsmoothed_metal_faces(structure, resolution_px_per_um)


SHIELDING_SKIN_DEPTHS = 1.5
"""A face behind at least this many (field) skin depths δ = λ/(2πκ) of metal, seen from the
emitter, is shielded: what it scatters back reaches the emitter attenuated by e^{-3} ≈ 0.05
or more (there and back), and its staircase (the face moved by up to half a step) changes
only part of that, so it does not count (a nanocube film's lower face: 50 nm of Au is
1.49 δ at 600 nm, 1.67 δ at 700 nm, 1.84 δ at 900 nm)."""


def _shielded(structure: Structure, axis: int, plane_um: float) -> bool:
    """Whether the straight path from the emitter to the plane (along its normal) runs through
    at least SHIELDING_SKIN_DEPTHS skin depths of a plasmonic metal at the target wavelength."""
    from sims.metal_distance import is_plasmonic_metal

    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    lam = structure.target_um
    start = list(structure.emitter_position_um)
    span = plane_um - start[axis]
    n = 400
    depths = 0.0
    for i in range(n):
        pt = list(start)
        pt[axis] = start[axis] + (i + 0.5) / n * span
        mat = structure.material_at((pt[0], pt[1], pt[2]))
        if is_plasmonic_metal(mat, window):
            kappa = abs((complex(mat.permittivity(lam)) ** 0.5).imag)
            depths += abs(span) / n * 2 * math.pi * kappa / lam  # field skin depth λ/(2πκ)
    return depths >= SHIELDING_SKIN_DEPTHS


def _boxes_smoothed(structure: Structure, resolution_px_per_um: float) -> bool:
    """3D: the metal boxes are smoothed (:mod:`sims.metal_boxes`) and every face left
    staircased (off the grid planes) is at least the staircased margin from the emitter or
    shielded from it by metal (:func:`_shielded`)."""
    from sims.metal_boxes import box_smoothing_applies, off_grid_metal_planes

    if not box_smoothing_applies(structure):
        return False
    far = METAL_RESOLVED_STEPS["staircased"] / resolution_px_per_um
    for axis, p in off_grid_metal_planes(structure, resolution_px_per_um):
        a = "xyz".index(axis)
        if abs(structure.emitter_position_um[a] - p) < far and not _shielded(structure, a, p):
            return False
    return True


def metal_warning(structure: Structure, resolution_px_per_um: float, *,
                  smoothing: bool = True) -> str | None:
    """A warning when the emitter is closer to a metal (Re ε < 0, any shape) than
    :data:`METAL_RESOLVED_STEPS` grid steps, naming the resolution that resolves it.

    Near a metal Meep's LDOS error is set by the grid step over the emitter-metal distance and
    by how the metal is staircased (dispersive materials are not smoothed by Meep 1.25). Measured
    against exact results (``benchmarks/metal_convergence.py``): a z dipole 20 nm above Ag, faces
    smoothed, +7.6 % / −0.1 % at 2 / 4 steps (100 / 200 px/µm), Au +39.5 % / +7.1 %; without
    the smoothing −12.6 % / −10.0 % (Ag) and −10.1 % / −13.9 % (Au), not converging; an Ag
    sphere (curved, staircased) +37.6 / +15.8 / +14.8 % at 4 / 6 / 8 steps.

    Example:
        >>> from cavities.library import get_material
        >>> from cavities.shapes import Sphere
        >>> s = Structure(shapes=(Sphere(center_um=(0, 0, 0), radius_um=0.03,
        ...                              material=get_material("Ag")),),
        ...               cell_size_um=(0.6, 0.6, 0.6), dimensions="cylindrical",
        ...               dipole_orientation="z", emitter_position_um=(0, 0, 0.05),
        ...               wavelength_min_um=0.5, wavelength_max_um=0.54)
        >>> metal_warning(s, 200)[:59]
        'the emitter is 20.0 nm from Ag, 4.0 grid steps at 200 px/µm'
        >>> metal_warning(s, 800) is None
        True
    """
    found = metal_distance_um(structure)
    if found is None or structure.dimensions == "2d":
        return None
    d, name = found
    if smoothing:  # judged as it runs: its nearest metal face on a grid plane
        from sims.metal_alignment import aligned_to_grid

        structure = aligned_to_grid(structure, resolution_px_per_um)
    smoothed = _metal_smoothed(structure, resolution_px_per_um, smoothing)
    steps = METAL_RESOLVED_STEPS["smoothed" if smoothed else "staircased"]
    dz = 1.0 / resolution_px_per_um
    if d >= steps * dz * (1 - 1e-9):
        return None
    needed = math.ceil(steps / max(d, 1e-4))
    how = ("its faces are smoothed (sims.metal_smoothing, sims.metal_boxes)" if smoothed else
           "it is staircased (a curved or 3D surface, a face off the grid planes, or "
           "eps_averaging off: Meep 1.25 does not smooth dispersive materials)")
    return (f"the emitter is {1e3 * d:.1f} nm from {name}, {d / dz:.1f} grid steps at "
            f"{resolution_px_per_um:g} px/µm, and {how}: the LDOS near a metal is resolved "
            f"only from {steps:g} steps on (measured against exact results, "
            "benchmarks/metal_convergence.py: +7.6 % / +39.5 % for Ag / Au 2 steps from a "
            "smoothed face, −12.6 % and not converging without the smoothing, an Ag sphere "
            "+15 % at 6 and 8 steps). Run at >= "
            f"{needed} px/µm, or extrapolate from three grids with "
            "sims.metal_convergence.converge; the two-grid error estimate does not capture "
            "this error.")
