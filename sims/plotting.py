"""Figures of a simulation result (matplotlib imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sims.results import SimResult


def plot_spectra(result: SimResult, path: str | Path | None = None, *,
                 marks_um: dict[str, float] | None = None,
                 references: dict[str, tuple[list[float], list[float]]] | None = None) -> Any:
    """Total and radiative Purcell spectra, collection efficiency, resonance and marked lines.

    Args:
        result: a simulation result.
        path: PNG to write (None: only return the figure).
        marks_um: extra vertical lines, e.g. ``{"X": 0.515, "XX": 0.518}`` (µm).
        references: analytic curves to overlay, label -> (wavelengths in µm, Purcell values).
    """
    import matplotlib.pyplot as plt

    sp = result.spectra
    fig, ax = plt.subplots(figsize=(6.4, 4.0), constrained_layout=True)
    nm = [1e3 * w for w in sp.wavelength_um]
    ax.plot(nm, sp.purcell_total, color="C0", label="total (LDOS)")
    ax.plot([1e3 * w for w in sp.flux_wavelength_um], sp.purcell_radiative, "o-", ms=3,
            color="C1", label="radiative (flux)")
    ax.set_xlabel("wavelength (nm)")
    ax.set_ylabel("Purcell factor (vs homogeneous host)")
    for label, (wl, val) in (references or {}).items():
        ax.plot([1e3 * w for w in wl], val, "k--", lw=1.2, label=label)
    mode = result.resonance
    if mode is not None:
        ax.axvline(1e3 * mode.wavelength_um, color="0.5", ls="--", lw=1,
                   label=f"resonance Q = {mode.quality_factor:.3g}")
    for i, (name, wl) in enumerate((marks_um or {}).items()):
        ax.axvline(1e3 * wl, color=f"C{3 + i}", ls=":", lw=1.5, label=name)
    if sp.collection_efficiency is not None:
        ax2 = ax.twinx()
        ax2.plot([1e3 * w for w in sp.flux_wavelength_um], sp.collection_efficiency, "s-",
                 ms=3, color="C2", label="collection")
        ax2.set_ylabel(f"collected fraction (NA {result.structure['collection_na']})",
                       color="C2")
        ax2.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(f"{result.structure['name']} ({result.provenance.dimensions}, "
                 f"{result.provenance.resolution_px_per_um:g} px/µm)", fontsize=10)
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def plot_field_map(result: SimResult, path: str | Path | None = None) -> Any:
    """ε|E|² of the resonant mode on the cross-section through the emitter, with the geometry
    outlined (contours of ε) and the emitter marked. Cylindrical maps are mirrored to −r."""
    import matplotlib.pyplot as plt
    import numpy as np

    fm = result.field_map
    if fm is None:
        raise ValueError("this result has no field map (no resonance was found, or the mode "
                         "volume was not computed).")
    h, v = np.asarray(fm.h_um), np.asarray(fm.v_um)
    energy, eps = np.asarray(fm.energy), np.asarray(fm.epsilon)
    if fm.plane == "rz":  # revolve: show -r..r
        h = np.concatenate([-h[::-1], h])
        energy = np.concatenate([energy[:, ::-1], energy], axis=1)
        eps = np.concatenate([eps[:, ::-1], eps], axis=1)
    fig, ax = plt.subplots(figsize=(6.0, 4.4), constrained_layout=True)
    from matplotlib.colors import PowerNorm

    im = ax.imshow(energy, origin="lower", extent=(h[0], h[-1], v[0], v[-1]), cmap="magma",
                   aspect="equal", interpolation="bilinear", norm=PowerNorm(0.5, 0.0, 1.0))
    levels = sorted({float(x) for x in np.unique(np.round(eps, 3))})
    if len(levels) > 1:
        mids = [(a + b) / 2 for a, b in zip(levels[:-1], levels[1:], strict=True)]
        ax.contour(h, v, eps, levels=mids, colors="w", linewidths=0.6, alpha=0.7)
    e = result.structure["emitter_position_um"]
    px, py = (e[0], e[2]) if fm.plane in ("xz", "rz") else (e[0], e[1])
    ax.plot([px], [py], marker="*", color="cyan", ms=11, mec="k", label="emitter")
    hl, vl = {"xz": ("x", "z"), "rz": ("x (r revolved)", "z"), "xy": ("x", "y")}[fm.plane]
    ax.set_xlabel(f"{hl} (µm)")
    ax.set_ylabel(f"{vl} (µm)")
    mode = result.resonance
    if mode is not None:
        ax.set_title(f"ε|E|² at λ = {1e3 * mode.wavelength_um:.1f} nm "
                     f"(Q = {mode.quality_factor:.3g})", fontsize=10)
    fig.colorbar(im, ax=ax, label="ε|E|² / max (square-root scale)", shrink=0.85)
    ax.legend(loc="upper right", fontsize=8)
    if path is not None:
        fig.savefig(path, dpi=130)
    return fig
