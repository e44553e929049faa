"""Subpixel smoothing of the metal faces of axis-aligned boxes in 3D runs (pure; the geometry
the Meep backend adds, as :mod:`sims.metal_smoothing` and :mod:`sims.metal_sidewalls` do in
cylindrical runs).

Meep's 3D Yee grid samples E_x at ((i + ½)Δ, jΔ, kΔ), E_y at (iΔ, (j + ½)Δ, kΔ) and E_z at
(iΔ, jΔ, (k + ½)Δ) about the origin (a grid node: :mod:`sims.layout`), and for dispersive
media each sample takes the material at its own position, without averaging (Meep 1.25).
A box face on an integer grid plane then holds the samples of the two components parallel to
it, and they see solid metal: the metal is half a step thicker for them than for the normal
component. In a nanocube's 8 nm gap at 250 px/µm (two steps) that leaves one sample plane of
spacer for E_x and E_y between the film and the cube.

The cure is the one :mod:`sims.metal_smoothing` applies to horizontal faces in cylindrical
runs: a sample on a face gets the arithmetic mean of the materials over its voxel (the
components tangential to a face are continuous across it). When every face of the boxes lies on
an integer grid plane, a sample's voxel is cut only through its centre, so the mean is the
average of the materials at the voxel's octants (±Δ/4 along each axis on whose face plane the
sample lies): ½-½ on a face, ¼ shares on an edge where two faces meet (E_z on a vertical edge
of the cube, E_x and E_y on its horizontal edges, where three materials meet at the cube's
bottom edges: metal, spacer and air). Corners (integer in all three coordinates) hold no E
sample. A mean of Lorentz-Drude media is one again (pole strengths scaled by the shares): it is
written as a thin box Δ/4 thick over each face rectangle, stopped Δ/8 short of its edges, and a
bar Δ/4 × Δ/4 along each edge segment, so no other sample lies in it. Faces off the integer
planes stay staircased and are reported (:func:`off_grid_metal_planes`; within a voxel of one,
the octant means of the faces it crosses are first order only), and structures with other
shapes (a rounded cube's cylinders and spheres) are left alone; the metal-proximity warning
then asks for the staircased margin if such a face is the emitter's nearest metal.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from cavities.materials import Material
from cavities.shapes import Block, Layer
from cavities.structure import Structure
from sims.metal_distance import is_plasmonic_metal
from sims.metal_smoothing import MEAN_TAG, _lorentz_drude, _on_plane

THIN_FRACTION = 0.25
"""Thickness of a face slab, and width of an edge bar, in grid steps."""
EDGE_MARGIN = 0.125
"""Steps a face slab or an edge bar stops short of the edge or corner that bounds it."""
FAR_UM = 1e5
"""Half-extent of a slab or bar that runs through the PML (a Layer's face)."""


@dataclass(frozen=True)
class BoxPiece:
    """A smoothing slab (``kind="face"``) or bar (``kind="edge"``): an axis-aligned box
    holding the voxel mean of the materials that meet there."""

    kind: str
    center_um: tuple[float, float, float]
    size_um: tuple[float, float, float]
    material: Material


def mixture(parts: list[tuple[Material, float]]) -> Material:
    """The arithmetic mean Σ w_i ε_i (weights summing to 1) as a Lorentz-Drude material: ε∞
    averaged, every pole kept with its strength scaled by its material's weight.

    Example (a sample on the bottom edge of an Ag cube on PMMA: ¼ Ag, ¼ PMMA, ½ air):
        >>> from cavities.library import get_material
        >>> ag, pmma, air = (get_material(n) for n in ("Ag", "PMMA", "vacuum"))
        >>> m = mixture([(ag, 0.25), (pmma, 0.25), (air, 0.5)])
        >>> want = 0.25 * ag.permittivity(0.7) + 0.25 * pmma.permittivity(0.7) + 0.5
        >>> abs(m.permittivity(0.7) - want) < 1e-9
        True
    """
    merged: dict[Material, float] = {}
    for mat, w in parts:
        merged[mat] = merged.get(mat, 0.0) + w
    if len(merged) == 1:
        return next(iter(merged))
    merged = dict(sorted(merged.items(), key=lambda kv: (kv[0].name, repr(kv[0]))))
    poles = tuple(replace(p, sigma=w * p.sigma) for mat, w in merged.items() for p in mat.poles)
    # valid where every part's model is (else the dispersive part's range)
    lo = max(m.valid_range_um[0] for m in merged)
    hi = min(m.valid_range_um[1] for m in merged)
    if not lo < hi:
        lo, hi = max(merged, key=lambda m: (bool(m.poles), merged[m])).valid_range_um
    shares = ",".join(f"{m.name}:{w:.3g}" for m, w in merged.items())
    return Material(name=f"mean({shares})", poles=poles,
                    epsilon_inf=sum(w * m.epsilon_inf for m, w in merged.items()),
                    valid_range_um=(lo, hi), source=MEAN_TAG)


def _boxes_only(structure: Structure) -> bool:
    return all(isinstance(s, (Layer, Block)) for s in structure.shapes)


def _planes(structure: Structure) -> tuple[list[float], list[float], list[float]]:
    """The face planes of the boxes inside the cell, per axis (faces at or beyond the cell's
    edge, which run into the PML, are not faces of the interior)."""
    out: tuple[set[float], set[float], set[float]] = (set(), set(), set())
    half = [s / 2 for s in structure.cell_size_um]
    tiny = 1e-9
    for s in structure.shapes:
        if isinstance(s, Layer):
            bounds = [(), (), (s.z_min_um, s.z_max_um)]
        else:
            bounds = [tuple(b) for b in s.bounds_um()]
        for axis in range(3):
            out[axis].update(p for p in bounds[axis] if abs(p) < half[axis] - tiny)
    return tuple(sorted(p) for p in out)  # type: ignore[return-value]


def _metal_near(structure: Structure, axis: int, p: float, planes: list[list[float]],
                dx: float) -> bool:
    """Whether the plane ``p`` on ``axis`` has a plasmonic metal on either side anywhere."""
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    others = [a for a in range(3) if a != axis]
    for mids in itertools.product(*(_midpoints(planes[a]) for a in others)):
        for side in (-1, 1):
            pt = [0.0, 0.0, 0.0]
            pt[axis] = p + side * dx / 4
            pt[others[0]], pt[others[1]] = mids
            if is_plasmonic_metal(structure.material_at(tuple(pt)), window):
                return True
    return False


def _midpoints(planes: list[float]) -> list[float]:
    """A point inside each interval the planes cut the axis into (the outer ones included)."""
    if not planes:
        return [0.0]
    inner = (0.5 * (a + b) for a, b in zip(planes[:-1], planes[1:], strict=True))
    return [planes[0] - 1e-3, *inner, planes[-1] + 1e-3]


def off_grid_metal_planes(structure: Structure, resolution_px_per_um: float
                          ) -> tuple[tuple[str, float], ...]:
    """(axis, position) of box faces next to a metal that are not on an integer grid plane
    (3D): these stay staircased (the faces on the planes are smoothed)."""
    if structure.dimensions != "3d":
        return ()
    dx = 1.0 / resolution_px_per_um
    planes = [list(p) for p in _planes(structure)]
    return tuple(("xyz"[a], p) for a in range(3) for p in planes[a]
                 if not _on_plane(p, resolution_px_per_um)
                 and _metal_near(structure, a, p, planes, dx))


def box_smoothing_applies(structure: Structure) -> bool:
    """Whether :func:`with_box_smoothing` can smooth this structure: 3D, only Layers and
    Blocks of Lorentz-Drude media, a plasmonic metal among them. Its faces on integer grid
    planes are then smoothed; :func:`off_grid_metal_planes` stay staircased."""
    if structure.dimensions != "3d" or not _boxes_only(structure):
        return False
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    if not any(is_plasmonic_metal(s.material, window) for s in structure.shapes):
        return False
    return all(_lorentz_drude(m) for m in (structure.background,
                                           *(s.material for s in structure.shapes)))


def _intervals(planes: list[float], half: float) -> list[tuple[float, float, bool, bool]]:
    """(lo, hi, lo is a plane, hi is a plane) of every interval the planes cut the cell's
    interior ``[-half, half]`` into."""
    edges = [-half, *planes, half]
    return [(a, b, i > 0, i < len(edges) - 2)
            for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True))]


