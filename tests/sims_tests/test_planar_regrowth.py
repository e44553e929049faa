"""The planar stack through the cylindrical PML grows back after it decayed (a late-time
instability, README "Near a metal face"); the run stops at the onset and keeps its LDOS.

A real Meep run, made long on purpose: the nanocube's planar stack (Rakić Ag over a 12 nm PMMA
gap over Rakić Au, both Layers through the PML; at 125 px/µm the gap's faces are off the grid
planes and smoothed), m = 1, with the decay and LDOS stop rules switched off. Unguarded, this
run grew from ~1e-11 of its peak to 1e37 by 657 fs; the 8 nm stack on the grid planes ran 700
fs without growing. The reference for its LDOS is the same stack stopped by the normal rules (LDOS
converged), long before the growth.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cavities.registry import get_preset
from sims._meep_backend import REGROWTH_STOP
from sims.config import SimConfig
from sims.planar_reference import planar_structure
from sims.runner import raw_runs
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep,
              pytest.mark.filterwarnings("ignore:structure .* runs into the PML")]

RESOLUTION = 125.0


def _stack() -> tuple:
    design = get_preset("akselrod_2014").replace(gap_um=0.012, corner_radius_um=0.01,
                                                 target_wavelength_um=0.75, window_um=0.4)
    stack = planar_structure(design.to_structure("screen"))
    stack = dataclasses.replace(stack, cylindrical_m=1, name=f"{stack.name}-m1")
    config = dataclasses.replace(
        SimConfig(resolution_px_per_um=RESOLUTION, **design.sim_defaults("screen")),
        compute_mode_volume=False)
    return stack, config


@pytest.mark.slow
def test_a_planar_stack_that_runs_on_stops_where_its_fields_grow_back(sim_cache):
    stack, config = _stack()
    normal, _, _ = raw_runs(stack, config, sim_cache)
    long_config = dataclasses.replace(config, decay_by=1e-30, ldos_tolerance=1e-30,
                                      ldos_extrapolation=False, max_periods=400.0)
    guarded, _, _ = raw_runs(stack, long_config, sim_cache)
    print(f"normal stop: {normal.provenance.stop_reason} at {normal.provenance.sim_time_fs:.0f}"
          f" fs | long run: {guarded.provenance.stop_reason} at "
          f"{guarded.provenance.sim_time_fs:.0f} fs (cap {long_config.max_periods:g} periods)")
    print("warnings:", [w for w in guarded.warnings if "grew back" in w])
    assert guarded.provenance.stop_reason == REGROWTH_STOP
    assert any("grew back" in w for w in guarded.warnings)
    a, b = np.asarray(normal.ldos), np.asarray(guarded.ldos)
    err = float(np.max(np.abs(b - a)) / np.max(np.abs(a)))
    print(f"LDOS of the guarded long run against the normal stop: max difference {err:.2e} of "
          "the maximum (tolerance 1e-3)")
    assert err < 1e-3
