"""Exceptions of the simulation core."""

from __future__ import annotations


class SimulationError(RuntimeError):
    """A simulation could not produce a trustworthy result (the message says why)."""


class SimulationDiverged(SimulationError):
    """The fields became NaN/inf: the run is numerically unstable."""


class UnphysicalResult(SimulationError):
    """The run finished but gave a result no passive structure can have (e.g. a negative LDOS)."""


class LdosNotConverged(SimulationError):
    """The LDOS spectrum of a run cut at its time cap is not a Purcell spectrum (it goes
    negative): nothing that needs the spectrum (an emitter score) can be computed from it."""


class SimulationTimeout(SimulationError):
    """The simulation exceeded its wall-clock limit and was killed."""


DIVERGENCE_HINT = (
    "Likely causes: a dispersive material fit that is unstable at this resolution (e.g. Meep's "
    "`Ag_visible`; use `Ag` or `Au` instead), a Courant factor too large for a material with "
    "ε < 1 at high frequency (lower `courant`, e.g. 0.25), or a material placed inside the PML."
)