def _extent(structure: Structure, center: list[float], axis: int, lo: float, hi: float,
            lo_plane: bool, hi_plane: bool, axes: tuple[int, ...], dx: float,
            material: Material) -> tuple[float, float]:
    """(centre, size) along ``axis`` of a slab or bar over the interval [lo, hi], shortened
    by EDGE_MARGIN steps at its plane ends; an end at the cell's edge runs on through the PML
    to FAR_UM when the same mean continues there (a Layer's face), else stops at the edge."""
    margin = EDGE_MARGIN * dx
    ends = []
    for end, is_plane, sign in ((lo, lo_plane, -1), (hi, hi_plane, 1)):
        if is_plane:
            ends.append(end - sign * margin)
            continue
        probe = list(center)
        probe[axis] = end + sign * 1e-3
        beyond = _octant_mean(structure, probe, axes, dx)
        ends.append(sign * FAR_UM if beyond is not None and beyond[0] == material else end)
    return 0.5 * (ends[0] + ends[1]), ends[1] - ends[0]


def _octant_mean(structure: Structure, center: list[float], axes: tuple[int, ...],
                 dx: float) -> tuple[Material, bool] | None:
    """The mean over the sub-voxels around ``center`` split on ``axes`` (None if one
    material); and whether a plasmonic metal is among them."""
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    parts = []
    for signs in itertools.product((-1, 1), repeat=len(axes)):
        pt = list(center)
        for a, s in zip(axes, signs, strict=True):
            pt[a] += s * dx / 4
        parts.append((structure.material_at((pt[0], pt[1], pt[2])), 0.5 ** len(axes)))
    if len({m for m, _ in parts}) == 1:
        return None
    metal = any(is_plasmonic_metal(m, window) for m, _ in parts)
    return mixture(parts), metal


