"""Resolution series of the open-microcavity and microsphere presets against their independent
models: the paraxial plano-concave cavity (sims.gaussian_cavity) and Mie theory.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/open_cavity_microsphere.py \\
        --preset open_cavity_520 --resolutions 40 60 80 120 [--extrapolated-stop]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/open_cavity_microsphere.py \\
        --preset sio2_microsphere_520 --resolutions 40 60

One single-grid run per resolution (no cache), then the reference, and a Markdown table with
λ, Q, total and radiative Purcell factor at the picked resonance, the LDOS background at the
window's red edge and the wall time. ``--extrapolated-stop`` runs as the other families do
(stop on the extrapolated LDOS; the README's open-cavity series was measured so); by default
the family's own settings (run until the fields decay).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reference(design) -> str:  # noqa: ANN001
    """The independent model's numbers for the preset, as text."""
    import numpy as np

    from cavities.library import get_material
    from sims.analytic import mie_dipole_rates
    from sims.gaussian_cavity import paraxial_model
    from sims.peaks import resonance_peak

    if design.family == "open_cavity":
        cav = paraxial_model(design)
        rows = []
        for lam in cav.resonances_um(design.wavelength_min_um, design.wavelength_max_um):
            rows.append(f"paraxial model: {1e3 * lam:.2f} nm, Q {cav.quality_factor(lam):.0f}, "
                        f"w0 {cav.waist_um(lam):.3f} µm, V {cav.mode_volume_um3(lam):.3f} µm³, "
                        f"Q/V Purcell {cav.purcell_factor(lam):.2f}")
        return "; ".join(rows) or "paraxial model: no fundamental mode in the window"
    if design.family == "microsphere":
        if design.substrate != "none":
            return "no Mie reference (sphere on a substrate)"
        n = get_material(design.material).index(design.target_wavelength_um).real
        grid = np.linspace(design.wavelength_min_um, design.wavelength_max_um, 2001)
        key = "total_radial" if design.dipole_orientation == "z" else "total_tangential"
        mie = [getattr(mie_dipole_rates(sphere_radius_um=design.sphere_radius_um,
                                        distance_um=design.emitter_gap_um, wavelength_um=w,
                                        sphere_index=n), key) for w in grid]
        peak = resonance_peak(grid, mie, target_um=design.target_wavelength_um)
        if peak is None:
            return "Mie: no peak in the window"
        return (f"Mie (same peak rule): {1e3 * peak.wavelength_um:.2f} nm, "
                f"Q {peak.wavelength_um / peak.fwhm_um:.0f}, Purcell {peak.height:.2f}")
    raise ValueError(f"no independent model for family {design.family!r}")


def main() -> int:
    from cavities.registry import get_preset
    from sims.config import SimConfig
    from sims.runner import simulate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", required=True)
    parser.add_argument("--resolutions", type=float, nargs="+", required=True)
    parser.add_argument("--extrapolated-stop", action="store_true")
    args = parser.parse_args()
    design = get_preset(args.preset)
    if design.family not in ("open_cavity", "microsphere"):
        parser.error(f"{args.preset} is a {design.family}, not an open cavity or microsphere")
    lines = [f"{args.preset}: {reference(design)}", "",
             "| px/µm | λ (nm) | Q | total Purcell | radiative Purcell | background | stop | "
             "wall (s) |", "|---|---|---|---|---|---|---|---|"]
    for res in args.resolutions:
        fields = {**design.sim_defaults(), "resolution_px_per_um": res}
        if args.extrapolated_stop:
            fields["ldos_extrapolation"] = True
        t0 = time.monotonic()
        r = simulate(design.to_structure("screen"), SimConfig(**fields), cache_dir=None)
        wall = time.monotonic() - t0
        mode = r.resonance
        lam = "—" if mode is None else f"{1e3 * mode.wavelength_um:.2f}"
        q = "—" if mode is None else f"{mode.quality_factor:.0f}"
        rad = r.purcell_radiative_at_resonance
        lines.append(f"| {res:g} | {lam} | {q} | {r.purcell_total_at_resonance:.3f} | "
                     f"{'—' if rad is None else f'{rad:.3f}'} | "
                     f"{r.spectra.purcell_total[0]:.2f} | {r.provenance.stop_reason} | "
                     f"{wall:.0f} |")
        print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
