"""The plano-concave cavity model (sims.gaussian_cavity) against closed forms (no Meep)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sims.gaussian_cavity import Mirror, PlanoConcaveCavity, quarter_wave_stack
from sims.layered import Side, _stack

HARD = Mirror(films=(), half_space_permittivity=complex(-1e10, 1.0))  # a perfect conductor


def test_hard_mirror_resonances_follow_the_gouy_condition():
    # perfect mirrors reflect with phase π: 4πL/λ − 2(N+1)ψ = 2π(q − 1), ψ = arccos sqrt(1 − L/R)
    cav = PlanoConcaveCavity(length_um=1.0, radius_um=5.0, bottom=HARD, top=HARD)
    psi = math.acos(math.sqrt(1 - 1.0 / 5.0))
    assert cav.gouy_phase(0.52) == pytest.approx(psi, rel=1e-6)
    for order in (0, 2):
        got = cav.resonances_um(0.45, 0.6, order)
        want = sorted(2 * 1.0 / (q + (order + 1) * psi / math.pi) for q in range(1, 10)
                      if 0.45 < 2 / (q + (order + 1) * psi / math.pi) < 0.6)
        print("order", order, "resonances", got, "closed form", want)
        assert got == pytest.approx(want, abs=1e-5)  # 0.01 nm (the ε = −1e10 skin depth)


def test_waist_of_a_hard_mirror_cavity():
    cav = PlanoConcaveCavity(length_um=1.0, radius_um=5.0, bottom=HARD, top=HARD)
    # w0² = (λ/π) sqrt(L (R − L)) (Siegman, Lasers, ch. 19)
    assert cav.waist_um(0.52) == pytest.approx(math.sqrt(0.52 / math.pi * math.sqrt(4.0)),
                                               rel=1e-6)


def test_q_of_fresnel_mirrors_is_the_fabry_perot_q():
    # bare glass half-spaces (n = 1.5) as both mirrors: R = 0.04, no penetration, so
    # Q = 4πL / (λ (−ln R²)) with the physical L
    glass = Mirror(films=(), half_space_permittivity=complex(1.5**2))
    cav = PlanoConcaveCavity(length_um=2.0, radius_um=20.0, bottom=glass, top=glass)
    lam = cav.resonances_um(0.48, 0.58)[0]
    want = 4 * math.pi * 2.0 / (lam * -math.log(0.04**2))
    assert cav.quality_factor(lam) == pytest.approx(want, rel=1e-5)
    assert cav.effective_length_um(lam) == pytest.approx(2.0, rel=1e-5)


def test_diffraction_length_of_a_spaced_hard_mirror_is_the_spacing():
    spaced = Mirror(films=((1.0 + 0j, 0.1),), half_space_permittivity=complex(-1e10, 1.0))
    assert spaced.diffraction_length_um(0.52, 1.0) == pytest.approx(0.1, rel=1e-3)


@pytest.mark.parametrize("pairs,high,low", [(6, 2.46, 1.4613), (10, 2.06, 1.46)])
def test_diffraction_length_equals_the_angular_phase_penetration(pairs, high, low):
    # Second method: a hard mirror L_D behind the surface reflects a plane wave at angle θ
    # with the extra phase −k L_D θ²; read L_D off the stack's s and p phases at small angle
    # (transfer matrix at oblique incidence) and compare with the energy-weighted model.
    stack = quarter_wave_stack(pairs=pairs, high_index=high, low_index=low,
                               center_wavelength_um=0.52, substrate_index=low)
    lam = 0.515
    k = 2 * math.pi / lam
    s = 0.03
    side = Side(distance_um=1.0, half_space_permittivity=stack.half_space_permittivity,
                films=stack.films)
    rs, rp, _, _ = _stack(1.0, side, np.array([0.0, s]), k)
    angular = -0.5 * (np.angle(rs[1] / rs[0]) + np.angle(rp[1] / rp[0])) / (k * s * s)
    model = stack.diffraction_length_um(lam, 1.0)
    print(f"L_D energy-weighted {model:.4f} µm, from the angular phase {angular:.4f} µm")
    assert model == pytest.approx(angular, rel=0.02)


@pytest.mark.parametrize("gap_index", [1.0, 1.4613])
@pytest.mark.parametrize("gap_side", ["low", "high"])
def test_delay_penetration_of_a_long_quarter_wave_stack(gap_side, gap_index):
    # Many-pair limit of the group-delay penetration depth of a quarter-wave stack at its
    # centre wavelength (Babic & Corzine, IEEE JQE 28, 514 (1992)), as a length in the gap:
    # entered through the high-index layer L_τ = λ / (4 Δn); through the low-index layer
    # L_τ = λ n_H n_L / (4 n0² Δn)
    n_h, n_l, lam = 2.46, 1.4613, 0.52
    stack = quarter_wave_stack(pairs=40, high_index=n_h, low_index=n_l,
                               center_wavelength_um=lam, substrate_index=n_l, gap_side=gap_side)
    if gap_side == "high":
        want = lam / (4 * (n_h - n_l))
    else:
        want = lam * n_h * n_l / (4 * gap_index**2 * (n_h - n_l))
    got = stack.delay_length_um(lam, gap_index)
    print(f"L_τ {got:.5f} µm, closed form {want:.5f} µm")
    assert got == pytest.approx(want, rel=0.005)


def test_unstable_cavity_is_refused():
    with pytest.raises(ValueError, match="length_um < radius_um"):
        PlanoConcaveCavity(length_um=2.0, radius_um=1.0, bottom=HARD, top=HARD)


def test_model_of_an_open_cavity_design_and_purity():
    from cavities.registry import get_preset
    from sims.gaussian_cavity import paraxial_model
    from tests._imports import modules_loaded_by

    film = get_preset("farrow_2023_cspbi3")  # a 40 nm PMMA film under the air gap
    model = paraxial_model(film)
    assert model.length_um == pytest.approx(film.mirror_separation_um - 0.04)
    assert len(model.bottom.films) == 2 * film.bottom_pairs + 1
    assert len(model.top.films) == 2 * film.top_pairs
    # the preset is tuned so that the model's fundamental mode sits at its target
    (lam,) = model.resonances_um(film.wavelength_min_um, film.wavelength_max_um)
    assert lam == pytest.approx(film.target_wavelength_um, abs=0.002)
    assert modules_loaded_by("import sims.gaussian_cavity") == {"meep": False}


def test_separation_for_resonance_tunes_the_model():
    from cavities.registry import get_preset
    from sims.gaussian_cavity import paraxial_model, separation_for_resonance_um

    design = get_preset("open_cavity_520")
    sep = separation_for_resonance_um(design, 0.52)
    tuned = design.replace(mirror_separation_um=sep)
    (lam,) = paraxial_model(tuned).resonances_um(0.50, 0.54)
    assert lam == pytest.approx(0.52, abs=1e-6)
    # a mirror-spacing step of λ/2 moves the mode by about one order: the nearest root is
    # within λ/4 of the design's separation
    assert abs(sep - design.mirror_separation_um) < 0.52 / 4
    # tuning to a longer wavelength takes a longer gap (dλ/dL > 0)
    assert separation_for_resonance_um(design, 0.525) > sep
