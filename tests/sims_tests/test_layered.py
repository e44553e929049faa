"""The layered-medium oracle (sims.layered) against the half-space (REFERENCES A4), the
perfect-mirror planar cavity (A3), a dense trapezoid rule, energy conservation and the
lossless limit of the surface-plasmon residue."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sims import analytic, layered
from sims.layered import Side

AG_520 = complex(-8.5744, 0.7765)  # Meep's Rakić Ag at 520 nm (cavities.library)
AU_520 = complex(-3.8982, 2.6761)
LAM = 0.52
ORIENTATIONS = ("perpendicular", "parallel")


@pytest.mark.parametrize("eps", [AG_520, AU_520, 2.46**2])
@pytest.mark.parametrize("d", [0.005, 0.02, 0.1])
def test_half_space_limit(eps, d):
    """Nothing above, or an index-matched half-space above: the A4 half-space result."""
    for o in ORIENTATIONS:
        a4 = analytic.interface_rate(distance_um=d, wavelength_um=LAM, n_emitter=1.0,
                                     permittivity_substrate=eps, orientation=o)
        open_top = layered.layered_rate(wavelength_um=LAM, emitter_index=1.0,
                                        below=Side(distance_um=d, half_space_permittivity=eps),
                                        orientation=o)
        matched = layered.layered_rate(wavelength_um=LAM, emitter_index=1.0,
                                       below=Side(distance_um=d, half_space_permittivity=eps),
                                       above=Side(distance_um=0.03, half_space_permittivity=1.0),
                                       orientation=o)
        print(f"{eps} d={d} {o}: A4 {a4:.6f}, layered {open_top:.6f}, matched top "
              f"{matched:.6f} (tolerance 1e-8 relative)")
        assert open_top == pytest.approx(a4, rel=1e-8)
        assert matched == pytest.approx(a4, rel=1e-8)


def test_far_second_mirror_tends_to_half_space():
    """An Ag mirror D above the emitter changes the rate by a far-field image term ~ 1/(kD):
    |Δ| ≤ 1/(kD) for D = 0.5-4 µm, and < 0.05 % at D = 4 µm."""
    k = 2 * math.pi / LAM
    below = Side(distance_um=0.02, half_space_permittivity=AG_520)
    hs = layered.layered_rate(wavelength_um=LAM, emitter_index=1.0, below=below,
                              orientation="perpendicular")
    for dist in (0.5, 1.0, 2.0, 4.0):
        v = layered.layered_rate(wavelength_um=LAM, emitter_index=1.0, below=below,
                                 above=Side(distance_um=dist, half_space_permittivity=AG_520),
                                 orientation="perpendicular")
        print(f"D = {dist} µm: {v:.5f} vs half-space {hs:.5f}, |Δ|·kD = {abs(v - hs) * k * dist:.3f}"
              " (bound 1)")
        assert abs(v - hs) <= 1 / (k * dist)
    assert v == pytest.approx(hs, rel=5e-4)


@pytest.mark.parametrize("x, position", [(0.6, 0.3), (1.2, 0.5), (1.75, 0.3)])
def test_perfect_mirror_limit_is_the_planar_cavity_mode_sum(x, position):
    """|ε| → ∞ on both sides: the mode sum of REFERENCES A3 (n = 1.5 gap), with a deviation
    that shrinks as 1/sqrt|ε| (10x smaller for 100x larger |ε|)."""
    n = 1.5
    gap = x * LAM / n
    for o in ORIENTATIONS:
        exact = analytic.planar_cavity_rate(x=x, position_fraction=position, orientation=o)
        errs = []
        for eps in (complex(-1e4, 1e2), complex(-1e6, 1e4)):
            v = layered.mim_rate(gap_um=gap, position_fraction=position, wavelength_um=LAM,
                                 gap_index=n, permittivity_below=eps, orientation=o)
            errs.append(abs(v - exact))
        print(f"x={x} z0/L={position} {o}: mode sum {exact:.5f}, |Δ| {errs[0]:.2e} (|ε|=1e4), "
              f"{errs[1]:.2e} (|ε|=1e6); tolerance 3e-3 and ratio >= 5")
        assert errs[1] < 3e-3
        assert errs[0] > 5 * errs[1]


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_mim_integrator_against_dense_trapezoid(orientation):
    """10 nm air gap between Ag half-spaces (the gap-plasmon pole far beyond the light line):
    the adaptive quadrature against a trapezoid rule on 2·10⁶ points of the same integrand."""
    geo = layered._Geometry(wavelength_um=LAM, emitter_index=1.0,
                            below=Side(distance_um=0.005, half_space_permittivity=AG_520),
                            above=Side(distance_um=0.005, half_space_permittivity=AG_520))
    t = np.linspace(0, math.pi / 2, 200_001)
    low = np.trapz(np.real(geo.rate_integrand(np.sin(t) + 0j, np.cos(t) + 0j, orientation)
                           * np.cos(t)), t)
    u = np.linspace(0, 1500, 2_000_001)[1:]
    s = np.sqrt(1 + u**2) + 0j
    high = np.trapz(np.real(geo.rate_integrand(s, 1j * u, orientation) * u / s), u)
    quad = layered.mim_rate(gap_um=0.01, wavelength_um=LAM, permittivity_below=AG_520,
                            orientation=orientation)
    print(f"{orientation}: quad {quad:.8f}, trapezoid {low + high:.8f} (tolerance 1e-7)")
    assert quad == pytest.approx(low + high, rel=1e-7)


@pytest.mark.parametrize("d", [0.01, 0.1])
def test_lossless_stack_radiates_all_its_power(d):
    """Glass half-space, and a 60 nm n = 1.3 film on glass (no guided mode): nothing absorbs,
    so far field up + down = total (energy conservation of the transmission formula)."""
    cases = {"glass": Side(distance_um=d, half_space_permittivity=2.25),
             "film on glass": Side(distance_um=d, half_space_permittivity=2.25,
                                   films=((1.69, 0.06),))}
    for name, below in cases.items():
        for o in ORIENTATIONS:
            r = layered.layered_radiation(wavelength_um=LAM, emitter_index=1.0, below=below,
                                          orientation=o)
            print(f"{name} d={d} {o}: total {r.total:.6f}, up {r.radiated_up:.6f} + down "
                  f"{r.radiated_down:.6f} (tolerance 1e-5 relative)")
            assert r.radiated == pytest.approx(r.total, rel=1e-5)
            assert r.surface_plasmon == 0.0


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_radiation_above_metal_against_direct_formula(orientation):
    """Far-field power of a dipole 20 nm above Ag: the general transmission path against the
    plane-wave sum written out for a half-space, (3/4)∫ s³/s_z |1 + r_p e|² ds (⊥) or
    (3/8)∫ (s/s_z)(|1 + r_s e|² + s_z² |1 − r_p e|²) ds (∥), on a dense grid."""
    d = 0.02
    k1 = 2 * math.pi / LAM
    t = np.linspace(0, math.pi / 2, 200_001)
    s, sz = np.sin(t), np.cos(t)
    k2z = np.sqrt(AG_520 - s**2 + 0j)
    rs = (sz - k2z) / (sz + k2z)
    rp = (AG_520 * sz - k2z) / (AG_520 * sz + k2z)
    e = np.exp(2j * k1 * d * sz)
    if orientation == "perpendicular":
        direct = np.trapz(0.75 * s**3 * np.abs(1 + rp * e) ** 2, t)
    else:
        direct = np.trapz(0.375 * s * (np.abs(1 + rs * e) ** 2 + sz**2 * np.abs(1 - rp * e) ** 2), t)
    r = layered.layered_radiation(wavelength_um=LAM, emitter_index=1.0,
                                  below=Side(distance_um=d, half_space_permittivity=AG_520),
                                  orientation=orientation)
    print(f"{orientation}: radiated {r.radiated_up:.6f}, direct {direct:.6f}; total {r.total:.4f}"
          f" (tolerance 1e-6)")
    assert r.radiated_up == pytest.approx(direct, rel=1e-6)
    assert r.radiated_down == 0.0 and r.absorbed > 0


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_surface_plasmon_residue_is_the_absorbed_power_of_a_lossless_metal(orientation):
    """A metal with Im ε → 0 cannot quench: all power not radiated goes into the surface
    plasmon, so total − radiated → the residue (error ∝ Im ε: measured 4e-5 / 6e-4 at
    Im ε = 1e-3 for ⊥ / ∥)."""
    eps = complex(-8.5744, 1e-3)
    r = layered.layered_radiation(wavelength_um=LAM, emitter_index=1.0,
                                  below=Side(distance_um=0.05, half_space_permittivity=eps),
                                  orientation=orientation)
    print(f"{orientation}: total − radiated {r.absorbed:.6f}, plasmon residue "
          f"{r.surface_plasmon:.6f} (tolerance 2e-3 relative)")
    assert r.surface_plasmon == pytest.approx(r.absorbed, rel=2e-3)


def test_thin_metal_film_leaks_into_glass():
    """A 40 nm Ag film on glass lets the plasmon leak into the glass (Kretschmann): the far
    field below is > 0 and grows as the film thins; a 400 nm film is opaque (< 1e-6)."""
    down = []
    for t_um in (0.4, 0.06, 0.04):
        r = layered.layered_radiation(
            wavelength_um=LAM, emitter_index=1.0,
            below=Side(distance_um=0.05, half_space_permittivity=2.25, films=((AG_520, t_um),)),
            orientation="perpendicular")
        down.append(r.radiated_down)
        print(f"Ag {1e3 * t_um:.0f} nm on glass: total {r.total:.4f}, up {r.radiated_up:.4f}, "
              f"down {r.radiated_down:.4f}, plasmon {r.surface_plasmon:.4f}")
        assert r.absorbed > 0
    assert down[0] < 1e-6 < down[1] < down[2]


def test_gauss_kronrod_against_quadpack():
    """The vectorised adaptive Gauss-Kronrod rule against scipy's QUADPACK on a narrow
    Lorentzian plus a smooth background (the shape of a plasmon pole on the real axis)."""
    from scipy import integrate

    def f(x):
        return 1e-3 / ((x - 1.3) ** 2 + 1e-6) + np.exp(-x)

    got = layered.gauss_kronrod(f, [0.0, 1.29, 1.31, 20.0])
    ref = sum(integrate.quad(f, a, b, limit=400, epsabs=1e-13, epsrel=1e-12)[0]
              for a, b in ((0.0, 1.29), (1.29, 1.31), (1.31, 20.0)))
    print(f"Gauss-Kronrod {got:.12f}, QUADPACK {ref:.12f} (tolerance 1e-9)")
    assert got == pytest.approx(ref, rel=1e-9)


def test_validation_messages():
    with pytest.raises(ValueError, match="distance_um"):
        Side(distance_um=0.0, half_space_permittivity=AG_520)
    with pytest.raises(ValueError, match="position_fraction"):
        layered.mim_rate(gap_um=0.01, position_fraction=1.0, wavelength_um=LAM,
                         permittivity_below=AG_520, orientation="parallel")
    with pytest.raises(ValueError, match="orientation"):
        layered.layered_rate(wavelength_um=LAM, emitter_index=1.0,
                             below=Side(distance_um=0.01, half_space_permittivity=AG_520),
                             orientation="z")


def _upper_pattern_fraction(orientation: str, d: float, eps2: complex, na: float) -> float:
    """Fraction of the upper half-space's far field inside NA, from the angular pattern of the
    direct + Fresnel-reflected dipole field (φ-integrated; air above): horizontal dipole
    cos²θ|1 − r_p e^{iδ}|² + |1 + r_s e^{iδ}|², vertical sin²θ|1 + r_p e^{iδ}|², δ = 2kd cosθ."""
    def integrand(theta: np.ndarray) -> np.ndarray:
        c, s = np.cos(theta), np.sin(theta)
        kz2 = np.sqrt(eps2 - s * s + 0j)
        rs = (c - kz2) / (c + kz2)
        rp = (eps2 * c - kz2) / (eps2 * c + kz2)
        ph = np.exp(2j * (2 * math.pi / LAM) * d * c)
        if orientation == "parallel":
            f = c * c * np.abs(1 - rp * ph) ** 2 + np.abs(1 + rs * ph) ** 2
        else:
            f = s * s * np.abs(1 + rp * ph) ** 2
        return f * s

    def quad(a: float, b: float) -> float:
        x, w = np.polynomial.legendre.leggauss(400)
        t = 0.5 * (b - a) * x + 0.5 * (b + a)
        return float(0.5 * (b - a) * np.sum(w * integrand(t)))

    return quad(0.0, math.asin(na)) / quad(0.0, math.pi / 2)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("d", [0.005, 0.2])
@pytest.mark.parametrize("eps", [2.13, AG_520])
def test_radiation_inside_the_na_matches_the_reflected_dipole_pattern(orientation, d, eps):
    """radiated_up_in_na / radiated_up (the Sommerfeld integrand cut at k∥ = NA·k) against the
    far-field pattern of the dipole plus its Fresnel reflection integrated over the cone
    (an independent route), glass and Ag below, d = 5 and 200 nm, NA 0.65: within 1e-6."""
    r = layered.layered_radiation(wavelength_um=LAM, emitter_index=1.0,
                                  below=Side(distance_um=d, half_space_permittivity=eps),
                                  orientation=orientation, na=0.65)
    expected = _upper_pattern_fraction(orientation, d, eps, 0.65)
    print(f"{orientation}, d = {d} µm, ε = {eps}: {r.radiated_up_in_na / r.radiated_up:.6f} "
          f"vs pattern {expected:.6f}")
    assert r.radiated_up_in_na / r.radiated_up == pytest.approx(expected, rel=1e-6)
