"""Discretisation-error estimates: Richardson extrapolation from two or more grids (pure).

A quantity q computed on grids of step h_1 > h_2 (resolutions r_1 < r_2) converges as
q(h) = q* + C h^p. Two grids and a known order p give the extrapolated value

    q* ≈ q_2 + (q_2 − q_1) / ((r_2/r_1)^p − 1),

and the stated error is Roache's grid convergence index, F_s |q* − q_2| with the safety factor
F_s = 3 for two grids (:data:`SAFETY_FACTOR`): on coarse, pre-asymptotic grids the correction
alone is too small (measured on the bullseye: the 30/40 px/µm correction was 11 nm, the true
error 19 nm). Three grids or more also measure p (the observed order), which is how each
family's orders were chosen (``benchmarks/screen_accuracy.py``). References: L. F.
Richardson, Phil. Trans. R. Soc. A 210, 307 (1911); P. J. Roache, Annu. Rev. Fluid Mech. 29,
123 (1997) (grid convergence index).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

QUANTITIES = ("resonance_wavelength_um", "quality_factor", "purcell_total",
              "purcell_radiative", "collection_efficiency")
RELATIVE_TOLERANCE = {"purcell_total": 0.05, "purcell_radiative": 0.05,
                      "collection_efficiency": 0.05, "quality_factor": 0.25}
"""Relative error (of the extrapolated value) above which a quantity is flagged as not
converged; the wavelength has an absolute tolerance, :data:`WAVELENGTH_TOLERANCE_UM`."""
WAVELENGTH_TOLERANCE_UM = 0.001
POSITIVE = ("quality_factor", "purcell_total", "purcell_radiative", "collection_efficiency")
"""Quantities that cannot be negative: an extrapolation to <= 0 is not trusted."""
SAFETY_FACTOR = 3.0
"""Roache's factor F_s for a two-grid error estimate (1.25 needs three grids and an observed
order)."""


def richardson(values: Sequence[float], resolutions: Sequence[float], order: float
               ) -> tuple[float, float]:
    """(extrapolated value, size of the correction |q* − q_2|) from the two finest grids.

    Example:
        >>> f = lambda r: 2.0 + 3.0 / r**2          # converges at second order to 2
        >>> q, correction = richardson([f(40), f(60)], [40, 60], order=2)
        >>> round(q, 12), round(correction, 6)
        (2.0, 0.000833)
    """
    if len(values) != len(resolutions) or len(values) < 2:
        raise ValueError(f"need >= 2 values and as many resolutions, but got values={values}, "
                         f"resolutions={resolutions}.")
    if not order > 0:
        raise ValueError(f"`order > 0` must hold, but got order={order!r}.")
    (q1, q2), (r1, r2) = values[-2:], resolutions[-2:]
    if not r2 > r1:
        raise ValueError(f"resolutions must increase, but got {list(resolutions)}.")
    q = q2 + (q2 - q1) / ((r2 / r1) ** order - 1)
    return q, abs(q - q2)


def observed_order(values: Sequence[float], resolutions: Sequence[float]) -> float | None:
    """Order p that fits three grids exactly (None if the changes are not monotonic).

    Solves (q2 − q1)/(q3 − q2) = (h1^p − h2^p)/(h2^p − h3^p) by bisection on p in (0.1, 6).

    Example:
        >>> f = lambda r: 1.0 + 0.5 / r**1.5
        >>> round(observed_order([f(40), f(60), f(80)], [40, 60, 80]), 6)
        1.5
    """
    (q1, q2, q3), (r1, r2, r3) = values[-3:], resolutions[-3:]
    d12, d23 = q2 - q1, q3 - q2
    if d12 == 0 or d23 == 0 or (d12 > 0) != (d23 > 0):
        return None
    target = d12 / d23

    def ratio(p: float) -> float:
        return (r1 ** -p - r2 ** -p) / (r2 ** -p - r3 ** -p)

    lo, hi = 0.1, 6.0
    if not (ratio(lo) - target) * (ratio(hi) - target) < 0:
        return None
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if (ratio(lo) - target) * (ratio(mid) - target) <= 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """One quantity: its value per grid, the extrapolated value and its error estimate."""

    values: tuple[float | None, ...]
    value: float | None
    error: float | None

    @property
    def relative_error(self) -> float | None:
        if self.value is None or self.error is None or self.value == 0:
            return None
        return abs(self.error / self.value)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Estimate:
        return cls(values=tuple(d["values"]), value=d["value"], error=d["error"])


@dataclass(frozen=True, kw_only=True)
class Accuracy:
    """The discretisation error of a result, from runs at ``resolutions_px_per_um``.

    ``estimates[q].value`` is the extrapolated value of quantity q (see :data:`QUANTITIES`),
    ``.error`` its estimated error (grid convergence index, :data:`SAFETY_FACTOR` × the
    correction); ``converged`` is False when any error exceeds its tolerance
    or the resonance pick differs between the grids, and ``notes`` say which.
    """

    resolutions_px_per_um: tuple[float, ...]
    order: float
    method: str
    estimates: dict[str, Estimate]
    converged: bool
    notes: tuple[str, ...] = field(default=())

    def value(self, quantity: str) -> float | None:
        return self.estimates[quantity].value

    def error(self, quantity: str) -> float | None:
        return self.estimates[quantity].error

    def summary(self) -> str:
        """One line, e.g. ``λ 511.2 ± 0.8 nm, Q 4.2 ± 0.1, F 2.37 ± 0.03, ...``."""
        parts = []
        labels = {"resonance_wavelength_um": ("λ", 1e3, " nm", ".1f"),
                  "quality_factor": ("Q", 1.0, "", ".3g"),
                  "purcell_total": ("F_total", 1.0, "", ".3g"),
                  "purcell_radiative": ("F_rad", 1.0, "", ".3g"),
                  "collection_efficiency": ("collection", 1.0, "", ".3f")}
        for q, (name, scale, unit, fmt) in labels.items():
            e = self.estimates.get(q)
            if e is None or e.value is None:
                continue
            err = "?" if e.error is None else format(scale * e.error, fmt)
            parts.append(f"{name} {format(scale * e.value, fmt)} ± {err}{unit}")
        flag = "" if self.converged else " (NOT converged: " + "; ".join(self.notes) + ")"
        return ", ".join(parts) + flag

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Accuracy:
        return cls(resolutions_px_per_um=tuple(d["resolutions_px_per_um"]),
                   order=float(d["order"]), method=d["method"],
                   estimates={k: Estimate.from_dict(v) for k, v in d["estimates"].items()},
                   converged=bool(d["converged"]), notes=tuple(d.get("notes", ())))


def estimate(per_grid: Sequence[Mapping[str, float | None]], resolutions: Sequence[float], *,
             order: float | Mapping[str, float], same_resonance: bool = True) -> Accuracy:
    """Richardson estimates of every quantity of :data:`QUANTITIES` from per-grid values.

    Args:
        per_grid: one mapping quantity -> value per grid, coarse to fine.
        resolutions: the grids (px/µm), increasing.
        order: convergence order p assumed for the extrapolation (one for all, or per
            quantity; a quantity missing from the mapping gets 1).
        same_resonance: False when the grids picked different resonances (then nothing is
            extrapolated: the error is the full difference and the result is not converged).
    """
    orders = {q: float(order) for q in QUANTITIES} if isinstance(order, (int, float)) else {
        q: float(order.get(q, 1.0)) for q in QUANTITIES}
    estimates: dict[str, Estimate] = {}
    notes: list[str] = []
    for q in QUANTITIES:
        vals = tuple(g.get(q) for g in per_grid)
        if any(v is None or not math.isfinite(v) for v in vals):
            estimates[q] = Estimate(values=vals, value=vals[-1], error=None)
            continue
        floats = [float(v) for v in vals]  # type: ignore[arg-type]
        if same_resonance:
            value, correction = richardson(floats, resolutions, orders[q])
            err = SAFETY_FACTOR * correction
            if q in POSITIVE and value <= 0:
                value, err = floats[-1], SAFETY_FACTOR * abs(floats[-1] - floats[-2])
                notes.append(f"{q} extrapolated to <= 0: the finer grid's value is kept")
        else:
            value, err = floats[-1], abs(floats[-1] - floats[-2])
        estimates[q] = Estimate(values=vals, value=value, error=err)
    if not same_resonance:
        lam = estimates["resonance_wavelength_um"].values
        notes.append("the resonance pick differs between the grids ("
                     + " vs ".join("—" if v is None else f"{1e3 * v:.1f} nm" for v in lam)
                     + "): no extrapolation; the error is the difference")
    lam_err = estimates["resonance_wavelength_um"].error
    if lam_err is not None and lam_err > WAVELENGTH_TOLERANCE_UM:
        notes.append(f"λ error {1e3 * lam_err:.2g} nm > {1e3 * WAVELENGTH_TOLERANCE_UM:g} nm")
    for q, tol in RELATIVE_TOLERANCE.items():
        rel = estimates[q].relative_error
        if rel is not None and rel > tol:
            notes.append(f"{q} error {100 * rel:.2g} % > {100 * tol:g} %")
    orders_text = ", ".join(f"{q} {orders[q]:g}" for q in QUANTITIES)
    return Accuracy(resolutions_px_per_um=tuple(float(r) for r in resolutions),
                    order=min(orders.values()),
                    method=f"richardson-{len(resolutions)}grid (orders: {orders_text})",
                    estimates=estimates,
                    converged=not notes, notes=tuple(notes))
