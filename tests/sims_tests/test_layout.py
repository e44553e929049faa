"""The Meep-free cell/PML/monitor layout (sims.layout) that the backend and the figures share.

Expected numbers are worked out by hand from the rules in sims.layout (whole pixels; the flux
box is the interior shrunk by two pixels). That the Meep backend builds the same regions from
them is checked in test_meep_objects_come_from_the_pure_layout (Meep only, no simulation).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cavities.materials import constant_index
from cavities.shapes import Layer
from cavities.structure import Structure
from sims.config import SimConfig
from sims.layout import CellLayout, collection_plane, flux_faces, interior_region, regions_um
from tests.conftest import requires_meep
from tests._imports import modules_loaded_by

ROOT = Path(__file__).resolve().parents[2]


def _structure(**kw) -> Structure:
    args = dict(cell_size_um=(1.0, 0.8, 0.6), wavelength_min_um=0.5, wavelength_max_um=0.6)
    args.update(kw)
    return Structure(**args)


def test_3d_cell_box_and_plane_by_hand():
    # 39 px/µm: 1.0 µm -> 39 px -> 40 (even) = 1.02564 µm; 0.5 µm PML -> 19.5 -> 20 px
    lay = CellLayout(_structure(), SimConfig(resolution_px_per_um=39, pml_um=0.5))
    px = 1 / 39
    assert lay.pml == pytest.approx(20 * px, rel=1e-12)
    assert lay.interior == pytest.approx((40 * px, 32 * px, 24 * px), rel=1e-12)
    assert lay.cell_size() == pytest.approx((80 * px, 72 * px, 64 * px), rel=1e-12)
    assert lay.box_half() == pytest.approx((18 * px, 14 * px, 10 * px), rel=1e-12)
    faces = flux_faces(lay)
    assert len(faces) == 6 and sorted(f.weight for f in faces) == [-1, -1, -1, 1, 1, 1]
    center, size = collection_plane(lay, "down")
    assert (*center, *size) == pytest.approx((0, 0, -10 * px, 36 * px, 28 * px, 0), rel=1e-12)
    center, size = interior_region(lay)
    assert center == (0, 0, 0)
    assert size == pytest.approx((40 * px, 32 * px, 24 * px), rel=1e-12)


def test_cylindrical_and_2d_layouts_by_hand():
    cyl = CellLayout(_structure(dimensions="cylindrical", dipole_orientation="z"),
                     SimConfig(resolution_px_per_um=40, pml_um=0.5))
    assert cyl.cell_size() == pytest.approx((1.0, 0, 1.6), rel=1e-12)  # r: 0.5 + 0.5 PML
    # top and bottom discs (the bottom counted inward, weight -1) and the outer cylinder
    got = [(*f.center, *f.size, f.weight) for f in flux_faces(cyl)]
    expected = [(0.225, 0, 0.25, 0.45, 0, 0, 1.0), (0.225, 0, -0.25, 0.45, 0, 0, -1.0),
                (0.45, 0, 0, 0, 0, 0.5, 1.0)]
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, rel=1e-12, abs=1e-15), (g, e)
    flat = CellLayout(_structure(dimensions="2d", cell_size_um=(1.0, 0.8, 0.0)),
                      SimConfig(resolution_px_per_um=40, pml_um=0.5))
    assert flat.cell_size() == pytest.approx((2.0, 1.8, 0), rel=1e-12)
    assert len(flux_faces(flat)) == 4


def test_regions_in_um_for_figures():
    glass = constant_index("glass", 1.5)
    s = _structure(dimensions="cylindrical", dipole_orientation="z", collection_na=0.9,
                   collection_direction="down",
                   shapes=(Layer(z_min_um=-10.0, z_max_um=-0.1, material=glass),))
    r = regions_um(s, SimConfig(resolution_px_per_um=40, pml_um=0.5))
    assert r.cell_half_um == pytest.approx((1.0, 1.0, 0.8))
    assert r.interior_half_um == pytest.approx((0.5, 0.5, 0.3))
    assert r.pml_um == pytest.approx((0.5, 0.5, 0.5))
    assert r.flux_box_half_um == pytest.approx((0.45, 0.45, 0.25))
    assert r.collection_z_um == pytest.approx(-0.25)
    assert r.collection_index == pytest.approx(1.5)  # the glass under the emitter
    assert r.cone_half_angle_deg == pytest.approx(math.degrees(math.asin(0.9 / 1.5)))
    off = regions_um(s, SimConfig(resolution_px_per_um=40, pml_um=0.5,
                                  compute_collection=False))
    assert off.collection_z_um is None


def test_layout_and_figures_do_not_import_meep():
    code = "import sims.layout, cavities.plotting, cavities._plot_regions"
    assert modules_loaded_by(code) == {"meep": False}


@pytest.mark.meep
@requires_meep
def test_meep_objects_come_from_the_pure_layout():
    """Builds the mp objects only (no simulation); skipped without Meep."""
    from sims import _meep_geometry as g

    s = _structure()
    c = SimConfig(resolution_px_per_um=39, pml_um=0.5)
    lay = g.Layout(s, c)
    v = lambda x: (x.x, x.y, x.z)  # noqa: E731
    assert v(lay.cell()) == tuple(lay.cell_size())
    assert [(v(f.center), v(f.size), f.weight) for f in g.flux_regions(lay)] == [
        (f.center, f.size, f.weight) for f in flux_faces(lay)]
    assert (v(g.plane_volume(lay, "up").center), v(g.plane_volume(lay, "up").size)) == \
        collection_plane(lay, "up")
