"""Geometry of the open-microcavity and microsphere families (no Meep)."""

from __future__ import annotations

import math

import pytest

from cavities.families.microsphere import Microsphere
from cavities.families.open_cavity import OpenCavity
from cavities.library import get_material


def _index_at(structure, r_um: float, z_um: float) -> float:  # noqa: ANN001
    mat = structure.material_at((r_um, 0.0, z_um))
    return mat.index(structure.target_um).real


def test_open_cavity_layers_where_the_design_says():
    d = OpenCavity()
    s = d.to_structure("screen")
    z0 = d.mirror_surface_z_um
    n_h = get_material("TiO2").index(0.52).real
    n_l = get_material("SiO2").index(0.52).real
    # planar stack: low-index layer on top (antinode at the surface), then high index
    assert _index_at(s, 0.0, z0 - 0.01) == pytest.approx(n_l)
    assert _index_at(s, 0.0, z0 - 0.52 / (4 * n_l) - 0.01) == pytest.approx(n_h)
    # gap up to the apex of the curved mirror, then its low-index layer
    assert _index_at(s, 0.0, z0 + d.mirror_separation_um - 0.01) == pytest.approx(1.0)
    assert _index_at(s, 0.0, z0 + d.mirror_separation_um + 0.01) == pytest.approx(n_l)
    # off the axis the curved mirror comes down by the sagitta R - sqrt(R² - r²)
    r = 1.0
    sag = d.radius_of_curvature_um - math.sqrt(d.radius_of_curvature_um**2 - r**2)
    assert d.sagitta_um(r) == pytest.approx(sag)
    assert _index_at(s, r, z0 + d.mirror_separation_um - sag - 0.005) == pytest.approx(1.0)
    assert _index_at(s, r, z0 + d.mirror_separation_um - sag + 0.005) == pytest.approx(n_l)
    # above both stacks: the glass substrates
    half = s.cell_size_um[2] / 2
    assert _index_at(s, 0.0, half - 0.01) == pytest.approx(n_l)
    assert _index_at(s, 0.0, -half + 0.01) == pytest.approx(n_l)
    # the emitter sits on the planar mirror, in the gap
    assert s.emitter_position_um[2] == pytest.approx(z0 + d.emitter_height_um)
    assert s.dimensions == "cylindrical"


def test_open_cavity_polymer_film_holds_the_emitter():
    d = OpenCavity(host="PMMA", host_thickness_um=0.04, emitter_height_um=0.02)
    s = d.to_structure("screen")
    n_pmma = get_material("PMMA").index(0.52).real
    assert s.emitter_material.index(0.52).real == pytest.approx(n_pmma)
    assert d.mirror_layers()["bottom"][0] == (pytest.approx(n_pmma), 0.04)
    # the analytic model's gap (film counted as a mirror layer) is the air on the axis
    z0 = d.mirror_surface_z_um
    assert d.gap_length_um == pytest.approx(d.mirror_separation_um - 0.04)
    assert _index_at(s, 0.0, z0 + 0.04 - 0.003) == pytest.approx(n_pmma)
    assert _index_at(s, 0.0, z0 + 0.04 + 0.003) == pytest.approx(1.0)
    assert _index_at(s, 0.0, z0 + 0.04 + d.gap_length_um - 0.003) == pytest.approx(1.0)
    assert _index_at(s, 0.0, z0 + 0.04 + d.gap_length_um + 0.003) > 1.4
    with pytest.raises(ValueError, match="emitter_height_um < host_thickness_um"):
        OpenCavity(host="PMMA", host_thickness_um=0.01, emitter_height_um=0.02)
    with pytest.raises(ValueError, match="host_thickness_um"):
        OpenCavity(host="air", host_thickness_um=0.01)


def test_open_cavity_refuses_unstable_or_touching_mirrors():
    with pytest.raises(ValueError, match="stable only for L < R"):
        OpenCavity(mirror_separation_um=3.0, radius_of_curvature_um=2.5)
    with pytest.raises(ValueError, match="would touch the planar mirror"):
        OpenCavity(mirror_separation_um=0.35, radius_of_curvature_um=2.0)
    with pytest.raises(ValueError, match="bottom_pairs"):
        OpenCavity(bottom_pairs=0)


def test_open_cavity_cell_follows_the_mode_waist():
    # w0² = (λ/π) sqrt(L (R − L)); the cell is 3.5 w0 in radius
    d = OpenCavity(mirror_separation_um=1.0, radius_of_curvature_um=10.0)
    w0 = math.sqrt(0.52 / math.pi * math.sqrt(1.0 * 9.0))
    assert d.waist_um == pytest.approx(w0)
    assert d.to_structure().cell_size_um[0] == pytest.approx(2 * 3.5 * w0)


def test_microsphere_geometry():
    d = Microsphere(sphere_radius_um=1.2, emitter_gap_um=0.02, substrate="SiO2")
    s = d.to_structure("full")
    assert s.emitter_position_um == (0.0, 0.0, pytest.approx(1.22))
    n = get_material("SiO2").index(0.52).real
    assert _index_at(s, 0.0, 1.19) == pytest.approx(n)  # inside the sphere
    assert _index_at(s, 0.0, 1.21) == pytest.approx(1.0)  # between sphere and emitter
    assert _index_at(s, 1.3, -1.25) == pytest.approx(n)  # the substrate below
    assert _index_at(s, 1.3, 0.0) == pytest.approx(1.0)
    assert s.cell_size_um[0] / 2 > 1.2 and s.cell_size_um[2] / 2 > 1.22
