"""Plasmonic nanocube-on-mirror (nanopatch antenna): a silver cube on a dielectric spacer on a
metal film; the emitter sits in the gap, where the gap plasmon concentrates the field
(Akselrod et al., Nat. Photon. 8, 835 (2014); Hoang et al.; REFERENCES B5).

For gap plasmons the LDOS is not the answer by itself: a large part of the decay goes into the
metal. The simulation core reports the total (LDOS) and radiative (flux) Purcell factors and
their ratio, the quantum efficiency; the Q/V estimate does not apply (Koenderink 2010).

Coordinates: the film's top face is z = 0 and the gap (spacer) is z ∈ [0, g], with the emitter
at z = g/2 by default; the cube sits on it, z ∈ [g, g + L]; the film is below, on a glass
substrate. With the film's face at z = 0 both gap faces lie on grid planes whenever the grid
step divides the gap (8 nm: 125, 250, 375, 500 px/µm), where :mod:`sims.metal_smoothing`
smooths them and the gap keeps its width on the grid: off the planes an 8 nm gap staircased to
5 or 10 nm (its gap plasmon and quenching then jump with the grid; measured at 200 and 300
px/µm, README "Numbers near metals").

Fidelities: ``"full"`` is the cube in 3D (x and y mirror symmetries when the emitter is centred
and z-polarised), which needs a few pixels across the gap and so is slow (minutes to hours on a
laptop). Its metal faces on grid planes and the edges where they meet are smoothed
(:mod:`sims.metal_boxes`): all of them when the step divides the gap, the half-edge and the gap
plus the edge (an 80 nm cube on an 8 nm gap at 250 px/µm; a 75 nm cube's sides at ±37.5 nm
are off the planes at 250 px/µm and stay staircased). ``"screen"`` is a cylindrical
nanodisk-on-mirror whose fundamental patch mode has the cube's wavenumber (radius 1.841 L/π;
``screen_disk="area"``: the same top area, L/√π, the rule before 2026-12-07): a model
approximation that captures the gap-plasmon resonances but not the cube's corner modes; use
it to rank designs, then check the best in 3D. Against the 3D cube (80 nm, 8 nm PMMA on Au,
250 px/µm, ``benchmarks/nanocube_3d.py``) the patch disk's resonance is 2.3 % blue and its
total Purcell factor 14 % high (the 3D total with the same planar control variate); the
equal-area disk's 4.9 % blue and 52 % high. The disk's
radius is almost never on the grid's radii; its sidewall is smoothed per field component
(:mod:`sims.metal_sidewalls`), which keeps the patch resonance from jumping with the grid. On
the axis a z dipole couples to the m = 0 gap mode only; the patch's fundamental (radiating) gap
plasmon is m = 1, with its field at the edges and none on the axis, so the emitter must sit off
the axis to see it (``emitter_x_um``; the screen then sums the azimuthal harmonics of the point
dipole, :mod:`sims.azimuthal_sum`, one cylindrical run per m). Rounded corners
(``corner_radius_um``) round the disk's rims, drawn as grid terraces
(:mod:`sims.rounded_edges`): 8 nm corners move the 75 nm cube's m = 1 patch mode from 825.7 to
780.1 nm at 250 px/µm (``benchmarks/nanocube_rounding.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from cavities._validate import require_choice, require_nonnegative, require_positive
from cavities.base import Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.registry import register_family, register_preset
from cavities.shapes import Block, Cylinder, Layer, Sphere
from cavities.structure import Structure

CUBE_MATERIALS = ("Ag", "Au", "Ag_JC", "Au_JC")
FILMS = ("Au", "Ag", "Au_JC", "Ag_JC")
SPACERS = ("PMMA", "polystyrene", "SiO2")

_MARGIN_UM = 0.2
_MIN_GAP_UM = 0.002  # below ~2 nm, nonlocal and tunnelling effects invalidate the local model
SCREEN_DISKS = ("area", "patch")
J1_PRIME_ZERO = 1.8411837813406593
"""First zero of J_1': the disk patch's fundamental (TM_11) cavity mode has k R = 1.841, the
square patch's (TM_10) k L = π (patch-antenna cavity model)."""


