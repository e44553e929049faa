"""Far-field power above (and below) a planar stack from fields on a closed surface, in
cylindrical coordinates (pure numpy/scipy; a near-to-far transformation that knows the stack).

Why: power that leaves a flux box sideways along a metal film is mostly surface plasmon, not
radiation (a dipole 20 nm above Ag at 520 nm: box flux 3.8, far field 0.71, plasmon 3.1 at the
box's 0.3 µm radius). The far field is what a lens collects. Meep's own near-to-far
transformation assumes a homogeneous medium, so the surface would have to close inside the
metal. Here the surface S (a top disk, a side cylinder and a bottom disk) may cross the planar
layers, and the far field is obtained by reciprocity (Lorentz): the far-field amplitude along
k̂ with polarisation ê is the overlap of the surface currents J = n̂ × H, M = −n̂ × E with the
field of a plane wave arriving from k̂ and scattered by the *unperturbed* stack,

    F·ê = (iω/4π) ∮_S [(n̂ × H)·e_pw + (n̂ × E)·h_pw] dS,
    P = (n/2) ∫ |F|² dΩ  (per half-space, n of the outer medium),

exact when everything that is not a plane layer (antenna, emitter) lies inside S. Meep units
(ε0 = μ0 = c = 1, fields of one harmonic e^{imφ}); the azimuthal integrals are Bessel functions
(∫ e^{imφ} e^{−ia cos φ} dφ = 2π (−i)^{−m} J_{−m}(a)). Surface plasmons carry no far field
(their plane-wave spectrum lies beyond the light line), so they drop out by construction.
Checked against the exact far field of a dipole above a metal half-space
(:func:`sims.layered.layered_radiation`) in ``tests/sims_tests/test_far_field.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from cavities.structure import Structure

Array = np.ndarray


@dataclass(frozen=True, kw_only=True)
class Stack:
    """Planar layers, top to bottom: ``permittivities[0]`` above ``interfaces_um[0]``,
    ``permittivities[j]`` between ``interfaces_um[j-1]`` and ``interfaces_um[j]``, the last one
    below ``interfaces_um[-1]`` (interfaces decreasing). No interfaces: a homogeneous medium."""

    permittivities: tuple[complex, ...]
    interfaces_um: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if len(self.permittivities) != len(self.interfaces_um) + 1:
            raise ValueError("`len(permittivities) == len(interfaces_um) + 1` must hold, but got "
                             f"{len(self.permittivities)} and {len(self.interfaces_um)}.")
        if any(b >= a for a, b in zip(self.interfaces_um[:-1], self.interfaces_um[1:],
                                      strict=True)):
            raise ValueError(f"`interfaces_um` must decrease, but got {self.interfaces_um}.")

    def flipped(self) -> Stack:
        """The same stack mirrored in z (z -> −z)."""
        return Stack(permittivities=tuple(reversed(self.permittivities)),
                     interfaces_um=tuple(-z for z in reversed(self.interfaces_um)))

    def layer_of(self, z: Array) -> Array:
        """Index of the medium holding each height."""
        edges = np.asarray(self.interfaces_um, dtype=float)
        return np.searchsorted(-edges, -np.asarray(z, dtype=float), side="left")


def _kz(eps: complex, kx: float, k0: float) -> complex:
    kz = np.sqrt(complex(eps) * k0**2 - kx**2 + 0j)
    return -kz if (kz.imag < 0 or (kz.imag == 0 and kz.real < 0)) else kz


def plane_wave_fields(stack: Stack, *, k0: float, kx: float, pol: str, incident: complex,
                      z: Array) -> tuple[Array, ...]:
    """(E_x, E_y, E_z, H_x, H_y, H_z) at heights ``z`` (at x = 0; the x dependence is
    e^{i kx x}) of a plane wave arriving from above in the top medium with downward amplitude
    ``incident`` (E_y for ``"s"``, H_y for ``"p"``), with everything the stack reflects and
    transmits (nothing arrives from below). Meep units: ω = k0."""
    eps = [complex(e) for e in stack.permittivities]
    zs = list(stack.interfaces_um)
    n = len(eps)
    kzs = [_kz(e, kx, k0) for e in eps]
    adm = [kz / k0 if pol == "s" else kz / (k0 * e) for kz, e in zip(kzs, eps, strict=True)]
    # amplitudes (A up, B down) of each medium, referenced at its lower interface (the top
    # medium at interfaces[0]); start with a unit downgoing wave in the bottom medium
    amps: list[tuple[complex, complex]] = [(0j, 0j)] * n
    amps[n - 1] = (0j, 1 + 0j)
    for j in range(n - 2, -1, -1):
        a, b = amps[j + 1]
        if j + 1 < n - 1:  # propagate medium j+1 from its lower to its upper interface
            d = zs[j] - zs[j + 1]
            a, b = a * np.exp(1j * kzs[j + 1] * d), b * np.exp(-1j * kzs[j + 1] * d)
        u = a + b  # tangential field (E_y or H_y) at interface j
        v = adm[j + 1] * (a - b)  # the other tangential field, up to a common sign
        amps[j] = (0.5 * (u + v / adm[j]), 0.5 * (u - v / adm[j]))
    scale = incident / amps[0][1]
    zz = np.asarray(z, dtype=float)
    idx = stack.layer_of(zz)
    up = np.zeros(zz.shape, dtype=complex)
    down = np.zeros(zz.shape, dtype=complex)
    kz_at = np.zeros(zz.shape, dtype=complex)
    eps_at = np.zeros(zz.shape, dtype=complex)
    for j in range(n):
        sel = idx == j
        if not np.any(sel):
            continue
        ref = zs[j] if j < n - 1 else zs[-1] if zs else 0.0
        a, b = amps[j]
        dz = zz[sel] - ref
        up[sel] = scale * a * np.exp(1j * kzs[j] * dz)
        down[sel] = scale * b * np.exp(-1j * kzs[j] * dz)
        kz_at[sel], eps_at[sel] = kzs[j], eps[j]
    zero = np.zeros(zz.shape, dtype=complex)
    if pol == "s":
        ey = up + down
        return zero, ey, zero, -(kz_at / k0) * (up - down), zero, (kx / k0) * ey
    hy = up + down
    return (kz_at / (k0 * eps_at)) * (up - down), zero, -(kx / (k0 * eps_at)) * hy, zero, hy, zero


@dataclass(frozen=True, kw_only=True)
class Surface:
    """DFT fields of one harmonic on a face of the closed surface (Meep units, cylindrical
    components ``(E_r, E_φ, E_z, H_r, H_φ, H_z)``). A disk: ``kind`` ``"top"`` or ``"bottom"``,
    ``coords`` the radii of the samples, ``position`` its height; the side: ``kind`` ``"side"``,
    ``coords`` the heights, ``position`` its radius. ``step`` is the sample spacing."""

    kind: str
    coords: Array
    position: float
    step: float
    fields: tuple[Array, Array, Array, Array, Array, Array]


def _azimuthal(m: int, a: Array) -> tuple[Array, Array, Array]:
    """(∫e^{imφ}e^{−ia cosφ}dφ, the same with cos φ, with sin φ)."""
    def g(n: int) -> Array:
        return 2 * math.pi * (-1j) ** (-n) * special.jv(-n, a)

    g0, gp, gm = g(m), g(m + 1), g(m - 1)
    return g0, 0.5 * (gp + gm), (gp - gm) / 2j


def _overlap(surface: Surface, m: int, pw: tuple[Array, ...], k_par: float) -> complex:
    """∮ [(n̂ × H)·e + (n̂ × E)·h] dS over one face, for a plane wave with fields ``pw``
    (Cartesian, at x = 0) at the face's samples and lateral wavevector k_par along −x."""
    er, ep, ez, hr, hp, hz = surface.fields
    ex_, ey_, ez_, hx_, hy_, hz_ = pw
    if surface.kind == "side":
        g0, gc, gs = _azimuthal(m, np.full(surface.coords.shape, k_par * surface.position))
        # n̂ = r̂: n̂ × H = (0, −H_z, H_φ), n̂ × E = (0, −E_z, E_φ)
        e_phi = -ex_ * gs + ey_ * gc
        h_phi = -hx_ * gs + hy_ * gc
        integrand = (-hz * e_phi + hp * ez_ * g0 - ez * h_phi + ep * hz_ * g0)
        return complex(np.sum(integrand) * surface.step * surface.position)
    g0, gc, gs = _azimuthal(m, k_par * surface.coords)
    sign = 1.0 if surface.kind == "top" else -1.0
    e_r, e_phi = ex_ * gc + ey_ * gs, -ex_ * gs + ey_ * gc
    h_r, h_phi = hx_ * gc + hy_ * gs, -hx_ * gs + hy_ * gc
    # n̂ = ±ẑ: n̂ × H = ±(−H_φ, H_r, 0), n̂ × E = ±(−E_φ, E_r, 0)
    integrand = sign * (-hp * e_r + hr * e_phi - ep * h_r + er * h_phi)
    return complex(np.sum(integrand * surface.coords) * surface.step)


