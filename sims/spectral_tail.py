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
        slowest_decay: the smallest γ·(T_last − T_first) among the decaying poles (inf if
            none): how far the longest-lived resonance decayed over the window. Near 0 the
            window cannot tell its Q (a lossless mode has no limit at all): do not trust the
            limit then.
    """

    limit: np.ndarray
    correction: np.ndarray
    residual: np.ndarray
    n_poles: int
    slowest_decay: float


def model_poles(poles: Sequence[complex], *, real_field: bool) -> np.ndarray:
    """The exponents the DFT snapshots contain: Ω_k (angular, Meep units: 2π × Harminv's
    complex frequency), and for a real field also −Ω_k* and the static 0.

    Example:
        >>> model_poles([2.0 - 0.1j], real_field=True).tolist()
        [(2-0.1j), (-2-0.1j), 0j]
    """
    p = np.asarray(list(poles), dtype=complex)
    p = p[p.imag < 0]  # decaying only: a growing or lossless Harminv mode is no ring-down
    if real_field:
        p = np.concatenate([p, -np.conj(p), [0.0]])
    return p


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
    for i in range(w.size):
        a = design[:, i, :]
        coef, *_ = np.linalg.lstsq(a, f[:, i], rcond=rcond)
        limit[i] = coef[0] / norms[i, 0]
        residual[i] = float(np.sqrt(np.mean(np.abs(a @ coef - f[:, i]) ** 2)))
    decaying = -p.imag[p != 0] * span
    return TailFit(limit=limit, correction=limit - f[-1], residual=residual,
                   n_poles=int(p.size),
                   slowest_decay=float(decaying.min()) if decaying.size else float("inf"))
