"""Photonic-crystal slab cavities: L3 and H1 defects in a triangular lattice of air holes, and
the 1D nanobeam (Quan-Lončar deterministic design). REFERENCES B1, B2.

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

Fidelities:

* ``"full"``: 3D slab (a ``Layer`` running into the PML) with the holes as air ``Cylinder``
  shapes cut into it (a later shape wins), air above and below, PML on all sides.
* ``"screen"``: 2D effective-index model. The slab becomes a uniform medium of index
  ``n_eff``, the effective index of the fundamental TE slab mode (E in the plane) at the target
  wavelength (:func:`slab_effective_index`); the in-plane hole pattern is the same and the holes
  are air (n = 1). It has no out-of-plane loss, so its Q is an upper bound, and its resonance is
  typically shifted by a few % from the 3D one. It is meant for ranking designs, not for
  numbers.

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
from cavities.base import DEFAULT_MIN_FEATURE_UM, Bound, CavityDesign
from cavities.library import get_material, require_material
from cavities.materials import VACUUM, Material, constant_index
from cavities.registry import register_family, register_preset
from cavities.shapes import Block, Cylinder, Layer, Shape
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
class _PhotonicCrystalSlab(CavityDesign):
    """Fields and geometry shared by the slab families (lengths in µm).

    Args:
        lattice_um: lattice constant a.
        hole_radius_um: radius r of the air holes.
        slab_thickness_um: slab thickness t.
        slab_material: ``"Si3N4"``, ``"TiO2"``, ``"GaP"`` or ``"Si"``.
        slab_index: constant, lossless slab index overriding the library (None: Re n of the
            library material at the target wavelength; an absorbing material, or a target
            outside its tabulated range, then raises ValueError).
        substrate: ``"none"`` (suspended membrane) or ``"SiO2"`` (slab on glass).
        emitter_site: ``"mid_plane"`` (embedded in the slab at z = 0) or ``"top_surface"``
            (a nanocrystal on the slab, its centre ``emitter_height_um`` above the surface; the
            2D screen model cannot represent the height and puts it at the centre).
        emitter_height_um: height of the nanocrystal centre above the slab (top_surface only).
    """

    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ("x", "y")

    dipole_orientation: str = "y"
    window_um: float = 0.1
    lattice_um: float = 0.2
    hole_radius_um: float = 0.06
    slab_thickness_um: float = 0.2
    slab_material: str = "Si3N4"
    slab_index: float | None = None
    substrate: str = "none"
    emitter_site: str = "mid_plane"
    emitter_height_um: float = 0.005

    def _validate_slab(self) -> None:
        require_positive(lattice_um=self.lattice_um, hole_radius_um=self.hole_radius_um,
                         slab_thickness_um=self.slab_thickness_um)
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
        if not self.hole_radius_um < self.lattice_um / 2:
            raise ValueError(
                "`hole_radius_um < lattice_um / 2` must hold (neighbouring holes would merge), "
                f"but got hole_radius_um={self.hole_radius_um}, lattice_um={self.lattice_um}.")

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

    def effective_index(self) -> float:
        """n_eff of the slab's TE0 mode at the target wavelength (the 2D screen medium)."""
        lam = self.target_wavelength_um
        sub = self.substrate_material()
        return slab_effective_index(
            thickness_um=self.slab_thickness_um, wavelength_um=lam,
            n_core=self.slab().index(lam).real, n_top=1.0,
            n_bottom=1.0 if sub is None else sub.index(lam).real)

    # -- geometry ---------------------------------------------------------------------------
    def holes(self) -> list[tuple[float, float, float]]:
        """(x, y, radius) of every hole, in µm."""
        raise NotImplementedError

    def _modified(self) -> list[int]:
        """Indices (into :meth:`holes`) of the holes the design moves or resizes."""
        return []

    def _crystal_half_um(self) -> tuple[float, float]:
        xs = [abs(x) + r for x, _, r in self.holes()]
        ys = [abs(y) + r for _, y, r in self.holes()]
        return max(xs, default=self.lattice_um), max(ys, default=self.lattice_um)

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

    def _emitter_z(self, fidelity: str) -> float:
        if fidelity == "screen" or self.emitter_site == "mid_plane":
            return 0.0
        return self.slab_thickness_um / 2 + self.emitter_height_um

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


