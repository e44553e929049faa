"""Subpixel smoothing of horizontal metal faces in cylindrical runs (pure; the geometry the
Meep backend adds).

Meep 1.25 does not smooth dispersive materials: each field component takes the susceptibility
at its own Yee position, and a component exactly on a face takes the shape's (faces are
inclusive). In cylindrical coordinates E_r and E_φ are sampled on the integer planes z = kΔ,
E_z half a step off. For a metal face on an integer plane the E_r/E_φ samples on the face
then see solid metal, and the metal is effectively half a step thicker for them than for E_z.
Measured for a z dipole 20 nm above Ag (cylindrical, metal running into the PML, against
:func:`sims.layered.layered_rate`): −12.6 % at 100 px/µm and still −10.0 % at 200 (Au −10.1 %
and −13.9 %): no convergence. A face half a step off the plane is worse: its E_z samples land
on the face and form metal "pixels" with their own plasmon resonance (+1000 % at 100 px/µm);
a quarter step off gave −20 %.

The cure for a face on an integer plane is what Meep does for dielectrics: the in-plane
samples on the face get the arithmetic mean of the two materials over their voxel,
ε∥ = (ε_below + ε_above)/2, which for Lorentz-Drude media is again a Lorentz-Drude medium (both
pole sets with halved strengths, ε∞ averaged). The E_z samples need nothing: their voxels
[z_f − Δ, z_f] and [z_f, z_f + Δ] lie on one side each. The mean is written as a thin disk or
ring (Δ/4 thick) centred on the face plane, so no other sample plane lies in it. Measured, same
case: +7.6 % / −0.1 % at 100 / 200 px/µm for Ag, +39.5 % / +7.1 % for Au (d = 2 and 4 steps):
converging at about second order once the distance spans a few steps. A face off the integer
planes would need the harmonic mean for E_z, which is not a Lorentz-Drude medium: such faces
are left alone and reported (:func:`unsmoothed_metal_faces`), and the proximity warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from cavities.materials import Material
from cavities.shapes import Cylinder, Layer
from cavities.structure import Structure
from sims.metal_distance import is_plasmonic_metal

R_FAR_UM = 1e5
"""Outer radius of the last ring: a Layer's face runs through the PML, like the Layer."""
SLAB_FRACTION = 0.25
"""Thickness of a smoothing disk in grid steps."""
MEAN_TAG = "voxel mean (sims.metal_smoothing)"
"""The ``source`` of the smoothing materials (their faces are not smoothed again)."""
ON_PLANE_TOLERANCE = 1e-6
"""A face counts as on an integer grid plane within this fraction of a step."""


@dataclass(frozen=True)
class MetalSlab:
    """A thin disk (``r_min_um = 0``) or ring holding the voxel mean of the two materials."""

    r_min_um: float
    r_max_um: float
    z_center_um: float
    thickness_um: float
    material: Material


def _lorentz_drude(material: Material) -> bool:
    """Whether the material is ε∞ + Lorentz-Drude poles only (what a mean can be built of)."""
    return not (material.perfect_conductor or material.epsilon_imag)


def voxel_mean(a: Material, b: Material, fraction_a: float = 0.5) -> Material:
    """The arithmetic mean f ε_a + (1 − f) ε_b as a Lorentz-Drude material.

    Example:
        >>> from cavities.library import get_material
        >>> m = voxel_mean(get_material("Ag"), get_material("vacuum"))
        >>> eps = m.permittivity(0.52)
        >>> round(eps.real, 3), round(eps.imag, 3)
        (-3.787, 0.388)
    """
    from dataclasses import replace

    poles = (*(replace(p, sigma=fraction_a * p.sigma) for p in a.poles),
             *(replace(p, sigma=(1 - fraction_a) * p.sigma) for p in b.poles))
    return Material(name=f"mean({a.name},{b.name})", poles=poles,
                    epsilon_inf=fraction_a * a.epsilon_inf + (1 - fraction_a) * b.epsilon_inf,
                    valid_range_um=a.valid_range_um, source=MEAN_TAG)


def _faces(structure: Structure) -> list[float]:
    zs: set[float] = set()
    for s in structure.shapes:
        if isinstance(s, Layer):
            zs.update((s.z_min_um, s.z_max_um))
        elif isinstance(s, Cylinder) and s.axis == "z" and s.top_radius_um is None:
            zs.update((s.center_um[2] - s.height_um / 2, s.center_um[2] + s.height_um / 2))
    return sorted(zs)


def _radii(structure: Structure) -> list[float]:
    rs = {0.0, R_FAR_UM}
    for s in structure.shapes:
        if isinstance(s, Cylinder):
            rs.add(s.radius_um)
    return sorted(rs)


