"""GME screen against the 3D Meep full fidelity on the same photonic-crystal design.

Runs the guided-mode-expansion screen (:mod:`sims.gme`, no cache, timed), then a 3D Meep run
of the same design centred on the GME resonance with a narrow window (so the LDOS spectrum
resolves the line), and prints λ, Q, the mode volumes, the Purcell factors (3D LDOS at
resonance, 3D Q/V, GME Q/V) and the wall-time ratio 3D / GME. Targets (issue 13): λ within
1 %, Q within a factor 1.5, V within 15 %, 3D LDOS Purcell within 15 % of Q/V at the antinode,
GME >= 20x faster.

Usage (one 3D run at a time, niced, progress on stderr)::

    OMP_NUM_THREADS=1 nice -n 5 python benchmarks/gme_vs_3d.py sin_l3_520 \\
        --set n_periods_y=10 --resolution 70 --window-nm 30 \\
        --out benchmarks/results/gme_vs_3d_sin_l3_520.json 2> gme_vs_3d.log

Time cap and high Q: the 3D run stops when the LDOS spectrum has converged or at
``--max-periods`` optical periods after the source (then its Harminv Q is still measured from
the ring-down, but the LDOS of a mode cut at the cap is not a Purcell spectrum: the script
then reports no LDOS Purcell), or at ``--timeout-h`` hours of wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from cavities.registry import get_preset
from sims.config import SimConfig
from sims.gme import simulate_gme
from sims.runner import simulate


def _value(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _overrides(pairs: list[str]) -> dict[str, Any]:
    out = {}
    for p in pairs:
        k, _, v = p.partition("=")
        out[k] = _value(v)
    return out


def _rel(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b - 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset")
    parser.add_argument("--set", action="append", default=[], help="design override k=v")
    parser.add_argument("--resolution", type=float, default=None,
                        help="3D px/µm (default: the family's full resolution)")
    parser.add_argument("--window-nm", type=float, default=30.0)
    parser.add_argument("--n-freqs", type=int, default=401)
    parser.add_argument("--pml-um", type=float, default=0.5)
    parser.add_argument("--max-periods", type=float, default=3000.0)
    parser.add_argument("--timeout-h", type=float, default=6.0)
    parser.add_argument("--cache", default=os.environ.get("PNC_CAVITY_CACHE"),
                        help="cache of the 3D run (the GME run is never cached here)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    design = get_preset(args.preset, **_overrides(args.set))
    t0 = time.monotonic()
    gme = simulate_gme(design.gme_model(), cache_dir=None)
    t_gme = time.monotonic() - t0
    print(gme.summary(), file=sys.stderr, flush=True)
    g_mode = gme.resonance
    if g_mode is None:
        print("GME found no cavity mode", file=sys.stderr)
        return 1
    lam = round(g_mode.wavelength_um, 4)
    d3 = design.replace(target_wavelength_um=lam, window_um=1e-3 * args.window_nm)
    res = args.resolution or design.resolution_px_per_um("full")
    cfg = SimConfig(resolution_px_per_um=res, pml_um=args.pml_um, n_freqs=args.n_freqs,
                    n_freqs_flux=21, max_periods=args.max_periods, compute_mode_volume=True,
                    compute_collection=True)
    print(f"3D run at {res:g} px/µm, window {lam:.4f} ± {args.window_nm / 2e3:.4f} µm ...",
          file=sys.stderr, flush=True)
    t0 = time.monotonic()
    full = simulate(d3.to_structure("full"), cfg, cache_dir=args.cache or True,
                    timeout_s=3600 * args.timeout_h)
    t_3d = time.monotonic() - t0
    print(full.summary(), file=sys.stderr, flush=True)
    m3 = full.resonance
    gv, fv = gme.mode_volume, full.mode_volume
    row: dict[str, Any] = {
        "preset": args.preset, "overrides": args.set, "resolution_px_per_um": res,
        "gme": {"wavelength_um": g_mode.wavelength_um, "quality_factor": g_mode.quality_factor,
                "emitter_volume_lambda_n3": gv.emitter_volume_lambda_n3 if gv else None,
                "peak_volume_lambda_n3": gv.peak_volume_lambda_n3 if gv else None,
                "purcell_q_over_v": gme.analytic_purcell,
                "collection": gme.collection_efficiency_at_resonance,
                "errors": None if gme.accuracy is None else {
                    q: e.error for q, e in gme.accuracy.estimates.items()},
                "wall_time_s": t_gme},
        "full": {"wavelength_um": None if m3 is None else m3.wavelength_um,
                 "quality_factor": None if m3 is None else m3.quality_factor,
                 "emitter_volume_lambda_n3": fv.emitter_volume_lambda_n3 if fv else None,
                 "peak_volume_lambda_n3": fv.peak_volume_lambda_n3 if fv else None,
                 "purcell_ldos": full.purcell_total_at_resonance,
                 "purcell_q_over_v": full.analytic_purcell,
                 "collection": full.collection_efficiency_at_resonance,
                 "background_ldos": None, "stop_reason": full.provenance.stop_reason,
                 "wall_time_s": t_3d, "warnings": list(full.warnings)},
        "wall_time_ratio": t_3d / t_gme,
    }
    if m3 is not None:
        sp = full.spectra
        far = [f for w, f in zip(sp.wavelength_um, sp.purcell_total, strict=True)
               if abs(w / m3.wavelength_um - 1) > 20 / max(m3.quality_factor, 1.0)]
        row["full"]["background_ldos"] = min(far) if far else None
    g, f = row["gme"], row["full"]
    checks = {"wavelength": _rel(g["wavelength_um"], f["wavelength_um"]),
              "quality_factor_ratio": (None if f["quality_factor"] is None
                                       else g["quality_factor"] / f["quality_factor"]),
              "emitter_volume": _rel(g["emitter_volume_lambda_n3"],
                                     f["emitter_volume_lambda_n3"]),
              "peak_volume": _rel(g["peak_volume_lambda_n3"], f["peak_volume_lambda_n3"]),
              "ldos_over_q_over_v_3d": _rel(f["purcell_ldos"], f["purcell_q_over_v"])}
    row["checks"] = checks
    print(json.dumps(row, indent=1))
    print(f"\nGME {t_gme:.1f} s, 3D {t_3d:.0f} s: ratio {t_3d / t_gme:.0f}x", flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(row, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
