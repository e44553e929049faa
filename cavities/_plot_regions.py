"""Simulation regions on a geometry cross-section: cell, PML, flux box, collection plane, NA cone.

Draws a :class:`sims.layout.Regions` (computed without Meep from the layout the backend uses)
onto an axes of :func:`cavities.plotting.plot_structure`. matplotlib is imported when called.
Every artist carries an SVG id (``gid``) ``<region>-<view>``, region one of
``simulation-cell``, ``pml``, ``flux-box``, ``collection-plane``, ``na-cone`` and view one of
``side``, ``top``, ``2d`` (e.g. ``na-cone-side``), so the regions can be found in a vector
figure.
"""

from __future__ import annotations

import math
from typing import Any

CELL = {"ec": "black", "lw": 1.4}
PML = {"facecolor": (0.55, 0.55, 0.55, 0.35), "edgecolor": "0.3", "hatch": "///", "lw": 0.0}
FLUX = {"ec": "tab:orange", "lw": 1.3, "ls": "--"}
PLANE = {"color": "tab:red", "lw": 2.6}
CONE = {"facecolor": (0.84, 0.15, 0.16, 0.18), "edgecolor": "tab:red", "lw": 0.9}


def _rect(x0: float, y0: float, w: float, h: float, **kw: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), w, h, **kw)


def _pml_patches(regions: Any, view: str) -> list[Any]:
    """Rectangles (or an annulus, for the revolved top view) covering the PML."""
    from matplotlib.patches import Annulus

    cx, cy, cz = regions.cell_half_um
    ix, iy, iz = regions.interior_half_um
    px, py, pz = regions.pml_um
    if view == "top" and regions.dimensions == "cylindrical":
        return [Annulus((0.0, 0.0), cx, px)] if px > 0 else []
    # horizontal axis is x; vertical is z (side) or y (top, 2d)
    (ch, cv), (ih, iv), (ph, pv) = ((cx, cz), (ix, iz), (px, pz)) if view == "side" else \
        ((cx, cy), (ix, iy), (px, py))
    out = []
    if ph > 0:
        out += [_rect(-ch, -cv, ph, 2 * cv), _rect(ih, -cv, ph, 2 * cv)]
    if pv > 0:
        out += [_rect(-ih, -cv, 2 * ih, pv), _rect(-ih, iv, 2 * ih, pv)]
    return out


def _cone(regions: Any, emitter: tuple[float, float]) -> list[tuple[float, float]] | None:
    """Polygon of the NA cone from the emitter to the collection plane, clipped to the flux
    box (side view); None when the emitter is not between the axis of the box and the plane."""
    z_plane = regions.collection_z_um
    if z_plane is None:
        return None
    ex, ez = emitter
    bx = regions.flux_box_half_um[0]
    sign = 1.0 if regions.collection_direction == "up" else -1.0
    dz = sign * (z_plane - ez)
    if not (dz > 0 and abs(ex) < bx):
        return None
    theta = math.asin(min(1.0, regions.collection_na / regions.collection_index))
    ends = []
    for side in (-1.0, 1.0):
        dxv, dzv = side * math.sin(theta), math.cos(theta)
        t_plane = dz / dzv if dzv > 1e-12 else math.inf
        t_wall = (side * bx - ex) / dxv if abs(dxv) > 1e-12 else math.inf
        t = min(t_plane, t_wall)
        ends.append((ex + t * dxv, ez + sign * t * dzv, t_wall < t_plane))
    (x0, z0, wall0), (x1, z1, wall1) = ends
    poly = [(ex, ez), (x0, z0)]
    if wall0:
        poly.append((-bx, z_plane))
    if wall1:
        poly.append((bx, z_plane))
    poly.append((x1, z1))
    return poly


def draw_regions(ax: Any, regions: Any, *, view: str, emitter_um: tuple[float, float]
                 ) -> list[Any]:
    """Draw ``regions`` on ``ax``; returns legend handles.

    Args:
        ax: a matplotlib axes showing a cross-section in µm.
        regions: a :class:`sims.layout.Regions`.
        view: ``"side"`` (x-z; x revolved to −R..R in cylindrical coordinates), ``"top"``
            (x-y) or ``"2d"`` (the x-y plane of a 2D simulation).
        emitter_um: the emitter's (horizontal, vertical) position on this view.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Patch, Polygon

    cx, cy, cz = regions.cell_half_um
    bx, by, bz = regions.flux_box_half_um
    revolved_top = view == "top" and regions.dimensions == "cylindrical"
    layer = "PML" if regions.boundary_layer == "pml" else "absorber"
    handles: list[Any] = []

    pml = _pml_patches(regions, view)
    if pml:
        ax.add_collection(PatchCollection(pml, match_original=False, gid=f"pml-{view}",
                                          zorder=3, **PML))
    thickness = max(regions.pml_um)
    handles.append(Patch(label=f"{layer} ({thickness:g} µm)", **PML))

    if revolved_top:
        cell = Circle((0.0, 0.0), cx, fill=False, gid=f"simulation-cell-{view}", zorder=4,
                      **CELL)
        box = Circle((0.0, 0.0), bx, fill=False, gid=f"flux-box-{view}", zorder=4, **FLUX)
        for image in ax.get_images():  # the revolved cell is a disc: nothing is simulated outside
            image.set_clip_path(Circle((0.0, 0.0), cx, transform=ax.transData))
    else:
        ch, cv = (cx, cz) if view == "side" else (cx, cy)
        bh, bv = (bx, bz) if view == "side" else (bx, by)
        cell = _rect(-ch, -cv, 2 * ch, 2 * cv, fill=False, gid=f"simulation-cell-{view}",
                     zorder=4, **CELL)
        box = _rect(-bh, -bv, 2 * bh, 2 * bv, fill=False, gid=f"flux-box-{view}", zorder=4,
                    **FLUX)
    ax.add_patch(cell)
    ax.add_patch(box)
    handles.append(Line2D([], [], label=f"simulation cell ({regions.resolution_px_per_um:g} "
                          "px/µm)", **{"color": CELL["ec"], "lw": CELL["lw"]}))
    handles.append(Line2D([], [], label="flux box (radiated power)",
                          **{"color": FLUX["ec"], "lw": FLUX["lw"], "ls": FLUX["ls"]}))

    if view == "side" and regions.collection_z_um is not None:
        z = regions.collection_z_um
        ax.plot([-bx, bx], [z, z], gid=f"collection-plane-{view}", zorder=5, **PLANE)
        handles.append(Line2D([], [], label=f"collection plane ({regions.collection_direction})",
                              **PLANE))
        poly = _cone(regions, emitter_um)
        if poly is not None:
            ax.add_patch(Polygon(poly, closed=True, gid=f"na-cone-{view}", zorder=4, **CONE))
            handles.append(Patch(label=f"NA {regions.collection_na:g} cone "
                                 f"(θ = {regions.cone_half_angle_deg:.0f}° in n = "
                                 f"{regions.collection_index:.3g})", **CONE))
    return handles
