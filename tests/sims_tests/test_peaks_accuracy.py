"""The resonance pick on LDOS spectra and the Richardson error estimate, on synthetic data
whose answer is known (no Meep)."""

from __future__ import annotations

import numpy as np
import pytest

from sims.accuracy import estimate, observed_order, richardson
from sims.peaks import harminv_mode_on_peak, resonance_peak, spectral_peaks
from sims.results import Mode

LAM = np.linspace(0.47, 0.57, 401)


def lorentz(lam0: float, q: float, height: float) -> np.ndarray:
    hw = lam0 / q / 2
    return height / (1 + ((LAM - lam0) / hw) ** 2)


def test_peak_position_and_q_of_a_lorentzian():
    """A Lorentzian of known centre, Q and height on a baseline: the pick recovers them
    (parabolic vertex between samples; FWHM above the peak's base)."""
    f = 1.0 + lorentz(0.5123, 40.0, 2.0)
    peak = resonance_peak(LAM, f, target_um=0.52)
    assert peak.wavelength_um == pytest.approx(0.5123, abs=2e-5)
    assert peak.height == pytest.approx(3.0, rel=2e-3)
    assert peak.quality_factor == pytest.approx(40.0, rel=0.03)  # base: the window edges


def test_highest_peak_wins_over_the_nearest_one():
    """The emitter sees the strongest enhancement: a weak peak at the target does not win."""
    f = 1.0 + lorentz(0.50, 30.0, 2.0) + lorentz(0.52, 30.0, 0.8)
    # (the centroid leans ~0.6 nm towards the other peak's tail: which peak wins is the test)
    assert resonance_peak(LAM, f, target_um=0.52).wavelength_um == pytest.approx(0.50, abs=1e-3)


def test_tied_peaks_go_to_the_target():
    f = 1.0 + lorentz(0.49, 60.0, 2.0) + lorentz(0.53, 60.0, 1.99)
    assert resonance_peak(LAM, f, target_um=0.52).wavelength_um == pytest.approx(0.53, abs=3e-4)


def test_flat_topped_band_centre_is_stable():
    """Two overlapping humps of nearly equal height (the bullseye preset's LDOS): the argmax
    jumps from one hump to the other when their heights swap, the centroid does not."""
    a = 1.0 + lorentz(0.49, 25.0, 1.50) + lorentz(0.51, 25.0, 1.45)
    b = 1.0 + lorentz(0.49, 25.0, 1.45) + lorentz(0.51, 25.0, 1.50)
    pa, pb = resonance_peak(LAM, a, target_um=0.52), resonance_peak(LAM, b, target_um=0.52)
    assert abs(LAM[np.argmax(a)] - LAM[np.argmax(b)]) > 0.01  # the maximum jumps > 10 nm
    assert abs(pa.wavelength_um - pb.wavelength_um) < 0.002  # the centre moves < 2 nm


def test_ripples_are_not_peaks():
    """Small bumps (< 10 % of the spectrum's range) on a smooth slope are not resonances."""
    f = 1.0 + 2 * (LAM - 0.47) / 0.1 + 0.02 * np.sin(LAM * 2e3)
    assert spectral_peaks(LAM, f) == []


def test_mode_below_the_window_edge_is_still_a_peak():
    """Measured on the bullseye preset at 40/60 px/µm: a Q ~ 200 mode inside the window lay
    below the LDOS at the window's edge (the tail of a feature outside it), and a prominence
    threshold taken from the whole range (edge included) missed it."""
    f = 1.0 + lorentz(0.44, 8.0, 8.0) + lorentz(0.487, 200.0, 0.5)
    assert f[0] > f[np.argmin(abs(LAM - 0.487))]  # the edge is higher than the mode
    # its prominence (0.23) is under 10 % of the whole range (0.33, edge included) but over
    # 10 % of the range up to the highest interior maximum (0.22)
    peak = resonance_peak(LAM, f, target_um=0.52)
    assert peak is not None
    assert peak.wavelength_um == pytest.approx(0.487, abs=3e-4)
    # ripples on the same tail are still not peaks
    g = 1.0 + lorentz(0.44, 8.0, 8.0) + 0.01 * np.sin(LAM * 2e3)
    assert resonance_peak(LAM, g, target_um=0.52) is None


