"""Purcell factor: overlap vs closed form (REFERENCES A1) and the review's cavity numbers (B6)."""

from __future__ import annotations

import numpy as np
import pytest

from emitter import CavityResponse, preset_emitter, score
from emitter._constants import HC_EV_UM
from emitter.purcell import orientation_factor, purcell_closed_form, purcell_overlap

RTOL_OVERLAP = 1e-3  # trapezoid on an arctan grid; measured ≤ 2e-4


@pytest.mark.parametrize("linewidth_mev", [0.0165, 0.5, 5.0, 100.0])
@pytest.mark.parametrize("detuning", [0.0, 2e-4, 3e-3, 0.05])
def test_overlap_equals_closed_form_for_lorentzian(linewidth_mev: float, detuning: float) -> None:
    """∫F(E)S(E)dE − F_bg = 3/(4π²)Q_eff/V·L for a Lorentzian cavity and line (A1 [C])."""
    lam_c, q, v = 0.517, 4000.0, 0.55
    cav = CavityResponse.lorentzian(wavelength_um=lam_c, quality_factor=q, mode_volume_lambda_n3=v)
    e_c = HC_EV_UM / lam_c
    e_x = e_c * (1 + detuning)
    ov = purcell_overlap(cav, center_ev=e_x, lorentz_fwhm_mev=linewidth_mev) - 1.0
    cf = purcell_closed_form(quality_factor=q, mode_volume_lambda_n3=v,
                             emitter_linewidth_mev=linewidth_mev, emitter_energy_ev=e_x,
                             cavity_energy_ev=e_c)
    assert ov == pytest.approx(cf, rel=RTOL_OVERLAP, abs=1e-6), (
        f"overlap {ov:.6g} vs closed form {cf:.6g} (rel {RTOL_OVERLAP}) for "
        f"{linewidth_mev=} {detuning=}")


def test_ideal_limit_and_position_orientation() -> None:
    """Narrow aligned emitter at the antinode: F = 3/(4π²)Q/V; ∝ field_factor·|û·ê|²."""
    assert purcell_closed_form(quality_factor=1000, mode_volume_lambda_n3=1.0) == pytest.approx(
        75.991, rel=1e-4)
    base = purcell_closed_form(quality_factor=500, mode_volume_lambda_n3=0.7)
    assert purcell_closed_form(quality_factor=500, mode_volume_lambda_n3=0.7, field_factor=0.25,
                               orientation_factor=1 / 3) == pytest.approx(base / 12, rel=1e-12)
    e = preset_emitter("CsPbBr3")
    assert orientation_factor("random", e) == pytest.approx(1 / 3)
    assert orientation_factor("triplet", e) == pytest.approx(1 / 3, abs=0.01)  # RT mixing (A1)
    e4 = preset_emitter("CsPbBr3", temperature_k=4)
    assert orientation_factor("triplet", e4) > 0.5  # lowest line dominates at 4 K (model)


def test_score_overlap_agrees_with_closed_form() -> None:
    """In score(): purcell_x (overlap) == purcell_x_closed_form for a Lorentzian cavity and a
    Lorentzian line (no spectral diffusion), every orientation and a detuning."""
    e = preset_emitter("CsPbBr3", temperature_k=77)  # no spectral diffusion term set below
    e = e.replace(spectral_diffusion_mev=0.0)
    for lam_shift in (0.0, 0.0005):
        cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um + lam_shift,
                                        quality_factor=3000, mode_volume_lambda_n3=0.6,
                                        refractive_index=2.0, field_factor=0.7)
        for o in ("aligned", "random", "triplet"):
            s = score(cav, e, orientation=o)
            assert s.purcell_x == pytest.approx(s.purcell_x_closed_form, rel=RTOL_OVERLAP), (
                f"{o=} {lam_shift=}: {s.purcell_x} vs {s.purcell_x_closed_form}")


