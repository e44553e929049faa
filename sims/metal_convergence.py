"""Converged LDOS near metals: the same structure on three grids, metal faces smoothed, and a
Richardson extrapolation with the observed order (Meep-free; the runs go through
:func:`sims.runner.simulate` or any function with its signature).

Why three grids and the observed order: near a metal the grid error depends on the emitter's
distance in grid steps and on how the metal is staircased, and its order is not known in
advance (second order for smoothed planar faces, :mod:`sims.metal_smoothing`; about first order
for curved ones, which Meep 1.25 does not smooth). Three grids measure it
(:func:`sims.accuracy.observed_order`); the stated error is Roache's grid convergence index
with safety factor 1.25 for three grids and a trusted order, or 3 (and first order) when the
three values are not monotonic or the order is implausible (outside
:data:`PLAUSIBLE_ORDERS`), as in :mod:`sims.accuracy`.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cavities.structure import Structure
from sims.accuracy import SAFETY_FACTOR, observed_order, richardson
from sims.config import SimConfig
from sims.metal_smoothing import unsmoothed_metal_faces

PLAUSIBLE_ORDERS = (0.5, 4.0)
"""An observed order outside this range is not trusted (the grids are pre-asymptotic)."""
THREE_GRID_SAFETY = 1.25
"""Roache's F_s with three grids and the observed order."""
FALLBACK_ORDER = 1.0


@dataclass(frozen=True, kw_only=True)
class Extrapolated:
    """One quantity at one wavelength: per-grid values, the extrapolation and its error."""

    values: tuple[float, ...]
    value: float
    error: float
    order: float
    observed: bool
    """Whether ``order`` was measured from the three grids (else :data:`FALLBACK_ORDER` or the
    order given)."""

    @property
    def relative_error(self) -> float:
        return abs(self.error / self.value) if self.value else math.inf


def extrapolate(values: Sequence[float], resolutions: Sequence[float], *,
                order: float | None = None) -> Extrapolated:
    """Richardson extrapolation of one quantity from two or three grids (coarse to fine).

    Three grids: the observed order if plausible (error F_s = 1.25 × the correction), else
    first order with F_s = 3. Two grids: ``order`` (default first) with F_s = 3.

    Example:
        >>> f = lambda r: 5.0 * (1 + 0.3 * (100 / r) ** 2)
        >>> e = extrapolate([f(100), f(200), f(400)], [100, 200, 400])
        >>> round(e.value, 9), round(e.order, 6), e.observed
        (5.0, 2.0, True)
    """
    vals = [float(v) for v in values]
    if len(vals) >= 3:
        p = observed_order(vals, resolutions)
        if p is not None and PLAUSIBLE_ORDERS[0] <= p <= PLAUSIBLE_ORDERS[1]:
            value, corr = richardson(vals, resolutions, p)
            return Extrapolated(values=tuple(vals), value=value, error=THREE_GRID_SAFETY * corr,
                                order=p, observed=True)
    p = FALLBACK_ORDER if order is None else order
    value, corr = richardson(vals, resolutions, p)
    return Extrapolated(values=tuple(vals), value=value, error=SAFETY_FACTOR * corr, order=p,
                        observed=False)


@dataclass(frozen=True, kw_only=True)
class MetalConvergence:
    """Total (LDOS) and flux-box radiative Purcell factors of a structure at a few wavelengths,
    per grid and extrapolated."""

    wavelengths_um: tuple[float, ...]
    resolutions_px_per_um: tuple[float, ...]
    total: tuple[Extrapolated, ...]
    radiative: tuple[Extrapolated, ...]
    wall_times_s: tuple[float, ...]
    domain_error: tuple[float, ...] | None = None
    """Per wavelength, |total(domain_config) − total(config)| on the coarsest grid (already
    added to ``total[i].error``), or None without a domain check."""

    def summary(self) -> str:
        lines = []
        for lam, t, r in zip(self.wavelengths_um, self.total, self.radiative, strict=True):
            lines.append(f"λ {1e3 * lam:.0f} nm: total {t.value:.4g} ± {t.error:.2g} "
                         f"(order {t.order:.2f}{'' if t.observed else ', assumed'}; grids "
                         + ", ".join(f"{v:.4g}" for v in t.values) + f"), radiative "
                         f"{r.value:.4g} ± {r.error:.2g}")
        return "\n".join(lines)


