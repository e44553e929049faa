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
