"""Mie pillar: a high-index dielectric pillar (TiO2, GaP, Si3N4 or Si) on a substrate, with the
nanocrystal on top of it or beside it (REFERENCES B4).

Low-Q (Q ~ 5-20) magnetic- and electric-dipole Mie resonances give a modest, broadband Purcell
factor and shape the emission pattern; Purcell and extraction have to be judged together
(He et al., Nanoscale 2023, REFERENCES B4), which is why the tool reports both.

Fidelities: a circular pillar with the emitter on top (on the axis) is rotationally symmetric:
both fidelities are cylindrical runs at two resolutions. A square pillar or an emitter beside
the pillar needs 3D (with the mirror symmetries the dipole allows), coarser for ``"screen"``.
Coordinates: the pillar is centred on the origin, z ∈ [−h/2, h/2]; the substrate fills
z < −h/2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cavities._validate import require_choice, require_nonnegative, require_positive
from cavities.base import DEFAULT_MIN_FEATURE_UM, Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.registry import register_family, register_preset
from cavities.shapes import Block, Cylinder, Layer
from cavities.structure import Structure

PILLAR_MATERIALS = ("TiO2", "GaP", "Si3N4", "Si")
SHAPES = ("circle", "square")
SUBSTRATES = ("SiO2", "none")
CLADDINGS = ("air", "PMMA")
SITES = ("top", "side")

_MARGIN_UM = 0.35  # free space around the pillar inside the flux box
_RES = {("cylindrical", "screen"): 120.0, ("cylindrical", "full"): 240.0,
        ("3d", "screen"): 25.0, ("3d", "full"): 50.0}


@register_family
@dataclass(frozen=True, kw_only=True)
class MiePillar(CavityDesign):
    """High-index pillar on a substrate. Lengths in µm.

    Args:
        shape: ``"circle"`` (cylinder of diameter ``diameter_um``) or ``"square"`` (side
            ``diameter_um``).
        material: ``"TiO2"``, ``"GaP"``, ``"Si3N4"`` or ``"Si"`` (:mod:`cavities.library`; Si
            absorbs at 520 nm).
        diameter_um: pillar diameter (or side).
        height_um: pillar height.
        substrate: ``"SiO2"`` or ``"none"`` (free-standing, a reference case).
        cladding: medium around the pillar: ``"air"`` or ``"PMMA"``.
        emitter_site: ``"top"`` (on the axis above the top face) or ``"side"`` (beside the
            pillar at mid-height, on the +x side).
        emitter_gap_um: distance from the pillar surface to the emitter centre (half the
            nanocrystal edge plus ligands).
    """

    family: ClassVar[str] = "mie_pillar"
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("diameter_um", "height_um")
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y", "z")
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 120.0, "full": 240.0}
    """Cylindrical grids (a square pillar is 3D: ``_RES``). Screen 120 (error grid 180) px/µm,
    not 60/90: measured on tio2_pillar_520
    (benchmarks/resolution_series.py, 60-300 px/µm), the picked λ stays 511.6-511.9 nm up to
    100 px/µm, jumps to 510.8 at 120 and then converges smoothly (510.71/510.58/510.45/510.36 at
    150/180/240/300): no grid pair below 120 is asymptotic, and the 60/90 screen was 2.3 nm and
    (collection) 8 % off."""
    CONVERGENCE_ORDERS: ClassVar[dict[str, float]] = {"purcell_total": 2.0,
                                                       "purcell_radiative": 2.0}
    """Observed on tio2_pillar_520 at 120/180/240/300 px/µm: total Purcell about 1.7-2
    (2.310/2.353/2.369/2.377), λ below first order (510.80/510.58/510.45/510.36 nm; taken as 1),
    collection first order (0.0576/0.0571/0.0563/0.0562)."""
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "diameter_um": Bound(0.08, 0.5),
        "height_um": Bound(0.05, 0.5),
        "emitter_gap_um": Bound(0.003, 0.05),
    }

    shape: str = "circle"
    material: str = "TiO2"
    diameter_um: float = 0.16
    height_um: float = 0.2
    substrate: str = "SiO2"
    cladding: str = "air"
    emitter_site: str = "top"
    emitter_gap_um: float = 0.005
    dipole_orientation: str = "x"

    def _validate(self) -> None:
        require_choice("shape", self.shape, SHAPES)
        require_material("material", self.material, PILLAR_MATERIALS)
        require_choice("substrate", self.substrate, SUBSTRATES)
        require_material("cladding", self.cladding, CLADDINGS)
        require_choice("emitter_site", self.emitter_site, SITES)
        require_positive(diameter_um=self.diameter_um, height_um=self.height_um)
        require_nonnegative(emitter_gap_um=self.emitter_gap_um)

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        out = []
        if self.diameter_um < min_feature_um:
            out.append(f"diameter_um={self.diameter_um:g} µm is below the minimum feature "
                       f"{min_feature_um:g} µm")
        aspect = self.height_um / self.diameter_um
        if aspect > 10:
            out.append(f"aspect ratio height_um/diameter_um = {aspect:.3g} exceeds 10 "
                       "(the pillar would not stand or etch)")
        return out

    @property
    def dimensions(self) -> str:
        return "cylindrical" if self.shape == "circle" and self.emitter_site == "top" else "3d"

    def resolution_px_per_um(self, fidelity: str = "screen") -> float:  # type: ignore[override]
        self.check_fidelity(fidelity)
        return _RES[(self.dimensions, fidelity)]

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, Any]:
        return {"pml_um": 0.5}

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        lam = self.target_wavelength_um  # dielectrics as constant indices (see library)
        mat = get_material(self.material, lam)
        clad = get_material("vacuum" if self.cladding == "air" else self.cladding, lam)
        d, h = self.diameter_um, self.height_um
        shapes: list[Any] = []
        if self.substrate == "SiO2":
            shapes.append(Layer(material=get_material("SiO2", lam), z_min_um=-1e3,
                                z_max_um=-h / 2))
        if self.shape == "circle":
            shapes.append(Cylinder(material=mat, center_um=(0, 0, 0), radius_um=d / 2,
                                   height_um=h))
        else:
            shapes.append(Block(material=mat, center_um=(0, 0, 0), size_um=(d, d, h)))
        if self.emitter_site == "top":
            pos = (0.0, 0.0, h / 2 + self.emitter_gap_um)
        else:
            pos = (d / 2 + self.emitter_gap_um, 0.0, 0.0)
        lateral = d + 2 * (_MARGIN_UM + self.emitter_gap_um)
        half_z = h / 2 + self.emitter_gap_um + _MARGIN_UM
        return Structure(
            name=f"pillar-{self.material}-{self.shape}-{self.emitter_site}",
            shapes=tuple(shapes), background=clad,
            cell_size_um=(lateral, lateral, 2 * half_z), dimensions=self.dimensions,
            emitter_position_um=pos, dipole_orientation=self.dipole_orientation,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=self.target_wavelength_um, collection_na=self.collection_na,
            collection_direction=self.collection_direction,
            meta={"family": self.family, "fidelity": fidelity},
        )


@register_preset(
    "tio2_pillar_520",
    "TiO2 pillar (d = 160 nm, h = 200 nm) on glass, CsPbBr3 emitter 5 nm above the top face, "
    "in-plane (x) dipole. No published pillar geometry was retrieved (REFERENCES B4); the "
    "diameter comes from a cylindrical sweep here (60 px/µm): d = 0.16/0.18/0.26 µm put the "
    "lowest Mie resonance seen by an x dipole at 517/563/491 nm (Q ≈ 4-8, Purcell 2.1/2.5/3.6). "
    "A z dipole on top sees no resonance in 440-600 nm for d = 0.21-0.26 µm. The TiO2 sphere "
    "of REFERENCES A2 is the validated oracle for this geometry class.",
)
def _tio2_pillar() -> MiePillar:
    return MiePillar(window_um=0.16)


@register_preset(
    "gap_pillar_520",
    "GaP pillar (d = 115 nm, h = 200 nm) on glass, emitter 5 nm above the top face, x dipole: "
    "the higher index (3.5) shrinks the resonator (d scaled by n_TiO2/n_GaP from the TiO2 "
    "preset). Measured at 60 px/µm: resonance 481 nm (Q ≈ 12, Purcell 4.6), Purcell 1.5 at "
    "520 nm; model design (REFERENCES B4, C5).",
)
def _gap_pillar() -> MiePillar:
    return MiePillar(material="GaP", diameter_um=0.115, window_um=0.16)
