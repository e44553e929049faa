"""The limit of a running DFT from a truncated ring-down: fit its known resonances (pure).

After the source is off, the field a monitor sees is a sum of decaying resonances,
``E(t) = Σ_k c_k exp(−iΩ_k t)`` with complex frequencies ``Ω_k = ω_k − iγ_k`` (Meep's
``exp(−iωt)`` convention), plus, for real fields, their partners ``−Ω_k*``, and the static
field a pulsed dipole leaves at its own position (``Ω = 0``). Meep accumulates the DFT
``F(ω, T) = Σ_{t_n ≤ T} E(t_n) exp(iω t_n) Δt``, so every resonance adds a term that rings and
decays in T:

    F(ω, T) = F(ω, ∞) + Σ_k b_k(ω) exp(i(ω − Ω_k) T).

With the poles Ω_k known (Harminv on the field at the emitter: they are global, the same for
every monitor and every frequency), snapshots of F at times T_j make this a *linear* least-
squares problem per frequency for ``F(ω, ∞)`` and the b_k. That limit is what an infinitely
long run would give; it lets a run stop once the limit is stable instead of once the slowest
resonance (Q ≈ 200 in the bullseye, which rings for hundreds of periods after everything the
emitter cares about has converged) has died out. For the static term, whose partial sums
oscillate forever, the fitted constant is the Abel-regularised limit, which is the physical
one (a static field carries no power at optical frequencies).

The fit's own check is its residual (how well poles + constant describe the snapshots); the
run's check is that the limit stays put from one check to the next (``sims._meep_backend``).
Related technique: Padé extrapolation of truncated DFTs (Meep ≥ 1.27's ``mp.PadeDFT``, not in
the Debian build); here the poles come from Harminv, which the run computes anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_DECAY_OVER_WINDOW = 40.0
"""A pole whose amplitude decays by more than exp(40) over the fit window is dropped: it was
gone before the window's second half and its column would only be round-off."""


@dataclass(frozen=True)
class TailFit:
    """The extrapolated spectrum and how well the snapshots fit the model.

    Attributes:
        limit: F(ω, ∞) per frequency.
        correction: limit − the last snapshot, per frequency.
        residual: per frequency, RMS misfit of the snapshots (same units as F).
        n_poles: number of poles used.
        decay: per pole, γ·(T_last − T_first): how far it decayed over the window (0 for the
            static term). Near 0 the window cannot tell its Q (a lossless mode has no limit
            at all).
        tails: per frequency and pole, |b_k(ω)|: what that pole still adds to F after the
            last snapshot (same units as F).
    """

    limit: np.ndarray
    correction: np.ndarray
    residual: np.ndarray
    n_poles: int
    decay: np.ndarray
    tails: np.ndarray

    def unresolved_tail(self, min_decay: float) -> np.ndarray:
        """Per frequency, the largest tail of a resonance that decayed by less than
        ``min_decay`` over the window (the static term excluded: its limit is the Abel one):
        the part of the limit the window does not measure."""
        slow = (self.decay < min_decay) & (self.decay > 0)
        if not slow.any():
            return np.zeros(self.limit.size)
        return np.max(self.tails[:, slow], axis=1)


def model_poles(poles: Sequence[complex], *, real_field: bool) -> np.ndarray:
    """The exponents the DFT snapshots contain: Ω_k (angular, Meep units: 2π × Harminv's
    complex frequency), for a real field also −Ω_k*, and the static 0. A complex-field run
    (cylindrical) has a static term too: the Gaussian pulse, cut at ±``cutoff`` widths, leaves a
    small net charge at the source (measured: the TiO2 pillar at 150 px/µm kept a constant
    field at the emitter, std/mean 3e-3 over the last 60 periods, that no pole described).

    Example:
        >>> model_poles([2.0 - 0.1j], real_field=True).tolist()
        [(2-0.1j), (-2-0.1j), 0j]
        >>> model_poles([2.0 - 0.1j, 2.0 + 0.1j], real_field=False).tolist()
        [(2-0.1j), 0j]
    """
    p = np.asarray(list(poles), dtype=complex)
    p = p[p.imag < 0]  # decaying only: a growing or lossless Harminv mode is no ring-down
    if real_field:
        p = np.concatenate([p, -np.conj(p)])
    return np.concatenate([p, [0.0]])


