"""Shared by the seed-gallery scripts that compare a simulated device with a planar reference:
the rate and brightness enhancement of a room-temperature CsPbBr3 nanocrystal (10 nm, 295 K),
from the screen fidelity (extrapolated from two grids, and the coarser grid alone in brackets),
against references computed exactly by :meth:`emitter.CavityResponse.layered`.

Not a script: ``examples/cbg_cspbbr3_rate_and_brightness.py`` and
``examples/mie_pillar_cspbbr3.py`` call :func:`run`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

GLASS = "glass coverslip"
UNPATTERNED = "unpatterned stack"


def height_above_surface_um(structure: Any) -> float:
    """The emitter's height above the face right below it (on its vertical line)."""
    from sims.local_stack import vertical_layers

    z = structure.emitter_position_um[2]
    return z - max(lo for lo, _, _ in vertical_layers(structure) if lo <= z)


def references(structure: Any, which: tuple[str, ...]) -> dict[str, Callable]:
    """Planar references by name: the nanocrystal at the same height above a glass half-space
    (:data:`GLASS`, collected from the air side), and the layers under the emitter without the
    device's pattern (:data:`UNPATTERNED`, :func:`sims.local_stack.local_stack`)."""
    from cavities.library import get_material
    from sims.layered import Side
    from sims.local_stack import LocalStack, local_stack

    sio2 = get_material("SiO2")
    height = height_above_surface_um(structure)
    makers = {
        GLASS: lambda w: LocalStack(emitter_index=1.0, above=None, below=Side(
            distance_um=height, half_space_permittivity=sio2.permittivity(w).real)),
        UNPATTERNED: lambda w: local_stack(structure, w)}
    return {name: makers[name] for name in which}


def run(*, preset: str, published: str, reference_names: tuple[str, ...], out: Path,
        stem: str) -> list[str]:
    """Simulate ``preset`` at its screen fidelity, score the nanocrystal on it and on each
    reference, write ``out/stem.md`` and return its lines."""
    import numpy as np

    from cavities.registry import get_preset
    from emitter import CavityResponse, preset_emitter, score
    from optimize.evaluate import EvalSettings, evaluate
    from sims.runner import simulate

    nc = preset_emitter("CsPbBr3", edge_nm=10, temperature_k=295)
    design = get_preset(preset)
    structure = design.to_structure("screen")
    print(f"{preset}: screen fidelity (two grids) ...", flush=True)
    settings = EvalSettings(fidelity="screen")
    ev = evaluate(design, nc, settings, check_fabrication=False)
    coarse_cfg = dataclasses.replace(
        settings.sim_config(design),
        resolution_px_per_um=ev.sim.accuracy.resolutions_px_per_um[0])
    coarse = simulate(structure, coarse_cfg)
    # an in-plane dipole on the axis of a rotationally symmetric device and over a planar
    # stack: every in-plane direction sees the simulated x dipole's rates
    fine, crude = (score(CavityResponse.from_sim_result(sim), nc, orientation="aligned")
                   for sim in (ev.sim, coarse))
    lam = np.linspace(structure.wavelength_min_um, structure.wavelength_max_um, 41)
    na = design.collection_na
    refs = {name: score(CavityResponse.layered(wavelengths_um=lam, collection_na=na,
                                               stack=stack), nc, orientation="aligned")
            for name, stack in references(structure, reference_names).items()}

    def rate(s: Any) -> float:
        return 1.0 / s.lifetime_cavity_ns

    mode, acc = ev.sim.resonance, ev.sim.accuracy
    head = ("no resonance" if mode is None else
            f"resonance {1e3 * mode.wavelength_um:.1f} ± "
            f"{1e3 * (acc.error('resonance_wavelength_um') or float('nan')):.2g} nm, Q "
            f"{mode.quality_factor:.3g} ± {acc.error('quality_factor') or float('nan'):.2g}")
    lines = [f"# CsPbBr3 nanocrystal (10 nm, 295 K, X {1e3 * nc.exciton_wavelength_um:.1f} nm) "
             f"on `{preset}` (screen: {head}; converged: {acc.converged})", "",
             f"| against | rate × | brightness × | published: {published} |",
             "|---|---|---|---|"]
    for name, ref in refs.items():
        lines.append(
            f"| {name} (lifetime {ref.lifetime_cavity_ns:.2f} ns, {ref.brightness_cps:.3g} "
            f"photons/s) | {rate(fine) / rate(ref):.2f} ({rate(crude) / rate(ref):.2f}) | "
            f"{fine.brightness_cps / ref.brightness_cps:.2f} "
            f"({crude.brightness_cps / ref.brightness_cps:.2f}) | |")
    lines += ["", f"On the device: lifetime {fine.lifetime_cavity_ns:.2f} ns "
              f"({crude.lifetime_cavity_ns:.2f}), exciton Purcell {fine.purcell_x:.3g} "
              f"({crude.purcell_x:.3g}), collection into NA {na:g} "
              f"{fine.collection_efficiency:.3g} ({crude.collection_efficiency:.3g}), "
              f"{fine.brightness_cps:.3g} ({crude.brightness_cps:.3g}) photons/s. Values: the "
              "screen's, extrapolated from its two grids; in brackets the coarser grid "
              f"({acc.resolutions_px_per_um[0]:g} px/µm) alone.", "", "Simulation warnings:"]
    lines += [f"- {w}" for w in ev.sim.warnings]
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:4 + len(refs) + 2]))
    print(f"wrote {out / f'{stem}.md'}")
    return lines
