"""Pure numpy helpers for field maps and point values of DFT fields (no Meep import)."""

from __future__ import annotations

import math

import numpy as np

from sims.results import FIELD_MAP_MAX_PX, FieldMap
from sims.units import MeepUnits

UNITS = MeepUnits(a_um=1.0)


def field_map(plane: str, h: np.ndarray, v: np.ndarray, energy: np.ndarray,
               eps: np.ndarray) -> FieldMap:
    """Downsample a [v, h] map to at most FIELD_MAP_MAX_PX per axis, normalise to its max."""
    sh = max(1, math.ceil(len(h) / FIELD_MAP_MAX_PX))
    sv = max(1, math.ceil(len(v) / FIELD_MAP_MAX_PX))
    en = np.abs(energy[::sv, ::sh])
    peak = float(en.max()) if en.size and en.max() > 0 else 1.0
    def rows(a: np.ndarray) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(x) for x in row) for row in np.round(a, 6))
    return FieldMap(plane=plane, h_um=tuple(UNITS.length_um(float(x)) for x in h[::sh]),
                    v_um=tuple(UNITS.length_um(float(x)) for x in v[::sv]),
                    energy=rows(en / peak), epsilon=rows(np.real(eps[::sv, ::sh])))


def interp_abs2_at(field: np.ndarray, axes: list[np.ndarray], point: tuple[float, ...]) -> float:
    """|field|² at a point by multilinear interpolation of the complex field on the grid."""
    from scipy.interpolate import RegularGridInterpolator

    f = np.asarray(field)
    pts = list(axes)
    if any(len(a) < 2 for a in pts):
        idx = tuple(int(np.argmin(np.abs(a - point[i]))) for i, a in enumerate(pts))
        return float(np.abs(f[idx]) ** 2)
    interp = RegularGridInterpolator(pts, f, bounds_error=False, fill_value=None)
    return float(np.abs(interp([point[: len(pts)]])[0]) ** 2)
