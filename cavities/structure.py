"""What the simulation core needs to know about a structure, in micrometres.

A :class:`Structure` is geometry (shapes over a background), the computational cell, the emitter
(position and dipole orientation), the wavelength window and what to collect. Every cavity family
and every user-written geometry is turned into one; ``sims`` simulates it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from cavities._validate import require_choice, require_positive, require_vector
from cavities.materials import VACUUM, Material
from cavities.shapes import Shape, material_at, shape_from_dict, shape_to_dict

DIMENSIONS = ("3d", "cylindrical", "2d")
BOUNDARIES = ("pml", "pec")
ORIENTATIONS = ("x", "y", "z")
DIRECTIONS = ("up", "down")


@dataclass(frozen=True, kw_only=True)
class Structure:
    """A structure ready to simulate. All lengths in µm; the cell is centred on the origin.

    Args:
        name: label used in file names and reports.
        shapes: geometry; a later shape wins where shapes overlap (as in Meep).
        background: material filling the rest of the cell.
        cell_size_um: interior size (x, y, z) of the cell, PML excluded. In ``"cylindrical"`` the
            cell radius is ``cell_size_um[0] / 2`` and y is ignored; in ``"2d"`` z is ignored
            (the simulation is the z = 0 cross-section, infinite along z).
        dimensions: ``"3d"``, ``"cylindrical"`` (rotationally symmetric about z) or ``"2d"``.
        boundaries: per axis (x, y, z): ``"pml"`` (open) or ``"pec"`` (perfect-metal walls at the
            cell faces). In cylindrical coordinates x means r.
        emitter_position_um: dipole position; on the z axis in cylindrical coordinates.
        dipole_orientation: ``"x"``, ``"y"`` or ``"z"``. In cylindrical coordinates ``"z"`` is
            the axial dipole (m = 0) and ``"x"``/``"y"`` the in-plane dipole (m = +1).
        wavelength_min_um, wavelength_max_um: vacuum-wavelength window of the source and spectra.
        target_wavelength_um: resonance picked nearest to this (default: window centre).
        collection_na: numerical aperture of the collection lens.
        collection_direction: ``"up"`` (+z) or ``"down"`` (−z).
        cylindrical_m: only for ``"cylindrical"``: run the single azimuthal harmonic
            e^{imφ} of the source (one term of an off-axis dipole's Fourier series, Meep's
            "nonaxisymmetric dipole sources"). None (default): an emitter on the axis couples to
            m = 0 (``"z"``) or ±1 (in-plane); an emitter off the axis, at (r0, 0, z) with
            r0 > 0, is a point dipole that :func:`sims.runner.simulate` sums over m
            (:mod:`sims.azimuthal_sum`). Off the axis ``"x"`` is the radial and ``"y"`` the
            azimuthal (tangential) dipole.
    """

    name: str = "structure"
    shapes: tuple[Shape, ...] = ()
    background: Material = VACUUM
    cell_size_um: tuple[float, float, float]
    dimensions: str = "3d"
    boundaries: tuple[str, str, str] = ("pml", "pml", "pml")
    emitter_position_um: tuple[float, float, float] = (0.0, 0.0, 0.0)
    dipole_orientation: str = "x"
    wavelength_min_um: float
    wavelength_max_um: float
    target_wavelength_um: float | None = None
    collection_na: float = 0.65
    collection_direction: str = "up"
    cylindrical_m: int | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shapes", tuple(self.shapes))
        object.__setattr__(self, "boundaries", tuple(self.boundaries))
        require_choice("dimensions", self.dimensions, DIMENSIONS)
        require_choice("dipole_orientation", self.dipole_orientation, ORIENTATIONS)
        require_choice("collection_direction", self.collection_direction, DIRECTIONS)
        size = list(self.cell_size_um)
        if self.dimensions == "cylindrical":
            size[1] = size[1] or size[0]
        if self.dimensions == "2d":
            size[2] = size[2] or 1.0
        object.__setattr__(self, "cell_size_um", require_vector("cell_size_um", size,
                                                               positive=True))
        object.__setattr__(self, "emitter_position_um",
                           require_vector("emitter_position_um", self.emitter_position_um))
        if len(self.boundaries) != 3:
            raise ValueError(f"`boundaries` needs 3 entries (x, y, z), but got {self.boundaries!r}.")
        for b in self.boundaries:
            require_choice("boundaries", b, BOUNDARIES)
        require_positive(wavelength_min_um=self.wavelength_min_um,
                         wavelength_max_um=self.wavelength_max_um)
        if not self.wavelength_max_um > self.wavelength_min_um:
            raise ValueError(
                "`wavelength_max_um > wavelength_min_um` must hold, but got "
                f"wavelength_min_um={self.wavelength_min_um}, "
                f"wavelength_max_um={self.wavelength_max_um}."
            )
        if self.target_wavelength_um is not None:
            require_positive(target_wavelength_um=self.target_wavelength_um)
        require_positive(collection_na=self.collection_na)
        for axis, (p, s) in enumerate(zip(self.emitter_position_um, self.cell_size_um,
                                          strict=True)):
            if self.dimensions == "2d" and axis == 2:
                continue
            if abs(p) >= s / 2:
                raise ValueError(
                    f"the emitter must lie inside the cell: `|emitter_position_um[{axis}]| < "
                    f"cell_size_um[{axis}]/2` must hold, but got emitter_position_um="
                    f"{self.emitter_position_um}, cell_size_um={self.cell_size_um}."
                )
        if self.dimensions == "cylindrical":
            if self.emitter_position_um[0] < 0 or self.emitter_position_um[1] != 0:
                raise ValueError(
                    "in cylindrical coordinates the emitter sits in the (r, z) half-plane at "
                    "(r0, 0, z): emitter_position_um x = r0 >= 0 and y = 0 must hold, but got "
                    f"{self.emitter_position_um}."
                )
            self._check_harmonic()
            for i, s in enumerate(self.shapes):
                if not s.is_axisymmetric():
                    raise ValueError(
                        f"shapes[{i}] ({s.type}) is not rotationally symmetric about the z axis, "
                        "so `dimensions='cylindrical'` cannot represent it; use '3d'."
                    )
        elif self.cylindrical_m is not None:
            raise ValueError("`cylindrical_m` applies to dimensions='cylindrical' only, but got "
                             f"cylindrical_m={self.cylindrical_m!r} with "
                             f"dimensions={self.dimensions!r}.")
        if self.dimensions == "2d" and self.emitter_position_um[2] != 0:
            raise ValueError(
                "a 2D simulation is the z = 0 cross-section: emitter_position_um z = 0 must hold, "
                f"but got {self.emitter_position_um}."
            )

    def _check_harmonic(self) -> None:
        m = self.cylindrical_m
        if m is None:
            return
        if isinstance(m, bool) or not isinstance(m, int) or m < 0:
            raise ValueError("`cylindrical_m` must be an integer >= 0 (the -m harmonic is the "
                             f"complex conjugate of +m), but got {m!r}.")
        on_axis_m = 0 if self.dipole_orientation == "z" else 1
        if self.emitter_position_um[0] == 0 and m != on_axis_m:
            raise ValueError(
                f"a {self.dipole_orientation!r} dipole on the axis couples to m = {on_axis_m} "
                f"only, but got cylindrical_m={m}; move the emitter off the axis "
                "(emitter_position_um x = r0 > 0) to run other harmonics.")

    @property
    def is_off_axis_dipole(self) -> bool:
        """A cylindrical structure with a point dipole off the axis and no harmonic chosen:
        :func:`sims.runner.simulate` sums its azimuthal harmonics."""
        return (self.dimensions == "cylindrical" and self.cylindrical_m is None
                and self.emitter_position_um[0] > 0)

    # -- derived quantities -------------------------------------------------------------------
    @property
    def target_um(self) -> float:
        if self.target_wavelength_um is not None:
            return self.target_wavelength_um
        return 0.5 * (self.wavelength_min_um + self.wavelength_max_um)

    def material_at(self, point_um: tuple[float, float, float]) -> Material:
        return material_at(self.shapes, self.background, point_um)

    @property
    def emitter_material(self) -> Material:
        return self.material_at(self.emitter_position_um)

    def emitter_index(self) -> float:
        """Real refractive index at the emitter, at the target wavelength."""
        return float(self.emitter_material.index(self.target_um).real)

    def mirror_symmetries(self) -> tuple[tuple[str, int], ...]:
        """Mirror planes through the origin that the structure *and* the dipole respect.

        Returns ``(axis, phase)`` pairs in Meep's convention: a mirror normal to the dipole has
        phase −1, a mirror parallel to it +1. Only for ``dimensions="3d"`` and ``"2d"``.
        """
        if self.dimensions == "cylindrical":
            return ()
        axes = ("x", "y") if self.dimensions == "2d" else ("x", "y", "z")
        out = []
        for i, axis in enumerate(axes):
            if self.emitter_position_um[i] != 0.0:
                continue
            if self.dimensions == "2d" and axis == "z":
                continue
            if not self._symmetric_under(axis):
                continue
            out.append((axis, -1 if self.dipole_orientation == axis else 1))
        return tuple(out)

    def _symmetric_under(self, axis: str) -> bool:
        # Shapes that overlap resolve by order, so compare runs of equal material in order:
        # within a run order does not matter, across runs it must be preserved.
        def runs(shapes: tuple[Shape, ...]) -> list[tuple[str, list[str]]]:
            out: list[tuple[str, list[str]]] = []
            for s in shapes:
                key = json.dumps(s.material.to_dict(), sort_keys=True)
                token = json.dumps(shape_to_dict(s), sort_keys=True)
                if out and out[-1][0] == key:
                    out[-1][1].append(token)
                else:
                    out.append((key, [token]))
            return [(k, sorted(v)) for k, v in out]

        mirrored = tuple(s.mirrored(axis) for s in self.shapes)
        return runs(mirrored) == runs(self.shapes)

    # -- serialisation ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "shapes": [shape_to_dict(s) for s in self.shapes],
            "background": self.background.to_dict(),
            "cell_size_um": list(self.cell_size_um),
            "dimensions": self.dimensions,
            "boundaries": list(self.boundaries),
            "emitter_position_um": list(self.emitter_position_um),
            "dipole_orientation": self.dipole_orientation,
            "wavelength_min_um": self.wavelength_min_um,
            "wavelength_max_um": self.wavelength_max_um,
            "target_wavelength_um": self.target_wavelength_um,
            "collection_na": self.collection_na,
            "collection_direction": self.collection_direction,
            # only when set, so that the keys of every other structure stay as they were
            **({} if self.cylindrical_m is None else {"cylindrical_m": self.cylindrical_m}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Structure:
        d = dict(data)
        d["shapes"] = tuple(shape_from_dict(s) for s in d.get("shapes", ()))
        d["background"] = Material.from_dict(d["background"]) if "background" in d else VACUUM
        for key in ("cell_size_um", "emitter_position_um", "boundaries"):
            if key in d:
                d[key] = tuple(d[key])
        return cls(**d)

    def z_extent_um(self) -> tuple[float, float]:
        """Lowest and highest z of the finite shapes (layers excluded); (0, 0) if none."""
        lo, hi = math.inf, -math.inf
        for s in self.shapes:
            if s.type == "layer":
                continue
            (_, _), (_, _), (z0, z1) = s.bounds_um()
            lo, hi = min(lo, z0), max(hi, z1)
        return (0.0, 0.0) if lo > hi else (lo, hi)
