"""Open-access (tunable) Fabry-Pérot microcavity: a planar dielectric mirror carrying the
nanocrystal, and facing it across an air gap a concave (spherical) dielectric mirror on a glass
substrate, the mirror separation being the tuning knob (Farrow et al., Nano Lett. 23, 10667
(2023); Oddi et al.; Said et al., REFERENCES B6).

::

        SiO2 substrate (top)
      ‾‾‾‾‾\\__________/‾‾‾‾‾   curved quarter-wave stack, radius of curvature R
              air gap  ↑ L (apex to planar mirror)
      ───────────•───────────   emitter on the axis, on the planar mirror (or in a polymer film)
      ═══════════════════════   planar quarter-wave stack
        SiO2 substrate (bottom)

Both mirrors are quarter-wave stacks at ``dbr_center_um`` with the low-index layer facing the
gap, so the field has an antinode on the planar mirror where the nanocrystal lies
(:func:`sims.gaussian_cavity.quarter_wave_stack`). The structure is rotationally symmetric: both
fidelities are cylindrical runs (an in-plane dipole on the axis couples to m = ±1, the
polarisation of the Laguerre-Gauss modes LG_p0; a z dipole on the axis sees none of them). The
curved mirror is a stack of concentric spherical shells that runs into the PML: the mirror is
taken as spherical over the whole cell, i.e. its aperture is much larger than the mode
(clipping loss not modelled; the cell radius is 3.5 w0). Dielectrics are constant indices at
the target wavelength (:mod:`cavities.library`), as in every family.

Coordinates: the cell is centred on the origin; ``mirror_surface_z_um`` gives the planar
mirror's surface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from cavities._validate import require_choice, require_nonnegative, require_positive
from cavities.base import DEFAULT_MIN_FEATURE_UM, HIGH_Q_SIM_DEFAULTS, Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.registry import register_family, register_preset
from cavities.shapes import Layer, Sphere
from cavities.structure import Structure

HIGH_INDEX = ("TiO2", "Si3N4")
HOSTS = ("air", "PMMA", "polystyrene")
SUBSTRATE_MARGIN_UM = 0.25  # substrate below/above the stacks inside the cell
WAIST_MARGIN = 3.5  # cell radius in units of the fundamental mode's waist w0
PML_UM = 0.5


def paraxial_waist_um(*, wavelength_um: float, length_um: float, radius_um: float) -> float:
    """w0 = sqrt((λ/π) sqrt(L (R − L))) of a plano-concave cavity in air (its planar-mirror
    waist; :meth:`sims.gaussian_cavity.PlanoConcaveCavity.waist_um` is the tested version)."""
    return math.sqrt(wavelength_um / math.pi * math.sqrt(length_um * (radius_um - length_um)))


@register_family
@dataclass(frozen=True, kw_only=True)
class OpenCavity(CavityDesign):
    """Plano-concave open microcavity with quarter-wave-stack mirrors. Lengths in µm.

    Args:
        mirror_separation_um: L, from the planar mirror's surface to the curved mirror's apex
            (the tuning parameter).
        radius_of_curvature_um: R of the concave mirror (stable cavity: L < R).
        bottom_pairs, top_pairs: quarter-wave pairs of the planar and the curved mirror.
        dbr_high: high-index layer material, ``"TiO2"`` or ``"Si3N4"`` (low index: SiO2).
        dbr_center_um: design wavelength of the stacks (None: the target wavelength).
        host: medium of a film on the planar mirror that holds the nanocrystal: ``"air"`` (no
            film), ``"PMMA"`` or ``"polystyrene"``.
        host_thickness_um: thickness of that film (0 with ``host="air"``).
        emitter_height_um: emitter centre above the planar mirror's surface (half the
            nanocrystal edge plus ligands).
    """

    family: ClassVar[str] = "open_cavity"
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y", "z")
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 60.0, "full": 90.0}
    """Error grids 80 and 120 px/µm (``ERROR_GRID_RATIO``). Not 40/60: measured, the two grids
    picked different modes (open_cavity_520: 518.6 vs 516.0 nm, with the finer grid's 519.9 nm
    mode between them; farrow_2023_cspbi3: 685.7 vs 691.5 nm), so the screen had no error
    estimate. open_cavity_520 at 40/60/80/120 px/µm: 518.59/515.98/514.80/514.52 nm, Q
    550/851/945/983, LDOS Purcell 16.6/17.9/19.0/21.05 (benchmarks/open_cavity_microsphere.py;
    the paraxial model: 513.97 nm, Q 972, Q/V Purcell 21.1)."""
    ERROR_GRID_RATIO: ClassVar[float] = 4.0 / 3.0
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("mirror_separation_um",)
    CONVERGENCE_ORDERS: ClassVar[dict[str, float]] = {"purcell_total": 2.0, "quality_factor": 2.0,
                                                       "purcell_radiative": 2.0,
                                                       "resonance_wavelength_um": 2.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "mirror_separation_um": Bound(0.3, 4.0),
        "radius_of_curvature_um": Bound(2.0, 50.0, log=True),
        "emitter_height_um": Bound(0.002, 0.1),
    }

    mirror_separation_um: float = 0.8
    radius_of_curvature_um: float = 5.0
    bottom_pairs: int = 6
    top_pairs: int = 5
    dbr_high: str = "TiO2"
    dbr_center_um: float | None = None
    host: str = "air"
    host_thickness_um: float = 0.0
    emitter_height_um: float = 0.005
    dipole_orientation: str = "x"
    window_um: float = 0.04

    def _validate(self) -> None:
        require_material("dbr_high", self.dbr_high, HIGH_INDEX)
        require_material("host", self.host, HOSTS)
        require_positive(mirror_separation_um=self.mirror_separation_um,
                         radius_of_curvature_um=self.radius_of_curvature_um,
                         emitter_height_um=self.emitter_height_um)
        require_nonnegative(host_thickness_um=self.host_thickness_um)
        if self.dbr_center_um is not None:
            require_positive(dbr_center_um=self.dbr_center_um)
        for name in ("bottom_pairs", "top_pairs"):
            value = getattr(self, name)
            if not (isinstance(value, int) and 1 <= value <= 30):
                raise ValueError(f"`1 <= {name} <= 30` (an integer) must hold, but got "
                                 f"{name}={value!r}.")
        if not self.mirror_separation_um < self.radius_of_curvature_um:
            raise ValueError(
                "`mirror_separation_um < radius_of_curvature_um` must hold (a plano-concave "
                "cavity is stable only for L < R), but got mirror_separation_um="
                f"{self.mirror_separation_um}, radius_of_curvature_um="
                f"{self.radius_of_curvature_um}.")
        if (self.host == "air") != (self.host_thickness_um == 0):
            raise ValueError(
                "`host_thickness_um` must be 0 with host='air' and positive otherwise, but got "
                f"host={self.host!r}, host_thickness_um={self.host_thickness_um}.")
        if self.host != "air" and self.emitter_height_um >= self.host_thickness_um:
            raise ValueError(
                "`emitter_height_um < host_thickness_um` must hold (the emitter sits in the "
                f"film), but got emitter_height_um={self.emitter_height_um}, host_thickness_um="
                f"{self.host_thickness_um}.")
        sag = self.sagitta_um(self.cell_radius_um + PML_UM)
        if self.mirror_separation_um - sag <= max(self.host_thickness_um,
                                                  self.emitter_height_um) + 0.05:
            raise ValueError(
                f"the curved mirror comes down by {sag:.3g} µm at the cell edge (radius "
                f"{self.cell_radius_um + PML_UM:.3g} µm): with mirror_separation_um="
                f"{self.mirror_separation_um} it would touch the planar mirror; increase "
                "radius_of_curvature_um or mirror_separation_um.")

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        out = []
        thinnest = min(t for _, t in self._stack_layers(self.top_pairs))
        if thinnest < min_feature_um:
            out.append(f"thinnest stack layer {thinnest:.3g} µm (dbr_center_um="
                       f"{self.stack_center_um:g} µm) is below the minimum feature "
                       f"{min_feature_um:g} µm")
        if self.mirror_separation_um < min_feature_um:
            out.append(f"mirror_separation_um={self.mirror_separation_um:g} µm is below the "
                       f"minimum feature {min_feature_um:g} µm")
        return out

    # -- geometry ------------------------------------------------------------------------------
    @property
    def stack_center_um(self) -> float:
        return self.target_wavelength_um if self.dbr_center_um is None else self.dbr_center_um

    @property
    def waist_um(self) -> float:
        """Paraxial waist w0 of the fundamental mode at the target wavelength."""
        return paraxial_waist_um(wavelength_um=self.target_wavelength_um,
                                 length_um=self.mirror_separation_um,
                                 radius_um=self.radius_of_curvature_um)

    @property
    def cell_radius_um(self) -> float:
        return max(WAIST_MARGIN * self.waist_um, 1.0)

    def sagitta_um(self, r_um: float) -> float:
        """How far the curved mirror's surface comes down at radius r from its apex."""
        rc = self.radius_of_curvature_um
        return rc - math.sqrt(max(rc * rc - r_um * r_um, 0.0))

    def _indices(self) -> tuple[float, float]:
        lam = self.target_wavelength_um
        return (get_material(self.dbr_high, lam).index(lam).real,
                get_material("SiO2", lam).index(lam).real)

    def _stack_layers(self, pairs: int) -> list[tuple[str, float]]:
        """(material, thickness) from the gap outwards: low-index layer first."""
        n_h, n_l = self._indices()
        lam0 = self.stack_center_um
        return [("SiO2", lam0 / (4 * n_l)), (self.dbr_high, lam0 / (4 * n_h))] * pairs

    def stack_thickness_um(self, pairs: int) -> float:
        return sum(t for _, t in self._stack_layers(pairs))

    @property
    def gap_length_um(self) -> float:
        """Air gap on the axis: from the top of the polymer film (if any) to the curved
        mirror's apex. With :meth:`mirror_layers` (the film counted as the bottom mirror's first
        layer) it is the cavity the analytic model (:mod:`sims.gaussian_cavity`) takes."""
        return self.mirror_separation_um - self.host_thickness_um

    def mirror_layers(self) -> dict[str, list[tuple[float, float]]]:
        """(index, thickness_um) of each mirror, nearest to the gap first (the polymer film is
        the bottom mirror's first layer): what the analytic model takes, with
        :attr:`gap_length_um` as its length."""
        n_h, n_l = self._indices()
        index = {"SiO2": n_l, self.dbr_high: n_h}
        out: dict[str, list[tuple[float, float]]] = {
            "bottom": [(index[m], t) for m, t in self._stack_layers(self.bottom_pairs)],
            "top": [(index[m], t) for m, t in self._stack_layers(self.top_pairs)]}
        if self.host != "air":
            lam = self.target_wavelength_um
            n_host = get_material(self.host, lam).index(lam).real
            out["bottom"].insert(0, (n_host, self.host_thickness_um))
        return out

    def _z_extent(self) -> tuple[float, float]:
        """(bottom, top) of the cell interior relative to the planar mirror's surface."""
        bottom = -self.stack_thickness_um(self.bottom_pairs) - SUBSTRATE_MARGIN_UM
        top = (self.mirror_separation_um + self.stack_thickness_um(self.top_pairs)
               + SUBSTRATE_MARGIN_UM)
        return bottom, top

    @property
    def mirror_surface_z_um(self) -> float:
        """z of the planar mirror's surface in the (centred) cell."""
        bottom, top = self._z_extent()
        return -0.5 * (bottom + top)

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, Any]:
        # Q ~ 10³: run until the fields decay (an extrapolated stop leaves the radiated flux
        # of the mode truncated) on a flux grid that resolves the resonance
        return {"pml_um": PML_UM, **HIGH_Q_SIM_DEFAULTS}

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        lam = self.target_wavelength_um
        sio2 = get_material("SiO2", lam)
        z0 = self.mirror_surface_z_um
        bottom, top = self._z_extent()
        host_top = z0 + self.host_thickness_um
        apex = z0 + self.mirror_separation_um
        centre = apex - self.radius_of_curvature_um  # centre of curvature, below the apex
        shapes: list[Any] = [Layer(material=sio2, z_min_um=host_top, z_max_um=1e3)]
        # concentric shells from the outside in (a later shape wins): the top substrate above,
        # the air (or host) gap inside the innermost sphere
        radius = self.radius_of_curvature_um + self.stack_thickness_um(self.top_pairs)
        for material, t in reversed(self._stack_layers(self.top_pairs)):
            shapes.append(Sphere(material=get_material(material, lam),
                                 center_um=(0.0, 0.0, centre), radius_um=radius))
            radius -= t
        shapes.append(Sphere(material=get_material("vacuum", lam),
                             center_um=(0.0, 0.0, centre), radius_um=radius))
        shapes.append(Layer(material=sio2, z_min_um=-1e3, z_max_um=z0 - self.stack_thickness_um(
            self.bottom_pairs)))
        z = z0
        for material, t in self._stack_layers(self.bottom_pairs):
            shapes.append(Layer(material=get_material(material, lam), z_min_um=z - t,
                                z_max_um=z))
            z -= t
        if self.host != "air":
            shapes.append(Layer(material=get_material(self.host, lam), z_min_um=z0,
                                z_max_um=host_top))
        r = self.cell_radius_um
        return Structure(
            name=f"open-cavity-{self.dbr_high}-L{self.mirror_separation_um:g}",
            shapes=tuple(shapes), background=get_material("vacuum", lam),
            cell_size_um=(2 * r, 2 * r, top - bottom), dimensions="cylindrical",
            emitter_position_um=(0.0, 0.0, z0 + self.emitter_height_um),
            dipole_orientation=self.dipole_orientation,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=lam, collection_na=self.collection_na,
            collection_direction=self.collection_direction,
            meta={"family": self.family, "fidelity": fidelity},
        )


