"""Cell, PML and monitor geometry of a simulation, without Meep (pure).

The Meep backend builds its cell, boundary layers, flux box, collection plane and mode-volume
region from these numbers (:mod:`sims._meep_geometry` turns them into ``mp`` objects), and the
geometry figure of ``pnc-cavity show`` draws the same regions (:func:`regions_um`), so the figure
shows what the simulation uses.

Coordinates are Meep units (:data:`UNITS`: a = 1 µm) in :class:`CellLayout` and the region
functions, µm in :class:`Regions`. 3D and 2D cells are centred on the origin; a cylindrical
cell is the (r, z) half-plane, r from 0 (the axis) to the outer PML, z centred.

Example:
    >>> from cavities.structure import Structure
    >>> from sims.config import SimConfig
    >>> s = Structure(cell_size_um=(1.0, 1.0, 1.0), wavelength_min_um=0.5,
    ...               wavelength_max_um=0.6)
    >>> layout = CellLayout(s, SimConfig(resolution_px_per_um=40, pml_um=0.5))
    >>> layout.cell_size(), layout.box_half()
    ((2.0, 2.0, 2.0), (0.45, 0.45, 0.45))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cavities.structure import Structure
from sims.config import SimConfig
from sims.grid import even_pixels
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)

Vec3 = tuple[float, float, float]


class CellLayout:
    """Cell, PML and monitor geometry in Meep units for one structure and one config."""

    def __init__(self, structure: Structure, config: SimConfig) -> None:
        self.dims = structure.dimensions
        res = config.resolution_px_per_um
        self.res = UNITS.resolution_mu(px_per_um=res)
        self.dx = 1.0 / self.res
        # whole pixels, like the interior: a cell that is not an integer number of pixels is
        # rounded by Meep, which moves the origin off a grid node (measured: at 39 px/µm the
        # 0.5 µm PML was 19.5 px and the bullseye's normalised LDOS came out 2.3x low)
        self.pml = math.ceil(round(config.pml_um * res, 6)) / self.res
        self.boundary_layer = config.boundary_layer
        sx, sy, sz = structure.cell_size_um
        if self.dims == "cylindrical":
            # r from 0 to R; interior R rounded to whole pixels (r grid starts at the axis)
            self.interior = (math.ceil(round(sx / 2 * res, 6)) / self.res, 0.0,
                             even_pixels(sz, res) / self.res)
        elif self.dims == "2d":
            self.interior = (even_pixels(sx, res) / self.res, even_pixels(sy, res) / self.res, 0.0)
        else:
            self.interior = tuple(even_pixels(s, res) / self.res for s in (sx, sy, sz))
        self.pml_axes = [b == "pml" for b in structure.boundaries]

    def pml_thickness(self) -> Vec3:
        """PML (or absorber) thickness on each axis (0 where the boundary is not absorbing)."""
        px, py, pz = (self.pml if p else 0.0 for p in self.pml_axes)
        return (px, py, pz)

    def cell_size(self) -> Vec3:
        """Size of Meep's cell: the interior plus the PML (cylindrical: r from 0 to R + PML)."""
        ix, iy, iz = self.interior
        px, py, pz = self.pml_thickness()
        if self.dims == "cylindrical":
            return (ix + px, 0, iz + 2 * pz)
        if self.dims == "2d":
            return (ix + 2 * px, iy + 2 * py, 0)
        return (ix + 2 * px, iy + 2 * py, iz + 2 * pz)

    def margin(self) -> float:
        return 2 * self.dx

    def box_half(self) -> Vec3:
        """Half-sizes of the flux box (interior shrunk by a margin)."""
        ix, iy, iz = self.interior
        m = self.margin()
        if self.dims == "cylindrical":
            return (ix - m, 0.0, iz / 2 - m)
        return (ix / 2 - m, iy / 2 - m, iz / 2 - m if self.dims == "3d" else 0.0)


@dataclass(frozen=True)
class Face:
    """One face of the flux box: centre, size and sign (+1 outward along the face normal)."""

    center: Vec3
    size: Vec3
    weight: float = 1.0


def flux_faces(layout: CellLayout) -> list[Face]:
    """The faces of the closed flux box around the structure (Meep units)."""
    hx, hy, hz = layout.box_half()
    if layout.dims == "cylindrical":
        return [
            Face((hx / 2, 0, hz), (hx, 0, 0)),
            Face((hx / 2, 0, -hz), (hx, 0, 0), weight=-1),
            Face((hx, 0, 0), (0, 0, 2 * hz)),
        ]
    faces = []
    half = (hx, hy, hz)
    axes = (0, 1) if layout.dims == "2d" else (0, 1, 2)
    for a in axes:
        for sign in (1, -1):
            c = [0.0, 0.0, 0.0]
            c[a] = sign * half[a]
            s = [2 * h for h in half]
            s[a] = 0.0
            if layout.dims == "2d":
                s[2] = 0.0
            faces.append(Face((c[0], c[1], c[2]), (s[0], s[1], s[2]), weight=float(sign)))
    return faces


