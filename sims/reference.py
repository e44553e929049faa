"""The normalisation run: the same dipole in the homogeneous host that surrounds the emitter.

It is cached separately and shared by every design with the same host, resolution and window.
"""

from __future__ import annotations

import dataclasses

from cavities.structure import Structure
from sims.config import SimConfig

HALF_CELL_3D = 0.25
"""Half-size of the 3D host cell, dipole to PML, in host wavelengths λ_max/n. The LDOS and box
flux of a dipole in a homogeneous host do not need the one wavelength the other dimensions
keep: against that cell, a quarter wavelength changed them by ≤ 3e-5 (PMMA, 150 px/µm,
0.55-1.0 µm, 8.7x faster) and ≤ 4e-4 (vacuum, 40 px/µm) (``benchmarks/reference_cell.py``).
In 3D the host cell costs (2·half)³: at 250 px/µm the one-wavelength PMMA cell was 21 M
voxels, slower than the nanocube it normalised."""


def reference_structure(structure: Structure, config: SimConfig) -> Structure:
    """The same dipole in the homogeneous host that surrounds the emitter.

    Same dimensions, orientation, window and sub-pixel offset of the source; open (PML)
    boundaries; a cell of about one host wavelength from the dipole to the PML (3D: a quarter,
    :data:`HALF_CELL_3D`).
    """
    host = structure.emitter_material
    lossy_poles = any(p.kind == "drude" or p.gamma_ev > 0 for p in host.poles)
    if host.perfect_conductor or lossy_poles or host.epsilon_imag:
        raise ValueError(
            "the emitter must sit in a lossless medium (the homogeneous host that normalises "
            f"the LDOS; lossless dispersion is fine), but the material at emitter_position_um="
            f"{structure.emitter_position_um} is {host.name!r}."
        )
    n = host.index(structure.target_um).real
    dx = 1.0 / config.resolution_px_per_um
    fraction = HALF_CELL_3D if structure.dimensions == "3d" else 1.0
    half = max(fraction * structure.wavelength_max_um / n, 6 * dx) + 3 * dx
    pos = [round(p - dx * round(p / dx), 9) + 0.0 for p in structure.emitter_position_um]
    if structure.dimensions == "cylindrical":
        # a harmonic of an off-axis dipole is a ring of radius r0: same ring, same m
        pos[0], pos[1] = structure.emitter_position_um[0], 0.0
        half += pos[0]
    size = 2 * half
    if structure.dimensions == "2d":
        pos[2] = 0.0
    return Structure(
        name=f"host-{host.name}", shapes=(), background=host, cell_size_um=(size, size, size),
        dimensions=structure.dimensions, boundaries=("pml", "pml", "pml"),
        emitter_position_um=tuple(pos), dipole_orientation=structure.dipole_orientation,
        cylindrical_m=structure.cylindrical_m,
        wavelength_min_um=structure.wavelength_min_um,
        wavelength_max_um=structure.wavelength_max_um,
    )


def reference_config(config: SimConfig) -> SimConfig:
    # the homogeneous host has nothing to destabilise a PML: the reference always uses one
    return dataclasses.replace(config, compute_mode_volume=False, compute_collection=False,
                               symmetries="auto", boundary_layer="pml")