def _metal_faces(structure: Structure) -> list[tuple[float, float, float, Material, Material]]:
    """(z, r_min, r_max, material below, material above) of every horizontal face segment with
    a plasmonic metal on at least one side."""
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    radii = _radii(structure)
    half_z = structure.cell_size_um[2] / 2
    out = []
    for zf in _faces(structure):
        if abs(zf) >= half_z:
            continue  # outside the cell interior (a Layer running into the PML)
        tiny = 1e-9
        for ra, rb in zip(radii[:-1], radii[1:], strict=True):
            rm = 0.5 * (ra + rb) if rb < R_FAR_UM else ra + 1e-3
            below = structure.material_at((rm, 0.0, zf - tiny))
            above = structure.material_at((rm, 0.0, zf + tiny))
            if below == above or MEAN_TAG in (below.source, above.source):
                continue  # no face, or the face of a smoothing slab already drawn
            if is_plasmonic_metal(below, window) or is_plasmonic_metal(above, window):
                out.append((zf, ra, rb, below, above))
    return out


def _on_plane(z_um: float, resolution_px_per_um: float) -> bool:
    k = z_um * resolution_px_per_um
    return abs(k - round(k)) < ON_PLANE_TOLERANCE


def metal_face_slabs(structure: Structure, resolution_px_per_um: float) -> tuple[MetalSlab, ...]:
    """The smoothing disks of every horizontal metal face on an integer grid plane of a
    cylindrical structure (others get none).

    Example:
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Layer(material=get_material("Ag"), z_min_um=-1e3,
        ...                             z_max_um=-0.05),), cell_size_um=(0.6, 0.6, 0.3),
        ...               dimensions="cylindrical", dipole_orientation="z",
        ...               emitter_position_um=(0, 0, -0.03), wavelength_min_um=0.5,
        ...               wavelength_max_um=0.54)
        >>> [(sl.z_center_um, sl.thickness_um, sl.material.name)
        ...  for sl in metal_face_slabs(s, 100)]
        [(-0.05, 0.0025, 'mean(Ag,vacuum)')]
    """
    if structure.dimensions != "cylindrical":
        return ()
    dz = 1.0 / resolution_px_per_um
    slabs = []
    for zf, ra, rb, below, above in _metal_faces(structure):
        if not (_on_plane(zf, resolution_px_per_um) and _lorentz_drude(below)
                and _lorentz_drude(above)):
            continue
        slabs.append(MetalSlab(r_min_um=ra, r_max_um=rb, z_center_um=zf,
                               thickness_um=SLAB_FRACTION * dz, material=voxel_mean(below, above)))
    return tuple(slabs)


def unsmoothed_metal_faces(structure: Structure, resolution_px_per_um: float) -> tuple[float, ...]:
    """z of the horizontal metal faces (cylindrical) that are not on an integer grid plane, or
    whose other side is not a Lorentz-Drude medium: their staircase error stays."""
    if structure.dimensions != "cylindrical":
        return ()
    out = {zf for zf, _, _, below, above in _metal_faces(structure)
           if not (_on_plane(zf, resolution_px_per_um) and _lorentz_drude(below)
                   and _lorentz_drude(above))}
    return tuple(sorted(out))


def with_metal_smoothing(structure: Structure, resolution_px_per_um: float) -> Structure:
    """``structure`` with its :func:`metal_face_slabs` appended as shapes (they win over the
    shapes below them): thin Layers for faces that run through the cell, thin disks for
    cylinder faces (a ring is drawn as its full disk, then the segments inside it again, each
    with the material the original structure has on that plane).

    Example:
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Layer(material=get_material("Ag"), z_min_um=-1e3,
        ...                             z_max_um=-0.05),), cell_size_um=(0.6, 0.6, 0.3),
        ...               dimensions="cylindrical", dipole_orientation="z",
        ...               emitter_position_um=(0, 0, -0.03), wavelength_min_um=0.5,
        ...               wavelength_max_um=0.54)
        >>> t = with_metal_smoothing(s, 100)
        >>> [(sh.type, round(sh.z_min_um, 6), sh.material.name) for sh in t.shapes[1:]]
        [('layer', -0.05125, 'mean(Ag,vacuum)')]
    """
    from dataclasses import replace

    slabs = metal_face_slabs(structure, resolution_px_per_um)
    if not slabs:
        return structure
    extra: list[Layer | Cylinder] = []
    by_plane: dict[float, list[MetalSlab]] = {}
    for sl in slabs:
        by_plane.setdefault(sl.z_center_um, []).append(sl)
    for zc, group in by_plane.items():
        t = group[0].thickness_um
        outer = max(sl.r_max_um for sl in group)
        radii = sorted({r for sl in group for r in (sl.r_min_um, sl.r_max_um)} | set(
            r for r in _radii(structure) if r < outer), reverse=True)
        for rb, ra in zip(radii[:-1], radii[1:], strict=True):
            mat = next((sl.material for sl in group if sl.r_min_um <= ra and rb <= sl.r_max_um),
                       None)
            if mat is None:
                mat = structure.material_at((0.5 * (ra + rb), 0.0, zc))
            if rb >= R_FAR_UM:
                extra.append(Layer(material=mat, z_min_um=zc - t / 2, z_max_um=zc + t / 2))
            else:
                extra.append(Cylinder(material=mat, center_um=(0.0, 0.0, zc), radius_um=rb,
                                      height_um=t))
    return replace(structure, shapes=(*structure.shapes, *extra))
