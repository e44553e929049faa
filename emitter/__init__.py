"""Emitter model: Purcell, brightness, biexciton risk to g2, and coherence for PNC sources.

Turns a simulated cavity response (:class:`CavityResponse`) into what matters for a
perovskite-nanocrystal single-photon source (:class:`EmitterScore`, via :func:`score`).
Pure Python + numpy/scipy; never imports Meep. Formulas and literature values:
``/work/shared/REFERENCES.md`` sections A1, C and D.
"""

from emitter.brightness import Excitation
from emitter.cavity import CavityResponse
from emitter.params import EMITTER_PRESETS, EmitterParams, mixed_halide_emitter, preset_emitter
from emitter.score import EmitterScore, score

__all__ = [
    "EMITTER_PRESETS",
    "CavityResponse",
    "EmitterParams",
    "EmitterScore",
    "Excitation",
    "mixed_halide_emitter",
    "preset_emitter",
    "score",
]
