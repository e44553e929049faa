"""The ring-down decay test on synthetic fields (no Meep): a damped mode on a static offset."""

import math

import numpy as np
import pytest

from sims.ring_down import SAMPLES_PER_PERIOD, FieldDecay

PERIOD = 1.0
WINDOW = 10 * SAMPLES_PER_PERIOD


def _run(field, t_end, *, decay_by=1e-6, since=0.0):
    """Feed ``field(t)`` sampled SAMPLES_PER_PERIOD times per period; return the first time
    at which the test (checked once per window, as the Meep run does) says decayed, or None."""
    decay = FieldDecay(decay_by=decay_by, window_samples=WINDOW)
    dt = PERIOD / SAMPLES_PER_PERIOD
    for k in range(int(t_end / dt)):
        t = k * dt
        decay.add(t, field(t))
        if k % WINDOW == 0 and decay.decayed(since=since):
            return t
    return None


def test_damped_mode_on_static_offset_stops_when_its_power_decayed():
    """A Q = 200 mode at 0.93 × the window centre on a static field 10⁴ × larger than the mode's
    final value: the test fires when the mode's power has dropped by decay_by (analytic time
    ln(1/decay_by)/(2γ)), within the one window (10 periods) the check runs at, plus one more
    (the window's maximum sits at its start)."""
    f, q = 0.93, 200.0
    gamma = math.pi * f / q  # field amplitude decay rate
    static = 1e-2
    t_stop = _run(lambda t: static + math.exp(-gamma * t) * math.cos(2 * math.pi * f * t), 3000.0)
    expected = math.log(1e6) / (2 * gamma)
    print(f"stopped at t = {t_stop}, analytic {expected:.1f} (window {WINDOW / SAMPLES_PER_PERIOD})")
    assert t_stop is not None
    assert expected <= t_stop <= expected + 2 * WINDOW / SAMPLES_PER_PERIOD


def test_static_field_left_by_the_pulse_does_not_block_the_stop():
    """|E|² → constant (the nanocube's plateau at 0.82 of the post-pulse maximum): a test on |E|²
    never fires; the test on the field's change does, once the oscillation has gone."""
    field = lambda t: 0.9 + math.exp(-0.5 * t) * math.sin(2 * math.pi * 1.05 * t)  # noqa: E731
    power = np.array([field(t) ** 2 for t in np.arange(0, 400, 0.25)])
    assert power[-WINDOW:].max() > 1e-6 * power.max()  # the |E|² test cannot fire
    assert _run(field, 400.0) is not None


@pytest.mark.parametrize("f_over_centre", [0.8, 1.0, 1.2])
def test_undamped_mode_never_looks_decayed(f_over_centre):
    """A mode exactly at the window centre, sampled 4 times a period, does not alias to a
    constant (a once-per-period sample would see it as static and stop the run)."""
    assert _run(lambda t: math.cos(2 * math.pi * f_over_centre * t + 0.3), 500.0) is None


def test_reference_is_the_post_pulse_maximum():
    """A pulse 10⁸ above the cavity field before ``since``: against the run's maximum the Q = 500
    mode would count as decayed at once; against its post-pulse maximum it does not."""
    def field(t):
        pulse = 1e4 * math.exp(-((t - 5.0) / 1.5) ** 2) * math.cos(2 * math.pi * t)
        ring = math.exp(-math.pi * t / 500.0) * math.cos(2 * math.pi * 0.97 * t) if t > 10 else 0
        return pulse + ring
    assert _run(field, 200.0, since=-math.inf) is not None
    assert _run(field, 200.0, since=12.0) is None


@pytest.mark.parametrize("kwargs", [{"decay_by": 0.0, "window_samples": 10},
                                    {"decay_by": 1.0, "window_samples": 10},
                                    {"decay_by": 1e-6, "window_samples": 1}])
def test_rejects_meaningless_settings(kwargs):
    with pytest.raises(ValueError, match="must hold"):
        FieldDecay(**kwargs)


def _regrowth_after(field, t_end):
    decay = FieldDecay(decay_by=1e-30, window_samples=WINDOW)
    dt = PERIOD / SAMPLES_PER_PERIOD
    worst = 1.0
    for k in range(int(t_end / dt)):
        decay.add(k * dt, field(k * dt))
        if k % WINDOW == 0:
            worst = max(worst, decay.regrowth(since=0.0))
    return worst


def test_regrowth_catches_an_instability_and_not_a_ring_down_or_a_beat():
    """A mode that decays by 1e-10 in power and then grows at the rate it decayed (the shape of
    the planar stacks' late-time PML instability) reads as grown back by the analytic
    e^{2γ(t − t_min)} over its minimum, less the one window it lags (within 5 %); a pure
    ring-down on a static offset, and two equal-amplitude modes beating every 40 periods, stay
    far below the backend's limit (sims._meep_backend.REGROWTH_LIMIT = 1e3)."""
    q, f = 50.0, 1.0
    gamma = math.pi * f / q  # amplitude decay rate
    t_min = math.log(1e5) / gamma  # power down by 1e-10

    def unstable(t):
        rate = -gamma * t if t < t_min else -gamma * t_min + gamma * (t - t_min)
        return 0.5 + math.exp(rate) * np.exp(2j * math.pi * f * t)

    grown = _regrowth_after(unstable, t_min + 90 * PERIOD)
    # the last full window's maximum lags the growth by one window (10 periods)
    expected = math.exp(2 * gamma * (90 - WINDOW / SAMPLES_PER_PERIOD) * PERIOD)
    assert grown == pytest.approx(expected, rel=0.05), (grown, expected)
    assert grown > 1e3

    def ring(t):
        return 0.5 + math.exp(-gamma * t) * np.exp(2j * math.pi * f * t)

    assert _regrowth_after(ring, t_min) < 2.0

    def beat(t):  # two modes 1/40 apart in frequency (a beat every 40 periods), equal decay
        return math.exp(-0.2 * gamma * t) * (np.exp(2j * math.pi * f * t)
                                              + np.exp(2j * math.pi * f * 1.025 * t))

    assert _regrowth_after(beat, 200 * PERIOD) < 1e3
