"""Command line: score a saved simulation result for a chosen emitter.

Examples::

    pnc-emitter evaluate runs/<hash>/result.json --emitter CsPbBr3 --edge-nm 10 --temperature-k 4
    pnc-emitter evaluate result.json --set qy_x=0.9 --orientation triplet --out score.json
    pnc-emitter presets

Exit codes: 0 success, 2 bad input (one-line error, argparse style).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cavities._version import add_version_option
from sims.errors import SimulationError

PROG = "pnc-emitter"


class _UsageError(Exception):
    pass


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _overrides(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise _UsageError(f"--set {pair!r} must look like name=value.")
        k, v = pair.split("=", 1)
        out[k.strip()] = _parse_value(v.strip())
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


ROWS = (
    ("dipole orientation (factor)", "orientation", "orientation_factor", ""),
    ("exciton / biexciton line", "exciton_wavelength_um", "biexciton_wavelength_um", "µm"),
    ("Purcell X (overlap / closed form)", "purcell_x", "purcell_x_closed_form", ""),
    ("Purcell X radiative", "purcell_radiative_x", None, ""),
    ("Purcell XX (total / radiative)", "purcell_xx", "purcell_radiative_xx", ""),
    ("QY_X bare / cavity", "qy_x_bare", "qy_x_cavity", ""),
    ("QY_XX bare / cavity", "qy_xx_bare", "qy_xx_cavity", ""),
    ("g2(0) bare / cavity", "g2_bare", "g2_cavity", ""),
    ("biexciton-enhancement risk", "biexciton_risk", None, "g2 ratio"),
    ("g2(0) detected (⟨N⟩, gate, filter)", "g2_detected", "detected_fraction", "(g2, kept)"),
    ("lifetime bare / cavity", "lifetime_bare_ns", "lifetime_cavity_ns", "ns"),
    ("collection efficiency", "collection_efficiency", None, ""),
    ("brightness pulsed / CW", "brightness_cps", "brightness_cw_cps", "photons/s"),
    ("coupling g / cavity κ", "g_ueV", "kappa_ueV", "µeV"),
    ("regime", "regime", None, ""),
    ("β exact / closed form", "beta", "beta_closed_form", ""),
    ("indistinguishability cavity / bare", "indistinguishability", "indistinguishability_bare", ""),
)


def format_table(d: dict[str, Any]) -> str:
    lines = [f"{'quantity':38s} {'value':>24s}  unit"]
    for label, a, b, unit in ROWS:
        val = _fmt(d.get(a)) if b is None else f"{_fmt(d.get(a))} / {_fmt(d.get(b))}"
        lines.append(f"{label:38s} {val:>24s}  {unit}")
    for w in d.get("warnings", ()):
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def _build_parser() -> argparse.ArgumentParser:
    from emitter.params import EMITTER_PRESETS
    from emitter.purcell import ORIENTATIONS

    p = argparse.ArgumentParser(prog=PROG, description="Score a cavity simulation result for a "
                                "perovskite-nanocrystal emitter.")
    add_version_option(p)
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="score a SimResult JSON for an emitter")
    ev.add_argument("result", help="path to a sims SimResult JSON (result.json)")
    ev.add_argument("--emitter", default="CsPbBr3",
                    help=f"preset: {', '.join(EMITTER_PRESETS)} or CsPbBr{{3-3x}}I{{3x}}")
    ev.add_argument("--edge-nm", type=float, default=10.0, help="NC edge length (nm)")
    ev.add_argument("--temperature-k", type=float, default=295.0, help="temperature (K)")
    ev.add_argument("--set", action="append", metavar="NAME=VALUE",
                    help="override an emitter parameter (repeatable)")
    ev.add_argument("--orientation", choices=ORIENTATIONS, default="aligned")
    ev.add_argument("--repetition-rate-hz", type=float, default=None)
    ev.add_argument("--fluence-uj-per-cm2", type=float, default=None)
    ev.add_argument("--cw-intensity-w-per-cm2", type=float, default=None)
    ev.add_argument("--gate-ns", type=float, default=None)
    ev.add_argument("--filter-center-um", type=float, default=None)
    ev.add_argument("--filter-fwhm-nm", type=float, default=None)
    ev.add_argument("--out", type=Path, default=None, help="write the score JSON here")
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sub.add_parser("presets", help="list emitter presets and their defaults")
    return p


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from emitter import CavityResponse, Excitation, preset_emitter, score

    path = Path(args.result)
    if not path.is_file():
        raise _UsageError(f"result file {str(path)!r} does not exist.")
    try:
        response = CavityResponse.from_sim_result(path)
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise _UsageError(f"{path} is not a valid SimResult JSON ({type(err).__name__}: {err}).")
    emitter = preset_emitter(args.emitter, edge_nm=args.edge_nm,
                             temperature_k=args.temperature_k, **_overrides(args.set))
    exc_kw = {k: getattr(args, k) for k in ("repetition_rate_hz", "fluence_uj_per_cm2",
                                            "cw_intensity_w_per_cm2", "gate_ns",
                                            "filter_center_um", "filter_fwhm_nm")
              if getattr(args, k) is not None}
    sc = score(response, emitter, excitation=Excitation(**exc_kw), orientation=args.orientation)
    d = sc.to_dict()
    print(json.dumps(d, indent=1, allow_nan=False) if args.json else
          f"{emitter.name}, {emitter.edge_nm:g} nm, {emitter.temperature_k:g} K, "
          f"{args.orientation} — {path}\n" + format_table(d))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(sc.to_json())
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _cmd_presets() -> int:
    from emitter import EMITTER_PRESETS, preset_emitter

    for name in EMITTER_PRESETS:
        for t in (295.0, 4.0):
            e = preset_emitter(name, temperature_k=t)
            print(f"{name:14s} {t:5.0f} K  λX={1e3 * e.exciton_wavelength_um:6.1f} nm  "
                  f"FWHM={e.homogeneous_linewidth_mev:.4g} meV  τX={e.lifetime_x_ns:.3g} ns  "
                  f"QY_X={e.qy_x:.2f}  Δ_XX={e.biexciton_binding_mev:.3g} meV  "
                  f"g2={e.qy_xx / e.qy_x:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``pnc-emitter`` / ``python -m emitter``; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "presets":
            return _cmd_presets()
        return _cmd_evaluate(args)
    except (_UsageError, ValueError, OSError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except SimulationError as err:  # a saved result that cannot be scored (e.g. LDOS not converged)
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
