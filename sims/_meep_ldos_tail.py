"""The LDOS an infinitely long ring-down would give, from the run so far (Meep side).

Records, at every field sample of the run (SAMPLES_PER_PERIOD per optical period), the field
at the emitter and Meep's running LDOS DFT ``F(ω, T)``; on request it finds the resonances of
the recent ring-down with Harminv and fits ``F(ω, ∞)`` (:mod:`sims.spectral_tail`). Meep's LDOS
is ``s · Re[F J*] / |J|²`` with J (the source spectrum) fixed once the source is off and s a
constant (``src/dft_ldos.cpp``), so the LDOS limit follows from the limit of F.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import meep as mp
import numpy as np

from sims.spectral_tail import extrapolate, model_poles

HARMINV_ERROR_THRESHOLD = 1e20
"""Keep every Harminv pole: on 4 samples per period Harminv's error estimate rejects exact
poles (measured on a synthetic two-mode signal), and an extra pole only adds a column to the
per-frequency fit."""
MAX_FIT_SNAPSHOTS = 120
MAX_STRIDE = 7
"""At most MAX_FIT_SNAPSHOTS snapshots enter the per-frequency fit (each check costs ~0.06 s
for 401 frequencies; 240 cost 0.12 s, ~9 % of a bullseye screen run): a longer window is
thinned by an odd stride of at most MAX_STRIDE samples (1.75 periods), and beyond that only
its most recent part is fitted. Odd, because an even stride of quarter periods aliases a real
field's partner poles −Ω* onto its own; at most 7, so that no two poles of the source band
(±15 % of the centre), nor the static term, alias onto each other."""
MIN_WINDOW_DECAY = 0.5
"""A resonance that decayed in amplitude by less than exp(−0.5) over the fit window (γ·window
< 0.5, i.e. Q > 2π × window periods) has no measured Q, and so no measured tail (a lossless
mode has no limit at all): the limit is trusted only where such resonances add less than the
tolerance (:attr:`LdosLimit.unresolved`). Harminv also returns weak noise poles of Q ~ 10⁴
(|amplitude| ~ 1e-7 on the pillar), which must not block the extrapolation by their mere
presence."""


@dataclass(frozen=True)
class LdosLimit:
    """The extrapolated LDOS spectrum and its fit quality, in Meep's LDOS units.

    Attributes:
        ldos: the limit per frequency.
        raw: the running LDOS when the limit was computed.
        residual: per frequency, the RMS misfit of the snapshots mapped to LDOS units (an
            upper bound).
        n_poles: resonances (with partners) in the model.
        unresolved: per frequency, the LDOS still to come from resonances that decayed too
            little over the window for their tail to be known (:data:`MIN_WINDOW_DECAY`).
    """

    ldos: np.ndarray
    raw: np.ndarray
    residual: np.ndarray
    n_poles: int
    unresolved: np.ndarray

    @property
    def correction(self) -> float:
        """max |limit − raw| over the spectrum, relative to the limit's maximum."""
        return float(np.max(np.abs(self.ldos - self.raw)) / max(np.max(np.abs(self.ldos)),
                                                                 1e-300))

    @property
    def misfit(self) -> float:
        """max over the spectrum of the fit residual plus the unresolved tail, relative to the
        limit's maximum: what the limit may still be off by."""
        return float(np.max(self.residual + self.unresolved)
                     / max(np.max(np.abs(self.ldos)), 1e-300))


class LdosTail:
    """Snapshots of the LDOS DFT and the emitter field, and their extrapolation.

    Args:
        ldos: Meep's ``dft_ldos`` object of the run.
        freqs_mu: its frequencies (Meep units).
        band_mu: (f_min, f_max) searched for resonances (the source bandwidth).
        real_field: whether Meep's fields are real (then the modes' partners −Ω* and the
            static field of the pulsed dipole are part of the model).
        keep_samples: the most recent samples kept (the longest fit window).
    """

    def __init__(self, ldos: Any, freqs_mu: np.ndarray, *, band_mu: tuple[float, float],
                 real_field: bool, keep_samples: int) -> None:
        self.ldos, self.band, self.real_field = ldos, band_mu, real_field
        self.omega = 2 * math.pi * np.asarray(freqs_mu, dtype=float)
        self.elapsed_s = 0.0  # wall time spent here (recording and fitting), for provenance
        self.times: deque[float] = deque(maxlen=keep_samples)
        self.values: deque[complex] = deque(maxlen=keep_samples)
        self.snaps: deque[np.ndarray] = deque(maxlen=keep_samples)

    def record(self, t: float, value: complex) -> None:
        """Store the field at the emitter and the running DFT at Meep time ``t``."""
        start = time.monotonic()
        self.times.append(t)
        self.values.append(complex(value))
        self.snaps.append(np.asarray(mp._dft_ldos_F(self.ldos), dtype=complex))
        self.elapsed_s += time.monotonic() - start

    def limit(self, *, since: float) -> LdosLimit | None:
        """The extrapolated LDOS from the samples after ``since`` (None: fewer than 16)."""
        start = time.monotonic()
        try:
            return self._limit(since)
        finally:
            self.elapsed_s += time.monotonic() - start

    def _limit(self, since: float) -> LdosLimit | None:
        t = np.asarray(self.times)
        keep = np.flatnonzero(t >= since)
        if keep.size < 16:
            return None
        values = np.asarray(self.values)[keep]
        dt = float(np.median(np.diff(t[keep])))
        found = mp.py_do_harminv(list(values), dt, self.band[0], self.band[1], 100, 1.1, 2.0,
                                 1e20, HARMINV_ERROR_THRESHOLD, -1.0, -1.0)
        poles = model_poles([2 * math.pi * complex(f) for f, _amp, _err in found],
                            real_field=self.real_field)
        stride = max(1, math.ceil(keep.size / MAX_FIT_SNAPSHOTS))
        stride = min(stride + 1 - stride % 2, MAX_STRIDE)  # odd
        use = keep[::-1][::stride][:MAX_FIT_SNAPSHOTS][::-1]  # ends on the latest snapshot
        fit = extrapolate(t[use], np.asarray([self.snaps[i] for i in use]), self.omega, poles)
        jdft = np.asarray(mp._dft_ldos_J(self.ldos), dtype=complex)
        raw = np.asarray(mp._dft_ldos_ldos(self.ldos), dtype=float)
        now = np.asarray(mp._dft_ldos_F(self.ldos), dtype=complex)
        proj = np.real(now * np.conj(jdft)) / np.abs(jdft) ** 2
        strong = np.abs(proj) >= 0.1 * np.max(np.abs(proj))
        scale = float(np.median(raw[strong] / proj[strong]))  # Meep's constant LDOS factor
        limit = scale * np.real(fit.limit * np.conj(jdft)) / np.abs(jdft) ** 2
        to_ldos = abs(scale) / np.abs(jdft)  # |Re[x J*]|/|J|² <= |x|/|J|
        return LdosLimit(ldos=limit, raw=raw, residual=to_ldos * fit.residual,
                         n_poles=fit.n_poles,
                         unresolved=to_ldos * fit.unresolved_tail(MIN_WINDOW_DECAY))
