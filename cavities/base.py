"""What every cavity family has in common: a frozen, keyword-only dataclass in micrometres.

A family subclasses :class:`CavityDesign` (itself a frozen, keyword-only dataclass), declares its
parameters as fields with defaults, and implements

* ``_validate()``: physical validity (positive lengths, indices, ...); raises ``ValueError``
  naming the field, called at construction;
* ``fabrication_violations(min_feature_um)``: what a fab would refuse (features smaller than the
  limit, overlapping holes, non-positive gaps); each entry names the parameter, its value and
  the limit. :meth:`check_fabrication` raises :class:`FabricationViolation` with all of them;
* ``to_structure(fidelity)``: the simulation core's :class:`~cavities.structure.Structure`;
  ``fidelity="screen"`` is the fast path (2D / cylindrical / coarse), ``"full"`` the accurate
  one;
* class attributes ``family`` (registry key), ``BOUNDS`` (optimisation bounds of each
  parameter), ``SUPPORTED_ORIENTATIONS`` and ``RESOLUTION_PX_PER_UM`` (per fidelity).

The same outputs for every family follow from going through the same ``Structure``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cavities._validate import require_choice, require_positive
from cavities.structure import DIRECTIONS, ORIENTATIONS, Structure

FIDELITIES = ("screen", "full")
DEFAULT_MIN_FEATURE_UM = 0.03
"""Default smallest feature (hole, gap, ring width) a fab can make: 30 nm, typical of
electron-beam lithography plus dry etching of dielectric membranes (model assumption; set
``min_feature_um`` to your process)."""

HIGH_Q_SIM_DEFAULTS = {"ldos_extrapolation": False, "n_freqs_flux": 201}
"""SimConfig fields of families whose resonances have Q ~ 10³ (open cavity, microsphere): the
run continues until the fields decay, because a stop on the extrapolated LDOS leaves the
radiated flux of the resonance truncated (measured on sio2_microsphere_520 at 40 px/µm:
radiative/total Purcell 0.70 with the extrapolated stop, 0.97 without), and the flux spectrum
samples the window finely enough to resolve a peak λ/Q ≈ 0.5 nm wide."""


class FabricationViolation(ValueError):
    """A design fails a fabrication check. ``violations`` lists each failed rule.

    An optimiser prunes such a trial and stores ``str(err)`` as the reason.
    """

    def __init__(self, family: str, violations: list[str]) -> None:
        self.family = family
        self.violations = list(violations)
        super().__init__(f"{family} design fails fabrication checks: " + "; ".join(violations))


@dataclass(frozen=True)
class Bound:
    """Optimisation range of one parameter (inclusive) and whether to sample it on a log scale."""

    low: float
    high: float
    log: bool = False
    unit: str = "um"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.high > self.low):
            raise ValueError(f"`high > low` must hold, but got low={self.low}, high={self.high}.")


@dataclass(frozen=True, kw_only=True)
class CavityDesign:
    """Base of every cavity family. Fields shared by all families:

    Args:
        dipole_orientation: ``"x"``, ``"y"`` (in-plane) or ``"z"`` (out of plane).
        collection_na: numerical aperture of the collection objective.
        collection_direction: ``"up"`` (+z, away from the substrate) or ``"down"``.
        target_wavelength_um: emitter (design) wavelength; the resonance nearest to it is used.
        window_um: full width of the simulated wavelength window around the target.
    """

    family: ClassVar[str] = ""
    BOUNDS: ClassVar[Mapping[str, Bound]] = {}
    SUPPORTED_ORIENTATIONS: ClassVar[tuple[str, ...]] = ORIENTATIONS
    RESOLUTION_PX_PER_UM: ClassVar[Mapping[str, float]] = {"screen": 25.0, "full": 50.0}
    CONVERGENCE_ORDERS: ClassVar[Mapping[str, float]] = {}
    """Measured grid-convergence order per headline quantity (``sims.accuracy.QUANTITIES``)
    for the Richardson error estimate; missing ones are taken as first order."""
    ERROR_GRID_RATIO: ClassVar[float] = 1.5
    """Resolution of the error estimate's second grid relative to the first
    (``sims.screen.simulate_with_error``)."""
    SCALE_LENGTHS: ClassVar[tuple[str, ...]] = ()
    """The lengths that set the scale of the cavity mode (a period, a lattice constant, a
    diameter). A search over any of them tunes each trial onto the exciton line by default
    (``optimize.search.SearchSpec.tune = "auto"``); a search over the others only (a hole
    shift, an emitter height) does not, since scaling those cannot move the mode far."""

    dipole_orientation: str = "x"
    collection_na: float = 0.65
    collection_direction: str = "up"
    target_wavelength_um: float = 0.52
    window_um: float = 0.1

    def __post_init__(self) -> None:
        require_choice("dipole_orientation", self.dipole_orientation,
                       self.SUPPORTED_ORIENTATIONS)
        require_choice("collection_direction", self.collection_direction, DIRECTIONS)
        require_positive(collection_na=self.collection_na,
                         target_wavelength_um=self.target_wavelength_um,
                         window_um=self.window_um)
        if self.collection_na > 1.0:
            raise ValueError(
                f"`collection_na <= 1` must hold (dry objective), but got "
                f"collection_na={self.collection_na!r}.")
        if self.window_um >= self.target_wavelength_um:
            raise ValueError(
                f"`window_um < target_wavelength_um` must hold, but got window_um="
                f"{self.window_um}, target_wavelength_um={self.target_wavelength_um}.")
        for name, value in self.params().items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if not math.isfinite(value):
                raise ValueError(f"`{name}` must be finite, but got {name}={value!r}.")
        self._validate()

    # -- to implement ---------------------------------------------------------------------------
    def _validate(self) -> None:
        """Physical validity checks of the family's own fields (raise ValueError)."""

    def fabrication_violations(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM
                               ) -> list[str]:
        """Each failed fabrication rule as "<param>=<value> µm ... limit <limit> µm"."""
        return []

    def to_structure(self, fidelity: str = "screen") -> Structure:
        raise NotImplementedError(f"{type(self).__name__}.to_structure")

    # -- shared behaviour ----------------------------------------------------------------------
    @property
    def wavelength_min_um(self) -> float:
        return self.target_wavelength_um - self.window_um / 2

    @property
    def wavelength_max_um(self) -> float:
        return self.target_wavelength_um + self.window_um / 2

    def check_fabrication(self, min_feature_um: float = DEFAULT_MIN_FEATURE_UM) -> None:
        """Raise :class:`FabricationViolation` listing every failed rule (nothing if none)."""
        violations = self.fabrication_violations(min_feature_um)
        if violations:
            raise FabricationViolation(self.family, violations)

    @classmethod
    def check_fidelity(cls, fidelity: str) -> None:
        require_choice("fidelity", fidelity, FIDELITIES)

    @classmethod
    def resolution_px_per_um(cls, fidelity: str = "screen") -> float:
        """Grid resolution this family needs at a fidelity (checked by its convergence test)."""
        cls.check_fidelity(fidelity)
        return float(cls.RESOLUTION_PX_PER_UM[fidelity])

    def sim_defaults(self, fidelity: str = "screen") -> dict[str, Any]:
        """SimConfig fields this design needs besides the resolution (e.g. a thinner PML for a
        small 3D cell); user overrides win."""
        return {}

    def params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self, **overrides: Any) -> CavityDesign:
        """A validated copy with some fields changed; unknown names raise ValueError."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(
                f"{self.family} has no parameter(s) {unknown}; known parameters: {sorted(known)}.")
        return dataclasses.replace(self, **overrides)

    def to_dict(self) -> dict[str, Any]:
        params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.params().items()}
        return {"family": self.family, "params": params}

    def plot_geometry(self, fidelity: str = "full", **kwargs: Any) -> Any:
        """Cross-sections of the structure with the emitter marked (matplotlib Figure)."""
        from cavities.plotting import plot_structure

        return plot_structure(self.to_structure(fidelity),
                              title=f"{self.family} ({fidelity})", **kwargs)
