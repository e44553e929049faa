"""The 1D nanobeam cavity (Quan & Lončar's deterministic design)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from cavities._validate import require_positive
from cavities.base import DEFAULT_MIN_FEATURE_UM, Bound
from cavities.families.photonic_crystal.slab import (
    _AIR_FRACTION,
    _MARGIN_UM,
    _MAX_HOLE_ASPECT,
    _THROUGH_PML_UM,
    PhotonicCrystalSlab,
)
from cavities.families.photonic_crystal.supercell import GmeModel
from cavities.materials import VACUUM, constant_index
from cavities.registry import register_family
from cavities.shapes import Block, Layer, Shape
from cavities.structure import Structure

GME_AIR_GAP_WAVELENGTHS = 1.0
"""Air between neighbouring beams of the GME supercell, in target wavelengths (the evanescent
tail of the beam mode decays over ≲ λ/(2π√(n_eff² − 1)))."""
GME_K_FRACTIONS = ((0.0, 0.0), (0.5, 0.0), (1.0, 0.0))
"""k-points of the nanobeam's GME loss average: along the beam only. Across it the supercell is
a grating of beams ~1 λ apart, and at k_y = π/L_y the picked mode's Q collapses (measured on
nanobeam_sin_520 at gmax 1.5: Q 5.9e5 at Γ, 1.1e6 and 1.5e6 at k_y = π/(4L_y), π/(2L_y), 449 at
π/L_y with no light in the NA: a resonance of the beam array, not of one beam)."""
GME_NOTE = (
    "nanobeam GME: the Q is the radiative Q of the mode with infinitely long mirrors, sampled "
    "along the beam only (k_y sampling of the beam array is unreliable); the finite mirrors' "
    "axial leakage, which limits a short SiN beam (3D: Q 5.6e3 for nanobeam_sin_520), is not "
    "included: rank nanobeams by λ and V here, by Q at full fidelity.")


@register_family
@dataclass(frozen=True, kw_only=True)
class Nanobeam(PhotonicCrystalSlab):
    """1D photonic-crystal nanobeam cavity, deterministic design of Quan & Lončar, Opt. Express
    19, 18529 (2011) (REFERENCES B2). Lengths in µm::

          ____________________________________________________  beam width w, thickness t
         |  o  o  o  o  O  O  O  O  O  O  O  O  o  o  o  o  |   holes at x = ±(i + 1/2) a
         |____________________________________________________|
            mirror     taper          ^ x = 0         taper     mirror

    Zero-length cavity (the centre x = 0 is dielectric, between the two central holes);
    constant period a; the filling fraction ff = π r² / (a w) goes quadratically from
    ``center_fill_fraction`` at the central holes to ``mirror_fill_fraction`` over
    ``n_taper`` holes on each side, ff_i = ff_c + (ff_m − ff_c)(i / n_taper)², followed by
    ``n_mirror`` holes at ff_m. The mirror strength then grows about linearly from the centre,
    giving a Gaussian envelope and a high radiation Q. The dielectric mode has E along y at the
    centre.

    Args:
        beam_width_um: beam width w.
        center_fill_fraction, mirror_fill_fraction: filling fractions at the centre and in the
            mirror (centre > mirror: the centre cell's dielectric band edge lies in the mirror's
            gap).
        n_taper: taper holes on each side; n_mirror: mirror holes on each side.
        (the hole radii follow from the filling fractions.)

    GME screen: the beam in a supercell of ``2 (n_taper + n_mirror)`` periods along x (the mirrors
    of neighbouring copies join into one periodic crystal) by ``w + GME_AIR_GAP_WAVELENGTHS·λ``
    across (air between neighbouring beams), expanded in the guided modes of the unpatterned
    slab (``eps_eff = "background"``: the beam's own slab, not the air-diluted average).
    """

    family: ClassVar[str] = "pc_nanobeam"
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("lattice_um",)
    # ~12 px per period at a ≈ 0.17 µm in 3D (the 3D cell is long: 36 holes), ~14 in 2D
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 80.0, "full": 70.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "lattice_um": Bound(0.12, 0.40),
        "beam_width_um": Bound(0.25, 0.9),
        "slab_thickness_um": Bound(0.1, 0.35),
        "center_fill_fraction": Bound(0.1, 0.3),
        "mirror_fill_fraction": Bound(0.05, 0.2),
        "emitter_height_um": Bound(0.0, 0.02),
        "n_taper": Bound(6, 25, unit=""),
        "n_mirror": Bound(2, 15, unit=""),
    }

    lattice_um: float = 0.17
    slab_thickness_um: float = 0.2
    beam_width_um: float = 0.4
    center_fill_fraction: float = 0.2
    mirror_fill_fraction: float = 0.1
    n_taper: int = 12
    n_mirror: int = 6

    def _validate(self) -> None:
        self._validate_slab()
        require_positive(beam_width_um=self.beam_width_um,
                         center_fill_fraction=self.center_fill_fraction,
                         mirror_fill_fraction=self.mirror_fill_fraction)
        self._require_int("n_taper", self.n_taper, 1, 60)
        self._require_int("n_mirror", self.n_mirror, 0, 60)
        for name in ("center_fill_fraction", "mirror_fill_fraction"):
            ff = getattr(self, name)
            r = self.radius_for(ff)
            if not 2 * r < min(self.lattice_um, self.beam_width_um):
                raise ValueError(
                    f"`{name}` gives holes of diameter {2 * r:.4g} µm that do not fit in the "
                    f"period (lattice_um={self.lattice_um}) and the beam (beam_width_um="
                    f"{self.beam_width_um}); but got {name}={ff}.")

    def radius_for(self, fill_fraction: float) -> float:
        """Hole radius of a filling fraction ff = π r² / (a w)."""
        return math.sqrt(fill_fraction * self.lattice_um * self.beam_width_um / math.pi)

    def fill_fractions(self) -> list[float]:
        """Filling fraction of hole i = 0, 1, ... from the centre outward (one side)."""
        ffc, ffm, nt = self.center_fill_fraction, self.mirror_fill_fraction, self.n_taper
        return ([ffc + (ffm - ffc) * (i / nt) ** 2 for i in range(nt)]
                + [ffm] * self.n_mirror)

    def holes(self) -> list[tuple[float, float, float]]:
        a = self.lattice_um
        out = []
        for i, ff in enumerate(self.fill_fractions()):
            r = self.radius_for(ff)
            out.extend([((i + 0.5) * a, 0.0, r), (-(i + 0.5) * a, 0.0, r)])
        return out

    def _crystal_half_um(self) -> tuple[float, float]:
        return (len(self.fill_fractions()) * self.lattice_um, self.beam_width_um / 2)

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        out = []
        a, w, t = self.lattice_um, self.beam_width_um, self.slab_thickness_um
        radii = [self.radius_for(ff) for ff in self.fill_fractions()]
        r_max, r_min = max(radii), min(radii)
        if 2 * r_min < min_feature_um:
            out.append(f"smallest hole diameter {2 * r_min:.4g} µm (from mirror_fill_fraction="
                       f"{self.mirror_fill_fraction:g}) is below the minimum feature "
                       f"{min_feature_um:g} µm")
        if a - 2 * r_max < min_feature_um:
            out.append(f"wall between holes lattice_um - 2 r = {a - 2 * r_max:.4g} µm (largest "
                       f"hole, center_fill_fraction={self.center_fill_fraction:g}) is below the "
                       f"minimum feature {min_feature_um:g} µm")
        side = (w - 2 * r_max) / 2
        if side < min_feature_um:
            out.append(f"side wall (beam_width_um - 2 r)/2 = {side:.4g} µm (beam_width_um={w:g},"
                       f" largest hole diameter {2 * r_max:.4g} µm) is below the minimum feature"
                       f" {min_feature_um:g} µm")
        if t / (2 * r_min) > _MAX_HOLE_ASPECT:
            out.append(f"hole aspect ratio slab_thickness_um / (2 r) = {t / (2 * r_min):.3g} "
                       f"exceeds {_MAX_HOLE_ASPECT:g} (dry-etch limit)")
        if w < min_feature_um:
            out.append(f"beam_width_um={w:g} µm is below the minimum feature "
                       f"{min_feature_um:g} µm")
        return out

    def to_structure(self, fidelity: str = "screen") -> Structure:
        self.check_fidelity(fidelity)
        hx, hy = self._crystal_half_um()
        air = _AIR_FRACTION * self.target_wavelength_um
        cell = self._cell(hx + _MARGIN_UM, hy + air, fidelity)
        name = f"{self.family}-{self.slab_material}-{self.substrate}-{fidelity}"
        t, w = self.slab_thickness_um, self.beam_width_um
        length = cell[0] + 2 * _THROUGH_PML_UM  # the beam runs into the PML (a waveguide)
        shapes: list[Shape] = []
        if fidelity == "screen":
            n_eff = self.effective_index()
            beam = constant_index(f"{self.slab_material}-neff", n_eff,
                                  source="2D effective index of the slab's TE0 mode")
            shapes.append(Block(center_um=(0, 0, 0), size_um=(length, w, t), material=beam))
        else:
            sub = self.substrate_material()
            if sub is not None:
                shapes.append(Layer(z_min_um=-1e3, z_max_um=-t / 2, material=sub))
            shapes.append(Block(center_um=(0, 0, 0), size_um=(length, w, t),
                                material=self.slab()))
        shapes.extend(self._hole_shapes(t))
        return self._structure(fidelity, shapes, VACUUM, cell, name)

    def gme_model(self) -> GmeModel:
        a, w = self.lattice_um, self.beam_width_um
        n_holes = len(self.fill_fractions())
        period_x = 2 * n_holes * a
        period_y = w + GME_AIR_GAP_WAVELENGTHS * self.target_wavelength_um
        gap = period_y - w
        air = ((0.0, -period_y / 2 + gap / 4, period_x, gap / 2),
               (0.0, period_y / 2 - gap / 4, period_x, gap / 2))
        cell = self._slab_layers(tuple(self.holes()), ((period_x, 0.0), (0.0, period_y)), air)
        r_m = self.radius_for(self.mirror_fill_fraction)
        air_m = ((0.0, -period_y / 2 + gap / 4, a, gap / 2),
                 (0.0, period_y / 2 - gap / 4, a, gap / 2))
        bulk = self._slab_layers(((0.0, 0.0, r_m),), ((a, 0.0), (0.0, period_y)), air_m)
        return self._gme_model(supercell=cell, bulk=bulk,
                               bulk_k_path=((0.0, 0.0), (math.pi / a, 0.0)),
                               bulk_band_below_gap=1, guided_basis="background",
                               k_fractions=GME_K_FRACTIONS, notes=(GME_NOTE,))