def test_yang_2017_bad_emitter_room_temperature() -> None:
    """Yang et al. APL 111 (2017) (REFERENCES A1 table / B6): PhC cavity, Q = 4000,
    V = 0.55 (λ/n)³ [B], CsPbBr3 NCs at RT, measured average rate enhancement 2.9 [V].

    Reasoning: the ideal Q/V Purcell factor is 553, but the RT line (preset 100 meV FWHM,
    Q_em = E/ΔE ≈ 24) caps Q_eff ≈ 24 (bad-emitter regime), so the mode part is
    0.076·24/0.55 ≈ 3.3 (A1 table: 5.5/4.1/3.3 for 60/80/100 meV) and does not depend on Q_c. The
    measured 2.9 is an ensemble average over orientation and position, so it must lie between
    the triplet-averaged (1/3 of the mode part + background 1) and the aligned score.
    Tolerance: mode part within 20 % of 2.9.
    """
    e = preset_emitter("CsPbBr3")
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=4000,
                                    mode_volume_lambda_n3=0.55, refractive_index=2.0)
    aligned = score(cav, e, orientation="aligned")
    triplet = score(cav, e, orientation="triplet")
    mode_part = aligned.purcell_x - 1.0
    print(f"Yang 2017: mode part {mode_part:.3f}, aligned {aligned.purcell_x:.3f}, triplet "
          f"{triplet.purcell_x:.3f}; measured 2.9 (tolerance 20 % on the mode part)")
    assert mode_part == pytest.approx(2.9, rel=0.20)
    assert triplet.purcell_x < 2.9 < aligned.purcell_x
    cav10 = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=40000,
                                      mode_volume_lambda_n3=0.55, refractive_index=2.0)
    assert score(cav10, e).purcell_x - 1 == pytest.approx(mode_part, rel=0.01)  # Q-independent


def test_farrow_2023_polymer_host_volume_convention() -> None:
    """Farrow et al. Nano Lett. 2023 (REFERENCES A1 / B6): open cavity, Q = 300, V = 0.5 µm³ [B],
    CsPbI3 at λ ≈ 690 nm, quoted Fp = 4.7 [B].

    Reasoning: V = 0.5 µm³ is 5.1 (λ/n)³ for n = 1.5 (polymer host) but 1.5 (λ/n)³ for n = 1,
    so Fp = 0.076·Q/V = 4.4 (n = 1.5) vs 15 (n = 1): 4.7 is only consistent with the polymer
    index. This is the ideal (narrow-line, 4 K-like) value; the preset CsPbI3 line at 4 K is
    narrow enough (Q_em ~ 1e5 ≫ 300) to reach it. Tolerance 10 % on 4.7.
    """
    e = preset_emitter("CsPbI3", temperature_k=4.0, exciton_wavelength_um=0.690)
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=300,
                                    mode_volume_um3=0.5, refractive_index=1.5)
    s = score(cav, e)
    mode_part = s.purcell_x - 1.0
    print(f"Farrow 2023: Fp = {mode_part:.3f} at λ = {1e3 * e.exciton_wavelength_um:.1f} nm, "
          f"n = 1.5; quoted 4.7 (tolerance 10 %)")
    assert mode_part == pytest.approx(4.7, rel=0.10)
    cav_air = CavityResponse.lorentzian(wavelength_um=0.69, quality_factor=300,
                                        mode_volume_um3=0.5, refractive_index=1.0)
    assert cav_air.peak_purcell == pytest.approx(15.0, rel=0.02)  # A1 table: n = 1 gives 15.0


def test_tabulated_lorentzian_matches_analytic() -> None:
    """Interpolating a finely tabulated Lorentzian gives the analytic overlap (to 0.5 %)."""
    ideal = CavityResponse.lorentzian(wavelength_um=0.52, quality_factor=800,
                                      mode_volume_lambda_n3=0.5)
    lam = np.linspace(0.40, 0.65, 20001)
    tab = CavityResponse(wavelength_um=lam, purcell_total=ideal.total_at(lam),
                         radiative_wavelength_um=lam, purcell_radiative=ideal.total_at(lam),
                         resonance_wavelength_um=0.52, quality_factor=800,
                         mode_volume_lambda_n3=0.5, background_purcell=1.0)
    for lw in (0.1, 10.0):
        a = purcell_overlap(ideal, center_ev=HC_EV_UM / 0.5205, lorentz_fwhm_mev=lw)
        b = purcell_overlap(tab, center_ev=HC_EV_UM / 0.5205, lorentz_fwhm_mev=lw)
        assert b == pytest.approx(a, rel=5e-3), f"{lw=}: tabulated {b} vs analytic {a}"
