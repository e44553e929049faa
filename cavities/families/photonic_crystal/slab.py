"""The slab shared by the photonic-crystal families: materials, the slab's TE0 effective index,
the emitter site, fabrication rules of air holes and the backend-neutral structures.

Coordinates (all families)::

        y
        ^        o   o   o   o   o   o   o          o  air hole (radius r, lattice a)
        |      o   o   o   o   o   o   o   o        L3: three missing holes in row 0, the two
        |        o   o  (o)  .   .   . (o)  o  o        holes closing it shifted outward by s
        |      o   o   o   o   o   o   o   o
        |        o   o   o   o   o   o   o
        +-----------------------------------> x  (cavity / beam axis)

The slab (thickness t) lies in the plane z ∈ [-t/2, t/2] and the cavity centre is the origin,
so a suspended membrane has the x, y and z mirror planes that Meep exploits (``Structure.
mirror_symmetries`` picks them); a substrate breaks the z mirror.

Fidelities and methods (:attr:`PhotonicCrystalSlab.METHODS`):

* ``"screen"``: guided-mode expansion (GME, ``legume``; :mod:`sims.gme`) of the cavity in a
  periodic supercell (:meth:`PhotonicCrystalSlab.gme_model`): resonance, radiative Q, mode volume
  at the emitter, Purcell factor and collection into the NA, in well under a minute on one core.
* ``"full"``: 3D Meep: the slab (a ``Layer`` running into the PML) with the holes as air
  ``Cylinder`` shapes cut into it (a later shape wins), air above and below, PML on all sides.
* ``to_structure("screen")`` still gives the 2D effective-index Meep structure (the slab becomes
  a uniform medium of index ``n_eff``, the effective index of the fundamental TE slab mode,
  :func:`slab_effective_index`): it has no out-of-plane loss, so its Q is an upper bound; it is
  kept for ``pnc-sim run`` and plots, but the optimiser's screen is the GME.

The fundamental modes used here (L3 fundamental, H1 dipole, nanobeam dielectric mode) are
TE-like: at the cavity centre the field is in-plane and along y for the L3 and the nanobeam
(perpendicular to the cavity axis x), so the default dipole is ``"y"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from scipy.optimize import brentq

from cavities._validate import require_choice, require_nonnegative, require_positive
from cavities.base import CavityDesign
from cavities.families.photonic_crystal.supercell import (
    GmeModel,
    PeriodicSlab,
    supercell_holes,
    triangular_k_path,
)
from cavities.library import get_material, require_material
from cavities.materials import VACUUM, Material, constant_index
from cavities.shapes import Cylinder, Layer, Shape
from cavities.structure import Structure

SUBSTRATES = ("none", "SiO2")
SLAB_MATERIALS = ("Si3N4", "TiO2", "GaP", "Si")
SITES = ("mid_plane", "top_surface")

_MAX_EXTINCTION = 1e-3  # Im n above which a slab counts as absorbing (needs slab_index)
_SQRT3_2 = math.sqrt(3.0) / 2.0
_MARGIN_UM = 0.15  # free slab between the outermost holes and the flux box / PML (in plane)
_AIR_FRACTION = 0.4  # air above and below the slab, in units of the target wavelength
_THROUGH_PML_UM = 20.0  # how far a finite waveguide (nanobeam) runs beyond the cell
_MAX_HOLE_ASPECT = 10.0  # depth / diameter a dry etch can make


# -- physics helpers -------------------------------------------------------------------------
def slab_effective_index(*, thickness_um: float, wavelength_um: float, n_core: float,
                         n_top: float = 1.0, n_bottom: float = 1.0) -> float:
    """Effective index of the fundamental TE mode (E in the plane) of a dielectric slab.

    Solves the standard (asymmetric) slab dispersion equation

        κ t = atan(γ_top / κ) + atan(γ_bottom / κ),
        κ = k0 √(n_core² − n²),  γ_i = k0 √(n² − n_i²),  k0 = 2π / λ,

    for the effective index n ∈ (max(n_top, n_bottom), n_core) with ``scipy.optimize.brentq``.

    Raises:
        ValueError: the indices are not ordered (n_core must be the largest), or the asymmetric
            slab is below the TE0 cut-off.

    Example:
        >>> round(slab_effective_index(thickness_um=0.22, wavelength_um=1.55, n_core=3.476,
        ...                            n_top=1.444, n_bottom=1.444), 2)
        2.85
    """
    require_positive(thickness_um=thickness_um, wavelength_um=wavelength_um, n_core=n_core,
                     n_top=n_top, n_bottom=n_bottom)
    n_clad = max(n_top, n_bottom)
    if not n_core > n_clad:
        raise ValueError(
            f"`n_core > max(n_top, n_bottom)` must hold for a guided slab mode, but got "
            f"n_core={n_core}, n_top={n_top}, n_bottom={n_bottom}.")
    k0 = 2 * math.pi / wavelength_um

    def f(n: float) -> float:
        kappa = k0 * math.sqrt(max(n_core**2 - n**2, 0.0))
        g_top = k0 * math.sqrt(max(n**2 - n_top**2, 0.0))
        g_bot = k0 * math.sqrt(max(n**2 - n_bottom**2, 0.0))
        return kappa * thickness_um - math.atan2(g_top, kappa) - math.atan2(g_bot, kappa)

    eps = 1e-12 * n_core
    lo, hi = n_clad + eps, n_core - eps
    if f(lo) <= 0:
        raise ValueError(
            f"the slab (thickness_um={thickness_um}, n_core={n_core}, n_top={n_top}, "
            f"n_bottom={n_bottom}) guides no TE mode at wavelength_um={wavelength_um}: it is "
            "below cut-off; make it thicker.")
    return float(brentq(f, lo, hi, xtol=1e-12))


def _material(name: str, wavelength_um: float, index: float | None = None) -> Material:
    """A lossless constant-index model of the named material at the target wavelength.

    ``index`` (if given) overrides the library value. Otherwise the index is Re n of the
    library material (:mod:`cavities.library`) at ``wavelength_um``: the emitter embedded in
    the slab needs a lossless, non-dispersive host for the LDOS normalisation, and over a
    ±50 nm window the Sellmeier dispersion of SiN changes n by < 1 %.
    """
    if index is not None:
        return constant_index(name, index, at_wavelength_um=wavelength_um,
                              source="constant index set by the design (slab_index)")
    lib = get_material(name)
    n = lib.index(wavelength_um)
    return constant_index(name, n.real, at_wavelength_um=wavelength_um,
                          source=f"Re n at {wavelength_um:g} µm of: {lib.source}")


def _r9(v: float) -> float:
    # round so that mirror images compare equal exactly; + 0.0 turns -0.0 into 0.0
    return round(v, 9) + 0.0


def _min_wall(centres: list[tuple[float, float, float]], which: list[int]) -> tuple[float, int]:
    """Smallest wall (centre distance minus both radii) between hole ``which[k]`` and any other
    hole, and the index of the hole where it occurs. ``centres`` are (x, y, r)."""
    best, at = math.inf, -1
    for i in which:
        xi, yi, ri = centres[i]
        for j, (xj, yj, rj) in enumerate(centres):
            if j == i:
                continue
            wall = math.hypot(xi - xj, yi - yj) - ri - rj
            if wall < best:
                best, at = wall, i
    return best, at


# -- the shared slab -------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class PhotonicCrystalSlab(CavityDesign):
    """Fields and geometry shared by the slab families (lengths in µm).

    Args:
        lattice_um: lattice constant a (period of the holes).
        slab_thickness_um: slab thickness t.
        slab_material: ``"Si3N4"``, ``"TiO2"``, ``"GaP"`` or ``"Si"``.
        slab_index: constant, lossless slab index overriding the library (None: Re n of the
            library material at the target wavelength; an absorbing material, or a target
            outside its tabulated range, then raises ValueError).
        substrate: ``"none"`` (suspended membrane) or ``"SiO2"`` (slab on glass).
        emitter_site: ``"mid_plane"`` (embedded in the slab at z = 0) or ``"top_surface"``
            (a nanocrystal on the slab, its centre ``emitter_height_um`` above the surface; the
            2D Meep screen model cannot represent the height and puts it at the centre).
        emitter_height_um: height of the nanocrystal centre above the slab (top_surface only).
    """

    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y")
    METHODS: ClassVar[dict[str, str]] = {"screen": "gme", "full": "meep"}
    """Simulation method per fidelity: ``"gme"`` (:mod:`sims.gme`) or ``"meep"``."""

    dipole_orientation: str = "y"
    window_um: float = 0.1
    lattice_um: float = 0.2
    slab_thickness_um: float = 0.2
    slab_material: str = "Si3N4"
    slab_index: float | None = None
    substrate: str = "none"
    emitter_site: str = "mid_plane"
    emitter_height_um: float = 0.005

    def _validate_slab(self) -> None:
        require_positive(lattice_um=self.lattice_um, slab_thickness_um=self.slab_thickness_um)
        require_nonnegative(emitter_height_um=self.emitter_height_um)
        require_material("slab_material", self.slab_material, SLAB_MATERIALS)
        require_choice("substrate", self.substrate, SUBSTRATES)
        require_choice("emitter_site", self.emitter_site, SITES)
        if self.slab_index is not None:
            require_positive(slab_index=self.slab_index)
            if self.slab_index <= 1.0:
                raise ValueError(f"`slab_index > 1` must hold (the slab must guide light), but "
                                 f"got slab_index={self.slab_index!r}.")
        if self.slab_index is None:
            lib = get_material(self.slab_material)
            lo, hi = lib.valid_range_um
            lam = self.target_wavelength_um
            if not lo <= lam <= hi or lib.index(lam).imag > _MAX_EXTINCTION:
                raise ValueError(
                    f"slab_material={self.slab_material!r} has no lossless model at "
                    f"target_wavelength_um={lam} (library range {lo}-{hi} µm, n = "
                    f"{lib.index(lam):.4g}); set `slab_index` to a constant lossless index "
                    "(e.g. 3.4 for Si in the near infrared).")

    @staticmethod
    def _require_int(name: str, value: Any, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"`{low} <= {name} <= {high}` (an integer) must hold, but got "
                             f"{name}={value!r}.")

    # -- materials --------------------------------------------------------------------------
    def slab(self) -> Material:
        return _material(self.slab_material, self.target_wavelength_um, self.slab_index)

    def substrate_material(self) -> Material | None:
        if self.substrate == "none":
            return None
        return _material("SiO2", self.target_wavelength_um)

    def slab_index_at_target(self) -> float:
        """Re n of the slab at the target wavelength (what every backend uses)."""
        return float(self.slab().index(self.target_wavelength_um).real)

    def substrate_index_at_target(self) -> float:
        """Re n below the slab at the target wavelength (1 for a suspended membrane)."""
        sub = self.substrate_material()
        return 1.0 if sub is None else float(sub.index(self.target_wavelength_um).real)

    def effective_index(self) -> float:
        """n_eff of the slab's TE0 mode at the target wavelength (the 2D screen medium)."""
        return slab_effective_index(
            thickness_um=self.slab_thickness_um, wavelength_um=self.target_wavelength_um,
            n_core=self.slab_index_at_target(), n_top=1.0,
            n_bottom=self.substrate_index_at_target())

    # -- geometry ---------------------------------------------------------------------------
    def holes(self) -> list[tuple[float, float, float]]:
        """(x, y, radius) of every hole, in µm."""
        raise NotImplementedError

    def _crystal_half_um(self) -> tuple[float, float]:
        xs = [abs(x) + r for x, _, r in self.holes()]
        ys = [abs(y) + r for _, y, r in self.holes()]
        return max(xs, default=self.lattice_um), max(ys, default=self.lattice_um)

    def _emitter_z(self, fidelity: str) -> float:
        if fidelity == "screen" or self.emitter_site == "mid_plane":
            return 0.0
        return self.slab_thickness_um / 2 + self.emitter_height_um

    def emitter_z_um(self) -> float:
        """Height of the emitter above the slab mid-plane in the physical (3D) structure."""
        return self._emitter_z("full")

    def _hole_shapes(self, height_um: float) -> list[Shape]:
        return [Cylinder(center_um=(_r9(x), _r9(y), 0.0), radius_um=r, height_um=height_um,
                         material=VACUUM) for x, y, r in self.holes()]

    def _cell(self, half_x: float, half_y: float, fidelity: str) -> tuple[float, float, float]:
        if fidelity == "screen":
            return (2 * half_x, 2 * half_y, 0.0)
        air = _AIR_FRACTION * self.target_wavelength_um
        half_z = self.slab_thickness_um / 2 + self.emitter_height_um + air
        return (2 * half_x, 2 * half_y, 2 * half_z)

    def _structure(self, fidelity: str, shapes: list[Shape], background: Material,
                   cell: tuple[float, float, float], name: str) -> Structure:
        return Structure(
            name=name, shapes=tuple(shapes), background=background, cell_size_um=cell,
            dimensions="2d" if fidelity == "screen" else "3d",
            emitter_position_um=(0.0, 0.0, self._emitter_z(fidelity)),
            dipole_orientation=self.dipole_orientation,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            target_wavelength_um=self.target_wavelength_um, collection_na=self.collection_na,
            collection_direction=self.collection_direction,
            meta={"family": self.family, "fidelity": fidelity},
        )

    def _slab_structure(self, fidelity: str) -> Structure:
        """2D lattice families (L3, H1): the slab fills the plane, holes are cut into it."""
        self.check_fidelity(fidelity)
        hx, hy = self._crystal_half_um()
        cell = self._cell(hx + _MARGIN_UM, hy + _MARGIN_UM, fidelity)
        name = f"{self.family}-{self.slab_material}-{self.substrate}-{fidelity}"
        if fidelity == "screen":
            n_eff = self.effective_index()
            medium = constant_index(f"{self.slab_material}-neff", n_eff,
                                    source="2D effective index of the slab's TE0 mode")
            return self._structure(fidelity, self._hole_shapes(self.slab_thickness_um),
                                   medium, cell, name)
        t = self.slab_thickness_um
        shapes: list[Shape] = []
        sub = self.substrate_material()
        if sub is not None:
            shapes.append(Layer(z_min_um=-1e3, z_max_um=-t / 2, material=sub))
        shapes.append(Layer(z_min_um=-t / 2, z_max_um=t / 2, material=self.slab()))
        shapes.extend(self._hole_shapes(t))
        return self._structure(fidelity, shapes, VACUUM, cell, name)

    def gme_model(self) -> GmeModel:
        """The backend-neutral description the guided-mode expansion simulates
        (:class:`~cavities.families.photonic_crystal.supercell.GmeModel`)."""
        raise NotImplementedError(f"{type(self).__name__}.gme_model")

    def _gme_model(self, *, supercell: PeriodicSlab, bulk: PeriodicSlab,
                   bulk_k_path: tuple[tuple[float, float], ...], bulk_band_below_gap: int,
                   guided_basis: str = "average",
                   k_fractions: tuple[tuple[float, float], ...] | None = None,
                   notes: tuple[str, ...] = (),
                   in_plane_structure: Structure | None = None) -> GmeModel:
        return GmeModel(
            name=f"{self.family}-{self.slab_material}-{self.substrate}-gme",
            lattice_um=self.lattice_um, supercell=supercell, bulk=bulk,
            bulk_k_path_per_um=bulk_k_path, bulk_band_below_gap=bulk_band_below_gap,
            guided_basis=guided_basis, k_fractions=k_fractions, notes=notes,
            in_plane_structure=in_plane_structure,
            emitter_position_um=(0.0, 0.0, self.emitter_z_um()),
            dipole_orientation=self.dipole_orientation,
            target_wavelength_um=self.target_wavelength_um,
            wavelength_min_um=self.wavelength_min_um, wavelength_max_um=self.wavelength_max_um,
            collection_na=self.collection_na, collection_direction=self.collection_direction)

    def _slab_layers(self, holes: tuple[tuple[float, float, float], ...],
                     period_um: tuple[tuple[float, float], tuple[float, float]],
                     air_blocks: tuple[tuple[float, float, float, float], ...] = ()
                     ) -> PeriodicSlab:
        return PeriodicSlab(lattice_vectors_um=period_um, holes_um=holes,
                            air_blocks_um=air_blocks, slab_thickness_um=self.slab_thickness_um,
                            slab_index=self.slab_index_at_target(), upper_index=1.0,
                            lower_index=self.substrate_index_at_target())


