"""The H1 cavity: one missing hole in a triangular lattice, its six neighbours moved and
resized."""

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
class H1Cavity(TriangularLatticeSlab):
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
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ("lattice_um",)
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

    GME_MAX_PERIODS: ClassVar[int] = 8
    """The GME supercell holds at most this many periods on each side of the defect (16 × 16);
    a larger crystal's extra rows only matter for in-plane leakage, which the screen estimates
    from the whole crystal (sims.in_plane_loss). h1_sin_520 GME Q with 12 / 16 / 18 / 20-period
    supercells: 1893 / 1909 / 1905 / 1988 (errors ± 134-160), 9 / 20 / 34 / 55 s."""

    def _supercell_periods(self) -> tuple[int, int]:
        n = min(self.n_periods, self.GME_MAX_PERIODS)
        return 2 * n, 2 * n
