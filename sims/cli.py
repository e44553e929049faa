"""``pnc-sim``: simulate a structure JSON, run the reference demo, study convergence, export.

Exit codes: 0 success, 1 runtime failure (simulation error), 2 usage error. JSON/paths go to
stdout, progress and summaries to stderr; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from cavities._version import add_version_option
from cavities.structure import Structure
from sims.config import SimConfig


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def apply_overrides(config: SimConfig, pairs: list[str]) -> SimConfig:
    """``key=value`` overrides of SimConfig fields (values parsed as JSON)."""
    changes: dict[str, Any] = {}
    fields = {f.name for f in dataclasses.fields(SimConfig)}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"override {pair!r} must look like key=value.")
        key, value = pair.split("=", 1)
        if key not in fields:
            raise ValueError(f"unknown SimConfig field {key!r}; known: {sorted(fields)}.")
        changes[key] = _parse_value(value)
    return dataclasses.replace(config, **changes)


def read_json(path: str, what: str) -> Any:
    """The JSON content of ``path``; errors name the file (and the place of a syntax error)."""
    try:
        text = Path(path).read_text()
    except FileNotFoundError:
        raise ValueError(f"{what} file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read {what} file {path}: {err}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{what} file {path} is not valid JSON: {err.msg} at line "
                         f"{err.lineno}, column {err.colno}.") from None


def _check_keys(data: Any, cls: type, where: str, path: str) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{where} in structure file {path} must be a JSON object, but got "
                         f"{type(data).__name__}.")
    known = {f.name for f in dataclasses.fields(cls)} | ({"type"} if where != "the structure"
                                                         else set())
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown key(s) {unknown} in {where} of structure file {path}; known "
                         f"keys: {sorted(known)}.")


def load_structure(path: str) -> Structure:
    """A :class:`Structure` from a JSON file; unknown keys and bad values name the file."""
    from cavities.shapes import SHAPE_TYPES

    data = read_json(path, "structure")
    _check_keys(data, Structure, "the structure", path)
    shapes = data.get("shapes", ())
    for i, shape in enumerate(shapes if isinstance(shapes, list) else ()):
        kind = shape.get("type") if isinstance(shape, dict) else None
        if kind in SHAPE_TYPES:
            _check_keys(shape, SHAPE_TYPES[kind], f"shapes[{i}] ({kind})", path)
    try:
        return Structure.from_dict(data)
    except (TypeError, KeyError, ValueError, AttributeError) as err:
        raise ValueError(f"structure file {path}: {type(err).__name__}: {err}") from None


def load_config(path: str) -> SimConfig:
    """A :class:`SimConfig` from a JSON file; unknown keys and bad values name the file."""
    data = read_json(path, "config")
    if not isinstance(data, dict):
        raise ValueError(f"config file {path} must hold a JSON object, but got "
                         f"{type(data).__name__}.")
    try:
        return SimConfig.from_dict(data)
    except (TypeError, ValueError) as err:
        raise ValueError(f"config file {path}: {err}") from None


def summary(result: Any) -> str:
    """A few human-readable lines about a SimResult (:meth:`SimResult.summary`)."""
    from sims.display import text_summary

    return text_summary(result)


def _write_outputs(result: Any, out: Path, marks: dict[str, float] | None = None,
                   references: dict[str, Any] | None = None) -> Path:
    from sims.plotting import plot_spectra

    out.mkdir(parents=True, exist_ok=True)
    path = out / "result.json"
    path.write_text(result.to_json())
    plot_spectra(result, out / "purcell_spectrum.png", marks_um=marks, references=references)
    return path


def demo_structure() -> Structure:
    """Reference structure of ``make run``: a dipole 20 nm above a TiO2 sphere (a = 100 nm),
    radial orientation, cylindrical coordinates, with a Mie-theory answer (REFERENCES A2)."""
    from cavities.materials import constant_index
    from cavities.shapes import Sphere

    return Structure(
        name="demo-tio2-sphere",
        shapes=(Sphere(center_um=(0, 0, 0), radius_um=0.10,
                       material=constant_index("TiO2", 2.46)),),
        cell_size_um=(1.0, 1.0, 1.0), dimensions="cylindrical", dipole_orientation="z",
        emitter_position_um=(0.0, 0.0, 0.12), wavelength_min_um=0.48, wavelength_max_um=0.56,
        target_wavelength_um=0.52, collection_na=0.65,
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from sims.runner import simulate

    structure = load_structure(args.structure)
    config = load_config(args.config) if args.config else SimConfig()
    config = apply_overrides(config, args.set or [])
    result = simulate(structure, config, cache_dir=args.cache or True, mpi_ranks=args.np,
                      timeout_s=args.timeout)
    print(summary(result), file=sys.stderr)
    print(_write_outputs(result, Path(args.out)))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from sims import analytic
    from sims.runner import simulate

    structure = demo_structure()
    config = apply_overrides(SimConfig(resolution_px_per_um=100, pml_um=0.5, n_freqs=41,
                                       n_freqs_flux=9), args.set or [])
    print("Simulating the reference structure (TiO2 sphere + radial dipole, cylindrical) ...",
          file=sys.stderr)
    result = simulate(structure, config, cache_dir=args.cache or True)
    print(summary(result), file=sys.stderr)
    def mie(wl: float) -> float:
        return analytic.mie_dipole_rates(sphere_radius_um=0.10, distance_um=0.02,
                                         wavelength_um=wl, sphere_index=2.46).total_radial

    got = result.spectra.total_at(0.52)
    print(f"  check at 520 nm: Meep total Purcell {got:.4f} vs Mie theory "
          f"{mie(0.52):.4f} ({100 * (got / mie(0.52) - 1):+.2f} %)", file=sys.stderr)
    wl = list(result.spectra.flux_wavelength_um)
    print(_write_outputs(result, Path(args.out), marks={"520 nm": 0.52},
                         references={"Mie theory (radial)": (wl, [mie(w) for w in wl])}))
    return 0


def _cmd_convergence(args: argparse.Namespace) -> int:
    from sims.convergence import convergence_study

    structure = load_structure(args.structure)
    config = apply_overrides(SimConfig(), args.set or [])
    res = [float(r) for r in args.resolutions.split(",")]
    report = convergence_study(structure, config, res, cache_dir=args.cache or True)
    print(report.to_markdown(), file=sys.stderr)
    print(report.to_json())
    return 0


def load_result(path: str) -> Any:
    """A :class:`~sims.results.SimResult` from ``result.json``, a ``pnc-sim run`` output folder
    or a ``pnc-optimize evaluate`` ``evaluation.json`` (its ``sim``); errors name the file."""
    from sims.results import SimResult

    source = Path(path)
    if source.is_dir():
        source = source / "result.json"
    data = read_json(str(source), "result")
    if isinstance(data, dict) and "spectra" not in data and isinstance(data.get("sim"), dict):
        data = data["sim"]  # an evaluation.json holds the SimResult under "sim"
    if not isinstance(data, dict):
        raise ValueError(f"result file {source} must hold a JSON object, but got "
                         f"{type(data).__name__}.")
    try:
        return SimResult.from_dict(data)
    except (TypeError, KeyError, ValueError, AttributeError) as err:
        detail = f"missing key {err}" if isinstance(err, KeyError) else str(err)
        raise ValueError(f"result file {source} is not a SimResult JSON ({detail}).") from None


def _cmd_export(args: argparse.Namespace) -> int:
    from sims.export import write_netcdf

    result = load_result(args.result)
    out = Path(args.out)
    if out.suffix != ".nc":
        raise ValueError(f"--out {out} must end in .nc (a netCDF-4 file).")
    path = write_netcdf(result, out)
    sp = result.spectra
    print(f"wrote {path}: spectra on {len(sp.wavelength_um)} LDOS and "
          f"{len(sp.flux_wavelength_um)} flux wavelengths, "
          f"{'with' if result.accuracy is not None else 'no'} grid-error estimate",
          file=sys.stderr)
    print(path)
    return 0


def _version_lines() -> list[str]:
    """Simulation-code version, and the Meep version if Meep imports (imports it: ~1-2 s)."""
    import atexit
    import contextlib
    import io

    from sims._compat import meep_version
    from sims.cache import CODE_VERSION

    lines = [f"simulation code {CODE_VERSION}"]
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Meep prints an MPI banner on import
            lines.append(f"Meep {meep_version()}")
    except Exception as err:  # noqa: BLE001 - any failure to import Meep is reported, not raised
        first = (str(err).splitlines() or [type(err).__name__])[0]
        lines.append(f"Meep not available ({first})")
    report = getattr(sys.modules.get("meep"), "report_elapsed_time", None)
    if callable(report):
        atexit.unregister(report)  # no "Elapsed run time" line after the version
    return lines


def _cmd_template(args: argparse.Namespace) -> int:
    print(json.dumps(demo_structure().to_dict(), indent=1))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pnc-sim", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    add_version_option(p, extra=_version_lines)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="simulate a structure JSON; write result.json and a plot")
    r.add_argument("structure", help="structure JSON (see `pnc-sim template`)")
    r.add_argument("--config", help="SimConfig JSON")
    r.add_argument("--set", action="append", metavar="KEY=VALUE", help="SimConfig override")
    r.add_argument("--out", required=True, help="output directory")
    r.add_argument("--cache", help="result cache directory (default ~/.cache/...)")
    r.add_argument("--np", type=int, default=1, help="MPI ranks for the simulation")
    r.add_argument("--timeout", type=float, default=None, help="wall-clock limit per run (s)")
    r.set_defaults(func=_cmd_run)
    d = sub.add_parser("demo", help="simulate the reference structure and compare with Mie")
    d.add_argument("--out", default="runs/demo", help="output directory")
    d.add_argument("--set", action="append", metavar="KEY=VALUE", help="SimConfig override")
    d.add_argument("--cache", help="result cache directory")
    d.set_defaults(func=_cmd_demo)
    c = sub.add_parser("convergence", help="repeat a run at several resolutions")
    c.add_argument("structure")
    c.add_argument("--resolutions", required=True, help="comma-separated px/µm, e.g. 20,30,40")
    c.add_argument("--set", action="append", metavar="KEY=VALUE")
    c.add_argument("--cache")
    c.set_defaults(func=_cmd_convergence)
    t = sub.add_parser("template", help="print an example structure JSON")
    t.set_defaults(func=_cmd_template)
    e = sub.add_parser("export", help="write a result as netCDF (xarray; needs the extra "
                       "`export`)")
    e.add_argument("result", help="result.json, a `pnc-sim run` output folder or an "
                   "evaluation.json")
    e.add_argument("--out", required=True, help="output netCDF file (.nc)")
    e.set_defaults(func=_cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, FileNotFoundError, json.JSONDecodeError) as err:
        if args.debug:
            traceback.print_exc()
        print(f"pnc-sim: error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - reported as a one-line runtime failure
        if args.debug:
            traceback.print_exc()
        print(f"pnc-sim: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
