"""Time the simulation core on a reference case and report our overhead.

    python benchmarks/bench_core.py [--resolution 25] [--dimensions 3d]

Prints, for a cached-free run of a dipole above a TiO2 sphere: the total wall time seen by the
caller, the wall time inside the Meep child process, Meep's own time stepping (``sim.run``), and
the overhead (process start, geometry set-up, DFT post-processing, JSON) in percent.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from cavities.materials import constant_index
from cavities.shapes import Sphere
from cavities.structure import Structure
from sims.config import SimConfig
from sims.runner import reference_structure, run_raw


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resolution", type=float, default=25.0)
    p.add_argument("--dimensions", default="3d", choices=["3d", "cylindrical", "2d"])
    args = p.parse_args()
    s = Structure(name="bench-sphere",
                  shapes=(Sphere(center_um=(0, 0, 0), radius_um=0.15,
                                 material=constant_index("TiO2", 2.46)),),
                  cell_size_um=(1.2, 1.2, 1.2), dimensions=args.dimensions,
                  dipole_orientation="x", emitter_position_um=(0.0, 0.0, 0.19),
                  wavelength_min_um=0.48, wavelength_max_um=0.56)
    cfg = SimConfig(resolution_px_per_um=args.resolution, progress_interval_s=0)
    with tempfile.TemporaryDirectory():
        rows = []
        for label, struct, want in (("structure", s, True),
                                    ("reference", reference_structure(s, cfg), False)):
            t0 = time.monotonic()
            raw = run_raw(struct, cfg, label=label, want_modes=want)
            total = time.monotonic() - t0
            rows.append((label, total, raw.provenance.wall_time_s, raw.provenance.meep_time_s,
                         raw.provenance.time_steps))
    print(f"{'run':<10} {'total s':>8} {'child s':>8} {'stepping s':>10} {'steps':>7} "
          f"{'overhead':>9}")
    for label, total, child, meep, steps in rows:
        print(f"{label:<10} {total:8.2f} {child:8.2f} {meep:10.2f} {steps:7d} "
              f"{100 * (total - meep) / total:8.1f}%")
    tot = sum(r[1] for r in rows)
    step = sum(r[3] for r in rows)
    print(f"all: {tot:.2f} s, Meep stepping {step:.2f} s, overhead {100 * (tot - step) / tot:.1f}% "
          f"({args.dimensions}, {args.resolution:g} px/µm)")


if __name__ == "__main__":
    main()
