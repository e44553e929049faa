"""Geometry cross-sections of a structure with the emitter marked (matplotlib imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cavities.structure import Structure

_ARROWS = {"x": (1.0, 0.0), "y": (0.0, 1.0), "z": (0.0, 1.0)}


def _mask(shape: Any, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Vectorised ``shape.contains`` on coordinate arrays."""
    p = (x, y, z)
    if shape.type == "layer":
        return (z >= shape.z_min_um) & (z <= shape.z_max_um)
    if shape.type == "block":
        m = np.ones(np.shape(x), dtype=bool)
        for a in range(3):
            m &= np.abs(p[a] - shape.center_um[a]) <= shape.size_um[a] / 2
        return m
    if shape.type == "sphere":
        r2 = sum((p[a] - shape.center_um[a]) ** 2 for a in range(3))
        return r2 <= shape.radius_um**2
    i = "xyz".index(shape.axis)
    rel = [p[a] - shape.center_um[a] for a in range(3)]
    t = rel[i]
    r2 = sum(rel[a] ** 2 for a in range(3) if a != i)
    top = shape.radius_um if shape.top_radius_um is None else shape.top_radius_um
    radius = shape.radius_um + (top - shape.radius_um) * (t / shape.height_um + 0.5)
    a = shape.edge_radius_um
    if a:  # rounded rims: R − a + √(a² − over²) where |t| is within a of an end
        over = np.abs(t) - (shape.height_um / 2 - a)
        rim = shape.radius_um - a + np.sqrt(np.clip(a * a - over**2, 0.0, None))
        radius = np.where(over > 0, rim, radius)
    return (np.abs(t) <= shape.height_um / 2) & (r2 <= radius**2)


def _index_map(structure: Structure, x: np.ndarray, y: np.ndarray,
               z: np.ndarray) -> np.ndarray:
    """Re(n) at the target wavelength on coordinate arrays; NaN marks a perfect conductor and
    metals (Re ε < 0) are -1. Later shapes win, as in Meep."""
    lam = structure.target_um

    def value(mat: Any) -> float:
        if mat.perfect_conductor:
            return float("nan")
        eps = mat.permittivity(lam)
        return -1.0 if eps.real < 0 else float(mat.index(lam).real)

    out = np.full(np.shape(x), value(structure.background))
    for shape in structure.shapes:
        out[_mask(shape, x, y, z)] = value(shape.material)
    return out


