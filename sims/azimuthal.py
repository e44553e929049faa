"""The azimuthal harmonics of a point dipole off the axis, and each one's share of its power
(pure).

A dipole at (r0, φ = 0, z) in a rotationally symmetric structure is the Fourier series
δ(φ)/r0 = (1/2π r0) Σ_m e^{imφ} of rings of radius r0 (Meep's tutorial "Nonaxisymmetric dipole
sources"). Power is orthogonal between harmonics, so the decay rate of the point dipole is the
sum over m of the rates of the rings, ±m counted twice. Each ring is simulated and normalised by
the same ring in the homogeneous host (discretisation errors cancel harmonic by harmonic), so a
structure's Purcell factor is

    F = Σ_m w_m(k r0) F_m,        Σ_m w_m = 1,

with w_m the share of the harmonic pair ±m in the power of the point dipole in the homogeneous
host (wavenumber k = 2π n/λ). From the ring's plane-wave spectrum,
∫ dφ'/2π e^{imφ'} e^{−iρ cos(φ−φ')} = (−i)^m J_m(ρ) e^{imφ} with ρ = k r0 sin θ:

* axial (z) dipole:                w_m = c_m (3/4) ∫₀^π sin³θ J_m(ρ)² dθ
* radial (x at φ = 0) dipole:      w_m = c_m (3/8) ∫₀^π sin θ [(J_{m+1}² + J_{m−1}²)(1 + cos²θ)/2
                                                              + J_{m+1} J_{m−1} sin²θ] dθ
* azimuthal (y at φ = 0) dipole:   the same with − J_{m+1} J_{m−1} sin²θ

with c_0 = 1, c_m = 2 (m > 0). On the axis (r0 = 0) only m = 0 (z) or m = 1 (x, y) remain, with
weight 1. Σ_m J_m² = 1 and Σ_k J_k J_{k+2} = 0 make the weights sum to one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import jv

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(192)
ORIENTATIONS = {"x": "radial", "y": "azimuthal", "z": "axial"}


def harmonic_weight(m: int, k_r0: ArrayLike, orientation: str) -> NDArray[np.float64]:
    """Share w_m of the harmonic pair ±m in the power of a point dipole at k·r0 from the axis
    (``orientation``: ``"z"`` axial, ``"x"`` radial, ``"y"`` azimuthal). Vectorised over k·r0.

    Accurate to ~1e-12 for k·r0 up to ~60 (192-point Gauss-Legendre in cos θ).
    """
    if orientation not in ORIENTATIONS:
        raise ValueError(f"`orientation` must be one of {sorted(ORIENTATIONS)}, but got "
                         f"{orientation!r}.")
    if m < 0:
        raise ValueError(f"`m` must be >= 0 (−m is counted with +m), but got m={m}.")
    x = np.atleast_1d(np.asarray(k_r0, dtype=float))
    u = _NODES[None, :]  # cos θ
    s = np.sqrt(1.0 - u**2)
    rho = x[:, None] * s
    if orientation == "z":
        integrand = 0.75 * s**2 * jv(m, rho) ** 2
    else:
        jp, jm = jv(m + 1, rho), jv(m - 1, rho)
        cross = jp * jm * s**2 * (1.0 if orientation == "x" else -1.0)
        integrand = 0.375 * ((jp**2 + jm**2) * (1.0 + u**2) / 2.0 + cross)
    w = integrand @ _WEIGHTS  # ∫ sin θ dθ (...) = ∫ du (...)
    return (1.0 if m == 0 else 2.0) * w


def harmonics_needed(k_r0: float) -> int:
    """The highest harmonic a point dipole at k·r0 radiates appreciably into the homogeneous
    host (harmonics m > k·r0 are evanescent on the ring; Meep's tutorial estimate M ≈ k r0).
    Near a metal or a resonator higher harmonics can still carry near-field decay, which is why
    :mod:`sims.azimuthal_sum` stops on the simulated terms, not on this estimate."""
    return int(np.ceil(k_r0)) + 1