# -- L3 -------------------------------------------------------------------------------------
@register_family
@dataclass(frozen=True, kw_only=True)
class L3Cavity(_PhotonicCrystalSlab):
    """L3 cavity: three missing holes in a row of a triangular lattice of air holes in a slab
    (Akahane et al., Nature 425, 944 (2003); REFERENCES B1). Lengths in µm.

    The two holes closing the cavity (at x = ±2a) are shifted outward by ``end_hole_shift_um``
    and optionally resized (``end_hole_radius_um``); the shift smooths the field envelope and
    raises Q (Akahane: ≈ 5×10³ at s = 0 to ≈ 10⁵ near s = 0.15–0.2a).

    Args:
        end_hole_shift_um: outward shift s of the two end holes.
        end_hole_radius_um: radius of the two end holes (None: ``hole_radius_um``).
        n_periods_x: holes from the cavity centre to the crystal edge along x (row 0 has
            holes at |x| = 2a ... n_periods_x·a).
        n_periods_y: hole rows on each side of the cavity row (rows at y = j·a·√3/2).
        (shared slab fields: see ``_PhotonicCrystalSlab``.)
    """

    family: ClassVar[str] = "pc_l3"
    # ~14 px per lattice constant at a ≈ 0.2 µm in 3D (2 cores: minutes), 12 px/a in 2D
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 60.0, "full": 70.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "lattice_um": Bound(0.15, 0.45),
        "hole_radius_um": Bound(0.04, 0.14),
        "slab_thickness_um": Bound(0.1, 0.35),
        "end_hole_shift_um": Bound(0.0, 0.08),
        "end_hole_radius_um": Bound(0.03, 0.14),
        "emitter_height_um": Bound(0.0, 0.02),
        "n_periods_x": Bound(5, 14, unit=""),
        "n_periods_y": Bound(3, 10, unit=""),
    }

    end_hole_shift_um: float = 0.03
    end_hole_radius_um: float | None = None
    n_periods_x: int = 8
    n_periods_y: int = 6

    def _validate(self) -> None:
        self._validate_slab()
        self._require_int("n_periods_x", self.n_periods_x, 3, 40)
        self._require_int("n_periods_y", self.n_periods_y, 1, 40)
        a = self.lattice_um
        if not abs(self.end_hole_shift_um) < a / 2:
            raise ValueError(
                "`|end_hole_shift_um| < lattice_um / 2` must hold, but got "
                f"end_hole_shift_um={self.end_hole_shift_um}, lattice_um={a}.")
        if self.end_hole_radius_um is not None:
            require_positive(end_hole_radius_um=self.end_hole_radius_um)
            if not self.end_hole_radius_um < a / 2:
                raise ValueError(
                    "`end_hole_radius_um < lattice_um / 2` must hold, but got "
                    f"end_hole_radius_um={self.end_hole_radius_um}, lattice_um={a}.")

    def holes(self) -> list[tuple[float, float, float]]:
        a, r, s = self.lattice_um, self.hole_radius_um, self.end_hole_shift_um
        r_end = self.hole_radius_um if self.end_hole_radius_um is None else self.end_hole_radius_um
        out = []
        nx = self.n_periods_x
        for j in range(-self.n_periods_y, self.n_periods_y + 1):
            odd = j % 2 == 1
            y = j * a * _SQRT3_2
            # row j: x = (i + 1/2) a for odd rows, i a for even rows, |x| <= nx a
            ks = [k + 0.5 for k in range(-nx, nx)] if odd else list(range(-nx, nx + 1))
            for k in ks:
                if j == 0 and abs(k) <= 1:
                    continue  # the three missing holes
                if j == 0 and abs(k) == 2:
                    out.append((math.copysign(2 * a + s, k), 0.0, r_end))
                    continue
                out.append((k * a, y, r))
        return out

    def _modified(self) -> list[int]:
        return [i for i, (x, y, _) in enumerate(self.holes())
                if y == 0.0 and abs(abs(x) - (2 * self.lattice_um + self.end_hole_shift_um))
                < 1e-12]

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        out = self._hole_fab(min_feature_um)
        if self.end_hole_radius_um is not None and 2 * self.end_hole_radius_um < min_feature_um:
            out.append(f"end-hole diameter 2*end_hole_radius_um = "
                       f"{2 * self.end_hole_radius_um:.4g} µm is below the minimum feature "
                       f"{min_feature_um:g} µm")
        wall, _ = _min_wall(self.holes(), self._modified())
        if wall < min_feature_um:
            what = "overlaps its neighbour" if wall <= 0 else "leaves a wall below the limit"
            out.append(f"the shifted end hole (end_hole_shift_um={self.end_hole_shift_um:g}, "
                       f"end_hole_radius_um={self.end_hole_radius_um}) {what}: wall "
                       f"{wall:.4g} µm < minimum feature {min_feature_um:g} µm")
        return out

    def to_structure(self, fidelity: str = "screen") -> Structure:
        return self._slab_structure(fidelity)


