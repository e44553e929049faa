"""Coupling g, regimes, β and indistinguishability: exact solver vs closed forms (REFERENCES D1, D2)."""

from __future__ import annotations

import math

import pytest

from emitter import CavityResponse, preset_emitter, score
from emitter._constants import PURCELL_PREFACTOR
from emitter.coherence import (
    averaged_over_diffusion,
    beta_closed_form,
    coupling_rate_per_ns,
    indistinguishability_bad_cavity,
    indistinguishability_funnelling,
    rate_per_ns_to_uev,
    regime,
    solve_emitter_cavity,
)

CASES = [  # (g, kappa, gamma, gamma_star, detuning) in one rate unit
    (1.0, 100.0, 1.0, 0.0, 0.0), (1.0, 100.0, 1.0, 4.0, 0.0), (5.0, 1000.0, 1.0, 20.0, 3.0),
    (0.05, 0.2, 1.0, 200.0, 0.0), (10.0, 5.0, 1.0, 0.5, 0.0), (3.0, 40.0, 0.2, 1e4, 50.0),
]


@pytest.mark.parametrize("case", CASES)
def test_beta_exact_equals_closed_form(case: tuple[float, ...]) -> None:
    """β = κR/(κR + γ(κ + R)) is exact in this model (D2 [C]): rel 1e-9."""
    g, k, ga, gs, d = case
    ex = solve_emitter_cavity(g=g, kappa=k, gamma=ga, gamma_star=gs, detuning=d)
    cf = beta_closed_form(g=g, kappa=k, gamma=ga, gamma_star=gs, detuning=d)
    assert ex.beta == pytest.approx(cf, rel=1e-9), f"{case=}: exact {ex.beta} vs {cf}"
    assert ex.mean_cavity_photons * k == pytest.approx(ex.beta, rel=1e-12)


@pytest.mark.parametrize("g", [0.1, 1.0, 10.0, 100.0])
def test_no_dephasing_is_fully_indistinguishable(g: float) -> None:
    assert solve_emitter_cavity(g=g, kappa=30.0, gamma=1.0, gamma_star=0.0
                                ).indistinguishability == pytest.approx(1.0, abs=1e-9)


def test_bad_cavity_limit() -> None:
    """κ ≫ g, γ*: I → (γ + R)/(γ + R + γ*) (D2); the error shrinks as κ grows (tolerance 1 %)."""
    errs = []
    for kappa in (1e3, 1e4, 1e5):
        g = math.sqrt(kappa) * 0.5  # fixed Purcell rate R ≈ 4g²/κ = 1
        ex = solve_emitter_cavity(g=g, kappa=kappa, gamma=1.0, gamma_star=3.0).indistinguishability
        cf = indistinguishability_bad_cavity(g=g, kappa=kappa, gamma=1.0, gamma_star=3.0)
        errs.append(abs(ex / cf - 1))
    print(f"bad-cavity limit relative errors {errs} (tolerance 1 % at κ = 1e5)")
    assert errs[-1] < 0.01 and errs[0] > errs[-1]


def test_funnelling_limit() -> None:
    """κ, g ≪ γ*: I → (γ + κR/(κ+R))/(γ + κ + 2R) (D2); tolerance 1 %."""
    for g, k in ((0.05, 0.2), (0.3, 1.0), (1.0, 0.5)):
        ex = solve_emitter_cavity(g=g, kappa=k, gamma=1.0, gamma_star=1e4).indistinguishability
        cf = indistinguishability_funnelling(g=g, kappa=k, gamma=1.0, gamma_star=1e4)
        print(f"funnelling g={g} κ={k}: exact {ex:.5f} vs {cf:.5f}")
        assert ex == pytest.approx(cf, rel=0.01)


def test_coupling_matches_purcell_and_reference_table() -> None:
    """Fp = 4g²/(κγ0) = 3/(4π²)Q/V (D1), and ħg = 549 µeV for τ = 0.2 ns, V = 0.5 (λ/n)³ at
    515 nm (D1 table [C]; tolerance 1 %)."""
    lam, n, v_n3, gamma0 = 0.515, 2.0, 0.5, 5.0
    g = coupling_rate_per_ns(radiative_rate_per_ns=gamma0, wavelength_um=lam, refractive_index=n,
                             mode_volume_um3=v_n3 * (lam / n) ** 3)
    assert rate_per_ns_to_uev(g) == pytest.approx(549, rel=0.01)
    q = 5000.0
    kappa = 2 * math.pi * 2.99792458e5 / lam / q  # ω/Q in rad/ns
    assert 4 * g**2 / (kappa * gamma0) == pytest.approx(PURCELL_PREFACTOR * q / v_n3, rel=1e-9)
    assert regime(g=g, kappa=kappa, gamma_emitter=gamma0) == "strong"
    assert regime(g=g, kappa=1e3 * kappa, gamma_emitter=gamma0) == "weak"


def test_spectral_diffusion_average_reduces_beta() -> None:
    base = solve_emitter_cavity(g=5.0, kappa=20.0, gamma=1.0, gamma_star=2.0)
    avg = averaged_over_diffusion(g=5.0, kappa=20.0, gamma=1.0, gamma_star=2.0, detuning=0.0,
                                  diffusion_fwhm=40.0)
    assert avg.beta < base.beta


def test_score_coherence_4k_cavity() -> None:
    """At 4 K a Q = 2000, V = 0.5 (λ/n)³ cavity: T1 shortens, β and I rise above bare (D2)."""
    e = preset_emitter("CsPbBr3", temperature_k=4.0, spectral_diffusion_mev=0.0)
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=2000,
                                    mode_volume_lambda_n3=0.5, refractive_index=2.0)
    s = score(cav, e)
    assert s.lifetime_cavity_ns < e.lifetime_x_ns / 10
    assert s.indistinguishability > s.indistinguishability_bare
    assert s.beta == pytest.approx(s.beta_closed_form, rel=1e-9)
    assert s.regime in ("weak", "strong") and s.g_ueV > 0
    # RT: deep bad-emitter, weak coupling, I ~ 0 (D1: dielectric cavities always weak at RT)
    rt = score(cav, preset_emitter("CsPbBr3"))
    assert rt.regime == "weak" and rt.indistinguishability < 0.01
