"""Grid dependence of the nanocube screen's patch resonance with the disk's sidewall smoothed
(sims.metal_sidewalls) or staircased: the m = 1 harmonic (the patch's fundamental gap plasmon)
of `akselrod_2014` (8 nm PMMA gap, Au film, emitter 25 nm off the axis) for a disk radius off
the grid's integer radii (42.31 nm: the equal-area disk of the 75 nm cube) or on them (40 nm).

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_sidewall.py \\
        --radius-nm 42.31 --resolution 250 [--out benchmarks/results]

Resolutions whose step divides the 8 nm gap (250, 375, 500 px/µm) keep the gap faces on grid
planes. The cube edge is √π R (equal area), so the cube's height changes with R too. Prints
the harmonic's LDOS term (over the host's point-dipole LDOS) at a few wavelengths and its peak
within 600-950 nm. The staircased numbers of the README table were measured with this script
on a checkout of commit 59b3ae3 (before the sidewall smoothing): ``PYTHONPATH=<checkout>``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAND_UM = (0.6, 0.95)
REPORT_UM = (0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--radius-nm", type=float, default=1e3 * 0.075 / math.sqrt(math.pi))
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()

    import numpy as np

    from cavities.registry import get_preset
    from sims.azimuthal_sum import _weights
    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.runner import raw_runs

    edge_um = 1e-3 * args.radius_nm * math.sqrt(math.pi)
    design = get_preset("akselrod_2014").replace(cube_edge_um=edge_um, screen_disk="area",
                                                 target_wavelength_um=0.775, window_um=0.45)
    structure = design.to_structure("screen")
    structure = dataclasses.replace(structure, cylindrical_m=1,
                                    name=f"{structure.name}-m1-R{args.radius_nm}")
    cfg = dataclasses.replace(
        SimConfig(resolution_px_per_um=args.resolution, **design.sim_defaults("screen")),
        compute_mode_volume=False)
    t0 = time.perf_counter()
    raw, ref, _ = raw_runs(structure, cfg, resolve_cache_dir(True))
    wall = time.perf_counter() - t0
    lam = 1.0 / np.asarray(raw.freqs_mu)
    host = np.asarray(ref.ldos) / _weights(structure, 1, lam)  # point-dipole host LDOS
    term = 2.0 * np.asarray(raw.ldos) / host  # ±1 counted twice
    band = np.flatnonzero((lam > BAND_UM[0]) & (lam < BAND_UM[1]))
    peak = int(band[np.argmax(term[band])])
    at = {f"{1e3 * w:.0f}": float(term[np.argmin(np.abs(lam - w))]) for w in REPORT_UM}
    print(f"R {args.radius_nm:.2f} nm, {args.resolution:g} px/µm: m = 1 peak "
          f"{1e3 * lam[peak]:.1f} nm (term {term[peak]:.0f}); at "
          + ", ".join(f"{k} nm {v:.0f}" for k, v in at.items()) + f" ({wall:.0f} s)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"nanocube_sidewall_R{args.radius_nm:.2f}_{args.resolution:g}.json"
    (out / name).write_text(json.dumps({
        "radius_nm": args.radius_nm, "resolution_px_per_um": args.resolution,
        "peak_nm": 1e3 * float(lam[peak]), "peak_term": float(term[peak]), "at_nm": at,
        "wavelength_um": lam.tolist(), "term": term.tolist(), "wall_time_s": wall},
        indent=1))
    print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
