"""A nanocube antenna raises g2(0); a narrow dielectric cavity at the same line does not.

The seed's plasmonic biexciton story (REFERENCES D4; Olejniczak et al. 2024 saw single-photon
emitters turn into photon-pair emitters on an Ag-nanocube metasurface): the gap plasmon of a
nanocube-on-mirror is broadband (Q ~ 10) and speeds up the biexciton line as much as the
exciton line, so QY_XX = F k_rXX / (F k_rXX + k_A) catches up with QY_X and g2(0) = QY_XX/QY_X
rises towards 1. A dielectric cavity of the same emission line with a higher Q and a small
Purcell factor leaves g2(0) where it was.

Both cavities are simulated by this tool at their screen fidelity (two grids, error estimate),
for the same nanocrystal: a 10 nm CsPbI3 crystal at room temperature, whose line (~690 nm)
matches the red gap plasmon of Akselrod's 75 nm Ag cube on Au and the open cavity of Farrow et
al. 2023:

* ``akselrod_2014``: the nanocube screen, emitter 25 nm off the centre (the screen sums the
  azimuthal harmonics of the off-axis dipole, sims.azimuthal_sum);
* ``farrow_2023_cspbi3``: the open Fabry-Pérot microcavity (Q ≈ 290).

Each row gives the finer grid's value and, in brackets, the coarser grid's: the spread is the
grid error of the emitter-model numbers (the simulation's own error bars are in the table).

    .venv/bin/python examples/plasmonic_g2_nanocube.py [--out runs/examples] [--workers 2]

Writes ``plasmonic_g2_nanocube.md`` and ``plasmonic_g2_nanocube.png``. ``--workers`` runs that
many azimuthal harmonics of the nanocube at once (one core each). The nanocube's screen is the
long part: each harmonic runs with its planar reference (README "Near a metal face"); measured
with two at once, ~34 min for the 250 px/µm grid (8 harmonics); the 375 px/µm error grid is
~3.4x that (not yet run). The README's table of this example was measured before the planar
reference and the grid-plane geometry.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

PRESETS = ("akselrod_2014", "farrow_2023_cspbi3")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/examples")
    parser.add_argument("--workers", type=int, default=2,
                        help="azimuthal harmonics of the nanocube run at once")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from cavities.registry import get_preset
    from emitter import CavityResponse, preset_emitter, score
    from optimize.evaluate import EvalSettings, evaluate
    from sims.runner import simulate

    nc = preset_emitter("CsPbI3", edge_nm=10, temperature_k=295)
    bare = score(CavityResponse.bare(1.49), nc)
    rows, spectra = [], {}
    for name in PRESETS:
        design = get_preset(name)
        print(f"{name}: screen fidelity ...", flush=True)
        settings = EvalSettings(fidelity="screen", mpi_ranks=args.workers)
        ev = evaluate(design, nc, settings, check_fabrication=False)
        # the coarser grid of the same screen (cached): its score is the grid spread
        coarse_cfg = dataclasses.replace(
            settings.sim_config(design),
            resolution_px_per_um=ev.sim.accuracy.resolutions_px_per_um[0])
        coarse = simulate(design.to_structure("screen"), coarse_cfg, mpi_ranks=args.workers)
        sc_coarse = score(CavityResponse.from_sim_result(coarse), nc)
        rows.append((name, ev.sim, ev.score, sc_coarse))
        spectra[name] = ev.sim.spectra

    def pair(a: float, b: float, fmt: str = ".3g") -> str:
        return f"{a:{fmt}} ({b:{fmt}})"

    lines = [f"# Broadband plasmonic vs narrow dielectric cavity: g2(0) of a {nc.name} "
             f"nanocrystal (10 nm, 295 K, X {1e3 * nc.exciton_wavelength_um:.1f} nm, XX "
             f"{1e3 * nc.biexciton_wavelength_um:.1f} nm)", "",
             "| cavity | resonance (nm) | Q | Purcell at resonance (total / radiative) | "
             "F_X over the line | F_XX | QY_X | QY_XX | g2(0) bare → cavity | "
             "photons/s at the lens |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, sim, sc, scc in rows:
        mode, acc = sim.resonance, sim.accuracy

        def err(q: str, scale: float = 1.0, acc=acc) -> str:
            e = None if acc is None else acc.error(q)
            return "" if e is None else f" ± {scale * e:.2g}"

        lines.append(
            f"| {name} | {1e3 * mode.wavelength_um:.1f}{err('resonance_wavelength_um', 1e3)} | "
            f"{mode.quality_factor:.3g}{err('quality_factor')} | "
            f"{sim.purcell_total_at_resonance:.4g}{err('purcell_total')} / "
            f"{sim.purcell_radiative_at_resonance:.4g}{err('purcell_radiative')} | "
            f"{pair(sc.purcell_x, scc.purcell_x)} | {pair(sc.purcell_xx, scc.purcell_xx)} | "
            f"{pair(sc.qy_x_cavity, scc.qy_x_cavity)} | "
            f"{pair(sc.qy_xx_cavity, scc.qy_xx_cavity)} | {sc.g2_bare:.3g} → "
            f"{pair(sc.g2_cavity, scc.g2_cavity)} | {pair(sc.brightness_cps, scc.brightness_cps)}"
            " |")
    lines += ["", f"Bare nanocrystal in PMMA: QY_X {bare.qy_x_cavity:.3g}, QY_XX "
              f"{bare.qy_xx_cavity:.3g}, g2(0) {bare.g2_cavity:.3g}.", "",
              "In brackets: the coarser grid's value. Simulation warnings:"]
    for name, sim, _, _ in rows:
        lines += [f"- {name}: {w}" for w in sim.warnings]
    (out / "plasmonic_g2_nanocube.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:2 + 2 + len(rows)]))

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for (name, sim, sc, _), color in zip(rows, ("C3", "C0"), strict=True):
        sp = spectra[name]
        ax1.semilogy(1e3 * np.asarray(sp.wavelength_um), sp.purcell_total, color=color,
                     label=f"{name}: total")
        ax1.semilogy(1e3 * np.asarray(sp.flux_wavelength_um), sp.purcell_radiative,
                     color=color, ls="--", label=f"{name}: radiative")
    for lam, ls in ((nc.exciton_wavelength_um, "-"), (nc.biexciton_wavelength_um, ":")):
        ax1.axvline(1e3 * lam, color="k", lw=0.8, ls=ls)
    ax1.set_xlabel("wavelength (nm)  (lines: X solid, XX dotted)")
    ax1.set_ylabel("Purcell factor (LDOS / host)")
    ax1.legend(fontsize=7)
    names = ["bare"] + [name for name, *_ in rows]
    g2 = [bare.g2_cavity] + [sc.g2_cavity for _, _, sc, _ in rows]
    g2c = [bare.g2_cavity] + [scc.g2_cavity for *_, scc in rows]
    ax2.bar(names, g2, color=["0.6", "C3", "C0"])
    ax2.errorbar(names, g2, yerr=np.abs(np.asarray(g2) - np.asarray(g2c)), fmt="none",
                 ecolor="k", capsize=4)
    ax2.set_ylabel("g2(0) = QY_XX / QY_X (weak pulsed excitation)")
    ax2.set_ylim(0, 1)
    ax2.set_title(f"{nc.name} 10 nm, 295 K (error bar: the two grids)")
    fig.savefig(out / "plasmonic_g2_nanocube.png", dpi=150)
    print(f"wrote {out / 'plasmonic_g2_nanocube.md'} and {out / 'plasmonic_g2_nanocube.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
