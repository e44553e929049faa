"""Bullseye screen diagnosis: pick, Purcell, collection and the LDOS at fixed wavelengths per grid.

    .venv/bin/python benchmarks/bullseye_diagnosis.py \
        '{"disk_radius_um":0.235,"period_um":0.28,"trench_width_um":0.1,"thickness_um":0.2}' \
        40,60,80                                       # the preset before this round
    .venv/bin/python benchmarks/bullseye_diagnosis.py '{}' 40,60,80,120    # the preset now
    .venv/bin/python benchmarks/bullseye_diagnosis.py \
        '{"disk_radius_um":0.251,"period_um":0.299,"trench_width_um":0.107,"thickness_um":0.213}' \
        40,60,80                                       # scaled by 520/487.5 instead

Arguments: design overrides of ``bullseye_sin_520`` (JSON), resolutions (px/µm), and optional
:class:`~sims.config.SimConfig` overrides (JSON, e.g. '{"ring_source_radius_um":0.0375}').
Prints per grid the pick, Purcell and collection at it, the LDOS at fixed wavelengths, at the
window's edges and at every local maximum with its prominence. The README's bullseye paragraph
(screen accuracy) quotes these runs: the old preset's weak Q ~ 200 mode at 487 nm on a slope,
the 1.095-scaled design now the preset, and the 520/487.5-scaled two-humped band.
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
        from scipy.signal import find_peaks
        lam_s, f_s = lam_nm[order], ldos[order]
        idx, props = find_peaks(f_s, prominence=0.01 * float(f_s.max() - f_s.min()))
        bumps = ", ".join(f"{lam_s[i]:.1f} nm: {f_s[i]:.3f} (prom. {p:.3f})"
                          for i, p in zip(idx, props["prominences"], strict=True))
        m = out.resonance
        pick = "none" if m is None else (f"{1e3 * m.wavelength_um:.2f} nm, Q {m.quality_factor:.1f}"
                                         f" ({m.method})")
        print(f"{res:g} px/µm: {out.provenance.time_steps} steps ({out.provenance.stop_reason}); "
              f"pick {pick}; Purcell {out.purcell_total_at_resonance}, collection "
              f"{out.collection_efficiency_at_resonance}; LDOS at λ (nm) {at}; edges "
              f"{f_s[0]:.3f}/{f_s[-1]:.3f}; local maxima: {bumps or 'none'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
