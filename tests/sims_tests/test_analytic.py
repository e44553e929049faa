"""The analytic oracles against the reference tables of REFERENCES.md (A2–A5) and limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sims import analytic

A3_X = (0.55, 0.60, 0.75, 0.90, 1.00, 1.20, 1.45, 1.55, 1.75, 2.00, 2.45)
A3_PAR = (2.4906, 2.1181, 1.4444, 1.0905, 0.9375, 0.7335, 0.5787, 1.4713, 1.2070, 0.9844,
          0.7397)
A3_PERP = (1.3636, 1.2500, 1.0000, 0.8333, 0.7500, 1.0069, 1.0597, 1.0488, 1.0058, 0.9375,
           1.0206)


@pytest.mark.parametrize(("x", "par", "perp"), list(zip(A3_X, A3_PAR, A3_PERP, strict=True)))
def test_planar_cavity_table(x, par, perp):
    got_par = analytic.planar_cavity_rate(x=x, orientation="parallel")
    got_perp = analytic.planar_cavity_rate(x=x, orientation="perpendicular")
    assert got_par == pytest.approx(par, abs=1e-4), f"REFERENCES A3 x={x}"
    assert got_perp == pytest.approx(perp, abs=1e-4), f"REFERENCES A3 x={x}"
    assert analytic.planar_cavity_eq7(x=x) == pytest.approx(got_par, rel=1e-12), "eq. 7"


A4_D_UM = (0.005, 0.010, 0.020, 0.050, 0.100, 0.200)
A4 = {
    "pec": ((1.999, 0.003), (1.994, 0.012), (1.977, 0.046), (1.861, 0.270), (1.525, 0.851),
            (0.958, 1.287)),
    "glass": ((2.194, 1.328), (2.094, 1.275), (1.917, 1.187), (1.531, 1.037), (1.184, 1.008),
              (0.979, 1.051)),
    "tio2": ((3.882, 2.101), (3.523, 1.861), (2.957, 1.502), (1.980, 1.015), (1.327, 0.983),
             (0.965, 1.114)),
}


@pytest.mark.parametrize("i", range(len(A4_D_UM)))
def test_interface_table(i):
    d = A4_D_UM[i]
    for name, eps in (("glass", 2.25), ("tio2", 2.46**2)):
        perp = analytic.interface_rate(distance_um=d, wavelength_um=0.52, n_emitter=1.0,
                                       permittivity_substrate=eps, orientation="perpendicular")
        par = analytic.interface_rate(distance_um=d, wavelength_um=0.52, n_emitter=1.0,
                                      permittivity_substrate=eps, orientation="parallel")
        assert (perp, par) == pytest.approx(A4[name][i], abs=2e-3), f"REFERENCES A4 {name} {d}"
    perp = analytic.pec_mirror_rate(distance_um=d, wavelength_um=0.52, orientation="perpendicular")
    par = analytic.pec_mirror_rate(distance_um=d, wavelength_um=0.52, orientation="parallel")
    assert (perp, par) == pytest.approx(A4["pec"][i], abs=2e-3), f"REFERENCES A4 PEC {d}"


@pytest.mark.parametrize("d", [0.02, 0.05, 0.1, 0.2])
def test_interface_limits(d):
    for o in ("perpendicular", "parallel"):
        matched = analytic.interface_rate(distance_um=d, wavelength_um=0.52, n_emitter=1.5,
                                          permittivity_substrate=2.25, orientation=o)
        assert matched == pytest.approx(1.0, abs=1e-9), "index-matched substrate: no change"
        metal = analytic.interface_rate(distance_um=d, wavelength_um=0.52, n_emitter=1.0,
                                        permittivity_substrate=-1e8 + 1e8j, orientation=o)
        pec = analytic.pec_mirror_rate(distance_um=d, wavelength_um=0.52, orientation=o)
        assert metal == pytest.approx(pec, abs=5e-3), "|ε| -> ∞ gives the perfect mirror"


def test_interface_integrator_against_dense_trapezoid():
    """The adaptive quadrature against a dense trapezoid rule on the same integrand."""
    d, lam, eps2 = 0.02, 0.52, 2.46**2
    k1d = 2 * math.pi / lam * d
    s = np.concatenate([np.linspace(0, 1 - 1e-9, 400_001)])
    sz = np.sqrt(1 - s**2 + 0j)
    k2z = np.sqrt(eps2 - s**2 + 0j)
    rp = (eps2 * sz - k2z) / (eps2 * sz + k2z)
    low = np.trapz(np.real(1.5 * s**3 * rp * np.exp(2j * k1d * sz) / sz)[:-1], s[:-1])
    u = np.linspace(1e-9, 60 / k1d, 2_000_001)
    sh = np.sqrt(1 + u**2)
    szh = 1j * u
    k2zh = np.sqrt(eps2 - sh**2 + 0j)
    rph = (eps2 * szh - k2zh) / (eps2 * szh + k2zh)
    high = np.trapz(np.real(1.5 * sh**3 / szh * rph * np.exp(2j * k1d * szh) * u / sh), u)
    dense = 1 + low + high
    quad = analytic.interface_rate(distance_um=d, wavelength_um=lam, n_emitter=1.0,
                                   permittivity_substrate=eps2, orientation="perpendicular")
    assert quad == pytest.approx(dense, rel=2e-3)


A2_TIO2 = {0.005: (6.172, 2.280), 0.010: (5.168, 2.013), 0.020: (3.771, 1.615),
           0.050: (1.887, 0.995)}
A2_SI = {0.005: (15.33, 8.353, 10.20, 4.052), 0.010: (8.524, 5.086, 7.764, 3.214),
         0.020: (5.122, 3.297, 4.977, 2.210), 0.050: (2.209, 1.476, 2.191, 1.052)}


@pytest.mark.parametrize("d", sorted(A2_TIO2))
def test_mie_tio2_table_and_energy_conservation(d):
    r = analytic.mie_dipole_rates(sphere_radius_um=0.1, distance_um=d, wavelength_um=0.52,
                                  sphere_index=2.46)
    assert (r.total_radial, r.total_tangential) == pytest.approx(A2_TIO2[d], rel=2e-3), \
        f"REFERENCES A2 TiO2 d={d}"
    assert r.radiative_radial == pytest.approx(r.total_radial, rel=1e-9), "lossless"
    assert r.radiative_tangential == pytest.approx(r.total_tangential, rel=1e-9), "lossless"


@pytest.mark.parametrize("d", sorted(A2_SI))
def test_mie_si_table(d):
    r = analytic.mie_dipole_rates(sphere_radius_um=0.06, distance_um=d, wavelength_um=0.52,
                                  sphere_index=complex(4.215, 0.060))
    got = (r.total_radial, r.total_tangential, r.radiative_radial, r.radiative_tangential)
    assert got == pytest.approx(A2_SI[d], rel=2e-3), f"REFERENCES A2 Si d={d}"


def test_mie_limits():
    r = analytic.mie_dipole_rates(sphere_radius_um=0.1, distance_um=0.03, wavelength_um=0.52,
                                  sphere_index=1.33, host_index=1.33)
    for v in (r.total_radial, r.total_tangential, r.radiative_radial, r.radiative_tangential):
        assert v == pytest.approx(1.0, abs=1e-12), "index-matched sphere"
    # small lossy sphere: non-radiative rate = quasi-static image series (REFERENCES A2 check 3)
    a, d, lam = 0.001, 0.001, 0.52  # ka = 0.012: retardation corrections ~ (ka)²
    eps = complex(-9.703, 0.760)
    r = analytic.mie_dipole_rates(sphere_radius_um=a, distance_um=d, wavelength_um=lam,
                                  sphere_index=eps**0.5)
    ka = 2 * math.pi / lam * a
    n = np.arange(1, 200)
    g = np.imag(n * (eps - 1) / (n * eps + n + 1)) * (a / (a + d)) ** (2 * n + 4)
    perp = 1.5 / ka**3 * np.sum((n + 1) ** 2 * g)
    par = 1.5 / ka**3 * np.sum(n * (n + 1) / 2 * g)
    assert r.total_radial - r.radiative_radial == pytest.approx(perp, rel=1e-3)
    assert r.total_tangential - r.radiative_tangential == pytest.approx(par, rel=1e-3)


def test_pec_box_modes_by_quadrature():
    lam, area = analytic.pec_box_2d_tm_mode(width_um=0.4, height_um=0.3)
    x = (np.arange(400) + 0.5) / 400
    X, Y = np.meshgrid(x * 0.4, x * 0.3, indexing="ij")
    e2 = (np.sin(np.pi * X / 0.4) * np.sin(np.pi * Y / 0.3)) ** 2
    assert area == pytest.approx(e2.sum() * (0.4 / 400) * (0.3 / 400), rel=1e-9)
    assert lam == pytest.approx(2 / math.hypot(1 / 0.4, 1 / 0.3), rel=1e-12)
    lam3, vol = analytic.pec_box_3d_mode(size_um=(0.4, 0.24, 0.32))
    assert vol == pytest.approx(0.4 * 0.24 * 0.32 / 4, rel=1e-12)


def test_purcell_formulas_and_errors():
    assert analytic.purcell_q_over_v(quality_factor=4000, mode_volume_lambda_n3=0.55) == \
        pytest.approx(0.0759909 * 4000 / 0.55, rel=1e-6)
    with pytest.raises(ValueError, match="quality_factor"):
        analytic.purcell_q_over_v(quality_factor=-1, mode_volume_lambda_n3=1)
    with pytest.raises(ValueError, match="orientation"):
        analytic.planar_cavity_rate(x=1.0, orientation="diagonal")
