"""Purcell enhancement of an emitter line: spectral overlap and the closed form (REFERENCES A1).

The overlap form averages the Purcell spectrum over the emitter's normalised line shape in
energy (Voigt: Lorentzian homogeneous FWHM ⊗ Gaussian spectral diffusion). For a Lorentzian cavity
and a Lorentzian line it equals the closed form with 1/Q_eff = 1/Q_c + 1/Q_em exactly (the
convolution of two Lorentzians, REFERENCES A1 [C]).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.integrate import trapezoid
from scipy.special import voigt_profile

from cavities._validate import require_choice, require_nonnegative, require_positive
from emitter._constants import HC_EV_UM, PURCELL_PREFACTOR
from emitter.cavity import CavityResponse
from emitter.params import EmitterParams

ORIENTATIONS = ("aligned", "random", "triplet")

_SQRT_2LN2 = math.sqrt(2 * math.log(2))


def voigt_fwhm_mev(*, lorentz_fwhm_mev: float, gauss_fwhm_mev: float) -> float:
    """Olivero-Longbothum approximation of the Voigt FWHM (0.02 % accurate)."""
    fl, fg = lorentz_fwhm_mev, gauss_fwhm_mev
    return 0.5346 * fl + math.sqrt(0.2166 * fl**2 + fg**2)


def orientation_factor(orientation: str, emitter: EmitterParams) -> float:
    """Mean |û·ê|² of the emitting dipole(s) with the cavity field ê (REFERENCES A1).

    - ``"aligned"``: one dipole along the field, 1.
    - ``"random"``: an isotropically oriented single dipole, ⟨cos²θ⟩ = 1/3.
    - ``"triplet"``: bright triplet with populations ``triplet_weights`` along the NC axes and the
      field along the first axis (NC lying flat, a cube axis along the polarisation):
      Σ w_i |d̂_i·ê|² = w_x. At RT (thermal mixing) this is ≈ 1/3 (REFERENCES A1); at 4 K the
      lowest, most populated line dominates (model assumption, C1 splittings [M]).
    """
    require_choice("orientation", orientation, ORIENTATIONS)
    if orientation == "aligned":
        return 1.0
    if orientation == "random":
        return 1.0 / 3.0
    return float(emitter.triplet_weights[0])


def purcell_closed_form(*, quality_factor: float, mode_volume_lambda_n3: float,
                        emitter_linewidth_mev: float = 0.0, emitter_energy_ev: float | None = None,
                        cavity_energy_ev: float | None = None, field_factor: float = 1.0,
                        orientation_factor: float = 1.0) -> float:
    """Generalised Purcell factor of the mode (no background), REFERENCES A1 [C].

    F = 3/(4π²)·Q_eff/V_r·|û·Ê|²·L,  1/Q_eff = 1/Q_c + 1/Q_em,  Q_em = E_c/ΔE_em,
    L = 1/(1 + 4Q_eff²(E_e/E_c − 1)²) (detuning in frequency), V_r = V/field_factor.

    Args:
        quality_factor: cavity Q_c.
        mode_volume_lambda_n3: peak mode volume V in (λ/n)³, n at the emitter.
        emitter_linewidth_mev: emitter FWHM incl. pure dephasing (0 = ideal narrow emitter).
        emitter_energy_ev, cavity_energy_ev: for the detuning (both or neither).
        field_factor: |E(r)|²/|E_max|² at the emitter (position).
        orientation_factor: |û·ê|² (see :func:`orientation_factor`).

    Example:
        >>> round(purcell_closed_form(quality_factor=1000, mode_volume_lambda_n3=1.0), 1)
        76.0
    """
    require_positive(quality_factor=quality_factor, mode_volume_lambda_n3=mode_volume_lambda_n3)
    require_nonnegative(emitter_linewidth_mev=emitter_linewidth_mev, field_factor=field_factor,
                        orientation_factor=orientation_factor)
    inv_q = 1.0 / quality_factor
    detuning = 0.0
    if emitter_energy_ev is not None and cavity_energy_ev is not None:
        require_positive(emitter_energy_ev=emitter_energy_ev, cavity_energy_ev=cavity_energy_ev)
        detuning = emitter_energy_ev / cavity_energy_ev - 1
        if emitter_linewidth_mev > 0:  # Q_em referred to E_c: exact for two Lorentzians
            inv_q += 1e-3 * emitter_linewidth_mev / cavity_energy_ev
    elif emitter_linewidth_mev > 0:
        raise ValueError("`emitter_energy_ev` is needed to turn emitter_linewidth_mev into Q_em.")
    q_eff = 1.0 / inv_q
    lorentz = 1.0 / (1 + 4 * q_eff**2 * detuning**2)
    return (PURCELL_PREFACTOR * q_eff / mode_volume_lambda_n3 * field_factor
            * orientation_factor * lorentz)


def line_grid(*, center_ev: float, lorentz_fwhm_mev: float, gauss_fwhm_mev: float,
              extra_ev: Any = (), resonance_ev: float | None = None,
              resonance_fwhm_ev: float | None = None, n: int = 4001) -> np.ndarray:
    """Energy grid (eV) resolving the line (arctan-spaced tails), a resonance and extra points."""
    fw = 1e-3 * voigt_fwhm_mev(lorentz_fwhm_mev=lorentz_fwhm_mev, gauss_fwhm_mev=gauss_fwhm_mev)
    lo, hi = 0.25 * center_ev, 4.0 * center_ev
    u = np.linspace(-0.5 * math.pi, 0.5 * math.pi, n + 2)[1:-1]
    parts = [center_ev + 0.5 * fw * np.tan(u)]
    if gauss_fwhm_mev > 0:
        parts.append(center_ev + np.linspace(-5, 5, 801) * 1e-3 * gauss_fwhm_mev)
    if resonance_ev is not None and resonance_fwhm_ev is not None:
        parts.append(resonance_ev + 0.5 * resonance_fwhm_ev * np.tan(u[:: 2]))
    parts.append(np.asarray(extra_ev, float))
    grid = np.unique(np.concatenate(parts))
    return grid[(grid > lo) & (grid < hi)]


def line_shape(energy_ev: np.ndarray, *, center_ev: float, lorentz_fwhm_mev: float,
               gauss_fwhm_mev: float) -> np.ndarray:
    """Normalised Voigt line (1/eV): Lorentzian FWHM ⊗ Gaussian FWHM (both meV)."""
    x = energy_ev - center_ev
    gamma = 0.5e-3 * lorentz_fwhm_mev
    sigma = 1e-3 * gauss_fwhm_mev / (2 * _SQRT_2LN2)
    return voigt_profile(x, sigma, gamma)


def _tail_masses(grid: np.ndarray, center_ev: float, lorentz_fwhm_mev: float) -> tuple[float, float]:
    """Line mass below/above the grid (Lorentzian tails; the Gaussian part is negligible there)."""
    g = 0.5e-3 * lorentz_fwhm_mev
    if g == 0:
        return 0.0, 0.0
    lo = 0.5 + math.atan((grid[0] - center_ev) / g) / math.pi
    hi = 0.5 - math.atan((grid[-1] - center_ev) / g) / math.pi
    return lo, hi


def line_average(values_at: Any, *, center_ev: float, lorentz_fwhm_mev: float,
                 gauss_fwhm_mev: float, response: CavityResponse | None = None,
                 weight_at: Any = None) -> float:
    """⟨f⟩ = ∫ f(E) w(E) S(E) dE / ∫ w(E) S(E) dE over the emitter line S (trapezoid + tails).

    ``values_at`` and ``weight_at`` take vacuum wavelengths (µm) and return arrays.
    """
    res_ev = res_fw = None
    extra: list[float] = []
    if response is not None:
        if response.resonance_wavelength_um is not None and response.quality_factor is not None:
            res_ev = HC_EV_UM / response.resonance_wavelength_um
            res_fw = res_ev / response.quality_factor
        if response.model == "tabulated":
            extra = list(HC_EV_UM / np.asarray(response.wavelength_um))
            extra += list(HC_EV_UM / np.asarray(response.radiative_wavelength_um))
    grid = line_grid(center_ev=center_ev, lorentz_fwhm_mev=lorentz_fwhm_mev,
                     gauss_fwhm_mev=gauss_fwhm_mev, extra_ev=extra, resonance_ev=res_ev,
                     resonance_fwhm_ev=res_fw)
    lam = HC_EV_UM / grid
    s = line_shape(grid, center_ev=center_ev, lorentz_fwhm_mev=lorentz_fwhm_mev,
                   gauss_fwhm_mev=gauss_fwhm_mev)
    w = np.ones_like(grid) if weight_at is None else np.asarray(weight_at(lam), float)
    f = np.asarray(values_at(lam), float)
    m_lo, m_hi = _tail_masses(grid, center_ev, lorentz_fwhm_mev)
    num = trapezoid(f * w * s, grid) + m_lo * f[0] * w[0] + m_hi * f[-1] * w[-1]
    den = trapezoid(w * s, grid) + m_lo * w[0] + m_hi * w[-1]
    return float(num / den) if den > 0 else 0.0


def oriented(response: CavityResponse, orientation: float, *, radiative: bool = False) -> Any:
    """F_o(λ) = F_bg + o·(F(λ) − F_bg): the dipole's projection on the simulated one couples to
    the mode; the orthogonal part sees the off-resonant background (model assumption)."""
    if radiative:
        bg = response.background_radiative

        def f(lam: np.ndarray) -> np.ndarray:
            return bg + orientation * (response.radiative_at(lam) - bg)
    else:
        bg = response.background

        def f(lam: np.ndarray) -> np.ndarray:
            return bg + orientation * (response.total_at(lam) - bg)
    return f


def purcell_overlap(response: CavityResponse, *, center_ev: float, lorentz_fwhm_mev: float,
                    gauss_fwhm_mev: float = 0.0, orientation: float = 1.0,
                    radiative: bool = False) -> float:
    """Rate enhancement of a line from the Purcell spectrum: ∫F(E)S(E)dE (REFERENCES A1, D3)."""
    return line_average(oriented(response, orientation, radiative=radiative),
                        center_ev=center_ev, lorentz_fwhm_mev=lorentz_fwhm_mev,
                        gauss_fwhm_mev=gauss_fwhm_mev, response=response)
