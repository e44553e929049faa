"""Emitters near metals: the distance to any metal shape, the face smoothing geometry, the
under-resolution warning, and that screens flag such results as not converged (pure; the
screen test uses a fake simulate)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from cavities.library import get_material
from cavities.materials import VACUUM
from cavities.shapes import Block, Cylinder, Layer, Sphere
from cavities.structure import Structure
from sims import metal_cases, proximity
from sims.metal_convergence import aligned_resolutions, converge, extrapolate
from sims.metal_distance import metal_distance_um, shape_distance_um
from sims.metal_smoothing import metal_face_slabs, unsmoothed_metal_faces, with_metal_smoothing

AG = get_material("Ag")


@pytest.mark.parametrize(("shape", "point", "expected"), [
    (Layer(material=VACUUM, z_min_um=-1.0, z_max_um=0.0), (0.3, 0.1, 0.02), 0.02),
    (Block(material=VACUUM, center_um=(0, 0, 0), size_um=(0.1, 0.1, 0.1)), (0.08, 0.0, 0.09),
     math.hypot(0.03, 0.04)),
    (Sphere(material=VACUUM, center_um=(0, 0, 0), radius_um=0.03), (0.0, 0.0, 0.05), 0.02),
    (Cylinder(material=VACUUM, center_um=(0, 0, 0), radius_um=0.05, height_um=0.1),
     (0.08, 0.0, 0.0), 0.03),
    (Cylinder(material=VACUUM, center_um=(0, 0, 0), radius_um=0.05, height_um=0.1, axis="x"),
     (0.0, 0.0, 0.06), 0.01),
    (Cylinder(material=VACUUM, center_um=(0, 0, 0), radius_um=0.1, height_um=0.1,
              top_radius_um=0.0), (0.0, 0.0, 0.07), 0.02),  # cone tip 20 nm below
    (Sphere(material=VACUUM, center_um=(0, 0, 0), radius_um=0.03), (0.0, 0.0, 0.01), 0.0),
])
def test_shape_distance(shape, point, expected):
    assert shape_distance_um(shape, point) == pytest.approx(expected, abs=1e-12)


def test_metal_distance_ignores_dielectrics_and_pec():
    s = Structure(shapes=(Layer(material=get_material("SiO2"), z_min_um=-1, z_max_um=0.0),
                          Layer(material=get_material("PEC"), z_min_um=-2, z_max_um=-1.0),
                          Cylinder(material=get_material("Au"), center_um=(0, 0, 0.1),
                                   radius_um=0.05, height_um=0.04)),
                  cell_size_um=(1, 1, 1), dimensions="cylindrical", dipole_orientation="z",
                  emitter_position_um=(0, 0, 0.03), wavelength_min_um=0.5,
                  wavelength_max_um=0.54)
    d, name = metal_distance_um(s)
    assert (round(d, 9), name) == (0.05, "Au")


def test_smoothing_slabs_only_on_grid_planes():
    case = metal_cases.half_space("Ag", 0.02, "z")
    (slab,) = metal_face_slabs(case.structure, 100)
    eps = slab.material.permittivity(0.52)
    assert eps == pytest.approx((AG.permittivity(0.52) + 1) / 2, rel=1e-12), "voxel mean"
    assert slab.z_center_um == metal_cases.FACE_Z_UM and slab.thickness_um == 0.0025
    assert metal_face_slabs(case.structure, 110) == ()  # -50 nm is 5.5 steps: off the planes
    assert unsmoothed_metal_faces(case.structure, 110) == (metal_cases.FACE_Z_UM,)
    assert aligned_resolutions(case.structure, [100, 110, 120, 130, 200]) == [100, 120, 200]


def test_smoothed_structure_draws_rings_inside_out():
    """A metal disk of radius 50 nm on a Layer of glass: its top face is metal|vacuum inside
    r < 50 nm; its bottom face metal|glass; the glass face outside is not a metal face."""
    glass = get_material("SiO2")
    s = Structure(shapes=(Layer(material=glass, z_min_um=-1, z_max_um=0.0),
                          Cylinder(material=AG, center_um=(0, 0, 0.02), radius_um=0.05,
                                   height_um=0.04)),
                  cell_size_um=(0.4, 0.4, 0.4), dimensions="cylindrical", dipole_orientation="z",
                  emitter_position_um=(0, 0, 0.06), wavelength_min_um=0.5, wavelength_max_um=0.54)
    t = with_metal_smoothing(s, 100)
    for z, r, expected in ((0.04, 0.02, (AG.permittivity(0.52) + 1) / 2),
                           (0.0, 0.02, (AG.permittivity(0.52) + glass.permittivity(0.52)) / 2),
                           (0.04, 0.1, 1.0), (0.0, 0.1, glass.permittivity(0.52)),
                           (0.02, 0.02, AG.permittivity(0.52))):
        got = t.material_at((r, 0.0, z)).permittivity(0.52)
        assert got == pytest.approx(expected, rel=1e-12), (z, r)


def test_metal_warning_scales_with_grid_step_over_distance():
    smoothed = metal_cases.half_space("Au", 0.02, "z").structure  # on grid planes at 100, 200
    curved = metal_cases.sphere("Ag", 0.03, 0.02, "z").structure
    assert proximity.metal_warning(smoothed, 200) is None  # 4 steps, smoothed
    warn = proximity.metal_warning(smoothed, 100)
    assert "2.0 grid steps" in warn and ">= 200 px/µm" in warn, warn
    assert proximity.metal_warning(smoothed, 200, smoothing=False) is not None
    warn = proximity.metal_warning(curved, 400)
    assert "staircased" in warn and ">= 800 px/µm" in warn, warn
    assert proximity.metal_warning(curved, 800) is None
    far = metal_cases.half_space("Ag", 0.1, "z").structure
    assert proximity.metal_warning(far, 100) is None  # 10 steps
    no_metal = dataclasses.replace(smoothed, shapes=())
    assert proximity.metal_warning(no_metal, 50) is None
    assert proximity.proximity_warning(curved, 200) == proximity.metal_warning(curved, 200)


def test_screen_near_metal_is_not_converged():
    """A two-grid screen of a dipole 2 steps from a metal is flagged not converged and says
    why (fake simulate: the flag must not depend on the numbers)."""
    from sims import screen
    from sims.config import SimConfig
    from sims.results import Mode, Provenance, SimResult, Spectra

    st = metal_cases.sphere("Ag", 0.03, 0.01, "z").structure

    def fake(structure, config, **kwargs):
        lam = (0.50, 0.52, 0.54)
        spectra = Spectra(wavelength_um=lam, purcell_total=(5.0, 6.0, 5.0),
                          flux_wavelength_um=lam, purcell_radiative=(1.0, 1.0, 1.0),
                          radiative_efficiency=(0.2, 0.17, 0.2))
        prov = Provenance(dimensions="cylindrical",
                          resolution_px_per_um=config.resolution_px_per_um,
                          cell_size_um=(1, 0, 1), pml_um=0.3, symmetries=(), cylindrical_m=0,
                          source_offset_um=(0, 0, 0), meep_version="fake", mpi_ranks=1,
                          time_steps=1, sim_time_fs=1.0, wall_time_s=1.0, meep_time_s=1.0,
                          stop_reason="fields decayed")
        return SimResult(structure=structure.to_dict(), config=config.to_dict(),
                         modes=(Mode(wavelength_um=0.52, quality_factor=5.0, amplitude_abs=1.0,
                                     harminv_error=0.0),), selected_mode=0,
                         mode_selection_rule="fake", refractive_index_at_emitter=1.0,
                         spectra=spectra, mode_volume=None, purcell_total_at_resonance=6.0,
                         purcell_radiative_at_resonance=1.0,
                         collection_efficiency_at_resonance=None, analytic_purcell=None,
                         analytic_over_ldos=None, provenance=prov)

    r = screen.simulate_with_error(st, SimConfig(resolution_px_per_um=200), simulate=fake)
    assert r.accuracy is not None and not r.accuracy.converged
    assert any("px/µm" in w and "from Ag" in w for w in r.warnings) or any(
        "interface" in n for n in r.accuracy.notes)


@pytest.mark.parametrize("c2", [0.05, 0.2, -0.3])
def test_extrapolation_error_covers_a_mixed_order_series(c2):
    """Three grids of a first-order series with a second-order part of either sign (the
    observed order then lies between 0.4 and 1.3, or is not trusted): the stated error covers
    the exact limit."""
    def f(r):
        return 4.0 * (1 - 0.4 * (100 / r) + c2 * (100 / r) ** 2)

    e = extrapolate([f(200), f(300), f(400)], [200, 300, 400])
    print(f"c2={c2}: extrapolated {e.value:.5f} ± {e.error:.5f}, order {e.order:.3f} "
          f"({'observed' if e.observed else 'assumed'}), exact 4")
    assert abs(e.value - 4.0) <= e.error


def test_converge_refuses_off_plane_faces():
    case = metal_cases.half_space("Ag", 0.02, "z")
    from sims.config import SimConfig

    with pytest.raises(ValueError, match="not on grid planes"):
        converge(case.structure, SimConfig(), resolutions=[100, 110],
                 wavelengths_um=[0.52], simulate=lambda *a, **k: None)


@pytest.mark.filterwarnings("ignore:structure .* runs into the PML")
def test_simulate_runs_the_smoothed_structure(monkeypatch):
    """sims.runner.simulate hands Meep the structure with its metal faces smoothed (and the
    plain one with eps_averaging off); smoothing twice adds nothing."""
    from sims import runner
    from sims.config import SimConfig

    seen = []

    class Stop(Exception):
        pass

    def fake_cached_raw(kind, structure, config, cache, **kwargs):
        if kind.startswith("structure"):
            seen.append(structure)
            raise Stop
        return None

    monkeypatch.setattr(runner, "cached_raw", fake_cached_raw)
    case = metal_cases.half_space("Ag", 0.02, "z")
    for averaging in (True, False):
        with pytest.raises(Stop):
            runner.simulate(case.structure, SimConfig(resolution_px_per_um=100,
                                                      eps_averaging=averaging), cache_dir=None)
    smoothed, plain = seen
    assert len(smoothed.shapes) == 2 and smoothed.shapes[1].material.name == "mean(Ag,vacuum)"
    assert plain == case.structure
    assert with_metal_smoothing(smoothed, 100) == smoothed
