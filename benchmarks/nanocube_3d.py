"""The nanocube screen (a cylindrical disk, a sum over azimuthal harmonics)
against the 3D cube (the full fidelity) on one grid: the validation of issue "Numbers near
metals", item 4 (λ within 5 %, Purcell within 30 %).

    PNC_CAVITY_CACHE=... OMP_NUM_THREADS=1 .venv/bin/python benchmarks/nanocube_3d.py \\
        --fidelity full --resolution 250 [--margin-um 0.1 --pml-um 0.2]
    ... benchmarks/nanocube_3d.py --fidelity screen --resolution 250 [--disk patch|area]
    ... benchmarks/nanocube_3d.py --fidelity full-planar --resolution 250 [...as full]
    ... benchmarks/nanocube_3d.py --compare A.json B.json [C.json]

The design is ``akselrod_2014`` with an 80 nm cube (every face of the cube and the 8 nm gap on
the 250 px/µm grid planes, so the 3D metal faces are smoothed, sims.metal_boxes; the 75 nm cube
has its faces at ±37.5 nm, off the planes) and the emitter (z dipole, mid-gap) 2/3 of the way
from the centre to the edge, x = 26.7 nm. The 3D cell is the family's with a smaller lateral
margin and PML (default 0.1 and 0.2 µm; the family's 0.2 and 0.35 µm take ~5x longer); the film
is a Block that ends where the PML begins, as in the family. The screen is the family's (planar
reference near the gap faces; ``--no-planar``: Meep's own near field, as in 3D; ``--disk``:
the patch-wavenumber disk, the family's default, or the equal-area one). ``full-planar`` is the
3D cell with the planar stack through the emitter instead of the cube: given with the 3D run to
``--compare``, it gives the 3D total the screen's planar control variate (the grid's planar
near field replaced by the exact one). Both on one grid: the comparison measures the
disk-for-cube model, not the grid. Writes a JSON with the spectra, the Harminv modes and the
LDOS peak in the band.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAND_UM = (0.6, 0.95)


def _design(edge_nm: float, disk: str = "area"):
    from cavities.registry import get_preset

    edge = 1e-3 * edge_nm
    return get_preset("akselrod_2014", cube_edge_um=edge, emitter_x_um=round(edge / 3, 6),
                      target_wavelength_um=0.775, window_um=0.45, screen_disk=disk)


def _full_structure(design, margin_um: float):
    from cavities.shapes import Block

    s = design.to_structure("full")
    old = s.cell_size_um[0]
    lateral = design.cube_edge_um + 2 * margin_um
    shapes = tuple(dataclasses.replace(sh, size_um=(lateral, lateral, sh.size_um[2]))
                   if isinstance(sh, Block) and abs(sh.size_um[0] - old) < 1e-9 else sh
                   for sh in s.shapes)
    half_z = design.gap_um + design.cube_edge_um + margin_um
    return dataclasses.replace(s, shapes=shapes, cell_size_um=(lateral, lateral, 2 * half_z))


def _planar_3d(structure):
    """The 3D cell with its shapes replaced by the planar stack through the emitter (as
    sims.planar_reference builds it for cylindrical runs; layers through the PML): the 3D
    run's own planar control variate, P = P_planar,exact + (S - S_planar)/H."""
    from cavities.shapes import Layer
    from sims.local_stack import vertical_layers
    from sims.planar_reference import PLANAR_META

    shapes = tuple(Layer(material=mat, z_min_um=max(lo, -1e3), z_max_um=min(hi, 1e3))
                   for lo, hi, mat in vertical_layers(structure) if mat != structure.background)
    return dataclasses.replace(structure, shapes=shapes, name=f"{structure.name}-planar",
                               meta={**structure.meta, PLANAR_META: True})


def _peak(lam, values):
    import numpy as np

    lam, values = np.asarray(lam), np.asarray(values)
    band = np.flatnonzero((lam > BAND_UM[0]) & (lam < BAND_UM[1]))
    i = band[np.argmax(values[band])]
    return float(lam[i]), float(values[i])


def _with_small_reference(structure, cfg, half_um: float, ranks: int):
    """The structure run normalised by a host reference in a cell of half-size ``half_um``
    instead of the library's one host wavelength (sims.reference): at 250 px/µm in 3D the
    library's 1.35 µm host cube is 21 M voxels with its two mirror planes, slower than the
    cube itself. ``--check-reference`` measures what the smaller cell changes."""
    from sims.cache import resolve_cache_dir
    from sims.normalise import combine
    from sims.reference import reference_config, reference_structure
    from sims.runner import _run_structure, cached_raw

    cache = resolve_cache_dir(True)
    ref_s = reference_structure(structure, cfg)
    ref_s = dataclasses.replace(ref_s, cell_size_um=(2 * half_um,) * 3,
                                name=f"{ref_s.name}-half{half_um:g}")
    ref = cached_raw("reference", ref_s, reference_config(cfg), cache, want_modes=False)
    raw = cached_raw("structure", _run_structure(structure, cfg), cfg, cache, want_modes=True,
                     mpi_ranks=ranks)
    return combine(structure, cfg, raw, ref)