def box_pieces(structure: Structure, resolution_px_per_um: float) -> tuple[BoxPiece, ...]:
    """The smoothing slabs and bars of a 3D box structure (none if it does not qualify,
    :func:`box_smoothing_applies`).

    Example (an Ag film face on a grid plane, 5 nm below the emitter, 200 px/µm):
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Layer(material=get_material("Ag"), z_min_um=-1,
        ...                             z_max_um=-0.05),), cell_size_um=(0.4, 0.4, 0.4),
        ...               dipole_orientation="z", emitter_position_um=(0, 0, -0.045),
        ...               wavelength_min_um=0.5, wavelength_max_um=0.54)
        >>> [(p.kind, p.center_um[2], p.size_um[2], p.material.name)
        ...  for p in box_pieces(s, 200)]
        [('face', -0.05, 0.00125, 'mean(Ag:0.5,vacuum:0.5)')]
    """
    if not box_smoothing_applies(structure):
        return ()
    dx = 1.0 / resolution_px_per_um
    planes = [list(p) for p in _planes(structure)]
    # the faces and edges on integer planes (the intervals along them are cut by every plane)
    grid = [[p for p in ps if _on_plane(p, resolution_px_per_um)] for ps in planes]
    half = [s / 2 for s in structure.cell_size_um]
    thin = THIN_FRACTION * dx
    pieces: list[BoxPiece] = []
    # faces: a slab on each rectangle of each plane, where the two sides differ next to metal
    for axis in range(3):
        b, c = (a for a in range(3) if a != axis)
        for p in grid[axis]:
            for ib, ic in itertools.product(_intervals(planes[b], half[b]),
                                            _intervals(planes[c], half[c])):
                center = [0.0, 0.0, 0.0]
                center[axis] = p
                center[b], center[c] = 0.5 * (ib[0] + ib[1]), 0.5 * (ic[0] + ic[1])
                found = _octant_mean(structure, center, (axis,), dx)
                if found is None or not found[1]:
                    continue
                size = [0.0, 0.0, 0.0]
                size[axis] = thin
                center[b], size[b] = _extent(structure, center, b, *ib, (axis,), dx, found[0])
                center[c], size[c] = _extent(structure, center, c, *ic, (axis,), dx, found[0])
                pieces.append(BoxPiece("face", (center[0], center[1], center[2]),
                                       (size[0], size[1], size[2]), found[0]))
    # edges: a bar along each segment where two planes cross (the samples on it: the
    # component along the edge), with the mean of the four quarter-voxels
    for axis in range(3):  # the bar runs along `axis`
        b, c = (a for a in range(3) if a != axis)
        for pb, pc in itertools.product(grid[b], grid[c]):
            for ia in _intervals(planes[axis], half[axis]):
                center = [0.0, 0.0, 0.0]
                center[b], center[c], center[axis] = pb, pc, 0.5 * (ia[0] + ia[1])
                found = _octant_mean(structure, center, (b, c), dx)
                if found is None or not found[1]:
                    continue
                size = [0.0, 0.0, 0.0]
                size[b] = size[c] = thin
                center[axis], size[axis] = _extent(structure, center, axis, *ia, (b, c), dx,
                                                   found[0])
                pieces.append(BoxPiece("edge", (center[0], center[1], center[2]),
                                       (size[0], size[1], size[2]), found[0]))
    # grouped by material: pieces never overlap, so their order is free, and
    # Structure.mirror_symmetries compares runs of equal material (interleaved, the mirror
    # images of the pieces would sit in other runs and the mirror planes would be lost)
    return tuple(sorted(pieces, key=lambda p: (p.material.name, repr(p.material))))


def with_box_smoothing(target: Structure, original: Structure,
                       resolution_px_per_um: float) -> Structure:
    """``target`` with the :func:`box_pieces` of ``original`` appended (they win over the
    shapes below them); unchanged where they do not apply."""
    pieces = box_pieces(original, resolution_px_per_um)
    if not pieces:
        return target
    extra = tuple(Block(material=p.material, center_um=p.center_um, size_um=p.size_um)
                  for p in pieces)
    return replace(target, shapes=(*target.shapes, *extra))
