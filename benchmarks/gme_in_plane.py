"""The GME screen's in-plane leakage estimate (sims.in_plane_loss) on photonic-crystal designs
of several crystal sizes: the GME's out-of-plane Q, the 2D effective-index Q_∥ on both grids,
the Q error with the in-plane effect, and the wall time (GME + 2D runs).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/gme_in_plane.py \\
        --out benchmarks/results/gme_in_plane.json

Compare with the 3D Q of the same designs (benchmarks/gme_vs_3d.py; README "Photonic-crystal
slabs").
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

CASES = (
    ("sin_l3_520", {"n_periods_x": 8, "n_periods_y": 6}),
    ("sin_l3_520", {}),
    ("h1_sin_520", {"n_periods": 6}),
    ("h1_sin_520", {}),
    ("akahane_l3_si", {}),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    from cavities.registry import get_preset
    from sims.gme import simulate_gme

    rows = []
    for name, overrides in CASES:
        design = get_preset(name, **overrides)
        t0 = time.monotonic()
        r = simulate_gme(design.gme_model(), cache_dir=None)
        wall = time.monotonic() - t0
        text = next((w for w in r.warnings if w.startswith("in-plane leakage (2D")), "")
        found = re.search(r"Q_∥ ≈ ([0-9.e+/—]+?)\. ", text)
        row = {"preset": name, "overrides": overrides,
               "crystal": getattr(design, "n_periods", None) or
               [design.n_periods_x, design.n_periods_y],
               "q_gme": r.resonance.quality_factor if r.resonance else None,
               "q_error": r.accuracy.error("quality_factor") if r.accuracy else None,
               "q_in_plane_grids": found.group(1) if found else None,
               "converged": r.accuracy.converged if r.accuracy else None,
               "wavelength_um": r.resonance.wavelength_um if r.resonance else None,
               "wall_time_s": wall}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
