"""Biexciton risk to g2(0), time gating and spectral filtering (REFERENCES C3, D4)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from emitter import CavityResponse, Excitation, preset_emitter, score
from emitter.biexciton import gate_count_fraction, gated_g2, quantum_yield


def test_no_cavity_returns_bare_emitter() -> None:
    for t in (295.0, 4.0):
        e = preset_emitter("CsPbBr3", temperature_k=t)
        s = score(CavityResponse.bare(1.5), e)
        assert (s.purcell_x, s.purcell_xx, s.purcell_radiative_x) == (1.0, 1.0, 1.0)
        assert s.qy_x_cavity == pytest.approx(e.qy_x, rel=1e-12)
        assert s.qy_xx_cavity == pytest.approx(e.qy_xx, rel=1e-12)
        assert s.g2_cavity == pytest.approx(s.g2_bare, rel=1e-12)
        assert s.biexciton_risk == pytest.approx(1.0, rel=1e-12)
        assert s.lifetime_cavity_ns == pytest.approx(e.lifetime_x_ns, rel=1e-12)
        assert s.indistinguishability == pytest.approx(s.indistinguishability_bare, rel=1e-12)
        assert s.beta == 0.0 and s.g_ueV == 0.0 and s.regime == "weak"


def test_g2_equals_qy_ratio_with_quenching() -> None:
    """g2 = QY_XX/QY_X (Nair 2011), with QY^cav = F_rad k_r/(F_tot k_r + k_nr) (D3)."""
    e = preset_emitter("CsPbBr3")
    cav = CavityResponse.flat(purcell=8.0, radiative_efficiency=0.5)
    s = score(cav, e)
    qx = quantum_yield(radiative_rate=e.radiative_rate_x_per_ns,
                       nonradiative_rate=e.nonradiative_rate_x_per_ns, purcell_total=8,
                       purcell_radiative=4)
    qxx = quantum_yield(radiative_rate=e.radiative_rate_xx_per_ns,
                        nonradiative_rate=e.auger_rate_xx_per_ns, purcell_total=8,
                        purcell_radiative=4)
    assert s.qy_x_cavity == pytest.approx(4 * 0.2 / (8 * 0.2 + 0.05), rel=1e-12)
    assert (s.qy_x_cavity, s.qy_xx_cavity) == pytest.approx((qx, qxx), rel=1e-12)
    assert s.g2_cavity == pytest.approx(s.qy_xx_cavity / s.qy_x_cavity, rel=1e-12)
    assert s.biexciton_risk == pytest.approx(s.g2_cavity / s.g2_bare, rel=1e-12)


def test_time_gating_exponential_law(rng: np.random.Generator) -> None:
    """Gated g2 = g2·exp[−(Γ_XX − 2Γ_X)t_g] (D4): checked against a Monte-Carlo cascade.

    XX-X pair kept if the XX photon (t1 ~ Exp(Γ_XX)) comes after t_g; X-X pair kept if both
    X photons of two pulses come after t_g. Tolerance: 4 standard errors of the MC estimate.
    """
    g_xx, g_x, tg, n = 30.0, 0.25, 0.05, 400_000
    t1 = rng.exponential(1 / g_xx, n)
    t2 = t1 + rng.exponential(1 / g_x, n)  # X photon after the XX photon
    keep_pair = np.mean((t1 > tg) & (t2 > tg))
    x_a, x_b = rng.exponential(1 / g_x, n), rng.exponential(1 / g_x, n)
    keep_side = np.mean((x_a > tg) & (x_b > tg))
    mc = 0.1 * keep_pair / keep_side
    law = gated_g2(g2=0.1, gamma_xx_total=g_xx, gamma_x_total=g_x, gate=tg)
    se = 0.1 * math.sqrt(keep_pair * (1 - keep_pair) / n) / keep_side
    print(f"gated g2: law {law:.5f}, Monte Carlo {mc:.5f} ± {se:.1e} (4σ)")
    assert mc == pytest.approx(law, abs=4 * se)
    assert gate_count_fraction(gamma_x_total=g_x, gate=tg) == pytest.approx(math.exp(-g_x * tg))


def test_time_gating_in_score_costs_counts() -> None:
    """Weak excitation (⟨N⟩ ~ 1e-5): g2_detected follows the weak-limit gating law; the
    finite-⟨N⟩ photon counting is tested in test_photon_counting.py."""
    e = preset_emitter("CsPbBr3")
    cav = CavityResponse.flat(purcell=3.0)
    weak = {"fluence_uj_per_cm2": 1e-4}
    s0 = score(cav, e, excitation=Excitation(**weak))
    s = score(cav, e, excitation=Excitation(gate_ns=0.1, **weak))
    gam_x = 3 * e.radiative_rate_x_per_ns + e.nonradiative_rate_x_per_ns
    gam_xx = 3 * e.radiative_rate_xx_per_ns + e.auger_rate_xx_per_ns
    assert s.g2_detected == pytest.approx(
        s0.g2_cavity * math.exp(-(gam_xx - 2 * gam_x) * 0.1), rel=1e-4)
    assert s.detected_fraction == pytest.approx(math.exp(-gam_x * 0.1), rel=1e-12)
    assert s.brightness_detected_cps == pytest.approx(s0.brightness_cps * s.detected_fraction,
                                                      rel=1e-4)
    assert s.g2_detected < 0.1 * s0.g2_cavity


def test_spectral_filter_works_at_4k_not_at_rt() -> None:
    """A 1 nm band-pass on X removes XX (18 meV ≈ 4 nm away) at 4 K but not at RT (D4)."""
    for t, expect_low in ((4.0, True), (295.0, False)):
        e = preset_emitter("CsPbBr3", temperature_k=t)
        s = score(CavityResponse.bare(1.5), e, excitation=Excitation(
            filter_center_um=e.exciton_wavelength_um, filter_fwhm_nm=1.0))
        ratio = s.g2_detected / s.g2_cavity
        print(f"T = {t} K: filtered/unfiltered g2 = {ratio:.3g}")
        assert (ratio < 1e-3) if expect_low else (0.5 < ratio < 1.2)


def test_broadband_enhancement_raises_g2_monotonically() -> None:
    """Flat (plasmonic-like) enhancement F: QY_XX grows faster than QY_X → g2 rises (D4)."""
    e = preset_emitter("CsPbBr3")
    fs = [1, 2, 5, 10, 30, 100, 300]
    g2 = [score(CavityResponse.flat(purcell=f), e).g2_cavity for f in fs]
    print("g2 vs broadband F:", dict(zip(fs, np.round(g2, 4), strict=True)))
    assert all(b > a for a, b in zip(g2, g2[1:], strict=False)), g2
    assert g2[-1] > 10 * g2[0]


def test_narrow_detuned_cavity_at_4k_protects_g2() -> None:
    """At 4 K a Q ≳ E/Δ_XX cavity on the X line barely touches the XX line (18 meV red):
    g2 does not rise for any Q (D4 spectral protection)."""
    e = preset_emitter("CsPbBr3", temperature_k=4.0)
    g2 = []
    for q in (1000, 3000, 10000, 30000):
        cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=q,
                                        mode_volume_lambda_n3=1.0, refractive_index=2.0)
        s = score(cav, e, orientation="random")
        assert s.purcell_xx < 1.2, f"{q=}: F_XX = {s.purcell_xx}"
        g2.append(s.g2_cavity)
        assert s.biexciton_risk <= 1.0 + 1e-9, f"{q=}: risk {s.biexciton_risk}"
    print("4 K narrow cavity g2 vs Q:", g2, "bare", s.g2_bare)
    # the same cavity tuned onto the XX line is the risk
    cav_xx = CavityResponse.lorentzian(wavelength_um=e.biexciton_wavelength_um,
                                       quality_factor=3000, mode_volume_lambda_n3=1.0,
                                       refractive_index=2.0)
    assert score(cav_xx, e, orientation="random").biexciton_risk > 1.5
