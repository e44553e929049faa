"""A synthetic Evaluation (Lorentzian SimResult + the real emitter score): no Meep needed."""

from __future__ import annotations

import dataclasses

from cavities.registry import get_preset
from emitter import CavityResponse, preset_emitter, score
from optimize.evaluate import Evaluation, emitter_dict
from sims.accuracy import estimate
from tests.emitter_tests._fixtures import synthetic_sim_result

TWO_GRIDS = [{"resonance_wavelength_um": 0.5195, "quality_factor": 1900.0,
              "purcell_total": 90.0, "purcell_radiative": 80.0, "collection_efficiency": 0.41},
             {"resonance_wavelength_um": 0.5180, "quality_factor": 1960.0,
              "purcell_total": 95.0, "purcell_radiative": 84.0, "collection_efficiency": 0.40}]
"""Per-grid values of a two-grid error estimate (40 and 60 px/µm, second order)."""


def sim_with_accuracy(**kwargs):
    """The synthetic SimResult with a grid-error estimate, a name and two warnings."""
    sim = synthetic_sim_result(**kwargs)
    return dataclasses.replace(
        sim, structure={"name": "synthetic", "collection_na": 0.65,
                        "collection_direction": "up"},
        accuracy=estimate(TWO_GRIDS, [40.0, 60.0], order=2.0),
        warnings=("field <E> & <H> not converged", "second warning"))


def synthetic_evaluation(*, key: str = "synthetic-key", quality_factor: float = 2000.0,
                         design=None, emitter=None, with_accuracy: bool = True) -> Evaluation:
    emitter = emitter or preset_emitter("CsPbBr3")
    kwargs = {"wavelength_um": emitter.exciton_wavelength_um, "quality_factor": quality_factor}
    sim = sim_with_accuracy(**kwargs) if with_accuracy else synthetic_sim_result(**kwargs)
    sc = score(CavityResponse.from_sim_result(sim), emitter)
    design = design or get_preset("bullseye_sin_520")
    return Evaluation(key=key, design=design.to_dict(), emitter=emitter_dict(emitter),
                      settings={"fidelity": "screen", "orientation": "aligned"}, sim=sim,
                      score=sc)
