"""``sims.grid``: pixel counts and the pole-stable Courant factor (pure, no Meep)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from cavities.library import get_material
from cavities.materials import VACUUM, Material, Pole, constant_index
from cavities.shapes import Block, Layer
from cavities.structure import Structure
from sims.config import SimConfig
from sims.grid import POLE_STABILITY, even_pixels, stable_courant
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)  # the grid module's convention: Meep length unit a = 1 µm


# -- even_pixels -------------------------------------------------------------------------------
@pytest.mark.parametrize("resolution", [10, 12.5, 20, 25, 30, 40, 50])
def test_even_pixels_is_the_smallest_even_count_covering_the_length(resolution):
    """Reference: exact decimal arithmetic (Fraction of the printed numbers), so float products
    such as 4.4 × 25 = 110.00000000000001 must not add two pixels. Exact (==)."""
    for k in range(1, 201):
        length_um = k / 20                                    # 0.05 … 10 µm
        got = even_pixels(length_um, resolution)
        exact = Fraction(str(length_um)) * Fraction(str(resolution))
        want = math.ceil(exact)
        want += want % 2
        assert got == want, f"{length_um=}, {resolution=}: {got=}, {want=}"
        assert got % 2 == 0 and got >= exact


def test_even_pixels_is_exact_for_integer_lengths():
    for length_um in range(1, 21):
        for resolution in (10, 15, 20, 25, 33):
            n = length_um * resolution
            assert even_pixels(float(length_um), resolution) == n + n % 2, f"{length_um=}"
    assert even_pixels(4.4, 25) == 110 and 4.4 * 25 > 110       # float noise is not a pixel


# -- stable_courant ----------------------------------------------------------------------------
def _structure(*materials: Material, background: Material = VACUUM) -> Structure:
    shapes = tuple(Block(center_um=(0.0, 0.0, 0.1 * i), size_um=(0.5, 0.5, 0.05), material=m)
                   for i, m in enumerate(materials))
    return Structure(shapes=shapes, background=background, cell_size_um=(2.0, 2.0, 2.0),
                     wavelength_min_um=0.5, wavelength_max_um=0.55)


def _lorentz(name: str, energy_ev: float, sigma: float, eps_inf: float = 1.0) -> Material:
    return Material(name=name, epsilon_inf=eps_inf,
                    poles=(Pole(kind="lorentzian", frequency_ev=energy_ev, gamma_ev=0.05,
                                sigma=sigma),))


def _omega_dt(energy_ev: float, sigma: float, eps_inf: float, courant: float,
              config: SimConfig) -> float:
    """2π f_eff Δt in Meep units: f_eff = f_n √(1 + σ/ε∞) (the zero of ε(f) of one Lorentz
    pole, the frequency at which the field and the polarisation oscillate together), and
    Meep's Δt = S / resolution."""
    f_eff = UNITS.frequency_mu_from_ev(energy_ev) * math.sqrt(1 + sigma / eps_inf)
    dt = courant / UNITS.resolution_mu(px_per_um=config.resolution_px_per_um)
    return 2 * math.pi * f_eff * dt


@pytest.mark.parametrize(("energy_ev", "sigma", "eps_inf"), [(10.0, 1.0, 1.0), (9.16, 3.0, 2.0),
                                                             (20.3, 1.1, 1.0)])
def test_a_limiting_pole_sets_two_pi_f_dt_to_the_bound(energy_ev, sigma, eps_inf):
    """A UV pole at 20 px/µm: S drops below config.courant so that 2π f_eff Δt =
    POLE_STABILITY; rel 1e-12 (the formula inverted, rounding only)."""
    config = SimConfig(resolution_px_per_um=20.0, courant=0.5)
    s = stable_courant(_structure(_lorentz("uv", energy_ev, sigma, eps_inf)), config)
    assert s < config.courant, f"{energy_ev=} should limit"
    got = _omega_dt(energy_ev, sigma, eps_inf, s, config)
    assert got == pytest.approx(POLE_STABILITY, rel=1e-12), f"{energy_ev=}, {sigma=}: {s=}"


def test_the_fastest_pole_of_all_materials_wins_background_included():
    config = SimConfig(resolution_px_per_um=20.0, courant=0.5)
    slow, fast = _lorentz("slow", 9.0, 1.0), _lorentz("fast", 15.0, 1.0)
    for structure in (_structure(slow, fast), _structure(fast, slow),
                      _structure(slow, background=fast)):
        s = stable_courant(structure, config)
        assert _omega_dt(15.0, 1.0, 1.0, s, config) == pytest.approx(POLE_STABILITY, rel=1e-12)


def test_the_configured_courant_when_no_pole_limits():
    """Exact (==): the function must return config.courant itself."""
    visible = _lorentz("visible", 2.0, 1.0)            # 2π f_eff Δt = 0.18 at 20 px/µm, S = 0.5
    for config in (SimConfig(resolution_px_per_um=20.0, courant=0.5),
                   SimConfig(resolution_px_per_um=40.0, courant=0.3)):
        assert _omega_dt(2.0, 1.0, 1.0, config.courant, config) < POLE_STABILITY
        for structure in (_structure(), _structure(constant_index("SiN", 2.0)),
                          _structure(visible), _structure(background=visible)):
            assert stable_courant(structure, config) == config.courant
    # the UV pole that limits at 20 px/µm does not at 100 px/µm (Δt is 5× smaller)
    fine = SimConfig(resolution_px_per_um=100.0, courant=0.5)
    assert _omega_dt(10.0, 1.0, 1.0, 0.5, fine) < POLE_STABILITY
    assert stable_courant(_structure(_lorentz("uv", 10.0, 1.0)), fine) == 0.5


