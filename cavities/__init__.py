"""Parametric cavity families in micrometres (photonic crystal, bullseye, Mie pillar,
nanocube-on-mirror), the material library and the Structure the simulation core runs.

    >>> from cavities import get_preset
    >>> get_preset("bullseye_sin_520").family
    'bullseye'
"""

from cavities.base import Bound, CavityDesign, FabricationViolation
from cavities.registry import (FAMILIES, PRESETS, design_from_dict, get_family, get_preset,
                               list_presets)

__all__ = ["FAMILIES", "PRESETS", "Bound", "CavityDesign", "FabricationViolation",
           "design_from_dict", "get_family", "get_preset", "list_presets"]
