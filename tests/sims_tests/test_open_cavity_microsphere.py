"""Meep validations of the open-microcavity and microsphere families against independent models:
the paraxial plano-concave cavity with transfer-matrix mirrors (sims.gaussian_cavity) and Mie
theory (sims.analytic.mie_dipole_rates, REFERENCES A2). The high-Q cases are slow (several
minutes each); a low-Q Mie sphere built by the microsphere family runs in the default suite."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cavities.registry import get_preset
from sims import analytic
from sims.config import SimConfig
from sims.gaussian_cavity import paraxial_model
from sims.runner import simulate
from sims.screen import simulate_with_error
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep]


@pytest.mark.slow
def test_open_cavity_mode_matches_the_paraxial_cavity(sim_cache):
    """open_cavity_520 (TiO2/SiO2 stacks 6 + 5 pairs, R = 5 µm, L = 0.8 µm) at its screen
    fidelity (60 and 80 px/µm; 714 s on one core).

    * resonance (Richardson, second order) within 0.25 % of the paraxial Laguerre-Gauss
      condition with the stacks' reflection phases and Gouy phase (measured −0.13 %; at
      80/120 px/µm +0.06 %). Without the Gouy phase the model is 2 % off, with the mirrors'
      phase wrong by π 7 %;
    * Q on the finer grid within 15 % of λ|dΦ/dλ| / (−ln R_b R_t) from the transfer-matrix
      reflectivities (measured −2.8 %; 983 at 120 px/µm against 972); one mirror pair more or
      less changes Q about threefold;
    * the LDOS Purcell factor at the peak, less the off-resonance background (the LDOS at the
      window's red edge), within 20 % of 3/(4π²) λ³ Q/V of the paraxial mode (measured −13 %
      at 80 px/µm; at 120 px/µm −3 %).
    """
    design = get_preset("open_cavity_520")
    model = paraxial_model(design)
    lam_model = model.resonances_um(design.wavelength_min_um, design.wavelength_max_um)
    assert len(lam_model) == 1, lam_model
    lam_model = lam_model[0]
    # the screen as the optimiser runs it: 60 and 80 px/µm
    cfg = SimConfig(resolution_px_per_um=design.resolution_px_per_um("screen"),
                    **design.sim_defaults())
    r = simulate_with_error(design.to_structure("screen"), cfg,
                            grid_ratio=design.ERROR_GRID_RATIO,
                            orders=design.CONVERGENCE_ORDERS, cache_dir=sim_cache)
    lam = r.resonance.wavelength_um
    q_fine = r.accuracy.estimates["quality_factor"].values[-1]
    q_model = model.quality_factor(lam_model)
    spectrum = r.spectra
    background = spectrum.purcell_total[0]  # the red edge of the window (540 nm)
    f_mode = r.accuracy.estimates["purcell_total"].values[-1] - background
    f_model = model.purcell_factor(lam_model)
    print(f"resonance {1e3 * lam:.2f} nm (paraxial {1e3 * lam_model:.2f}); Q {q_fine:.0f} "
          f"(paraxial {q_model:.0f}); Purcell of the mode {f_mode:.2f} (Q/V {f_model:.2f}, "
          f"background {background:.2f})")
    assert lam == pytest.approx(lam_model, rel=0.0025)
    assert q_fine == pytest.approx(q_model, rel=0.15)
    assert f_mode == pytest.approx(f_model, rel=0.20)


@pytest.mark.slow
def test_microsphere_whispering_gallery_mode_matches_mie(sim_cache):
    """sio2_microsphere_520 (free SiO2 sphere, a = 1.5 µm, tangential dipole 10 nm above the
    pole) at 40 and 60 px/µm against Mie theory: the picked WGM within 0.15 % of the Mie LDOS
    peak (measured −0.025 % extrapolated, +0.17 % on the finer grid alone; the neighbouring
    WGMs are 2 % away), its Q on the finer grid within 10 % of the Mie peak's λ/FWHM (measured
    −0.1 %), the extrapolated total Purcell factor within 10 % of Mie's (measured +2.9 %), and
    radiated = total within 10 % (a lossless sphere; measured −4.9 % at 60 px/µm). 380 s."""
    design = get_preset("sio2_microsphere_520")
    a, d = design.sphere_radius_um, design.emitter_gap_um
    cfg = SimConfig(resolution_px_per_um=design.resolution_px_per_um("screen"),
                    **design.sim_defaults())
    r = simulate_with_error(design.to_structure("screen"), cfg,
                            grid_ratio=design.ERROR_GRID_RATIO,
                            orders=design.CONVERGENCE_ORDERS, cache_dir=sim_cache)
    lam = r.resonance.wavelength_um
    grid = np.linspace(lam - 0.004, lam + 0.004, 1601)
    mie = np.array([analytic.mie_dipole_rates(sphere_radius_um=a, distance_um=d,
                                              wavelength_um=w, sphere_index=1.4613
                                              ).total_tangential for w in grid])
    i = int(np.argmax(mie))
    half = 0.5 * (mie[i] + min(mie[0], mie[-1]))
    above = grid[mie > half]
    q_mie = grid[i] / (above[-1] - above[0])
    q_fine = r.accuracy.estimates["quality_factor"].values[-1]
    total = r.purcell_total_at_resonance
    fine_total = r.accuracy.estimates["purcell_total"].values[-1]
    fine_rad = r.accuracy.estimates["purcell_radiative"].values[-1]
    print(f"WGM {1e3 * lam:.2f} nm (Mie {1e3 * grid[i]:.2f}), Q {q_fine:.0f} (Mie {q_mie:.0f}), "
          f"total Purcell {total:.2f} (Mie {mie[i]:.2f}), radiated/total on the finer grid "
          f"{fine_rad / fine_total:.3f}")
    assert lam == pytest.approx(grid[i], rel=0.0015)
    assert q_fine == pytest.approx(q_mie, rel=0.10)
    assert total == pytest.approx(mie[i], rel=0.10)
    assert fine_rad == pytest.approx(fine_total, rel=0.10)
    assert math.isfinite(r.collection_efficiency_at_resonance)


def test_microsphere_family_mie_resonance(sim_cache):
    """The microsphere family with a TiO2 sphere (a = 250 nm, n = 2.46), radial (z) dipole 10 nm
    above the pole, one grid (90 px/µm), against the Mie LDOS spectrum with the same resonance
    rule (sims.peaks: centroid above half height; Mie: 506.3 nm, Purcell 15.0, Q ≈ 49; the next
    resonance is 9 % away): λ within 0.5 % (measured +0.26 %; 60/120 px/µm: +0.80/+0.15 %) and
    the total Purcell factor at the peak within 12 % (measured −8.8 %; 120 px/µm: +2 %)."""
    from cavities.families.microsphere import Microsphere
    from sims.peaks import resonance_peak

    design = Microsphere(material="TiO2", sphere_radius_um=0.25, dipole_orientation="z",
                         window_um=0.06)
    cfg = SimConfig(resolution_px_per_um=90.0, **design.sim_defaults())
    r = simulate(design.to_structure("screen"), cfg, cache_dir=sim_cache)
    grid = np.linspace(0.49, 0.55, 401)
    mie = [analytic.mie_dipole_rates(sphere_radius_um=0.25, distance_um=0.01, wavelength_um=w,
                                     sphere_index=2.46).total_radial for w in grid]
    ref = resonance_peak(grid, mie, target_um=0.52)
    lam = r.resonance.wavelength_um
    total = r.purcell_total_at_resonance
    print(f"resonance {1e3 * lam:.2f} nm (Mie {1e3 * ref.wavelength_um:.2f}), total Purcell "
          f"{total:.2f} (Mie {ref.height:.2f})")
    assert lam == pytest.approx(ref.wavelength_um, rel=0.005)
    assert total == pytest.approx(ref.height, rel=0.12)
