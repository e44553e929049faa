"""``pnc-cavity``: list cavity families and presets, write a design's JSON, structure JSON and
geometry plot (no simulation; ``pnc-optimize evaluate`` simulates).

Exit codes: 0 success, 2 bad input (one-line error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


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


def main(argv: list[str] | None = None) -> int:
    from cavities.registry import design_from_dict, get_family, get_preset, list_presets

    parser = argparse.ArgumentParser(prog="pnc-cavity", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("presets", help="list presets")
    p = sub.add_parser("bounds", help="optimisation bounds of a family")
    p.add_argument("family")
    p = sub.add_parser("show", help="design JSON, structure JSON and geometry plot")
    p.add_argument("design", help="preset name or design JSON file")
    p.add_argument("--set", action="append", metavar="NAME=VALUE")
    p.add_argument("--fidelity", choices=("screen", "full"), default="full")
    p.add_argument("--min-feature-um", type=float, default=0.03)
    p.add_argument("--out", default="runs/cavity")
    args = parser.parse_args(argv)
    try:
        if args.command == "presets":
            for name, family, desc in list_presets():
                print(f"{name:30s} {family:20s} {desc}")
            return 0
        if args.command == "bounds":
            cls = get_family(args.family)
            for name, b in cls.BOUNDS.items():
                print(f"{name:24s} [{b.low:g}, {b.high:g}] {b.unit}{' (log)' if b.log else ''}")
            return 0
        overrides = _pairs(args.set)
        path = Path(args.design)
        if path.suffix == ".json":
            if not path.exists():
                raise ValueError(f"design file {path} does not exist.")
            design = design_from_dict(json.loads(path.read_text()))
            design = design.replace(**overrides) if overrides else design
        else:
            design = get_preset(args.design, **overrides)
        violations = design.fabrication_violations(args.min_feature_um)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "design.json").write_text(json.dumps(design.to_dict(), indent=1))
        structure = design.to_structure(args.fidelity)
        (out / "structure.json").write_text(json.dumps(structure.to_dict(), indent=1))
        fig = design.plot_geometry(args.fidelity)
        fig.savefig(out / "geometry.png", dpi=130)
        for v in violations:
            print(f"pnc-cavity: fabrication: {v}", file=sys.stderr)
        print(out / "geometry.png")
        return 0
    except ValueError as err:
        print(f"pnc-cavity: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
