"""Physical constants and unit conversions used inside :mod:`emitter` (CODATA 2018 exact/recommended)."""

from __future__ import annotations

import math

HC_EV_UM = 1.239841984  # h·c in eV·µm: E[eV] = HC_EV_UM / λ[µm]
HBAR_MEV_PS = 0.6582119569  # ħ in meV·ps: a rate Γ [1/ps] has FWHM ħΓ [meV]
HBAR_EV_S = 6.582119569e-16  # ħ in eV·s
H_J_S = 6.62607015e-34  # Planck constant (J·s)
C_M_S = 2.99792458e8  # speed of light (m/s)
EV_J = 1.602176634e-19  # 1 eV in J
HBAR2_OVER_2M0_EV_NM2 = 0.0380998212  # ħ²/(2 m0) in eV·nm²
K_B_MEV_PER_K = 0.08617333262  # Boltzmann constant (meV/K)
PURCELL_PREFACTOR = 3.0 / (4.0 * math.pi**2)  # 0.075991 (REFERENCES A1)


def energy_ev(wavelength_um: float) -> float:
    """Photon energy (eV) of a vacuum wavelength (µm)."""
    return HC_EV_UM / wavelength_um


def wavelength_um(energy_ev: float) -> float:
    """Vacuum wavelength (µm) of a photon energy (eV)."""
    return HC_EV_UM / energy_ev


def mev_to_rate_per_ns(width_mev: float) -> float:
    """Angular-frequency rate (1/ns) whose FWHM is ``width_mev``: Γ = width/ħ."""
    return width_mev / HBAR_MEV_PS * 1e3


def rate_per_ns_to_mev(rate_per_ns: float) -> float:
    """FWHM (meV) of a Lorentzian whose population decay rate is ``rate_per_ns`` (1/ns)."""
    return HBAR_MEV_PS * rate_per_ns * 1e-3