# -- H1 -------------------------------------------------------------------------------------
@register_family
@dataclass(frozen=True, kw_only=True)
class H1Cavity(_PhotonicCrystalSlab):
    """H1 cavity: one missing hole in a triangular lattice of air holes; the six nearest
    holes are shifted radially outward by ``nn_shift_um`` and have radius ``nn_radius_um``
    (REFERENCES B1: the unmodified H1 dipole mode has Q ~ 10²–10³, V ~ 0.4 (λ/n)³; shrinking
    and pushing out the ring tunes the dipole mode and raises its Q). Lengths in µm.

    The two dipole modes of H1 are degenerate; a dipole along y (or x) at the centre excites
    the one polarised along y (x). The modified ring keeps the x, y (and, suspended, z) mirror
    planes, so Meep's symmetries apply as for the L3.

    Args:
        nn_shift_um: outward radial shift of the six nearest-neighbour holes.
        nn_radius_um: radius of those holes (None: ``hole_radius_um``).
        n_periods: size of the crystal: holes at |x| <= n_periods·a in every row, and
            n_periods rows on each side of the centre row.
    """

    family: ClassVar[str] = "pc_h1"
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 60.0, "full": 70.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "lattice_um": Bound(0.15, 0.45),
        "hole_radius_um": Bound(0.04, 0.14),
        "slab_thickness_um": Bound(0.1, 0.35),
        "nn_shift_um": Bound(0.0, 0.06),
        "nn_radius_um": Bound(0.03, 0.14),
        "emitter_height_um": Bound(0.0, 0.02),
        "n_periods": Bound(4, 10, unit=""),
    }

    nn_shift_um: float = 0.0
    nn_radius_um: float | None = None
    n_periods: int = 6

    def _validate(self) -> None:
        self._validate_slab()
        self._require_int("n_periods", self.n_periods, 2, 40)
        a = self.lattice_um
        if not abs(self.nn_shift_um) < a / 2:
            raise ValueError("`|nn_shift_um| < lattice_um / 2` must hold, but got "
                             f"nn_shift_um={self.nn_shift_um}, lattice_um={a}.")
        if self.nn_radius_um is not None:
            require_positive(nn_radius_um=self.nn_radius_um)
            if not self.nn_radius_um < a / 2:
                raise ValueError("`nn_radius_um < lattice_um / 2` must hold, but got "
                                 f"nn_radius_um={self.nn_radius_um}, lattice_um={a}.")

    def holes(self) -> list[tuple[float, float, float]]:
        a, r, s = self.lattice_um, self.hole_radius_um, self.nn_shift_um
        r_nn = self.hole_radius_um if self.nn_radius_um is None else self.nn_radius_um
        n = self.n_periods
        out = []
        for j in range(-n, n + 1):
            odd = j % 2 == 1
            y = j * a * _SQRT3_2
            ks = [k + 0.5 for k in range(-n, n)] if odd else list(range(-n, n + 1))
            for k in ks:
                x = k * a
                d = math.hypot(x, y)
                if d < 1e-9 * a:
                    continue  # the missing hole
                if abs(d - a) < 1e-6 * a:  # the six nearest neighbours, shifted radially
                    f = (a + s) / a
                    out.append((x * f, y * f, r_nn))
                    continue
                out.append((x, y, r))
        return out

    def _modified(self) -> list[int]:
        target = self.lattice_um + self.nn_shift_um
        return [i for i, (x, y, _) in enumerate(self.holes())
                if abs(math.hypot(x, y) - target) < 1e-6 * self.lattice_um]

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        out = self._hole_fab(min_feature_um)
        if self.nn_radius_um is not None and 2 * self.nn_radius_um < min_feature_um:
            out.append(f"nearest-neighbour hole diameter 2*nn_radius_um = "
                       f"{2 * self.nn_radius_um:.4g} µm is below the minimum feature "
                       f"{min_feature_um:g} µm")
        wall, _ = _min_wall(self.holes(), self._modified())
        if wall < min_feature_um:
            what = "overlap a neighbour" if wall <= 0 else "leave a wall below the limit"
            out.append(f"the nearest-neighbour holes (nn_shift_um={self.nn_shift_um:g}, "
                       f"nn_radius_um={self.nn_radius_um}) {what}: wall {wall:.4g} µm < "
                       f"minimum feature {min_feature_um:g} µm")
        return out

    def to_structure(self, fidelity: str = "screen") -> Structure:
        return self._slab_structure(fidelity)


