"""NA collection (``sims.collection``) on the exact fields of a point dipole, and the fast Bessel
functions it uses. No Meep: every input is a closed-form array.

The Gaussian-beam and cylindrical-equals-Cartesian checks of the same functions live in
``test_analysis.py`` (they go through the ``sims.analysis`` re-exports); this file adds an
independent physical reference: a dipole's far-field power inside the cone.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special

from sims import collection

K0 = 2 * np.pi  # lengths in units of the wavelength: λ = 1
P_HALF = K0**4 / (12 * np.pi)
"""Power of a unit dipole into one half-space in the Re(E × H*) convention with ε0 = μ0 = c = 1:
the total is k⁴|p|²/(6π) (Jackson eq. 9.24 without its factor 1/2), half of it goes up."""
NAS = (0.3, 0.5, 0.65, 0.9)
Z0 = 0.5
"""Height of the plane above the dipole (λ): kz0 = π, so the near-field terms (1/R², 1/R³) are
~10% of the field on the axis and the test sees whether evanescent waves are kept out."""


# -- references --------------------------------------------------------------------------------
def _dipole_fields(p: tuple[float, float, float], x: np.ndarray, y: np.ndarray,
                   z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E, H (shape (3, ...)) of a point dipole p at the origin in vacuum, near and far field.

    Jackson eq. 9.18 with ε0 = μ0 = c = 1 (so Z0 = 1), time dependence exp(-iωt) (Meep's):
        H = k²/(4π) (n × p) e^{ikR}/R (1 − 1/(ikR)),
        E = 1/(4π) [k² (n × p) × n e^{ikR}/R + (3n(n·p) − p)(1/R³ − ik/R²) e^{ikR}].
    """
    r = np.sqrt(x**2 + y**2 + z**2)
    n = np.stack([x / r, y / r, z / r])
    pv = np.asarray(p, dtype=complex).reshape((3,) + (1,) * r.ndim) * np.ones_like(r)
    g = np.exp(1j * K0 * r) / (4 * np.pi)
    n_x_p = np.cross(n, pv, axis=0)
    h = K0**2 * n_x_p * g / r * (1 - 1 / (1j * K0 * r))
    n_dot_p = np.sum(n * pv, axis=0)
    e = g * (K0**2 * np.cross(n_x_p, n, axis=0) / r
             + (3 * n * n_dot_p - pv) * (1 / r**3 - 1j * K0 / r**2))
    return e, h


def _cone_fraction(orientation: str, na: float) -> float:
    """Far-field power of a dipole inside sin θ <= NA (θ from +z), as a fraction of P_half.

    dP/dΩ ∝ |n × p|² (Jackson eq. 9.22). With c = cos θ_m = √(1 − NA²):
    * p = ẑ: |n × ẑ|² = sin²θ, P(θ < θ_m) ∝ 2π ∫₀^θm sin³θ dθ = 2π (2/3 − c + c³/3), and
      2π·2/3 for the half-space, so F_z = 1 − (3/2) c + (1/2) c³.
    * p = x̂: |n × x̂|² = 1 − sin²θ cos²φ, whose φ integral is π (1 + cos²θ), so
      P(θ < θ_m) ∝ π ∫₀^θm (1 + cos²θ) sin θ dθ = π [(1 − c) + (1 − c³)/3], and 4π/3 for the
      half-space: F_x = 1 − (3/4) c − (1/4) c³.
    """
    c = math.sqrt(1 - na**2)
    if orientation == "z":
        return 1 - 1.5 * c + 0.5 * c**3
    return 1 - 0.75 * c - 0.25 * c**3


