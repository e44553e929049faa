"""When a ring-down is over: the decay test on the field at the emitter (pure numerics, no Meep).

A dipole current with a Gaussian envelope has a non-zero time integral, so it leaves a static
charge at the source point: after the pulse the field there tends to a constant, not to zero.
Measured on the presets (Meep 1.25): the smoothed SiN bullseye at 40 px/µm settles at
|E|² ≈ 6 × 10⁻⁶ of its post-pulse maximum, the Ag-disk-on-Au nanocube at 150 px/µm at 0.82 of it.
That static field carries no power at optical frequencies, but a decay test on |E|² never fires
on it (the nanocube ran to its time cap), and a test against the run's maximum *including* the
pulse's own near field (up to 10⁶ above the cavity field) fires far too soon (the bullseye
stopped after 2539 steps with its LDOS ~10 % off the converged run).

:class:`FieldDecay` therefore tests the sample-to-sample *change* of the field, sampled several
times per period: a constant drops out exactly, a ringing mode at frequency f sampled every
T/``SAMPLES_PER_PERIOD`` keeps an amplitude 2|sin(π f T / SAMPLES_PER_PERIOD)| ≈ 1.4 of its own
for f within ±10 % of the window centre, and the reference is the maximum *after* the source
(structure runs; a host reference run has no mode to ring down and keeps a fluctuating
low-frequency residual, so there the caller uses the whole run, pulse included).
"""

from __future__ import annotations

import math

SAMPLES_PER_PERIOD = 4
"""Field samples per optical period at the window centre (≥ 3 so no in-window mode aliases to
a constant: at 4, |Δ| ≥ 1.2 × the mode amplitude for f/f_centre in [0.8, 1.2])."""


class FieldDecay:
    """Decay of the oscillating (non-static) part of the field at one point.

    Args:
        decay_by: the ring-down is over when max |ΔE|² over the last ``window_samples``
            samples is below ``decay_by`` × its maximum over the samples after ``since``.
        window_samples: samples in the test window (e.g. 10 periods × SAMPLES_PER_PERIOD).
    """

    def __init__(self, *, decay_by: float, window_samples: int) -> None:
        if not 0 < decay_by < 1:
            raise ValueError(f"`0 < decay_by < 1` must hold, but got decay_by={decay_by!r}.")
        if window_samples < 2:
            raise ValueError("`window_samples >= 2` must hold, but got "
                             f"window_samples={window_samples!r}.")
        self.decay_by, self.window = decay_by, window_samples
        self.times: list[float] = []
        self.change: list[float] = []  # |E_k − E_{k−1}|², one per sample after the first
        self._last: complex | None = None

    def add(self, t: float, value: complex) -> None:
        """Record the field ``value`` sampled at time ``t`` (samples in increasing time)."""
        if self._last is not None:
            self.times.append(t)
            self.change.append(abs(value - self._last) ** 2)
        self._last = complex(value)

    def decayed(self, *, since: float = -math.inf) -> bool:
        """True when the oscillating field over the last window has decayed by ``decay_by``
        from its maximum after ``since`` (needs at least two windows of samples after it)."""
        ring = [c for t, c in zip(self.times, self.change, strict=True) if t >= since]
        if len(ring) < 2 * self.window:
            return False
        peak = max(ring)
        return peak == 0.0 or max(ring[-self.window:]) < self.decay_by * peak

    def regrowth(self, *, since: float = -math.inf) -> float:
        """How much the oscillating field grew back after it decayed: the largest |ΔE|² of
        the last window over the smallest window maximum since ``since`` (windows of
        ``window_samples`` counted back from the last sample; 1.0 with fewer than three
        windows, or while the field keeps decaying). A passive structure's ring-down does
        not grow back by orders of magnitude; a numerical instability does.

        Example (an oscillation that decays by 1e-6 in amplitude, then grows back ×1e4):
            >>> d = FieldDecay(decay_by=1e-6, window_samples=2)
            >>> amplitudes = [1, 1, 1e-6, 1e-6, 1e-6, 1e-6, 1e-2, 1e-2, 1e-2]
            >>> for k, a in enumerate(amplitudes):
            ...     d.add(float(k), complex((-1) ** k * a))
            >>> f"{d.regrowth():.0e}"
            '1e+08'
        """
        ring = [c for t, c in zip(self.times, self.change, strict=True) if t >= since]
        n = len(ring) // self.window
        if n < 3:
            return 1.0
        maxima = [max(ring[len(ring) - (k + 1) * self.window:len(ring) - k * self.window])
                  for k in range(n)][::-1]  # oldest first; the last is the current window
        low = min(maxima[:-1])
        if low == 0.0:
            return math.inf if maxima[-1] > 0 else 1.0
        return max(1.0, maxima[-1] / low)
