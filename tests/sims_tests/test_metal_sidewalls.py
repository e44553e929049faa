"""Sidewall smoothing of metal cylinders (sims.metal_sidewalls): what each Yee column sees
against a numerical average of the original structure over the column's voxel."""

from __future__ import annotations

import numpy as np
import pytest

from cavities.library import get_material
from cavities.shapes import Cylinder, Layer, Sphere
from cavities.structure import Structure
from sims.metal_sidewalls import sidewall_rings, with_sidewall_smoothing
from sims.metal_smoothing import with_metal_smoothing

AG = get_material("Ag")
PMMA = get_material("PMMA")
LAMBDA_UM = 0.8


def _patch(radius_um: float, *, target_um: float = LAMBDA_UM) -> Structure:
    """An Ag disk on an 8 nm PMMA gap on an Au film (the nanocube screen's layout)."""
    return Structure(
        shapes=(Layer(material=get_material("Au"), z_min_um=-1.0, z_max_um=0.0),
                Layer(material=PMMA, z_min_um=0.0, z_max_um=0.008),
                Cylinder(material=AG, center_um=(0, 0, 0.008 + 0.0375), radius_um=radius_um,
                         height_um=0.075)),
        cell_size_um=(0.6, 0.6, 0.6), dimensions="cylindrical", dipole_orientation="z",
        emitter_position_um=(0.025, 0, 0.004), wavelength_min_um=0.6, wavelength_max_um=1.0,
        target_wavelength_um=target_um)


def _voxel_average(s: Structure, r_lo: float, r_hi: float, z: float, *, harmonic: bool
                   ) -> complex:
    """⟨ε⟩ (or 1/⟨1/ε⟩) over the annulus [r_lo, r_hi] at height z, weighted by r, by midpoint
    quadrature of the original structure's materials."""
    r = np.linspace(r_lo, r_hi, 20001)
    r = 0.5 * (r[1:] + r[:-1])
    eps = np.array([complex(s.material_at((x, 0.0, z)).permittivity(LAMBDA_UM)) for x in r])
    w = r / r.sum()
    return 1.0 / np.sum(w / eps) if harmonic else np.sum(w * eps)


@pytest.mark.parametrize("resolution", [250.0, 375.0, 500.0])
def test_each_column_sees_its_voxel_average(resolution):
    """E_z/E_φ columns (r = kΔ) see the arithmetic mean over their voxel, E_r columns
    (r = (j + ½)Δ) the harmonic one (its real part), pure columns their own material."""
    s = _patch(0.04231)
    t = with_sidewall_smoothing(with_metal_smoothing(s, resolution), s, resolution)
    dr = 1.0 / resolution
    z = 0.045  # mid-height of the disk, away from its faces
    checked = 0
    for k in range(6, 21):
        for rc, harmonic in ((k * dr, False), ((k + 0.5) * dr, True)):
            want = _voxel_average(s, rc - dr / 2, rc + dr / 2, z, harmonic=harmonic)
            got = complex(t.material_at((rc, 0.0, z)).permittivity(LAMBDA_UM))
            if harmonic and 0 < want.real <= 50:
                assert got.real == pytest.approx(want.real, rel=2e-3), (rc, want, got)
                assert got.imag == 0.0  # a constant permittivity: the loss is left out
            elif harmonic:  # metal, or so close to it that the column is drawn as metal
                assert got == complex(AG.permittivity(LAMBDA_UM)), (rc, want, got)
            else:
                assert got == pytest.approx(want, rel=2e-3, abs=1e-3), (rc, want, got)
            checked += 1
    assert checked == 30


def test_partial_columns_at_250_px_per_um():
    """R = 42.31 nm at 250 px/µm: the E_z/E_φ column at 44 nm holds 7.4 % Ag, the E_r column
    at 42 nm 56.6 % (a dielectric for E_r, where Meep's staircase makes it metal)."""
    rings = [g for g in sidewall_rings(_patch(0.04231), 250) if not g.corner]
    assert [(g.kind, round(1e3 * g.r_um, 6)) for g in rings] == [("parallel", 44.0),
                                                                 ("normal", 42.0)]
    par, nor = rings
    assert par.metal_share == pytest.approx((42.31**2 - 42**2) / (46**2 - 42**2), rel=1e-9)
    assert nor.metal_share == pytest.approx((42.31**2 - 40**2) / (44**2 - 40**2), rel=1e-9)
    assert nor.material.poles == () and 2.0 < nor.material.epsilon_inf < 3.0