@pytest.mark.parametrize("orientation", ["x", "z"])
@pytest.mark.parametrize("na", NAS)
def test_cone_fraction_formula_by_quadrature(orientation, na):
    """The closed forms above equal the quadrature of |n × p|² over the cone (rel 1e-9: quad's
    own error, ~1e-13 here)."""
    p = np.array([1.0, 0, 0]) if orientation == "x" else np.array([0, 0, 1.0])

    def pattern(phi: float, theta: float) -> float:
        n = np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi),
                      math.cos(theta)])
        return float(np.sum(np.cross(n, p) ** 2)) * math.sin(theta)

    def power(theta_max: float) -> float:
        return integrate.dblquad(pattern, 0, theta_max, 0, 2 * math.pi, epsabs=0,
                                 epsrel=1e-12)[0]

    got = power(math.asin(na)) / power(math.pi / 2)
    assert got == pytest.approx(_cone_fraction(orientation, na), rel=1e-9), f"{orientation=}, {na=}"


# -- Cartesian plane ---------------------------------------------------------------------------
RTOL_CARTESIAN = 2.5e-2
"""A 40λ × 40λ plane at z0 = λ/2, sampled every λ/8, FFT padded ×4 (k step 2π/(160λ)).
Measured errors of the collected fraction: z dipole −1.1e-2, −3.7e-3, −2.6e-3, −6.8e-4 and
x dipole −4.4e-3, −1.5e-3, −1.0e-3, −4.2e-4 (NA 0.3, 0.5, 0.65, 0.9). They do not move with the
sampling (λ/5 … λ/20 agree to 3 digits) and shrink with the plane and the padding (a 20λ plane:
z dipole −3.5e-2 at NA 0.3): the finite plane (3.4% of P_half crosses outside it, and its hard
edge smears the 1/k_z peak at |k| = k0 across the cone edge) and the k grid at the cone edge
limit it. 2.5e-2 is ~2× the worst case (NA 0.3, where F_z = 0.0031 is the smallest number)."""


def _cartesian_plane(orientation: str, half_lam: float = 20.0, d_lam: float = 0.125):
    n = round(2 * half_lam / d_lam)
    x = (np.arange(n) - n / 2 + 0.5) * d_lam
    xx, yy = np.meshgrid(x, x, indexing="ij")
    p = (1.0, 0.0, 0.0) if orientation == "x" else (0.0, 0.0, 1.0)
    e, h = _dipole_fields(p, xx, yy, np.full_like(xx, Z0))
    return {"ex": e[0], "ey": e[1], "hx": h[0], "hy": h[1], "dx": d_lam, "dy": d_lam}, half_lam


@pytest.mark.parametrize("orientation", ["x", "z"])
def test_cartesian_collection_of_a_dipole_matches_the_cone_fraction(orientation):
    fields, half = _cartesian_plane(orientation)
    # Re(E × H*) of a real dipole is radial at every distance (the near-field terms are
    # reactive), so the power through the square is the power into its pyramid of directions,
    # between the cones through the inscribed and the circumscribed circles (exact bounds).
    total = collection.plane_power_cartesian(**fields) / P_HALF
    inner = _cone_fraction(orientation, half / math.hypot(half, Z0))
    outer = _cone_fraction(orientation, half * 2**0.5 / math.hypot(half * 2**0.5, Z0))
    assert inner < total < outer, f"{orientation=}: {inner=} {total=} {outer=}"
    for na in NAS:
        got = collection.collected_power_cartesian(**fields, k0=K0, na=na, pad=4) / P_HALF
        want = _cone_fraction(orientation, na)
        assert got == pytest.approx(want, rel=RTOL_CARTESIAN), f"{orientation=}, {na=}: {got=}"
        # the tolerance resolves the NA: the answer for any other NA of the list fails
        for other in NAS:
            if other != na:
                assert got != pytest.approx(_cone_fraction(orientation, other),
                                            rel=RTOL_CARTESIAN), f"{na=} vs {other=}"


# -- cylindrical (exp(imφ)) profiles --------------------------------------------------------
RTOL_CYLINDRICAL = 5e-3
"""Radii (i + 1/2)·λ/50 out to 50λ at z0 = λ/2, default n_k = 400. Measured errors of the
collected fraction: z dipole −2.4e-3, −2.1e-3, +2.3e-3, −1.4e-3 and x dipole −5.2e-4, −2.0e-4,
+6.9e-4, −7.8e-5 (NA 0.3, 0.5, 0.65, 0.9). Δr = λ/25 or n_k = 200 move them by < 1e-4 (z),
< 1e-3 (x), and they fall as 1/r_max (z dipole, worst NA: 6.7e-3, 2.4e-3, 1.0e-3, 3.9e-4 at
r_max = 20, 50, 100, 200 λ): the truncated plane limits them (1.5% of P_half of the z dipole
crosses outside 50λ). 5e-3 is 2× the worst case."""