def _face_heights(surface: Surface) -> Array:
    return surface.coords if surface.kind == "side" else np.full(surface.coords.shape,
                                                                 surface.position)


def _power_from_above(surfaces: Sequence[Surface], stack: Stack, *, m: int, k0: float,
                      n_theta: int, theta_max: float = math.pi / 2
                      ) -> tuple[float, Array, Array]:
    """Far-field power into the top medium within θ < ``theta_max``, and the pattern dP/dθ on
    the Gauss-Legendre nodes."""
    eps_top = complex(stack.permittivities[0])
    if eps_top.imag > 1e-12 * abs(eps_top) or eps_top.real <= 0:
        return 0.0, np.zeros(0), np.zeros(0)
    n_top = math.sqrt(eps_top.real)
    k1 = n_top * k0
    x, w = np.polynomial.legendre.leggauss(n_theta)
    theta = 0.5 * theta_max * (x + 1)  # Gauss-Legendre on (0, θmax)
    weights = 0.5 * theta_max * w
    dens = np.zeros(n_theta)
    for i, th in enumerate(theta):
        kx = -k1 * math.sin(th)
        total = 0.0
        # θ̂ polarisation: incident H_y = −n (unit E along θ̂); φ̂: incident E_y = 1
        for pol, amp in (("p", -n_top + 0j), ("s", 1 + 0j)):
            acc = 0j
            for sf in surfaces:
                pw = plane_wave_fields(stack, k0=k0, kx=kx, pol=pol, incident=amp,
                                       z=_face_heights(sf))
                acc += _overlap(sf, m, pw, abs(kx))
            total += abs(1j * k0 / (4 * math.pi) * acc) ** 2
        dens[i] = 0.5 * n_top * total * 2 * math.pi * math.sin(th)
    return float(np.sum(dens * weights)), theta, dens


