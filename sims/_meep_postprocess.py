"""Post-processing of a finished Meep run: collection-plane powers and the mode volume.

One of the ``sims._meep_*`` modules (the only ones that import Meep). The arrays are gathered on
every MPI rank (Meep's getters are collective), but the maths runs on the master rank only: the
other ranks return placeholders, and only the master writes the result.
"""

from __future__ import annotations

import math
from typing import Any

import meep as mp
import numpy as np

from cavities.structure import Structure
from sims import analysis
from sims._meep_geometry import UNITS, Layout, interior_volume
from sims.field_maps import field_map, interp_abs2_at
from sims.results import FieldMap, Mode, ModeVolume


def collection(sim: Any, plane: Any, layout: Layout, structure: Structure,
                flux_freqs: np.ndarray, m: int | None) -> tuple[list[float], list[float]]:
    """Power through the collection plane and the part inside the objective's NA, per
    frequency (master rank; other ranks get zeros after taking part in the gathers)."""
    sign = 1.0 if structure.collection_direction == "up" else -1.0
    cyl = layout.dims == "cylindrical"
    comps = (mp.Er, mp.Ep, mp.Hr, mp.Hp) if cyl else (mp.Ex, mp.Ey, mp.Hx, mp.Hy)
    # the gathers are collective: every rank takes part, only the master does the maths
    planes = [[np.asarray(sim.get_dft_array(plane, c, i)) for c in comps]
              for i in range(len(flux_freqs))]
    if not mp.am_master():
        zeros = [0.0] * len(flux_freqs)
        return zeros, list(zeros)
    totals, collected = [], []
    dx = layout.dx
    for f, (e1, e2, h1, h2) in zip(flux_freqs, planes, strict=True):
        k0 = 2 * math.pi * f
        if cyl:
            er, ep, hr, hp = (np.ravel(a) for a in (e1, e2, h1, h2))
            r = (np.arange(er.size) + 0.5) * dx
            tot = analysis.plane_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dx)
            col = analysis.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dx,
                                                       m=int(m or 0), k0=k0,
                                                       na=structure.collection_na)
        else:
            ex, ey, hx, hy = (np.atleast_2d(a) for a in (e1, e2, h1, h2))
            tot = analysis.plane_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=dx, dy=dx)
            col = analysis.collected_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=dx, dy=dx,
                                                     k0=k0, na=structure.collection_na)
        totals.append(sign * tot)
        collected.append(sign * col)
    return totals, collected


def mode_volume_of(sim: Any, dft: Any, layout: Layout, structure: Structure, mode: Mode,
                 src_pos: tuple[float, float, float], m: int | None
                 ) -> tuple[ModeVolume | None, FieldMap | None, list[str]]:
    warnings: list[str] = []
    f = UNITS.frequency_mu(wavelength_um=mode.wavelength_um)
    vol = interior_volume(layout)
    dims = layout.dims
    comps = [mp.Er, mp.Ep, mp.Ez] if dims == "cylindrical" else [mp.Ex, mp.Ey, mp.Ez]
    fields = [np.asarray(sim.get_dft_array(dft, c, 0)) for c in comps]
    eps = np.real(np.asarray(sim.get_array(component=mp.Dielectric, vol=vol, frequency=f)))
    # components that are identically zero by symmetry (e.g. E_x, E_y of a 2D TM run) come
    # back empty
    fields = [a if a.ndim else np.zeros(eps.shape, dtype=complex) for a in fields]
    if any(a.shape != eps.shape for a in fields):
        return None, None, [f"mode volume skipped: DFT arrays {[a.shape for a in fields]} and ε "
                      f"{eps.shape} differ in shape."]
    e2 = sum(np.abs(a) ** 2 for a in fields)
    n_em = structure.emitter_index()
    dipole = structure.dipole_orientation
    if dims == "cylindrical":
        # arrays are indexed [z, r] (Meep 1.25), r at (i + 1/2) Δr
        nz, nr = eps.shape
        r = (np.arange(nr) + 0.5) * layout.dx
        z = (np.arange(nz) + 0.5) * layout.dx - nz * layout.dx / 2
        weights = 2 * math.pi * r[None, :] * layout.dx**2
        iz = int(np.argmin(np.abs(z - src_pos[2])))
        if src_pos[0] > layout.dx:  # one harmonic of an off-axis dipole: its own component
            ir = min(int(src_pos[0] / layout.dx), nr - 1)
            em_e2 = float(np.abs(fields[{"x": 0, "y": 1, "z": 2}[dipole]][iz, ir]) ** 2)
        else:
            # on the axis: m=0 -> E_z; m=+1 -> the (circular) in-plane field, all of |E|²
            em_e2 = float(np.abs(fields[2][iz, 0]) ** 2) if m == 0 else float(e2[iz, 0])
        coords = [z[:, None] * 0 + r[None, :], np.zeros_like(e2), z[:, None] + 0 * r[None, :]]
        fmap = field_map("rz", r, z, (eps * e2), eps)
    else:
        x, y, zc, w = sim.get_array_metadata(dft_cell=dft)
        weights = w
        axes = [np.asarray(x), np.asarray(y)] + ([np.asarray(zc)] if dims == "3d" else [])
        comp_index = {"x": 0, "y": 1, "z": 2}[dipole]
        em_e2 = interp_abs2_at(fields[comp_index], axes, src_pos)
        grids = np.meshgrid(*axes, indexing="ij")
        coords = grids + ([np.zeros_like(e2)] if dims == "2d" else [])
        if dims == "2d":  # arrays [x, y]
            fmap = field_map("xy", axes[0], axes[1], (eps * e2).T, eps.T)
        else:  # arrays [x, y, z]: the x-z plane through the emitter
            j = int(np.argmin(np.abs(axes[1] - src_pos[1])))
            fmap = field_map("xz", axes[0], axes[2], (eps * e2)[:, j, :].T, eps[:, j, :].T)
    if np.any(eps < 0):
        warnings.append(
            "mode volume: the structure contains metal (Re ε < 0), where ε|E|² is not an energy "
            "density; V counts the field energy outside the metal only. For plasmonic cavities "
            "use the LDOS Purcell factor, not Q/V (Koenderink, Opt. Lett. 35, 4208 (2010))."
        )
    v_peak, v_em, ipk = analysis.mode_volume(eps=eps, e2=e2, weights=weights,
                                             emitter_eps=n_em**2, emitter_e2=em_e2)
    peak_pos = tuple(float(np.ravel(c)[ipk]) for c in coords)
    lam = mode.wavelength_um
    unit = (lam / n_em)
    if dims == "2d":
        return ModeVolume(wavelength_um=lam, refractive_index=n_em,
                          peak_area_um2=UNITS.area_um2(v_peak),
                          emitter_area_um2=UNITS.area_um2(v_em),
                          peak_area_lambda_n2=UNITS.area_um2(v_peak) / unit**2,
                          emitter_area_lambda_n2=UNITS.area_um2(v_em) / unit**2,
                          peak_position_um=peak_pos), fmap, warnings
    return ModeVolume(wavelength_um=lam, refractive_index=n_em,
                      peak_volume_um3=UNITS.volume_um3(v_peak),
                      emitter_volume_um3=UNITS.volume_um3(v_em),
                      peak_volume_lambda_n3=UNITS.volume_um3(v_peak) / unit**3,
                      emitter_volume_lambda_n3=UNITS.volume_um3(v_em) / unit**3,
                      peak_position_um=peak_pos), fmap, warnings
