"""Bullseye screen diagnosis: pick, Purcell, collection and the LDOS at fixed wavelengths per grid.

    .venv/bin/python benchmarks/bullseye_diagnosis.py '{}' 40,60,80
    .venv/bin/python benchmarks/bullseye_diagnosis.py \
        '{"disk_radius_um":0.257,"period_um":0.307,"trench_width_um":0.11,"thickness_um":0.22}' \
        40,60,80 '{"ring_source_radius_um":0.0375}'

Arguments: design overrides of ``bullseye_sin_520`` (JSON), resolutions (px/µm), and optional
:class:`~sims.config.SimConfig` overrides (JSON). The README's bullseye paragraph (screen
accuracy) quotes these runs: the preset's pick jumping between a Harminv fallback at ~528 nm and
the LDOS peak at 487 nm, the design scaled by 1.095, and the fixed 37.5 nm ring source.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    import numpy as np

    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims.runner import simulate

    overrides = json.loads(argv[0]) if argv else {}
    resolutions = [float(x) for x in (argv[1] if len(argv) > 1 else "40,60,80").split(",")]
    sim_overrides = json.loads(argv[2]) if len(argv) > 2 else {}
    design = get_preset("bullseye_sin_520").replace(**overrides)
    cfg = dataclasses.replace(EvalSettings().sim_config(design), **sim_overrides)
    structure = design.to_structure("screen")
    for res in resolutions:
        out = simulate(structure, dataclasses.replace(cfg, resolution_px_per_um=res),
                       cache_dir=str(ROOT / "runs/bench-cache"))
        lam_nm = 1e3 * np.array(out.spectra.wavelength_um)
        ldos = np.array(out.spectra.purcell_total)
        order = np.argsort(lam_nm)
        at = {w: round(float(np.interp(w, lam_nm[order], ldos[order])), 4)
              for w in (500, 512, 520, 530)}
        m = out.resonance
        pick = "none" if m is None else (f"{1e3 * m.wavelength_um:.2f} nm, Q {m.quality_factor:.1f}"
                                         f" ({m.method})")
        print(f"{res:g} px/µm: {out.provenance.time_steps} steps ({out.provenance.stop_reason}); "
              f"pick {pick}; Purcell {out.purcell_total_at_resonance}, collection "
              f"{out.collection_efficiency_at_resonance}; LDOS at λ (nm) {at}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
