"""The in-plane layout of a cavity design: what a mask writer draws, in µm (no gdstk here).

Each family maps to analytic features (circles, annuli, rectangles) on named process layers:

==============  ===========================================================================
layer           what it is
==============  ===========================================================================
``etch_full``   etched through the membrane/slab (bullseye trenches, photonic-crystal holes,
                the trenches that define a nanobeam)
``etch_partial``  etched to ``etch_depth_um`` only (a partially etched bullseye)
``pillar``      the pillar footprint (the etch mask that stays)
``cube``        nanocube placement site (footprint of the colloidal cube)
``release``     region to undercut (suspended membranes: ``substrate="none"``)
``tether``      bridges left standing across etched trenches (subtracted from the etch)
``label``       non-printing text: preset name and parameters
==============  ===========================================================================

Blanket films (substrate, spacer, mirror film, cladding, the slab itself) are not patterned
and so are not part of the layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cavities.base import CavityDesign

LAYER_NAMES = ("etch_full", "etch_partial", "pillar", "cube", "release", "tether", "label")

NANOBEAM_TRENCH_UM = 0.5
"""Width of the etched trench on each side of a nanobeam (model choice: wide enough for the
undercut etchant, far enough that the mode, which decays within ~0.1 µm, does not see it)."""
NANOBEAM_SUPPORT_UM = 1.0
"""Length of solid beam between the last hole and the anchor at each end."""
RELEASE_MARGIN_UM = 0.5
"""How far the undercut region extends beyond the patterned area."""


@dataclass(frozen=True, kw_only=True)
class Circle:
    layer: str
    center_um: tuple[float, float]
    radius_um: float


@dataclass(frozen=True, kw_only=True)
class Annulus:
    layer: str
    center_um: tuple[float, float]
    inner_radius_um: float
    outer_radius_um: float


@dataclass(frozen=True, kw_only=True)
class Rect:
    """Rectangle of ``size_um`` centred at ``center_um``, rotated by ``angle_rad`` about its
    centre, with corners rounded to ``corner_radius_um``."""

    layer: str
    center_um: tuple[float, float]
    size_um: tuple[float, float]
    angle_rad: float = 0.0
    corner_radius_um: float = 0.0


Feature = Circle | Annulus | Rect


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Features of one design; ``tether`` features are cut out of ``etch_full``/``etch_partial``."""

    family: str
    features: tuple[Feature, ...]

    def on(self, layer: str) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.layer == layer)


def default_tether_width_um(design: CavityDesign, min_feature_um: float) -> float:
    """Bridge width when none is given: twice the minimum feature, at least 60 nm."""
    return max(2 * min_feature_um, 0.06)


def layout_of(design: CavityDesign, *, tethers: int = 0, tether_width_um: float = 0.08
              ) -> Layout:
    """The in-plane layout of ``design`` (µm). ``tethers`` bridges per bullseye trench, on
    radial spokes at angles 2πk/N (aligned from trench to trench)."""
    from cavities.families.bullseye import Bullseye
    from cavities.families.nanocube import NanocubeOnMirror
    from cavities.families.photonic_crystal import Nanobeam, _PhotonicCrystalSlab
    from cavities.families.pillar import MiePillar

    if not (isinstance(tethers, int) and tethers >= 0):
        raise ValueError(f"`tethers >= 0` (an integer) must hold, but got tethers={tethers!r}.")
    if tethers and not (math.isfinite(tether_width_um) and tether_width_um > 0):
        raise ValueError(f"`tether_width_um > 0` must hold, but got "
                         f"tether_width_um={tether_width_um!r}.")
    feats: list[Feature] = []
    if isinstance(design, Bullseye):
        layer = "etch_full" if design.etch_depth_um is None else "etch_partial"
        for r_in, r_out in bullseye_trenches(design):
            feats.append(Annulus(layer=layer, center_um=(0.0, 0.0), inner_radius_um=r_in,
                                 outer_radius_um=r_out))
        if tethers and design.n_rings:
            r0 = design.disk_radius_um
            length = design.grating_radius_um - r0
            mid = r0 + length / 2
            for k in range(tethers):
                a = 2 * math.pi * k / tethers
                feats.append(Rect(layer="tether", center_um=(mid * math.cos(a),
                                                             mid * math.sin(a)),
                                  size_um=(length + 0.02, tether_width_um), angle_rad=a))
        if design.substrate == "none":
            feats.append(Circle(layer="release", center_um=(0.0, 0.0),
                                radius_um=design.grating_radius_um + RELEASE_MARGIN_UM))
    elif isinstance(design, _PhotonicCrystalSlab):
        for x, y, r in design.holes():
            feats.append(Circle(layer="etch_full", center_um=(x, y), radius_um=r))
        if isinstance(design, Nanobeam):
            half_len = len(design.fill_fractions()) * design.lattice_um + NANOBEAM_SUPPORT_UM
            w, tr = design.beam_width_um, NANOBEAM_TRENCH_UM
            for sign in (1, -1):
                feats.append(Rect(layer="etch_full", center_um=(0.0, sign * (w / 2 + tr / 2)),
                                  size_um=(2 * half_len, tr)))
            ext = (2 * half_len, w + 2 * tr)
        else:
            hx, hy = design._crystal_half_um()
            ext = (2 * hx, 2 * hy)
        if design.substrate == "none":
            feats.append(Rect(layer="release", center_um=(0.0, 0.0),
                              size_um=(ext[0] + 2 * RELEASE_MARGIN_UM,
                                       ext[1] + 2 * RELEASE_MARGIN_UM)))
    elif isinstance(design, MiePillar):
        d = design.diameter_um
        if design.shape == "circle":
            feats.append(Circle(layer="pillar", center_um=(0.0, 0.0), radius_um=d / 2))
        else:
            feats.append(Rect(layer="pillar", center_um=(0.0, 0.0), size_um=(d, d)))
    elif isinstance(design, NanocubeOnMirror):
        L = design.cube_edge_um
        feats.append(Rect(layer="cube", center_um=(0.0, 0.0), size_um=(L, L),
                          corner_radius_um=design.corner_radius_um))
    else:
        raise ValueError(f"no layout is defined for the family {design.family!r}; known: "
                         "bullseye, pc_l3, pc_h1, pc_nanobeam, mie_pillar, nanocube_on_mirror.")
    if tethers and not any(f.layer == "tether" for f in feats):
        raise ValueError(f"`tethers` applies to bullseye trenches only, but the design is a "
                         f"{design.family!r}; drop --tethers.")
    return Layout(family=design.family, features=tuple(feats))


def bullseye_trenches(design: CavityDesign) -> list[tuple[float, float]]:
    """(inner, outer) radius of every bullseye trench, µm (as ``Bullseye.to_structure``)."""
    r0, p, w = design.disk_radius_um, design.period_um, design.trench_width_um  # type: ignore[attr-defined]
    return [(r0 + i * p, r0 + i * p + w) for i in range(design.n_rings)]  # type: ignore[attr-defined]
