"""Biexciton risk to g2(0): broadband (plasmonic-like) vs narrow detuned cavity at 4 K.

Left: a flat Purcell enhancement F (all wavelengths, as for a plasmonic gap or a low-Q antenna)
raises QY_XX faster than QY_X, so g2(0) = QY_XX/QY_X climbs monotonically (REFERENCES D4).
Right: at 4 K a cavity on the exciton line with Q ≳ E/Δ_XX barely reaches the biexciton line
(Δ_XX ≈ 18 meV red), so g2 does not rise while the exciton Purcell factor grows; the same cavity
tuned onto the XX line is the risk.

Usage: python examples/emitter_g2_risk.py [output.png]   (default runs/examples/emitter_g2_risk.png)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from emitter import CavityResponse, preset_emitter, score

DEFAULT_OUT = Path("runs/examples/emitter_g2_risk.png")


def main(argv: list[str] | None = None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    rt = preset_emitter("CsPbBr3", edge_nm=10.0, temperature_k=295.0)
    cold = preset_emitter("CsPbBr3", edge_nm=10.0, temperature_k=4.0)

    f_flat = np.geomspace(1, 300, 40)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4), constrained_layout=True)
    for em, label, color in ((rt, "CsPbBr3 10 nm, 295 K", "C3"), (cold, "CsPbBr3 10 nm, 4 K",
                                                                   "C0")):
        g2 = [score(CavityResponse.flat(purcell=f), em).g2_cavity for f in f_flat]
        ax1.plot(f_flat, g2, color=color, label=label)
    ax1.set_xscale("log")
    ax1.set_xlabel("broadband Purcell factor F (total rate)")
    ax1.set_ylabel("g2(0) = QY_XX / QY_X")
    ax1.set_title("Broadband enhancement raises g2")
    ax1.set_ylim(0, 1)
    ax1.grid(alpha=0.3)
    ax1.legend(fontsize=8, title="quenching (η_rad < 1) cancels in the ratio", title_fontsize=8)

    qs = np.geomspace(300, 3e4, 30)
    ax2b = ax2.twinx()
    for target, color, name in ((cold.exciton_wavelength_um, "C0", "cavity on X"),
                                (cold.biexciton_wavelength_um, "C3", "cavity on XX")):
        scores = [score(CavityResponse.lorentzian(wavelength_um=target, quality_factor=q,
                                                  mode_volume_lambda_n3=1.0,
                                                  refractive_index=2.0),
                        cold, orientation="random") for q in qs]
        ax2.plot(qs, [s.g2_cavity for s in scores], color=color, label=f"g2(0), {name}")
        ax2b.plot(qs, [s.purcell_x for s in scores], color=color, ls=":",
                  label=f"exciton Purcell F_X, {name}")
    ax2.axhline(score(CavityResponse.bare(2.0), cold).g2_cavity, color="k", lw=0.8, ls="--",
                label="g2(0) without cavity")
    ax2.set_xscale("log")
    ax2b.set_yscale("log")
    ax2.set_xlabel("cavity Q (V = 1 (λ/n)³, random dipole orientation)")
    ax2.set_ylabel("g2(0) = QY_XX / QY_X  (solid)")
    ax2b.set_ylabel("exciton Purcell factor F_X  (dotted)")
    ax2.set_title(f"CsPbBr3 10 nm at 4 K, narrow cavity; XX line {cold.biexciton_binding_mev:.0f}"
                  " meV red of X")
    ax2.set_ylim(0, 1.6)
    ax2.grid(alpha=0.3)
    h1, l1 = ax2.get_legend_handles_labels()
    h2, l2 = ax2b.get_legend_handles_labels()
    ax2.legend(h1 + h2, l1 + l2, fontsize=8, loc="center right")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=130)
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