def test_library_sellmeier_poles_are_limited_at_the_usual_resolution():
    """The documented case: the UV pole of Si3N4 (9.16 eV, σ = 3.02) at 20 px/µm with S = 0.5
    has 2π f_eff Δt = 2.3 (> 2, unstable); stable_courant lowers S to the bound."""
    config = SimConfig(resolution_px_per_um=20.0, courant=0.5)
    sin = get_material("Si3N4")
    (pole,) = sin.poles
    assert _omega_dt(pole.frequency_ev, pole.sigma, sin.epsilon_inf, 0.5, config) > 2
    structure = Structure(shapes=(Layer(z_min_um=-0.1, z_max_um=0.1, material=sin),),
                          cell_size_um=(2.0, 2.0, 2.0), wavelength_min_um=0.5,
                          wavelength_max_um=0.55)
    s = stable_courant(structure, config)
    assert _omega_dt(pole.frequency_ev, pole.sigma, sin.epsilon_inf, s, config) == pytest.approx(
        POLE_STABILITY, rel=1e-12)


# -- independent check of the bound: the leapfrog Lorentz oscillator ---------------------------
def _leapfrog_max_abs(omega_dt: float, steps: int = 10_000) -> float:
    """max |x_n| of x_{n+1} = 2 x_n − x_{n−1} − (ωΔt)² x_n (central differences of x'' = −ω² x)
    from x_0 = 1, x_1 = 1 − (ωΔt)²/2 (x'(0) = 0). For ωΔt < 2 the exact solution is
    x_n = cos(nθ), cos θ = 1 − (ωΔt)²/2, so |x_n| <= 1; for ωΔt > 2 one root of
    λ² − (2 − (ωΔt)²) λ + 1 = 0 has |λ| > 1 and x_n grows geometrically. Stops at 1e6."""
    s2 = omega_dt**2
    x_prev, x = 1.0, 1.0 - s2 / 2
    peak = 1.0
    for _ in range(steps):
        x_prev, x = x, (2 - s2) * x - x_prev
        peak = max(peak, abs(x))
        if peak > 1e6:
            break
    return peak


def test_leapfrog_oscillator_is_stable_at_the_returned_step_and_not_above_two():
    config = SimConfig(resolution_px_per_um=20.0, courant=0.5)
    energy_ev, sigma = 9.16, 3.0                                    # Si3N4's UV pole
    s = stable_courant(_structure(_lorentz("uv", energy_ev, sigma)), config)
    omega_dt = _omega_dt(energy_ev, sigma, 1.0, s, config)        # = POLE_STABILITY
    assert _leapfrog_max_abs(omega_dt) <= 1 + 1e-9, f"{omega_dt=}"
    assert _leapfrog_max_abs(_omega_dt(energy_ev, sigma, 1.0, 0.5, config)) > 1e6, \
        "the configured S = 0.5 (2π f Δt = 2.3) would have diverged"
    # the bound itself: bounded just below 2, unbounded just above (|λ| = 1.065 at 2.001)
    assert _leapfrog_max_abs(1.999) <= 1 + 1e-9
    assert _leapfrog_max_abs(2.001) > 1e6
    assert POLE_STABILITY < 2


def test_a_drude_pole_limits_at_its_screened_plasma_frequency():
    """A Drude term (Meep: σ f_n² / (−f² − iγf)) makes the field oscillate at f_n √(σ/ε∞), the
    screened plasma frequency, which has no Lorentzian '1 +'. Rakić's Ag: ω_p √f0 =
    9.01 √0.845 = 8.28 eV is above the bound at 10 px/µm with Courant 0.5 (2π f Δt = 2.1) and
    must be limited there; at 40 px/µm it does not limit: Ag then gets the factor of its
    Lorentzian poles alone."""
    ag = get_material("Ag")
    drude = [p for p in ag.poles if p.kind == "drude"]
    assert drude, "the library's Ag has a Drude term"
    plasma_ev = max(p.frequency_ev * math.sqrt(p.sigma / ag.epsilon_inf) for p in drude)
    assert plasma_ev == pytest.approx(9.01 * math.sqrt(0.845), rel=1e-3)
    coarse = SimConfig(resolution_px_per_um=10)
    s = stable_courant(_structure(ag), coarse)
    f = UNITS.frequency_mu_from_ev(plasma_ev)
    omega_dt = 2 * math.pi * f * s / UNITS.resolution_mu(px_per_um=10)
    assert s < 0.5 and omega_dt <= POLE_STABILITY * (1 + 1e-12)
    fine = SimConfig(resolution_px_per_um=40)
    lorentz_only = Material(name="Ag-lorentz", epsilon_inf=ag.epsilon_inf,
                            poles=tuple(p for p in ag.poles if p.kind == "lorentzian"))
    assert stable_courant(_structure(ag), fine) == stable_courant(_structure(lorentz_only), fine)
