"""Meep geometry and cell layout: Materials/Shapes -> mp objects, cell, PML and monitor regions.

One of the ``sims._meep_*`` modules, the only ones that import Meep; ``mp.*`` objects never
leave them. Lengths arrive in µm and are converted through :data:`UNITS` (``sims.units``).
"""

from __future__ import annotations

import math
from typing import Any

import meep as mp

from cavities.materials import Material
from cavities.shapes import Block, Cylinder, Layer, Shape, Sphere
from cavities.structure import Structure
from sims.config import SimConfig
from sims.errors import SimulationError
from sims.grid import even_pixels
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)
LAYER_EXTENT_MU = 1e5  # lateral size of a Layer (runs through the PML)


def material_to_meep(material: Material, units: MeepUnits = UNITS) -> Any:
    """mp.Medium (or mp.metal) for a Material; eV -> Meep frequency through ``units``."""
    if material.perfect_conductor:
        return mp.metal
    susc = []
    for p in material.poles:
        f = units.frequency_mu_from_ev(p.frequency_ev)
        g = units.frequency_mu_from_ev(p.gamma_ev)
        cls = mp.LorentzianSusceptibility if p.kind == "lorentzian" else mp.DrudeSusceptibility
        susc.append(cls(frequency=f, gamma=g, sigma=p.sigma))
    kwargs: dict[str, Any] = {"epsilon": material.epsilon_inf}
    if susc:
        kwargs["E_susceptibilities"] = susc
    if material.epsilon_imag and material.loss_tangent_at_um:
        # ε = ε_r (1 + i σ_D / (2π f)) -> σ_D = 2π f Im ε / ε_r, exact at the pinned wavelength
        f0 = units.frequency_mu(wavelength_um=material.loss_tangent_at_um)
        kwargs["D_conductivity"] = 2 * math.pi * f0 * material.epsilon_imag / material.epsilon_inf
    return mp.Medium(**kwargs)


def vec(p: tuple[float, float, float] | list[float]) -> Any:
    return mp.Vector3(*(UNITS.length_mu(c) for c in p))


def shape_to_meep(shape: Shape, dimensions: str, medium: Any) -> Any:
    axis_vec = {"x": mp.Vector3(1, 0, 0), "y": mp.Vector3(0, 1, 0), "z": mp.Vector3(0, 0, 1)}
    if dimensions == "cylindrical":
        # Meep's cylindrical cell is the (r, z) half-plane: build everything as r-z blocks.
        if isinstance(shape, Layer):
            zc = 0.5 * (shape.z_min_um + shape.z_max_um)
            return mp.Block(center=mp.Vector3(LAYER_EXTENT_MU / 2, 0, UNITS.length_mu(zc)),
                            size=mp.Vector3(LAYER_EXTENT_MU, mp.inf,
                                            UNITS.length_mu(shape.z_max_um - shape.z_min_um)),
                            material=medium)
        if isinstance(shape, Cylinder) and shape.top_radius_um is None:
            r = UNITS.length_mu(shape.radius_um)
            return mp.Block(center=mp.Vector3(r / 2, 0, UNITS.length_mu(shape.center_um[2])),
                            size=mp.Vector3(r, mp.inf, UNITS.length_mu(shape.height_um)),
                            material=medium)
        if isinstance(shape, Sphere):
            return mp.Sphere(center=mp.Vector3(0, 0, UNITS.length_mu(shape.center_um[2])),
                             radius=UNITS.length_mu(shape.radius_um), material=medium)
        if isinstance(shape, Cylinder):  # cone on the axis: Meep's Cone in the (r, z) plane
            return mp.Cone(center=mp.Vector3(0, 0, UNITS.length_mu(shape.center_um[2])),
                           radius=UNITS.length_mu(shape.radius_um),
                           radius2=UNITS.length_mu(shape.top_radius_um or 0.0),
                           height=UNITS.length_mu(shape.height_um), axis=mp.Vector3(0, 0, 1),
                           material=medium)
        raise SimulationError(f"{shape.type} cannot be represented in cylindrical coordinates")
    if isinstance(shape, Layer):
        zc = 0.5 * (shape.z_min_um + shape.z_max_um)
        if dimensions == "2d":
            raise SimulationError(
                "a Layer (infinite in x and y) has no meaning in a 2D (x, y) simulation; use a "
                "Block for the cross-section instead."
            )
        return mp.Block(center=mp.Vector3(0, 0, UNITS.length_mu(zc)),
                        size=mp.Vector3(mp.inf, mp.inf,
                                        UNITS.length_mu(shape.z_max_um - shape.z_min_um)),
                        material=medium)
    if isinstance(shape, Block):
        return mp.Block(center=vec(shape.center_um), size=vec(shape.size_um), material=medium)
    if isinstance(shape, Sphere):
        return mp.Sphere(center=vec(shape.center_um), radius=UNITS.length_mu(shape.radius_um),
                         material=medium)
    if isinstance(shape, Cylinder):
        if shape.top_radius_um is None:
            return mp.Cylinder(center=vec(shape.center_um),
                               radius=UNITS.length_mu(shape.radius_um),
                               height=UNITS.length_mu(shape.height_um), axis=axis_vec[shape.axis],
                               material=medium)
        return mp.Cone(center=vec(shape.center_um), radius=UNITS.length_mu(shape.radius_um),
                       radius2=UNITS.length_mu(shape.top_radius_um),
                       height=UNITS.length_mu(shape.height_um), axis=axis_vec[shape.axis],
                       material=medium)
    raise SimulationError(f"unknown shape type {type(shape).__name__}")


