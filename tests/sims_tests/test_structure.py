"""Structure validation, symmetry detection and JSON round trip (pure)."""

from __future__ import annotations

import pytest

from cavities.materials import PEC, VACUUM, constant_index
from cavities.shapes import Block, Cylinder, Layer, Sphere
from cavities.structure import Structure

SIN = constant_index("SiN", 2.0)


def _s(**kw) -> Structure:
    base = dict(cell_size_um=(2.0, 2.0, 2.0), wavelength_min_um=0.5, wavelength_max_um=0.55)
    base.update(kw)
    return Structure(**base)


def test_symmetry_follows_dipole_and_geometry():
    holes = tuple(Cylinder(center_um=(x, 0.0, 0.0), radius_um=0.05, height_um=0.2,
                           material=VACUUM) for x in (-0.3, 0.3))
    slab = Block(center_um=(0, 0, 0), size_um=(1.5, 1.5, 0.2), material=SIN)
    s = _s(shapes=(slab, *holes), dipole_orientation="x")
    assert s.mirror_symmetries() == (("x", -1), ("y", 1), ("z", 1))
    s = _s(shapes=(slab, *holes), dipole_orientation="z")
    assert s.mirror_symmetries() == (("x", 1), ("y", 1), ("z", -1))
    # one hole shifted: no x mirror
    shifted = (slab, holes[0], Cylinder(center_um=(0.31, 0, 0), radius_um=0.05, height_um=0.2,
                                        material=VACUUM))
    assert [a for a, _ in _s(shapes=shifted).mirror_symmetries()] == ["y", "z"]
    # substrate below: no z mirror; emitter off the plane: no mirror there
    sub = Layer(z_min_um=-1.0, z_max_um=-0.1, material=SIN)
    assert [a for a, _ in _s(shapes=(sub,)).mirror_symmetries()] == ["x", "y"]
    s = _s(emitter_position_um=(0.1, 0.0, 0.0))
    assert [a for a, _ in s.mirror_symmetries()] == ["y", "z"]


def test_order_matters_for_overlapping_shapes():
    # a SiN block and an air hole, mirrored order differs -> still symmetric only if runs match
    a = Block(center_um=(-0.2, 0, 0), size_um=(0.2, 0.2, 0.2), material=SIN)
    b = Block(center_um=(0.2, 0, 0), size_um=(0.2, 0.2, 0.2), material=SIN)
    hole = Sphere(center_um=(0.2, 0, 0), radius_um=0.05, material=VACUUM)
    assert "x" not in [ax for ax, _ in _s(shapes=(a, b, hole)).mirror_symmetries()]


def test_cylindrical_rules():
    with pytest.raises(ValueError, match="not rotationally symmetric"):
        _s(dimensions="cylindrical", shapes=(Block(center_um=(0, 0, 0), size_um=(0.2, 0.2, 0.2),
                                                    material=SIN),))
    # off the axis the emitter sits in the (r, z) half-plane: r0 = x >= 0, y = 0
    assert _s(dimensions="cylindrical", emitter_position_um=(0.1, 0.0, 0.0)).is_off_axis_dipole
    with pytest.raises(ValueError, match=r"r0 >= 0 and y = 0"):
        _s(dimensions="cylindrical", emitter_position_um=(0.0, 0.1, 0.0))
    s = _s(dimensions="cylindrical", shapes=(Cylinder(center_um=(0, 0, 0), radius_um=0.3,
                                                      height_um=0.2, material=SIN),))
    assert s.mirror_symmetries() == ()


@pytest.mark.parametrize(("kw", "field"), [
    ({"wavelength_min_um": 0.6}, "wavelength_max_um > wavelength_min_um"),
    ({"emitter_position_um": (0, 0, 1.5)}, "emitter_position_um"),
    ({"dimensions": "1d"}, "dimensions"),
    ({"dipole_orientation": "w"}, "dipole_orientation"),
    ({"boundaries": ("pml", "pml", "open")}, "boundaries"),
    ({"collection_na": 0}, "collection_na"),
])
def test_validation_messages_name_the_field(kw, field):
    with pytest.raises(ValueError, match=field):
        _s(**kw)


def test_material_lookup_and_round_trip():
    s = _s(shapes=(Layer(z_min_um=-1, z_max_um=0, material=SIN),
                   Sphere(center_um=(0, 0, -0.2), radius_um=0.1, material=PEC)),
           emitter_position_um=(0, 0, 0.01))
    assert s.emitter_material == VACUUM
    assert s.material_at((0, 0, -0.5)) == SIN
    assert s.material_at((0, 0, -0.2)) == PEC
    assert Structure.from_dict(s.to_dict()) == s
