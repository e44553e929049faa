"""Excitation conditions and photon rates at the first lens (REFERENCES D3, C4)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cavities._validate import require_nonnegative, require_positive
from emitter._constants import C_M_S, H_J_S


@dataclass(frozen=True, kw_only=True)
class Excitation:
    """How the nanocrystal is pumped and how the light is post-selected.

    The defaults are user settings, not literature values: an 80 MHz mode-locked laser at
    405 nm (above-gap, where σ of REFERENCES C4 is quoted), a fluence that gives ⟨N⟩ ≈ 0.1 for
    a 10 nm CsPbBr3 NC (weak excitation, where g2 = QY_XX/QY_X holds, REFERENCES D4).

    Args:
        repetition_rate_hz: pulse repetition rate f_rep.
        excitation_wavelength_um: pump wavelength (photon energy for fluence and P_sat).
        fluence_uj_per_cm2: pulse energy fluence at the NC (⟨N⟩ = σ·j, REFERENCES C4).
        cw_intensity_w_per_cm2: CW pump intensity for ``brightness_cw_cps``.
        setup_efficiency: η_setup after the first lens (1 = count at the first lens).
        gate_ns: time gate t_g (discard photons arriving earlier than t_g after the pulse).
        filter_center_um: centre of a Gaussian band-pass filter (None = no filter).
        filter_fwhm_nm: its FWHM (nm).
    """

    repetition_rate_hz: float = 80e6
    excitation_wavelength_um: float = 0.405
    fluence_uj_per_cm2: float = 1.0
    cw_intensity_w_per_cm2: float = 100.0
    setup_efficiency: float = 1.0
    gate_ns: float = 0.0
    filter_center_um: float | None = None
    filter_fwhm_nm: float = 1.0

    def __post_init__(self) -> None:
        require_positive(repetition_rate_hz=self.repetition_rate_hz,
                         excitation_wavelength_um=self.excitation_wavelength_um,
                         filter_fwhm_nm=self.filter_fwhm_nm)
        require_nonnegative(fluence_uj_per_cm2=self.fluence_uj_per_cm2,
                            cw_intensity_w_per_cm2=self.cw_intensity_w_per_cm2,
                            setup_efficiency=self.setup_efficiency, gate_ns=self.gate_ns)
        if self.setup_efficiency > 1:
            raise ValueError("`setup_efficiency <= 1` must hold, but got "
                             f"setup_efficiency={self.setup_efficiency!r}.")
        if self.filter_center_um is not None:
            require_positive(filter_center_um=self.filter_center_um)

    @property
    def photon_energy_j(self) -> float:
        return H_J_S * C_M_S / (self.excitation_wavelength_um * 1e-6)

    def mean_excitons(self, cross_section_cm2: float) -> float:
        """⟨N⟩ = σ·j with j = fluence/(hν) photons/cm² (REFERENCES C4)."""
        return cross_section_cm2 * self.fluence_uj_per_cm2 * 1e-6 / self.photon_energy_j


def pulsed_brightness_cps(*, repetition_rate_hz: float, mean_excitons: float, qy_x: float,
                          collection_efficiency: float, setup_efficiency: float = 1.0) -> float:
    """B = f_rep·(1 − e^(−⟨N⟩))·QY_X^cav·η_coll·η_setup (REFERENCES D3).

    Poissonian absorption; an XX→X cascade still ends in one X photon. Assumes the X decays
    completely between pulses (τ ≪ 1/f_rep).

    Example:
        >>> round(pulsed_brightness_cps(repetition_rate_hz=1e7, mean_excitons=50, qy_x=0.5,
        ...                             collection_efficiency=0.5))
        2500000
    """
    require_positive(repetition_rate_hz=repetition_rate_hz)
    require_nonnegative(mean_excitons=mean_excitons, qy_x=qy_x,
                        collection_efficiency=collection_efficiency,
                        setup_efficiency=setup_efficiency)
    return (repetition_rate_hz * (1 - math.exp(-mean_excitons)) * qy_x * collection_efficiency
            * setup_efficiency)


def cw_brightness_cps(*, intensity_w_per_cm2: float, photon_energy_j: float,
                      cross_section_cm2: float, radiative_rate_per_s: float,
                      total_rate_per_s: float, collection_efficiency: float,
                      setup_efficiency: float = 1.0) -> float:
    """B(P) = B_∞·P/(P + P_sat), B_∞ = η·Γ_rad^cav, P_sat = hν·Γ_tot/σ (REFERENCES D3)."""
    require_positive(photon_energy_j=photon_energy_j, cross_section_cm2=cross_section_cm2,
                     total_rate_per_s=total_rate_per_s)
    require_nonnegative(intensity_w_per_cm2=intensity_w_per_cm2,
                        radiative_rate_per_s=radiative_rate_per_s,
                        collection_efficiency=collection_efficiency,
                        setup_efficiency=setup_efficiency)
    p_sat = photon_energy_j * total_rate_per_s / cross_section_cm2
    b_inf = collection_efficiency * setup_efficiency * radiative_rate_per_s
    return b_inf * intensity_w_per_cm2 / (intensity_w_per_cm2 + p_sat)
