"""A preset's screen quantities on a list of grids (the raw values, no extrapolation).

    .venv/bin/python benchmarks/resolution_series.py tio2_pillar_520 60,80,90,100,120

Prints per resolution: the picked resonance (λ, Q), the total Purcell factor and the collection
at it, the time steps and Meep's wall time. The README's pillar paragraph (screen accuracy)
quotes this run: the Q ≈ 4 peak's centre is not monotonic below 120 px/µm.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims.runner import simulate

    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    design = get_preset(argv[0])
    cfg = EvalSettings().sim_config(design)
    structure = design.to_structure("screen")
    for res in (float(x) for x in argv[1].split(",")):
        r = simulate(structure, dataclasses.replace(cfg, resolution_px_per_um=res),
                     cache_dir=str(ROOT / "runs/bench-cache"))
        m = r.resonance
        pick = "no resonance" if m is None else (
            f"λ {1e3 * m.wavelength_um:.2f} nm, Q {m.quality_factor:.3g}")
        print(f"{res:g} px/µm: {pick}; Purcell {r.purcell_total_at_resonance}, collection "
              f"{r.collection_efficiency_at_resonance}; {r.provenance.time_steps} steps, "
              f"{r.provenance.wall_time_s:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