@dataclass(frozen=True, kw_only=True)
class FarField:
    """Far-field power into the media above and below the stack (same units as the fields'
    Poynting flux), the part above inside the collection cone, and the upward pattern."""

    up: float
    down: float
    up_in_cone: float | None
    down_in_cone: float | None
    theta_up: Array
    density_up: Array
    """dP/dθ (power per radian of polar angle, integrated over the azimuth) above."""


def far_field(surfaces: Sequence[Surface], stack: Stack, *, m: int, wavelength_um: float,
              na: float | None = None, n_theta: int = 96) -> FarField:
    """Far-field power above and below ``stack`` radiated by the fields on the closed surface
    ``surfaces`` (harmonic m, Meep units with a = 1 µm: k0 = 2π/λ); with ``na``, also the
    power above inside the cone n sin θ ≤ NA (n of the top medium)."""
    k0 = 2 * math.pi / wavelength_um
    up, theta, dens = _power_from_above(surfaces, stack, m=m, k0=k0, n_theta=n_theta)
    def cone(srf: Sequence[Surface], stk: Stack, total: float) -> float | None:
        if na is None or total == 0.0:
            return None if na is None else 0.0
        n_out = math.sqrt(max(complex(stk.permittivities[0]).real, 1e-12))
        th = math.asin(min(1.0, na / n_out))
        return total if th >= math.pi / 2 else _power_from_above(
            srf, stk, m=m, k0=k0, n_theta=n_theta, theta_max=th)[0]

    flipped = [Surface(kind={"top": "bottom", "bottom": "top"}.get(s.kind, s.kind),
                       coords=(-s.coords if s.kind == "side" else s.coords),
                       position=(s.position if s.kind == "side" else -s.position),
                       step=s.step, fields=_mirror_fields(s.fields)) for s in surfaces]
    down, _, _ = _power_from_above(flipped, stack.flipped(), m=m, k0=k0, n_theta=n_theta)
    return FarField(up=up, down=down, up_in_cone=cone(surfaces, stack, up),
                    down_in_cone=cone(flipped, stack.flipped(), down), theta_up=theta,
                    density_up=dens)


