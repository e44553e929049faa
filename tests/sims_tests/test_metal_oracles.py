"""Meep near metals against exact answers: a dipole above Ag and Au half-spaces (REFERENCES A4,
sims.layered), in a 10 nm gap between Ag half-spaces (sims.layered.mim_rate) and near an Ag
sphere (Mie theory, REFERENCES A2). Each case runs on three grids (metal faces smoothed by
sims.runner.simulate) and is extrapolated with the observed order (sims.metal_convergence); the
test checks the extrapolated value within 10 % of the reference and that the stated error
(grid convergence index + the change a thicker PML makes) covers the reference. The grids,
measured errors and wall times: README "Emitters near metals", benchmarks/metal_convergence.py.
"""

from __future__ import annotations

import dataclasses

import pytest

from sims import metal_cases
from sims.config import SimConfig
from sims.metal_convergence import converge
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep,
              pytest.mark.filterwarnings("ignore:structure .* runs into the PML")]

WAVELENGTHS_UM = (0.50, 0.52, 0.54)
TOLERANCE = 0.10
PML_UM, DOMAIN_PML_UM = 0.5, 0.7
GRIDS = {0.05: (60, 80, 120), 0.02: (140, 200, 300), 0.01: (280, 400, 600)}
"""3, 4 and 6 grid steps from the metal face (multiples of 20 px/µm keep it on a grid plane):
2 steps was pre-asymptotic for Au (+36 % at 100 px/µm, d = 20 nm)."""


def _config(pml_um: float = PML_UM) -> SimConfig:
    return SimConfig(pml_um=pml_um, compute_mode_volume=False, compute_collection=False,
                     n_freqs=21, n_freqs_flux=5)


def _check(case: metal_cases.MetalCase, grids, sim_cache, *, radiative: bool = False,
           tolerance: float = TOLERANCE, pml_um: float = PML_UM,
           domain_pml_um: float = DOMAIN_PML_UM) -> None:
    conv = converge(case.structure, _config(pml_um), resolutions=grids,
                    wavelengths_um=WAVELENGTHS_UM,
                    domain_config=_config(domain_pml_um), cache_dir=sim_cache)
    print(case.name, "grids", grids, "wall times", [round(t) for t in conv.wall_times_s], "s")
    print(conv.summary())
    for i, lam in enumerate(WAVELENGTHS_UM):
        ref_total, ref_rad = case.reference(lam)
        quantities = [("total", conv.total[i], ref_total)]
        if radiative:
            quantities.append(("radiative", conv.radiative[i], ref_rad))
        for name, est, ref in quantities:
            print(f"  {1e3 * lam:.0f} nm {name}: {est.value:.4f} ± {est.error:.4f} vs reference "
                  f"{ref:.4f} ({100 * (est.value / ref - 1):+.2f} %; tolerance "
                  f"{100 * tolerance:.0f} % and the stated error)")
            assert est.value == pytest.approx(ref, rel=tolerance), (name, lam)
            assert abs(est.value - ref) <= est.error, f"stated error misses the truth: {name}"


def test_dipole_50nm_above_silver_converges(sim_cache):
    """The cheap case in the default suite: an axial dipole 50 nm above Ag at 60/80/120 px/µm.
    (The same case with `Ag_JC` goes unstable in the cylindrical PML: README, "The planar
    stack through the cylindrical PML is unstable in long runs".)"""
    _check(metal_cases.half_space("Ag", 0.05, "z"), GRIDS[0.05], sim_cache)


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["z", "x"])
@pytest.mark.parametrize("metal", ["Ag", "Au"])
@pytest.mark.parametrize("distance_um", [0.01, 0.02, 0.05])
def test_dipole_above_metal_half_space(metal, distance_um, orientation, sim_cache):
    """d = 10 nm runs in a smaller cell (radius 0.15 µm, height 0.15 µm, PML 0.3 µm; the
    domain check with 0.5 µm): its grids go to 600 px/µm."""
    if (metal, distance_um, orientation) == ("Ag", 0.05, "z"):
        pytest.skip("in the default suite")
    if distance_um == 0.01:
        case = metal_cases.half_space(metal, distance_um, orientation, radius_um=0.15,
                                      height_um=0.15)
        _check(case, GRIDS[distance_um], sim_cache, pml_um=0.3, domain_pml_um=0.5)
    else:
        _check(metal_cases.half_space(metal, distance_um, orientation), GRIDS[distance_um],
               sim_cache)


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["z", "x"])
def test_dipole_in_a_silver_gap(orientation, sim_cache):
    """A dipole in the middle of a 10 nm vacuum gap between Ag half-spaces (2, 3 and 4 grid
    steps from each face at 400/600/800 px/µm) against sims.layered.mim_rate."""
    case = metal_cases.mim_gap("Ag", 0.01, orientation, radius_um=0.2, height_um=0.07)
    _check(case, (400, 600, 800), sim_cache, pml_um=0.3, domain_pml_um=0.5)


