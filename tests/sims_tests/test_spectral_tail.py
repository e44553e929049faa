"""The running-DFT limit (sims.spectral_tail) against closed-form DFTs of synthetic ring-downs.

The reference in every case is the exact infinite sum of the discrete DFT of a sum of damped
exponentials, Σ_n c e^{−iΩ t_n} e^{iω t_n} Δt = c Δt / (1 − e^{i(ω−Ω)Δt}) (a geometric
series; for the static term its Abel limit), evaluated independently of the fit.
"""

from __future__ import annotations

import numpy as np
import pytest

from sims.spectral_tail import extrapolate, model_poles

RTOL = 1e-8
DT = 0.02  # time step of the synthetic "run" (Meep units: 1 = one period at f = 1)
OMEGA = 2 * np.pi * np.linspace(0.9, 1.1, 201)


def _modes(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three resonances like the bullseye's: a broad one and two long-lived ones."""
    rng = np.random.default_rng(seed)
    f = np.array([0.97, 1.05, 1.02])
    q = np.array([15.0, 200.0, 60.0])
    poles = 2 * np.pi * f * (1 - 1j / (2 * q))
    amps = np.array([1.0, 0.3, 0.5]) * np.exp(1j * rng.uniform(0, 2 * np.pi, 3))
    return poles, amps


def _terms(poles: np.ndarray, amps: np.ndarray, real_field: bool, static: float
           ) -> list[tuple[complex, complex]]:
    terms = list(zip(amps, poles, strict=True))
    if real_field:
        terms += [(np.conj(a), -np.conj(p)) for a, p in zip(amps, poles, strict=True)]
    if static:
        terms.append((static, 0.0))
    return terms


def _running_dft(terms: list[tuple[complex, complex]], t_end: float) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    t = np.arange(0.0, t_end, DT)
    field = sum(a * np.exp(-1j * p * t) for a, p in terms)
    return t, np.cumsum(field[:, None] * np.exp(1j * np.outer(t, OMEGA)), axis=0) * DT


def _exact_limit(terms: list[tuple[complex, complex]]) -> np.ndarray:
    return sum(a * DT / (1 - np.exp(1j * (OMEGA - p) * DT)) for a, p in terms)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("real_field", [False, True])
def test_limit_of_a_truncated_ring_down_is_exact(seed: int, real_field: bool) -> None:
    poles, amps = _modes(seed)
    terms = _terms(poles, amps, real_field, static=0.02 if real_field else 0.0)
    t, running = _running_dft(terms, 60.0)
    pick = np.arange(len(t) - 1, int(30 / DT), -int(0.25 / DT))[::-1]  # 4 per period, 30-60
    fit = extrapolate(t[pick] + DT, running[pick], OMEGA,
                      model_poles(poles, real_field=real_field))
    exact = _exact_limit(terms)
    scale = np.max(np.abs(exact))
    truncated = np.max(np.abs(running[-1] - exact)) / scale
    error = np.max(np.abs(fit.limit - exact)) / scale
    print(f"seed {seed}, real {real_field}: truncated DFT off by {truncated:.3g}, "
          f"limit off by {error:.3g} (tolerance {RTOL})")
    assert truncated > 0.05  # the Q = 200 mode is far from rung down at 60 periods
    assert error < RTOL
    assert np.max(fit.residual) / scale < RTOL


def test_jittered_snapshot_times_are_handled() -> None:
    """Meep's step functions fire on the first step after each sampling time: uneven spacing."""
    poles, amps = _modes(3)
    terms = _terms(poles, amps, False, 0.0)
    t, running = _running_dft(terms, 50.0)
    rng = np.random.default_rng(7)
    pick = np.unique(np.clip(np.arange(int(25 / DT), len(t), int(0.25 / DT))
                             + rng.integers(0, 5, size=len(range(int(25 / DT), len(t),
                                                                int(0.25 / DT)))),
                             0, len(t) - 1))
    fit = extrapolate(t[pick] + DT, running[pick], OMEGA, poles)
    exact = _exact_limit(terms)
    error = np.max(np.abs(fit.limit - exact)) / np.max(np.abs(exact))
    print(f"jittered snapshots: limit off by {error:.3g} (tolerance {RTOL})")
    assert error < RTOL


def test_a_missing_resonance_shows_in_the_residual() -> None:
    """The gate the run uses: without the long-lived pole the model cannot describe the
    snapshots, and the residual says so (at the size of that mode's ringing)."""
    poles, amps = _modes(4)
    terms = _terms(poles, amps, False, 0.0)
    t, running = _running_dft(terms, 60.0)
    pick = np.arange(int(30 / DT), len(t), int(0.25 / DT))
    fit = extrapolate(t[pick] + DT, running[pick], OMEGA, poles[[0, 2]])  # Q = 200 left out
    scale = np.max(np.abs(_exact_limit(terms)))
    misfit = np.max(fit.residual) / scale
    print(f"missing pole: relative residual {misfit:.3g} (must exceed 1e-3)")
    assert misfit > 1e-3


def test_poles_that_decayed_before_the_window_are_dropped() -> None:
    fast = 2 * np.pi * (1.0 - 0.5j)  # Q = 1: gone after a few periods
    times = np.linspace(30, 60, 121)
    fit = extrapolate(times, np.ones((times.size, OMEGA.size), dtype=complex), OMEGA, [fast])
    assert fit.n_poles == 0
    assert np.allclose(fit.limit, 1.0)


def test_an_unresolved_long_lived_resonance_is_reported_with_its_tail() -> None:
    """A Q = 2e5 mode barely decays over a 30-period window: its tail is not measured, and
    ``unresolved_tail`` reports it no smaller than half its true size |b| = |c| / |ω − Ω|
    (larger near ω_k, where the mode looks constant over the window and cannot be told from
    the limit itself: the conservative side)."""
    poles, amps = _modes(5)
    poles = np.append(poles, 2 * np.pi * 1.0 * (1 - 1j / (2 * 2e5)))
    amps = np.append(amps, 0.05)
    terms = _terms(poles, amps, False, 0.0)
    t, running = _running_dft(terms, 60.0)
    pick = np.arange(int(30 / DT), len(t), int(0.25 / DT))
    fit = extrapolate(t[pick] + DT, running[pick], OMEGA, poles)
    slow = fit.unresolved_tail(0.5)
    expected = 0.05 / np.abs(OMEGA - poles[-1])
    ratio = slow / expected
    print(f"unresolved tail / |c|/|ω−Ω|: {ratio.min():.3f}-{ratio.max():.3f} (must be > 0.5)")
    assert np.all(ratio > 0.5)
    assert np.all(fit.unresolved_tail(1e-9) == 0)


def test_model_poles_adds_partners_only_for_real_fields() -> None:
    growing, decaying = 6.0 + 0.1j, 6.0 - 0.1j
    assert model_poles([growing, decaying], real_field=False).tolist() == [decaying, 0j]
    assert sorted(model_poles([decaying], real_field=True).tolist(), key=lambda z: z.real) == [
        -np.conj(decaying), 0j, decaying]


def test_shape_mismatch_is_refused() -> None:
    with pytest.raises(ValueError, match="snapshots must have shape"):
        extrapolate([0.0, 1.0], np.zeros((3, OMEGA.size)), OMEGA, [])