def _mirror_fields(f: tuple[Array, ...]) -> tuple[Array, ...]:
    """Fields seen in the mirrored frame z -> −z: E_z and H_r, H_φ change sign (E is a polar,
    H an axial vector)."""
    er, ep, ez, hr, hp, hz = f
    return (er, ep, -ez, -hr, -hp, hz)


def wants_far_field(structure: Structure) -> bool:
    """Whether a run reports the far field as its radiated power: cylindrical runs of
    structures with a metal (Re ε < 0), where the flux box would count surface plasmons."""
    from sims.metal_distance import metal_distance_um

    return structure.dimensions == "cylindrical" and metal_distance_um(structure) is not None


def background_stack(structure: Structure, *, radius_um: float, wavelength_um: float,
                     z_range_um: tuple[float, float]) -> Stack | None:
    """The planar stack a cylindrical structure has at ``radius_um`` over ``z_range_um`` (the
    medium above the range is the top medium, below it the bottom one), or None if the
    structure is not laterally uniform from there to the cell edge (then no stack describes
    what lies outside the surface). The thin voxel-mean slabs of :mod:`sims.metal_smoothing`
    are a discretisation device, not material: the stack is the sharp one without them."""
    from dataclasses import replace

    from sims.metal_smoothing import MEAN_TAG, _faces  # faces of Layers and z-Cylinders

    if structure.dimensions != "cylindrical":
        return None
    structure = replace(structure, shapes=tuple(sh for sh in structure.shapes
                                                if sh.material.source != MEAN_TAG))
    z_lo, z_hi = z_range_um
    edge = structure.cell_size_um[0] / 2
    zs = sorted({z for z in _faces(structure) if z_lo < z < z_hi}
                | {z for sh in structure.shapes for z in _z_bounds(sh) if z_lo < z < z_hi},
                reverse=True)
    probes = [z_hi] + [0.5 * (a + b) for a, b in zip(zs[:-1], zs[1:], strict=False)] + [z_lo]
    if zs:
        probes = [0.5 * (z_hi + zs[0])] + probes[1:-1] + [0.5 * (zs[-1] + z_lo)]
    else:
        probes = [0.5 * (z_hi + z_lo)]
    mats = []
    for zm in probes:
        inner = structure.material_at((radius_um, 0.0, zm))
        for r in np.linspace(radius_um, edge * (1 - 1e-9), 8):
            if structure.material_at((float(r), 0.0, zm)) != inner:
                return None
        # within each layer the material must not change between the probe and the faces
        mats.append(inner)
    eps = tuple(complex(m.permittivity(wavelength_um)) for m in mats)
    # merge neighbours of equal material (a face of a shape that ends inside the surface)
    keep_eps, keep_z = [eps[0]], []
    for z, e in zip(zs, eps[1:], strict=True):
        if e != keep_eps[-1]:
            keep_z.append(z)
            keep_eps.append(e)
    return Stack(permittivities=tuple(keep_eps), interfaces_um=tuple(keep_z))


def _z_bounds(shape: object) -> tuple[float, ...]:
    bounds = getattr(shape, "bounds_um", None)
    if bounds is None:
        return ()
    (_, _), (_, _), (z0, z1) = bounds()
    return tuple(z for z in (z0, z1) if math.isfinite(z))
