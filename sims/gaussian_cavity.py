"""Plano-concave Fabry-Pérot cavity with multilayer mirrors: paraxial Laguerre-Gauss resonances,
Q from the mirror reflectivities and the Q/V Purcell factor (pure numpy/scipy; the analytic
oracle of the open-microcavity family, :mod:`cavities.families.open_cavity`).

A planar mirror at z = 0 and a spherical mirror of radius of curvature R whose apex sits at
z = L face each other across a gap of index n. The paraxial Laguerre-Gauss mode LG_pl has its
waist on the planar mirror,

    w0² = (λ / (π n)) · sqrt(L (R − L)),      (stable for 0 < L < R)

and picks up the Gouy phase (N + 1) ψ, N = 2p + |l|, ψ = arccos(sqrt(1 − L/R)), on each pass
(Siegman, *Lasers*, ch. 19; Kogelnik & Li, Appl. Opt. 5, 1550 (1966)). A dielectric stack is
not a hard mirror: light penetrates it, and the depth differs for the resonance condition (the
reflection phase), for Q and V (the group delay L_τ) and for diffraction (Koks & van Exter, Opt.
Express 29, 6879 (2021)). Here a mirror diffracts like a hard mirror L_D = L_τ ⟨(n/n_layer)²⟩
behind its surface (average over the energy stored in its layers: the paraxial envelope
diffracts at a rate ∝ 1/n² per unit time); L and R in ψ and w0 become L' = L + L_D,b + L_D,t
and R' = R + L_D,t (the curved stack's shells are concentric). With φ_b, φ_t the phases
of the mirrors' normal-incidence amplitude reflection coefficients (E field, seen from the gap,
referred to each mirror's surface; transfer matrix of the layers) the round-trip phase

    Φ(λ) = 4π n L / λ + φ_b(λ) + φ_t(λ) − 2 (N + 1) ψ

is a multiple of 2π at a resonance. A round trip multiplies the field by r_b r_t e^{iΦ}; with
Φ(ω) ≈ Φ(ω0) + τ (ω − ω0) the mode decays at κ = −ln(R_b R_t) / τ (energy, R = |r|²), so

    Q = ω0 / κ = λ |dΦ/dλ| / (−ln(R_b R_t)).

For lossless mirrors the group delay τ = dΦ/dω also measures the stored energy (the mirrors'
penetration included), so the effective length L_eff = (λ² / (4π n)) |dΦ/dλ| gives the mode
volume of the standing wave, V = π w0² L_eff / 4 (field maximum on the planar mirror's
surface, where a high-index-terminated quarter-wave stack puts the antinode), and the Purcell
factor of a matched emitter, F = (3 / 4π²) (λ/n)³ Q / V (REFERENCES A1).

Left out: the mirrors' angular dependence over the beam's plane-wave spread (non-paraxial
corrections of order (λ / (π w0))²), clipping by a finite mirror and scattering.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import optimize

from sims.layered import normal_incidence_reflection

if TYPE_CHECKING:
    from cavities.families.open_cavity import OpenCavity

Film = tuple[complex, float]  # (permittivity, thickness_um), nearest to the gap first


@dataclass(frozen=True, kw_only=True)
class Mirror:
    """A multilayer mirror seen from the gap: films (nearest first) on a half-space."""

    films: tuple[Film, ...]
    half_space_permittivity: complex

    def reflection(self, wavelength_um: float, gap_index: float) -> complex:
        """Normal-incidence amplitude reflection coefficient (E field) at the mirror surface."""
        return normal_incidence_reflection(
            wavelength_um=wavelength_um, incident_permittivity=gap_index**2, films=self.films,
            half_space_permittivity=self.half_space_permittivity)

    def delay_length_um(self, wavelength_um: float, gap_index: float) -> float:
        """Group-delay penetration depth L_τ = (λ² / 4π n) |dφ/dλ| (gap-equivalent length)."""
        h = 1e-6 * wavelength_um
        a = self.reflection(wavelength_um - h, gap_index)
        b = self.reflection(wavelength_um + h, gap_index)
        dphi = math.atan2((b / a).imag, (b / a).real) / (2 * h)
        return wavelength_um**2 / (4 * math.pi * gap_index) * abs(dphi)

    def inverse_square_index(self, wavelength_um: float, gap_index: float,
                             samples_per_layer: int = 24) -> float:
        """⟨(n_gap/n)²⟩ over the stored energy of the standing wave inside the films (the
        paraxial envelope diffracts at a rate ∝ 1/n² per unit time, and the time a wave spends
        in a layer is ∝ the energy stored there). 1 for a mirror without films."""
        if not self.films:
            return 1.0
        k0 = 2 * math.pi / wavelength_um
        # (E, Z0·H) of the transmitted wave at the outermost face, walked towards the gap with
        # the inverse characteristic matrix of each sub-step (midpoint energy samples)
        e, h = 1.0 + 0j, complex(self.half_space_permittivity) ** 0.5
        energy = weighted = 0.0
        for eps, t in reversed(self.films):
            n = complex(eps) ** 0.5
            dz = t / samples_per_layer
            c, sn = cmath.cos(k0 * n * dz / 2), cmath.sin(k0 * n * dz / 2)
            for half_step in range(2 * samples_per_layer):
                e, h = c * e + 1j * sn / n * h, 1j * n * sn * e + c * h  # half a sub-step
                if half_step % 2 == 0:  # at a sub-step's midpoint
                    u = (abs(n) ** 2 * abs(e) ** 2 + abs(h) ** 2) * dz
                    energy += u
                    weighted += u * (gap_index / abs(n)) ** 2
        return weighted / energy

    def diffraction_length_um(self, wavelength_um: float, gap_index: float) -> float:
        """L_D = L_τ ⟨(n_gap/n)²⟩: how far behind its surface the mirror acts as a hard mirror
        for the diffraction of the beam (its Gouy phase and waist). Model: the three penetration
        depths of a DBR (resonance, Q, mode volume) differ (Koks & van Exter, Opt. Express 29,
        6879 (2021)); this weighting is the tool's, checked against Meep
        (tests/sims_tests/test_open_cavity.py)."""
        return (self.delay_length_um(wavelength_um, gap_index)
                * self.inverse_square_index(wavelength_um, gap_index))


def quarter_wave_stack(*, pairs: int, high_index: float, low_index: float,
                       center_wavelength_um: float, substrate_index: float,
                       gap_side: str = "low") -> Mirror:
    """``pairs`` quarter-wave pairs on a substrate; ``gap_side`` says which layer faces the gap.

    Seen from a gap of lower index than both layers, a stack with its low-index layer facing
    the gap reflects with phase 0 (a field antinode on its surface, where a nanocrystal lying on
    the mirror sits); with the high-index layer facing the gap the phase is π (a node).

    Example (10 pairs TiO2/SiO2 at 520 nm, seen from air):
        >>> m = quarter_wave_stack(pairs=10, high_index=2.46, low_index=1.46,
        ...                        center_wavelength_um=0.52, substrate_index=1.46)
        >>> r = m.reflection(0.52, 1.0)
        >>> round(abs(r) ** 2, 6), round(math.degrees(math.atan2(r.imag, r.real)) + 0.0, 3)
        (0.999828, 0.0)
    """
    if gap_side not in ("low", "high"):
        raise ValueError(f"`gap_side` must be 'low' or 'high', but got gap_side={gap_side!r}.")
    if not (isinstance(pairs, int) and pairs >= 0):
        raise ValueError(f"`pairs >= 0` (an integer) must hold, but got pairs={pairs!r}.")
    h = center_wavelength_um / (4 * high_index)
    lo = center_wavelength_um / (4 * low_index)
    films: list[Film] = []
    pair = [(complex(high_index**2), h), (complex(low_index**2), lo)]
    if gap_side == "low":
        pair.reverse()
    for _ in range(pairs):
        films += pair
    return Mirror(films=tuple(films), half_space_permittivity=complex(substrate_index**2))


@dataclass(frozen=True, kw_only=True)
class PlanoConcaveCavity:
    """Planar mirror at z = 0, spherical mirror (radius of curvature ``radius_um``) with its apex
    at z = ``length_um``, gap of index ``gap_index``. Lengths in µm."""

    length_um: float
    radius_um: float
    bottom: Mirror
    top: Mirror
    gap_index: float = 1.0

    def __post_init__(self) -> None:
        if not (0 < self.length_um < self.radius_um):
            raise ValueError(
                "`0 < length_um < radius_um` must hold (a stable plano-concave cavity), but got "
                f"length_um={self.length_um!r}, radius_um={self.radius_um!r}.")

    def diffractive_lengths_um(self, wavelength_um: float) -> tuple[float, float]:
        """(L', R'): the hard-mirror cavity that diffracts like this one. Each mirror acts for
        diffraction as a hard mirror L_D behind its surface (:meth:`Mirror.
        diffraction_length_um`); the curved mirror's shells are concentric, so its effective
        radius grows by its own L_D."""
        lb = self.bottom.diffraction_length_um(wavelength_um, self.gap_index)
        lt = self.top.diffraction_length_um(wavelength_um, self.gap_index)
        return self.length_um + lb + lt, self.radius_um + lt

    def gouy_phase(self, wavelength_um: float) -> float:
        """One-pass Gouy phase ψ = arccos(sqrt(1 − L'/R')) of the fundamental mode (rad)."""
        length, radius = self.diffractive_lengths_um(wavelength_um)
        return math.acos(math.sqrt(1.0 - length / radius))

    def waist_um(self, wavelength_um: float) -> float:
        """1/e² field radius w0 = sqrt((λ/πn) sqrt(L'(R' − L'))) on the planar mirror."""
        length, radius = self.diffractive_lengths_um(wavelength_um)
        return math.sqrt(wavelength_um / (math.pi * self.gap_index)
                         * math.sqrt(length * (radius - length)))

    def round_trip_phase(self, wavelength_um: float, mode_order: int = 0) -> float:
        """Φ(λ) (rad, not wrapped) for the modes of order N = 2p + |l| = ``mode_order``."""
        rb = self.bottom.reflection(wavelength_um, self.gap_index)
        rt = self.top.reflection(wavelength_um, self.gap_index)
        return (4 * math.pi * self.gap_index * self.length_um / wavelength_um
                + math.atan2(rb.imag, rb.real) + math.atan2(rt.imag, rt.real)
                - 2 * (mode_order + 1) * self.gouy_phase(wavelength_um))

    def _dphase(self, wavelength_um: float, mode_order: int) -> float:
        h = 1e-6 * wavelength_um
        a = self.round_trip_phase(wavelength_um - h, mode_order)
        b = self.round_trip_phase(wavelength_um + h, mode_order)
        d = b - a
        d = (d + math.pi) % (2 * math.pi) - math.pi  # the atan2 branch may jump between them
        return d / (2 * h)

    def resonances_um(self, wavelength_min_um: float, wavelength_max_um: float,
                      mode_order: int = 0, samples: int = 801) -> list[float]:
        """Resonance wavelengths of the order-N modes inside the window (ascending)."""
        grid = np.linspace(wavelength_min_um, wavelength_max_um, samples)
        phase = np.array([self.round_trip_phase(w, mode_order) for w in grid])
        wrapped = np.angle(np.exp(1j * phase))  # resonance where this crosses 0 upward/downward
        out = []
        for i in range(samples - 1):
            a, b = wrapped[i], wrapped[i + 1]
            if a == 0.0:
                out.append(float(grid[i]))
            elif a * b < 0 and abs(a - b) < math.pi:  # a sign change that is not a 2π wrap
                def f(w: float) -> float:
                    return float(np.angle(np.exp(1j * self.round_trip_phase(w, mode_order))))
                out.append(float(optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-12)))
        return out

    def quality_factor(self, wavelength_um: float, mode_order: int = 0) -> float:
        """Q = λ |dΦ/dλ| / (−ln(R_b R_t)) at a resonance."""
        rb = self.bottom.reflection(wavelength_um, self.gap_index)
        rt = self.top.reflection(wavelength_um, self.gap_index)
        loss = -math.log(abs(rb) ** 2 * abs(rt) ** 2)
        return wavelength_um * abs(self._dphase(wavelength_um, mode_order)) / loss

    def effective_length_um(self, wavelength_um: float, mode_order: int = 0) -> float:
        """L_eff = (λ² / 4π n) |dΦ/dλ| (gap plus the mirrors' penetration)."""
        return (wavelength_um**2 / (4 * math.pi * self.gap_index)
                * abs(self._dphase(wavelength_um, mode_order)))

    def mode_volume_um3(self, wavelength_um: float) -> float:
        """V = π w0² L_eff / 4 of the fundamental mode."""
        return math.pi * self.waist_um(wavelength_um) ** 2 * self.effective_length_um(
            wavelength_um) / 4

    def purcell_factor(self, wavelength_um: float) -> float:
        """(3 / 4π²) (λ/n)³ Q / V of the fundamental mode, for a matched emitter at its
        antinode on the planar mirror."""
        lam_n = wavelength_um / self.gap_index
        return (3 / (4 * math.pi**2) * lam_n**3 * self.quality_factor(wavelength_um)
                / self.mode_volume_um3(wavelength_um))


def mirror_from_layers(layers: Sequence[tuple[float, float]], substrate_index: float) -> Mirror:
    """A mirror from (index, thickness_um) pairs, nearest to the gap first."""
    return Mirror(films=tuple((complex(n**2), t) for n, t in layers),
                  half_space_permittivity=complex(substrate_index**2))


def paraxial_model(design: OpenCavity) -> PlanoConcaveCavity:
    """The analytic model of an open-cavity design: its stacks (with the polymer film as the
    bottom mirror's first layer) on glass, its air gap and radius of curvature, the indices
    the simulation uses (constant at the target wavelength)."""
    from cavities.library import get_material

    layers = design.mirror_layers()
    n_sub = get_material("SiO2").index(design.target_wavelength_um).real
    return PlanoConcaveCavity(length_um=design.gap_length_um,
                              radius_um=design.radius_of_curvature_um,
                              bottom=mirror_from_layers(layers["bottom"], n_sub),
                              top=mirror_from_layers(layers["top"], n_sub))


def separation_for_resonance_um(design: OpenCavity, wavelength_um: float, *,
                                mode_order: int = 0) -> float:
    """The mirror separation L that puts the design's order-N mode (paraxial model) at
    ``wavelength_um``: the open cavity's tuning knob, as a researcher turns the piezo. Of the
    separations that do (one per free spectral range, about λ/2 apart), the one nearest the
    design's own L is returned.

    Raises:
        ValueError: no valid design (stable, the curved mirror clear of the planar one)
            within ±λ/2 of the design's separation tunes it.
    """
    from scipy.optimize import brentq

    def phase(sep: float) -> float:
        cav = paraxial_model(design.replace(mirror_separation_um=sep))
        return math.remainder(cav.round_trip_phase(wavelength_um, mode_order), 2 * math.pi)

    half = wavelength_um / 2
    grid = np.linspace(max(design.mirror_separation_um - half, 1e-3),
                       design.mirror_separation_um + half, 41)
    values = []
    for sep in grid:
        try:
            values.append(phase(float(sep)))
        except ValueError:  # unstable or touching at that separation
            values.append(math.nan)
    roots = [brentq(phase, a, b, xtol=1e-9)
             for a, b, fa, fb in zip(grid[:-1], grid[1:], values[:-1], values[1:], strict=True)
             if fa * fb < 0 and abs(fa - fb) < math.pi]  # a zero, not a 2π wrap
    if not roots:
        raise ValueError(f"no mirror separation within ±{half:.3g} µm of "
                         f"{design.mirror_separation_um} µm puts the order-{mode_order} mode at "
                         f"{wavelength_um} µm.")
    return float(min(roots, key=lambda sep: abs(sep - design.mirror_separation_um)))