@register_family
@dataclass(frozen=True, kw_only=True)
class NanocubeOnMirror(CavityDesign):
    """Metal nanocube on a spacer on a metal film. Lengths in µm.

    Args:
        cube_edge_um: cube edge L.
        corner_radius_um: rounding of edges and corners (0: sharp); modelled in 3D as the
            union of three orthogonal slabs, twelve edge cylinders and eight corner spheres. On
            the screen the disk's two rims are rounded with the radius scaled as the disk is
            (× R/(L/2), at most L/2), so that its flat facet is the image of the cube's, and
            the runs draw them as terraces on the grid planes (:mod:`sims.rounded_edges`).
        cube_material: ``"Ag"`` or ``"Au"`` (Rakić's Lorentz-Drude fits, as Meep's library;
            never Meep's ``Ag_visible``), or ``"Ag_JC"``/``"Au_JC"`` (fits of Johnson &
            Christy's measured data, cavities.library: silver with 0.24-0.3× Rakić's loss in
            600-750 nm, which moves the gap plasmon ~5 % blue and raises its radiative
            efficiency ×1.6-1.9, ``benchmarks/nanocube_metal_model.py``; and 2.3-2.8× faster
            runs, fewer poles).
        film_material: ``"Au"``, ``"Ag"``, ``"Au_JC"`` or ``"Ag_JC"``. An Au film runs into the
            PML on the screen (a cylindrical Layer: its surface plasmons leave the cell); an
            Ag film, and any film in 3D, ends where the PML begins (an Ag film running into the
            PML diverged).
        film_thickness_um: metal film thickness (optically thick above ~40 nm).
        spacer: gap material: ``"PMMA"``, ``"polystyrene"`` or ``"SiO2"``.
        gap_um: spacer thickness (the nanocrystal must fit: a 5-10 nm PNC sets the lower end).
        emitter_x_um, emitter_y_um: lateral emitter position under the cube (0, 0: centre).
        emitter_z_fraction: height in the gap, 0 = on the film, 1 = under the cube.
        screen_disk: radius of the screen's disk: ``"patch"`` (default), the disk whose
            fundamental patch mode has the cube's wavenumber in the patch-antenna cavity model
            (k R = 1.841 against k L = π: R = 1.841 L/π = 0.586 L), which puts the disk's
            resonance on the cube's; or ``"area"``, the cube's top area (L/√π = 0.564 L).
    """

    family: ClassVar[str] = "nanocube_on_mirror"
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("cube_edge_um",)
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("z", "x", "y")
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 250.0, "full": 250.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "cube_edge_um": Bound(0.04, 0.15),
        "gap_um": Bound(0.004, 0.03),
        "corner_radius_um": Bound(0.0, 0.015),
    }

    cube_edge_um: float = 0.075
    corner_radius_um: float = 0.0
    cube_material: str = "Ag"
    film_material: str = "Au"
    film_thickness_um: float = 0.05
    spacer: str = "PMMA"
    gap_um: float = 0.008
    emitter_x_um: float = 0.0
    emitter_y_um: float = 0.0
    emitter_z_fraction: float = 0.5
    dipole_orientation: str = "z"
    target_wavelength_um: float = 0.65
    window_um: float = 0.3
    screen_disk: str = "patch"

    def _validate(self) -> None:
        require_choice("screen_disk", self.screen_disk, SCREEN_DISKS)
        require_material("cube_material", self.cube_material, CUBE_MATERIALS)
        require_material("film_material", self.film_material, FILMS)
        require_material("spacer", self.spacer, SPACERS)
        require_positive(cube_edge_um=self.cube_edge_um, gap_um=self.gap_um,
                         film_thickness_um=self.film_thickness_um)
        require_nonnegative(corner_radius_um=self.corner_radius_um)
        if not 2 * self.corner_radius_um < self.cube_edge_um:
            raise ValueError("`2 * corner_radius_um < cube_edge_um` must hold, but got "
                             f"corner_radius_um={self.corner_radius_um}, "
                             f"cube_edge_um={self.cube_edge_um}.")
        if not 0 < self.emitter_z_fraction < 1:
            raise ValueError("`0 < emitter_z_fraction < 1` must hold (inside the gap), but got "
                             f"emitter_z_fraction={self.emitter_z_fraction}.")
        half = self.cube_edge_um / 2
        if abs(self.emitter_x_um) >= half or abs(self.emitter_y_um) >= half:
            raise ValueError(
                "the emitter must be under the cube: `|emitter_x_um|, |emitter_y_um| < "
                f"cube_edge_um/2` must hold, but got emitter_x_um={self.emitter_x_um}, "
                f"emitter_y_um={self.emitter_y_um}, cube_edge_um={self.cube_edge_um}.")

    def fabrication_violations(self, min_feature_um: float = 0.03) -> list[str]:
        out = []
        if self.gap_um < _MIN_GAP_UM:
            out.append(f"gap_um={self.gap_um:g} µm is below {_MIN_GAP_UM:g} µm, where the local "
                       "optical model fails (nonlocality, tunnelling)")
        if self.cube_edge_um < min_feature_um:
            out.append(f"cube_edge_um={self.cube_edge_um:g} µm is below the minimum feature "
                       f"{min_feature_um:g} µm of colloidal cube synthesis/placement")
        if self.film_thickness_um < 0.03:
            out.append(f"film_thickness_um={self.film_thickness_um:g} µm is below 0.03 µm: the "
                       "film is not an optically thick mirror")
        return out

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, Any]:
        return {"pml_um": 0.35, "n_freqs_flux": 31}

    def _cube(self, z0: float) -> list[Any]:
        mat = get_material(self.cube_material)
        L, rc = self.cube_edge_um, self.corner_radius_um
        zc = z0 + L / 2
        if rc == 0:
            return [Block(material=mat, center_um=(0, 0, zc), size_um=(L, L, L))]
        inner = L - 2 * rc
        shapes: list[Any] = [
            Block(material=mat, center_um=(0, 0, zc), size_um=(L, inner, inner)),
            Block(material=mat, center_um=(0, 0, zc), size_um=(inner, L, inner)),
            Block(material=mat, center_um=(0, 0, zc), size_um=(inner, inner, L)),
        ]
        h = inner / 2
        for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            shapes.append(Cylinder(material=mat, center_um=(a * h, b * h, zc), radius_um=rc,
                                   height_um=inner, axis="z"))
            shapes.append(Cylinder(material=mat, center_um=(a * h, 0, zc + b * h),
                                   radius_um=rc, height_um=inner, axis="y"))
            shapes.append(Cylinder(material=mat, center_um=(0, a * h, zc + b * h),
                                   radius_um=rc, height_um=inner, axis="x"))
            for c in (1, -1):
                shapes.append(Sphere(material=mat, center_um=(a * h, b * h, zc + c * h),
                                     radius_um=rc))
        return shapes

    def screen_disk_radius_um(self) -> float:
        """Radius of the screen's disk (``screen_disk``)."""
        L = self.cube_edge_um
        if self.screen_disk == "area":
            return L / math.sqrt(math.pi)
        return J1_PRIME_ZERO * L / math.pi

    def screen_edge_radius_um(self) -> float:
        """Rounding of the screen disk's rims: ``corner_radius_um`` scaled by the disk's radius
        over the cube's half edge (the disk's facet, R − a, is then the scaled image of the
        cube's, L/2 − r_c), at most L/2 (the disk's half height)."""
        if self.corner_radius_um == 0.0:
            return 0.0
        scale = self.screen_disk_radius_um() / (self.cube_edge_um / 2)
        return min(self.corner_radius_um * scale, self.cube_edge_um / 2)

    def _disk_emitter(self, disk_radius_um: float) -> tuple[float, str]:
        """(r0, orientation) of the emitter under the screen's disk: its distance from the cube
        axis scaled by disk radius / half edge (so the edge of the cube maps to the edge of the
        disk), and its dipole as radial ``"x"`` / azimuthal ``"y"`` / axial ``"z"``. Off the
        axis the screen sums the azimuthal harmonics (:mod:`sims.azimuthal_sum`)."""
        x, y = self.emitter_x_um, self.emitter_y_um
        r0 = math.hypot(x, y) * disk_radius_um / (self.cube_edge_um / 2)
        orientation = self.dipole_orientation
        if r0 == 0 or orientation == "z":
            return round(r0, 9), orientation
        if x != 0 and y != 0:
            raise ValueError(
                "the screen (a disk) takes an in-plane dipole off the axis only on the x or y "
                "axis of the cube, where it is radial or azimuthal, but got emitter_x_um="
                f"{x}, emitter_y_um={y}; use the 3D full fidelity for other positions.")
        radial = (orientation == "x") == (y == 0)
        return round(r0, 9), "x" if radial else "y"

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        g, L = self.gap_um, self.cube_edge_um
        lam = self.target_wavelength_um
        spacer = get_material(self.spacer, lam)
        film = get_material(self.film_material)
        lateral = L + 2 * _MARGIN_UM
        t_film = self.film_thickness_um
        film_z = -t_film / 2
        # screen, Au film: a Layer running into the PML, so that the film's surface plasmons
        # leave the cell instead of reflecting from a disk edge (stable in every Au run here,
        # 250 px/µm). Ag film: a disk that ends where the PML begins, as in 3D: an Ag film
        # Layer through the cylindrical PML diverged (ag_cube_ag_film_perovskite, 250 px/µm,
        # |E|² 3e58 at 310 fs), as an Ag film did before at 150 px/µm.
        in_pml = fidelity == "screen" and self.film_material in ("Au", "Au_JC")
        film_shape: Any = (
            Layer(material=film, z_min_um=-t_film, z_max_um=0.0) if in_pml else
            Cylinder(material=film, center_um=(0, 0, film_z), radius_um=lateral / 2,
                     height_um=t_film) if fidelity == "screen" else
            Block(material=film, center_um=(0, 0, film_z), size_um=(lateral, lateral, t_film)))
        shapes: list[Any] = [
            Layer(material=get_material("SiO2", lam), z_min_um=-1e3, z_max_um=-t_film),
            film_shape,
            Layer(material=spacer, z_min_um=0.0, z_max_um=g),
        ]
        ez = self.emitter_z_fraction * g
        orientation = self.dipole_orientation
        if fidelity == "screen":
            radius = self.screen_disk_radius_um()
            shapes.append(Cylinder(material=get_material(self.cube_material),
                                   center_um=(0, 0, g + L / 2), radius_um=radius,
                                   height_um=L, edge_radius_um=self.screen_edge_radius_um()))
            r0, orientation = self._disk_emitter(radius)
            dims, pos = "cylindrical", (r0, 0.0, ez)
        else:
            shapes += self._cube(g)
            dims, pos = "3d", (self.emitter_x_um, self.emitter_y_um, ez)
        half_z = g + L + _MARGIN_UM
        return Structure(
            name=f"nanocube-{self.cube_material}-{self.film_material}-{1e3 * g:.0f}nm",
            shapes=tuple(shapes), background=get_material("vacuum"),
            cell_size_um=(lateral, lateral, 2 * half_z), dimensions=dims,
            emitter_position_um=pos, dipole_orientation=orientation,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=self.target_wavelength_um, collection_na=self.collection_na,
            collection_direction="up", meta={"family": self.family, "fidelity": fidelity},
        )


