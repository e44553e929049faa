"""Power through a plane and the part of it a lens of numerical aperture NA collects (no Meep).

What it computes. Given the tangential DFT fields (E, H at one frequency) sampled on a plane
z = const in a homogeneous half-space of index n, the power crossing the plane is
``∫ Re(E × H*)·ẑ dA`` (Meep's flux convention: no factor 1/2, so only ratios of these numbers are
physical), and the power a lens of numerical aperture NA collects is the part of it carried by
plane waves with ``|k_∥| <= NA·k0``, k0 = 2π/λ the vacuum wavenumber.

Method: the angular spectrum. By Parseval, ``∫ Re(E × H*)·ẑ dA = (1/4π²) ∫ Re(Ẽ × H̃*)·ẑ d²k``
with Ẽ(k_∥) the 2D Fourier transform over the plane. In a homogeneous half-space every k_∥ is one
plane wave leaving at ``n sin θ = |k_∥|/k0``, so the k-space integral restricted to the disc
``|k_∥| <= NA·k0`` is the power inside the cone ``n sin θ <= NA`` of the far field. Evanescent
components (``|k_∥| > n k0``) carry no net power through the plane; cross terms between different
k_∥ cancel in the integral. The result is independent of the height of the plane (Weyl), so a
plane in the near field of the source gives the far-field collection.

* Cartesian (3D runs): fields indexed [ix, iy] on a uniform grid; the transform is a zero-padded
  2D FFT (:func:`collected_power_cartesian`).
* Cylindrical (Meep's ``m`` runs): fields ∝ exp(imφ), given as radial profiles E_r(r), E_φ(r),
  H_r(r), H_φ(r) at radii r, i.e. E_r(r, φ) = ``er[i]``·exp(imφ) at r = ``r[i]``. With
  a± = E_r ± iE_φ, E_x ± iE_y = a± exp(i(m±1)φ), so the 2D transform is a Hankel transform of
  order m ± 1 (a ring-sum quadrature with :func:`bessel_j`, :func:`collected_power_cylindrical`).

Conventions: lengths and 1/k0 in the same unit (Meep units inside ``sims``); time dependence
exp(-iωt) as in Meep (the formulas take Re(E × H*), so the sign convention does not matter).
The plane is finite: power that crosses it outside the sampled window is missing, and its hard
edge leaks a little power across the cone edge in k-space (see ``tests/sims_tests/
test_collection.py`` for the size of both on a dipole).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "bessel_j",
    "collected_power_cartesian",
    "collected_power_cylindrical",
    "plane_power_cartesian",
    "plane_power_cylindrical",
]

_SMALL_X = 0.1
"""Below this |x|, J_2 comes from its power series: the recurrence 2J_1(x)/x − J_0(x) subtracts
two numbers close to 1 to get ≈ x²/8 and loses ~log10(8/x²) digits (rel. error ~3e-13 at 0.1)."""


def bessel_j(order: int, x: np.ndarray | float) -> np.ndarray:
    """Bessel function of the first kind J_order(x), fast for the orders of m = 0, ±1 runs.

    ``|order| <= 1`` uses ``scipy.special.j0``/``j1``, ``|order| == 2`` the upward recurrence
    J_2(x) = (2/x) J_1(x) − J_0(x) (Abramowitz & Stegun 9.1.27; below |x| = 0.1 the power
    series 9.1.10 instead, so J_2(0) = 0 exactly and nothing is divided by zero), negative
    integer orders J_{-n} = (-1)^n J_n (A&S 9.1.5), and any other order falls back to
    ``scipy.special.jv``.

    Why: ``jv`` runs the general (real/complex-order) routine and dominated the post-processing
    of a cylindrical run. Measured (scipy 1.17.1, numpy 1.26.4, a loaded 2-core machine, best of
    5) on the kr matrix of :func:`collected_power_cylindrical`, n_k = 400 × 250 radii, one call
    of orders m ± 1: m = 0: jv 100 ms, bessel_j 5.4 ms (×19); m = 1: jv 123 ms, bessel_j
    10.6 ms (×12); for the 41 flux frequencies of a run that is 4.1 s → 0.22 s (m = 0) and
    5.1 s → 0.43 s (m = 1); with 2000 radii ×9 and ×7. Largest |bessel_j − jv| on those
    matrices: 1.3e-15. Timed with ``min(timeit.repeat(lambda: (f(m + 1, kr), f(m - 1, kr)),
    number=1, repeat=5))`` for f in (special.jv, bessel_j). ``tests/sims_tests/
    test_collection.py`` checks it against ``jv`` for orders -3..3 on x in [0, 200].

    Args:
        order: integer (or real) order.
        x: real argument(s), any shape.

    Returns:
        J_order(x), a float array of the shape of ``x`` (a NumPy float for a scalar ``x``).

    Example:
        >>> float(bessel_j(2, 0.0)), round(float(bessel_j(-2, 3.0)), 12)
        (0.0, 0.486091260586)
    """
    x = np.asarray(x, dtype=float)
    if float(order) != int(order) or abs(int(order)) > 2:
        return special.jv(order, x)
    n = abs(int(order))
    sign = -1.0 if (order < 0 and n % 2 == 1) else 1.0
    if n == 0:
        return special.j0(x)
    if n == 1:
        return sign * special.j1(x)
    flat = x.reshape(-1)
    small = np.abs(flat) < _SMALL_X
    safe = np.where(small, 1.0, flat)
    out = 2.0 * special.j1(safe) / safe - special.j0(safe)
    if np.any(small):
        # J_2(x) = Σ_k (-1)^k (x/2)^(2k+2) / (k! (k+2)!), four terms: rel. error < 1e-14 here
        q = (flat[small] / 2) ** 2
        out[small] = q / 2 * (1 - q / 3 * (1 - q / 8 * (1 - q / 15)))
    return out.reshape(x.shape)[()]


def plane_power_cartesian(*, ex: np.ndarray, ey: np.ndarray, hx: np.ndarray, hy: np.ndarray,
                          dx: float, dy: float) -> float:
    """∫ Re(E × H*)·ẑ dA over a sampled plane (Meep's flux convention, no factor 1/2)."""
    return float(np.sum(np.real(ex * np.conj(hy) - ey * np.conj(hx))) * dx * dy)


def collected_power_cartesian(*, ex: np.ndarray, ey: np.ndarray, hx: np.ndarray, hy: np.ndarray,
                              dx: float, dy: float, k0: float, na: float,
                              pad: int = 8) -> float:
    """Power crossing a z-plane in plane waves with |k_parallel| <= NA·k0 (angular spectrum).

    By Parseval, ∫Re(E×H*)·ẑ dA = (1/4π²)∫Re(Ẽ×H̃*)·ẑ d²k, and in a homogeneous half-space each
    k_parallel is one plane wave travelling at sin θ = k_parallel/(n k0): the part inside the
    cone is what a lens of that NA collects. Evanescent components (k > n k0) carry no net power.
    Zero-padding refines the k grid so the cone edge is well sampled.

    Args:
        ex, ey, hx, hy: tangential DFT fields on the plane, arrays indexed [ix, iy].
        dx, dy: sample spacing (same length unit as 1/k0).
        k0: vacuum wavenumber 2π/λ.
        na: numerical aperture (n sin θ_max).
        pad: zero-padding factor of the FFT.
    """
    nx, ny = ex.shape
    shape = (pad * nx, pad * ny)
    fe = [np.fft.fft2(a, s=shape) for a in (ex, ey, hx, hy)]
    s = np.real(fe[0] * np.conj(fe[3]) - fe[1] * np.conj(fe[2]))
    kx = 2 * np.pi * np.fft.fftfreq(shape[0], d=dx)
    ky = 2 * np.pi * np.fft.fftfreq(shape[1], d=dy)
    kpar = np.hypot(kx[:, None], ky[None, :])
    # discrete Parseval: Σ|f|² dx dy = (dx dy / N) Σ|F|²
    return float(np.sum(s[kpar <= na * k0]) * dx * dy / (shape[0] * shape[1]))


def plane_power_cylindrical(*, er: np.ndarray, ep: np.ndarray, hr: np.ndarray, hp: np.ndarray,
                            r: np.ndarray, dr: float) -> float:
    """∫ Re(E × H*)·ẑ 2πr dr for fields ∝ exp(imφ) sampled at radii r."""
    return float(np.sum(np.real(er * np.conj(hp) - ep * np.conj(hr)) * 2 * np.pi * r) * dr)


def collected_power_cylindrical(*, er: np.ndarray, ep: np.ndarray, hr: np.ndarray,
                                hp: np.ndarray, r: np.ndarray, dr: float, m: int, k0: float,
                                na: float, n_k: int = 400) -> float:
    """Angular-spectrum power within |k_parallel| <= NA·k0 for fields ∝ exp(imφ).

    With a± = E_r ± iE_φ (and b± for H), E_x ± iE_y = a± e^{i(m±1)φ}, so the 2D Fourier transform
    of each is a Hankel transform of order m±1, and (E×H*)·ẑ = (i/2)(a+ b+* − a− b−*) in k-space
    as in real space. Hence P(k<k_NA) = 2π ∫ k dk Re[(i/2)(A+ B+* − A− B−*)], A± = H_{m±1}[a±].
    The k integral is a midpoint rule with ``n_k`` points on [0, NA·k0].
    """
    ap, am = er + 1j * ep, er - 1j * ep
    bp, bm = hr + 1j * hp, hr - 1j * hp
    k = (np.arange(n_k) + 0.5) * (na * k0 / n_k)
    dk = na * k0 / n_k
    kr = np.outer(k, r)
    jp = bessel_j(m + 1, kr) * r * dr
    jm = bessel_j(m - 1, kr) * r * dr
    a_p, b_p = jp @ ap, jp @ bp
    a_m, b_m = jm @ am, jm @ bm
    integrand = np.real(0.5j * (a_p * np.conj(b_p) - a_m * np.conj(b_m)))
    return float(2 * np.pi * np.sum(integrand * k) * dk)
