"""The L3 cavity: three missing holes in a row of a triangular lattice (Akahane et al. 2003)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from cavities._validate import require_positive
from cavities.base import DEFAULT_MIN_FEATURE_UM, Bound
from cavities.families.photonic_crystal.slab import _SQRT3_2, TriangularLatticeSlab, _min_wall
from cavities.registry import register_family


@register_family
@dataclass(frozen=True, kw_only=True)
class L3Cavity(TriangularLatticeSlab):
    """L3 cavity: three missing holes in a row of a triangular lattice of air holes in a slab
    (Akahane et al., Nature 425, 944 (2003); REFERENCES B1). Lengths in µm.

    The two holes closing the cavity (at x = ±2a) are shifted outward by ``end_hole_shift_um``
    and optionally resized (``end_hole_radius_um``); the shift smooths the field envelope and
    raises Q (Akahane: ≈ 5×10³ at s = 0 to ≈ 10⁵ near s = 0.15–0.2a). The next two holes of
    the cavity row (x = ±3a, ±4a) can be shifted too: with the end holes these are the
    x-shifts of the cavity-row holes that Minkov & Savona optimised (Sci. Rep. 4, 5124 (2014);
    REFERENCES B1)::

        row 0:   o   o   o  (o)  .   .   .  (o)  o   o   o
                    s3  s2  s1  <- x = 0 ->  s1  s2  s3      (outward shifts, mirror-symmetric)

    Args:
        end_hole_shift_um: outward shift s1 of the two end holes (x = ±2a).
        end_hole_radius_um: radius of the two end holes (None: ``hole_radius_um``).
        second_hole_shift_um, third_hole_shift_um: outward shifts s2, s3 of the holes at
            x = ±3a and ±4a (negative: inward).
        n_periods_x: holes from the cavity centre to the crystal edge along x (row 0 has
            holes at |x| = 2a ... n_periods_x·a).
        n_periods_y: hole rows on each side of the cavity row (rows at y = j·a·√3/2).
        (shared slab fields: see :class:`PhotonicCrystalSlab`; ``hole_radius_um``:
        :class:`TriangularLatticeSlab`.)
    """

    family: ClassVar[str] = "pc_l3"
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("lattice_um",)
    # ~14 px per lattice constant at a ≈ 0.2 µm in 3D (2 cores: minutes), 12 px/a in 2D
    RESOLUTION_PX_PER_UM: ClassVar[dict[str, float]] = {"screen": 60.0, "full": 70.0}
    BOUNDS: ClassVar[dict[str, Bound]] = {
        "lattice_um": Bound(0.15, 0.45),
        "hole_radius_um": Bound(0.04, 0.14),
        "slab_thickness_um": Bound(0.1, 0.35),
        "end_hole_shift_um": Bound(0.0, 0.08),
        "end_hole_radius_um": Bound(0.03, 0.14),
        "second_hole_shift_um": Bound(-0.03, 0.06),
        "third_hole_shift_um": Bound(-0.03, 0.06),
        "emitter_height_um": Bound(0.0, 0.02),
        "n_periods_x": Bound(5, 14, unit=""),
        "n_periods_y": Bound(3, 10, unit=""),
    }

    end_hole_shift_um: float = 0.03
    end_hole_radius_um: float | None = None
    second_hole_shift_um: float = 0.0
    third_hole_shift_um: float = 0.0
    n_periods_x: int = 8
    n_periods_y: int = 6

    def _validate(self) -> None:
        self._validate_slab()
        self._require_int("n_periods_x", self.n_periods_x, 3, 40)
        self._require_int("n_periods_y", self.n_periods_y, 1, 40)
        a = self.lattice_um
        for k, name in ((2, "end_hole_shift_um"), (3, "second_hole_shift_um"),
                        (4, "third_hole_shift_um")):
            shift = getattr(self, name)
            if not abs(shift) < a / 2:
                raise ValueError(f"`|{name}| < lattice_um / 2` must hold, but got "
                                 f"{name}={shift}, lattice_um={a}.")
            if shift and not k < self.n_periods_x:
                raise ValueError(f"`n_periods_x > {k}` must hold for {name} (the hole at "
                                 f"x = {k}a is the crystal's edge), but got n_periods_x="
                                 f"{self.n_periods_x}, {name}={shift}.")
        if self.end_hole_radius_um is not None:
            require_positive(end_hole_radius_um=self.end_hole_radius_um)
            if not self.end_hole_radius_um < a / 2:
                raise ValueError(
                    "`end_hole_radius_um < lattice_um / 2` must hold, but got "
                    f"end_hole_radius_um={self.end_hole_radius_um}, lattice_um={a}.")

    def _row_shifts(self) -> dict[int, float]:
        return {2: self.end_hole_shift_um, 3: self.second_hole_shift_um,
                4: self.third_hole_shift_um}

    def holes(self) -> list[tuple[float, float, float]]:
        a, r = self.lattice_um, self.hole_radius_um
        r_end = self.hole_radius_um if self.end_hole_radius_um is None else self.end_hole_radius_um
        shifts = self._row_shifts()
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
                if j == 0 and abs(k) in shifts:
                    out.append((math.copysign(abs(k) * a + shifts[abs(k)], k), 0.0,
                                r_end if abs(k) == 2 else r))
                    continue
                out.append((k * a, y, r))
        return out

    def _modified(self) -> list[int]:
        a = self.lattice_um
        moved = [k * a + s for k, s in self._row_shifts().items() if s or k == 2]
        return [i for i, (x, y, _) in enumerate(self.holes())
                if y == 0.0 and any(abs(abs(x) - m) < 1e-12 for m in moved)]

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
                       f"end_hole_radius_um={self.end_hole_radius_um}, second_hole_shift_um="
                       f"{self.second_hole_shift_um:g}, third_hole_shift_um="
                       f"{self.third_hole_shift_um:g}) {what}: wall {wall:.4g} µm < minimum "
                       f"feature {min_feature_um:g} µm")
        return out

    GME_MAX_PERIODS: ClassVar[tuple[int, int]] = (10, 8)
    """The GME supercell holds at most this many periods (x) and rows (y) on each side of the
    defect (20 × 16; sin_l3_520's GME: 34 s, Q 1717 against 1585 in 16 × 12); a larger
    crystal's extra rows only matter for in-plane leakage, which the screen estimates from the
    whole crystal (sims.in_plane_loss)."""

    def _supercell_periods(self) -> tuple[int, int]:
        mx, my = self.GME_MAX_PERIODS
        return 2 * min(self.n_periods_x, mx), 2 * min(self.n_periods_y, my)
