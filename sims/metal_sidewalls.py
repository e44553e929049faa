"""Subpixel smoothing of vertical metal faces (the sidewall r = R of a z-axis cylinder) in
cylindrical runs (pure; the geometry the Meep backend adds beside :mod:`sims.metal_smoothing`).

Meep's cylindrical Yee grid samples E_z and E_φ on the integer radii r = kΔ and E_r on
r = (k + ½)Δ, each at its own position and, for dispersive media, without averaging. A metal
sidewall at r = R therefore moves, for the two components parallel to it, in whole steps: the
sample at kΔ is metal when kΔ ≤ R and not otherwise, so the radius those components see is
off by up to Δ/2 and jumps as the grid changes. For a nanopatch (the nanocube screen's disk)
the gap-plasmon resonance shifts by ~λ/R per unit of radius, ~20 nm per nm at R = 42 nm: at
250 and 375 px/µm a 42.31 nm disk is seen as ≈ 42.0 and ≈ 41.3 nm by E_z and E_φ, ≈ 44.0 and
≈ 42.7 nm by E_r.

The components parallel to a face are continuous across it, so the right value for the one
sample column at kΔ whose voxel [kΔ − Δ/2, kΔ + Δ/2] the face cuts is the voxel mean
f ε_in + (1 − f) ε_out, with f the share of the voxel's volume (2πr dr) inside R: again a
Lorentz-Drude medium (:func:`sims.metal_smoothing.voxel_mean`). E_r, normal to the face, needs
the harmonic mean 1/(f/ε_in + (1 − f)/ε_out) over its voxel [jΔ, (j + 1)Δ] (first-order
subpixel averaging, as Meep does for dielectrics). Next to a metal (ε_m ≈ −10…−45) that mean
is a dielectric, ≈ ε_d/(1 − f), until f comes within |ε_d/ε_m| of 1: a column with half its
voxel in the metal is no metal for E_r, while Meep's staircase makes it metal whenever
(j + ½)Δ ≤ R. It is not a Lorentz-Drude medium; the ring holds its real part at the
structure's target wavelength as a constant permittivity (for f ≤ 0.6 it changes by ~12 %
over 550-1000 nm next to Ag), or the metal itself where the mean is negative or above
:data:`MAX_HARMONIC_EPS` (the column is then metal to first order).

Each mean is written as a ring Δ/4 wide centred on its sample column (kΔ for E_z/E_φ,
(j + ½)Δ for E_r), over the face's height, so no other column lies in it; a ring stops Δ/8
short of a horizontal face on an integer plane. On such a face the two columns' samples (E_φ,
E_r: both tangential to it) get the mean of the column's material below and above the face
(the corner ring, Δ/4 × Δ/4): the horizontal smoothing alone would end the face's mean at the
staircased radius, and where the sidewall meets the gap of a nanopatch that is where the gap
plasmon's field is strongest. Meep averages a voxel only where it finds two objects in it, and
then only ε∞ (susceptibilities are taken at the sample), so the rings are what the samples
see. Measured on the nanocube screen's patch mode (README "Near a metal face",
``benchmarks/nanocube_sidewall.py``): for the 75 nm cube's equal-area disk the m = 1
resonance went 870 / 837 / 781 nm at 250 / 375 / 500 px/µm staircased and 768 / 789 / 785 nm
smoothed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cavities.materials import Material
from cavities.shapes import Cylinder, Layer
from cavities.structure import Structure
from sims.metal_distance import is_plasmonic_metal
from sims.metal_smoothing import MEAN_TAG, _faces, _lorentz_drude, _on_plane, voxel_mean

RING_FRACTION = 0.25
"""Radial width of a smoothing ring in grid steps."""
CORNER_MARGIN = 0.125
"""Steps a ring stops short of a horizontal face on an integer plane."""
MIN_SHARE = 1e-6
"""A voxel share of either material below this is no partial voxel."""
MAX_HARMONIC_EPS = 50.0
"""Above this the harmonic mean is near its pole (f → 1 − |ε_d/ε_m|), where it changes fast
with wavelength; the E_r column is then drawn as metal."""


@dataclass(frozen=True)
class SidewallRing:
    """A ring at radius ``r_um`` holding the mean its sample column needs: ``"parallel"``
    (E_z and E_φ at r = kΔ) or ``"normal"`` (E_r at r = (j + ½)Δ); ``corner`` rings sit on a
    horizontal face (Δ/4 high) where the sidewall meets it."""

    kind: str
    r_um: float
    width_um: float
    z_min_um: float
    z_max_um: float
    metal_share: float
    material: Material
    corner: bool = False


def _cylinders(structure: Structure) -> list[Cylinder]:
    return [s for s in structure.shapes if isinstance(s, Cylinder) and s.axis == "z"
            and s.top_radius_um is None and MEAN_TAG not in s.material.source]


def _sidewall_pieces(structure: Structure
                     ) -> list[tuple[float, float, float, Material, Material]]:
    """(R, z_min, z_max, material inside, material outside) of every visible piece of a
    cylinder's sidewall with a plasmonic metal on one side, cut at every horizontal face (a
    disk reaching the cell's edge has none there)."""
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    half_z = structure.cell_size_um[2] / 2
    planes = _faces(structure)
    tiny = 1e-9
    out = []
    edge = structure.cell_size_um[0] / 2
    for cyl in _cylinders(structure):
        r = cyl.radius_um
        if r >= edge - tiny:
            continue  # a film that ends at the cell's edge (through the PML): no face
        z0 = max(cyl.center_um[2] - cyl.height_um / 2, -half_z)
        z1 = min(cyl.center_um[2] + cyl.height_um / 2, half_z)
        cuts = sorted({z0, z1, *(z for z in planes if z0 < z < z1)})
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            zm = 0.5 * (a + b)
            inside = structure.material_at((r - tiny, 0.0, zm))
            outside = structure.material_at((r + tiny, 0.0, zm))
            if inside == outside:
                continue  # hidden by a later shape
            if is_plasmonic_metal(inside, window) or is_plasmonic_metal(outside, window):
                out.append((r, a, b, inside, outside))
    return out


