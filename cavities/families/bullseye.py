"""Bullseye / circular Bragg grating (CBG): a central disk in a membrane, surrounded by
concentric air trenches that act as a radial Bragg mirror and scatter the in-plane guided light
upward (second-order grating, period ≈ λ/n_eff of the membrane's guided mode).

Three variants (field ``substrate``):

* ``"none"``: suspended membrane (Davanco et al., APL 99, 041102 (2011); REFERENCES B3);
* ``"SiO2"``: membrane on a glass substrate;
* ``"hybrid"``: membrane on a low-index spacer on a metal mirror, which sends the downward
  light back up (Liu et al., Nat. Nanotech. 14, 586 (2019); Wang et al., PRL 122, 113602
  (2019); REFERENCES B3).

The structure is rotationally symmetric, so both fidelities are cylindrical runs (m = 0 for a
z dipole, m = ±1 for an in-plane dipole); they differ in resolution. The emitter (a nanocrystal)
sits on the axis: on the disk surface (``emitter_site="surface"``, at ``emitter_height_um`` above
it: the nanocrystal's centre) or embedded in the membrane mid-plane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from cavities.base import Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.registry import register_family, register_preset
from cavities.shapes import Cylinder, Layer
from cavities.structure import Structure

SUBSTRATES = ("none", "SiO2", "hybrid")
MEMBRANES = ("Si3N4", "TiO2", "GaP")
MIRRORS = ("Ag", "Au")
CLADDINGS = ("air", "PMMA")
SITES = ("surface", "embedded")

_MARGIN_UM = 0.5  # free space between the outermost trench and the PML (radially)
_AIR_ABOVE_UM = 0.6  # free space above the emitter / membrane top, below the PML
_MIRROR_UM = 0.1  # metal mirror thickness (optically thick: skin depth ~ 25 nm)


@register_family
@dataclass(frozen=True, kw_only=True)
class Bullseye(CavityDesign):
    """Circular Bragg grating in a membrane. Lengths in µm.

    Args:
        disk_radius_um: radius of the central disk (sets the resonance).
        period_um: grating period Λ (≈ λ / n_eff of the membrane's guided mode).
        trench_width_um: width of each air trench.
        n_rings: number of trenches.
        thickness_um: membrane thickness.
        etch_depth_um: trench depth from the top; None etches through the membrane.
        membrane: membrane material: ``"Si3N4"``, ``"TiO2"`` or ``"GaP"``
            (:mod:`cavities.library`).
        substrate: ``"none"`` (suspended), ``"SiO2"`` or ``"hybrid"`` (spacer on a metal mirror).
        spacer_thickness_um: SiO2 spacer between membrane and mirror (hybrid only).
        mirror: ``"Ag"`` or ``"Au"`` (hybrid only).
        cladding: medium above the membrane and in the trenches: ``"air"`` or ``"PMMA"``
            (nanocrystals spin-coated in a polymer).
        emitter_site: ``"surface"`` (on the disk) or ``"embedded"`` (membrane mid-plane).
        emitter_height_um: height of the emitter centre above the disk surface (half the
            nanocrystal edge plus ligands, e.g. 5 nm); surface site only.
    """

    family: ClassVar[str] = "bullseye"
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y", "z")
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 60.0, "full": 120.0}
    """Screen 60 (error grid 80) px/µm, not 40/60: measured on bullseye_sin_520
    (benchmarks/resolution_series.py, benchmarks/bullseye_diagnosis.py), 40 px/µm is below the
    asymptotic range: ±1 px/µm moved the picked λ by −1.8/+9.9 nm (39/40/41: 518.6/516.8/526.7)
    and the 40/60 screen was 10 nm off the converged λ; at 59/60/61 and 79/80/81 the pick moves
    ≤ 1.1 nm and the Purcell factor ≤ 2.6 %."""
    ERROR_GRID_RATIO: ClassVar[float] = 4.0 / 3.0
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("disk_radius_um", "period_um", "thickness_um")
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "disk_radius_um": Bound(0.12, 0.6),
        "period_um": Bound(0.2, 0.4),
        "trench_width_um": Bound(0.04, 0.2),
        "thickness_um": Bound(0.1, 0.3),
        "spacer_thickness_um": Bound(0.05, 0.4),
    }

    CONVERGENCE_ORDERS: ClassVar[dict[str, float]] = {"resonance_wavelength_um": 2.0,
                                                       "purcell_total": 2.0,
                                                       "purcell_radiative": 2.0,
                                                       "collection_efficiency": 1.5}
    """Observed on bullseye_sin_520 at 60/80/120 px/µm (the screen's regime; series 60/80/120/
    160/200 px/µm, benchmarks/resolution_series.py): λ 1.9 (520.28/518.61/517.38 nm; finer
    grids scatter ±0.3 nm: 517.50/517.09 at 160/200), total Purcell 4.0 (2.304/2.437/2.486;
    taken as 2, the conservative choice: 2.507/2.524 at 160/200 still rise), collection 1.6
    (0.2187/0.2294/0.2381)."""

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, object]:
        # 0.5 µm of PML instead of 1 µm: λ, Q, Purcell and collection moved < 0.3 % (measured
        # for the issue "Screens that are right and fast"); the grid was 69 % PML.
        return {"pml_um": 0.5}

    disk_radius_um: float = 0.235
    period_um: float = 0.28
    trench_width_um: float = 0.1
    n_rings: int = 8
    thickness_um: float = 0.2
    etch_depth_um: float | None = None
    membrane: str = "Si3N4"
    substrate: str = "none"
    spacer_thickness_um: float = 0.15
    mirror: str = "Ag"
    cladding: str = "air"
    emitter_site: str = "surface"
    emitter_height_um: float = 0.005

    def _validate(self) -> None:
        from cavities._validate import require_choice, require_nonnegative, require_positive

        require_positive(disk_radius_um=self.disk_radius_um, period_um=self.period_um,
                         trench_width_um=self.trench_width_um, thickness_um=self.thickness_um,
                         spacer_thickness_um=self.spacer_thickness_um)
        require_nonnegative(emitter_height_um=self.emitter_height_um)
        require_material("membrane", self.membrane, MEMBRANES)
        require_choice("substrate", self.substrate, SUBSTRATES)
        require_material("mirror", self.mirror, MIRRORS)
        require_material("cladding", self.cladding, CLADDINGS)
        require_choice("emitter_site", self.emitter_site, SITES)
        if not (isinstance(self.n_rings, int) and 0 <= self.n_rings <= 40):
            raise ValueError(f"`0 <= n_rings <= 40` (an integer) must hold, but got "
                             f"n_rings={self.n_rings!r}.")
        if self.trench_width_um >= self.period_um:
            raise ValueError(
                "`trench_width_um < period_um` must hold (trenches would merge), but got "
                f"trench_width_um={self.trench_width_um}, period_um={self.period_um}.")
        if self.etch_depth_um is not None and not 0 < self.etch_depth_um <= self.thickness_um:
            raise ValueError(
                "`0 < etch_depth_um <= thickness_um` must hold, but got "
                f"etch_depth_um={self.etch_depth_um}, thickness_um={self.thickness_um}.")

    def fabrication_violations(self, min_feature_um: float = 0.03) -> list[str]:
        out = []
        if self.trench_width_um < min_feature_um:
            out.append(f"trench_width_um={self.trench_width_um:g} µm is below the minimum "
                       f"feature {min_feature_um:g} µm")
        ridge = self.period_um - self.trench_width_um
        if ridge < min_feature_um:
            out.append(f"ridge width period_um - trench_width_um = {ridge:g} µm is below the "
                       f"minimum feature {min_feature_um:g} µm")
        if 2 * self.disk_radius_um < min_feature_um:
            out.append(f"disk diameter 2*disk_radius_um = {2 * self.disk_radius_um:g} µm is "
                       f"below the minimum feature {min_feature_um:g} µm")
        depth = self.thickness_um if self.etch_depth_um is None else self.etch_depth_um
        aspect = depth / self.trench_width_um
        if aspect > 10:
            out.append(f"trench aspect ratio depth/trench_width_um = {aspect:.3g} exceeds 10 "
                       "(dry-etch limit)")
        if self.substrate == "none" and self.n_rings > 0 and self.etch_depth_um is not None:
            out.append("a suspended membrane needs through-etched trenches for the undercut "
                       f"release: etch_depth_um={self.etch_depth_um:g} µm < thickness_um="
                       f"{self.thickness_um:g} µm")
        return out

    # -- geometry ------------------------------------------------------------------------------
    @property
    def grating_radius_um(self) -> float:
        """Outer radius of the outermost trench."""
        if self.n_rings == 0:
            return self.disk_radius_um
        return self.disk_radius_um + (self.n_rings - 1) * self.period_um + self.trench_width_um

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        lam = self.target_wavelength_um
        # dielectrics as constant indices at the target: they run into the PML (see library)
        mem = get_material(self.membrane, lam)
        clad = get_material("vacuum" if self.cladding == "air" else self.cladding, lam)
        t = self.thickness_um
        z_top, z_bot = t / 2, -t / 2
        shapes: list = []
        below_um = _AIR_ABOVE_UM
        if self.substrate == "SiO2":
            shapes.append(Layer(material=get_material("SiO2", lam), z_min_um=-1e3, z_max_um=z_bot))
        elif self.substrate == "hybrid":
            s = self.spacer_thickness_um
            shapes.append(Layer(material=get_material("SiO2", lam),
                                z_min_um=z_bot - s - _MIRROR_UM, z_max_um=z_bot))
            # the metal mirror is a disk that ends where the PML begins: a Drude metal inside a
            # PML diverges (measured: the Ag mirror as an infinite layer blew up at 40 px/µm)
            shapes.append(Cylinder(material=get_material(self.mirror),
                                   center_um=(0, 0, z_bot - s - _MIRROR_UM / 2),
                                   radius_um=self.grating_radius_um + _MARGIN_UM,
                                   height_um=_MIRROR_UM))
            below_um = s + _MIRROR_UM + 0.1
        shapes.append(Layer(material=mem, z_min_um=z_bot, z_max_um=z_top))
        depth = t if self.etch_depth_um is None else self.etch_depth_um
        zc, h = z_top - depth / 2, depth
        # Nested cylinders from the outside in; a later shape wins.
        for i in reversed(range(self.n_rings)):
            r_in = self.disk_radius_um + i * self.period_um
            shapes.append(Cylinder(material=clad, center_um=(0, 0, zc), radius_um=r_in
                                   + self.trench_width_um, height_um=h))
            shapes.append(Cylinder(material=mem, center_um=(0, 0, zc), radius_um=r_in,
                                   height_um=h))
        if self.emitter_site == "surface":
            ez = z_top + self.emitter_height_um
        else:
            ez = 0.0
        top = max(z_top, ez) + _AIR_ABOVE_UM
        bottom = z_bot - below_um
        # centre the cell on z = 0 (structures are centred on the origin): symmetric extent
        half_z = max(top, -bottom)
        radius = self.grating_radius_um + _MARGIN_UM
        return Structure(
            name=f"bullseye-{self.membrane}-{self.substrate}",
            shapes=tuple(shapes),
            background=clad,
            cell_size_um=(2 * radius, 2 * radius, 2 * half_z),
            dimensions="cylindrical",
            emitter_position_um=(0.0, 0.0, ez),
            dipole_orientation=self.dipole_orientation,
            wavelength_min_um=self.wavelength_min_um,
            wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=lam,
            collection_na=self.collection_na,
            collection_direction=self.collection_direction,
            meta={"family": self.family, "fidelity": fidelity},
        )


@register_preset(
    "bullseye_sin_520",
    "Suspended Si3N4 bullseye (t = 220 nm) for a CsPbBr3 nanocrystal at 520 nm on the disk. "
    "Started from Λ = λ/n_eff = 0.52/1.86 ≈ 0.28 µm (TE slab mode), trench ≈ Λ/3 as in GaAs "
    "CBGs (Davanco 2011, REFERENCES B3) and R = 0.235 µm from a cylindrical sweep made before "
    "the tool smoothed horizontal faces; with the smoothing that design has no LDOS peak near "
    "520 nm (a weak Q ≈ 200 mode at 487 nm on a slope), so every length was scaled by 1.095 "
    "(R 0.257, Λ 0.307, trench 0.110, t 0.220 µm): one broad LDOS peak (Q ≈ 15) at "
    "517/520/519 nm at 40/60/80 px/µm (benchmarks/bullseye_diagnosis.py).",
)
def _bullseye_sin_520() -> Bullseye:
    return Bullseye(disk_radius_um=0.257, period_um=0.307, trench_width_um=0.110,
                    thickness_um=0.220)


@register_preset(
    "bullseye_hybrid_sin_ag_520",
    "Hybrid CBG (Liu 2019 / Wang 2019 concept, REFERENCES B3) for 520 nm: 200 nm Si3N4 on a "
    "SiO2 spacer on an Ag mirror (Meep's Rakic Ag). The spacer (~λ/(4 n_SiO2) with the "
    "mirror's phase) makes the reflected light add up in phase above the membrane.",
)
def _bullseye_hybrid() -> Bullseye:
    return Bullseye(substrate="hybrid", spacer_thickness_um=0.08)


@register_preset(
    "bullseye_hybrid_sin_ag_rt_520",
    "Hybrid Si3N4-on-SiO2-on-Ag bullseye optimised for a 10 nm CsPbBr3 nanocrystal at 295 K "
    "(photons at the first lens, NA 0.65): trial 9 of the 31-trial study "
    "hybrid-cspbbr3-broadband (benchmarks/results/hybrid_search/, command in cmd.sh; TPE over "
    "disk radius, period, trench and spacer on a 5 nm grid, t = 220 nm). Collection into NA "
    "0.65 at the resonance 0.817/0.864/0.822/0.857 at 60/80/120/160 px/µm (screen and full "
    "grids); exciton Purcell 2.5, 5.5e6 photons/s at the full fidelity (extrapolated, flagged "
    "not converged: the values near the Ag mirror oscillate with the grid, radiative Purcell "
    "1.99/3.08/2.08/2.72). Into NA 0.5: 0.54/0.65, into NA 0.22: 0.19/0.16 at 60/80 px/µm "
    "(README \"A hybrid bullseye for a room-temperature nanocrystal\").",
)
def _bullseye_hybrid_rt() -> Bullseye:
    return Bullseye(substrate="hybrid", disk_radius_um=0.255, period_um=0.335,
                    trench_width_um=0.095, thickness_um=0.220, spacer_thickness_um=0.155)