@register_preset(
    "akselrod_2014",
    "Akselrod et al., Nat. Photon. 8, 835 (2014) (REFERENCES B5): ~75 nm Ag cube on an Au "
    "film with a ~8 nm polymer gap (PMMA here), resonance ~650 nm; the paper reports >1000x "
    "rate enhancement, radiative QE > 0.5 and 84 % collection (geometry tagged [M]). The "
    "emitter (z dipole, mid-gap) sits 25 nm off the centre, 2/3 of the way to the edge: the "
    "patch's fundamental gap plasmon (m = 1 on the screen's disk) has no field on the axis, "
    "where an emitter sees only the m = 0 mode (the dye in the paper fills the whole gap).",
)
def _akselrod() -> NanocubeOnMirror:
    return NanocubeOnMirror(emitter_x_um=0.025)


@register_preset(
    "ag_cube_ag_film_perovskite",
    "Perovskite QDs in an Ag-cube/Ag-film gap (NTHU 2025, REFERENCES B5, press page only): "
    "100 nm Ag cube on an Ag film, ~10 nm polymer gap. Such a patch resonates in the red/near "
    "IR (screen: ~800 nm), not at the CsPbBr3 line; it is kept as the published reference "
    "design (the optimiser can shrink the cube towards 520 nm). Emitter on the axis (m = 0 "
    "only; move it off the axis with emitter_x_um to see the fundamental gap plasmon).",
)
def _nthu() -> NanocubeOnMirror:
    return NanocubeOnMirror(cube_edge_um=0.1, film_material="Ag", gap_um=0.01,
                            target_wavelength_um=0.75, window_um=0.4)