def _share_inside(radius_um: float, r_lo: float, r_hi: float) -> float:
    """Share of the annulus [r_lo, r_hi] (volume ∝ r dr) inside ``radius_um``."""
    inner = min(max(radius_um, r_lo), r_hi)
    return (inner ** 2 - r_lo ** 2) / (r_hi ** 2 - r_lo ** 2)


def sidewall_rings(structure: Structure, resolution_px_per_um: float
                   ) -> tuple[SidewallRing, ...]:
    """The smoothing rings of every metal sidewall of a cylindrical structure.

    Example (an Ag disk of radius 42.31 nm at 250 px/µm: the E_z/E_φ column at 44 nm has
    7.4 % of its voxel [42, 46] nm inside the disk, the E_r column at 42 nm 57 % of [40, 44]):
        >>> from cavities.library import get_material
        >>> s = Structure(shapes=(Cylinder(material=get_material("Ag"), center_um=(0, 0, 0.05),
        ...                                radius_um=0.04231, height_um=0.06),),
        ...               cell_size_um=(0.6, 0.6, 0.4), dimensions="cylindrical",
        ...               dipole_orientation="z", emitter_position_um=(0.02, 0, 0.01),
        ...               wavelength_min_um=0.6, wavelength_max_um=0.9)
        >>> rings = sidewall_rings(s, 250)
        >>> [(g.kind, round(1e3 * g.r_um, 3), round(g.metal_share, 4), round(1e3 * g.z_min_um, 3),
        ...   round(1e3 * g.z_max_um, 3)) for g in rings if not g.corner]
        [('parallel', 44.0, 0.0743, 20.5, 79.5), ('normal', 42.0, 0.5659, 20.5, 79.5)]
        >>> sorted((g.kind, round(1e3 * g.z_min_um, 3)) for g in rings if g.corner)
        [('normal', 19.5), ('normal', 79.5), ('parallel', 19.5), ('parallel', 79.5)]
    """
    if structure.dimensions != "cylindrical":
        return ()
    dr = 1.0 / resolution_px_per_um
    window = (structure.wavelength_min_um, structure.wavelength_max_um)
    rings: list[SidewallRing] = []
    # (R, kind, z_min, z_max) -> the column's ring: where corners find the column's material
    columns: dict[tuple[float, str, float, float], SidewallRing] = {}
    for r, a, b, inside, outside in _sidewall_pieces(structure):
        if not (_lorentz_drude(inside) and _lorentz_drude(outside)):
            continue
        z_lo = a + (CORNER_MARGIN * dr if _on_plane(a, resolution_px_per_um) else 0.0)
        z_hi = b - (CORNER_MARGIN * dr if _on_plane(b, resolution_px_per_um) else 0.0)
        if z_hi <= z_lo:
            continue
        metal_inside = is_plasmonic_metal(inside, window)
        for kind, rc in _columns(r, dr):
            share = _share_inside(r, rc - dr / 2, rc + dr / 2)
            if kind == "parallel":
                material = voxel_mean(inside, outside, share)
            else:
                material = harmonic_mean(inside, outside, share, structure.target_um,
                                         metal=inside if metal_inside else outside)
            ring = SidewallRing(kind=kind, r_um=rc, width_um=RING_FRACTION * dr, z_min_um=z_lo,
                                z_max_um=z_hi,
                                metal_share=share if metal_inside else 1.0 - share,
                                material=material)
            rings.append(ring)
            columns[(r, kind, a, b)] = ring
    return (*rings, *_corners(structure, columns, resolution_px_per_um))