def extrapolate(times: Sequence[float], snapshots: np.ndarray, omega: Sequence[float],
                poles: Sequence[complex], *, rcond: float = 1e-10) -> TailFit:
    """Fit F(ω, T_j) = F∞(ω) + Σ_k b_k(ω) exp(i(ω − Ω_k)(T_j − T_last)) for every ω.

    Args:
        times: snapshot times T_j (increasing; any spacing).
        snapshots: F(ω, T_j), shape (len(times), len(omega)), complex.
        omega: angular frequencies of the DFT (same time unit as ``times``).
        poles: complex angular frequencies Ω (Im < 0 decays; 0 for a static term), e.g.
            from :func:`model_poles`.
        rcond: relative cut-off of small singular values (columns scaled to unit norm).

    Returns:
        :class:`TailFit`.

    Example (one resonance, sampled late in its ring-down):
        >>> import numpy as np
        >>> Om, w = 6.0 - 0.05j, np.array([5.8, 6.0, 6.2])
        >>> exact = 1j / (w - Om)                    # ∫_0^∞ exp(−iΩt) exp(iωt) dt
        >>> T = np.linspace(20, 40, 41)
        >>> F = exact[None, :] + (np.exp(1j * (w[None, :] - Om) * T[:, None])
        ...                       / (1j * (w[None, :] - Om)))
        >>> fit = extrapolate(T, F, w, [Om])
        >>> bool(np.allclose(fit.limit, exact, rtol=1e-9))
        True
    """
    t = np.asarray(times, dtype=float)
    f = np.asarray(snapshots, dtype=complex)
    w = np.asarray(omega, dtype=float)
    if f.shape != (t.size, w.size):
        raise ValueError(f"snapshots must have shape (len(times), len(omega)) = "
                         f"({t.size}, {w.size}), but got {f.shape}.")
    if t.size < 2 or not np.all(np.diff(t) > 0):
        raise ValueError("`times` must hold >= 2 strictly increasing values, but got "
                         f"{t.size} values.")
    p = np.asarray(list(poles), dtype=complex)
    span = t[-1] - t[0]
    p = p[-p.imag * span <= MAX_DECAY_OVER_WINDOW]
    dt = t - t[-1]  # <= 0: columns are 1 at the last snapshot and grow backwards
    # phase[j, i, k] = exp(i(ω_i − Ω_k) dt_j)
    cols = np.exp(1j * (w[None, :, None] - p[None, None, :]) * dt[:, None, None])
    design = np.concatenate([np.ones((t.size, w.size, 1), dtype=complex), cols], axis=2)
    norms = np.linalg.norm(design, axis=0)  # (n_omega, 1 + K)
    design = design / norms[None, :, :]
    limit = np.empty(w.size, dtype=complex)
    residual = np.empty(w.size)
    tails = np.empty((w.size, p.size))
    for i in range(w.size):
        a = design[:, i, :]
        coef, *_ = np.linalg.lstsq(a, f[:, i], rcond=rcond)
        limit[i] = coef[0] / norms[i, 0]
        tails[i] = np.abs(coef[1:] / norms[i, 1:])  # each column is 1 at the last snapshot
        residual[i] = float(np.sqrt(np.mean(np.abs(a @ coef - f[:, i]) ** 2)))
    return TailFit(limit=limit, correction=limit - f[-1], residual=residual,
                   n_poles=int(p.size), decay=-p.imag * span, tails=tails)
