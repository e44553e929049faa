"""Emitters near metals with an exact answer: the structures and their analytic references
(pure; used by the oracle tests and ``benchmarks/metal_convergence.py``).

* :func:`half_space` — a dipole at ``distance_um`` above a metal half-space (REFERENCES A4;
  :func:`sims.layered.layered_radiation` gives total and far-field rates);
* :func:`mim_gap` — a dipole in the middle of a vacuum gap between two metal half-spaces
  (:func:`sims.layered.mim_rate`);
* :func:`sphere` — a dipole outside a metal sphere, radial or tangential (REFERENCES A2;
  :func:`sims.analytic.mie_dipole_rates`);
* :func:`in_3d` — a planar case as a 3D cell (the 3D face smoothing, :mod:`sims.metal_boxes`).

Cylindrical cells with the emitter on the axis (``"z"``: the axial / radial dipole, m = 0;
``"x"``: in-plane / tangential, the m = +1 ring source). Metal half-spaces are Layers that run
into the PML: the surface plasmons (6.6 µm propagation length on Ag at 520 nm) are absorbed
there instead of reflecting from a disk edge and refocusing on the axis (that made a 1.5 µm
disk ±25 % wrong across 470-580 nm, issue 12). It was stable in every run here (Meep 1.25,
cylindrical, r- and z-PML, 100-400 px/µm). Planar faces sit on integer grid planes for every
resolution that is a multiple of :data:`GRID_UNIT_PX_PER_UM`, so that
:mod:`sims.metal_smoothing` can smooth them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cavities.library import get_material
from cavities.shapes import Layer, Sphere
from cavities.structure import Structure
from sims import analytic
from sims.layered import Side, layered_radiation, mim_rate

FACE_Z_UM = -0.05
"""Height of the metal surface below a half-space emitter (the cell is centred on z = 0, so the
vacuum above gets more of the cell than the metal, where the fields die within ~30 nm)."""
GRID_UNIT_PX_PER_UM = 20.0
"""Resolutions that are multiples of this put the faces at −50 nm and ±5 nm on grid planes."""
WINDOW_UM = (0.45, 0.60)
"""A wide window: the source pulse is then short (the runs near a metal, where nothing rings,
end 3-4x sooner than with a 40 nm window)."""

Reference = Callable[[float], tuple[float, float | None]]
"""λ (µm) -> (total rate, far-field radiative rate or None), both over the vacuum rate."""


@dataclass(frozen=True, kw_only=True)
class MetalCase:
    """A structure and its analytic reference."""

    name: str
    structure: Structure
    reference: Reference


def _kind(orientation: str, radial: bool = False) -> str:
    if orientation not in ("x", "z"):
        raise ValueError(f"`orientation` must be 'z' or 'x', but got orientation={orientation!r}.")
    if radial:
        return "radial" if orientation == "z" else "tangential"
    return "perpendicular" if orientation == "z" else "parallel"


def half_space(metal: str, distance_um: float, orientation: str, *, radius_um: float = 0.3,
               height_um: float = 0.3, face_offset_um: float = 0.0) -> MetalCase:
    """Dipole ``distance_um`` above a metal half-space (Layer below :data:`FACE_Z_UM` +
    ``face_offset_um``: an offset puts the face, and the emitter with it, off the grid planes).

    Example:
        >>> c = half_space("Ag", 0.02, "z")
        >>> c.structure.emitter_position_um, round(c.reference(0.52)[0], 3)
        ((0.0, 0.0, -0.03), 4.919)
    """
    mat = get_material(metal)
    kind = _kind(orientation)
    face = round(FACE_Z_UM + face_offset_um, 9)
    s = Structure(name=f"half-space-{metal}-{1e3 * distance_um:g}nm-{orientation}",
                  shapes=(Layer(material=mat, z_min_um=-1e3, z_max_um=face),),
                  cell_size_um=(2 * radius_um, 2 * radius_um, height_um),
                  dimensions="cylindrical", dipole_orientation=orientation,
                  emitter_position_um=(0.0, 0.0, round(face + distance_um, 9)),
                  wavelength_min_um=WINDOW_UM[0], wavelength_max_um=WINDOW_UM[1])

    def reference(lam: float) -> tuple[float, float | None]:
        r = layered_radiation(wavelength_um=lam, emitter_index=1.0, orientation=kind,
                              below=Side(distance_um=distance_um,
                                         half_space_permittivity=mat.permittivity(lam)))
        return r.total, r.radiated_up

    return MetalCase(name=s.name, structure=s, reference=reference)


def mim_gap(metal: str, gap_um: float, orientation: str, *, radius_um: float = 0.3,
            height_um: float = 0.12) -> MetalCase:
    """Dipole in the middle of a vacuum gap ``gap_um`` between two metal half-spaces (faces at
    z = 0 and z = gap, both Layers running into the PML: a 10 nm gap is on the grid planes
    at every multiple of 100 px/µm).

    Example:
        >>> c = mim_gap("Ag", 0.01, "z")
        >>> round(c.reference(0.52)[0], 1)
        607.6
    """
    mat = get_material(metal)
    kind = _kind(orientation)
    s = Structure(name=f"mim-{metal}-{1e3 * gap_um:g}nm-{orientation}",
                  shapes=(Layer(material=mat, z_min_um=-1e3, z_max_um=0.0),
                          Layer(material=mat, z_min_um=gap_um, z_max_um=1e3)),
                  cell_size_um=(2 * radius_um, 2 * radius_um, height_um),
                  dimensions="cylindrical", dipole_orientation=orientation,
                  emitter_position_um=(0.0, 0.0, gap_um / 2),
                  wavelength_min_um=WINDOW_UM[0], wavelength_max_um=WINDOW_UM[1])

    def reference(lam: float) -> tuple[float, float | None]:
        total = mim_rate(gap_um=gap_um, wavelength_um=lam, orientation=kind,
                         permittivity_below=mat.permittivity(lam))
        return total, 0.0  # two opaque mirrors: nothing reaches the far field

    return MetalCase(name=s.name, structure=s, reference=reference)


def sphere(metal: str, sphere_radius_um: float, distance_um: float, orientation: str, *,
           radius_um: float = 0.25, height_um: float = 0.5) -> MetalCase:
    """Dipole ``distance_um`` from the surface of a metal sphere centred on the origin, on the
    axis above it (``"z"``: radial, ``"x"``: tangential).

    Example:
        >>> c = sphere("Ag", 0.03, 0.02, "z")
        >>> [round(v, 3) for v in c.reference(0.52)]
        [4.294, 3.292]
    """
    mat = get_material(metal)
    kind = _kind(orientation, radial=True)
    s = Structure(name=f"sphere-{metal}-{1e3 * sphere_radius_um:g}nm-{1e3 * distance_um:g}nm-"
                       f"{orientation}",
                  shapes=(Sphere(material=mat, center_um=(0.0, 0.0, 0.0),
                                 radius_um=sphere_radius_um),),
                  cell_size_um=(2 * radius_um, 2 * radius_um, height_um),
                  dimensions="cylindrical", dipole_orientation=orientation,
                  emitter_position_um=(0.0, 0.0, sphere_radius_um + distance_um),
                  wavelength_min_um=WINDOW_UM[0], wavelength_max_um=WINDOW_UM[1])

    def reference(lam: float) -> tuple[float, float | None]:
        r = analytic.mie_dipole_rates(sphere_radius_um=sphere_radius_um, distance_um=distance_um,
                                      wavelength_um=lam,
                                      sphere_index=complex(mat.permittivity(lam)) ** 0.5)
        if kind == "radial":
            return r.total_radial, r.radiative_radial
        return r.total_tangential, r.radiative_tangential

    return MetalCase(name=s.name, structure=s, reference=reference)


def in_3d(case: MetalCase, lateral_um: float = 0.4) -> MetalCase:
    """A planar case (:func:`half_space`, :func:`mim_gap`) as a 3D cell of interior width
    ``lateral_um`` (its Layers still run into the PML; the emitter at x = y = 0, so the
    mirror planes x and y apply): the faces' smoothing in 3D is :mod:`sims.metal_boxes`'s.

    Example:
        >>> c = in_3d(half_space("Ag", 0.05, "z"))
        >>> c.structure.dimensions, c.structure.cell_size_um
        ('3d', (0.4, 0.4, 0.3))
    """
    s = case.structure
    if any(not isinstance(sh, Layer) for sh in s.shapes):
        raise ValueError(f"in_3d takes planar cases (Layers only), but got {case.name!r}.")
    s3 = Structure.from_dict({**s.to_dict(), "dimensions": "3d", "name": f"{s.name}-3d",
                              "cell_size_um": [lateral_um, lateral_um, s.cell_size_um[2]]})
    return MetalCase(name=s3.name, structure=s3, reference=case.reference)
