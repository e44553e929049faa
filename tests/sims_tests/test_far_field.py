"""The layered near-to-far transformation (sims.far_field) on exact dipole fields: a dipole in
vacuum radiates half up and half down; a dipole above a perfect mirror (image dipole) radiates
the exact closed-form rate up (REFERENCES A4); plane-wave fields of a stack obey the interface
conditions."""

from __future__ import annotations

import numpy as np
import pytest

from sims import analytic
from sims.far_field import Stack, Surface, far_field, plane_wave_fields

LAM = 0.52
K = 2 * np.pi / LAM
P0 = K**4 / (12 * np.pi)  # power of a unit dipole in vacuum, Meep units
PEC = complex(-1e10, 1e8)


def _dipole(p, r0, pts):
    """E, H (Cartesian) of a point dipole p at r0 in vacuum (Jackson 9.18, Meep units)."""
    rel = pts - r0
    r = np.linalg.norm(rel, axis=-1)[..., None]
    n = rel / r
    ph = np.exp(1j * K * r)
    nxp = np.cross(n, p)
    e = (K**2 * np.cross(nxp, n) * ph / r
         + (3 * n * np.sum(n * p, -1)[..., None] - p) * (1 / r**3 - 1j * K / r**2) * ph) / (4 * np.pi)
    h = K**2 / (4 * np.pi) * nxp * ph / r * (1 - 1 / (1j * K * r))
    return e, h


def _surfaces(sources, *, radius, z_top, z_bottom, step=0.002, bottom=True):
    out = []
    rs = (np.arange(int(radius / step)) + 0.5) * step
    zs = z_bottom + (np.arange(int(round((z_top - z_bottom) / step))) + 0.5) * step
    faces = [("top", rs, z_top), ("side", zs, radius)] + (
        [("bottom", rs, z_bottom)] if bottom else [])
    for kind, coords, pos in faces:
        pts = (np.stack([np.full_like(coords, pos), 0 * coords, coords], -1) if kind == "side"
               else np.stack([coords, 0 * coords, np.full_like(coords, pos)], -1))
        e = sum(_dipole(p, r0, pts)[0] for p, r0 in sources)
        h = sum(_dipole(p, r0, pts)[1] for p, r0 in sources)
        # at φ = 0 the cylindrical components are the x, y, z ones
        fields = (e[..., 0], e[..., 1], e[..., 2], h[..., 0], h[..., 1], h[..., 2])
        out.append(Surface(kind=kind, coords=coords, position=pos, step=step, fields=fields))
    return out


@pytest.mark.parametrize(("p", "m"), [((0, 0, 1), 0), ((1, 1j, 0), 1)])
def test_dipole_in_vacuum_radiates_half_up(p, m):
    p = np.asarray(p, dtype=complex)
    ff = far_field(_surfaces([(p, np.zeros(3))], radius=0.8, z_top=0.3, z_bottom=-0.3),
                   Stack(permittivities=(1.0,)), m=m, wavelength_um=LAM)
    power = P0 * np.vdot(p, p).real
    print(f"m={m}: up {ff.up / power:.6f}, down {ff.down / power:.6f} of the dipole's power "
          "(tolerance 1e-4)")
    assert ff.up / power == pytest.approx(0.5, abs=1e-4)
    assert ff.down / power == pytest.approx(0.5, abs=1e-4)


@pytest.mark.parametrize("d", [0.02, 0.1])
def test_dipole_above_perfect_mirror(d):
    """Image dipole: the surface closes on the mirror; all power goes up, at the A4 rate."""
    mirror = Stack(permittivities=(1.0, PEC), interfaces_um=(0.0,))
    for p, sign, m, kind in (((0, 0, 1), 1, 0, "perpendicular"), ((1, 1j, 0), -1, 1, "parallel")):
        p = np.asarray(p, dtype=complex)
        srf = _surfaces([(p, np.array([0, 0, d])), (sign * p, np.array([0, 0, -d]))],
                        radius=1.0, z_top=0.3, z_bottom=0.0, bottom=False)
        ff = far_field(srf, mirror, m=m, wavelength_um=LAM)
        exact = analytic.pec_mirror_rate(distance_um=d, wavelength_um=LAM, orientation=kind)
        got = ff.up / (P0 * np.vdot(p, p).real)
        print(f"d={d} {kind}: far field {got:.5f}, image-dipole rate {exact:.5f} "
              "(tolerance 3e-4 absolute)")
        assert got == pytest.approx(exact, abs=3e-4)


@pytest.mark.parametrize("pol", ["s", "p"])
def test_plane_wave_fields_continuity(pol):
    """Tangential E and H of the stack's plane-wave solution are continuous at each interface,
    and the top medium holds the incident wave plus the stack's reflection."""
    stack = Stack(permittivities=(1.0, 2.25, complex(-8.57, 0.78), 2.1),
                  interfaces_um=(0.0, -0.01, -0.06))
    k0 = 2 * np.pi / LAM
    kx = -0.6 * k0
    for z0 in stack.interfaces_um:
        f = plane_wave_fields(stack, k0=k0, kx=kx, pol=pol, incident=1.0,
                              z=np.array([z0 + 1e-9, z0 - 1e-9]))
        for i in (0, 1, 3, 4):  # E_x, E_y, H_x, H_y
            assert f[i][0] == pytest.approx(f[i][1], rel=1e-6, abs=1e-9), (z0, i)
    z = np.array([0.05, 0.1])
    f = plane_wave_fields(stack, k0=k0, kx=kx, pol=pol, incident=1.0, z=z)
    tang = f[1] if pol == "s" else f[4]
    kz = np.sqrt(k0**2 - kx**2)
    refl = (tang - np.exp(-1j * kz * z)) / np.exp(1j * kz * z)
    assert refl[0] == pytest.approx(refl[1], rel=1e-9)  # one reflected plane wave above
    assert abs(refl[0]) < 1


def test_cone_fraction_of_a_dipole_in_vacuum():
    """Power of a z dipole inside NA 0.5 above: (3/4)∫0^θm sin³θ dθ of its total."""
    p = np.array([0, 0, 1], dtype=complex)
    ff = far_field(_surfaces([(p, np.zeros(3))], radius=0.8, z_top=0.3, z_bottom=-0.3),
                   Stack(permittivities=(1.0,)), m=0, wavelength_um=LAM, na=0.5)
    c = np.sqrt(1 - 0.25)
    exact = 0.75 * (2 / 3 - c + c**3 / 3)
    print(f"cone share {ff.up_in_cone / P0:.6f}, exact {exact:.6f} (tolerance 1e-4)")
    assert ff.up_in_cone / P0 == pytest.approx(exact, abs=1e-4)
