"""``cavities.fabrication.fabrication_check``: what cannot be made is flagged, with a fix."""

from __future__ import annotations

import dataclasses

import pytest

from cavities import get_preset, list_presets
from cavities.fabrication import Finding, errors, fabrication_check


def _rules(findings, severity="error"):
    return [f.rule for f in findings if f.severity == severity]


def test_suspended_through_etched_bullseye_floats_without_tethers():
    d = get_preset("bullseye_sin_520")
    assert d.substrate == "none" and d.etch_depth_um is None
    (f,) = errors(fabrication_check(d))
    assert f.rule == "suspended_floating" and "float" in f.message and "tethers" in f.fix


@pytest.mark.parametrize("tethers", [3, 4, 8])
def test_tethers_make_it_pass(tethers):
    findings = fabrication_check(get_preset("bullseye_sin_520"), tethers=tethers)
    assert errors(findings) == [], [str(f) for f in findings]
    assert "tethers_not_simulated" in _rules(findings, "info")


def test_two_tethers_is_a_warning_and_too_many_is_an_error():
    d = get_preset("bullseye_sin_520")
    f2 = fabrication_check(d, tethers=2)
    assert not errors(f2) and "tethers" in _rules(f2, "warning")
    assert "tethers" in _rules(fabrication_check(d, tethers=30, tether_width_um=0.06))
    assert "min_feature" in _rules(fabrication_check(d, tethers=4, tether_width_um=0.02))


def test_on_glass_needs_no_tethers_and_partial_etch_cannot_release():
    d = get_preset("bullseye_sin_520")
    assert errors(fabrication_check(d.replace(substrate="SiO2"))) == []
    rel = errors(fabrication_check(d.replace(etch_depth_um=0.1)))
    assert [f.rule for f in rel] == ["release"] and "etch_depth_um=0.1" in rel[0].message


def test_trench_below_minimum_feature():
    d = get_preset("bullseye_sin_520").replace(trench_width_um=0.035, substrate="SiO2")
    (f,) = errors(fabrication_check(d, min_feature_nm=40))
    assert f.rule == "min_feature" and "trench_width_um" in f.message and "35" in f.message
    assert errors(fabrication_check(d, min_feature_nm=30)) == []


def test_shifted_end_holes_closer_than_min_wall():
    d = get_preset("sin_l3_520")
    a, r = d.lattice_um, d.hole_radius_um
    s = a - 2 * r - 0.010  # wall between end hole and its outer neighbour: 10 nm
    (f,) = errors(fabrication_check(d.replace(end_hole_shift_um=s), min_feature_nm=30))
    assert f.rule == "min_wall" and "10 nm" in f.message
    assert errors(fabrication_check(d.replace(end_hole_shift_um=s), min_wall_nm=5)) == []


def test_h1_neighbours_overlap():
    d = get_preset("h1_sin_520").replace(nn_shift_um=0.09, nn_radius_um=0.066)
    assert "min_wall" in _rules(fabrication_check(d))


def test_pillar_aspect_ratio_and_free_standing():
    d = get_preset("tio2_pillar_520").replace(diameter_um=0.04, height_um=0.5)
    f = fabrication_check(d)
    assert "aspect_ratio" in _rules(f) and "12.5" in str(f)
    assert "free_standing" in _rules(fabrication_check(
        get_preset("tio2_pillar_520").replace(substrate="none")))
    assert errors(fabrication_check(d, max_aspect_ratio=15, min_feature_nm=30)) == []


def test_coarse_grid_is_flagged():
    d = get_preset("nanobeam_sin_520")  # central walls 34 nm
    assert "grid" in _rules(fabrication_check(d, grid_nm=10), "warning")
    assert "grid" not in _rules(fabrication_check(d, grid_nm=1), "warning")


def test_presets_other_than_the_suspended_bullseye_can_be_made():
    bad = {n: [str(f) for f in errors(fabrication_check(get_preset(n)))]
           for n, _, _ in list_presets()}
    assert {n for n, v in bad.items() if v} == {"bullseye_sin_520"}, bad


def test_finding_is_frozen_and_validated():
    f = Finding(severity="error", rule="x", message="m.", fix="f.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.severity = "info"  # type: ignore[misc]
    with pytest.raises(ValueError, match="severity='fatal'"):
        Finding(severity="fatal", rule="x", message="m", fix="f")
