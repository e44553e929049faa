"""Wrapper overhead of a screen evaluation in an optimisation: wall time against Meep stepping.

    .venv/bin/python benchmarks/screen_overhead.py

For each preset: one evaluation to start the persistent Meep worker and cache the reference
run, then three further designs (the preset's size parameter ×1.02, ×0.98, ×1.04) on one grid
(``error_estimate="off"``). Per evaluation it prints the wall time, Meep's time stepping
(``provenance.meep_time_s`` without the LDOS extrapolation's snapshots and fits, which run
inside the stepping loop and are listed on their own), the structure run's wall time inside
the worker (stepping plus Meep's set-up and post-processing) and the overhead share
1 − stepping / wall (the extrapolation counts as overhead).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PRESETS = (("bullseye_sin_520", "disk_radius_um"), ("tio2_pillar_520", "diameter_um"))


def main() -> int:
    from cavities.registry import get_preset
    from emitter import preset_emitter
    from optimize.evaluate import EvalSettings, evaluate

    emitter = preset_emitter("CsPbBr3", edge_nm=10, temperature_k=295)
    settings = EvalSettings(error_estimate="off")
    for name, key in PRESETS:
        base = get_preset(name)
        rows = []
        with tempfile.TemporaryDirectory() as cache:
            evaluate(base, emitter, settings, cache_dir=cache)
            for factor in (1.02, 0.98, 1.04):
                design = base.replace(**{key: round(base.params()[key] * factor, 4)})
                t = time.monotonic()
                ev = evaluate(design, emitter, settings, cache_dir=cache)
                wall = time.monotonic() - t
                prov = ev.sim.provenance
                stepping = prov.meep_time_s - prov.ldos_tail_s
                rows.append({"eval_s": round(wall, 2), "meep_stepping_s": round(stepping, 2),
                             "ldos_extrapolation_s": round(prov.ldos_tail_s, 2),
                             "structure_run_s": round(prov.wall_time_s, 2),
                             "overhead": round(1 - stepping / wall, 3)})
        print(name, json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
