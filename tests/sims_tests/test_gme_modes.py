"""Pure numerics of the GME screen (sims.gme_modes, sims.gme.spectrum) on synthetic fields and
channels with known answers: no legume."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import trapezoid

from emitter._constants import PURCELL_PREFACTOR
from sims import gme_modes
from sims.gme import spectrum
from sims.gme_modes import Candidate, MapGrid


def test_parity_follows_the_dipole_component_on_the_mirror_plane():
    # k along x: mirror y -> -y flips E_y, so a y dipole drives the "odd" modes (legume's name)
    assert gme_modes.parity("y", 0.0) == "odd"
    assert gme_modes.parity("x", 0.0) == "even"
    assert gme_modes.parity("x", 90.0) == "odd"
    assert gme_modes.parity("y", 90.0) == "even"
    assert gme_modes.parity("z", 0.0) == gme_modes.parity("z", 90.0) == "even"


def test_synthesize_equals_the_direct_fourier_sum():
    rng = np.random.default_rng(7)
    grid = MapGrid.for_cell(6.0, 4.0, 5)
    n1 = rng.integers(-5, 6, 40)
    n2 = rng.integers(-4, 5, 40)
    c = rng.normal(size=40) + 1j * rng.normal(size=40)
    fast = grid.synthesize(n1, n2, c)
    x, y = np.meshgrid(grid.x, grid.y)
    direct = sum(ci * np.exp(2j * math.pi * (a * x / 6.0 + b * y / 4.0))
                 for a, b, ci in zip(n1, n2, c, strict=True))
    print(f"max |fast - direct| = {np.max(np.abs(fast - direct)):.2e} (tolerance 1e-10)")
    assert np.max(np.abs(fast - direct)) < 1e-10


def test_localisation_of_a_gaussian_and_of_an_extended_mode():
    grid = MapGrid.for_cell(16.0, 12.0, 8)
    x, y = np.meshgrid(grid.x, grid.y)
    w = 1.0
    spot = np.exp(-(x ** 2 + y ** 2) / w ** 2)
    # analytic: erf(L/4 / w)^2 of a Gaussian exp(-r²/w²) inside |x| < 4, |y| < 3
    expected = math.erf(4 / w) * math.erf(3 / w)
    got = gme_modes.localisation(grid, spot)
    print(f"Gaussian spot: {got:.4f} vs {expected:.4f} (tolerance 1e-3)")
    assert got == pytest.approx(expected, abs=1e-3)
    band = np.cos(2 * math.pi * x / 2.0) ** 2  # a Bloch-like mode filling the cell
    assert gme_modes.localisation(grid, band) == pytest.approx(0.25, abs=0.01)
    assert gme_modes.localisation(grid, band) < gme_modes.LOCALISATION_MIN


def _gaussian_candidate(freq: float, *, node: bool = False, spread: float = 1.0,
                        grid: MapGrid) -> Candidate:
    """A mode exp(-r²/(2 s²)) normalised to ∫ε|E|² dV = 1 in a slab-like box of height 1 with
    ε = 4 (V = ε ∫|E|² / (ε max|E|²) = 2π s² · 1), or with a node at the emitter."""
    eps = 4.0
    amp2 = 1.0 / (eps * 2 * math.pi * spread ** 2)  # max |E|² so that ∫ε|E|² = 1
    x, y = np.meshgrid(grid.x, grid.y)
    energy = eps * amp2 * np.exp(-(x ** 2 + y ** 2) / spread ** 2)
    e0 = 0.0 if node else math.sqrt(amp2)
    return Candidate.from_map(frequency=freq, emitter_field=(0.0, e0, 0.0), emitter_eps=eps,
                              dipole="y", grid=grid, energy=energy)


def test_mode_volume_of_a_normalised_gaussian():
    grid = MapGrid.for_cell(16.0, 16.0, 8)
    c = _gaussian_candidate(0.3, spread=1.3, grid=grid)
    v_emitter = 1.0 / c.emitter_coupling
    expected = 2 * math.pi * 1.3 ** 2
    print(f"V at the emitter {v_emitter:.5f} vs 2π s² = {expected:.5f} (tolerance 1e-9)")
    assert v_emitter == pytest.approx(expected, rel=1e-9)
    assert 1.0 / c.peak_energy == pytest.approx(expected, rel=1e-9)  # the emitter is the peak
    assert c.axis_coupling == (0.0, 1.0, 0.0)


def test_rule_picks_the_localised_coupled_mode_nearest_the_target():
    grid = MapGrid.for_cell(16.0, 12.0, 8)
    x, y = np.meshgrid(grid.x, grid.y)
    band = Candidate.from_map(frequency=0.260, emitter_field=(0, 0.3, 0), emitter_eps=4.0,
                              dipole="y", grid=grid,
                              energy=np.cos(2 * math.pi * x / 2.0) ** 2)
    odd = _gaussian_candidate(0.268, node=True, grid=grid)  # localised, node at the emitter
    near = _gaussian_candidate(0.270, spread=1.5, grid=grid)
    far = _gaussian_candidate(0.300, spread=0.8, grid=grid)  # couples more, but far off
    cands = [band, odd, near, far]
    assert gme_modes.pick_cavity_mode(cands, target_frequency=0.27) == 2
    assert gme_modes.pick_cavity_mode(cands, target_frequency=0.31) == 3
    assert gme_modes.pick_cavity_mode([band, odd], target_frequency=0.27) is None


def test_collected_fraction_of_a_uniform_far_field():
    """Channels on a fine square grid of k∥ inside the light cone, equal power each, both
    sides: the fraction within NA on one side is NA²/2 (area ratio of the disks)."""
    step = 0.004
    g = np.arange(-1, 1 + step / 2, step)
    gx, gy = np.meshgrid(g, g)
    inside = np.hypot(gx, gy) <= 1.0
    gvec = np.vstack([gx[inside], gy[inside]])
    ones = np.ones(gvec.shape[1])
    coupling = {"u_te": ones, "u_tm": 0 * ones, "l_te": ones, "l_tm": 0 * ones}
    for na in (0.3, 0.65, 0.9):
        got = gme_modes.collected_fraction(coupling=coupling, gvec={"u": gvec, "l": gvec},
                                           k=(0.0, 0.0), omega=1.0, na=na, direction="up")
        print(f"NA {na}: {got:.4f} vs NA²/2 = {na ** 2 / 2:.4f} (tolerance 1 %)")
        assert got == pytest.approx(na ** 2 / 2, rel=0.01)
    down = gme_modes.collected_fraction(coupling=coupling, gvec={"u": gvec, "l": gvec},
                                        k=(0.1, 0.0), omega=1.0, na=0.65, direction="down")
    assert down == pytest.approx(0.65 ** 2 / 2, rel=0.02)


def test_loss_rates_are_averaged_not_quality_factors():
    f, q = gme_modes.average_loss([1e-5, 4e-5], [0.3, 0.3])
    assert q == pytest.approx(0.3 / (2 * 2.5e-5), rel=1e-12)
    with pytest.raises(ValueError, match="no k-point"):
        gme_modes.average_loss([], [])


def test_purcell_q_over_v_matches_the_emitter_model_prefactor():
    f = gme_modes.purcell_q_over_v(quality_factor=4000, volume_um3=0.55 * (0.52 / 2.0) ** 3,
                                   wavelength_um=0.52, refractive_index=2.0)
    assert f == pytest.approx(PURCELL_PREFACTOR * 4000 / 0.55, rel=1e-12)


def test_spectrum_holds_the_lorentzian_area():
    """∫(F - F_bg) dE over the tabulated spectrum = F_p π Γ/2 with Γ = E_c/Q (FWHM)."""
    lam, f = spectrum(wavelength_um=0.52, quality_factor=2000.0, peak=100.0, background=0.2,
                      window=(0.47, 0.57), points=1201)
    e = 1.0 / lam
    order = np.argsort(e)
    area = trapezoid((f - 0.2)[order], e[order])
    expected = 100.0 * math.pi * (1 / 0.52) / 2000.0 / 2
    print(f"area {area:.6g} vs {expected:.6g} (tolerance 2 %: tails beyond ±50 linewidths)")
    assert area == pytest.approx(expected, rel=0.02)
    assert f.max() == pytest.approx(100.2, rel=1e-3)
    assert lam.min() <= 0.47 and lam.max() >= 0.57
