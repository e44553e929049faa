"""The on-resonance rules (feasibility of a design) against closed forms of a Lorentzian
resonance on a background; the rule reaches the stored search and the report. No Meep."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from cavities.registry import get_preset
from emitter import CavityResponse, preset_emitter, score
from optimize.evaluate import Evaluation, emitter_dict
from optimize.objectives import line_over_peak, resonance_constraint
from optimize.search import SearchSpec
from tests.emitter_tests._fixtures import synthetic_sim_result

EMITTER = preset_emitter("CsPbBr3")
LINE_UM = EMITTER.exciton_wavelength_um
V_LAMBDA_N3, N = 0.8, 1.5  # the synthetic result's mode volume and index


def _evaluation(resonance_um: float, quality_factor: float) -> Evaluation:
    """A Lorentzian cavity (background 1) at ``resonance_um``, scored for the CsPbBr3 line."""
    sim = dataclasses.replace(
        synthetic_sim_result(wavelength_um=resonance_um, quality_factor=quality_factor),
        structure={"name": "synthetic", "collection_na": 0.65, "collection_direction": "up"})
    return Evaluation(key="k", design=get_preset("bullseye_sin_520").to_dict(),
                      emitter=emitter_dict(EMITTER), settings={"fidelity": "screen"}, sim=sim,
                      score=score(CavityResponse.from_sim_result(sim), EMITTER))


def _half_max_detuning_um(quality_factor: float, side: int) -> float:
    """Closed form: F(λ) = 1 + F_p/(1 + 4Q²(λ_c/λ − 1)²) falls to half its peak (1 + F_p)/2 where
    the Lorentzian factor is L* = 1/2 − 1/(2F_p), i.e. λ_c/λ − 1 = ±√(1/L* − 1)/(2Q). Returns the
    resonance position λ_c that puts the line exactly there, on the blue (side=-1) or red side."""
    fp = 3 / (4 * math.pi ** 2) * quality_factor / V_LAMBDA_N3
    lstar = 0.5 - 0.5 / fp
    x = math.sqrt(1 / lstar - 1) / (2 * quality_factor)
    # line = λ_c/(1 + s·x)  ->  λ_c = line·(1 + s·x)
    return LINE_UM * (1 + side * x)


@pytest.mark.parametrize("quality_factor", [30.0, 100.0, 400.0])
@pytest.mark.parametrize("side", [-1, 1])
def test_half_max_rule_switches_at_the_peaks_half_maximum(quality_factor, side):
    edge = _half_max_detuning_um(quality_factor, side)
    shift = edge - LINE_UM
    inside = _evaluation(LINE_UM + 0.9 * shift, quality_factor)
    outside = _evaluation(LINE_UM + 1.1 * shift, quality_factor)
    print(f"Q {quality_factor:g}: half-maximum at a detuning of {1e3 * abs(shift):.3f} nm "
          f"(closed form); line/peak at 0.9x {line_over_peak(inside):.3f}, at 1.1x "
          f"{line_over_peak(outside):.3f}")
    assert resonance_constraint(inside, 5.0, "half-max") < 0
    assert resonance_constraint(outside, 5.0, "half-max") > 0
    at_edge = _evaluation(edge, quality_factor)
    assert line_over_peak(at_edge) == pytest.approx(0.5, abs=0.01)


def test_the_rules_differ_for_broad_and_narrow_peaks():
    broad = _evaluation(LINE_UM + 0.015, 10.0)    # HWHM ~26 nm: the line sits on the peak
    narrow = _evaluation(LINE_UM + 0.002, 2000.0)  # HWHM 0.13 nm: the line misses it
    assert resonance_constraint(broad, 5.0, "detuning") == pytest.approx(10.0, abs=1e-6)
    assert resonance_constraint(broad, 5.0, "half-max") < 0
    assert resonance_constraint(narrow, 5.0, "detuning") == pytest.approx(-3.0, abs=1e-6)
    assert resonance_constraint(narrow, 5.0, "half-max") > 0


def test_a_design_without_resonance_is_infeasible_by_both_rules():
    ev = _evaluation(LINE_UM, 100.0)
    ev = dataclasses.replace(ev, sim=dataclasses.replace(ev.sim, selected_mode=None))
    assert ev.sim.resonance is None
    assert resonance_constraint(ev, 5.0, "detuning") == 1e3
    assert resonance_constraint(ev, 5.0, "half-max") == 0.5
    with pytest.raises(ValueError, match="on-resonance rule"):
        resonance_constraint(ev, 5.0, "nearest")


def test_rule_none_keeps_every_design_even_one_without_resonance():
    """A broadband design (no LDOS peak) and a far-detuned narrow one are feasible under
    "none", and only there."""
    flat = _evaluation(LINE_UM, 100.0)
    flat = dataclasses.replace(flat, sim=dataclasses.replace(flat.sim, selected_mode=None))
    far = _evaluation(LINE_UM + 0.05, 2000.0)  # 50 nm off, linewidth 0.26 nm
    for ev in (flat, far):
        assert resonance_constraint(ev, 5.0, "detuning") > 0
        assert resonance_constraint(ev, 5.0, "half-max") > 0
        assert resonance_constraint(ev, 5.0, "none") <= 0


def test_the_rule_is_stored_with_the_search_and_old_searches_read_as_detuning():
    base = get_preset("bullseye_sin_520").to_dict()
    spec = SearchSpec(base_design=base, params=("disk_radius_um",), on_resonance="half-max")
    assert SearchSpec.from_json(spec.to_json()).on_resonance == "half-max"
    old = json.loads(spec.to_json())
    del old["on_resonance"]
    assert SearchSpec.from_json(json.dumps(old)).on_resonance == "detuning"
    with pytest.raises(ValueError, match="on_resonance"):
        SearchSpec(base_design=base, params=("disk_radius_um",), on_resonance="closest")


def test_cli_passes_the_rule(tmp_path):
    from optimize.cli import _search_spec, build_parser

    args = build_parser().parse_args(
        ["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--on-resonance",
         "half-max", "--out", str(tmp_path)])
    assert _search_spec(args, "tpe", None).on_resonance == "half-max"


def test_report_counts_feasible_trials_by_both_rules(tmp_path, monkeypatch):
    """Four designs detuned by 0, 3, 8 and 20 nm from the line, Q 30 (half-maximum at 12.3 nm
    by the closed form above), and one with no resonance: 2 meet the 5 nm rule, 3 the half-max
    rule."""
    from optimize import search as search_mod
    from optimize.search import EmitterSpec, run_search

    detuning_nm = {0.21: 0.0, 0.22: 3.0, 0.23: 8.0, 0.24: 20.0, 0.25: None}

    def fake(design, emitter, settings=None, **_):
        d = detuning_nm[round(design.disk_radius_um, 3)]
        ev = _evaluation(LINE_UM + 1e-3 * (d or 0.0), 30.0)
        if d is None:
            ev = dataclasses.replace(ev, sim=dataclasses.replace(ev.sim, selected_mode=None))
        return dataclasses.replace(ev, key=f"k{design.disk_radius_um:.3f}",
                                   design=design.to_dict())

    monkeypatch.setattr(search_mod, "evaluate", fake)
    base = get_preset("bullseye_sin_520", n_rings=2)
    spec = SearchSpec(base_design=base.to_dict(), params=("disk_radius_um",),
                      bounds={"disk_radius_um": (0.2, 0.3)}, objectives=("purcell",),
                      emitter=EmitterSpec(), on_resonance="half-max", sampler="grid",
                      grid={"disk_radius_um": tuple(detuning_nm)})
    from optimize.report import write_study_report

    study = run_search(spec, study_name="s", storage_url=str(tmp_path / "s.journal"),
                       run_dir=tmp_path, total_trials=5, show_progress_bar=False,
                       cache_dir=False)
    report = Path(write_study_report(study, tmp_path)).read_text()
    assert ("Feasible: **3 of 5** completed trials (resonance within 5.0 nm: 2; line inside "
            "the peak's half-maximum band: 3).") in report
    assert "half-maximum band of the resonance's LDOS peak" in report
