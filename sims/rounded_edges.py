"""Rounded cylinder rims drawn as terraces one grid step high (pure geometry; :mod:`sims.runner`
applies it to every run, before the metal smoothing).

A cylinder with ``edge_radius_um = a`` (:class:`cavities.shapes.Cylinder`) has the (r, z)
cross-section of a rectangle with its outer corners rounded: a quarter circle of radius a at
each rim; a = R = h/2 is a sphere. Meep would draw such a curved metal surface as a staircase
its subpixel averaging does not smooth (dispersive media, Meep 1.25), and the tool's metal
smoothing handles horizontal faces on grid planes (:mod:`sims.metal_smoothing`) and vertical
walls of z-axis cylinders (:mod:`sims.metal_sidewalls`) only. So each rim becomes a stack of
z-axis cylinders cut at the grid planes z = kΔ, each holding the volume of revolution of the
rounded shape over its step: radius √⟨r(z)²⟩ over [kΔ, (k + 1)Δ] (the integral is analytic).
Every terrace face then lies on a grid plane and every terrace wall is a cylinder wall, which
the smoothing of both handles, and the shape's volume is kept step by step. The straight part between the rims stays one cylinder (its cut planes are the
first plane beyond each rim).

The nanocube screen's disk rounds its rims this way (``NanocubeOnMirror.corner_radius_um``).

What the terraces are not: a cure for the near field of a curved metal surface. Each terrace
face is smoothed as a horizontal face and each wall as a vertical one, while the true surface
between them is sloped, so a sample next to the curve gets the mean for the wrong normal. A
dipole 20 nm above an Ag sphere (a = 30 nm, radial, 520 nm) drawn as terraces is +91 / +51 /
+27 % off Mie theory at 200 / 300 / 400 px/µm, against +38 / +16 / +15 % for Meep's staircase
(``benchmarks/metal_convergence.py terraced-sphere:Ag:0.03:0.02:z 200,300,400``). (Per-sample
anisotropic means with the true normal, tried here, were worse still: without the off-diagonal
terms the mixed diagonal components pass through ε ≈ 0 and resonate.) So :mod:`sims.proximity`
counts a rounded rim as a staircased surface.
"""

from __future__ import annotations

import dataclasses
import math

from cavities.shapes import Cylinder
from cavities.structure import Structure

PLANE_TOLERANCE = 1e-6
"""A cut closer than this (in grid steps) to a face of the cylinder is that face."""


def _r2_integral(cyl: Cylinder, t: float) -> float:
    """∫₀ᵗ r(t')² dt' over the axial coordinate t' relative to the centre (odd in t)."""
    sign, s = (1.0, t) if t >= 0 else (-1.0, -t)
    radius, a = cyl.radius_um, cyl.edge_radius_um
    s0 = cyl.height_um / 2 - a  # where the rim begins
    if s <= s0:
        return sign * radius * radius * s
    u = min(s - s0, a)
    c = radius - a  # r = c + √(a² − u²) on the rim
    rim = ((c * c + a * a) * u - u ** 3 / 3
           + c * (u * math.sqrt(max(a * a - u * u, 0.0)) + a * a * math.asin(min(u / a, 1.0))))
    return sign * (radius * radius * s0 + rim)


def terraces(cyl: Cylinder, resolution_px_per_um: float) -> tuple[Cylinder, ...]:
    """The z-axis cylinders that draw a rounded cylinder on a grid of step 1/resolution: cut
    at every grid plane within one step of a rim, each with the radius that keeps its volume of
    revolution. A cylinder with sharp rims is returned as it is.

    Example (a sphere of radius 10 nm at 200 px/µm, centred on a grid plane: four terraces of
    5 nm, the outer two of radius √⟨a² − z²⟩ over [5, 10] nm = 6.45 nm):
        >>> from cavities.library import get_material
        >>> ball = Cylinder(material=get_material("Ag"), center_um=(0, 0, 0), radius_um=0.01,
        ...                 height_um=0.02, edge_radius_um=0.01)
        >>> [(round(1e3 * c.center_um[2], 3), round(1e3 * c.height_um, 3),
        ...   round(1e3 * c.radius_um, 3)) for c in terraces(ball, 200)]
        [(-7.5, 5.0, 6.455), (-2.5, 5.0, 9.574), (2.5, 5.0, 9.574), (7.5, 5.0, 6.455)]
    """
    a = cyl.edge_radius_um
    if a == 0.0:
        return (cyl,)
    dz = 1.0 / resolution_px_per_um
    zc, half = cyl.center_um[2], cyl.height_um / 2
    z0, z1 = zc - half, zc + half
    tol = PLANE_TOLERANCE * dz
    cuts = {z0, z1}
    for lo, hi in ((z0, z0 + a + dz), (z1 - a - dz, z1)):
        k = math.ceil((max(lo, z0) + tol) / dz)
        while k * dz < min(hi, z1) - tol:
            cuts.add(k * dz)
            k += 1
    bounds = sorted(cuts)
    out = []
    for p, q in zip(bounds[:-1], bounds[1:], strict=True):
        mean_r2 = (_r2_integral(cyl, q - zc) - _r2_integral(cyl, p - zc)) / (q - p)
        out.append(dataclasses.replace(cyl, center_um=(cyl.center_um[0], cyl.center_um[1],
                                                       0.5 * (p + q)),
                                       height_um=q - p, radius_um=math.sqrt(mean_r2),
                                       edge_radius_um=0.0))
    return tuple(out)


def with_terraced_edges(structure: Structure, resolution_px_per_um: float) -> Structure:
    """``structure`` with every rounded cylinder replaced, in place (the shape order decides
    overlaps), by its :func:`terraces`; the structure itself when it has none."""
    if not any(isinstance(s, Cylinder) and s.edge_radius_um != 0.0 for s in structure.shapes):
        return structure
    shapes = tuple(t for s in structure.shapes
                   for t in (terraces(s, resolution_px_per_um) if isinstance(s, Cylinder)
                             else (s,)))
    return dataclasses.replace(structure, shapes=shapes)