class Layout:
    """Cell, PML and monitor geometry in Meep units for one structure."""

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

    def cell(self) -> Any:
        ix, iy, iz = self.interior
        px, py, pz = (self.pml if p else 0.0 for p in self.pml_axes)
        if self.dims == "cylindrical":
            return mp.Vector3(ix + px, 0, iz + 2 * pz)
        if self.dims == "2d":
            return mp.Vector3(ix + 2 * px, iy + 2 * py, 0)
        return mp.Vector3(ix + 2 * px, iy + 2 * py, iz + 2 * pz)

    def boundary_layers(self) -> list[Any]:
        layer = mp.Absorber if self.boundary_layer == "absorber" else mp.PML
        out = []
        if self.dims == "cylindrical":
            if self.pml_axes[0]:
                out.append(layer(self.pml, direction=mp.R))
            if self.pml_axes[2]:
                out.append(layer(self.pml, direction=mp.Z))
            return out
        axes = [mp.X, mp.Y] + ([] if self.dims == "2d" else [mp.Z])
        for axis, use in zip(axes, self.pml_axes, strict=False):
            if use:
                out.append(layer(self.pml, direction=axis))
        return out

    def margin(self) -> float:
        return 2 * self.dx

    def box_half(self) -> tuple[float, float, float]:
        """Half-sizes of the flux box (interior shrunk by a margin)."""
        ix, iy, iz = self.interior
        m = self.margin()
        if self.dims == "cylindrical":
            return (ix - m, 0.0, iz / 2 - m)
        return (ix / 2 - m, iy / 2 - m, iz / 2 - m if self.dims == "3d" else 0.0)


def flux_regions(layout: Layout) -> list[Any]:
    hx, hy, hz = layout.box_half()
    if layout.dims == "cylindrical":
        return [
            mp.FluxRegion(center=mp.Vector3(hx / 2, 0, hz), size=mp.Vector3(hx, 0, 0)),
            mp.FluxRegion(center=mp.Vector3(hx / 2, 0, -hz), size=mp.Vector3(hx, 0, 0),
                          weight=-1),
            mp.FluxRegion(center=mp.Vector3(hx, 0, 0), size=mp.Vector3(0, 0, 2 * hz)),
        ]
    regions = []
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
            regions.append(mp.FluxRegion(center=mp.Vector3(*c), size=mp.Vector3(*s),
                                         weight=float(sign)))
    return regions


def plane_volume(layout: Layout, direction: str) -> Any:
    hx, hy, hz = layout.box_half()
    z = hz if direction == "up" else -hz
    if layout.dims == "cylindrical":
        return mp.Volume(center=mp.Vector3(hx / 2, 0, z), size=mp.Vector3(hx, 0, 0))
    return mp.Volume(center=mp.Vector3(0, 0, z), size=mp.Vector3(2 * hx, 2 * hy, 0))


def interior_volume(layout: Layout) -> Any:
    hx, hy, hz = layout.box_half()
    m = layout.margin()
    if layout.dims == "cylindrical":
        return mp.Volume(center=mp.Vector3((hx + m) / 2, 0, 0),
                         size=mp.Vector3(hx + m, 0, 2 * (hz + m)))
    if layout.dims == "2d":
        return mp.Volume(center=mp.Vector3(), size=mp.Vector3(2 * (hx + m), 2 * (hy + m), 0))
    return mp.Volume(center=mp.Vector3(), size=mp.Vector3(2 * (hx + m), 2 * (hy + m),
                                                          2 * (hz + m)))
