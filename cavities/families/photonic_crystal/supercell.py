"""The photonic-crystal slab as a periodic supercell: what the guided-mode expansion simulates.

A :class:`PeriodicSlab` is one patterned layer (air holes and air rectangles in a slab of index
n, thickness t) repeated on a 2D lattice, between an upper and a lower cladding. A
:class:`GmeModel` is the cavity (a :class:`PeriodicSlab` whose cell holds one defect, centred on
the origin), the bulk crystal around it (whose band gap the cavity mode must lie in), the
emitter and what to collect. Both are backend-neutral (µm, no solver import); :mod:`sims.gme`
turns a model into a :class:`~sims.results.SimResult`.

The supercell of a finite design is its crystal repeated periodically: the cavity sees copies
of itself ``periods_x`` periods and ``rows_y`` rows away instead of the edge of the crystal, so
the GME's Q is the radiative (out-of-plane) Q of the cavity in an unbounded crystal; in-plane
leakage through a finite crystal is not part of it (the 3D ``"full"`` fidelity has it).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from cavities._validate import require_choice, require_positive, require_vector
from cavities.structure import DIRECTIONS, ORIENTATIONS, Structure

_SQRT3 = math.sqrt(3.0)
Hole = tuple[float, float, float]
AirBlock = tuple[float, float, float, float]


@dataclass(frozen=True, kw_only=True)
class PeriodicSlab:
    """One patterned slab layer on a 2D lattice (lengths in µm).

    Args:
        lattice_vectors_um: the two in-plane lattice vectors ((a1x, a1y), (a2x, a2y)).
        holes_um: (x, y, radius) of the air holes in one cell (ε = 1); holes must not overlap
            each other or an air block (the expansion adds their permittivities).
        air_blocks_um: (x centre, y centre, width x, width y) of air rectangles in one cell.
        slab_thickness_um: thickness t of the layer.
        slab_index: its (lossless) index.
        upper_index, lower_index: claddings above (+z) and below the slab.
    """

    lattice_vectors_um: tuple[tuple[float, float], tuple[float, float]]
    holes_um: tuple[Hole, ...]
    air_blocks_um: tuple[AirBlock, ...] = ()
    slab_thickness_um: float
    slab_index: float
    upper_index: float = 1.0
    lower_index: float = 1.0

    def __post_init__(self) -> None:
        (a1x, a1y), (a2x, a2y) = self.lattice_vectors_um
        area = abs(a1x * a2y - a1y * a2x)
        if not (math.isfinite(area) and area > 0):
            raise ValueError("`lattice_vectors_um` must span a cell of area > 0, but got "
                             f"lattice_vectors_um={self.lattice_vectors_um!r}.")
        require_positive(slab_thickness_um=self.slab_thickness_um, slab_index=self.slab_index,
                         upper_index=self.upper_index, lower_index=self.lower_index)
        if not self.slab_index > max(self.upper_index, self.lower_index):
            raise ValueError("`slab_index > max(upper_index, lower_index)` must hold (the slab "
                             f"must guide), but got slab_index={self.slab_index}, upper_index="
                             f"{self.upper_index}, lower_index={self.lower_index}.")
        for x, y, r in self.holes_um:
            require_positive(hole_radius_um=r)
        for x, y, wx, wy in self.air_blocks_um:
            require_positive(air_block_width_x_um=wx, air_block_width_y_um=wy)

    @property
    def is_rectangular(self) -> bool:
        (a1x, a1y), (a2x, a2y) = self.lattice_vectors_um
        return a1y == 0.0 and a2x == 0.0

    @property
    def cell_area_um2(self) -> float:
        (a1x, a1y), (a2x, a2y) = self.lattice_vectors_um
        return abs(a1x * a2y - a1y * a2x)

    def to_dict(self) -> dict[str, Any]:
        return {"lattice_vectors_um": [list(v) for v in self.lattice_vectors_um],
                "holes_um": [list(h) for h in self.holes_um],
                "air_blocks_um": [list(b) for b in self.air_blocks_um],
                "slab_thickness_um": self.slab_thickness_um, "slab_index": self.slab_index,
                "upper_index": self.upper_index, "lower_index": self.lower_index}


@dataclass(frozen=True, kw_only=True)
class GmeModel:
    """A cavity for the guided-mode expansion (lengths in µm).

    Args:
        name: label for reports and file names.
        lattice_um: the lattice constant a: the unit of the plane-wave cut-off (gmax in 2π/a).
        supercell: the cavity's cell (rectangular, defect at the origin, mirror symmetric in x
            and y so that the emitter's parity selects the modes it couples to).
        bulk: the unperturbed crystal's primitive cell (its band gap brackets the cavity mode).
        bulk_k_path_per_um: corners of the k-path (rad/µm) along which the bulk bands are
            scanned for the gap edges.
        bulk_band_below_gap: number of bulk bands below the gap (1 for the TE-like gap of a
            triangular lattice of holes and for the nanobeam's dielectric band).
        guided_basis: slab whose guided modes form the basis: ``"average"`` (the layer's mean
            permittivity, Andreani & Gerace's choice for a 2D lattice of holes) or
            ``"background"`` (the unpatterned slab: for a narrow beam, whose mean over the
            supercell is mostly air).
        k_fractions: k-points of the loss-rate average (fractions of π/Lx, π/Ly; Γ first) this
            supercell needs (None: the GME configuration's default). A nanobeam's long cell
            samples k_x finely already.
        notes: what the family knows the GME leaves out (copied into the result's warnings).
        in_plane_structure: the 2D effective-index model of the finite crystal, from which
            :mod:`sims.in_plane_loss` estimates the in-plane leakage the periodic supercell
            cannot have (None: no estimate, e.g. a nanobeam, whose 2D model radiates sideways).
        emitter_position_um: dipole position (the slab mid-plane is z = 0).
        dipole_orientation, target_wavelength_um, wavelength_min_um, wavelength_max_um,
        collection_na, collection_direction: as in :class:`cavities.structure.Structure`.
    """

    name: str
    lattice_um: float
    supercell: PeriodicSlab
    bulk: PeriodicSlab
    bulk_k_path_per_um: tuple[tuple[float, float], ...]
    bulk_band_below_gap: int = 1
    guided_basis: str = "average"
    k_fractions: tuple[tuple[float, float], ...] | None = None
    notes: tuple[str, ...] = ()
    in_plane_structure: Structure | None = None
    emitter_position_um: tuple[float, float, float] = (0.0, 0.0, 0.0)
    dipole_orientation: str = "y"
    target_wavelength_um: float
    wavelength_min_um: float
    wavelength_max_um: float
    collection_na: float = 0.65
    collection_direction: str = "up"

    def __post_init__(self) -> None:
        require_positive(lattice_um=self.lattice_um,
                         target_wavelength_um=self.target_wavelength_um,
                         wavelength_min_um=self.wavelength_min_um,
                         wavelength_max_um=self.wavelength_max_um,
                         collection_na=self.collection_na)
        require_choice("dipole_orientation", self.dipole_orientation, ORIENTATIONS)
        require_choice("collection_direction", self.collection_direction, DIRECTIONS)
        require_choice("guided_basis", self.guided_basis, ("average", "background"))
        object.__setattr__(self, "emitter_position_um",
                           require_vector("emitter_position_um", self.emitter_position_um))
        if not self.supercell.is_rectangular:
            raise ValueError("the GME supercell must be rectangular (lattice vectors along x "
                             f"and y), but got {self.supercell.lattice_vectors_um!r}.")
        if len(self.bulk_k_path_per_um) < 2:
            raise ValueError("`bulk_k_path_per_um` needs >= 2 corners, but got "
                             f"{self.bulk_k_path_per_um!r}.")
        if not self.wavelength_min_um < self.wavelength_max_um:
            raise ValueError("`wavelength_min_um < wavelength_max_um` must hold, but got "
                             f"{self.wavelength_min_um}, {self.wavelength_max_um}.")

    @property
    def emitter_index(self) -> float:
        """Index of the medium at the emitter (slab, or a cladding above/below it)."""
        z, half = self.emitter_position_um[2], self.supercell.slab_thickness_um / 2
        if z > half:
            return self.supercell.upper_index
        if z < -half:
            return self.supercell.lower_index
        return self.supercell.slab_index

    def to_dict(self) -> dict[str, Any]:
        return {"type": "gme_model", "name": self.name, "lattice_um": self.lattice_um,
                "supercell": self.supercell.to_dict(), "bulk": self.bulk.to_dict(),
                "bulk_k_path_per_um": [list(k) for k in self.bulk_k_path_per_um],
                "bulk_band_below_gap": self.bulk_band_below_gap,
                "guided_basis": self.guided_basis,
                "k_fractions": None if self.k_fractions is None
                else [list(k) for k in self.k_fractions],
                "notes": list(self.notes),
                "in_plane_structure": None if self.in_plane_structure is None
                else self.in_plane_structure.to_dict(),
                "emitter_position_um": list(self.emitter_position_um),
                "dipole_orientation": self.dipole_orientation,
                "target_wavelength_um": self.target_wavelength_um,
                "wavelength_min_um": self.wavelength_min_um,
                "wavelength_max_um": self.wavelength_max_um,
                "collection_na": self.collection_na,
                "collection_direction": self.collection_direction}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


def supercell_holes(holes: list[Hole] | tuple[Hole, ...], *, lattice_um: float, periods_x: int,
                    rows_y: int, radius_um: float | None = None) -> tuple[Hole, ...]:
    """The holes of a finite triangular-lattice crystal that fall in one supercell of
    ``periods_x`` periods by ``rows_y`` rows (x in [-Lx/2, Lx/2), y likewise): the crystal's
    edge holes at +Lx/2 (+Ly/2) are the periodic images of those at -Lx/2 (-Ly/2) and are
    dropped.

    ``rows_y`` must be even (the triangular lattice repeats every two rows).

    Example:
        >>> hs = [(x * 1.0, 0.0, 0.3) for x in range(-2, 3)]
        >>> [h[0] for h in supercell_holes(hs, lattice_um=1.0, periods_x=4, rows_y=2)]
        [-2.0, -1.0, 0.0, 1.0]
    """
    if periods_x < 1 or rows_y < 2 or rows_y % 2:
        raise ValueError("`periods_x >= 1` and an even `rows_y >= 2` must hold, but got "
                         f"periods_x={periods_x}, rows_y={rows_y}.")
    half_x = periods_x * lattice_um / 2
    half_y = rows_y * lattice_um * _SQRT3 / 4
    eps = 1e-6 * lattice_um
    out = [(x, y, r) for x, y, r in holes
           if -half_x - eps <= x < half_x - eps and -half_y - eps <= y < half_y - eps]
    return tuple((round(x, 12) + 0.0, round(y, 12) + 0.0, r) for x, y, r in out)


def triangular_k_path(lattice_um: float) -> tuple[tuple[float, float], ...]:
    """Γ → M → K → Γ of the triangular lattice a1 = (a, 0), a2 = (a/2, a√3/2) (rad/µm).

    Example:
        >>> [tuple(round(v, 4) for v in k) for k in triangular_k_path(1.0)]
        [(0.0, 0.0), (0.0, 3.6276), (2.0944, 3.6276), (0.0, 0.0)]
    """
    a = lattice_um
    m = (0.0, 2 * math.pi / (_SQRT3 * a))
    k = (2 * math.pi / (3 * a), 2 * math.pi / (_SQRT3 * a))
    return ((0.0, 0.0), m, k, (0.0, 0.0))
