"""Can it be made? Fabrication findings for a design's layout, each with its fix.

Rules (the thresholds are process assumptions; set them to your process):

* every drawn feature (trench, ridge, hole, wall between holes, disk, pillar, bridge) is at
  least ``min_feature_nm`` wide;
* walls between neighbouring holes are at least ``min_wall_nm`` (default: ``min_feature_nm``),
  checked over *all* hole pairs, shifted and resized holes included;
* etch depth / smallest etched width ≤ ``max_aspect_ratio`` (dry etch), and pillar height /
  diameter ≤ ``max_aspect_ratio`` (it must stand);
* a suspended membrane (``substrate="none"``) can be released: a partially etched bullseye has
  no path for the undercut etchant, and a through-etched one has concentric trenches that cut
  the disk and every ring off from the membrane, so they float away unless ``tethers``
  bridges cross each trench;
* a free-standing pillar (``substrate="none"``) has nothing to stand on;
* every feature spans at least ``MIN_GRID_POINTS`` database grid steps.

The family's own ``fabrication_violations`` (used to prune optimisation trials) applies the
same kind of limits; this module adds the release and grid rules, all hole pairs and a fix for
each finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cavities.base import DEFAULT_MIN_FEATURE_UM, CavityDesign
from cavities.fabrication.layout import default_tether_width_um

SEVERITIES = ("error", "warning", "info")
DEFAULT_MAX_ASPECT_RATIO = 10.0
"""Largest depth/width of a dry etch and height/diameter of a standing pillar (model choice,
as the families' own rules)."""
MIN_TETHERS = 3
"""Fewest bridges per trench that hold a ring in plane (with 1 or 2 it can tilt or twist)."""
MIN_GRID_POINTS = 4
"""Smallest feature, in database grid steps, below which snapping distorts it visibly."""


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One fabrication finding. ``error``: cannot be made as drawn; ``warning``: can be made
    but deviates from the simulated design or is fragile; ``info``: for the record."""

    severity: str
    rule: str
    message: str
    fix: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"`severity` must be one of {SEVERITIES}, but got "
                             f"severity={self.severity!r}.")

    def __str__(self) -> str:
        return f"{self.severity}: [{self.rule}] {self.message} Fix: {self.fix}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def fabrication_check(design: CavityDesign, *,
                      min_feature_nm: float = 1e3 * DEFAULT_MIN_FEATURE_UM,
                      min_wall_nm: float | None = None,
                      max_aspect_ratio: float = DEFAULT_MAX_ASPECT_RATIO,
                      tethers: int = 0, tether_width_um: float | None = None,
                      grid_nm: float = 1.0) -> list[Finding]:
    """Everything that keeps ``design`` from being made as drawn (empty list: nothing).

    Args:
        design: any family's design.
        min_feature_nm: smallest width the lithography and etch can make.
        min_wall_nm: smallest wall between holes (default ``min_feature_nm``).
        max_aspect_ratio: see :data:`DEFAULT_MAX_ASPECT_RATIO`.
        tethers: bridges per bullseye trench that the GDS will carry (``to_gds(tethers=)``).
        tether_width_um: their width (default as in ``to_gds``).
        grid_nm: database grid of the GDS.
    """
    from cavities.families.bullseye import Bullseye
    from cavities.families.nanocube import NanocubeOnMirror
    from cavities.families.photonic_crystal import Nanobeam, _PhotonicCrystalSlab
    from cavities.families.pillar import MiePillar

    for label, v in (("min_feature_nm", min_feature_nm), ("max_aspect_ratio", max_aspect_ratio),
                     ("grid_nm", grid_nm)):
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"`{label} > 0` must hold, but got {label}={v!r}.")
    mf = 1e-3 * min_feature_nm
    mw = mf if min_wall_nm is None else 1e-3 * min_wall_nm
    width = (default_tether_width_um(design, DEFAULT_MIN_FEATURE_UM)
             if tether_width_um is None else tether_width_um)
    out: list[Finding] = []
    widths: list[tuple[str, float]] = []  # (what, width µm) for the grid rule
    if isinstance(design, Bullseye):
        out += _bullseye(design, mf, max_aspect_ratio, tethers, width, widths)
    elif isinstance(design, _PhotonicCrystalSlab):
        out += _holes(design, mf, mw, max_aspect_ratio, widths)
        if isinstance(design, Nanobeam):
            out += _nanobeam(design, mf, widths)
    elif isinstance(design, MiePillar):
        out += _pillar(design, mf, max_aspect_ratio, widths)
    elif isinstance(design, NanocubeOnMirror):
        out += _nanocube(design, mf, widths)
    else:
        out += [Finding(severity="error", rule="family", message=v,
                        fix="change the named parameter to meet the limit.")
                for v in design.fabrication_violations(mf)]
    if tethers and not isinstance(design, Bullseye):
        raise ValueError(f"`tethers` applies to bullseye trenches only, but the design is a "
                         f"{design.family!r}.")
    grid_um = 1e-3 * grid_nm
    for what, w in widths:
        if w > 0 and w < MIN_GRID_POINTS * grid_um:
            out.append(Finding(
                severity="warning", rule="grid",
                message=f"{what} = {1e3 * w:.3g} nm spans fewer than {MIN_GRID_POINTS} grid "
                        f"steps of {grid_nm:g} nm.",
                fix=f"write the GDS with --grid-nm {1e3 * w / (2 * MIN_GRID_POINTS):.2g} or "
                    "finer."))
    return out


def _too_small(what: str, param: str, w_um: float, mf: float, fix: str) -> Finding:
    return Finding(severity="error", rule="min_feature",
                   message=f"{what} ({param}) = {1e3 * w_um:.4g} nm is below the minimum "
                           f"feature {1e3 * mf:.4g} nm.", fix=fix)


def _bullseye(d, mf: float, max_ar: float, tethers: int, tether_w: float,
              widths: list[tuple[str, float]]) -> list[Finding]:
    out = []
    ridge = d.period_um - d.trench_width_um
    widths += [("trench width", d.trench_width_um), ("ridge width", ridge)]
    if d.n_rings and d.trench_width_um < mf:
        out.append(_too_small("trench width", "trench_width_um", d.trench_width_um, mf,
                              f"set trench_width_um >= {mf:g} (and keep period_um - "
                              "trench_width_um above the limit too)."))
    if d.n_rings > 1 and ridge < mf:
        out.append(_too_small("ridge between trenches", "period_um - trench_width_um", ridge,
                              mf, f"make period_um - trench_width_um >= {mf:g}: narrow the "
                                  "trenches or lengthen the period."))
    if 2 * d.disk_radius_um < mf:
        out.append(_too_small("central disk diameter", "2*disk_radius_um",
                              2 * d.disk_radius_um, mf, "enlarge disk_radius_um."))
    depth = d.thickness_um if d.etch_depth_um is None else d.etch_depth_um
    if d.n_rings and depth / d.trench_width_um > max_ar:
        out.append(Finding(severity="error", rule="aspect_ratio",
                           message=f"trench aspect ratio depth/trench_width_um = "
                                   f"{depth / d.trench_width_um:.3g} exceeds {max_ar:g}.",
                           fix="widen the trenches or etch less deep."))
    suspended = d.substrate == "none" and d.n_rings > 0
    if suspended and d.etch_depth_um is not None:
        out.append(Finding(
            severity="error", rule="release",
            message=f"a suspended membrane must be released by an undercut etch, but the "
                    f"trenches stop at etch_depth_um={d.etch_depth_um:g} µm < thickness_um="
                    f"{d.thickness_um:g} µm: the etchant cannot reach the sacrificial layer.",
            fix="etch through (etch_depth_um=None) with tethers, or add release holes, or use "
                "substrate='SiO2'."))
    if suspended and d.etch_depth_um is None:
        if tethers == 0:
            out.append(Finding(
                severity="error", rule="suspended_floating",
                message=f"the {d.n_rings} trenches are etched through a suspended membrane: "
                        f"each is a closed ring, so the central disk and the {d.n_rings - 1} "
                        "rings between trenches are cut off from the membrane and float away "
                        "at the release.",
                fix=f"add bridges across the trenches (to_gds(tethers={max(MIN_TETHERS, 4)}), "
                    f"pnc-cavity gds/check --tethers {max(MIN_TETHERS, 4)}), or use "
                    "substrate='SiO2' or 'hybrid'."))
        elif tethers < MIN_TETHERS:
            out.append(Finding(
                severity="warning", rule="tethers",
                message=f"{tethers} bridge(s) per trench hold the disk and rings, but they can "
                        "tilt or twist.",
                fix=f"use at least {MIN_TETHERS} bridges (--tethers {MIN_TETHERS})."))
    if tethers and d.n_rings:
        widths.append(("tether width", tether_w))
        if tether_w < mf:
            out.append(_too_small("tether width", "tether_width_um", tether_w, mf,
                                  f"set tether_width_um >= {mf:g}."))
        r_in = d.disk_radius_um
        blocked = tethers * tether_w / (2 * math.pi * r_in)
        if blocked > 0.5:
            out.append(Finding(
                severity="error", rule="tethers",
                message=f"{tethers} bridges of {1e3 * tether_w:.3g} nm block "
                        f"{100 * blocked:.0f} % of the innermost trench: it is no longer a "
                        "trench.", fix="use fewer or narrower bridges."))
        frac = tethers * tether_w / (2 * math.pi * (r_in + d.trench_width_um / 2))
        out.append(Finding(
            severity="warning" if not suspended else "info", rule="tethers_not_simulated",
            message=f"the simulation is rotationally symmetric and has no bridges; {tethers} "
                    f"bridges of {1e3 * tether_w:.3g} nm fill {100 * frac:.1f} % of the "
                    "innermost trench"
                    + ("" if suspended else ", and this design does not need them")
                    + ".",
            fix="check the tethered design in 3D (sims) if the fraction is more than a few %"
                + ("." if suspended else "; or drop --tethers.")))
    return out


def _holes(d, mf: float, mw: float, max_ar: float,
           widths: list[tuple[str, float]]) -> list[Finding]:
    out = []
    holes = np.asarray(d.holes(), dtype=float)
    if holes.size == 0:
        return out
    xy, r = holes[:, :2], holes[:, 2]
    for radius in sorted(set(np.round(r, 12))):
        widths.append(("hole diameter", 2 * radius))
        if 2 * radius < mf:
            n = int(np.sum(np.isclose(r, radius)))
            out.append(_too_small(f"diameter of {n} hole(s)", "2*radius", 2 * radius, mf,
                                  "enlarge the holes (hole_radius_um, end/nn radius, fill "
                                  "fractions)."))
    diff = xy[:, None, :] - xy[None, :, :]
    wall = np.hypot(diff[..., 0], diff[..., 1]) - r[:, None] - r[None, :]
    np.fill_diagonal(wall, np.inf)
    i, j = np.unravel_index(int(np.argmin(wall)), wall.shape)
    w = float(wall[i, j])
    widths.append(("wall between holes", w))
    if w < mw:
        what = "overlap" if w <= 0 else "are too close"
        n_bad = int(np.sum(wall < mw) // 2)
        out.append(Finding(
            severity="error", rule="min_wall",
            message=f"{n_bad} hole pair(s) {what}: the thinnest wall is {1e3 * w:.4g} nm < "
                    f"{1e3 * mw:.4g} nm, between the holes at ({xy[i, 0]:.4f}, {xy[i, 1]:.4f}) "
                    f"and ({xy[j, 0]:.4f}, {xy[j, 1]:.4f}) µm (radii {1e3 * r[i]:.4g}, "
                    f"{1e3 * r[j]:.4g} nm).",
            fix="shrink the holes or the shifts (end_hole_shift_um, nn_shift_um), or lengthen "
                "lattice_um."))
    ar = d.slab_thickness_um / (2 * float(r.min()))
    if ar > max_ar:
        out.append(Finding(severity="error", rule="aspect_ratio",
                           message=f"hole aspect ratio slab_thickness_um/(2 r_min) = {ar:.3g} "
                                   f"exceeds {max_ar:g}.",
                           fix="enlarge the smallest holes or thin the slab."))
    return out


def _nanobeam(d, mf: float, widths: list[tuple[str, float]]) -> list[Finding]:
    r_max = max(d.radius_for(ff) for ff in d.fill_fractions())
    side = (d.beam_width_um - 2 * r_max) / 2
    widths.append(("side wall", side))
    if side < mf:
        return [_too_small("side wall beside the largest hole", "(beam_width_um - 2 r)/2", side,
                           mf, "widen the beam or lower center_fill_fraction.")]
    return []


def _pillar(d, mf: float, max_ar: float, widths: list[tuple[str, float]]) -> list[Finding]:
    out = []
    widths.append(("pillar diameter", d.diameter_um))
    if d.diameter_um < mf:
        out.append(_too_small("pillar diameter", "diameter_um", d.diameter_um, mf,
                              "enlarge diameter_um."))
    ar = d.height_um / d.diameter_um
    if ar > max_ar:
        out.append(Finding(severity="error", rule="aspect_ratio",
                           message=f"pillar aspect ratio height_um/diameter_um = {ar:.3g} "
                                   f"exceeds {max_ar:g}: it would not etch or would fall over.",
                           fix="lower height_um or widen diameter_um."))
    if d.substrate == "none":
        out.append(Finding(severity="error", rule="free_standing",
                           message="substrate='none' is a free-standing pillar (a simulation "
                                   "reference): it has nothing to stand on.",
                           fix="use substrate='SiO2'."))
    return out


def _nanocube(d, mf: float, widths: list[tuple[str, float]]) -> list[Finding]:
    out = [Finding(severity="error", rule="family", message=v,
                   fix="change the named parameter to meet the limit.")
           for v in d.fabrication_violations(mf)]
    widths.append(("cube edge", d.cube_edge_um))
    out.append(Finding(severity="info", rule="colloidal",
                       message="the cube is a colloidal particle and the spacer and film are "
                               "blanket layers: the GDS marks the placement site only.",
                       fix="none needed."))
    return out
