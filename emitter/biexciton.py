"""Quantum yields, g2(0) and its purification by time gating and spectral filtering (REFERENCES D4).

With the Auger rate k_A fixed by the nanocrystal, a cavity that enhances the biexciton radiative
rate raises QY_XX and so g2(0) = QY_XX/QY_X (Nair, Zhao & Bawendi, Nano Lett. 11, 1136 (2011)
[V], REFERENCES C3): the *biexciton-enhancement risk* is g2_cavity/g2_bare.
"""

from __future__ import annotations

import math

from cavities._validate import require_nonnegative, require_positive


def quantum_yield(*, radiative_rate: float, nonradiative_rate: float, purcell_total: float = 1.0,
                  purcell_radiative: float | None = None) -> float:
    """QY^cav = F_rad·k_r / (F_tot·k_r + k_nr) (REFERENCES D3/D4; quenching when F_rad < F_tot).

    Example:
        >>> quantum_yield(radiative_rate=0.2, nonradiative_rate=0.05)
        0.8
    """
    f_rad = purcell_total if purcell_radiative is None else purcell_radiative
    require_positive(radiative_rate=radiative_rate)
    require_nonnegative(nonradiative_rate=nonradiative_rate, purcell_total=purcell_total,
                        purcell_radiative=f_rad)
    den = purcell_total * radiative_rate + nonradiative_rate
    return f_rad * radiative_rate / den if den > 0 else 0.0


def g2_zero(*, qy_xx: float, qy_x: float) -> float:
    """g2(0) = QY_XX/QY_X at weak pulsed excitation (Nair 2011 [V], REFERENCES C3/D4)."""
    require_nonnegative(qy_xx=qy_xx)
    require_positive(qy_x=qy_x)
    return qy_xx / qy_x


def gated_g2(*, g2: float, gamma_xx_total: float, gamma_x_total: float, gate: float) -> float:
    """g2 after discarding photons within ``gate`` of the pulse (REFERENCES D4 [C]):

    g2_gated = g2·exp[−(Γ_XX,tot − 2Γ_X,tot)·t_g] (weak excitation; rates and gate in consistent
    units). The XX-X pair survives with exp(−Γ_XX t_g) (the XX photon must come after t_g, which
    leaves the X photon after it too), the X-X pair with exp(−2Γ_X t_g).
    """
    require_nonnegative(g2=g2, gamma_xx_total=gamma_xx_total, gamma_x_total=gamma_x_total,
                        gate=gate)
    return g2 * math.exp(-(gamma_xx_total - 2 * gamma_x_total) * gate)


def gate_count_fraction(*, gamma_x_total: float, gate: float) -> float:
    """Fraction of X photons kept by the gate: exp(−Γ_X,tot·t_g) (REFERENCES D4)."""
    require_nonnegative(gamma_x_total=gamma_x_total, gate=gate)
    return math.exp(-gamma_x_total * gate)


def filtered_g2(*, g2: float, transmission_x: float, transmission_xx: float) -> float:
    """g2 behind a spectral filter: g2·T_XX·T_X/T_X² = g2·T_XX/T_X (REFERENCES D4 [M reasoning])."""
    require_nonnegative(g2=g2, transmission_xx=transmission_xx)
    require_positive(transmission_x=transmission_x)
    return g2 * transmission_xx / transmission_x