def plot_structure(structure: Structure, path: str | Path | None = None, *,
                   title: str | None = None, n_px: int = 160, config: Any | None = None) -> Any:
    """Side (x-z) and top (x-y) cross-sections through the emitter, coloured by Re(n).

    Metals (Re ε < 0) are drawn black, perfect conductors grey. In cylindrical coordinates
    the side view spans −R..R (the structure revolved about z). In 2D only the x-y plane exists.

    Args:
        structure: what to draw.
        path: file to write; the format follows the suffix (``.svg`` and ``.pdf`` are vector
            figures, the index map inside them stays an image). None: only return the figure.
        title: figure title (default: the structure's name).
        n_px: pixels of the index map across the interior of the cell.
        config: a :class:`sims.config.SimConfig`: also draw what a simulation with it contains
            (the cell, the PML, the flux box, the collection plane and the collection-NA cone),
            from the same Meep-free layout the backend uses (:func:`sims.layout.regions_um`),
            and widen the view to the whole cell.
    """
    import matplotlib.pyplot as plt

    regions = None
    if config is not None:
        from sims.layout import regions_um

        regions = regions_um(structure, config)
    sx, sy, sz = structure.cell_size_um
    ex, ey, ez = structure.emitter_position_um
    cyl = structure.dimensions == "cylindrical"
    if cyl:
        sy = sx
    if regions is not None:  # the whole cell, PML included
        scale = 2 * regions.cell_half_um[0] / sx
        sx, sy, sz = (2 * h for h in regions.cell_half_um)
        n_px = max(2, int(round(n_px * scale)))
    panels: list[tuple[str, np.ndarray, np.ndarray, Any, tuple[str, str]]] = []
    xs = np.linspace(-sx / 2, sx / 2, n_px)
    if structure.dimensions != "2d":
        zs = np.linspace(-sz / 2, sz / 2, max(2, int(n_px * sz / sx)))
        panels.append(("side (y = emitter)", xs, zs,
                       lambda a, b: (np.abs(a) if cyl else a, np.full_like(a, 0.0 if cyl else ey), b),
                       ("x", "z")))
    ys = np.linspace(-sy / 2, sy / 2, max(2, int(n_px * sy / sx)))
    # top view through the emitter if it sits inside a structure, else through the middle of
    # the finite shapes (an emitter on a surface would otherwise show an empty plane)
    top_z, top_label = ez, "top (z = emitter)"
    if structure.emitter_material == structure.background and structure.shapes:
        lo, hi = structure.z_extent_um()
        # (shapes that run far outside the cell, like the shells of a curved mirror, keep
        # the emitter's plane)
        if hi > lo and abs(0.5 * (lo + hi)) < structure.cell_size_um[2] / 2:
            top_z, top_label = 0.5 * (lo + hi), f"top (z = {0.5 * (lo + hi):.3g} µm)"
    if cyl:
        panels.append((top_label, xs, ys,
                       lambda a, b: (np.hypot(a, b), np.zeros_like(a), np.full_like(a, top_z)),
                       ("x", "y")))
    else:
        panels.append((top_label, xs, ys,
                       lambda a, b: (a, b, np.full_like(a, top_z)), ("x", "y")))

    width, height = (5.0, 4.2) if regions is None else (5.6, 4.8)  # room for the legend
    fig, axes = plt.subplots(1, len(panels), figsize=(width * len(panels), height),
                             constrained_layout=True, squeeze=False)
    cmap = plt.get_cmap("viridis").with_extremes(under="black", bad="0.6")
    legend_handles: list[Any] = []
    for ax, (label, h, v, point, (hl, vl)) in zip(axes[0], panels, strict=True):
        hh, vv = np.meshgrid(h, v)
        img = _index_map(structure, *point(hh, vv))
        finite = img[np.isfinite(img) & (img > 0)]
        vmin = 1.0 if finite.size == 0 else min(1.0, float(finite.min()))
        vmax = vmin + 1.0 if finite.size == 0 else max(vmin + 0.1, float(finite.max()))
        im = ax.imshow(img, origin="lower", extent=(h[0], h[-1], v[0], v[-1]), cmap=cmap,
                       vmin=vmin, vmax=vmax, aspect="equal", interpolation="nearest")
        px, py = (ex, ez) if vl == "z" else (ex, ey)
        ax.plot([px], [py], marker="*", color="red", ms=12, mec="white", label="emitter")
        o = structure.dipole_orientation
        if (vl == "z" and o in "xz") or (vl == "y" and o in "xy"):
            dx, dy = _ARROWS[o] if not (vl == "z" and o == "x") else (1.0, 0.0)
            L = 0.06 * (h[-1] - h[0])
            ax.annotate("", xy=(px + L * dx, py + L * dy), xytext=(px - L * dx, py - L * dy),
                        arrowprops={"arrowstyle": "<->", "color": "red", "lw": 1.5})
        ax.set_xlabel(f"{hl} (µm)")
        ax.set_ylabel(f"{vl} (µm)")
        ax.set_title(label)
        fig.colorbar(im, ax=ax, label=f"Re n at {1e3 * structure.target_um:.0f} nm "
                     "(black: metal)", shrink=0.8)
        if regions is not None:
            from cavities._plot_regions import draw_regions

            view = "side" if vl == "z" else ("top" if structure.dimensions != "2d" else "2d")
            handles = draw_regions(ax, regions, view=view, emitter_um=(px, py))
            ax.set_xlim(h[0], h[-1])
            ax.set_ylim(v[0], v[-1])
            if ax is axes[0][0]:
                legend_handles = handles
    if regions is not None:
        fig.legend(handles=legend_handles, loc="outside lower center", ncol=3, fontsize=8)
    fig.suptitle(title or structure.name)
    if path is not None:
        fig.savefig(path, dpi=130)
        plt.close(fig)
    return fig
