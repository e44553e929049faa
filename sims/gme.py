"""The guided-mode-expansion (GME) screen of photonic-crystal slab cavities → a SimResult.

:func:`simulate_gme` runs :mod:`sims._gme_backend` (legume-gme; Andreani & Gerace, PRB 73,
235114 (2006); Minkov et al., ACS Photonics 7, 1729 (2020)) on a
:class:`~cavities.families.photonic_crystal.supercell.GmeModel` at three plane-wave cut-offs and
returns a :class:`~sims.results.SimResult` that the emitter model scores like a Meep result:

* the resonance and its radiative Q: loss rates averaged over the k-points of
  :attr:`GmeConfig.k_fractions` (the supercell samples the far field on a grid 2π/L; averaging
  over k refines it), Q = f / (2 ⟨Im f⟩);
* the mode volume at the emitter V_r = ∫ε|E|²dV / (ε(r0)|û·E(r0)|²) and the peak volume
  (:mod:`sims.gme_modes`), and the Purcell factor F = 3/(4π²)(λ/n)³ Q/V_r (REFERENCES A1; the
  emitter's linewidth, detuning and orientation average are applied by :mod:`emitter`, not
  here);
* the spectrum F(λ) = F_bg + F/(1 + 4Q²(E/E_c − 1)²), with the off-resonant background F_bg the
  far-field (radiation-mode) part of the unpatterned slab's LDOS (:mod:`sims.layered`): in the
  gap of a hole lattice a dipole at the mid-plane couples to no guided mode off resonance;
* collection: the fraction of the mode's radiation whose in-plane wave vector lies within
  NA·ω on the collection side (legume's radiative couplings per diffraction channel); the
  background's light is counted as not collected (a lower bound).

What it leaves out: in-plane leakage through a finite crystal (the supercell is periodic, so
the Q is the out-of-plane Q of the cavity in an unbounded crystal; for L3/H1 the leakage is
estimated from a 2D effective-index model, :mod:`sims.in_plane_loss`, and its effect on Q is
added to the errors of Q and the Purcell factor), material loss, and the coupling of a dipole
above the slab to TM-like guided modes in the background.

Error estimate (:attr:`SimResult.accuracy`, assembled by :mod:`sims.gme_result`): λ and V are
the mean over the three cut-offs of :class:`GmeConfig` with half their range as the error; Q
and collection come from the middle cut-off's k-average, their error the change from the
coarse cut-off plus the standard error of the k-average. ``converged`` is False when an error
exceeds :data:`~sims.gme_result.TOLERANCE`.

The bump of :data:`GME_CODE_VERSION` invalidates cached GME results (gme-2: field map; gme-3:
the in-plane leakage estimate in the error of Q).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cavities.families.photonic_crystal.supercell import GmeModel
from sims.cache import atomic_write, resolve_cache_dir
from sims.gme_result import (  # noqa: F401  (public re-exports)
    COLLECTION_ABS_TOLERANCE,
    TOLERANCE,
    assemble,
    field_map,
    legume_version,
    spectrum,
)
from sims.results import SCHEMA_VERSION, SimResult

GME_CODE_VERSION = "gme-3"  # bump when a change alters GME numbers
DEFAULT_K_FRACTIONS = ((0.0, 0.0), (0.5, 0.0), (1.0, 0.0), (0.0, 0.5), (0.0, 1.0))


@dataclass(frozen=True, kw_only=True)
class GmeConfig:
    """Numerical settings of the GME screen.

    Args:
        gmax: plane-wave cut-off (2π/a) of the reported Q and collection (k-averaged).
        gmax_coarse: a coarser cut-off, also k-averaged: the change of Q and collection is
            their cut-off error.
        gmax_check: a finer cut-off at Γ only: λ and the mode volumes are the mean over the
            three cut-offs, their error half the range (GME converges with oscillations of
            ±5-10 % in V as the circle of plane waves gains shells; measured on the presets,
            ``benchmarks/gme_convergence.py``).
        k_fractions: k-points of the loss-rate average as fractions of (π/Lx, π/Ly); Γ first.
            Points on the axes keep a mirror plane (legume separates the parity: 8× cheaper).
        spectrum_points: points of the tabulated Purcell spectrum.
        in_plane_loss: estimate the in-plane leakage through the finite crystal
            (:mod:`sims.in_plane_loss`: two short 2D Meep runs of the effective-index model,
            ~10-20 s) and add its effect on Q to the error of Q and the Purcell factor, for
            models that carry the 2D structure (triangular-lattice L3/H1, not nanobeams).
    """

    gmax: float = 1.5
    gmax_coarse: float = 1.25
    gmax_check: float = 1.75
    k_fractions: tuple[tuple[float, float], ...] = DEFAULT_K_FRACTIONS
    spectrum_points: int = 1201
    in_plane_loss: bool = True

    def __post_init__(self) -> None:
        if not (0 < self.gmax_coarse < self.gmax < self.gmax_check):
            raise ValueError("`0 < gmax_coarse < gmax < gmax_check` must hold, but got "
                             f"gmax_coarse={self.gmax_coarse!r}, gmax={self.gmax!r}, "
                             f"gmax_check={self.gmax_check!r}.")
        ks = tuple((float(a), float(b)) for a, b in self.k_fractions)
        if not ks or ks[0] != (0.0, 0.0):
            raise ValueError("`k_fractions` must start with Γ (0, 0), but got "
                             f"k_fractions={self.k_fractions!r}.")
        object.__setattr__(self, "k_fractions", ks)
        if self.spectrum_points < 100:
            raise ValueError(f"`spectrum_points >= 100` must hold, but got "
                             f"spectrum_points={self.spectrum_points!r}.")

    def to_dict(self) -> dict[str, Any]:
        return {"method": "gme", "gmax": self.gmax, "gmax_coarse": self.gmax_coarse,
                "gmax_check": self.gmax_check,
                "k_fractions": [list(k) for k in self.k_fractions],
                "spectrum_points": self.spectrum_points, "in_plane_loss": self.in_plane_loss}


def cache_key(model: GmeModel, config: GmeConfig) -> str:
    payload = json.dumps({"model": model.to_dict(), "config": config.to_dict(),
                          "code": GME_CODE_VERSION, "schema": SCHEMA_VERSION,
                          "legume": legume_version()}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def simulate_gme(model: GmeModel, config: GmeConfig | None = None, *,
                 cache_dir: str | Path | bool | None = True) -> SimResult:
    """The GME screen of a photonic-crystal cavity, cached like Meep results.

    Raises:
        ImportError: legume-gme is not installed (the message names the install command).
    """
    from sims import _gme_backend as backend

    config = config or GmeConfig()
    cache = resolve_cache_dir(cache_dir)
    hit = None if cache is None else cache / "gme" / f"{cache_key(model, config)}.json"
    if hit is not None and hit.exists():
        try:
            return SimResult.from_json(hit.read_text())
        except (ValueError, KeyError):
            hit.unlink(missing_ok=True)
    legume = backend.require_legume()
    t0 = time.monotonic()
    gap = backend.bulk_gap(legume, model)
    ks = model.k_fractions or config.k_fractions
    solves = []
    for gmax, kf in ((config.gmax_coarse, ks), (config.gmax, ks),
                     (config.gmax_check, ((0.0, 0.0),))):
        _progress(model, f"bulk gap a/λ {gap[0]:.4f}-{gap[1]:.4f}; gmax {gmax:g} at "
                  f"{len(kf)} k-point(s)")
        solves.append(backend.solve(model, gmax=gmax, k_fractions=kf, gap=gap))
    background = background_purcell(model)
    in_plane = None
    if config.in_plane_loss and model.in_plane_structure is not None:
        from sims import in_plane_loss

        _progress(model, "in-plane leakage: 2D effective-index model of the finite crystal")
        in_plane = in_plane_loss.estimate(model.in_plane_structure, model.lattice_um,
                                          cache_dir=cache)
    result = assemble(model, config, *solves, background=background,
                      wall_time_s=time.monotonic() - t0, in_plane=in_plane)
    _progress(model, f"done in {result.provenance.wall_time_s:.1f} s")
    if hit is not None:
        atomic_write(hit, result.to_json())
    return result


def _progress(model: GmeModel, text: str) -> None:
    print(f"[gme {model.name}] {text}", file=sys.stderr, flush=True)


def background_purcell(model: GmeModel) -> float:
    """Off-resonant Purcell factor: the dipole's far-field radiation from the unpatterned
    slab (both sides) over the bulk rate in the emitter's medium (:mod:`sims.layered`)."""
    from sims import layered

    cell = model.supercell
    n, t, z = cell.slab_index, cell.slab_thickness_um, model.emitter_position_um[2]
    up, down = cell.upper_index ** 2, cell.lower_index ** 2
    lam = model.target_wavelength_um
    orientation = "perpendicular" if model.dipole_orientation == "z" else "parallel"
    if abs(z) <= t / 2:
        kw = dict(emitter_index=n,
                  below=layered.Side(distance_um=max(t / 2 + z, 1e-6),
                                     half_space_permittivity=down),
                  above=layered.Side(distance_um=max(t / 2 - z, 1e-6),
                                     half_space_permittivity=up))
    elif z > 0:
        kw = dict(emitter_index=cell.upper_index, above=None,
                  below=layered.Side(distance_um=z - t / 2, half_space_permittivity=down,
                                     films=((n * n, t),)))
    else:
        raise ValueError("an emitter below the slab is not supported by the GME background, "
                         f"but got emitter_position_um={model.emitter_position_um!r}.")
    # only the far-field part is wanted: the total rate of a lossless guiding slab has the
    # guided-mode poles on the real axis (sims.layered's radiation integral avoids them)
    geo = layered._Geometry(wavelength_um=lam, **kw)
    return float(layered._radiated(geo, orientation, "up")
                 + layered._radiated(geo, orientation, "down"))