def _cylindrical_profiles(orientation: str, r_max_lam: float = 50.0, dr_lam: float = 0.02):
    """{m: (er, ep, hr, hp)} of the dipole on z = Z0 in the code's convention E_r(r, φ) =
    er(r)·exp(imφ), with r = (i + 1/2) Δr as in the Meep backend.

    z dipole: rotationally symmetric (m = 0); at φ = 0, r̂ = x̂ and φ̂ = ŷ, and E_φ = H_r = 0.
    x dipole: mirror parity (E polar, H axial, both even under y → −y) gives
        E_r = f(r) cos φ, E_φ = g(r) sin φ, H_r = a(r) sin φ, H_φ = b(r) cos φ,
    with f = E_x, b = H_y at φ = 0, and g = −E_x, a = H_y at φ = π/2 (r̂ = ŷ, φ̂ = −x̂). Writing
    cos φ = (e^{iφ} + e^{−iφ})/2 and sin φ = (e^{iφ} − e^{−iφ})/(2i): m = ±1 with profiles
    (f/2, ±g/(2i), ±a/(2i), b/2). Different m are orthogonal over φ, so their powers add.
    """
    n = round(r_max_lam / dr_lam)
    r = (np.arange(n) + 0.5) * dr_lam
    zero = np.zeros_like(r)
    if orientation == "z":
        e, h = _dipole_fields((0.0, 0.0, 1.0), r, zero, zero + Z0)
        assert np.max(np.abs(e[1])) == 0 and np.max(np.abs(h[0])) == 0
        return {0: (e[0], e[1], h[0], h[1])}, r, dr_lam
    e0, h0 = _dipole_fields((1.0, 0.0, 0.0), r, zero, zero + Z0)
    e90, h90 = _dipole_fields((1.0, 0.0, 0.0), zero, r, zero + Z0)
    f, b, g, a = e0[0], h0[1], -e90[0], h90[1]
    return {+1: (f / 2, g / 2j, a / 2j, b / 2), -1: (f / 2, -g / 2j, -a / 2j, b / 2)}, r, dr_lam


@pytest.mark.parametrize("orientation", ["x", "z"])
def test_cylindrical_collection_of_a_dipole_matches_the_cone_fraction(orientation):
    """A bare dipole does not exercise every Bessel order: for the x dipole H_x ≡ 0 and H_y is
    rotationally symmetric, so b₊ = 0 and the order-2 (m = +1) and order −2 (m = −1) terms drop
    out; for the z dipole the sign of J_{−1} cancels in A₋B₋*. Those are covered by
    ``test_cylindrical_collection_equals_the_scipy_jv_formula`` below and by
    ``test_analysis.py::test_collection_cylindrical_equals_cartesian`` (generic profiles)."""
    profiles, r, dr = _cylindrical_profiles(orientation)
    # the power through the disc r < r_max is exactly the power into the cone it subtends
    # (Re S is radial, see the Cartesian test); the midpoint rule in r leaves 3e-8 (z) and
    # 1e-4 (x: E_r ∝ 1/R³ near the axis, error ∝ (Δr/z0)²): rel 1e-3.
    total = sum(collection.plane_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr)
                for er, ep, hr, hp in profiles.values()) / P_HALF
    r_edge = len(r) * dr
    assert total == pytest.approx(_cone_fraction(orientation, r_edge / math.hypot(r_edge, Z0)),
                                  rel=1e-3), f"{orientation=}"
    for na in NAS:
        got = sum(collection.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr,
                                                         m=m, k0=K0, na=na)
                  for m, (er, ep, hr, hp) in profiles.items()) / P_HALF
        want = _cone_fraction(orientation, na)
        assert got == pytest.approx(want, rel=RTOL_CYLINDRICAL), f"{orientation=}, {na=}: {got=}"
        for other in NAS:
            if other != na:
                assert got != pytest.approx(_cone_fraction(orientation, other),
                                            rel=RTOL_CYLINDRICAL), f"{na=} vs {other=}"


