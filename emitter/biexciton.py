"""Quantum yields, g2(0) and its purification by time gating and spectral filtering (REFERENCES D4).

With the Auger rate k_A fixed by the nanocrystal, a cavity that enhances the biexciton radiative
rate raises QY_XX and so g2(0) = QY_XX/QY_X (Nair, Zhao & Bawendi, Nano Lett. 11, 1136 (2011)
[V], REFERENCES C3): the *biexciton-enhancement risk* is g2_cavity/g2_bare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def cascade_survival(*, gamma_xx_total: float, gamma_x_total: float, gate: float) -> float:
    """P(t1 + τ > t_g) for the X photon of an XX→X cascade: t1 ~ Exp(Γ_XX), τ ~ Exp(Γ_X)
    (hypo-exponential survival; rates and gate in consistent units)."""
    require_nonnegative(gamma_xx_total=gamma_xx_total, gamma_x_total=gamma_x_total, gate=gate)
    a, b = gamma_xx_total, gamma_x_total
    if gate == 0:
        return 1.0
    if abs(a - b) <= 1e-9 * max(a, b):
        return math.exp(-a * gate) * (1 + a * gate)
    return (a * math.exp(-b * gate) - b * math.exp(-a * gate)) / (a - b)


@dataclass(frozen=True, kw_only=True)
class DetectedPhotons:
    """Per-pulse statistics of the detected photons (see :func:`detected_photon_statistics`).

    Args:
        mean: ⟨n⟩, detected photons per pulse (X and XX lines).
        pair: ⟨n(n−1)⟩ per pulse.
        g2: ⟨n(n−1)⟩/⟨n⟩² = central/side peak area of a pulsed HBT histogram (nan if ⟨n⟩ = 0).
    """

    mean: float
    pair: float
    g2: float


def detected_photon_statistics(*, mean_excitons: float, qy_x: float, qy_xx: float,
                               detection_x: float, detection_xx: float,
                               gamma_x_total: float = 0.0, gamma_xx_total: float = 0.0,
                               gate: float = 0.0) -> DetectedPhotons:
    """Photon counting of the pulsed XX→X cascade behind a filter and a gate (REFERENCES D3/D4).

    Poisson excitation with ⟨N⟩ excitons per pulse; N ≥ 2 relaxes to XX (higher multiexcitons
    Auger-relax first: model assumption, triexciton photons neglected). XX emits an XX-line photon
    with probability QY_XX, then the X emits an X-line photon with QY_X; each is detected with
    ``detection_*`` (collection × filter transmission of its line) if it arrives after the gate.
    With P₁ = ⟨N⟩e^−⟨N⟩, P₂₊ = 1 − e^−⟨N⟩(1 + ⟨N⟩), η's the detection probabilities::

        ⟨n⟩      = P₁·QY_X η_X e^(−Γ_X t_g) + P₂₊·[QY_XX η_XX e^(−Γ_XX t_g) + QY_X η_X S(t_g)]
        ⟨n(n−1)⟩ = 2 P₂₊ · QY_XX η_XX · QY_X η_X · e^(−Γ_XX t_g)

    S = :func:`cascade_survival`. Weak, unfiltered, ungated: g2 → QY_XX/QY_X (Nair 2011 [V]);
    weak with a gate: :func:`gated_g2`. Unlike g2·T_XX/T_X, this stays right when the filter
    removes the X line (the XX photons then dominate ⟨n⟩).
    """
    require_nonnegative(mean_excitons=mean_excitons, qy_x=qy_x, qy_xx=qy_xx,
                        detection_x=detection_x, detection_xx=detection_xx)
    n = mean_excitons
    p1 = n * math.exp(-n)
    p2 = -math.expm1(-n) - p1  # P(N >= 2), accurate for small ⟨N⟩
    x = qy_x * detection_x
    xx = qy_xx * detection_xx * math.exp(-gamma_xx_total * gate)
    mean = (p1 * x * math.exp(-gamma_x_total * gate)
            + p2 * (xx + x * cascade_survival(gamma_xx_total=gamma_xx_total,
                                              gamma_x_total=gamma_x_total, gate=gate)))
    pair = 2 * p2 * xx * x
    return DetectedPhotons(mean=mean, pair=pair, g2=pair / mean**2 if mean > 0 else math.nan)
