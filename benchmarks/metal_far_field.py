"""Radiated means far field: a dipole above a metal half-space, the power through the flux box
against the far field from the box's surface fields (sims.far_field) and the exact answers
(sims.layered: total, far field above, surface plasmon).

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python benchmarks/metal_far_field.py Ag 0.02 z 200

Runs the structure of sims.metal_cases.half_space through the pipeline's own Meep set-up
(sims._meep_backend, faces smoothed as sims.runner.simulate does), records the DFT fields of all
six components on the flux box's faces, and a vacuum run with the same source for the
normalisation. Prints per wavelength: the box flux, the far field above, the plasmon power the
box counts (box − far field) and the references.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WAVELENGTHS_UM = (0.50, 0.52, 0.54)
MEEP_FLUX_PER_POWER = 2.0
"""Meep's flux is ∫ Re(E* × H)·dA of the DFT amplitudes, twice the Poynting power (1/2)Re(...)
that sims.far_field returns (checked: a dipole in vacuum, far field = box flux / 2 within 1 %
at 100 and 200 px/µm)."""


def _run(structure, config, *, faces: bool):
    import meep as mp
    import numpy as np

    from sims import _meep_backend as backend
    from sims._meep_geometry import UNITS
    from sims.far_field import Surface
    from sims.layout import flux_faces

    mp.verbosity(0)
    setup = backend._setup(structure, config)
    sim = backend._simulation(structure, config, setup)
    mon = backend._monitors(sim, structure, config, setup)
    comps = [mp.Er, mp.Ep, mp.Ez, mp.Hr, mp.Hp, mp.Hz]
    dfts = []
    if faces:
        for f, kind in zip(flux_faces(setup.layout), ("top", "bottom", "side"), strict=True):
            vol = mp.Volume(center=mp.Vector3(*f.center), size=mp.Vector3(*f.size))
            dfts.append((kind, f, sim.add_dft_fields(comps, mon.flux_freqs, where=vol)))
    backend._ring_down(sim, structure, config, setup, mon, label="far-field", want_modes=False)
    flux = np.asarray(mp.get_fluxes(mon.box))
    surfaces = {}
    for i, freq in enumerate(mon.flux_freqs):
        out = []
        for kind, f, dft in dfts:
            arrays = [np.ravel(np.asarray(sim.get_dft_array(dft, c, i))) for c in comps]
            step = setup.layout.dx
            if kind == "side":  # Meep's metadata gives the z samples of a z line
                coords = np.ravel(np.asarray(sim.get_array_metadata(dft_cell=dft)[2]))
            else:  # ... but not the r samples of an r line (Meep 1.25): pixel centres
                coords = (np.arange(arrays[0].size) + 0.5) * step
            pos = f.center[0] + f.size[0] / 2 if kind == "side" else f.center[2]
            # Meep returns one sample beyond each end of a line: keep the face's own samples
            extent = (f.center[2] - f.size[2] / 2, f.center[2] + f.size[2] / 2) if (
                kind == "side") else (0.0, f.size[0])
            keep = (coords > extent[0]) & (coords < extent[1])
            coords, arrays = coords[keep], [a[keep] for a in arrays]
            out.append(Surface(kind=kind, coords=coords, position=pos, step=step,
                               fields=tuple(arrays)))
        surfaces[UNITS.wavelength_um(frequency_mu=float(freq))] = out
    m = setup.m
    sim.reset_meep()
    return flux, mon.flux_freqs, surfaces, m


def main(argv: list[str]) -> int:
    import dataclasses

    import numpy as np

    from sims import metal_cases
    from sims.config import SimConfig
    from sims.far_field import Stack, far_field
    from sims.layered import Side, layered_radiation
    from sims.metal_smoothing import with_metal_smoothing
    from sims.reference import reference_config, reference_structure

    metal, dist, orient, res = argv[0], float(argv[1]), argv[2], float(argv[3])
    radius = float(argv[4]) if len(argv) > 4 else 0.3
    case = metal_cases.half_space(metal, dist, orient, radius_um=radius)
    cfg = SimConfig(resolution_px_per_um=res, pml_um=0.5, compute_mode_volume=False,
                    compute_collection=False, n_freqs=21, n_freqs_flux=7,
                    progress_interval_s=120)
    t0 = time.monotonic()
    flux, freqs, surfaces, m = _run(with_metal_smoothing(case.structure, res), cfg, faces=True)
    ref_struct = reference_structure(case.structure, cfg)
    ref_flux, _, _, _ = _run(ref_struct, reference_config(cfg), faces=False)
    print(f"{case.name} at {res:g} px/µm (cell radius {radius} µm): "
          f"{time.monotonic() - t0:.0f} s", flush=True)
    mat = case.structure.shapes[0].material
    kind = "perpendicular" if orient == "z" else "parallel"
    lams = sorted(surfaces)
    for lam in WAVELENGTHS_UM:
        i = int(np.argmin([abs(x - lam) for x in lams]))
        lam_i = lams[i]
        j = int(np.argmin(np.abs(1 / freqs - lam_i)))
        stack = Stack(permittivities=(1.0, mat.permittivity(lam_i)),
                      interfaces_um=(metal_cases.FACE_Z_UM,))
        ff = far_field(surfaces[lam_i], stack, m=int(m or 0), wavelength_um=lam_i)
        ref = layered_radiation(wavelength_um=lam_i, emitter_index=1.0, orientation=kind,
                                below=Side(distance_um=dist,
                                           half_space_permittivity=mat.permittivity(lam_i)))
        box = flux[j] / ref_flux[j]
        up = MEEP_FLUX_PER_POWER * ff.up / ref_flux[j]
        plasmon_at_box = ref.surface_plasmon * math.exp(
            -2 * (2 * math.pi / lam_i) * _spp_im(mat.permittivity(lam_i)) * radius)
        print(f"  λ {1e3 * lam_i:.1f} nm: box flux {box:.4f}, far field up {up:.4f} (down "
              f"{MEEP_FLUX_PER_POWER * ff.down / ref_flux[j]:.2e}); exact far field {ref.radiated_up:.4f} "
              f"({100 * (up / ref.radiated_up - 1):+.1f} %), box − far field {box - up:.4f} vs "
              f"plasmon reaching the box {plasmon_at_box:.4f} (total plasmon "
              f"{ref.surface_plasmon:.4f})", flush=True)
    return 0


def _spp_im(eps: complex) -> float:
    import cmath

    return (cmath.sqrt(eps / (1 + eps))).imag


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
