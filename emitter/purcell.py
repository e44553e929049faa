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
from scipy.special import voigt_profile, wofz

from cavities._validate import require_choice, require_nonnegative, require_positive
from emitter._constants import HC_EV_UM, PURCELL_PREFACTOR
from emitter.cavity import CavityResponse
from emitter.params import EmitterParams

ORIENTATIONS = ("aligned", "random", "triplet", "planar")

_SQRT_2LN2 = math.sqrt(2 * math.log(2))


def voigt_fwhm_mev(*, lorentz_fwhm_mev: float, gauss_fwhm_mev: float) -> float:
    """Olivero-Longbothum approximation of the Voigt FWHM (0.02 % accurate)."""
    fl, fg = lorentz_fwhm_mev, gauss_fwhm_mev
    return 0.5346 * fl + math.sqrt(0.2166 * fl**2 + fg**2)


def orientation_factor(orientation: str, emitter: EmitterParams,
                       axis_coupling: tuple[float, float, float] = (1.0, 0.0, 0.0)) -> float:
    """Orientation factor o of the emitting dipole(s): F = F_bg + o·(F_tabulated − F_bg).

    ``axis_coupling`` a = (a_x, a_y, a_z) is the mode part seen by a dipole along each cavity
    axis relative to the tabulated (simulated) dipole (see :class:`CavityResponse`); with one
    simulated dipole along the field it is (1, 0, 0). REFERENCES A1:

    - ``"aligned"``: one linear dipole along the tabulated (simulated) dipole: 1 (a is ignored).
    - ``"random"``: a linear dipole of random fixed orientation, ensemble-mean rate
      ⟨|û·E|²⟩ = |E|²/3, i.e. the average of the three orthogonal components, (a_x+a_y+a_z)/3.
    - ``"triplet"``: bright triplet along the NC axes (NC axes on the cavity axes), populations
      ``triplet_weights``: Σ w_i a_i. Thermally mixed (RT, w ≈ 1/3 each) this is the isotropic
      average (F_x + F_y + F_z)/3 of A1; at 4 K the lowest line dominates (model assumption).
    - ``"planar"``: a dipole degenerate in the x-y plane (2D emitter lying flat): (a_x + a_y)/2.
    """
    require_choice("orientation", orientation, ORIENTATIONS)
    a = tuple(float(v) for v in axis_coupling)
    if orientation == "aligned":
        return 1.0
    if orientation == "random":
        return sum(a) / 3.0
    if orientation == "planar":
        return 0.5 * (a[0] + a[1])
    return float(sum(w * ai for w, ai in zip(emitter.triplet_weights, a, strict=True)))


def purcell_closed_form(*, quality_factor: float, mode_volume_lambda_n3: float,
                        emitter_linewidth_mev: float = 0.0, emitter_gauss_fwhm_mev: float = 0.0,
                        emitter_energy_ev: float | None = None,
                        cavity_energy_ev: float | None = None, field_factor: float = 1.0,
                        orientation_factor: float = 1.0) -> float:
    """Generalised Purcell factor of the mode (no background) for a Voigt line, REFERENCES A1 [C].

    The mode is Lorentzian in energy, F_p/(1 + (Δ/γ_c)²) with HWHM γ_c = E_c/(2Q) and
    F_p = 3/(4π²)·Q/V_r·|û·Ê|² (V_r = V/field_factor). Averaged over a normalised Voigt line
    (Lorentzian HWHM γ_e ⊗ Gaussian σ) it is π γ_c F_p times a Voigt profile of Lorentzian HWHM
    γ_e + γ_c at the detuning Δ = E_e − E_c (a Lorentzian convolved with a Voigt is a Voigt):

        F = F_p · π γ_c · Re w(z) / (σ√(2π)),   z = (Δ + i(γ_e + γ_c)) / (σ√2)   (Faddeeva w)

    For σ = 0 this is the two-Lorentzian form F_p·Q_eff/Q_c·L(Δ), 1/Q_eff = 1/Q_c + 1/Q_em,
    Q_em = E_c/ΔE_em, L = 1/(1 + 4Q_eff²(Δ/E_c)²) (exact).

    Args:
        quality_factor: cavity Q_c.
        mode_volume_lambda_n3: peak mode volume V in (λ/n)³, n at the emitter.
        emitter_linewidth_mev: Lorentzian (homogeneous) FWHM incl. pure dephasing.
        emitter_gauss_fwhm_mev: Gaussian FWHM (spectral diffusion).
        emitter_energy_ev, cavity_energy_ev: for the detuning and the widths (both or neither).
        field_factor: |E(r)|²/|E_max|² at the emitter (position).
        orientation_factor: |û·ê|² (see :func:`orientation_factor`).

    Example:
        >>> round(purcell_closed_form(quality_factor=1000, mode_volume_lambda_n3=1.0), 1)
        76.0
    """
    require_positive(quality_factor=quality_factor, mode_volume_lambda_n3=mode_volume_lambda_n3)
    require_nonnegative(emitter_linewidth_mev=emitter_linewidth_mev,
                        emitter_gauss_fwhm_mev=emitter_gauss_fwhm_mev, field_factor=field_factor,
                        orientation_factor=orientation_factor)
    peak = PURCELL_PREFACTOR * quality_factor / mode_volume_lambda_n3 * field_factor \
        * orientation_factor
    if emitter_energy_ev is None or cavity_energy_ev is None:
        if emitter_linewidth_mev > 0 or emitter_gauss_fwhm_mev > 0:
            raise ValueError("`emitter_energy_ev` and `cavity_energy_ev` are needed to compare "
                             "the emitter linewidth with the cavity's.")
        return peak
    require_positive(emitter_energy_ev=emitter_energy_ev, cavity_energy_ev=cavity_energy_ev)
    gam_c = cavity_energy_ev / (2 * quality_factor)  # eV
    gam = gam_c + 0.5e-3 * emitter_linewidth_mev
    delta = emitter_energy_ev - cavity_energy_ev
    sigma = 1e-3 * emitter_gauss_fwhm_mev / (2 * _SQRT_2LN2)
    if sigma == 0 or abs(delta + 1j * gam) > 1e4 * sigma:  # Lorentzian limit (|z| ≫ 1)
        return peak * gam_c * gam / (gam**2 + delta**2)
    z = (delta + 1j * gam) / (sigma * math.sqrt(2))
    return peak * math.pi * gam_c * float(wofz(z).real) / (sigma * math.sqrt(2 * math.pi))


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
    x = np.asarray(energy_ev) - center_ev
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
                 weight_at: Any = None, extra_ev: Any = ()) -> float:
    """⟨f⟩ = ∫ f(E) w(E) S(E) dE / ∫ w(E) S(E) dE over the emitter line S (trapezoid + tails).

    ``values_at`` and ``weight_at`` take vacuum wavelengths (µm) and return arrays;
    ``extra_ev`` adds grid points (eV) where ``values_at`` has structure (e.g. a filter).
    """
    res_ev = res_fw = None
    extra: list[float] = list(np.asarray(extra_ev, float).ravel())
    if response is not None:
        if response.resonance_wavelength_um is not None and response.quality_factor is not None:
            res_ev = HC_EV_UM / response.resonance_wavelength_um
            res_fw = res_ev / response.quality_factor
        if response.model == "tabulated":
            extra += list(HC_EV_UM / np.asarray(response.wavelength_um))
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
