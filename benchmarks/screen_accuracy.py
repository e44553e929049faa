"""Screen accuracy per family: the screen's values and error bars against converged values.

    .venv/bin/python benchmarks/screen_accuracy.py [--presets bullseye_sin_520,tio2_pillar_520]

For each preset: the screen as the optimiser runs it (``sims.screen.simulate_with_error`` at the
family's screen resolution and ``ERROR_GRID_RATIO`` × it), and a convergence series at finer grids through the
same public API. The converged value of each quantity is the Richardson extrapolation of the
two finest grids (orders: the family's ``CONVERGENCE_ORDERS``, else 1); the observed order of
the three finest grids is printed beside it. The table says, per quantity, the screen's
extrapolated value ± its stated error, the converged value, the true error of the screen, and
whether the stated error covers it. Results go to ``benchmarks/results/screen_accuracy.json``
and a Markdown table to ``benchmarks/results/screen_accuracy.md`` (the README quotes it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERIES = {"bullseye_sin_520": (120.0, 160.0, 200.0), "tio2_pillar_520": (180.0, 240.0, 300.0)}
"""The convergence series, finer than each family's screen grids (bullseye 60/80, pillar
120/180 px/µm): 200 px/µm costs ~19 min for the bullseye on one core, 300 ~2 min for the pillar."""


def main(argv: list[str] | None = None) -> int:
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims.accuracy import QUANTITIES, estimate, observed_order
    from sims.runner import simulate
    from sims.screen import DEFAULT_ORDERS, headline, simulate_with_error

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", default=",".join(SERIES))
    parser.add_argument("--cache", default=str(ROOT / "runs/bench-cache"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/screen_accuracy"))
    args = parser.parse_args(argv)
    report: dict = {}
    lines = ["| preset | quantity | screen (extrapolated ± stated error) | converged | "
             "screen error | covered | series (px/µm: value) | observed order |",
             "|---|---|---|---|---|---|---|---|"]
    for name in args.presets.split(","):
        design = get_preset(name)
        cfg = EvalSettings().sim_config(design)
        structure = design.to_structure("screen")
        orders = {**DEFAULT_ORDERS, **design.CONVERGENCE_ORDERS}
        screen = simulate_with_error(structure, cfg, orders=orders,
                                     grid_ratio=design.ERROR_GRID_RATIO, cache_dir=args.cache)
        series = [simulate(structure, dataclasses.replace(cfg, resolution_px_per_um=r),
                           cache_dir=args.cache) for r in SERIES[name]]
        per = [headline(r) for r in series]
        conv = estimate(per[-2:], list(SERIES[name][-2:]), order=orders)
        acc = screen.accuracy
        entry = {"screen_resolutions": acc.resolutions_px_per_um, "series": SERIES[name],
                 "screen": {}, "converged": {}, "screen_wall_s":
                 screen.provenance.wall_time_s, "notes": list(acc.notes)}
        for q in QUANTITIES:
            s_val, s_err = acc.value(q), acc.error(q)
            c_val = conv.value(q)
            vals = [p[q] for p in per]
            p_obs = (observed_order(vals, list(SERIES[name]))
                     if all(v is not None for v in vals) else None)
            true_err = None if s_val is None or c_val is None else abs(s_val - c_val)
            covered = None if true_err is None or s_err is None else true_err <= s_err
            entry["screen"][q] = {"value": s_val, "error": s_err,
                                  "values": acc.estimates[q].values}
            entry["converged"][q] = {"value": c_val, "error": conv.error(q), "series": vals,
                                     "observed_order": p_obs, "true_error_of_screen": true_err,
                                     "covered": covered}
            scale, unit = (1e3, " nm") if q == "resonance_wavelength_um" else (1.0, "")

            def fmt(v: float | None, scale: float = scale) -> str:
                return "—" if v is None else f"{scale * v:.4g}"

            rel = ("" if true_err is None or not c_val or q == "resonance_wavelength_um"
                   else f" ({100 * true_err / abs(c_val):.1f} %)")
            lines.append(
                f"| {name} | {q} | {fmt(s_val)} ± {fmt(s_err)}{unit} | {fmt(c_val)}{unit} | "
                f"{fmt(true_err)}{unit}{rel} | {'yes' if covered else 'no' if covered is not None else '—'} | "
                + ", ".join(f"{r:g}: {fmt(v)}" for r, v in zip(SERIES[name], vals, strict=True))
                + f" | {'—' if p_obs is None else f'{p_obs:.2g}'} |")
        report[name] = entry
        print(f"{name}: {acc.summary()}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=1))
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