def _columns(r: float, dr: float) -> list[tuple[str, float]]:
    """The E_z/E_φ column (r = kΔ) and the E_r column (r = (j + ½)Δ) whose voxels a sidewall
    at ``r`` cuts; none where it lies on a voxel boundary or within half a step of the axis."""
    out = []
    for kind, rc in (("parallel", round(r / dr) * dr), ("normal", (int(r // dr) + 0.5) * dr)):
        share = _share_inside(r, rc - dr / 2, rc + dr / 2) if rc > dr / 2 else 0.0
        if MIN_SHARE < share < 1 - MIN_SHARE:
            out.append((kind, rc))
    return out


def _corners(structure: Structure, columns: dict[tuple[float, str, float, float], SidewallRing],
             resolution_px_per_um: float) -> list[SidewallRing]:
    """Where a sidewall meets a horizontal face on an integer plane, the face's samples in the
    sidewall's columns (E_φ at kΔ, E_r at (j + ½)Δ: both tangential to the face) get the mean
    of the column's material below and above the face (each the sidewall ring's where the
    sidewall continues on that side, else the structure's): the voxel average of the two
    half-voxels, which the horizontal face smoothing alone gives as if the sidewall were not
    there."""
    dr = 1.0 / resolution_px_per_um
    tiny = 1e-9
    out: dict[tuple[float, str, float], SidewallRing] = {}
    for (r, kind, a, b), ring in columns.items():
        for zf in (a, b):
            if not _on_plane(zf, resolution_px_per_um) or (r, kind, zf) in out:
                continue
            sides = []
            for z in (zf - tiny, zf + tiny):
                piece = next((g for (r2, k2, a2, b2), g in columns.items()
                              if r2 == r and k2 == kind and a2 < z < b2), None)
                sides.append(piece.material if piece is not None
                             else structure.material_at((ring.r_um, 0.0, z)))
            if not all(_lorentz_drude(m) for m in sides):
                continue
            out[(r, kind, zf)] = replace(
                ring, z_min_um=zf - CORNER_MARGIN * dr, z_max_um=zf + CORNER_MARGIN * dr,
                material=voxel_mean(sides[0], sides[1], 0.5), corner=True)
    return list(out.values())


def harmonic_mean(a: Material, b: Material, fraction_a: float, wavelength_um: float, *,
                  metal: Material) -> Material:
    """1/(f/ε_a + (1 − f)/ε_b) at ``wavelength_um`` as a constant permittivity (its real part),
    or ``metal`` where that is not positive or exceeds :data:`MAX_HARMONIC_EPS`.

    Example (half a voxel of Ag, half vacuum, at 800 nm: a dielectric, not a metal):
        >>> from cavities.library import get_material
        >>> ag, vac = get_material("Ag"), get_material("vacuum")
        >>> m = harmonic_mean(ag, vac, 0.5, 0.8, metal=ag)
        >>> round(m.epsilon_inf, 2), m.poles
        (2.08, ())
        >>> harmonic_mean(ag, vac, 0.99, 0.8, metal=ag).name
        'Ag'
    """
    eps = 1.0 / (fraction_a / complex(a.permittivity(wavelength_um))
                 + (1.0 - fraction_a) / complex(b.permittivity(wavelength_um)))
    if not 0.0 < eps.real <= MAX_HARMONIC_EPS:
        return metal
    return Material(name=f"harmonic({a.name},{b.name},{fraction_a:.3f})", epsilon_inf=eps.real,
                    valid_range_um=a.valid_range_um, source=MEAN_TAG)


def _plain(structure: Structure) -> bool:
    """Only Layers and z-axis cylinders: the material inside a ring is a function of r alone
    between two horizontal faces, so it can be drawn again ring by ring."""
    return all(isinstance(s, Layer) or (isinstance(s, Cylinder) and s.axis == "z"
                                        and s.top_radius_um is None) for s in structure.shapes)


def with_sidewall_smoothing(target: Structure, original: Structure,
                            resolution_px_per_um: float) -> Structure:
    """``target`` (``original`` with its horizontal faces smoothed, or ``original`` itself)
    with the :func:`sidewall_rings` of ``original`` appended: over each ring's height, the
    radial profile out to the outermost ring, drawn annulus by annulus from the outside in
    with the ring's material or the one ``target`` has there. Structures with other shapes
    than Layers and z-axis cylinders are returned unchanged."""
    if not _plain(original):
        return target
    rings = sidewall_rings(original, resolution_px_per_um)
    if not rings:
        return target
    radii = {0.0, *(c.radius_um for c in _cylinders(original))}
    pieces: dict[tuple[float, float], list[SidewallRing]] = {}
    for g in rings:
        pieces.setdefault((g.z_min_um, g.z_max_um), []).append(g)
    extra: list[Cylinder] = []
    for (z_lo, z_hi), group in pieces.items():
        zc, h = 0.5 * (z_lo + z_hi), z_hi - z_lo
        edges = set(radii) | {g.r_um + s * g.width_um / 2 for g in group for s in (-1, 1)}
        top = max(g.r_um + g.width_um / 2 for g in group)
        bounds = sorted(r for r in edges if r <= top)
        # the radial profile of this piece, drawn from the outside in (later shapes win)
        for r_in, r_out in reversed(list(zip(bounds[:-1], bounds[1:], strict=True))):
            mid = 0.5 * (r_in + r_out)
            ring = next((g for g in group if abs(mid - g.r_um) < g.width_um / 2), None)
            mat = ring.material if ring is not None else target.material_at((mid, 0.0, zc))
            extra.append(Cylinder(material=mat, center_um=(0.0, 0.0, zc), radius_um=r_out,
                                  height_um=h))
    return replace(target, shapes=(*target.shapes, *extra))
