"""Contract tests over every registered cavity family (no Meep needed)."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from cavities.base import FIDELITIES, CavityDesign, FabricationViolation
from cavities.registry import (FAMILIES, _load, design_from_dict, get_preset, list_presets)

_load()
FAMILY_NAMES = sorted(FAMILIES)
PRESET_NAMES = [name for name, _, _ in list_presets()]


def test_every_family_has_a_preset():
    families_with_preset = {family for _, family, _ in list_presets()}
    assert set(FAMILY_NAMES) <= families_with_preset, (FAMILY_NAMES, families_with_preset)


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_defaults_valid_and_json_round_trip(family):
    cls = FAMILIES[family]
    design = cls()
    assert isinstance(design, CavityDesign)
    again = design_from_dict(json.loads(json.dumps(design.to_dict())))
    assert again == design
    design.check_fabrication()  # defaults are fabricable


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_bounds_are_fields_and_contain_the_default(family):
    cls = FAMILIES[family]
    design = cls()
    fields = {f.name for f in dataclasses.fields(cls)}
    for name, b in cls.BOUNDS.items():
        assert name in fields, f"{family}: bound for unknown field {name}"
        value = getattr(design, name)
        if value is None:  # "same as another parameter" defaults
            continue
        assert b.low <= value <= b.high, f"{family}.{name}={value} outside [{b.low}, {b.high}]"


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_scale_lengths_are_searchable_lengths(family):
    """``SCALE_LENGTHS`` (what makes ``tune="auto"`` tune a search) names searchable lengths."""
    cls = FAMILIES[family]
    assert cls.SCALE_LENGTHS, f"{family}: no length sets its mode's scale"
    for name in cls.SCALE_LENGTHS:
        assert name in cls.BOUNDS and name.endswith("_um"), f"{family}: {name}"


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_invalid_values_name_the_field(family):
    cls = FAMILIES[family]
    for name, b in cls.BOUNDS.items():
        if b.low <= 0:
            continue
        with pytest.raises(ValueError, match=name):
            cls(**{name: -1.0})
        with pytest.raises(ValueError, match=name):
            cls(**{name: math.nan})
    with pytest.raises(ValueError, match="dipole_orientation"):
        cls(dipole_orientation="w")
    with pytest.raises(ValueError, match="no parameter"):
        cls().replace(not_a_parameter=1.0)


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_fabrication_violation_names_parameter_value_and_limit(family):
    design = FAMILIES[family]()
    # an absurd process limit fails at least one rule, and says which and why
    violations = design.fabrication_violations(min_feature_um=10.0)
    assert violations, f"{family}: no rule fails at min_feature_um=10 µm"
    with pytest.raises(FabricationViolation) as err:
        design.check_fabrication(min_feature_um=10.0)
    assert "10" in str(err.value) and "_um" in str(err.value), str(err.value)


@pytest.mark.parametrize("preset", PRESET_NAMES)
@pytest.mark.parametrize("fidelity", FIDELITIES)
def test_preset_structure_geometry(preset, fidelity):
    design = get_preset(preset)
    s = design.to_structure(fidelity)
    half = [c / 2 for c in s.cell_size_um]
    for i, p in enumerate(s.emitter_position_um):
        if s.dimensions == "2d" and i == 2:
            continue
        assert abs(p) < half[i], f"emitter {s.emitter_position_um} outside cell {s.cell_size_um}"
    for shape in s.shapes:
        if shape.type == "layer":
            continue
        if shape.type == "sphere" and shape.radius_um > 2 * max(half):
            continue  # a sphere larger than the cell is a curved layer (open-cavity mirror)
        for axis, (lo, hi) in enumerate(shape.bounds_um()):
            if s.dimensions == "2d" and axis == 2:
                continue
            if s.dimensions == "cylindrical" and axis == 1:
                continue
            inside = lo >= -half[axis] - 1e-9 and hi <= half[axis] + 1e-9
            through = lo < -half[axis] and hi > half[axis]  # e.g. a waveguide into the PML
            assert inside or through, (
                f"{preset}: {shape.type} spans [{lo}, {hi}] on axis {axis}, cut by the cell "
                f"boundary at ±{half[axis]}")
    mat = s.emitter_material
    assert not mat.perfect_conductor
    assert mat.permittivity(s.target_um).real > 0, f"{preset}: emitter inside a metal"
    assert s.wavelength_min_um < s.target_um < s.wavelength_max_um
    assert s.dipole_orientation in type(design).SUPPORTED_ORIENTATIONS


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_geometry_plot(preset, tmp_path):
    fig = get_preset(preset).plot_geometry("screen")
    fig.savefig(tmp_path / "g.png")
    assert (tmp_path / "g.png").stat().st_size > 5000


def test_cavity_cli(tmp_path, capsys):
    from cavities.cli import main

    assert main(["presets"]) == 0
    assert "bullseye_sin_520" in capsys.readouterr().out
    assert main(["show", "bullseye_sin_520", "--set", "trench_width_um=0.01", "--out",
                 str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "trench_width_um=0.01" in err
    assert json.loads((tmp_path / "design.json").read_text())["family"] == "bullseye"
    assert (tmp_path / "geometry.png").stat().st_size > 5000
    assert main(["show", "bulseye", "--out", str(tmp_path)]) == 2
    assert "Did you mean" in capsys.readouterr().err
