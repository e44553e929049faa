"""Rounded cylinder rims (``Cylinder.edge_radius_um``) and their grid terraces
(sims.rounded_edges), against closed-form geometry: Pappus's volume of a rounded cylinder, the
distance to a rounded rim, and the cache keys of cylinders without rounding."""

from __future__ import annotations

import math

import pytest

from cavities.library import get_material
from cavities.shapes import Cylinder, shape_from_dict, shape_to_dict
from sims.metal_distance import shape_distance_um
from sims.rounded_edges import terraces

AG = get_material("Ag")


def _pappus_volume(radius: float, height: float, a: float) -> float:
    """πR²h minus the two rims' spandrels (area a²(1 − π/4), centroid a(10 − 3π)/(3(4 − π))
    in from the corner of the cross-section) turned about the axis (Pappus)."""
    spandrel = a * a * (1 - math.pi / 4)
    centroid = radius - a * (10 - 3 * math.pi) / (3 * (4 - math.pi))
    return math.pi * radius ** 2 * height - 2 * 2 * math.pi * centroid * spandrel


@pytest.mark.parametrize("resolution", [125.0, 250.0, 333.0])
@pytest.mark.parametrize("radius, height, a, zc", [(0.044, 0.075, 0.009, 0.0455),
                                                   (0.03, 0.06, 0.03, 0.0),  # a sphere
                                                   (0.05, 0.02, 0.004, 0.0137)])
def test_terraces_keep_the_volume_and_sit_on_grid_planes(resolution, radius, height, a, zc):
    cyl = Cylinder(material=AG, center_um=(0, 0, zc), radius_um=radius, height_um=height,
                   edge_radius_um=a)
    steps = terraces(cyl, resolution)
    volume = sum(math.pi * t.radius_um ** 2 * t.height_um for t in steps)
    want = (4 / 3 * math.pi * radius ** 3 if a == radius == height / 2
            else _pappus_volume(radius, height, a))
    print(f"{len(steps)} terraces, volume {volume:.6e} vs {want:.6e} µm³")
    assert volume == pytest.approx(want, rel=1e-9)
    dz = 1 / resolution
    inner = [t.center_um[2] + s * t.height_um / 2 for t in steps for s in (-1, 1)]
    ends = (zc - height / 2, zc + height / 2)
    for z in inner:  # every cut is a face of the cylinder or a grid plane
        on_plane = abs(z / dz - round(z / dz)) < 1e-6
        assert on_plane or min(abs(z - e) for e in ends) < 1e-12, z
    rim_steps = [t for t in steps if t.height_um < dz * (1 + 1e-9)]
    assert all(t.radius_um <= radius + 1e-12 for t in steps)
    assert rim_steps, "the rims should be cut into steps of at most one grid step"


def test_sharp_cylinder_is_unchanged_and_keeps_its_dict():
    cyl = Cylinder(material=AG, center_um=(0, 0, 0.05), radius_um=0.04, height_um=0.06)
    assert terraces(cyl, 250) == (cyl,)
    assert "edge_radius_um" not in shape_to_dict(cyl)  # cache keys as before rounding existed
    rounded = Cylinder(material=AG, center_um=(0, 0, 0.05), radius_um=0.04, height_um=0.06,
                       edge_radius_um=0.01)
    assert shape_from_dict(shape_to_dict(rounded)) == rounded


def test_rounded_rim_contains_and_distance():
    a, radius, half = 0.01, 0.04, 0.03
    cyl = Cylinder(material=AG, center_um=(0, 0, 0), radius_um=radius, height_um=2 * half,
                   edge_radius_um=a)
    corner = (radius - a, 0.0, half - a)  # centre of the rim's quarter circle
    d = 0.004 / math.sqrt(2)
    outside_sharp = (radius - 0.001, 0.0, half - 0.001)  # inside the sharp corner only
    assert not cyl.contains(outside_sharp)
    assert Cylinder(material=AG, center_um=(0, 0, 0), radius_um=radius,
                    height_um=2 * half).contains(outside_sharp)
    p = (corner[0] + (a + 0.004) / math.sqrt(2), 0.0, corner[2] + (a + 0.004) / math.sqrt(2))
    assert shape_distance_um(cyl, p) == pytest.approx(0.004, rel=1e-9)
    assert cyl.contains((corner[0] + d, 0.0, corner[2] + d))
    assert shape_distance_um(cyl, (0.0, 0.0, half + 0.005)) == pytest.approx(0.005)


@pytest.mark.parametrize("kwargs", [dict(edge_radius_um=0.05),
                                    dict(edge_radius_um=0.01, axis="x"),
                                    dict(edge_radius_um=-0.001)])
def test_invalid_rounding_is_refused(kwargs):
    with pytest.raises(ValueError, match="edge_radius_um"):
        Cylinder(material=AG, center_um=(0, 0, 0), radius_um=0.04, height_um=0.06, **kwargs)


def test_a_rounded_metal_rim_is_judged_staircased():
    """The metal warning counts a rounded rim as a staircased (curved) surface: 16 steps, not
    the 4 of a smoothed face (sims.proximity)."""
    from cavities.structure import Structure
    from sims.proximity import metal_warning

    def structure(edge):
        disk = Cylinder(material=AG, center_um=(0, 0, 0.05), radius_um=0.044, height_um=0.08,
                        edge_radius_um=edge)
        return Structure(shapes=(disk,), cell_size_um=(0.6, 0.6, 0.6),
                         dimensions="cylindrical", dipole_orientation="z",
                         emitter_position_um=(0.0, 0.0, 0.0), wavelength_min_um=0.6,
                         wavelength_max_um=0.9)

    # the emitter 10 nm below the disk's flat face: 5 steps at 500 px/µm
    assert metal_warning(structure(0.0), 500.0) is None
    note = metal_warning(structure(0.008), 500.0)
    assert note is not None and "staircased" in note


def test_the_geometry_plot_draws_the_rounded_rims():
    """cavities.plotting's vectorised mask agrees with Cylinder.contains point by point."""
    import numpy as np

    from cavities.plotting import _mask

    cyl = Cylinder(material=AG, center_um=(0, 0, 0.01), radius_um=0.04, height_um=0.06,
                   edge_radius_um=0.012)
    pts = np.random.default_rng(0).uniform(-0.05, 0.05, size=(3, 4000))
    mask = _mask(cyl, pts[0], pts[1], pts[2])
    assert np.array_equal(mask, [cyl.contains(tuple(p)) for p in pts.T])
    sharp = Cylinder(material=AG, center_um=(0, 0, 0.01), radius_um=0.04, height_um=0.06)
    assert _mask(sharp, pts[0], pts[1], pts[2]).sum() > mask.sum()  # the rims are cut away