def collection_plane(layout: CellLayout, direction: str) -> tuple[Vec3, Vec3]:
    """(centre, size) of the collection plane: the top (``"up"``) or bottom face of the box."""
    hx, hy, hz = layout.box_half()
    z = hz if direction == "up" else -hz
    if layout.dims == "cylindrical":
        return (hx / 2, 0, z), (hx, 0, 0)
    return (0, 0, z), (2 * hx, 2 * hy, 0)


def interior_region(layout: CellLayout) -> tuple[Vec3, Vec3]:
    """(centre, size) of the region whose DFT fields give the mode volume and field map."""
    hx, hy, hz = layout.box_half()
    m = layout.margin()
    if layout.dims == "cylindrical":
        return ((hx + m) / 2, 0, 0), (hx + m, 0, 2 * (hz + m))
    if layout.dims == "2d":
        return (0, 0, 0), (2 * (hx + m), 2 * (hy + m), 0)
    return (0, 0, 0), (2 * (hx + m), 2 * (hy + m), 2 * (hz + m))


@dataclass(frozen=True, kw_only=True)
class Regions:
    """What a simulation of a structure contains, in µm (for figures).

    Half-sizes are about the origin; in cylindrical coordinates the x half-size is the radius
    (the figure revolves the (r, z) half-plane to −R..R).

    Args:
        dimensions: ``"3d"``, ``"2d"`` or ``"cylindrical"``.
        cell_half_um: half-size of the whole cell, PML included.
        interior_half_um: half-size of the interior (the cell without the PML).
        pml_um: PML thickness on each axis (0 where the boundary does not absorb).
        boundary_layer: ``"pml"`` or ``"absorber"``.
        flux_box_half_um: half-size of the closed flux box.
        collection_z_um: height of the collection plane (None: collection not computed).
        collection_half_um: lateral half-size (x, y) of the collection plane.
        collection_direction: ``"up"`` or ``"down"``.
        collection_na: numerical aperture of the collection lens.
        collection_index: refractive index of the medium at the collection plane (the NA cone
            is ``n sin θ <= NA`` in that medium, :mod:`sims.collection`).
        resolution_px_per_um: grid resolution the regions were rounded to.
    """

    dimensions: str
    cell_half_um: Vec3
    interior_half_um: Vec3
    pml_um: Vec3
    boundary_layer: str
    flux_box_half_um: Vec3
    collection_z_um: float | None
    collection_half_um: tuple[float, float]
    collection_direction: str
    collection_na: float
    collection_index: float
    resolution_px_per_um: float

    @property
    def cone_half_angle_deg(self) -> float:
        """Half-angle of the collected cone in the medium at the plane, asin(min(1, NA/n))."""
        return math.degrees(math.asin(min(1.0, self.collection_na / self.collection_index)))


def regions_um(structure: Structure, config: SimConfig) -> Regions:
    """The cell, PML, flux box and collection plane of ``structure`` run with ``config`` (µm).

    Example:
        >>> from cavities.structure import Structure
        >>> s = Structure(cell_size_um=(1.0, 1.0, 1.0), dimensions="cylindrical",
        ...               dipole_orientation="z", wavelength_min_um=0.5, wavelength_max_um=0.6)
        >>> r = regions_um(s, SimConfig(resolution_px_per_um=40, pml_um=0.5))
        >>> r.cell_half_um, r.flux_box_half_um, r.collection_z_um
        ((1.0, 1.0, 1.0), (0.45, 0.45, 0.45), 0.45)
    """
    layout = CellLayout(structure, config)
    um = UNITS.length_um
    ix, iy, iz = layout.interior
    px, py, pz = layout.pml_thickness()
    hx, hy, hz = layout.box_half()
    if layout.dims == "cylindrical":  # revolved: the y extent is the radius too
        interior = (um(ix), um(ix), um(iz / 2))
        pml = (um(px), um(px), um(pz))
        box = (um(hx), um(hx), um(hz))
    else:
        interior = (um(ix / 2), um(iy / 2), um(iz / 2))
        pml = (um(px), um(py), um(pz))
        box = (um(hx), um(hy), um(hz))
    cell = (interior[0] + pml[0], interior[1] + pml[1],
            interior[2] + pml[2] if layout.dims != "2d" else 0.0)
    plane_z = None
    if config.compute_collection and layout.dims != "2d":
        center, _ = collection_plane(layout, structure.collection_direction)
        plane_z = um(center[2])
    lam = structure.target_um
    z_probe = 0.0 if plane_z is None else plane_z
    medium = structure.material_at((0.0, 0.0, z_probe))
    index = 1.0 if medium.perfect_conductor else float(medium.index(lam).real)
    return Regions(dimensions=layout.dims, cell_half_um=cell, interior_half_um=interior,
                   pml_um=pml, boundary_layer=layout.boundary_layer, flux_box_half_um=box,
                   collection_z_um=plane_z, collection_half_um=(box[0], box[1]),
                   collection_direction=structure.collection_direction,
                   collection_na=structure.collection_na, collection_index=max(index, 1e-9),
                   resolution_px_per_um=config.resolution_px_per_um)