def test_face_on_an_integer_plane_smooths_only_the_parallel_column():
    """R = 40 nm = 10 steps at 250 px/µm: the E_z/E_φ column on the face holds the r-weighted
    half-voxel share 1/2 − Δ/(8R); both E_r columns are whole."""
    (ring,) = [g for g in sidewall_rings(_patch(0.040), 250) if not g.corner]
    assert ring.kind == "parallel" and ring.r_um == pytest.approx(0.040)
    assert ring.metal_share == pytest.approx(0.5 - 0.004 / (8 * 0.040), rel=1e-9)


def test_rings_leave_the_rest_of_the_structure_alone():
    """The rings stop Δ/8 above the gap face (z = 8 nm, on an integer plane at 250 px/µm);
    on the face only the two partial columns change; away from them nothing changes."""
    s = _patch(0.04231)
    h = with_metal_smoothing(s, 250)
    t = with_sidewall_smoothing(h, s, 250)
    par, nor = (g for g in sidewall_rings(s, 250) if not g.corner)
    assert par.z_min_um == pytest.approx(0.008 + 0.0005) and nor.z_min_um == par.z_min_um
    assert par.z_max_um == pytest.approx(0.083)  # the top face is off the planes
    for r in (0.0, 0.02, 0.038, 0.040, 0.046, 0.06):
        assert t.material_at((r, 0.0, 0.008)) == h.material_at((r, 0.0, 0.008)), r
    for r, z in ((0.02, 0.03), (0.06, 0.03), (0.03, 0.004), (0.03, -0.1), (0.02, 0.0835)):
        assert t.material_at((r, 0.0, z)) == s.material_at((r, 0.0, z)), (r, z)


@pytest.mark.parametrize("resolution", [250.0, 375.0])
def test_gap_face_corner_is_the_average_of_its_two_half_voxels(resolution):
    """On the gap face the E_φ column averages PMMA below with the sidewall's arithmetic mean
    above, the E_r column PMMA below with the harmonic mean above (both tangential to the
    face): numerical averages over the original structure's voxel halves."""
    s = _patch(0.04231)
    t = with_sidewall_smoothing(with_metal_smoothing(s, resolution), s, resolution)
    dr, zf = 1.0 / resolution, 0.008
    corners = {g.kind: g for g in sidewall_rings(s, resolution) if g.corner
               and abs(g.z_min_um + g.width_um / 2 - zf) < 1e-12}
    assert set(corners) == {"parallel", "normal"}
    for kind, g in corners.items():
        below = _voxel_average(s, g.r_um - dr / 2, g.r_um + dr / 2, zf - dr / 4,
                               harmonic=kind == "normal")
        above = _voxel_average(s, g.r_um - dr / 2, g.r_um + dr / 2, zf + dr / 4,
                               harmonic=kind == "normal")
        want = 0.5 * (below + (above.real if kind == "normal" else above))
        got = complex(t.material_at((g.r_um, 0.0, zf)).permittivity(LAMBDA_UM))
        assert got == pytest.approx(want, rel=2e-3), (kind, want, got)


def test_other_geometries_are_left_alone():
    s = _patch(0.04231)
    sphere = Structure(shapes=(*s.shapes, Sphere(material=AG, center_um=(0, 0, 0.2),
                                                  radius_um=0.03)),
                       cell_size_um=s.cell_size_um, dimensions="cylindrical",
                       dipole_orientation="z", emitter_position_um=s.emitter_position_um,
                       wavelength_min_um=0.6, wavelength_max_um=1.0)
    assert with_sidewall_smoothing(sphere, sphere, 250) is sphere
    dielectric = Structure(shapes=(Cylinder(material=PMMA, center_um=(0, 0, 0.05),
                                            radius_um=0.04231, height_um=0.05),),
                           cell_size_um=(0.6, 0.6, 0.6), dimensions="cylindrical",
                           dipole_orientation="z", emitter_position_um=(0, 0, 0.1),
                           wavelength_min_um=0.6, wavelength_max_um=1.0)
    assert sidewall_rings(dielectric, 250) == ()
    film = Structure(shapes=(Cylinder(material=AG, center_um=(0, 0, -0.05), radius_um=0.3,
                                      height_um=0.1),),
                     cell_size_um=(0.6, 0.6, 0.6), dimensions="cylindrical",
                     dipole_orientation="z", emitter_position_um=(0, 0, 0.01),
                     wavelength_min_um=0.6, wavelength_max_um=1.0)
    assert sidewall_rings(film, 250) == ()  # a film through the PML to the cell's edge
