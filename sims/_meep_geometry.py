"""Meep geometry and cell layout: Materials/Shapes -> mp objects, cell, PML and monitor regions.

One of the ``sims._meep_*`` modules, the only ones that import Meep; ``mp.*`` objects never
leave them. Lengths arrive in µm and are converted through :data:`UNITS` (``sims.units``). The
numbers of the cell, PML and monitor regions come from the Meep-free :mod:`sims.layout`
(which the geometry figure of ``pnc-cavity show`` also draws); this module makes them ``mp``
objects.
"""

from __future__ import annotations

import math
from typing import Any

import meep as mp

from cavities.materials import Material
from cavities.shapes import Block, Cylinder, Layer, Shape, Sphere
from sims.errors import SimulationError
from sims.layout import (
    UNITS,
    CellLayout,
    collection_plane,
    flux_faces,
    interior_region,
)
from sims.units import MeepUnits

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
    if isinstance(shape, Cylinder) and shape.edge_radius_um != 0.0:
        raise SimulationError("a cylinder with rounded rims reached Meep; draw it as terraces "
                              "first (sims.rounded_edges.with_terraced_edges)")
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


class Layout(CellLayout):
    """Cell, PML and monitor geometry in Meep units for one structure (the numbers come from
    the Meep-free :class:`sims.layout.CellLayout`; this adds the ``mp`` objects)."""

    def cell(self) -> Any:
        return mp.Vector3(*self.cell_size())

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


def flux_regions(layout: CellLayout) -> list[Any]:
    return [mp.FluxRegion(center=mp.Vector3(*f.center), size=mp.Vector3(*f.size),
                          weight=f.weight) for f in flux_faces(layout)]


def plane_volume(layout: CellLayout, direction: str) -> Any:
    center, size = collection_plane(layout, direction)
    return mp.Volume(center=mp.Vector3(*center), size=mp.Vector3(*size))


def interior_volume(layout: CellLayout) -> Any:
    center, size = interior_region(layout)
    return mp.Volume(center=mp.Vector3(*center), size=mp.Vector3(*size))
