"""The cylindrical ring source against the exact LDOS: x dipole 5 nm above a bare Si3N4 membrane.

    .venv/bin/python benchmarks/ring_source_membrane.py

Prints the error of the total LDOS at 480/520/560 nm against sims.analytic.slab_rate for the
grid-following ring (1.5 grid steps) at 40/60/80/120 px/µm and for a fixed 37.5 nm ring at
60/80/120 px/µm (README, screen accuracy, item 3).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


if __name__ == "__main__":
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims import analytic
    from sims.runner import simulate
    design = get_preset("bullseye_sin_520", n_rings=0, thickness_um=0.2,
                        dipole_orientation="x", emitter_height_um=0.005)
    st = design.to_structure("screen")
    n = st.shapes[0].material.index(0.52).real
    exact = {lam: analytic.slab_rate(distance_um=0.005, wavelength_um=lam, slab_index=n,
             thickness_um=design.thickness_um, orientation="parallel") for lam in (0.48, 0.52, 0.56)}
    for res, ring in [(40, None), (60, None), (80, None), (60, 0.0375), (80, 0.0375), (120, 0.0375), (120, None)]:
        cfg = EvalSettings(resolution_px_per_um=res, sim_overrides={
            "compute_mode_volume": False, "n_freqs": 41, "ring_source_radius_um": ring}).sim_config(design)
        r = simulate(st, cfg, cache_dir=str(ROOT / "runs/bench-cache"))
        errs = " ".join(f"{1e3*l:.0f}: {100*(r.spectra.total_at(l)/e-1):+.2f}%" for l, e in exact.items())
        print(f"res {res} ring {ring}: {errs}", flush=True)