# -- nanobeam -------------------------------------------------------------------------------
@register_family
@dataclass(frozen=True, kw_only=True)
class Nanobeam(_PhotonicCrystalSlab):
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
        (``hole_radius_um`` is not used: the radii follow from the filling fractions.)
    """

    family: ClassVar[str] = "pc_nanobeam"
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
    hole_radius_um: float = 0.05  # unused (radii from the filling fractions); kept valid
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


# -- presets --------------------------------------------------------------------------------
@register_preset(
    "akahane_l3_si",
    "Akahane et al., Nature 425, 944 (2003) (REFERENCES B1): Si L3 (lossless n = 3.4), "
    "a = 420 nm, r = 0.29a, t = 0.6a, end holes shifted by s = 0.15a; resonance near 1.6 µm, "
    "FDTD Q ~ 10⁵ (measured 4.5×10⁴).",
)
def _akahane_l3_si() -> L3Cavity:
    a = 0.42
    return L3Cavity(lattice_um=a, hole_radius_um=0.29 * a, slab_thickness_um=0.6 * a,
                    end_hole_shift_um=0.15 * a, slab_material="Si", slab_index=3.4,
                    target_wavelength_um=1.6, window_um=0.3, n_periods_x=8, n_periods_y=6)


@register_preset(
    "sin_l3_520",
    "Suspended Si3N4 (n = 2.06) L3 for CsPbBr3 emission at 520 nm. SiN's index contrast is "
    "much weaker than Si's, so the TE gap is narrow: larger holes (r = 0.32a) widen it and a "
    "thicker slab (t = a) raises n_eff (≈ 1.75) so the defect mode stays below the light "
    "line; end-hole shift 0.15a as Akahane (REFERENCES B1). a = 207 nm from a 3D run (a = "
    "200 nm gave λ = 503 nm, Q ≈ 900 at 14 px/a; λ scales with a). Measured in 3D at "
    "70 px/µm: λ = 521 nm, Q ≈ 940 (modest, cf. Yang et al. 2017, SiN PhC + PNCs, B1).",
)
def _sin_l3_520() -> L3Cavity:
    a = 0.207
    return L3Cavity(lattice_um=a, hole_radius_um=0.32 * a, slab_thickness_um=a,
                    end_hole_shift_um=0.15 * a, slab_material="Si3N4",
                    target_wavelength_um=0.52, window_um=0.1)


@register_preset(
    "h1_sin_520",
    "Suspended Si3N4 H1 for 520 nm: same lattice as sin_l3_520 (r = 0.32a, t = a), the six "
    "nearest holes shrunk to 0.25a and pushed out by 0.1a to pull the dipole mode into the "
    "gap (REFERENCES B1: unmodified H1 Q ~ 10²–10³). a = 207 nm as the L3 (3D at 70 px/µm: dipole "
    "mode at 517 nm, Q ≈ 880).",
)
def _h1_sin_520() -> H1Cavity:
    a = 0.207
    return H1Cavity(lattice_um=a, hole_radius_um=0.32 * a, slab_thickness_um=a,
                    nn_shift_um=0.1 * a, nn_radius_um=0.25 * a, slab_material="Si3N4",
                    target_wavelength_um=0.52, window_um=0.1)


@register_preset(
    "nanobeam_sin_520",
    "Quan-Lončar deterministic nanobeam (Opt. Express 19, 18529 (2011); REFERENCES B2) in "
    "suspended Si3N4 for 520 nm: filling fraction 0.2 → 0.1 (quadratic) over 12 taper holes + "
    "6 mirror holes, as in the Si design; t = 200 nm and w = 400 nm (≈ the Si 220/700 nm beam "
    "scaled by λ/n); a = 163 nm from a 3D run (a = 170 nm gave the dielectric mode at 542 nm; "
    "λ scales with a); 3D at 70 px/µm: λ = 523 nm, Q ≈ 5.6×10³. Walls between the "
    "central holes are 34 nm.",
)
def _nanobeam_sin_520() -> Nanobeam:
    return Nanobeam(lattice_um=0.163, slab_thickness_um=0.2, beam_width_um=0.4,
                    center_fill_fraction=0.2, mirror_fill_fraction=0.1, n_taper=12, n_mirror=6,
                    slab_material="Si3N4", target_wavelength_um=0.52, window_um=0.1)


@register_preset(
    "nanobeam_si_1550",
    "Quan-Lončar Si nanobeam (REFERENCES B2 script values): a = 330 nm, t = 220 nm, w = 700 nm,"
    " lossless n = 3.46, filling fraction 0.2 → 0.1 over 20 taper holes + 10 mirror holes; "
    "dielectric mode near 1.55 µm.",
)
def _nanobeam_si_1550() -> Nanobeam:
    return Nanobeam(lattice_um=0.33, hole_radius_um=0.1, slab_thickness_um=0.22,
                    beam_width_um=0.7, center_fill_fraction=0.2, mirror_fill_fraction=0.1,
                    n_taper=20, n_mirror=10, slab_material="Si", slab_index=3.46,
                    target_wavelength_um=1.55, window_um=0.3)