_PhotonicCrystalSlab = PhotonicCrystalSlab  # the name used before the package split


@dataclass(frozen=True, kw_only=True)
class TriangularLatticeSlab(PhotonicCrystalSlab):
    """A slab with a triangular lattice of air holes of radius ``hole_radius_um`` (L3, H1).

    Args:
        hole_radius_um: radius r of the air holes.
    """

    hole_radius_um: float = 0.06

    def _validate_slab(self) -> None:
        super()._validate_slab()
        require_positive(hole_radius_um=self.hole_radius_um)
        if not self.hole_radius_um < self.lattice_um / 2:
            raise ValueError(
                "`hole_radius_um < lattice_um / 2` must hold (neighbouring holes would merge), "
                f"but got hole_radius_um={self.hole_radius_um}, lattice_um={self.lattice_um}.")

    def _modified(self) -> list[int]:
        """Indices (into :meth:`holes`) of the holes the design moves or resizes."""
        return []

    def _hole_fab(self, min_feature_um: float) -> list[str]:
        out = []
        a, r, t = self.lattice_um, self.hole_radius_um, self.slab_thickness_um
        if 2 * r < min_feature_um:
            out.append(f"hole diameter 2*hole_radius_um = {2 * r:.4g} µm (hole_radius_um={r:g}"
                       f") is below the minimum feature {min_feature_um:g} µm")
        wall = a - 2 * r
        if wall < min_feature_um:
            out.append(f"wall between holes lattice_um - 2*hole_radius_um = {wall:.4g} µm "
                       f"(lattice_um={a:g}, hole_radius_um={r:g}) is below the minimum "
                       f"feature {min_feature_um:g} µm")
        if t / (2 * r) > _MAX_HOLE_ASPECT:
            out.append(f"hole aspect ratio slab_thickness_um / (2*hole_radius_um) = "
                       f"{t / (2 * r):.3g} exceeds {_MAX_HOLE_ASPECT:g} (dry-etch limit)")
        return out

    def to_structure(self, fidelity: str = "screen") -> Structure:
        return self._slab_structure(fidelity)

    # -- the GME description ---------------------------------------------------------------
    def _supercell_periods(self) -> tuple[int, int]:
        """(periods along x, rows along y) of the GME supercell (rows even: the triangular
        lattice repeats every two rows)."""
        raise NotImplementedError

    def gme_model(self) -> GmeModel:
        nx, ny = self._supercell_periods()
        holes = supercell_holes(self.holes(), lattice_um=self.lattice_um, periods_x=nx,
                                rows_y=ny, radius_um=self.hole_radius_um)
        a = self.lattice_um
        period = ((nx * a, 0.0), (0.0, ny * a * _SQRT3_2))
        bulk = self._slab_layers(((0.0, 0.0, self.hole_radius_um),),
                                 ((a, 0.0), (a / 2, a * _SQRT3_2)))
        return self._gme_model(supercell=self._slab_layers(holes, period), bulk=bulk,
                               bulk_k_path=triangular_k_path(a), bulk_band_below_gap=1,
                               in_plane_structure=self.to_structure("screen"))
