"""Convergence series of emitters near metals against their exact answers (sims.metal_cases).

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python benchmarks/metal_convergence.py \\
        half-space:Ag:0.02:z 100,140,200 [--pml 0.5] [--domain-pml 0.7] [--raw] \\
        [--out benchmarks/results/metal_convergence.json]

Each case is ``half-space:METAL:DISTANCE_UM:ORIENTATION``, ``mim:METAL:GAP_UM:ORIENTATION`` or
``sphere:METAL:RADIUS_UM:DISTANCE_UM:ORIENTATION`` (orientation ``z`` = axial/radial, ``x`` =
in-plane/tangential); ``terraced-sphere:...`` is the same sphere drawn as a cylinder with fully
rounded rims, i.e. as grid terraces (:mod:`sims.rounded_edges`). Every case runs on the listed grids (metal faces smoothed,
:mod:`sims.metal_smoothing`; ``--raw`` runs them with ``eps_averaging`` off, i.e. as Meep
staircases them), and prints per grid
the total and radiative Purcell factors at 500/520/540 nm with their error against the
reference, the wall time, then the three-grid extrapolation with its stated error. Results are
appended to the JSON file (one object per case and set-up) that the README's metals table
quotes; ``--table FILE.json`` prints them as the README's markdown table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WAVELENGTHS_UM = (0.50, 0.52, 0.54)


def build(spec: str, cell: dict[str, float]):  # -> sims.metal_cases.MetalCase
    from sims import metal_cases

    kind, *args = spec.split(":")
    if kind == "half-space":
        return metal_cases.half_space(args[0], float(args[1]), args[2], **cell)
    if kind == "mim":
        return metal_cases.mim_gap(args[0], float(args[1]), args[2], **cell)
    if kind == "sphere":
        return metal_cases.sphere(args[0], float(args[1]), float(args[2]), args[3], **cell)
    if kind == "terraced-sphere":  # the sphere as a cylinder with fully rounded rims
        from cavities.shapes import Cylinder

        case = metal_cases.sphere(args[0], float(args[1]), float(args[2]), args[3], **cell)
        ball = case.structure.shapes[0]
        rim = Cylinder(material=ball.material, center_um=ball.center_um,
                       radius_um=ball.radius_um, height_um=2 * ball.radius_um,
                       edge_radius_um=ball.radius_um)
        structure = dataclasses.replace(case.structure, shapes=(rim,),
                                        name=f"terraced-{case.structure.name}")
        return dataclasses.replace(case, name=structure.name, structure=structure)
    raise SystemExit(f"unknown case kind {kind!r} in {spec!r}")


def run_case(spec: str, resolutions: list[float], *, raw: bool, cache: str, pml_um: float,
             domain_pml_um: float | None, cell: dict[str, float]) -> dict:
    from sims.config import SimConfig
    from sims.metal_convergence import extrapolate
    from sims.runner import simulate

    case = build(spec, cell)
    cfg = SimConfig(pml_um=pml_um, compute_mode_volume=False, compute_collection=False,
                    n_freqs=21, n_freqs_flux=5, progress_interval_s=120)
    refs = [case.reference(lam) for lam in WAVELENGTHS_UM]
    grids = []
    for res in resolutions:
        t0 = time.monotonic()
        # simulate smooths horizontal metal faces unless eps_averaging is off (--raw)
        r = simulate(case.structure, dataclasses.replace(
            cfg, resolution_px_per_um=res, eps_averaging=not raw), cache_dir=cache)
        wall = time.monotonic() - t0
        tot = [r.spectra.total_at(lam) for lam in WAVELENGTHS_UM]
        rad = [r.spectra.radiative_at(lam) for lam in WAVELENGTHS_UM]
        grids.append({"resolution_px_per_um": res, "total": tot, "radiative": rad,
                      "wall_time_s": wall, "meep_wall_time_s": r.provenance.wall_time_s,
                      "time_steps": r.provenance.time_steps})
        errs = ", ".join(f"{100 * (t / ref[0] - 1):+.1f} %" for t, ref in zip(tot, refs,
                                                                            strict=True))
        print(f"{spec} {res:g} px/µm: total {[round(v, 4) for v in tot]} ({errs}); radiative "
              f"{[round(v, 4) for v in rad]}; {wall:.0f} s", flush=True)
    domain = None
    if domain_pml_um is not None:
        t0 = time.monotonic()
        r = simulate(case.structure, dataclasses.replace(
            cfg, resolution_px_per_um=resolutions[0], eps_averaging=not raw,
            pml_um=domain_pml_um), cache_dir=cache)
        domain = [abs(r.spectra.total_at(lam) - grids[0]["total"][i])
                  for i, lam in enumerate(WAVELENGTHS_UM)]
        print(f"  domain check (PML {domain_pml_um} µm at {resolutions[0]:g} px/µm): total "
              f"changes by {[round(v, 4) for v in domain]}; {time.monotonic() - t0:.0f} s",
              flush=True)
    out = {"case": spec, "smoothed": not raw, "pml_um": pml_um, "domain_pml_um": domain_pml_um,
           "cell": cell, "cell_size_um": list(case.structure.cell_size_um),
           "domain_error": domain, "wavelengths_um": list(WAVELENGTHS_UM),
           "reference_total": [ref[0] for ref in refs],
           "reference_radiative": [ref[1] for ref in refs], "grids": grids}
    if len(grids) >= 2:
        ex = [extrapolate([g["total"][i] for g in grids], resolutions)
              for i in range(len(WAVELENGTHS_UM))]
        if domain is not None:
            ex = [dataclasses.replace(e, error=e.error + dd) for e, dd in zip(ex, domain,
                                                                               strict=True)]
        out["extrapolated_total"] = [{"value": e.value, "error": e.error, "order": e.order,
                                      "observed": e.observed} for e in ex]
        for lam, e, ref in zip(WAVELENGTHS_UM, ex, refs, strict=True):
            print(f"  {1e3 * lam:.0f} nm: extrapolated {e.value:.4f} ± {e.error:.3f} (order "
                  f"{e.order:.2f}{'' if e.observed else ' assumed'}), reference {ref[0]:.4f}: "
                  f"{100 * (e.value / ref[0] - 1):+.2f} %, stated ±{100 * e.error / ref[0]:.1f} %",
                  flush=True)
    return out


def table(entries: list[dict], wavelength_um: float = 0.52) -> str:
    """Markdown rows: case, set-up, error of each grid, extrapolation ± stated error, times."""
    rows = ["| case | grids (px/µm) | PML (µm) | error per grid at "
            f"{1e3 * wavelength_um:.0f} nm | extrapolated (order) | stated error | Meep time per grid |",
            "|---|---|---|---|---|---|---|"]
    for e in entries:
        i = e["wavelengths_um"].index(wavelength_um)
        ref = e["reference_total"][i]
        grids = [g["resolution_px_per_um"] for g in e["grids"]]
        errs = " / ".join(f"{100 * (g['total'][i] / ref - 1):+.1f} %" for g in e["grids"])
        ex = e.get("extrapolated_total")
        if ex is None:
            extra, stated = "—", "—"
        else:
            x = ex[i]
            order = f"{x['order']:.2f}" if x["observed"] else f"{x['order']:g}, assumed"
            extra = f"{100 * (x['value'] / ref - 1):+.1f} % ({order})"
            stated = f"±{100 * x['error'] / ref:.1f} %"
        wall = " + ".join(f"{g['meep_wall_time_s']:.0f}" for g in e["grids"]) + " s"
        name = e["case"] + ("" if e["smoothed"] else " (raw)")
        rows.append(f"| {name} | {'/'.join(f'{r:g}' for r in grids)} | {e.get('pml_um')} | "
                    f"{errs} | {extra} | {stated} | {wall} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--table"]:
        print(table(json.loads(Path(argv[1]).read_text())))
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cases", nargs="+", help="case specs, then the comma-separated grids")
    p.add_argument("--raw", action="store_true", help="no metal-face smoothing")
    p.add_argument("--pml", type=float, default=0.5, help="PML thickness (µm)")
    p.add_argument("--radius", type=float, default=None, help="cell radius (µm)")
    p.add_argument("--height", type=float, default=None, help="cell height (µm)")
    p.add_argument("--domain-pml", type=float, default=None,
                   help="also run the coarsest grid with this PML; the change is added to the "
                        "stated error")
    p.add_argument("--out", default=str(ROOT / "benchmarks/results/metal_convergence.json"))
    p.add_argument("--cache", default=str(ROOT / "runs/bench-cache"))
    a = p.parse_args(argv)
    *specs, grids = a.cases
    resolutions = [float(x) for x in grids.split(",")]
    out_path = Path(a.out)
    data = json.loads(out_path.read_text()) if out_path.exists() else []
    for spec in specs:
        cell = {k: v for k, v in (("radius_um", a.radius), ("height_um", a.height))
                if v is not None}
        entry = run_case(spec, resolutions, raw=a.raw, cache=a.cache, pml_um=a.pml,
                         domain_pml_um=a.domain_pml, cell=cell)
        data = [d for d in data if not (d["case"] == spec and d["smoothed"] == entry["smoothed"]
                                        and d.get("pml_um") == a.pml
                                        and d.get("cell") == entry["cell"]
                                        and [g["resolution_px_per_um"] for g in d["grids"]]
                                        == resolutions)] + [entry]
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