def check_reference(args: argparse.Namespace) -> None:
    """The host reference of the 3D run in the library's cell and in the small one, at
    ``--resolution``: the ratio of their LDOS spectra over the window."""
    import numpy as np

    from sims.cache import resolve_cache_dir
    from sims.config import SimConfig
    from sims.reference import reference_config, reference_structure
    from sims.runner import cached_raw

    structure = _full_structure(_design(args.edge_nm), args.margin_um)
    cfg = SimConfig(resolution_px_per_um=args.resolution, pml_um=args.pml_um,
                    n_freqs_flux=args.n_freqs_flux, compute_mode_volume=False)
    big = reference_structure(structure, cfg)
    small = dataclasses.replace(big, cell_size_um=(2 * args.reference_half_um,) * 3,
                                name=f"{big.name}-half{args.reference_half_um:g}")
    runs = [cached_raw("reference", s, reference_config(cfg), resolve_cache_dir(True),
                       want_modes=False) for s in (big, small)]
    ratio = np.asarray(runs[1].ldos) / np.asarray(runs[0].ldos)
    print(f"host reference at {args.resolution:g} px/µm: cell {big.cell_size_um[0]:.3f} µm "
          f"against {small.cell_size_um[0]:.3f} µm: small/big LDOS {ratio.min():.4f} - "
          f"{ratio.max():.4f} over the window ({runs[0].provenance.wall_time_s:.0f} s, "
          f"{runs[1].provenance.wall_time_s:.0f} s)")


def run(args: argparse.Namespace) -> dict:
    from sims.config import SimConfig
    from sims.runner import simulate

    design = _design(args.edge_nm, args.disk)
    if args.fidelity in ("full", "full-planar"):
        structure = _full_structure(design, args.margin_um)
        if args.fidelity == "full-planar":
            structure = _planar_3d(structure)
        pml = args.pml_um
    else:
        structure = design.to_structure("screen")
        pml = design.sim_defaults("screen")["pml_um"]
    cfg = SimConfig(resolution_px_per_um=args.resolution, pml_um=pml,
                    n_freqs_flux=args.n_freqs_flux,
                    compute_mode_volume=False, progress_interval_s=120.0)
    t0 = time.perf_counter()
    if args.fidelity == "screen" and args.no_planar:
        from sims.azimuthal_sum import simulate_off_axis

        r = simulate_off_axis(structure, cfg, planar_reference=False)
    elif args.fidelity != "screen" and args.reference_half_um is not None:
        r = _with_small_reference(structure, cfg, args.reference_half_um, args.ranks)
    else:
        r = simulate(structure, cfg, mpi_ranks=args.ranks)
    wall = time.perf_counter() - t0
    sp = r.spectra
    out = {
        "fidelity": args.fidelity + ("-no-planar" if args.no_planar else "")
        + ("-patch" if args.fidelity == "screen" and args.disk == "patch" else ""),
        "screen_disk_radius_um": (design.screen_disk_radius_um()
                                  if args.fidelity == "screen" else None),
        "edge_nm": args.edge_nm, "resolution": args.resolution,
        "margin_um": args.margin_um if args.fidelity != "screen" else None, "pml_um": pml,
        "reference_half_um": args.reference_half_um if args.fidelity != "screen" else None,
        "cell_size_um": list(structure.cell_size_um), "wall_s": wall,
        "wavelength_um": list(sp.wavelength_um), "purcell_total": list(sp.purcell_total),
        "flux_wavelength_um": list(sp.flux_wavelength_um),
        "purcell_radiative": list(sp.purcell_radiative),
        "purcell_bound": None if sp.purcell_bound is None else list(sp.purcell_bound),
        "collection": None if sp.collection_efficiency is None else list(
            sp.collection_efficiency),
        "modes": [dataclasses.asdict(m) for m in r.modes],
        "resonance": None if r.resonance is None else dataclasses.asdict(r.resonance),
        "ldos_peak": _peak(sp.wavelength_um, sp.purcell_total),
        "radiative_peak": _peak(sp.flux_wavelength_um, sp.purcell_radiative),
        # what a closed flux box counts (the 3D run's "radiative"): the far field plus the
        # power bound to the film (the screen reports the two apart)
        "box_peak": _peak(sp.flux_wavelength_um, [
            a + (0.0 if sp.purcell_bound is None else b) for a, b in zip(
                sp.purcell_radiative, sp.purcell_bound or sp.purcell_radiative, strict=True)]),
        "warnings": list(r.warnings),
    }
    return out


