"""The GME screen's guided-mode basis (legume ``gmode_inds``, ``eps_eff``, ``gmax``) on four
SiN designs with 3D references: does a larger basis remove the GME's Q bias (issue 13)?

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/gme_basis.py l3|h1|endholes|unshifted \
        --modes 0 3 [--eps-eff background] [--no-kz] [--gmax 1.25 1.5 1.75] [--gamma-only]
    .venv/bin/python benchmarks/gme_basis.py --cutoffs   # guided modes at the cavity frequency

Runs sims.gme.simulate_gme (no cache, no in-plane Meep step) with sims._gme_backend._options
replaced for the cavity solve only; the bulk-gap search window keeps the screen's own options
(TE0 basis), so the candidate window is the same in every setting. legume 1.0.3 keeps a stale
``ind_modes`` between k-points of one GME object, which breaks the vertical-mirror separation
once the basis holds a mode with a cut-off (TM1); it is reset before each run here. Appends
one JSON row per run to ``benchmarks/results/gme_basis.jsonl`` and prints it. Measured
(2026-12-08, README "Photonic-crystal slabs"): adding TM1 leaves the Q bias at 1.56-1.91×;
on the unpatterned-slab basis the Γ-point Q lands at 0.78-1.03× of 3D but the k-points
scatter (mixing with extended modes of the supercell) and the k-average falls to 0.16-0.39×.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cavities.registry import get_preset  # noqa: E402

DESIGNS = {
    # name: (preset, overrides, 3D λ (µm), 3D Q)
    "l3": ("sin_l3_520", {}, 0.52096, 1022.0),  # 10 x 8 preset; 3D Q 1005/1014/1022 @50/60/70
    "h1": ("h1_sin_520", {}, 0.51731, 1275.0),  # n_periods = 10 preset
    "endholes": ("sin_l3_520", dict(lattice_um=0.2092, slab_thickness_um=0.2092,
                                    hole_radius_um=0.0669, end_hole_shift_um=0.0694,
                                    second_hole_shift_um=0.0526, third_hole_shift_um=0.0163),
                 0.52874, 2363.0),
    "unshifted": ("sin_l3_520", dict(end_hole_shift_um=0.0), 0.51794, 464.0),
}
OUT = Path(__file__).resolve().parent / "results" / "gme_basis.jsonl"


def slab_cutoffs(design_key: str) -> None:
    """Guided modes of the effective symmetric slab (air cladding) at the cavity frequency:
    mode order m (TE_m, TM_m share the cut-off in a symmetric slab) exists when
    (t/λ)·sqrt(n² − 1) > m/2. Checked against legume's own slab solver."""
    from legume.gme.slab_modes import guided_modes

    preset, over, lam3d, _ = DESIGNS[design_key]
    d = get_preset(preset, **over)
    m = d.gme_model()
    cell = m.supercell
    a, t = m.lattice_um, cell.slab_thickness_um
    n_bg = cell.slab_index
    # average permittivity of the supercell layer = what legume's eps_eff="average" uses
    (lx, _), (_, ly) = cell.lattice_vectors_um
    area = abs(lx * ly)
    holes = sum(math.pi * r * r for _, _, r in cell.holes_um)
    fill = holes / area
    eps_avg = (1 - fill) * n_bg ** 2 + fill * 1.0
    print(f"{design_key}: a = {a*1e3:.1f} nm, t = {t*1e3:.1f} nm, n_slab = {n_bg:.4f}, "
          f"hole fill {fill:.3f}, n_avg = {math.sqrt(eps_avg):.4f}, 3D λ = {lam3d*1e3:.1f} nm, "
          f"t/λ = {t/lam3d:.3f}, a/λ = {a/lam3d:.4f}")
    for label, eps in (("average", eps_avg), ("background", n_bg ** 2)):
        root = math.sqrt(eps - 1)
        cut = [mm / (2 * root) for mm in range(4)]
        n_modes = int(math.floor(2 * (t / lam3d) * root)) + 1
        print(f"  {label:10s} n = {math.sqrt(eps):.3f}: cut-off t/λ of order m = 0..3: "
              + ", ".join(f"{c:.3f}" for c in cut)
              + f" -> orders 0..{n_modes-1} guided ({n_modes} TE + {n_modes} TM) "
              f"[σz-even: TE0{', TM1' if n_modes > 1 else ''}{', TE2' if n_modes > 2 else ''}]")
        # legume: guided-mode frequencies vs in-plane g (units of a), orders up to 3
        f0 = a / lam3d
        gs = np.linspace(0.01, 4 * 2 * math.pi * f0 * math.sqrt(eps), 400)
        for pol in ("TE", "TM"):
            oms, _ = guided_modes(gs, np.array([1.0, eps, 1.0]), np.array([t / a]), n_modes=4,
                                  step=1e-3, tol=1e-4, pol=pol)
            exist = []
            for order in range(4):
                fs = [om[order] / (2 * math.pi) for om in oms if len(om) > order]
                # does the order-m dispersion reach the cavity frequency?
                exist.append(bool(fs) and min(fs) <= f0)
            print(f"    legume {pol}: order 0..3 reaches a/λ {f0:.4f}: {exist}")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("design", nargs="?", choices=list(DESIGNS))
    p.add_argument("--modes", type=int, nargs="+", default=[0])
    p.add_argument("--eps-eff", default=None, choices=["average", "background"])
    p.add_argument("--no-kz", action="store_true", help="drop the vertical-mirror separation")
    p.add_argument("--gmax", type=float, nargs=3, default=None,
                   metavar=("COARSE", "MID", "CHECK"))
    p.add_argument("--gamma-only", action="store_true")
    p.add_argument("--cutoffs", action="store_true")
    args = p.parse_args()
    if args.cutoffs:
        for k in DESIGNS:
            slab_cutoffs(k)
        return 0

    from sims import _gme_backend as backend
    from sims.gme import GmeConfig, simulate_gme

    orig_options, orig_bulk, orig_solve = backend._options, backend.bulk_gap, backend.solve
    info: dict = {"n_plane_waves": [], "solve_s": [], "n_basis": []}

    def options(model, slab):
        o = orig_options(model, slab)
        o["gmode_inds"] = list(args.modes)
        if args.eps_eff:
            o["eps_eff"] = args.eps_eff
        return o

    def bulk_gap(legume, model):  # the search window: the screen's own basis
        backend._options = orig_options
        try:
            return orig_bulk(legume, model)
        finally:
            backend._options = options

    def solve(model, **kw):
        s = orig_solve(model, **kw)
        info["n_plane_waves"].append(s.n_plane_waves)
        info["solve_s"].append(round(s.wall_time_s, 1))
        if s.loss_rates:  # Q of this cut-off: k-average and Γ alone
            from sims import gme_modes
            info.setdefault("q_kavg_by_gmax", []).append(
                round(gme_modes.average_loss(s.loss_rates, s.frequencies)[1], 1))
            info.setdefault("q_gamma_by_gmax", []).append(
                round(s.frequencies[0] / (2 * s.loss_rates[0]), 1))
            info.setdefault("q_per_k_by_gmax", []).append(
                [round(f / (2 * r), 1) for f, r in zip(s.frequencies, s.loss_rates)])
            info.setdefault("lam_gamma_by_gmax", []).append(
                round(1e3 * model.lattice_um / s.frequencies[0], 2))
        return s

    backend._options, backend.bulk_gap, backend.solve = options, bulk_gap, solve
    if args.no_kz:
        backend._k_angle = lambda k: None  # no mirror plane: both vertical parities solved

    # count the basis size (plane waves x guided modes that exist at |k+G|)
    import legume
    orig_construct = legume.GuidedModeExp._construct_mat

    def construct(self, kind):
        out = orig_construct(self, kind)
        if kind == 0:
            info["n_basis"].append(int(self.N_basis[-1]))
        return out

    legume.GuidedModeExp._construct_mat = construct

    # legume 1.0.3 bug: run() resets modes_numg but not ind_modes, so when the GME object is
    # re-run at a new k (as sims._gme_backend.solve does, one k per run) the vertical-mirror
    # separation reads the G-vector list of the *first* run. Harmless for TE0 alone (it exists
    # at every |k+G|); wrong (IndexError or a wrong block) once a mode with a cut-off (TM1, TE1)
    # is in the basis. Reset it at each run.
    orig_run = legume.GuidedModeExp.run

    def run(self, *a, **kw):
        self.ind_modes = []
        return orig_run(self, *a, **kw)

    legume.GuidedModeExp.run = run

    preset, over, lam3d, q3d = DESIGNS[args.design]
    design = get_preset(preset, **over)
    cfg = {"in_plane_loss": False}
    if args.gmax:
        cfg.update(gmax_coarse=args.gmax[0], gmax=args.gmax[1], gmax_check=args.gmax[2])
    if args.gamma_only:
        cfg["k_fractions"] = ((0.0, 0.0),)
    t0 = time.monotonic()
    err = None
    try:
        r = simulate_gme(design.gme_model(), GmeConfig(**cfg), cache_dir=None)
    except Exception as e:  # noqa: BLE001
        err, r = f"{type(e).__name__}: {e}"[:300], None
    wall = time.monotonic() - t0
    row = {"design": args.design, "modes": args.modes,
           "eps_eff": args.eps_eff or design.gme_model().guided_basis, "kz": not args.no_kz,
           "gmax": args.gmax or [1.25, 1.5, 1.75], "gamma_only": args.gamma_only,
           "wall_s": round(wall, 1), "error": err, **info}
    if r is not None and r.resonance is not None:
        mode, mv, acc = r.resonance, r.mode_volume, r.accuracy
        row.update(lam_nm=round(mode.wavelength_um * 1e3, 2),
                   lam_rel_3d=round(mode.wavelength_um / lam3d - 1, 4),
                   Q=round(mode.quality_factor, 1),
                   Q_err=None if acc is None else round(acc.error("quality_factor"), 1),
                   Q_over_3d=round(mode.quality_factor / q3d, 3),
                   V=None if mv is None else round(mv.emitter_volume_lambda_n3, 3),
                   candidates=next((w for w in r.warnings if "eigenmode(s)" in w), ""))
    elif r is not None:
        row["error"] = "no cavity mode picked"
    print(json.dumps(row), flush=True)
    with OUT.open("a") as f:
        f.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
