"""Failure modes with real Meep: divergence, a crash in set-up, a wall-clock timeout."""

from __future__ import annotations

import pytest

from cavities.materials import Material
from cavities.shapes import Block, Layer
from cavities.structure import Structure
from sims.config import SimConfig
from sims.errors import SimulationDiverged, SimulationError, SimulationTimeout
from sims.runner import run_raw, simulate
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep]


def test_divergence_raises_with_cause():
    """ε < 1 without dispersion violates the Courant condition: NaN fields -> clear error."""
    unstable = Material(name="eps0.05", epsilon_inf=0.05)
    s = Structure(name="unstable", shapes=(Block(center_um=(0.0, 0.0, 0.2), size_um=(0.4, 0.4,
                                                                                   0.2),
                                                 material=unstable),),
                  cell_size_um=(1.0, 1.0, 1.0), dimensions="2d",
                  emitter_position_um=(0.0, 0.0, 0.0), dipole_orientation="z",
                  wavelength_min_um=0.5, wavelength_max_um=0.6)
    s = Structure.from_dict({**s.to_dict(), "shapes": [
        {**s.to_dict()["shapes"][0], "center_um": [0.0, 0.25, 0.0]}]})
    with pytest.raises(SimulationDiverged, match="Courant"):
        run_raw(s, SimConfig(resolution_px_per_um=20, pml_um=0.3), label="unstable")


def test_setup_error_in_child_is_reported():
    """A Layer has no meaning in 2D: the child fails and the parent says why."""
    s = Structure(name="bad-2d", shapes=(Layer(z_min_um=-0.1, z_max_um=0.1,
                                               material=Material(name="m", epsilon_inf=2.0)),),
                  cell_size_um=(1.0, 1.0, 1.0), dimensions="2d", dipole_orientation="z",
                  wavelength_min_um=0.5, wavelength_max_um=0.6)
    with pytest.raises(SimulationError, match="Layer"):
        simulate(s, SimConfig(resolution_px_per_um=10), cache_dir=None)


def test_timeout_kills_the_run():
    s = Structure(name="long", cell_size_um=(3.0, 3.0, 3.0), dimensions="3d",
                  wavelength_min_um=0.5, wavelength_max_um=0.6)
    with pytest.raises(SimulationTimeout, match="timeout"):
        run_raw(s, SimConfig(resolution_px_per_um=40), label="long", timeout_s=3)
