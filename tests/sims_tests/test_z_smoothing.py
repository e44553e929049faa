"""Smoothing of horizontal faces in cylindrical runs (sims.z_smoothing): the disks' ε from the
voxel fill fractions (pure), and the LDOS above a membrane against the exact layered-medium
result (Meep)."""

from __future__ import annotations

import pytest

from cavities.materials import constant_index
from cavities.shapes import Layer
from cavities.structure import Structure
from sims import analytic
from sims.z_smoothing import z_face_slabs
from tests.conftest import requires_meep

EPS = 2.0585**2


def _membrane(**kw) -> Structure:
    return Structure(shapes=(Layer(material=constant_index("SiN", 2.0585), z_min_um=-0.1,
                                   z_max_um=0.1),), cell_size_um=(1.5, 1.5, 1.4),
                     dimensions="cylindrical", emitter_position_um=(0, 0, 0.105),
                     wavelength_min_um=0.47, wavelength_max_um=0.57, **kw)


def test_slab_permittivities_are_the_voxel_means():
    """Top face at z = 0.1 µm at 39 px/µm (Δ = 1/39): the in-plane samples on the plane
    k = 4 (z = 0.10256) see the voxel [3.5, 4.5]Δ, of which (0.1 − 3.5Δ)/Δ = 0.4 lies in the
    membrane: ε∥ = 0.4 ε + 0.6. E_z on the plane 3.5Δ (z = 0.08974) sees [3, 4]Δ, 0.9 of it in
    the membrane: 1/ε⊥ = 0.9/ε + 0.1."""
    slabs = [s for s in z_face_slabs(_membrane(), 39) if s.z_center_um > 0]
    par = next(s for s in slabs if s.component == "parallel")
    nor = next(s for s in slabs if s.component == "normal")
    d = 1 / 39
    assert par.z_center_um == pytest.approx(4 * d, abs=1e-12)
    assert nor.z_center_um == pytest.approx(3.5 * d, abs=1e-12)
    f = (0.1 - 3.5 * d) / d
    assert par.epsilon == pytest.approx(f * EPS + (1 - f), rel=1e-12)
    g = (0.1 - 3 * d) / d
    assert nor.epsilon == pytest.approx(1 / (g / EPS + (1 - g)), rel=1e-12)
    # each disk is thin enough to hold no sample of the other kind (those lie Δ/2 away)
    assert par.thickness_um < d and abs(par.z_center_um - nor.z_center_um) == pytest.approx(d / 2)
    assert z_face_slabs(_membrane(), 39)[0].r_max_um >= 1e4  # a Layer's face runs into the PML


def test_only_plain_dielectrics_in_cylindrical_runs_are_smoothed():
    from cavities.library import get_material

    metal = Structure(shapes=(Layer(material=get_material("Ag"), z_min_um=-0.1, z_max_um=0.1),),
                      cell_size_um=(1.5, 1.5, 1.4), dimensions="cylindrical",
                      emitter_position_um=(0, 0, 0.105), wavelength_min_um=0.47,
                      wavelength_max_um=0.57)
    assert z_face_slabs(metal, 40) == ()  # dispersive: Meep does not smooth those either
    three_d = Structure.from_dict({**_membrane().to_dict(), "dimensions": "3d"})
    assert z_face_slabs(three_d, 40) == ()  # 3D: Meep smooths there itself
    assert len(z_face_slabs(_membrane(), 40)) == 4  # two faces, two disks each


@pytest.mark.meep
@requires_meep
def test_membrane_ldos_converges_at_second_order_to_the_exact_result(sim_cache):
    """x dipole 5 nm above a 200 nm Si3N4 membrane (0.2 grid steps at 40 px/µm): the 40 and
    60 px/µm runs extrapolated at second order against sims.analytic.slab_rate. Measured:
    −11.3 % / −5.0 % at 40 / 60 px/µm, extrapolated within 0.1 %; without the smoothing the
    error jumped between +4 % and −20 % at 37-44 px/µm, so no extrapolation was possible."""
    from sims.accuracy import richardson
    from sims.config import SimConfig
    from sims.runner import simulate

    values = {}
    for res in (40.0, 60.0):
        cfg = SimConfig(resolution_px_per_um=res, pml_um=0.5, n_freqs=21, n_freqs_flux=5,
                        compute_mode_volume=False, compute_collection=False)
        values[res] = simulate(_membrane(dipole_orientation="x"), cfg, cache_dir=sim_cache)
    for lam in (0.48, 0.52, 0.56):
        exact = analytic.slab_rate(distance_um=0.005, wavelength_um=lam, slab_index=2.0585,
                                   thickness_um=0.2, orientation="parallel")
        f40, f60 = (values[r].spectra.total_at(lam) for r in (40.0, 60.0))
        extrapolated, _ = richardson([f40, f60], [40, 60], order=2)
        assert extrapolated == pytest.approx(exact, rel=0.015), f"{lam=}, {f40=}, {f60=}"
        assert abs(f60 / exact - 1) < abs(f40 / exact - 1)  # monotone convergence
