"""Resolution convergence: repeat a simulation at two or three resolutions and report how much
each quantity changes, so a result can carry an error estimate."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cavities.structure import Structure
from sims.config import SimConfig
from sims.results import SimResult

QUANTITIES = ("resonance_wavelength_um", "quality_factor", "purcell_total",
              "purcell_radiative", "collection_efficiency", "mode_volume_lambda_n3")


def quantities_of(result: SimResult) -> dict[str, float | None]:
    """:func:`sims.screen.headline` plus the mode volume; without a resonance, the spectra at
    the target wavelength (or the window centre)."""
    from sims.screen import headline

    values: dict[str, float | None] = dict(headline(result))
    if result.resonance is None:
        target = (result.structure.get("target_wavelength_um")
                  or 0.5 * (result.structure["wavelength_min_um"]
                            + result.structure["wavelength_max_um"]))
        values.update(purcell_total=result.spectra.total_at(target),
                      purcell_radiative=result.spectra.radiative_at(target),
                      collection_efficiency=result.spectra.collection_at(target))
    mv = result.mode_volume
    values["mode_volume_lambda_n3"] = None if mv is None else (mv.emitter_volume_lambda_n3
                                                               or mv.emitter_area_lambda_n2)
    return values


@dataclass(frozen=True, kw_only=True)
class ConvergenceReport:
    """Quantities at each resolution and their relative change between the two finest grids.

    ``relative_change[q] = |q(finest) − q(next)| / |q(finest)|`` is the error estimate quoted with
    a result at the finest resolution (it bounds the error when convergence is monotonic).
    """

    resolutions_px_per_um: tuple[float, ...]
    values: dict[str, tuple[float | None, ...]]
    relative_change: dict[str, float | None]
    wall_time_s: tuple[float, ...]

    def to_json(self) -> str:
        def clean(v: Any) -> Any:
            if isinstance(v, float) and not math.isfinite(v):
                return None
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            return v
        return json.dumps(clean(dataclasses.asdict(self)), indent=1, allow_nan=False)

    def to_markdown(self) -> str:
        head = "| quantity | " + " | ".join(f"{r:g} px/µm" for r in
                                             self.resolutions_px_per_um) + " | rel. change |"
        sep = "|---" * (len(self.resolutions_px_per_um) + 2) + "|"
        rows = [head, sep]
        for q in QUANTITIES:
            vals = " | ".join("—" if v is None else f"{v:.5g}" for v in self.values[q])
            ch = self.relative_change[q]
            rows.append(f"| {q} | {vals} | {'—' if ch is None else f'{100 * ch:.2f} %'} |")
        return "\n".join(rows)


def convergence_study(structure: Structure, config: SimConfig,
                      resolutions_px_per_um: Sequence[float], *,
                      simulate: Callable[..., SimResult] | None = None,
                      cache_dir: str | Path | None | bool = True) -> ConvergenceReport:
    """Simulate at each resolution (coarse to fine) and compare.

    Args:
        structure: the structure.
        config: settings; its resolution is replaced by each of ``resolutions_px_per_um``.
        resolutions_px_per_um: two or three resolutions.
        simulate: the simulation function (default :func:`sims.runner.simulate`).
        cache_dir: passed to ``simulate``.
    """
    res = sorted(float(r) for r in resolutions_px_per_um)
    if len(res) < 2:
        raise ValueError(
            f"`len(resolutions_px_per_um) >= 2` must hold, but got {list(resolutions_px_per_um)}.")
    if simulate is None:
        from sims.runner import simulate as run
    else:
        run = simulate
    results = [run(structure, dataclasses.replace(config, resolution_px_per_um=r),
                   cache_dir=cache_dir) for r in res]
    per = [quantities_of(r) for r in results]
    values = {q: tuple(p[q] for p in per) for q in QUANTITIES}
    change: dict[str, float | None] = {}
    for q in QUANTITIES:
        a, b = values[q][-1], values[q][-2]
        change[q] = None if (a is None or b is None or a == 0) else abs(a - b) / abs(a)
    return ConvergenceReport(resolutions_px_per_um=tuple(res), values=values,
                             relative_change=change,
                             wall_time_s=tuple(r.provenance.wall_time_s for r in results))
