"""Dielectric microsphere: whispering-gallery modes (WGMs) of a sphere with the nanocrystal on
its surface (CsPb(BrxCl1−x)3 nanocrystals on SiO2 microspheres, the review's ref. 127).

::

          • emitter on the top pole (on the axis), at emitter_gap_um from the surface
        .-‾‾‾-.
       /       \\     sphere of radius a (SiO2, polystyrene or TiO2)
       \\       /
        '-___-'
      ═══════════    optional glass substrate touching the bottom pole

A dipole at the pole couples to the m = 0 (radial dipole) or m = ±1 (tangential dipole)
member of every WGM multiplet l, so a cylindrical run with the emitter on the axis sees the
whole WGM spectrum that an emitter anywhere on the surface sees (rotate the sphere). Without a
substrate the exact LDOS is Mie theory (:func:`sims.analytic.mie_dipole_rates`, REFERENCES A2):
the validation of this family. Dielectrics are constant indices at the target wavelength.
Coordinates: the sphere is centred on the origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cavities._validate import require_choice, require_positive
from cavities.base import DEFAULT_MIN_FEATURE_UM, HIGH_Q_SIM_DEFAULTS, Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.registry import register_family, register_preset
from cavities.shapes import Layer, Sphere
from cavities.structure import Structure

SPHERE_MATERIALS = ("SiO2", "polystyrene", "TiO2")
SUBSTRATES = ("none", "SiO2")
MARGIN_UM = 0.4  # free space between the sphere (or the emitter) and the PML


@register_family
@dataclass(frozen=True, kw_only=True)
class Microsphere(CavityDesign):
    """Dielectric sphere with the emitter on its top pole. Lengths in µm.

    Args:
        sphere_radius_um: radius a of the sphere.
        material: ``"SiO2"``, ``"polystyrene"`` or ``"TiO2"``.
        substrate: ``"none"`` (free sphere: the Mie-exact reference) or ``"SiO2"`` (a glass
            half-space touching the bottom pole).
        emitter_gap_um: emitter centre above the sphere's surface.
        dipole_orientation: ``"z"`` (radial, m = 0) or ``"x"``/``"y"`` (tangential, m = ±1).
    """

    family: ClassVar[str] = "microsphere"
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("sphere_radius_um",)
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y", "z")
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 40.0, "full": 80.0}
    CONVERGENCE_ORDERS: ClassVar[dict[str, float]] = {"purcell_total": 2.0, "quality_factor": 2.0,
                                                       "purcell_radiative": 2.0,
                                                       "resonance_wavelength_um": 2.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "sphere_radius_um": Bound(0.3, 5.0, log=True),
        "emitter_gap_um": Bound(0.003, 0.1),
    }

    sphere_radius_um: float = 1.5
    material: str = "SiO2"
    substrate: str = "none"
    emitter_gap_um: float = 0.01
    dipole_orientation: str = "x"
    window_um: float = 0.03

    def _validate(self) -> None:
        require_material("material", self.material, SPHERE_MATERIALS)
        require_choice("substrate", self.substrate, SUBSTRATES)
        require_positive(sphere_radius_um=self.sphere_radius_um,
                         emitter_gap_um=self.emitter_gap_um)

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        if 2 * self.sphere_radius_um < min_feature_um:
            return [f"sphere diameter 2*sphere_radius_um = {2 * self.sphere_radius_um:g} µm is "
                    f"below the minimum feature {min_feature_um:g} µm"]
        return []

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, Any]:
        # Q ~ 10³: run until the fields decay (an extrapolated stop leaves the radiated flux
        # of the mode truncated) on a flux grid that resolves the resonance
        return {"pml_um": 0.5, **HIGH_Q_SIM_DEFAULTS}

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        lam = self.target_wavelength_um
        a = self.sphere_radius_um
        shapes: list[Any] = []
        if self.substrate == "SiO2":
            shapes.append(Layer(material=get_material("SiO2", lam), z_min_um=-1e3,
                                z_max_um=-a))
        shapes.append(Sphere(material=get_material(self.material, lam), center_um=(0, 0, 0),
                             radius_um=a))
        ez = a + self.emitter_gap_um
        half_z = ez + MARGIN_UM
        radius = a + MARGIN_UM
        return Structure(
            name=f"microsphere-{self.material}-a{a:g}",
            shapes=tuple(shapes), background=get_material("vacuum", lam),
            cell_size_um=(2 * radius, 2 * radius, 2 * half_z), dimensions="cylindrical",
            emitter_position_um=(0.0, 0.0, ez), dipole_orientation=self.dipole_orientation,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=lam, collection_na=self.collection_na,
            collection_direction=self.collection_direction,
            meta={"family": self.family, "fidelity": fidelity},
        )


@register_preset(
    "sio2_microsphere_520",
    "Free SiO2 microsphere (a = 1.5 µm) with a CsPbBr3 nanocrystal 10 nm above its top pole, "
    "tangential (x) dipole: the Mie-exact reference of the family (REFERENCES A2; Mie: a WGM "
    "at 520.4 nm, Q ≈ 860, total Purcell 8.2 on its peak). Model scale: "
    "the review's ref. 127 used larger spheres (ensembles on the surface), whose WGMs have "
    "higher Q and denser spectra; the physics and the validation are the same.",
)
def _sio2_microsphere() -> Microsphere:
    return Microsphere()
