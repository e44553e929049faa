"""Pure numpy analysis of Meep outputs: mode choice, mode volume, collection into an NA.

No Meep import here; everything is testable on synthetic data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import special

from sims.results import Mode

MODE_SELECTION_RULE = (
    "Among Harminv modes with Q > 1 (or Q <= -1000 with harminv_error < 1e-3: a lossless mode "
    "whose decay the run cannot resolve, e.g. a PEC box), "
    "harminv_error < 0.1 and wavelength inside the window, keep those whose spectral peak "
    "|amplitude|·|Q|·λ (the height of the mode's Lorentzian in the emitter's spectrum) is at "
    "least 5% of the largest; pick the one nearest the target wavelength (ties: higher Q)."
)


def select_mode(modes: Sequence[Mode], *, target_um: float,
                window_um: tuple[float, float]) -> int | None:
    """Index of the mode chosen by :data:`MODE_SELECTION_RULE`, or None if none qualifies.

    Example:
        >>> ms = [Mode(wavelength_um=0.50, quality_factor=50, amplitude_abs=1.0, harminv_error=1e-4),
        ...       Mode(wavelength_um=0.53, quality_factor=900, amplitude_abs=0.5, harminv_error=1e-4),
        ...       Mode(wavelength_um=0.52, quality_factor=900, amplitude_abs=0.01, harminv_error=1e-4)]
        >>> select_mode(ms, target_um=0.52, window_um=(0.45, 0.6))
        1

    A weak, fast-decaying Harminv artefact (Q ~ 10) next to the target does not win over the
    long-lived mode that dominates the spectrum:

        >>> ms = [Mode(wavelength_um=0.521, quality_factor=12, amplitude_abs=0.3, harminv_error=0.01),
        ...       Mode(wavelength_um=0.530, quality_factor=3000, amplitude_abs=0.2, harminv_error=1e-6)]
        >>> select_mode(ms, target_um=0.52, window_um=(0.45, 0.6))
        1

    A lossless mode (Harminv returns a large negative Q with a tiny error) is a mode, not noise:

        >>> ms = [Mode(wavelength_um=0.513, quality_factor=14, amplitude_abs=119, harminv_error=9e-4),
        ...       Mode(wavelength_um=0.500, quality_factor=-4177, amplitude_abs=122, harminv_error=8e-6)]
        >>> select_mode(ms, target_um=0.51, window_um=(0.45, 0.56))
        1
    """
    lo, hi = window_um
    valid = [i for i, m in enumerate(modes)
             if (m.quality_factor > 1
                 or (m.quality_factor <= -1000 and abs(m.harminv_error) < 1e-3))
             and abs(m.harminv_error) < 0.1 and lo <= m.wavelength_um <= hi
             and math.isfinite(m.amplitude_abs)]
    if not valid:
        return None
    def peak(i: int) -> float:
        m = modes[i]
        return m.amplitude_abs * min(abs(m.quality_factor), 1e9) * m.wavelength_um

    peak_max = max(peak(i) for i in valid)
    strong = [i for i in valid if peak(i) >= 0.05 * peak_max]
    return min(strong, key=lambda i: (abs(modes[i].wavelength_um - target_um),
                                      -abs(modes[i].quality_factor)))


def mode_volume(*, eps: np.ndarray, e2: np.ndarray, weights: np.ndarray | float,
                emitter_eps: float, emitter_e2: float) -> tuple[float, float, int]:
    """Peak and emitter-referred mode volumes from sampled fields.

    Args:
        eps: real relative permittivity at the sample points.
        e2: |E|² at the sample points (any normalisation).
        weights: cubature weight (volume element) of each sample, or one number.
        emitter_eps: ε at the emitter.
        emitter_e2: |u·E|² at the emitter (u = dipole direction), same normalisation as e2.

    Returns:
        (V_peak, V_emitter, flat index of the peak). Points with ε <= 0 (metals) are left out of
        the energy integral: the caller must warn that V is then the volume in the dielectric.

    Example:
        >>> x = np.linspace(-1, 1, 2001); w = x[1] - x[0]
        >>> e2 = np.cos(np.pi * x / 2) ** 2             # ∫ = 1, max = 1
        >>> vp, ve, _ = mode_volume(eps=np.ones_like(x), e2=e2, weights=w, emitter_eps=1.0,
        ...                         emitter_e2=0.5)
        >>> round(vp, 4), round(ve, 4)
        (1.0, 2.0)
    """
    eps = np.real(np.asarray(eps, dtype=complex))
    u = np.where(eps > 0, eps, 0.0) * np.asarray(e2, dtype=float)
    total = float(np.sum(u * weights))
    peak_index = int(np.argmax(u))
    peak = float(u.flat[peak_index])
    if not (peak > 0 and total > 0):
        raise ValueError("mode volume undefined: the field energy is zero.")
    emitter_u = emitter_eps * emitter_e2
    v_emitter = total / emitter_u if emitter_u > 0 else math.inf
    return total / peak, v_emitter, peak_index


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
    """
    ap, am = er + 1j * ep, er - 1j * ep
    bp, bm = hr + 1j * hp, hr - 1j * hp
    k = (np.arange(n_k) + 0.5) * (na * k0 / n_k)
    dk = na * k0 / n_k
    kr = np.outer(k, r)
    jp = special.jv(m + 1, kr) * r * dr
    jm = special.jv(m - 1, kr) * r * dr
    a_p, b_p = jp @ ap, jp @ bp
    a_m, b_m = jm @ am, jm @ bm
    integrand = np.real(0.5j * (a_p * np.conj(b_p) - a_m * np.conj(b_m)))
    return float(2 * np.pi * np.sum(integrand * k) * dk)


NEGATIVE_LDOS_TOLERANCE = 0.05


def negative_ldos(wavelength_um: Sequence[float], purcell_total: Sequence[float]) -> str | None:
    """Say where a normalised LDOS spectrum is clearly negative, or None if it is not.

    A passive structure absorbs or radiates the dipole's power, so its LDOS is ≥ 0. A value
    below ``-NEGATIVE_LDOS_TOLERANCE × max(1, max LDOS)`` is beyond DFT noise: either the run gave
    energy to the dipole (a material model or boundary acting as gain) or a long-lived mode was
    cut before it decayed (the finite Fourier transform of its ring-down oscillates below zero).

    >>> negative_ldos((0.5, 0.6), [1.2, -0.01]) is None
    True
    >>> negative_ldos((0.5, 0.6), [1.2, -3.0])
    'the normalised LDOS is negative (-3 at 600.0 nm; largest value 1.2)'
    """
    values = [float(v) for v in purcell_total]
    low = min(range(len(values)), key=values.__getitem__)
    top = max(values)
    if values[low] >= -NEGATIVE_LDOS_TOLERANCE * max(1.0, top):
        return None
    return (f"the normalised LDOS is negative ({values[low]:.3g} at "
            f"{1e3 * wavelength_um[low]:.1f} nm; largest value {top:.3g})")
