"""Pure numpy analysis of Meep outputs: mode choice, mode volume, collection into an NA.

No Meep import here; everything is testable on synthetic data. The mode volume lives in
:mod:`sims.mode_volume` and the plane-power / NA-collection maths in :mod:`sims.collection`;
both are re-exported here so ``analysis.mode_volume`` etc. keep working.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sims.collection import (
    collected_power_cartesian,
    collected_power_cylindrical,
    plane_power_cartesian,
    plane_power_cylindrical,
)
from sims.mode_volume import mode_volume
from sims.results import Mode

__all__ = [
    "MODE_SELECTION_RULE",
    "NEGATIVE_LDOS_TOLERANCE",
    "collected_power_cartesian",
    "collected_power_cylindrical",
    "mode_volume",
    "negative_ldos",
    "plane_power_cartesian",
    "plane_power_cylindrical",
    "select_mode",
]

MODE_SELECTION_RULE = (
    "Among Harminv modes with Q > 1 (or Q <= -1000 with harminv_error < 1e-3: a lossless mode "
    "whose decay the run cannot resolve, e.g. a PEC box), "
    "harminv_error < 0.1 and wavelength inside the window, keep those whose spectral peak "
    "|amplitude|·|Q|·λ (the height of the mode's Lorentzian in the emitter's spectrum) is at "
    "least 5% of the largest; pick the one nearest the target wavelength (ties: higher Q)."
)


def select_mode(modes: Sequence[Mode], *, target_um: float,
                window_um: tuple[float, float]) -> int | None:
    """Index of the mode chosen by :data:`MODE_SELECTION_RULE`, or None if none qualifies.

    Example:
        >>> ms = [Mode(wavelength_um=0.50, quality_factor=50, amplitude_abs=1.0, harminv_error=1e-4),
        ...       Mode(wavelength_um=0.53, quality_factor=900, amplitude_abs=0.5, harminv_error=1e-4),
        ...       Mode(wavelength_um=0.52, quality_factor=900, amplitude_abs=0.01, harminv_error=1e-4)]
        >>> select_mode(ms, target_um=0.52, window_um=(0.45, 0.6))
        1

    A weak, fast-decaying Harminv artefact (Q ~ 10) next to the target does not win over the
    long-lived mode that dominates the spectrum:

        >>> ms = [Mode(wavelength_um=0.521, quality_factor=12, amplitude_abs=0.3, harminv_error=0.01),
        ...       Mode(wavelength_um=0.530, quality_factor=3000, amplitude_abs=0.2, harminv_error=1e-6)]
        >>> select_mode(ms, target_um=0.52, window_um=(0.45, 0.6))
        1

    A lossless mode (Harminv returns a large negative Q with a tiny error) is a mode, not noise:

        >>> ms = [Mode(wavelength_um=0.513, quality_factor=14, amplitude_abs=119, harminv_error=9e-4),
        ...       Mode(wavelength_um=0.500, quality_factor=-4177, amplitude_abs=122, harminv_error=8e-6)]
        >>> select_mode(ms, target_um=0.51, window_um=(0.45, 0.56))
        1
    """
    lo, hi = window_um
    valid = [i for i, m in enumerate(modes)
             if (m.quality_factor > 1
                 or (m.quality_factor <= -1000 and abs(m.harminv_error) < 1e-3))
             and abs(m.harminv_error) < 0.1 and lo <= m.wavelength_um <= hi
             and math.isfinite(m.amplitude_abs)]
    if not valid:
        return None
    def peak(i: int) -> float:
        m = modes[i]
        return m.amplitude_abs * min(abs(m.quality_factor), 1e9) * m.wavelength_um

    peak_max = max(peak(i) for i in valid)
    strong = [i for i in valid if peak(i) >= 0.05 * peak_max]
    return min(strong, key=lambda i: (abs(modes[i].wavelength_um - target_um),
                                      -abs(modes[i].quality_factor)))


NEGATIVE_LDOS_TOLERANCE = 0.05


def negative_ldos(wavelength_um: Sequence[float], purcell_total: Sequence[float]) -> str | None:
    """Say where a normalised LDOS spectrum is clearly negative, or None if it is not.

    A passive structure absorbs or radiates the dipole's power, so its LDOS is ≥ 0. A value
    below ``-NEGATIVE_LDOS_TOLERANCE × max(1, max LDOS)`` is beyond DFT noise: either the run gave
    energy to the dipole (a material model or boundary acting as gain) or a long-lived mode was
    cut before it decayed (the finite Fourier transform of its ring-down oscillates below zero).

    >>> negative_ldos((0.5, 0.6), [1.2, -0.01]) is None
    True
    >>> negative_ldos((0.5, 0.6), [1.2, -3.0])
    'the normalised LDOS is negative (-3 at 600.0 nm; largest value 1.2)'
    """
    values = [float(v) for v in purcell_total]
    low = min(range(len(values)), key=values.__getitem__)
    top = max(values)
    if values[low] >= -NEGATIVE_LDOS_TOLERANCE * max(1.0, top):
        return None
    return (f"the normalised LDOS is negative ({values[low]:.3g} at "
            f"{1e3 * wavelength_um[low]:.1f} nm; largest value {top:.3g})")