def test_cylindrical_x_dipole_m_plus_and_minus_carry_equal_power():
    """By the y → −y mirror the m = +1 and m = −1 halves of an x dipole collect the same power
    (the backend runs m = +1 only and uses the ratio); rel 1e-9 (rounding)."""
    profiles, r, dr = _cylindrical_profiles("x", r_max_lam=10.0)
    got = {m: collection.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr, m=m,
                                                     k0=K0, na=0.65)
           for m, (er, ep, hr, hp) in profiles.items()}
    assert got[1] == pytest.approx(got[-1], rel=1e-9), f"{got=}"


# -- fast Bessel functions ---------------------------------------------------------------------
@pytest.mark.parametrize("order", [-3, -2, -1, 0, 1, 2, 3])
def test_bessel_j_matches_scipy_jv(order):
    """rtol 1e-9 / atol 1e-12 against scipy.special.jv on [0, 200] (measured: ≤ 2e-15 abs);
    the extra points below 1 cover the series branch of J_±2 and its switch at x = 0.1."""
    x = np.concatenate([np.linspace(0, 200, 40001), np.geomspace(1e-12, 1, 400),
                        np.nextafter(0.1, [0.0, 1.0])])
    np.testing.assert_allclose(collection.bessel_j(order, x), special.jv(order, x), rtol=1e-9,
                               atol=1e-12, err_msg=f"{order=}")


def test_bessel_j_edge_cases():
    """x = 0 exactly (no division by zero: a RuntimeWarning would fail the test), negative and
    2D x, and the jv fallback for a non-integer order; same tolerance as above."""
    assert collection.bessel_j(2, 0.0) == 0.0 and collection.bessel_j(-2, 0.0) == 0.0
    assert collection.bessel_j(0, 0.0) == 1.0 and collection.bessel_j(-1, 0.0) == 0.0
    x = np.linspace(-20, 20, 801).reshape(3, 267)     # J_n(−x) = (−1)^n J_n(x)
    for order in (-2, -1, 0, 1, 2):
        got = collection.bessel_j(order, x)
        assert got.shape == x.shape
        np.testing.assert_allclose(got, special.jv(order, x), rtol=1e-9, atol=1e-12,
                                   err_msg=f"{order=}")
    np.testing.assert_array_equal(collection.bessel_j(2.5, np.abs(x)), special.jv(2.5, np.abs(x)))


@pytest.mark.parametrize("m", [-2, -1, 0, 1, 2])
def test_cylindrical_collection_equals_the_scipy_jv_formula(m, rng):
    """The Hankel route with bessel_j equals the same sums with scipy.special.jv (the code
    before the speed-up) on random profiles: rel 1e-10 (the Bessel values agree to ~1e-15)."""
    n, dr, k0, na, n_k = 300, 0.01, 2 * np.pi / 0.5, 0.7, 200
    r = (np.arange(n) + 0.5) * dr
    er, ep, hr, hp = (rng.normal(size=n) + 1j * rng.normal(size=n) for _ in range(4))
    k = (np.arange(n_k) + 0.5) * (na * k0 / n_k)
    jp = special.jv(m + 1, np.outer(k, r)) * r * dr
    jm = special.jv(m - 1, np.outer(k, r)) * r * dr
    a_p, b_p, a_m, b_m = jp @ (er + 1j * ep), jp @ (hr + 1j * hp), jm @ (er - 1j * ep), \
        jm @ (hr - 1j * hp)
    want = 2 * np.pi * np.sum(np.real(0.5j * (a_p * np.conj(b_p) - a_m * np.conj(b_m))) * k) \
        * (na * k0 / n_k)
    got = collection.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr, m=m,
                                                 k0=k0, na=na, n_k=n_k)
    assert got == pytest.approx(want, rel=1e-10), f"{m=}"
