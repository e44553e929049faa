"""From a design to a mask: the in-plane layout, its GDSII file and the fabrication check.

    >>> from cavities import get_preset
    >>> from cavities.fabrication import fabrication_check
    >>> [f.rule for f in fabrication_check(get_preset("bullseye_sin_520"))]
    ['suspended_floating']
    >>> [f.rule for f in fabrication_check(get_preset("bullseye_sin_520"), tethers=4)]
    ['tethers_not_simulated']

``to_gds`` needs the optional package gdstk; the layout and the check do not.
"""

from cavities.fabrication.checks import Finding, errors, fabrication_check
from cavities.fabrication.gds import DEFAULT_LAYERS, to_gds
from cavities.fabrication.layout import Layout, layout_of

__all__ = ["DEFAULT_LAYERS", "Finding", "Layout", "errors", "fabrication_check", "layout_of",
           "to_gds"]
