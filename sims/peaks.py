"""Peak analysis of LDOS spectra and the resonance pick (pure numpy; no Meep).

The resonance a design is scored at must describe the device, not the run: Harminv on a
ring-down of several overlapping low-Q modes (bullseye, Mie pillar, plasmonic gaps) returns a
different set of modes for every ring-down length and grid (measured: 517.0/528.5/512.4 nm for
150/50/20 periods). The LDOS spectrum, the Purcell enhancement the emitter actually sees, is a
converged quantity once the fields have decayed, so the pick is made on it:
:data:`RESONANCE_RULE`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sims.results import Mode

PROMINENCE_FRACTION = 0.1
"""A spectral peak counts if it rises above its surroundings by this fraction of the
spectrum's range (highest interior maximum − minimum): smaller bumps are ripples of
neighbouring modes."""
TIE_FRACTION = 0.02
"""Peaks whose heights differ by less than this fraction are tied; the one nearest the target
wins."""
Q_AGREEMENT = 2.0
"""A Harminv mode is the LDOS peak only if its Q and the peak's λ/FWHM agree within this
factor."""
COMPOSITE_AMPLITUDE_FRACTION = 0.3
"""A resolved peak is *composite* when a second Harminv mode within its half-width has at
least this fraction of the strongest one's |amplitude| (a mode's share of the LDOS peak area
goes as its amplitude; its height as amplitude × Q): no single mode is the peak, and its Q is
λ/FWHM. Measured on bullseye_sin_520: its
520 nm peak is formed by modes at ~510 nm (Q ≈ 15) and ~538 nm (Q ≈ 16-22) with a Q ≈ 160
mode at 534 nm; picking one of them by Q gave 15.4/14.8/8.1/15.1/12.5 (the last two from a
487 nm mode) at 60/80/120/160/200 px/µm, while λ/FWHM was 8.37/8.18/8.10/8.15/8.12."""
RESOLVED_LINEWIDTH_SAMPLES = 3.0
"""A mode whose linewidth λ/Q spans fewer LDOS samples than this is not resolved by the
spectrum: its Harminv mode is used directly."""

RESONANCE_RULE = (
    "The resonance is the highest prominent peak of the LDOS (total Purcell) spectrum inside "
    "the window (a local maximum that rises above its surroundings by >= 10% of the spectrum's "
    "range, from its minimum to its highest interior maximum; heights within 2% are tied and "
    "the peak nearest the target wins); its wavelength is the centroid of the peak above half "
    "height (the centre of a Lorentzian; stable for a flat-topped band). Q is that of the "
    "Harminv mode within the peak's half-width whose Q agrees with the peak's λ/FWHM within a "
    "factor 2 (the strongest one if the LDOS grid does not resolve the peak), else, or if "
    "several Harminv modes form the peak (a second one within its half-width with >= 30% of "
    "the strongest one's |amplitude|), λ/FWHM of the peak itself. If the LDOS is not valid "
    "(cut at the time cap), or it has no prominent "
    "peak and Harminv's mode is too narrow for the LDOS grid to resolve (λ/Q < 3 samples, or "
    "lossless), the Harminv rule applies; a valid LDOS with no prominent peak and a resolved "
    "Harminv mode gives no resonance (that mode is not a feature the emitter sees). "
    "Harminv rule: ")


@dataclass(frozen=True)
class Peak:
    """One LDOS-spectrum peak (wavelengths in µm): its centre (centroid above half height),
    its maximum, how far it rises above its surroundings, and its full width at half height."""

    wavelength_um: float
    height: float
    prominence: float
    fwhm_um: float | None

    @property
    def quality_factor(self) -> float | None:
        return None if not self.fwhm_um else self.wavelength_um / self.fwhm_um


def _sorted(wavelength_um: Sequence[float], values: Sequence[float]
            ) -> tuple[np.ndarray, np.ndarray]:
    lam = np.asarray(wavelength_um, dtype=float)
    f = np.asarray(values, dtype=float)
    order = np.argsort(lam)
    return lam[order], f[order]


def _fwhm(lam: np.ndarray, f: np.ndarray, i: int, base: float) -> float | None:
    """Full width at half height above ``base`` around index i (None if not crossed)."""
    half = 0.5 * (f[i] + base)
    left = np.nonzero(f[:i] < half)[0]
    right = np.nonzero(f[i:] < half)[0]
    if left.size == 0 or right.size == 0:
        return None
    a, b = left[-1], i + right[0]
    lam_l = np.interp(half, [f[a], f[a + 1]], [lam[a], lam[a + 1]])
    lam_r = np.interp(half, [f[b], f[b - 1]], [lam[b], lam[b - 1]])
    width = float(lam_r - lam_l)
    return width if width > 0 else None


def _centroid(lam: np.ndarray, f: np.ndarray, i: int, base: float) -> float:
    """Centre of the contiguous region around index i where f is above half height (above
    ``base``), weighted by the height above that level: the centre of a Lorentzian, and a
    stable centre for a flat-topped band of overlapping modes, whose maximum jumps between
    its humps from one grid to the next (measured on the bullseye preset)."""
    half = 0.5 * (f[i] + base)
    a = i
    while a > 0 and f[a - 1] >= half:
        a -= 1
    b = i
    while b < len(f) - 1 and f[b + 1] >= half:
        b += 1
    lo = np.interp(half, [f[a - 1], f[a]], [lam[a - 1], lam[a]]) if a > 0 else lam[a]
    hi = np.interp(half, [f[b + 1], f[b]], [lam[b + 1], lam[b]]) if b < len(f) - 1 else lam[b]
    x = np.concatenate(([lo], lam[a:b + 1], [hi]))
    w = np.concatenate(([0.0], f[a:b + 1] - half, [0.0]))
    area = np.trapz(w, x)
    return float(np.trapz(w * x, x) / area) if area > 0 else float(lam[i])


def spectral_peaks(wavelength_um: Sequence[float], purcell: Sequence[float]) -> list[Peak]:
    """Prominent interior local maxima of a spectrum, highest first.

    Example:
        >>> lam = np.linspace(0.47, 0.57, 401)
        >>> f = 1 + 2 / (1 + ((lam - 0.50) / 0.005) ** 2) + 1 / (1 + ((lam - 0.54) / 0.005) ** 2)
        >>> [round(p.wavelength_um, 4) for p in spectral_peaks(lam, f)]
        [0.5, 0.54]
    """
    from scipy.signal import find_peaks

    lam, f = _sorted(wavelength_um, purcell)
    if len(f) < 3:
        return []
    maxima, _ = find_peaks(f)
    if maxima.size == 0:
        return []
    # The range counts the window's edges only up to the highest interior maximum: the tail of
    # a feature outside the window must not hide a mode inside it (the old bullseye preset's
    # Q ~ 200 mode at 487 nm lay below the 470 nm edge; it stays too weak to count, prominence
    # 0.06-0.09 against a threshold of 0.12-0.13 at 40/60 px/µm, so it is no resonance).
    span = float(f[maxima].max() - f.min())
    if not span > 0:
        return []
    idx, props = find_peaks(f, prominence=PROMINENCE_FRACTION * span)
    peaks = []
    for i, prom in zip(idx, props["prominences"], strict=True):
        base = f[i] - prom
        peaks.append(Peak(wavelength_um=_centroid(lam, f, int(i), base), height=float(f[i]),
                          prominence=float(prom), fwhm_um=_fwhm(lam, f, int(i), base)))
    return sorted(peaks, key=lambda p: -p.height)


def resonance_peak(wavelength_um: Sequence[float], purcell: Sequence[float], *,
                   target_um: float) -> Peak | None:
    """The peak :data:`RESONANCE_RULE` picks, or None if the spectrum has no prominent peak."""
    peaks = spectral_peaks(wavelength_um, purcell)
    if not peaks:
        return None
    top = peaks[0].height
    tied = [p for p in peaks if p.height >= (1 - TIE_FRACTION) * top]
    return min(tied, key=lambda p: abs(p.wavelength_um - target_um))


def harminv_mode_on_peak(modes: Sequence[Mode], peak: Peak, *,
                         unresolved: bool = False) -> int | None:
    """Index of the Harminv mode that *is* this peak, or None.

    Candidates are valid Harminv modes within the peak's half-width. If more than one carries
    a sizeable share of the peak (:data:`COMPOSITE_AMPLITUDE_FRACTION`), none is the peak. Else
    the one whose Q is closest to the peak's own λ/FWHM (in log) is taken if the two agree
    within a factor :data:`Q_AGREEMENT`: a weak narrow mode riding on a broad peak of
    overlapping modes is not that peak. When the LDOS grid does not resolve the peak (``unresolved``), its width says
    nothing and the strongest candidate (|amplitude|·Q) is taken.
    """
    half = 0.5 * (peak.fwhm_um or 0.0)
    near = [i for i, m in enumerate(modes)
            if m.method == "harminv" and m.quality_factor > 1 and abs(m.harminv_error) < 0.1
            and math.isfinite(m.amplitude_abs) and abs(m.wavelength_um - peak.wavelength_um)
            <= half]
    if not near:
        return None
    q_peak = peak.quality_factor
    if unresolved or not q_peak:
        return max(near, key=lambda i: modes[i].amplitude_abs * modes[i].quality_factor)
    top = max(modes[i].amplitude_abs for i in near)
    if sum(modes[i].amplitude_abs >= COMPOSITE_AMPLITUDE_FRACTION * top for i in near) > 1:
        return None  # several modes form the peak: its Q is λ/FWHM
    best = min(near, key=lambda i: abs(math.log(modes[i].quality_factor / q_peak)))
    ratio = modes[best].quality_factor / q_peak
    return best if 1 / Q_AGREEMENT <= ratio <= Q_AGREEMENT else None


def ldos_peak_mode(wavelength_um: Sequence[float], purcell: Sequence[float]) -> Mode | None:
    """The LDOS maximum inside the window as a Mode (Q = λ/FWHM above the spectrum's minimum),
    or None if the maximum sits at the window's edge or its half-maximum is not crossed on both
    sides (no resolved peak)."""
    lam, f = _sorted(wavelength_um, purcell)
    i = int(np.argmax(f))
    if i == 0 or i == len(f) - 1:
        return None
    fwhm = _fwhm(lam, f, i, float(f.min()))
    if fwhm is None:
        return None
    return Mode(wavelength_um=float(lam[i]), quality_factor=float(lam[i] / fwhm),
                amplitude_abs=float(f[i]), harminv_error=0.0, method="ldos_peak")


def peak_as_mode(peak: Peak, harminv: Mode | None = None) -> Mode:
    """The resonance record of a peak: its centre and height, and Q = λ/FWHM of the peak, or
    the Q of the Harminv mode that is this peak (:func:`harminv_mode_on_peak`)."""
    q = harminv.quality_factor if harminv is not None else (peak.quality_factor or 0.0)
    return Mode(wavelength_um=peak.wavelength_um, quality_factor=q, amplitude_abs=peak.height,
                harminv_error=0.0 if harminv is None else harminv.harminv_error,
                method="ldos_peak" if harminv is None else "ldos_peak+harminv_q")