def _mode(lam: float, q: float, amp: float) -> Mode:
    return Mode(wavelength_um=lam, quality_factor=q, amplitude_abs=amp, harminv_error=1e-4)


def test_weak_narrow_harminv_mode_does_not_define_a_broad_peak():
    """Measured on the bullseye: a Q ~ 900 Harminv mode inside a Q ~ 30 LDOS peak was picked
    and gave the screen Q 967. The Harminv Q must agree with the peak's width."""
    f = 1.0 + lorentz(0.515, 30.0, 1.5)
    peak = resonance_peak(LAM, f, target_um=0.52)
    modes = [_mode(0.5212, 900.0, 0.05), _mode(0.5150, 27.0, 0.2)]
    assert harminv_mode_on_peak(modes, peak) == 1
    assert harminv_mode_on_peak(modes[:1], peak) is None
    # an LDOS grid that does not resolve the peak: the strongest mode within it is taken
    assert harminv_mode_on_peak(modes, peak, unresolved=True) == 0


def test_a_peak_that_several_modes_form_takes_its_own_linewidth():
    """Measured on bullseye_sin_520 (60-200 px/µm): its broad 517-520 nm peak is formed by two
    Harminv modes of Q ~ 15-22 at ~510 and ~538 nm; picking one by Q flipped between grids
    (15.4/14.8/8.1/15.1/12.5). The peak's Q is then λ/FWHM of the LDOS, which the emitter sees.
    Reference: a synthetic sum of two Lorentzians whose sum has a known width."""
    f = 1.0 + lorentz(0.510, 15.0, 1.0) + lorentz(0.538, 20.0, 0.8)
    peak = resonance_peak(LAM, f, target_um=0.52)
    modes = [_mode(0.510, 15.0, 0.08), _mode(0.538, 20.0, 0.05), _mode(0.5345, 160.0, 0.013)]
    assert harminv_mode_on_peak(modes, peak) is None
    # one dominant mode (the other two weak) is the peak again
    strong = [_mode(0.520, 9.0, 0.3), _mode(0.538, 20.0, 0.05), _mode(0.5345, 160.0, 0.013)]
    assert harminv_mode_on_peak(strong, peak) == 0


@pytest.mark.parametrize("order", [1.0, 2.0])
def test_richardson_is_exact_for_power_law_convergence(order):
    f = lambda r: 2.5 - 40.0 / r**order  # noqa: E731
    value, err = richardson([f(30), f(40)], [30, 40], order)
    assert value == pytest.approx(2.5, rel=1e-12)
    assert err == pytest.approx(40.0 / 40**order, rel=1e-9)
    # the wrong order gives a wrong value: the test can fail
    wrong, _ = richardson([f(30), f(40)], [30, 40], 3 - order)
    assert abs(wrong - 2.5) > 1e-3


def test_observed_order_from_three_grids():
    f = lambda r: 0.7 + 3.0 / r**1.7  # noqa: E731
    assert observed_order([f(40), f(60), f(80)], [40, 60, 80]) == pytest.approx(1.7, abs=1e-6)
    assert observed_order([1.0, 2.0, 1.5], [40, 60, 80]) is None  # not monotonic


def test_estimate_flags_errors_over_tolerance():
    grids = [{"resonance_wavelength_um": 0.520, "quality_factor": 30.0, "purcell_total": 2.0,
              "purcell_radiative": 1.9, "collection_efficiency": 0.5},
             {"resonance_wavelength_um": 0.5202, "quality_factor": 30.5, "purcell_total": 2.2,
              "purcell_radiative": 1.91, "collection_efficiency": 0.5}]
    acc = estimate(grids, [30, 40], order=2.0)
    assert acc.value("purcell_total") == pytest.approx(2.2 + 0.2 / (16 / 9 - 1))
    assert not acc.converged and any("purcell_total" in n for n in acc.notes)
    assert not any("collection" in n for n in acc.notes)
    # the stated error is the grid convergence index: 3 × the correction (two grids)
    assert acc.error("resonance_wavelength_um") == pytest.approx(3 * 0.0002 / (16 / 9 - 1))
    moved = estimate(grids, [30, 40], order=2.0, same_resonance=False)
    assert not moved.converged and "pick differs" in moved.notes[0]
    assert moved.value("purcell_total") == 2.2 and moved.error("purcell_total") == \
        pytest.approx(0.2)


