"""The decay rate of one azimuthal harmonic of an off-axis dipole in a planar multilayer (pure).

:mod:`sims.azimuthal` splits a point dipole at r0 from an axis into rings e^{imφ}; in a
homogeneous host harmonic m carries the share w_m(k r0) of the power. In a planar stack
(:mod:`sims.layered`) the same split holds plane wave by plane wave: the ring's 2D Fourier
transform at in-plane wavevector k∥ = k1 s (direction α) is (−i)^m J_m(k∥ r0) e^{imα} times
the dipole's projection, so each term of the Sommerfeld integral is weighted by

* axial (z) dipole, p waves:                c_m J_m(x)²
* radial dipole (x at φ = 0):     s waves   2 c_m (m J_m(x)/x)²,   p waves 2 c_m J_m'(x)²
* azimuthal dipole (y at φ = 0):  s waves   2 c_m J_m'(x)²,        p waves 2 c_m (m J_m(x)/x)²

with x = k1 s r0, c_0 = 1, c_m = 2 (m > 0) (the radial dipole's in-plane projection on a
plane wave is cos(φ' − α) for the p wave and sin(φ' − α) for the s wave; integrating e^{imφ'}
against them gives i J_m' and −m J_m/x). The weights sum to one over m (Σ_m J_m² = 1,
Σ_m m² J_m² = x²/2), so the harmonics add up to :func:`sims.layered.layered_rate`, and with no
interfaces each harmonic is its free-space share :func:`sims.azimuthal.harmonic_weight` (both
are tests).

Why: near a metal the high harmonics carry the near-field (quenching) decay, which a grid
resolves slowly and which, for a harmonic whose field stays within a few r0/m of the ring, sees
only the stack directly above and below the emitter. :mod:`sims.azimuthal_sum` closes its sum
over simulated harmonics with these terms (:func:`planar_tail`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import jv, jvp

from sims.layered import Side, _Geometry, _integrate, _orient, _u_max, layered_rate

ORIENTATION_OF = {"z": "perpendicular", "x": "parallel", "y": "parallel"}


def harmonic_factors(m: int, x: np.ndarray, orientation: str) -> tuple[np.ndarray, np.ndarray]:
    """(s-wave, p-wave) weights of harmonic pair ±m at x = k∥ r0 (see the module docstring),
    relative to the point dipole's direction-averaged plane-wave power."""
    if orientation not in ORIENTATION_OF:
        raise ValueError(f"`orientation` must be one of {sorted(ORIENTATION_OF)}, but got "
                         f"{orientation!r}.")
    if m < 0:
        raise ValueError(f"`m` must be >= 0 (−m is counted with +m), but got m={m}.")
    c = 1.0 if m == 0 else 2.0
    jm = jv(m, x)
    if orientation == "z":
        return np.zeros_like(x), c * jm**2
    with np.errstate(invalid="ignore", divide="ignore"):
        over_x = np.where(x > 0, m * jm / np.where(x > 0, x, 1.0), 0.5 if m == 1 else 0.0)
    tangential, along = 2 * c * over_x**2, 2 * c * jvp(m, x) ** 2
    return (tangential, along) if orientation == "x" else (along, tangential)


def layered_harmonic_rate(m: int, *, radius_um: float, wavelength_um: float,
                          emitter_index: float, below: Side, above: Side | None = None,
                          orientation: str) -> float:
    """Decay rate of harmonic pair ±m of a dipole at ``radius_um`` from the axis, over the
    point dipole's bulk rate in the emitter's layer (their sum over m is
    :func:`sims.layered.layered_rate`).

    Args:
        m: harmonic (≥ 0; −m is counted with it).
        radius_um: the dipole's distance r0 from the axis (> 0).
        wavelength_um, emitter_index, below, above: as for :func:`sims.layered.layered_rate`.
        orientation: ``"z"`` (axial), ``"x"`` (radial) or ``"y"`` (azimuthal), as in
            :mod:`sims.azimuthal`.

    Example (10 nm air gap between Ag half-spaces, the dipole 30 nm from the axis):
        >>> ag = complex(-8.5744, 0.7765)
        >>> gap = dict(below=Side(distance_um=0.005, half_space_permittivity=ag),
        ...            above=Side(distance_um=0.005, half_space_permittivity=ag))
        >>> round(layered_harmonic_rate(1, radius_um=0.03, wavelength_um=0.52,
        ...                             emitter_index=1.0, orientation="z", **gap), 1)
        238.6
    """
    if not (math.isfinite(radius_um) and radius_um > 0):
        raise ValueError(f"`radius_um > 0` must hold, but got radius_um={radius_um!r}.")
    harmonic_factors(m, np.zeros(1), orientation)  # validates m and orientation
    kind = ORIENTATION_OF[orientation]
    _orient(kind)
    geo = _Geometry(wavelength_um=wavelength_um, emitter_index=emitter_index, below=below,
                    above=above)

    def integrand(s: np.ndarray, sz: np.ndarray) -> np.ndarray:
        s_wave, p_wave = geo.rate_parts(s, sz, kind)
        f_s, f_p = harmonic_factors(m, geo.k1 * radius_um * s.real, orientation)
        return s_wave * f_s + p_wave * f_p

    return _integrate(geo, integrand, u_max=_u_max(geo))


def planar_tail(first_unsummed: int, *, radius_um: float, wavelength_um: float,
                emitter_index: float, below: Side, above: Side | None = None,
                orientation: str) -> float:
    """Σ_{m ≥ first_unsummed} of :func:`layered_harmonic_rate`: the whole stack's rate less
    its harmonics m < ``first_unsummed``."""
    kwargs = dict(wavelength_um=wavelength_um, emitter_index=emitter_index, below=below,
                  above=above)
    total = layered_rate(orientation=ORIENTATION_OF[orientation],
                         **kwargs)  # type: ignore[arg-type]
    low = sum(layered_harmonic_rate(m, radius_um=radius_um, orientation=orientation,
                                    **kwargs)  # type: ignore[arg-type]
              for m in range(first_unsummed))
    return float(total - low)
