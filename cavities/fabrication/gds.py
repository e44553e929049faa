"""Write a design's in-plane layout as GDSII with gdstk (optional dependency: ``pip install
'pnc-cavity-designer[gds]'``).

Database: user unit 1 µm, database unit (precision) ``grid_nm``; every vertex is on that grid.
Circles and annuli are polygons with their vertices on the true circle (inscribed), at most
``tolerance_nm`` (default half the grid) from the arc between vertices. Area error bound of one
written outline of perimeter P (stated here, checked by ``tests/cavities_tests/test_gds.py``):

    |A_gds − A_exact| ≤ P · (tolerance + grid/√2)

(the chord deviation, plus each vertex moving ≤ grid/√2 when snapped to the grid).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cavities.base import CavityDesign
from cavities.fabrication.layout import Annulus, Circle, Feature, Layout, Rect, layout_of

DEFAULT_LAYERS: dict[str, tuple[int, int]] = {
    "etch_full": (1, 0), "etch_partial": (2, 0), "pillar": (3, 0), "cube": (4, 0),
    "release": (5, 0), "tether": (6, 0), "label": (63, 0),
}
"""(GDS layer, datatype) of each process layer (override any with ``layers=``)."""

_MAX_POINTS = 8190  # GDSII limit per boundary; gdstk would otherwise fracture at 199


def _gdstk() -> Any:
    try:
        import gdstk
    except ImportError as err:
        raise ValueError("GDS export needs the package `gdstk`: "
                         "pip install 'pnc-cavity-designer[gds]'.") from err
    return gdstk


def cell_name(name: str) -> str:
    """A GDS-safe cell name (letters, digits, _ ; at most 32 characters)."""
    return (re.sub(r"[^A-Za-z0-9_]", "_", name) or "CAVITY")[:32]


def _polygons(gdstk: Any, f: Feature, tol_um: float, layer: int, datatype: int) -> list[Any]:
    kw = {"layer": layer, "datatype": datatype}
    if isinstance(f, Circle):
        return [gdstk.ellipse(f.center_um, f.radius_um, tolerance=tol_um, **kw)]
    if isinstance(f, Annulus):
        return [gdstk.ellipse(f.center_um, f.outer_radius_um, inner_radius=f.inner_radius_um,
                              tolerance=tol_um, **kw)]
    if isinstance(f, Rect):
        w, h = f.size_um
        poly = gdstk.rectangle((-w / 2, -h / 2), (w / 2, h / 2), **kw)
        if f.corner_radius_um > 0:
            poly.fillet(f.corner_radius_um, tolerance=tol_um)
        poly.rotate(f.angle_rad)
        poly.translate(*f.center_um)
        return [poly]
    raise TypeError(f"unknown feature {f!r}")


def layout_cell(layout: Layout, *, name: str, grid_nm: float = 1.0,
                tolerance_nm: float | None = None,
                layers: Mapping[str, tuple[int, int]] | None = None) -> Any:
    """A gdstk Cell of the layout (tethers cut out of the etch layers)."""
    gdstk = _gdstk()
    lmap = {**DEFAULT_LAYERS, **(layers or {})}
    grid_um = 1e-3 * grid_nm
    tol_um = 1e-3 * (grid_nm / 2 if tolerance_nm is None else tolerance_nm)
    cell = gdstk.Cell(cell_name(name))
    tether_polys = [p for f in layout.on("tether")
                    for p in _polygons(gdstk, f, tol_um, *lmap["tether"])]
    for layer_name, (lay, dt) in lmap.items():
        if layer_name in ("tether", "label"):
            continue
        polys = [p for f in layout.on(layer_name) for p in _polygons(gdstk, f, tol_um, lay, dt)]
        if not polys:
            continue
        if tether_polys and layer_name in ("etch_full", "etch_partial"):
            bridges = gdstk.boolean(polys, tether_polys, "and", precision=grid_um,
                                    layer=lmap["tether"][0], datatype=lmap["tether"][1])
            polys = gdstk.boolean(polys, tether_polys, "not", precision=grid_um,
                                  layer=lay, datatype=dt)
            cell.add(*bridges)
        cell.add(*polys)
    return cell


def label_cell(design: CavityDesign, *, name: str, grid_nm: float, tolerance_nm: float,
               layer: tuple[int, int], origin_um: tuple[float, float]) -> Any:
    """Non-printing text labels: preset name, family, grid and every parameter."""
    gdstk = _gdstk()
    cell = gdstk.Cell(cell_name(f"LABEL_{name}"))
    lines = [name, f"family={design.family}", (f"unit=1um grid_nm={grid_nm:g} "
             f"tolerance_nm={tolerance_nm:g}")]
    lines += [f"{k}={v}" for k, v in sorted(design.params().items())]
    x, y = origin_um
    for i, text in enumerate(lines):
        cell.add(gdstk.Label(text, (x, y - 0.25 * i), layer=layer[0], texttype=layer[1]))
    return cell


def to_gds(design: CavityDesign, path: str | Path, *, name: str | None = None,
           grid_nm: float = 1.0, tolerance_nm: float | None = None,
           layers: Mapping[str, tuple[int, int]] | None = None, tethers: int = 0,
           tether_width_um: float | None = None) -> Path:
    """Write the in-plane layout of ``design`` to ``path`` (GDSII).

    Args:
        design: any family's design.
        path: output ``.gds`` file (parent folders are created).
        name: top-cell name and label (default: the family name; the CLI passes the preset).
        grid_nm: database unit in nm (user unit 1 µm); every vertex is snapped to it.
        tolerance_nm: largest distance between a circle and its polygon (default grid/2).
        layers: ``{layer name: (layer, datatype)}`` overrides of :data:`DEFAULT_LAYERS`.
        tethers: bridges per bullseye trench (see ``cavities.fabrication.checks``).
        tether_width_um: bridge width (default: ``default_tether_width_um``).

    Returns:
        The path written. The top cell holds the device at the origin and a reference to the
        label cell placed below it.
    """
    from cavities.base import DEFAULT_MIN_FEATURE_UM
    from cavities.fabrication.layout import default_tether_width_um

    gdstk = _gdstk()
    if not (math.isfinite(grid_nm) and 0 < grid_nm <= 10):
        raise ValueError(f"`0 < grid_nm <= 10` must hold, but got grid_nm={grid_nm!r}.")
    tol = grid_nm / 2 if tolerance_nm is None else tolerance_nm
    if not (math.isfinite(tol) and tol > 0):
        raise ValueError(f"`tolerance_nm > 0` must hold, but got tolerance_nm={tolerance_nm!r}.")
    width = (default_tether_width_um(design, DEFAULT_MIN_FEATURE_UM)
             if tether_width_um is None else tether_width_um)
    layout = layout_of(design, tethers=tethers, tether_width_um=width)
    name = name or design.family
    lmap = {**DEFAULT_LAYERS, **(layers or {})}
    unknown = sorted(set(layers or {}) - set(DEFAULT_LAYERS))
    if unknown:
        raise ValueError(f"unknown layer name(s) {unknown}; known: {sorted(DEFAULT_LAYERS)}.")
    lib = gdstk.Library(name=cell_name(name), unit=1e-6, precision=1e-9 * grid_nm)
    top = layout_cell(layout, name=name, grid_nm=grid_nm, tolerance_nm=tol, layers=lmap)
    bb = top.bounding_box()
    y0 = (bb[0][1] if bb is not None else 0.0) - 0.5
    x0 = bb[0][0] if bb is not None else 0.0
    labels = label_cell(design, name=name, grid_nm=grid_nm, tolerance_nm=tol,
                        layer=lmap["label"], origin_um=(0.0, 0.0))
    top.add(gdstk.Reference(labels, (x0, y0)))
    lib.add(top, labels)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    lib.write_gds(str(out), max_points=_MAX_POINTS)
    return out
