"""GDS round trip: write each family with gdstk, read it back, compare with the analytic
geometry of the family parameters.

Error bound (cavities.fabrication.gds): a written outline of perimeter P differs in area from
the exact shape by at most P·(tol + g/√2), g the database grid and tol the chord tolerance
(default g/2); every vertex lies within g/√2 of the exact circle.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cavities import get_preset
from cavities.cli import main
from cavities.fabrication import DEFAULT_LAYERS, to_gds

gdstk = pytest.importorskip("gdstk")


def _read(path):
    lib = gdstk.read_gds(str(path))
    assert lib.unit == pytest.approx(1e-6, rel=1e-12)
    (top,) = lib.top_level()
    return lib, top


def _on(top, layer_name):
    lay, dt = DEFAULT_LAYERS[layer_name]
    return [p for p in top.get_polygons(depth=0) if (p.layer, p.datatype) == (lay, dt)]


def _bound_um2(perimeter_um, grid_nm, tol_nm=None):
    g = 1e-3 * grid_nm
    tol = g / 2 if tol_nm is None else 1e-3 * tol_nm
    return perimeter_um * (tol + g / math.sqrt(2))


def _assert_on_grid(polys, grid_nm):
    pts = np.concatenate([p.points for p in polys]) * 1e3 / grid_nm
    off = np.max(np.abs(pts - np.round(pts)))
    assert off < 1e-6, f"vertices off the {grid_nm} nm grid by {off} grid steps"


def _trenches(d):
    return [(d.disk_radius_um + i * d.period_um,
             d.disk_radius_um + i * d.period_um + d.trench_width_um) for i in range(d.n_rings)]


@pytest.mark.parametrize("grid_nm", [1.0, 5.0])
def test_bullseye_rings_round_trip(tmp_path, grid_nm):
    d = get_preset("bullseye_sin_520")
    _, top = _read(to_gds(d, tmp_path / "b.gds", name="bullseye_sin_520", grid_nm=grid_nm))
    polys = _on(top, "etch_full")
    assert len(polys) == d.n_rings
    _assert_on_grid(polys, grid_nm)
    rings = _trenches(d)
    exact = sum(math.pi * (ro**2 - ri**2) for ri, ro in rings)
    bound = _bound_um2(sum(2 * math.pi * (ri + ro) for ri, ro in rings), grid_nm)
    area = sum(p.area() for p in polys)
    assert abs(area - exact) <= bound, f"{area=}, {exact=}, {bound=} (grid {grid_nm} nm)"
    # each trench polygon: its vertices lie on r_in or r_out (within g/√2 of snapping)
    g = 1e-3 * grid_nm
    for p in polys:
        rho = np.hypot(*p.points.T)
        (ri, ro), = [(a, b) for a, b in rings if a - g < rho.min() < a + g]
        dev = np.minimum(np.abs(rho - ri), np.abs(rho - ro))
        assert dev.max() <= g / math.sqrt(2) + 1e-9, f"{ri=}, {ro=}, max dev {dev.max()}"
    # suspended: the release window covers the grating
    (rel,) = _on(top, "release")
    r_rel = d.grating_radius_um + 0.5
    assert abs(rel.area() - math.pi * r_rel**2) <= _bound_um2(2 * math.pi * r_rel, grid_nm)


def test_partially_etched_bullseye_goes_on_its_own_layer(tmp_path):
    d = get_preset("bullseye_sin_520").replace(substrate="SiO2", etch_depth_um=0.1)
    _, top = _read(to_gds(d, tmp_path / "p.gds"))
    assert len(_on(top, "etch_partial")) == d.n_rings and not _on(top, "etch_full")
    assert not _on(top, "release")  # on glass: nothing to undercut


def _segment_area(r, w):
    """Exact area of the strip |y| < w/2, x > 0 inside a circle of radius r."""
    a = w / 2
    return a * math.sqrt(r * r - a * a) + r * r * math.asin(a / r)


def _islands(top, radius_um):
    box = gdstk.rectangle((-radius_um, -radius_um), (radius_um, radius_um))
    return len(gdstk.boolean(box, _on(top, "etch_full"), "not", precision=1e-3))


@pytest.mark.parametrize("tethers", [3, 4, 6])
def test_tethers_split_trenches_and_connect_the_membrane(tmp_path, tethers):
    d = get_preset("bullseye_sin_520")
    w = 0.06
    _, top = _read(to_gds(d, tmp_path / "t.gds", tethers=tethers, tether_width_um=w))
    polys = _on(top, "etch_full")
    assert len(polys) == tethers * d.n_rings  # each ring cut into N arcs
    rings = _trenches(d)
    bridge = sum(_segment_area(ro, w) - _segment_area(ri, w) for ri, ro in rings)
    exact = sum(math.pi * (ro**2 - ri**2) for ri, ro in rings) - tethers * bridge
    perim = sum(2 * math.pi * (ri + ro) + tethers * 2 * (ro - ri) for ri, ro in rings)
    area = sum(p.area() for p in polys)
    assert abs(area - exact) <= _bound_um2(perim, 1.0), f"{area=}, {exact=}"
    bridges = _on(top, "tether")
    assert len(bridges) == tethers * d.n_rings
    bridge_perim = tethers * sum(2 * (ro - ri) + 2 * w for ri, ro in rings)
    assert abs(sum(p.area() for p in bridges) - tethers * bridge) <= _bound_um2(bridge_perim,
                                                                              1.0)
    # the membrane left after etching is one connected piece (nothing floats)
    assert _islands(top, d.grating_radius_um + 0.1) == 1


def test_untethered_suspended_bullseye_falls_apart_into_islands(tmp_path):
    d = get_preset("bullseye_sin_520")
    _, top = _read(to_gds(d, tmp_path / "u.gds"))
    # disk + (n_rings - 1) ridges + the outer membrane: independent of fabrication_check
    assert _islands(top, d.grating_radius_um + 0.1) == d.n_rings + 1


def _holes_match(top, holes, grid_nm=1.0):
    polys = _on(top, "etch_full")
    circles = [p for p in polys if len(p.points) > 8]  # nanobeam trenches are rectangles
    assert len(circles) == len(holes), f"{len(circles)} holes in the GDS, {len(holes)} drawn"
    _assert_on_grid(circles, grid_nm)
    centres = np.array([p.points.mean(axis=0) for p in circles])
    g = 1e-3 * grid_nm
    for x, y, r in holes:
        i = int(np.argmin(np.hypot(centres[:, 0] - x, centres[:, 1] - y)))
        assert math.hypot(*(centres[i] - (x, y))) <= g, f"hole at ({x}, {y}) not found"
        bound = _bound_um2(2 * math.pi * r, grid_nm)
        assert abs(circles[i].area() - math.pi * r * r) <= bound, f"hole ({x}, {y}, {r})"
    return circles


def test_l3_holes_count_positions_and_shifted_end_holes(tmp_path):
    d = get_preset("sin_l3_520")
    _, top = _read(to_gds(d, tmp_path / "l3.gds"))
    nx, ny = d.n_periods_x, d.n_periods_y
    even_rows, odd_rows = ny + 1 if ny % 2 == 0 else ny, ny if ny % 2 == 0 else ny + 1
    expected = even_rows * (2 * nx + 1) + odd_rows * 2 * nx - 3  # three missing holes
    holes = [(x, y, r) for x, y, r in d.holes()]
    assert len(holes) == expected
    circles = _holes_match(top, holes)
    a, s = d.lattice_um, d.end_hole_shift_um
    ends = [c for c in circles if abs(c.points.mean(axis=0)[1]) < 1e-3
            and abs(abs(c.points.mean(axis=0)[0]) - (2 * a + s)) < 2e-3]
    assert len(ends) == 2, "the two shifted end holes at x = ±(2a + s)"


def test_h1_shifted_nearest_neighbours(tmp_path):
    d = get_preset("h1_sin_520")
    _, top = _read(to_gds(d, tmp_path / "h1.gds"))
    circles = _holes_match(top, d.holes())
    target = d.lattice_um + d.nn_shift_um
    nn = [c for c in circles if abs(np.hypot(*c.points.mean(axis=0)) - target) < 2e-3]
    assert len(nn) == 6
    for c in nn:
        assert math.sqrt(c.area() / math.pi) == pytest.approx(d.nn_radius_um, abs=2e-3)


def test_nanobeam_holes_and_side_trenches(tmp_path):
    d = get_preset("nanobeam_sin_520")
    _, top = _read(to_gds(d, tmp_path / "nb.gds"))
    assert len(d.holes()) == 2 * (d.n_taper + d.n_mirror)
    _holes_match(top, d.holes())
    rects = [p for p in _on(top, "etch_full") if len(p.points) == 4]
    assert len(rects) == 2
    for p in rects:
        ys = sorted(set(np.round(p.points[:, 1], 6)))
        assert min(abs(v) for v in ys) == pytest.approx(d.beam_width_um / 2, abs=1e-3)


@pytest.mark.parametrize("shape", ["circle", "square"])
def test_pillar_footprint(tmp_path, shape):
    d = get_preset("tio2_pillar_520").replace(shape=shape)
    _, top = _read(to_gds(d, tmp_path / "p.gds"))
    (p,) = _on(top, "pillar")
    dd = d.diameter_um
    exact = math.pi * dd**2 / 4 if shape == "circle" else dd**2
    perim = math.pi * dd if shape == "circle" else 4 * dd
    assert abs(p.area() - exact) <= _bound_um2(perim, 1.0), f"{p.area()=}, {exact=}"


@pytest.mark.parametrize("corner_nm", [0.0, 10.0])
def test_nanocube_footprint(tmp_path, corner_nm):
    d = get_preset("akselrod_2014").replace(corner_radius_um=1e-3 * corner_nm)
    _, top = _read(to_gds(d, tmp_path / "c.gds"))
    (p,) = _on(top, "cube")
    L, rc = d.cube_edge_um, d.corner_radius_um
    exact = L * L - (4 - math.pi) * rc * rc
    assert abs(p.area() - exact) <= _bound_um2(4 * L, 1.0), f"{p.area()=}, {exact=}"


def test_label_cell_names_preset_and_parameters(tmp_path):
    d = get_preset("bullseye_sin_520")
    lib, top = _read(to_gds(d, tmp_path / "l.gds", name="bullseye_sin_520"))
    assert top.name == "bullseye_sin_520"
    (label_cell,) = [c for c in lib.cells if c.name.startswith("LABEL_")]
    texts = [lab.text for lab in label_cell.labels]
    assert texts[0] == "bullseye_sin_520"
    assert "period_um=0.307" in texts and "n_rings=8" in texts
    assert {lab.layer for lab in label_cell.labels} == {DEFAULT_LAYERS["label"][0]}
    assert [r.cell.name for r in top.references] == [label_cell.name]


def test_custom_layers_and_bad_inputs(tmp_path):
    d = get_preset("sin_l3_520")
    _, top = _read(to_gds(d, tmp_path / "c.gds", layers={"etch_full": (20, 3)}))
    assert {(p.layer, p.datatype) for p in top.get_polygons(depth=0)} >= {(20, 3)}
    with pytest.raises(ValueError, match="unknown layer"):
        to_gds(d, tmp_path / "x.gds", layers={"metal": (1, 0)})
    with pytest.raises(ValueError, match="grid_nm=0"):
        to_gds(d, tmp_path / "x.gds", grid_nm=0)
    with pytest.raises(ValueError, match="bullseye trenches only"):
        to_gds(d, tmp_path / "x.gds", tethers=3)


def test_cli_gds_and_check(tmp_path, capsys):
    out = tmp_path / "b.gds"
    assert main(["gds", "bullseye_sin_520", "--out", str(out), "--tethers", "4"]) == 0
    assert out.exists()
    assert main(["check", "bullseye_sin_520"]) == 1
    assert "suspended_floating" in capsys.readouterr().out
    assert main(["check", "bullseye_sin_520", "--tethers", "4"]) == 0
    assert main(["check", "bullseye_sin_520", "--set", "trench_width_um=0.035",
                 "--min-feature-nm", "40", "--tethers", "4"]) == 1
    assert "trench_width_um" in capsys.readouterr().out
    assert main(["gds", "sin_l3_520", "--out", str(tmp_path / "l.gds"), "--grid-nm", "2"]) == 0
