"""Bullseye / circular Bragg grating presets: coarse real simulations (default suite) and the
production resolution (``slow``)."""

from __future__ import annotations

import pytest

from cavities.registry import get_preset
from sims.config import SimConfig
from sims.runner import simulate
from tests.conftest import requires_meep

PRESETS = ["bullseye_sin_520", "bullseye_hybrid_sin_ag_520"]


def _check(preset: str, fidelity: str, resolution: float, sim_cache) -> None:  # noqa: ANN001
    design = get_preset(preset)
    s = design.to_structure(fidelity)
    r = simulate(s, SimConfig(resolution_px_per_um=resolution, **design.sim_defaults(fidelity)),
                 cache_dir=sim_cache)
    mode = r.resonance
    f_tot, f_rad = r.purcell_total_at_resonance, r.purcell_radiative_at_resonance
    coll = r.collection_efficiency_at_resonance
    print(f"{preset} ({fidelity}, {resolution:g} px/µm): {mode}; total Purcell {f_tot:.3g}, "
          f"radiative {f_rad:.3g}, collection into NA {design.collection_na} "
          f"{design.collection_direction} {coll:.3g} (plausibility: resonance in the window, "
          "Q > 1, Purcell > 1, 0 < radiative ≤ total·1.05, 0 < collection < 1)")
    assert mode is not None, r.warnings
    assert s.wavelength_min_um <= mode.wavelength_um <= s.wavelength_max_um
    assert mode.quality_factor > 1
    assert f_tot > 1
    assert 0 < f_rad <= 1.05 * f_tot  # the hybrid's Ag mirror absorbs: radiative < total
    assert 0 < coll < 1


@pytest.mark.meep
@requires_meep
@pytest.mark.parametrize("preset", PRESETS)
def test_bullseye_preset_coarse_simulation_is_plausible(preset, sim_cache):
    _check(preset, "screen", 30.0, sim_cache)


@pytest.mark.slow
@pytest.mark.meep
@requires_meep
@pytest.mark.parametrize("preset", PRESETS)
def test_bullseye_preset_at_production_resolution(preset, sim_cache):
    design = get_preset(preset)
    _check(preset, "full", design.resolution_px_per_um("full"), sim_cache)