def aligned_resolutions(structure: Structure, candidates: Sequence[float]) -> list[float]:
    """The candidate resolutions at which every horizontal metal face lies on a grid plane."""
    return [r for r in candidates if not unsmoothed_metal_faces(structure, r)]


def converge(structure: Structure, config: SimConfig, *, resolutions: Sequence[float],
             wavelengths_um: Sequence[float], simulate: Callable[..., Any] | None = None,
             order: float | None = None, domain_config: SimConfig | None = None,
             **kwargs: Any) -> MetalConvergence:
    """Run ``structure`` on each resolution (:func:`sims.runner.simulate` smooths its metal
    faces) and extrapolate the total
    and radiative Purcell factors at ``wavelengths_um``.

    Args:
        structure: a cylindrical structure; its metal faces must lie on grid planes at every
            resolution (:func:`aligned_resolutions`).
        config: settings; its resolution is replaced by each of ``resolutions``.
        resolutions: two or three grids, increasing (px/µm).
        wavelengths_um: where to report.
        simulate: the simulation function (default :func:`sims.runner.simulate`).
        order: the order assumed with two grids (default first).
        domain_config: a second set-up (e.g. a thicker PML) run on the coarsest grid: the
            change it makes is the domain error, added to the stated error of the total (the
            cylindrical PML reflects surface plasmons a little: measured for a dipole 20 nm
            above Ag at 200 px/µm, a ±1.5 % ripple across 460-580 nm with a 0.3 µm PML, flat
            within 0.2 % with 0.6 µm).
        **kwargs: passed to ``simulate`` (cache_dir, timeout_s, ...).
    """
    if len(resolutions) < 2 or list(resolutions) != sorted(resolutions):
        raise ValueError(f"`resolutions` must be two or more increasing grids, but got "
                         f"resolutions={list(resolutions)}.")
    off = [r for r in resolutions if unsmoothed_metal_faces(structure, r)]
    if off:
        raise ValueError(
            f"at resolutions {off} px/µm the metal faces at z = "
            f"{unsmoothed_metal_faces(structure, off[0])} µm are not on grid planes, where the "
            "staircase error jumps with the sub-pixel position (sims.metal_smoothing); choose "
            "resolutions that put them on grid planes (aligned_resolutions).")
    if simulate is None:
        from sims.runner import simulate as run
    else:
        run = simulate
    totals, rads, walls = [], [], []
    for res in resolutions:
        t0 = time.monotonic()
        cfg = dataclasses.replace(config, resolution_px_per_um=float(res))
        result = run(structure, cfg, **kwargs)  # simulate smooths the metal faces
        walls.append(time.monotonic() - t0)
        totals.append([result.spectra.total_at(lam) for lam in wavelengths_um])
        rads.append([result.spectra.radiative_at(lam) for lam in wavelengths_um])
        print(f"[{structure.name}] {res:g} px/µm: total " + ", ".join(
            f"{v:.4g}" for v in totals[-1]) + f" ({walls[-1]:.0f} s)", file=sys.stderr,
            flush=True)
    res_list = [float(r) for r in resolutions]
    total = [extrapolate([t[i] for t in totals], res_list, order=order)
             for i in range(len(wavelengths_um))]
    domain = None
    if domain_config is not None:
        cfg = dataclasses.replace(domain_config, resolution_px_per_um=res_list[0])
        other = run(structure, cfg, **kwargs)
        domain = tuple(abs(other.spectra.total_at(lam) - totals[0][i])
                       for i, lam in enumerate(wavelengths_um))
        total = [dataclasses.replace(e, error=e.error + dd) for e, dd in zip(total, domain,
                                                                              strict=True)]
    return MetalConvergence(
        wavelengths_um=tuple(wavelengths_um), resolutions_px_per_um=tuple(res_list),
        domain_error=domain, total=tuple(total),
        radiative=tuple(extrapolate([r[i] for r in rads], res_list, order=order)
                        for i in range(len(wavelengths_um))),
        wall_times_s=tuple(walls))