def test_corrected_result_carries_the_extrapolation():
    """sims.screen.corrected: the headline numbers are the extrapolated ones and the spectra
    are shifted/scaled so that reading them at the new resonance gives those numbers."""
    import dataclasses

    from sims.screen import corrected, headline
    from tests.emitter_tests._fixtures import synthetic_sim_result

    fine = synthetic_sim_result(quality_factor=60.0)
    h = headline(fine)
    grids = [{k: (None if v is None else v * (0.98 if k != "resonance_wavelength_um" else 1.0)
                  + (0.004 if k == "resonance_wavelength_um" else 0.0)) for k, v in h.items()}, h]
    acc = estimate(grids, [40, 60], order=1.0)
    out = corrected(fine, acc, [])
    lam = acc.value("resonance_wavelength_um")
    assert out.resonance.wavelength_um == pytest.approx(lam, abs=1e-12)
    assert lam == pytest.approx(h["resonance_wavelength_um"] - 0.008, abs=1e-9)
    assert out.spectra.total_at(lam) == pytest.approx(acc.value("purcell_total"), rel=1e-3)
    assert out.purcell_total_at_resonance == acc.value("purcell_total")
    assert out.accuracy is acc and any("corrected" in w for w in out.warnings)
    assert dataclasses.replace(out, accuracy=None) != fine


def test_positive_quantities_are_not_extrapolated_below_zero():
    """Measured on the bullseye: Q 48 at 40 px/µm and 14 at 60 px/µm extrapolated to −28."""
    grids = [{"resonance_wavelength_um": 0.527, "quality_factor": 48.0, "purcell_total": 1.1,
              "purcell_radiative": 1.1, "collection_efficiency": 0.14},
             {"resonance_wavelength_um": 0.528, "quality_factor": 14.0, "purcell_total": 1.17,
              "purcell_radiative": 1.17, "collection_efficiency": 0.14}]
    acc = estimate(grids, [40, 60], order=1.0)
    assert acc.value("quality_factor") == 14.0
    assert acc.error("quality_factor") == pytest.approx(3 * 34.0)
    assert not acc.converged and any("quality_factor extrapolated" in n for n in acc.notes)


def test_a_high_q_mode_that_moves_more_than_its_width_is_still_the_same_resonance():
    """sims.screen._same_resonance with the microsphere's measured picks: a Q ≈ 860 WGM at
    522.55 nm (40 px/µm) and 521.29 nm (60 px/µm), 0.6 nm wide, neighbours ≥ 8.7 nm away: the
    same mode. With a neighbour 1.5 nm from a pick it is ambiguous, and a 3 % jump never
    counts."""
    import dataclasses

    from sims.screen import _same_resonance
    from tests.emitter_tests._fixtures import synthetic_sim_result

    def run(lam: float, *others: float):  # noqa: ANN202
        r = synthetic_sim_result(wavelength_um=lam, quality_factor=860.0)
        extra = tuple(_mode(w, 500.0, 0.5) for w in others)
        return dataclasses.replace(r, modes=r.modes + extra)

    assert _same_resonance(run(0.52255, 0.5324, 0.5111), run(0.52129, 0.5312, 0.5098))
    assert not _same_resonance(run(0.52255, 0.5240), run(0.52129))
    assert not _same_resonance(run(0.5366), run(0.52129))
    # within one linewidth needs no neighbour check (the rule before)
    assert _same_resonance(run(0.52150, 0.5219), run(0.52129))
