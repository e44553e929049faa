"""Photonic-crystal families evaluate through the GME screen (optimize.evaluate dispatches by
the family's METHODS): scored by the emitter model, cached, keyed apart from Meep settings."""

from __future__ import annotations

import pytest

from cavities.families.photonic_crystal import L3Cavity
from emitter.params import preset_emitter
from optimize.evaluate import EvalSettings, evaluate, evaluation_key, simulation_method

pytest.importorskip("legume", reason="needs legume-gme (pip install -e '.[gme]')")

A = 0.42


def _design() -> L3Cavity:
    # Akahane's cross-section in a small crystal (12 × 8-row GME supercell: seconds)
    return L3Cavity(lattice_um=A, hole_radius_um=0.29 * A, slab_thickness_um=0.6 * A,
                    slab_material="Si", slab_index=3.4, end_hole_shift_um=0.15 * A,
                    target_wavelength_um=1.575, window_um=0.3, n_periods_x=6, n_periods_y=4)


def test_methods_per_fidelity():
    d = _design()
    assert simulation_method(d, "screen") == "gme"
    assert simulation_method(d, "full") == "meep"
    em = preset_emitter("CsPbBr3", temperature_k=4.0, exciton_wavelength_um=1.575)
    assert evaluation_key(d, em, EvalSettings(fidelity="screen")) != evaluation_key(
        d, em, EvalSettings(fidelity="full"))


def test_screen_evaluation_is_a_gme_result_the_emitter_model_scores(tmp_path):
    """Off resonance the emitter sees the slab background (< 1); a 4 K line on the GME
    resonance sees the mode: its overlap Purcell factor equals the A1 closed form within 5 %
    (the tabulated GME spectrum against the emitter model's own Voigt formula)."""
    d = _design()
    em = preset_emitter("CsPbBr3", temperature_k=4.0, exciton_wavelength_um=1.575)
    ev = evaluate(d, em, EvalSettings(), cache_dir=tmp_path, check_fabrication=False)
    sim = ev.sim
    print(sim.summary())
    assert sim.provenance.dimensions == "gme"
    assert sim.resonance is not None and sim.accuracy is not None
    lam = sim.resonance.wavelength_um
    on = preset_emitter("CsPbBr3", temperature_k=4.0, exciton_wavelength_um=lam)
    ev_on = evaluate(d, on, EvalSettings(), cache_dir=tmp_path, check_fabrication=False)
    print(ev_on.score.summary())
    closed = ev_on.score.purcell_x_closed_form
    print(f"on resonance: overlap {ev_on.score.purcell_x:.4g} vs closed form {closed:.4g} "
          "(tolerance 5 %)")
    assert ev_on.score.purcell_x > 10
    assert ev_on.score.purcell_x == pytest.approx(closed, rel=0.05)
    assert len(list((tmp_path / "gme").glob("*.json"))) == 1  # one simulation, two emitters
    again = evaluate(d, on, EvalSettings(), cache_dir=tmp_path, check_fabrication=False)
    assert again.to_json() == ev_on.to_json()
