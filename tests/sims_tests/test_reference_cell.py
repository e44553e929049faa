"""The 3D host reference cell (sims.reference.HALF_CELL_3D): the dipole's LDOS and box flux in
the library's small cell against a cell one host wavelength from the dipole to the PML."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cavities.library import get_material
from cavities.structure import Structure
from sims.config import SimConfig
from sims.reference import reference_config, reference_structure

TOLERANCE = 1e-3
"""Measured 3e-5 (PMMA, 150 px/µm) to 4e-4 (vacuum, 40 px/µm): benchmarks/reference_cell.py."""


@pytest.mark.parametrize(("host", "orientation", "resolution"),
                         [("vacuum", "x", 40.0), ("PMMA", "z", 50.0)])
def test_small_3d_host_cell_gives_the_large_cells_ldos_and_flux(host, orientation, resolution,
                                                                sim_cache):
    from sims.runner import cached_raw

    s = Structure(name=f"cell-{host}", shapes=(), background=get_material(host, 0.52),
                  cell_size_um=(1.0, 1.0, 1.0), dimensions="3d",
                  emitter_position_um=(0.0, 0.0, 0.0), dipole_orientation=orientation,
                  wavelength_min_um=0.45, wavelength_max_um=0.6, target_wavelength_um=0.52)
    cfg = SimConfig(resolution_px_per_um=resolution, pml_um=0.3, n_freqs_flux=9,
                    compute_mode_volume=False)
    small = reference_structure(s, cfg)
    n = s.background.index(0.52).real
    dx = 1 / resolution
    large = dataclasses.replace(small, name=f"{small.name}-large",
                                cell_size_um=(2 * (0.6 / n + 3 * dx),) * 3)
    assert small.cell_size_um[0] < 0.6 * large.cell_size_um[0]
    runs = [cached_raw("reference", c, reference_config(cfg), sim_cache, want_modes=False)
            for c in (small, large)]
    ldos = np.asarray(runs[0].ldos) / np.asarray(runs[1].ldos)
    flux = np.asarray(runs[0].box_flux) / np.asarray(runs[1].box_flux)
    print(f"{host}, {orientation} dipole, {resolution:g} px/µm, cells {small.cell_size_um[0]:.3f}"
          f" / {large.cell_size_um[0]:.3f} µm: LDOS ratio {ldos.min():.5f}-{ldos.max():.5f}, "
          f"box flux ratio {flux.min():.5f}-{flux.max():.5f} (tolerance {TOLERANCE:g})")
    assert np.max(np.abs(ldos - 1)) < TOLERANCE
    assert np.max(np.abs(flux - 1)) < TOLERANCE