def compare(paths: list[str]) -> None:
    rows = [json.loads(Path(p).read_text()) for p in paths]
    print("| fidelity | grid | LDOS peak (nm, total Purcell) | radiative peak (nm, Purcell) "
          "| flux-box peak (nm, Purcell) | resonance (nm, Q) | wall |")
    print("|---|---|---|---|---|---|---|")
    for d in rows:
        res = d["resonance"]
        rq = ("—" if res is None
              else f"{1e3 * res['wavelength_um']:.1f}, {res['quality_factor']:.1f}")
        print(f"| {d['fidelity']} | {d['resolution']:g} | {1e3 * d['ldos_peak'][0]:.1f}, "
              f"{d['ldos_peak'][1]:.0f} | {1e3 * d['radiative_peak'][0]:.1f}, "
              f"{d['radiative_peak'][1]:.1f} | {1e3 * d['box_peak'][0]:.1f}, "
              f"{d['box_peak'][1]:.1f} | {rq} | {d['wall_s']:.0f} s |")
    by = {d["fidelity"]: d for d in rows}
    if "full" in by and "full-planar" in by:
        corrected = _corrected_full(by["full"], by["full-planar"])
        by["full"] = {**by["full"], "ldos_peak": corrected["ldos_peak"]}
        print(f"3D total with its planar control variate (P_exact,planar + S - S_planar): "
              f"peak {1e3 * corrected['ldos_peak'][0]:.1f} nm, {corrected['ldos_peak'][1]:.0f} "
              f"(3D alone {rows[[d['fidelity'] for d in rows].index('full')]['ldos_peak'][1]:.0f}"
              f"; the 3D grid's planar stack is {corrected['planar_ratio']:.2f}x the exact one "
              "at that wavelength)")
        rows = [by["full"] if d["fidelity"] == "full" else d for d in rows
                if d["fidelity"] != "full-planar"]
    if len(rows) == 2:
        a, b = rows
        for key in ("ldos_peak", "radiative_peak", "box_peak"):
            print(f"{key}: λ {b[key][0] / a[key][0] - 1:+.1%}, Purcell "
                  f"{b[key][1] / a[key][1] - 1:+.1%} ({b['fidelity']} against {a['fidelity']})")


def _corrected_full(full: dict, planar: dict) -> dict:
    """The 3D total LDOS with the planar control variate the screen uses: the grid's planar
    near field replaced by the exact one (sims.planar_reference), on the 3D run's wavelengths."""
    import numpy as np

    from sims.planar_reference import exact_planar_rate

    lam = np.asarray(full["wavelength_um"])
    if not np.allclose(lam, planar["wavelength_um"]):
        raise SystemExit("the 3D run and its planar stack have different wavelengths")
    design = _design(full["edge_nm"])
    exact = exact_planar_rate(_full_structure(design, full["margin_um"]), lam)
    total = exact + np.asarray(full["purcell_total"]) - np.asarray(planar["purcell_total"])
    wl, value = _peak(lam, total)
    i = int(np.argmin(abs(lam - wl)))
    return {"ldos_peak": (wl, value), "planar_ratio": planar["purcell_total"][i] / exact[i]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fidelity", choices=("full", "screen", "full-planar"), default="full",
                        help="full-planar: the 3D cell with the planar stack through the "
                        "emitter instead of the cube (--compare then corrects the 3D total)")
    parser.add_argument("--edge-nm", type=float, default=80.0)
    parser.add_argument("--disk", choices=("area", "patch"), default="patch",
                        help="the screen's disk radius rule (NanocubeOnMirror.screen_disk); "
                        "area: the result's fidelity is 'screen', patch: 'screen-patch'")
    parser.add_argument("--resolution", type=float, default=250.0)
    parser.add_argument("--margin-um", type=float, default=0.1)
    parser.add_argument("--pml-um", type=float, default=0.2)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--n-freqs-flux", type=int, default=31,
                        help="frequencies of the flux and collection DFTs (in 3D their "
                             "monitors cost as much per step as the fields at 31)")
    parser.add_argument("--no-planar", action="store_true",
                        help="screen: Meep's own harmonics near the gap faces, without the "
                             "planar stack's exact near field (the 3D run's treatment)")
    parser.add_argument("--reference-half-um", type=float, default=None,
                        help="full: half-size of the host reference cell (default: the "
                             "library's, one host wavelength)")
    parser.add_argument("--check-reference", action="store_true",
                        help="compare the host reference in the library's cell and in "
                             "--reference-half-um's at --resolution, then stop")
    parser.add_argument("--compare", nargs="+", metavar="JSON")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
        return 0
    if args.check_reference:
        check_reference(args)
        return 0
    out = run(args)
    path = Path(args.out) / (f"nanocube_3d_{out['fidelity']}_{args.edge_nm:g}nm_"
                             f"{args.resolution:g}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{args.fidelity}: LDOS peak {1e3 * out['ldos_peak'][0]:.1f} nm "
          f"({out['ldos_peak'][1]:.0f}), radiative peak {1e3 * out['radiative_peak'][0]:.1f} nm "
          f"({out['radiative_peak'][1]:.1f}), {out['wall_s']:.0f} s -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
