"""Pure grid numerics of a Meep run (no Meep import): pixel counts and the stable time step.

Tested on synthetic inputs in ``tests/sims_tests/test_grid.py``.
"""

from __future__ import annotations

import math

from cavities.structure import Structure
from sims.config import SimConfig
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)


def even_pixels(length_um: float, resolution: float) -> int:
    """Number of pixels for a length, rounded up to an even integer (origin on a grid node)."""
    n = math.ceil(round(length_um * resolution, 6))
    return n + (n % 2)


POLE_STABILITY = 1.5
"""Bound on 2π f_eff Δt for each Lorentzian pole, f_eff = f_n √(1 + σ/ε∞). The leapfrog
update of a Lorentz oscillator is unstable above 2 (undamped); the UV poles of Sellmeier fits
(SiO2, Si3N4) and Rakić's 20 eV pole of Ag exceed it at 20 px/µm with Courant 0.5, which is
why such runs diverged (measured here); 1.5 leaves margin."""


def stable_courant(structure: Structure, config: SimConfig) -> float:
    """The configured Courant factor, lowered if a pole would be unstable.

    A Lorentzian pole oscillates at f_n √(1 + σ/ε∞), a Drude pole (Meep's σ f_n² / (−f² − iγf))
    at its screened plasma frequency f_n √(σ/ε∞): Rakić's Ag gives 8.3 eV there, above the
    bound below ~14 px/µm at Courant 0.5.
    """
    f_eff = 0.0
    materials = [structure.background, *(s.material for s in structure.shapes)]
    for mat in materials:
        for p in mat.poles:
            if p.sigma <= 0:
                continue
            f = UNITS.frequency_mu_from_ev(p.frequency_ev)
            growth = (1 + p.sigma / mat.epsilon_inf) if p.kind == "lorentzian" else (
                p.sigma / mat.epsilon_inf)
            f_eff = max(f_eff, f * math.sqrt(growth))
    if f_eff == 0.0:
        return config.courant
    res = UNITS.resolution_mu(px_per_um=config.resolution_px_per_um)
    limit = POLE_STABILITY * res / (2 * math.pi * f_eff)
    return min(config.courant, limit)

