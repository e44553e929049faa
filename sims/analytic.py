"""Analytic oracles: closed-form and semi-analytic decay rates and Purcell estimates.

Pure numpy/scipy (no Meep). They validate the simulation core and let users "check Purcell
predictions against the analytic formula". Formulas and reference tables: ../shared/REFERENCES.md,
sections A1–A5 (sources cited per function).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import integrate, special

PURCELL_PREFACTOR = 3 / (4 * math.pi**2)  # 0.075991


def _positive(**values: float) -> None:
    for name, v in values.items():
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"`{name} > 0` must hold, but got {name}={v!r}.")


def _orientation(value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"`orientation` must be one of {choices}, but got orientation={value!r}.")


# -- A1 / A5: Purcell estimates ------------------------------------------------------------------
def purcell_q_over_v(*, quality_factor: float, mode_volume_lambda_n3: float) -> float:
    """Ideal Purcell factor ``F = 3/(4π²) Q / V``, V in units of (λ/n)³ (REFERENCES A1).

    Assumes the dipole at the field maximum (or V referred to its position), aligned, on
    resonance, emitter linewidth ≪ cavity linewidth.

    Example:
        >>> round(purcell_q_over_v(quality_factor=1000, mode_volume_lambda_n3=1.0), 1)
        76.0
    """
    _positive(quality_factor=quality_factor, mode_volume_lambda_n3=mode_volume_lambda_n3)
    return PURCELL_PREFACTOR * quality_factor / mode_volume_lambda_n3


def mode_volume_lambda_n3(*, mode_volume_um3: float, wavelength_um: float,
                          refractive_index: float) -> float:
    """V / (λ/n)³.

    Example:
        >>> round(mode_volume_lambda_n3(mode_volume_um3=0.071, wavelength_um=1.57,
        ...                             refractive_index=3.4), 2)   # Akahane L3 (REFERENCES A1)
        0.72
    """
    _positive(mode_volume_um3=mode_volume_um3, wavelength_um=wavelength_um,
              refractive_index=refractive_index)
    return mode_volume_um3 / (wavelength_um / refractive_index) ** 3


def purcell_q_over_a_2d(*, quality_factor: float, mode_area_lambda_n2: float,
                        dipole: str) -> float:
    """2D Purcell factor (REFERENCES A5, derived from Meep's normalisation):
    ``(1/π²) Q/A`` for an out-of-plane (E_z) dipole, ``(2/π²) Q/A`` in-plane; A in (λ/n)².

    Example:
        >>> round(purcell_q_over_a_2d(quality_factor=1.0, mode_area_lambda_n2=0.125,
        ...                           dipole="out_of_plane"), 4)   # Meep metal box: 0.8106 Q
        0.8106
    """
    _positive(quality_factor=quality_factor, mode_area_lambda_n2=mode_area_lambda_n2)
    if dipole not in ("out_of_plane", "in_plane"):
        raise ValueError(f"`dipole` must be 'out_of_plane' or 'in_plane', but got {dipole!r}.")
    pref = 1 / math.pi**2 if dipole == "out_of_plane" else 2 / math.pi**2
    return pref * quality_factor / mode_area_lambda_n2


# -- A3: planar perfect-mirror cavity ----------------------------------------------------------
def planar_cavity_eq7(*, x: float) -> float:
    """Parallel dipole at the centre of a perfect-mirror cavity, Abram et al. 1998 eq. 7 as coded
    in Meep's ``planar_cavity_ldos.py`` (REFERENCES A3): ``3N/(4x) + (4N³ − N)/(16x³)``,
    ``N = floor(x + 1/2)``, ``x = nL/λ0``.

    Example:
        >>> round(planar_cavity_eq7(x=0.55), 4)
        2.4906
    """
    _positive(x=x)
    n = math.floor(x + 0.5)
    return 3 * n / (4 * x) + (4 * n**3 - n) / (16 * x**3)


def planar_cavity_rate(*, x: float, position_fraction: float = 0.5,
                       orientation: str) -> float:
    """Decay rate / bulk rate of a dipole between two perfect mirrors, from the mode sum
    (Milonni & Knight 1973; REFERENCES A3), ``x = nL/λ0``, ``position_fraction = z0/L``.

    Example:
        >>> round(planar_cavity_rate(x=1.2, orientation="perpendicular"), 4)
        1.0069
    """
    _positive(x=x)
    _orientation(orientation, ("parallel", "perpendicular"))
    if not 0 < position_fraction < 1:
        raise ValueError("`0 < position_fraction < 1` must hold, but got "
                         f"position_fraction={position_fraction!r}.")
    m = np.arange(1, math.floor(2 * x) + 1)
    q = m / (2 * x)
    phase = m * math.pi * position_fraction
    if orientation == "parallel":
        return float(3 / (4 * x) * np.sum((1 + q**2) * np.sin(phase) ** 2))
    return float(3 / (2 * x) * (0.5 + np.sum((1 - q**2) * np.cos(phase) ** 2)))


# -- A4: dipole above a mirror / an interface ---------------------------------------------------
def pec_mirror_rate(*, distance_um: float, wavelength_um: float, refractive_index: float = 1.0,
                    orientation: str) -> float:
    """Dipole at ``distance_um`` from a perfect mirror (image dipole, REFERENCES A4).

    Example:
        >>> round(pec_mirror_rate(distance_um=0.1, wavelength_um=0.52,
        ...                       orientation="perpendicular"), 3)
        1.525
    """
    _positive(distance_um=distance_um, wavelength_um=wavelength_um,
              refractive_index=refractive_index)
    _orientation(orientation, ("parallel", "perpendicular"))
    x = 2 * (2 * math.pi * refractive_index / wavelength_um) * distance_um
    if orientation == "perpendicular":
        return 1 + 3 * (math.sin(x) / x**3 - math.cos(x) / x**2)
    return 1 - 1.5 * (math.sin(x) / x + math.cos(x) / x**2 - math.sin(x) / x**3)


def _sommerfeld_rate(*, k1d: float, reflection: Any, orientation: str,
                     breakpoints_u: Sequence[float], u_scale: float) -> float:
    """1 + Re ∫ of the reflected dipole field (Novotny & Hecht eqs. 10.25-10.26), with s the
    in-plane wavevector over k1: s = sin t on [0, 1], s = sqrt(1 + u²) above (evanescent).
    ``reflection(s, sz) -> (r_s, r_p)`` describes what lies below the emitter."""
    def integrand(s: complex, sz: complex) -> complex:
        rs, rp = reflection(s, sz)
        ph = np.exp(2j * k1d * sz)
        if orientation == "perpendicular":
            return 1.5 * s**3 / sz * rp * ph
        return 0.75 * s / sz * (rs - sz**2 * rp) * ph

    def f_low(t: float) -> float:  # propagating part, s = sin t, ds/sz = dt
        s, sz = math.sin(t), math.cos(t)
        return float(np.real(integrand(s, sz) * sz))

    low, _ = integrate.quad(f_low, 0, math.pi / 2, limit=400, epsabs=1e-12, epsrel=1e-10)

    def f_high(u: float) -> float:  # evanescent part, s = sqrt(1 + u²), sz = iu, ds = u du/s
        s = math.sqrt(1 + u * u)
        return float(np.real(integrand(s, 1j * u) * u / s)) if u > 0 else 0.0

    u_max = max(40.0 / max(k1d, 1e-3), 10.0 * u_scale)
    edges = [0.0, *sorted(p for p in breakpoints_u if 0 < p < u_max), u_max]
    high = 0.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        val, _ = integrate.quad(f_high, a, b, limit=400, epsabs=1e-12, epsrel=1e-10)
        high += val
    return 1.0 + low + high


def _fresnel(eps1: complex, eps2: complex, sz: complex, s: complex
             ) -> tuple[complex, complex, complex]:
    k2z = np.sqrt(eps2 / eps1 - s**2 + 0j)
    if k2z.imag < 0:
        k2z = -k2z
    rs = (sz - k2z) / (sz + k2z)
    rp = (eps2 * sz - eps1 * k2z) / (eps2 * sz + eps1 * k2z)
    return rs, rp, k2z


def interface_rate(*, distance_um: float, wavelength_um: float, n_emitter: float,
                   permittivity_substrate: complex, orientation: str) -> float:
    """Total decay rate / bulk rate of a dipole in medium 1 at ``distance_um`` above a half-space
    of permittivity ``permittivity_substrate`` (Sommerfeld integral, Novotny & Hecht;
    REFERENCES A4). Includes quenching into lossy surface waves.

    The integral is split at s = 1 (s = sin t below, s_z = iu above) with break points at the
    branch point s = n2/n1 and the surface-plasmon pole.

    Example:
        >>> round(interface_rate(distance_um=0.05, wavelength_um=0.52, n_emitter=1.0,
        ...                      permittivity_substrate=2.25, orientation="perpendicular"), 3)
        1.531
    """
    _positive(distance_um=distance_um, wavelength_um=wavelength_um, n_emitter=n_emitter)
    _orientation(orientation, ("parallel", "perpendicular"))
    eps1 = n_emitter**2
    eps2 = complex(permittivity_substrate)
    points = []
    for s_special in (np.sqrt(eps2 / eps1).real, np.sqrt(eps2 / (eps1 + eps2)).real):
        if s_special > 1:
            points.append(math.sqrt(s_special**2 - 1))
    return _sommerfeld_rate(
        k1d=2 * math.pi * n_emitter / wavelength_um * distance_um,
        reflection=lambda s, sz: _fresnel(eps1, eps2, sz, s)[:2], orientation=orientation,
        breakpoints_u=points, u_scale=max(points) if points else 1.0)


SLAB_LOSS_STEPS = (2e-3, 1e-3)
"""Im ε of the two lossy slabs whose rates are extrapolated (linearly) to a lossless slab."""


def slab_rate(*, distance_um: float, wavelength_um: float, slab_index: float,
              thickness_um: float, orientation: str) -> float:
    """Total decay rate / vacuum rate of a dipole in vacuum at ``distance_um`` above a lossless
    dielectric slab (vacuum on both sides), from the Sommerfeld integral with the slab's
    reflection coefficients r = r12 (1 − e^{2iβ}) / (1 − r12² e^{2iβ}), β = k0 k2z t.

    The slab's guided modes are poles on the real axis of the integral: the slab gets a small
    loss Im ε = δ (the poles move off the axis; the integration is broken at 400 points through
    the guided-mode range) and the rate is extrapolated linearly to δ = 0 from
    :data:`SLAB_LOSS_STEPS` (near-field absorption is ∝ δ). A 20 µm slab reproduces
    :func:`interface_rate` within 0.05 %.

    Example:
        >>> round(slab_rate(distance_um=0.005, wavelength_um=0.52, slab_index=2.0585,
        ...                 thickness_um=0.2, orientation="parallel"), 3)
        1.664
    """
    _positive(distance_um=distance_um, wavelength_um=wavelength_um, slab_index=slab_index,
              thickness_um=thickness_um)
    _orientation(orientation, ("parallel", "perpendicular"))
    k0 = 2 * math.pi / wavelength_um
    u_guided = math.sqrt(max(slab_index**2 - 1.0, 1e-12))
    points = list(np.linspace(0.0, u_guided, 401)[1:])

    def rate(delta: float) -> float:
        eps2 = slab_index**2 + 1j * delta

        def reflection(s: complex, sz: complex) -> tuple[complex, complex]:
            rs12, rp12, k2z = _fresnel(1.0, eps2, sz, s)
            ph = np.exp(2j * k0 * k2z * thickness_um)
            return (rs12 * (1 - ph) / (1 - rs12**2 * ph), rp12 * (1 - ph) / (1 - rp12**2 * ph))

        return _sommerfeld_rate(k1d=k0 * distance_um, reflection=reflection,
                                orientation=orientation, breakpoints_u=points,
                                u_scale=u_guided)

    (d1, d2) = SLAB_LOSS_STEPS
    r1, r2 = rate(d1), rate(d2)
    return r2 - d2 * (r1 - r2) / (d1 - d2)


# -- A2: dipole outside a sphere (Mie theory) ---------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MieDipoleRates:
    """Decay rates of a dipole outside a sphere, normalised to the bulk host (REFERENCES A2)."""

    total_radial: float
    total_tangential: float
    radiative_radial: float
    radiative_tangential: float

    def quantum_efficiency(self, *, intrinsic_qy: float, orientation: str) -> float:
        """``q = Γrad / (Γtot + (1/q0 − 1))`` (rates in units of Γ0)."""
        _orientation(orientation, ("radial", "tangential"))
        tot = self.total_radial if orientation == "radial" else self.total_tangential
        rad = self.radiative_radial if orientation == "radial" else self.radiative_tangential
        return rad / (tot + (1 / intrinsic_qy - 1))


def mie_dipole_rates(*, sphere_radius_um: float, distance_um: float, wavelength_um: float,
                     sphere_index: complex, host_index: float = 1.0,
                     n_max: int | None = None) -> MieDipoleRates:
    """Dipole at ``distance_um`` from the surface of a sphere (Chew 1987; Kim, Leung & George
    1988; formulas and sign convention as in REFERENCES A2, time dependence exp(−iωt)).

    Example:
        >>> r = mie_dipole_rates(sphere_radius_um=0.1, distance_um=0.02, wavelength_um=0.52,
        ...                      sphere_index=2.46)
        >>> round(r.total_radial, 3), round(r.total_tangential, 3)
        (3.771, 1.615)
    """
    _positive(sphere_radius_um=sphere_radius_um, distance_um=distance_um,
              wavelength_um=wavelength_um, host_index=host_index)
    k = 2 * math.pi * host_index / wavelength_um
    a, r = sphere_radius_um, sphere_radius_um + distance_um
    x, y = k * a, k * r
    m = complex(sphere_index) / host_index
    eps_h, eps_s = host_index**2, complex(sphere_index) ** 2
    if n_max is None:
        n_max = int(k * r * abs(m) + 15 + 16 * a / distance_um)
    n = np.arange(1, n_max + 1)

    def jn(z: complex | float, d: bool = False) -> np.ndarray:
        return special.spherical_jn(n, z, derivative=d)

    def yn(z: float, d: bool = False) -> np.ndarray:
        return special.spherical_yn(n, z, derivative=d)

    with np.errstate(all="ignore"):
        # Scaled form: a_n = (j_n(x)/h_n(x)) A_n, b_n = (j_n(x)/h_n(x)) B_n with A_n, B_n built
        # from logarithmic derivatives, and h_n(y)² = h_n(x)² (h_n(y)/h_n(x))², so no term
        # overflows for the ~100+ orders a near-surface dipole needs.
        j_x, dj_x = jn(x), jn(x, True)
        h_x, dh_x = j_x + 1j * yn(x), dj_x + 1j * yn(x, True)
        j_mx, dj_mx = jn(m * x), jn(m * x, True)
        lpsi_x = 1 + x * dj_x / j_x  # ψ'_n(x) / j_n(x)
        lzeta_x = 1 + x * dh_x / h_x  # ζ'_n(x) / h_n(x)
        lpsi_mx = 1 + m * x * dj_mx / j_mx  # ψ'_n(mx) / j_n(mx)
        big_a = (lpsi_mx - lpsi_x) / (lzeta_x - lpsi_mx)
        big_b = (eps_h * lpsi_mx - eps_s * lpsi_x) / (eps_s * lzeta_x - eps_h * lpsi_mx)
        j_y, dj_y = jn(y), jn(y, True)
        h_y = j_y + 1j * yn(y)
        dh_y = dj_y + 1j * yn(y, True)
        ratio = h_y / h_x
        jh = j_x * h_x
        lzeta_y = 1 + y * dh_y / h_y  # ζ'_n(y) / h_n(y)
        psi_y_d = j_y + y * dj_y
        a_h = big_a * j_x * ratio  # a_n h_n(y)
        b_h = big_b * j_x * ratio  # b_n h_n(y)
        w = n * (n + 1) * (2 * n + 1)
        terms = np.array([
            1.5 * np.real(w * big_b * jh * ratio**2) / y**2,
            1.5 * np.real((n + 0.5) * jh * ratio**2 * (big_b * (lzeta_y / y) ** 2 + big_a)),
            1.5 * w * np.abs((j_y + b_h) / y) ** 2,
            0.75 * (2 * n + 1) * (np.abs(j_y + a_h) ** 2
                                  + np.abs((psi_y_d + b_h * lzeta_y) / y) ** 2),
        ])
    # Orders so high that the Bessel functions leave double precision contribute nothing once
    # the series has converged: sum the finite prefix and check its tail is negligible.
    finite = np.all(np.isfinite(terms), axis=0)
    stop = int(np.argmin(finite)) if not finite.all() else terms.shape[1]
    head = terms[:, :stop]
    sums = head.sum(axis=1) + np.array([1.0, 1.0, 0.0, 0.0])
    tail = np.abs(head[:, -5:]).max(axis=1) if stop >= 5 else np.full(4, np.inf)
    if stop < terms.shape[1] and np.any(tail > 1e-7 * np.abs(sums)):
        raise ValueError(f"Mie series did not converge before order {stop} (double precision); "
                         f"the dipole is too close to the sphere (distance_um={distance_um}).")
    tot_r, tot_t, rad_r, rad_t = sums
    vals = (tot_r, tot_t, rad_r, rad_t)
    if not all(np.isfinite(v) for v in vals):
        raise ValueError(f"Mie series did not converge (n_max={n_max}); the dipole is too close "
                         f"to the sphere for double precision (distance_um={distance_um}).")
    return MieDipoleRates(total_radial=float(tot_r), total_tangential=float(tot_t),
                          radiative_radial=float(rad_r), radiative_tangential=float(rad_t))


# -- PEC box modes (Q and V with a known answer) --------------------------------------------------
def pec_box_2d_tm_mode(*, width_um: float, height_um: float, mx: int = 1,
                       my: int = 1) -> tuple[float, float]:
    """TM_{mx,my} mode ``E_z = sin(mx πx/a) sin(my πy/b)`` of a 2D PEC box: (λ, A_eff).

    ``A_eff = ∫|E|²/max|E|² = ab/4`` for every (mx, my) ≥ 1.

    Example:
        >>> lam, area = pec_box_2d_tm_mode(width_um=1.0, height_um=1.0)
        >>> round(lam, 6), area   # λ = √2 a (Meep's metal box, REFERENCES A5)
        (1.414214, 0.25)
    """
    _positive(width_um=width_um, height_um=height_um)
    lam = 2 / math.hypot(mx / width_um, my / height_um)
    return lam, width_um * height_um / 4


def pec_box_3d_mode(*, size_um: tuple[float, float, float],
                    indices: tuple[int, int, int] = (1, 0, 1)) -> tuple[float, float]:
    """A TE mode of a rectangular PEC box with one zero index (e.g. TE101: E_y =
    sin(πx/a) sin(πz/c)): (λ, V) with ``V = abc/4``.

    Example:
        >>> lam, v = pec_box_3d_mode(size_um=(1.0, 0.5, 1.0))
        >>> round(lam, 6), v
        (1.414214, 0.125)
    """
    a, b, c = size_um
    _positive(a=a, b=b, c=c)
    if sorted(indices).count(0) != 1:
        raise ValueError(f"exactly one index must be 0 (a TE_mn0-type mode), got {indices}.")
    lam = 2 / math.sqrt(sum((i / s) ** 2 for i, s in zip(indices, size_um, strict=True)))
    return lam, a * b * c / 4