@register_preset(
    "open_cavity_520",
    "Open microcavity for a CsPbBr3 nanocrystal at 520 nm (model design): TiO2/SiO2 "
    "quarter-wave stacks (6 pairs planar, 5 pairs curved), R = 5 µm, L = 0.8 µm, the "
    "nanocrystal on the planar mirror. Paraxial model (sims.gaussian_cavity): fundamental mode "
    "514.0 nm, Q ≈ 970, w0 0.59 µm, V ≈ 0.48 µm³ with the mirrors' penetration, Q/V Purcell "
    "21; Meep at 120 px/µm: 514.5 nm, Q 983, LDOS Purcell 21.0 (README \"Open microcavity "
    "and microsphere\").",
)
def _open_cavity_520() -> OpenCavity:
    return OpenCavity()


@register_preset(
    "farrow_2023_cspbi3",
    "Open microcavity in the class of Farrow et al., Nano Lett. 23, 10667 (2023) (a single "
    "CsPbI3 nanocrystal at room temperature, Q = 300, V = 0.5 µm³, expected F_P 4.7; "
    "REFERENCES A1/B6). The paper's mirrors, radius of curvature and film were not retrieved: "
    "assumed TiO2/SiO2 stacks (5 pairs planar, 4 pairs curved) at 690 nm, R = 5 µm, the "
    "nanocrystal in a 40 nm PMMA film on the planar mirror (spin-coated), L = 1.056 µm tuned "
    "so that the paraxial model (sims.gaussian_cavity) puts the fundamental mode at 690 nm "
    "with Q ≈ 290. Its mode volume with the mirrors' penetration is ≈ 0.89 µm³ (the 0.5 µm³ "
    "of the paper is reached only without penetration). The example "
    "examples/open_cavity_farrow.py simulates it and compares the Purcell factor with 4.7.",
)
def _farrow_2023() -> OpenCavity:
    return OpenCavity(target_wavelength_um=0.69, window_um=0.04, bottom_pairs=5, top_pairs=4,
                      radius_of_curvature_um=5.0, mirror_separation_um=1.056, host="PMMA",
                      host_thickness_um=0.04, emitter_height_um=0.02)