SPHERE_PLATEAU = pytest.mark.xfail(
    reason="a staircased curved metal surface does not converge in Meep 1.25 (no subpixel "
           "smoothing of dispersive media): measured at 200/300/400 px/µm (4/6/8 steps), "
           "d = 20 nm, 520 nm: radial +37.6/+15.8/+14.8 %, tangential +23.9/+6.6/+7.3 %; the "
           "extrapolations (+12.0 ± 12.4 %, +9.2 ± 8.0 %; +10.5 % at 500 nm) miss 10 %",
    strict=True)


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["z", "x"])
@pytest.mark.parametrize("distance_um", [pytest.param(0.01, marks=SPHERE_PLATEAU),
                                         pytest.param(0.02, marks=SPHERE_PLATEAU)])
def test_dipole_near_a_silver_sphere(distance_um, orientation, sim_cache):
    """Ag sphere a = 30 nm (curved: staircased, not smoothed), radial (z) and tangential (x)
    dipole, total and radiative (far field) against Mie theory; 4/6/8 grid steps. Known to
    fail (strict xfail, the measured plateau is in the marker): kept so that a fix shows."""
    if distance_um == 0.02:
        case = metal_cases.sphere("Ag", 0.03, 0.02, orientation)
        grids = (200, 300, 400)
    else:
        case = metal_cases.sphere("Ag", 0.03, 0.01, orientation, radius_um=0.15,
                                  height_um=0.3)
        grids = (400, 600, 800)
    _check(case, grids, sim_cache, radiative=True, pml_um=0.3, domain_pml_um=0.5)


@pytest.mark.parametrize("orientation", ["z", pytest.param("x", marks=pytest.mark.slow)])
def test_radiated_power_above_silver_is_the_far_field(orientation, sim_cache):
    """A dipole 20 nm above Ag at 100 px/µm: the radiative Purcell factor is the far field
    (sims.far_field from the flux box's faces), against the Sommerfeld integral over the
    propagating waves (sims.layered, within 5 %), and so is the collection into NA 0.65
    (within 5 %); the surface plasmon that leaves the box along the film is reported apart
    (purcell_bound, within 15 % of the plasmon power reaching the box radius). Measured: far
    field −0.2…−1.7 % (z), −1.4…−2.8 % (x); collection within 2.2 %; bound −2…−8 %. The box
    flux alone would be 5x (z) the far field."""
    import cmath
    import math

    from sims.layered import Side, layered_radiation
    from sims.runner import simulate

    case = metal_cases.half_space("Ag", 0.02, orientation)
    mat = case.structure.shapes[0].material
    cfg = dataclasses.replace(_config(), resolution_px_per_um=100.0, n_freqs_flux=7,
                              compute_collection=True)
    r = simulate(case.structure, cfg, cache_dir=sim_cache)
    assert r.spectra.purcell_bound is not None, "no far field computed"
    box_radius = r.provenance.cell_size_um[0] - PML_UM - 2 / 100.0
    kind = "perpendicular" if orientation == "z" else "parallel"
    for lam, rad, bound, coll in zip(r.spectra.flux_wavelength_um, r.spectra.purcell_radiative,
                                     r.spectra.purcell_bound, r.spectra.collection_efficiency,
                                     strict=True):
        if not 0.49 <= lam <= 0.57:
            continue
        eps = mat.permittivity(lam)
        ref = layered_radiation(wavelength_um=lam, emitter_index=1.0, orientation=kind, na=0.65,
                                below=Side(distance_um=0.02, half_space_permittivity=eps))
        decay = math.exp(-4 * math.pi / lam * cmath.sqrt(eps / (1 + eps)).imag * box_radius)
        plasmon_at_box = ref.surface_plasmon * decay
        ref_coll = ref.radiated_up_in_na / ref.radiated_up
        print(f"{1e3 * lam:.1f} nm: far field {rad:.4f} vs {ref.radiated_up:.4f} (5 %); "
              f"collection {coll:.4f} vs {ref_coll:.4f} (5 %); bound {bound:.3f} vs plasmon at "
              f"the box {plasmon_at_box:.3f} (15 %)")
        assert rad == pytest.approx(ref.radiated_up, rel=0.05)
        assert coll == pytest.approx(ref_coll, rel=0.05)
        assert bound == pytest.approx(plasmon_at_box, rel=0.15)
