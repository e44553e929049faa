"""Tuning trials onto the exciton line by scaling (``SearchSpec.tune="scale"``,
optimize.tuning) against a synthetic cavity whose resonance follows a closed form: λ = 2Λ for
the period Λ, with a dispersive correction in the membrane thickness that scaling alone does not
remove (so the secant step is exercised). No Meep."""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

import optuna
import pytest

from cavities.registry import get_preset
from emitter import CavityResponse, preset_emitter, score
from optimize import search
from optimize.evaluate import Evaluation, emitter_dict
from optimize.search import SearchSpec, make_evaluator
from optimize.study import StudySpec, make_sampler
from optimize.tuning import TUNED_ATTR, scaled_params, trial_params, tune_by_scale
from tests.emitter_tests._fixtures import synthetic_sim_result

EMITTER = preset_emitter("CsPbBr3")
LINE_NM = 1e3 * EMITTER.exciton_wavelength_um


def _resonance_nm(period_um: float, thickness_um: float) -> float:
    """The synthetic cavity: λ = 2Λ (1 + 0.2 (t − 0.2 µm)), not scale invariant in t alone."""
    return 2e3 * period_um * (1 + 0.2 * (thickness_um - 0.2))


GRID_ERROR_NM = 1.5
"""The synthetic single-grid probe's resonance error (the two-grid evaluation is exact)."""


def _evaluation(design, offset_nm: float = 0.0) -> Evaluation:
    lam = (_resonance_nm(design.period_um, design.thickness_um) + offset_nm) / 1e3
    sim = dataclasses.replace(synthetic_sim_result(wavelength_um=lam, quality_factor=300.0),
                              structure={"name": "synthetic", "collection_na": 0.65,
                                         "collection_direction": "up"})
    return Evaluation(key=f"{design.period_um:.4f}-{design.thickness_um:.4f}",
                      design=design.to_dict(), emitter=emitter_dict(EMITTER),
                      settings={"fidelity": "screen"}, sim=sim,
                      score=score(CavityResponse.from_sim_result(sim), EMITTER))


def _study(tmp_path: Path, monkeypatch, tune: str, n_trials: int = 25,
           calls: list[str] | None = None):
    def fake(design, emitter, settings, cache_dir=None):
        probe = settings.error_estimate == "off"  # one grid, where the search runs two
        if calls is not None:
            calls.append("probe" if probe else "run")
        return _evaluation(design, GRID_ERROR_NM if probe else 0.0)

    monkeypatch.setattr(search, "evaluate", fake)
    spec = SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("period_um", "thickness_um"),
                      bounds={"period_um": (0.22, 0.30), "thickness_um": (0.15, 0.25)},
                      objectives=("brightness",), sampler="random", step_um=0.005, tune=tune)
    study = optuna.create_study(direction="maximize", sampler=make_sampler(StudySpec(
        study_name="t", storage_url="unused", sampler="random", seed=3)))
    study.optimize(make_evaluator(spec, run_dir=tmp_path, cache_dir=None), n_trials=n_trials)
    return study


def test_scaled_trials_land_on_the_line(tmp_path, monkeypatch):
    """Tuned trials find their scale with single-grid probes (which carry a grid error of
    their own) and run the two-grid evaluation for the design they keep; where that evaluation
    is still more than half the tolerance off, the probes aim again and one more run
    follows."""
    plain_calls: list[str] = []
    tuned_calls: list[str] = []
    plain = _study(tmp_path / "plain", monkeypatch, "none", calls=plain_calls)
    tuned = _study(tmp_path / "tuned", monkeypatch, "scale", calls=tuned_calls)

    def feasible(study):
        return sum(t.user_attrs["constraint"][0] <= 0 for t in study.trials) / len(study.trials)

    print(f"feasible trials: plain {feasible(plain):.0%}, tuned {feasible(tuned):.0%}")
    assert feasible(plain) < 0.3  # 5 nm of a 440-600 nm span: most designs miss the line
    assert feasible(tuned) == 1.0
    for t in tuned.trials:
        p = trial_params(t)
        lam = _resonance_nm(p["period_um"], p["thickness_um"])
        assert abs(lam - LINE_NM) <= 2.5 + 1e-6, (t.number, p, lam)  # half the tolerance
        assert abs(t.user_attrs["resonance_nm"] - lam) < 2e-3  # the tuned design's (to 1 pm)
        assert 2 <= t.user_attrs["tune_evaluations"] <= 6  # 1-3 probes and 1-3 runs
        if TUNED_ATTR in t.user_attrs:  # scaled together: the shape (Λ/t) is the sampler's
            ratio = p["period_um"] / p["thickness_um"]
            assert ratio == pytest.approx(t.params["period_um"] / t.params["thickness_um"],
                                          rel=0.02)
    probes = tuned_calls.count("probe")
    print(f"two-grid runs: plain {plain_calls.count('run')}, tuned {tuned_calls.count('run')} "
          f"(+ {probes} single-grid probes) for {len(tuned.trials)} trials")
    assert plain_calls == ["run"] * len(plain.trials)
    runs = tuned_calls.count("run")
    # after the first trial the probes aim with the error the runs measured: one run each
    assert len(tuned.trials) <= runs <= len(tuned.trials) + 2
    assert probes + runs == sum(t.user_attrs["tune_evaluations"] for t in tuned.trials)


def test_the_secant_step_corrects_what_scaling_misses():
    runs: list[dict[str, float]] = []

    def run(p):
        runs.append(p)
        lam = _resonance_nm(p["period_um"], p["thickness_um"])
        return dataclasses.replace(_evaluation(get_preset("bullseye_sin_520").replace(
            period_um=p["period_um"], thickness_um=p["thickness_um"])))

    # λ0 = 2·300·(1 + 0.2·0.05) = 606 nm; scaling by 517.6/606 leaves a dispersive error
    t = tune_by_scale({"period_um": 0.30, "thickness_um": 0.25}, ("period_um", "thickness_um"),
                      LINE_NM, 5.0, run)
    lam = _resonance_nm(t.params["period_um"], t.params["thickness_um"])
    print(f"{len(runs)} evaluations, tuned λ {lam:.2f} nm (line {LINE_NM:.2f} nm)")
    assert abs(lam - LINE_NM) <= 2.5
    assert t.evaluations == len(runs) <= 3


def test_a_design_already_on_the_line_is_not_scaled():
    p = {"period_um": LINE_NM / 2e3, "thickness_um": 0.2}
    t = tune_by_scale(p, ("period_um", "thickness_um"), LINE_NM, 5.0,
                      lambda q: _evaluation(get_preset("bullseye_sin_520").replace(**q)))
    assert (t.scale, t.evaluations, t.params) == (1.0, 1, p)
    assert scaled_params(p, 1.0, ("period_um",))["period_um"] == round(LINE_NM / 2e3, 3)


def test_tuning_needs_a_length_parameter():
    with pytest.raises(ValueError, match="no parameter"):
        SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(), params=("n_rings",),
                   bounds={"n_rings": (4, 8)}, tune="scale")
    with pytest.raises(ValueError, match="`tune`"):
        SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                   params=("period_um",), tune="shift")


def test_promotion_and_report_use_the_tuned_design(tmp_path, monkeypatch):
    """A tuned trial's scored design is the scaled one: promotion re-evaluates it and the report
    lists its parameters, not the sampler's."""
    from optimize import promotion as promotion_mod
    from optimize.promotion import promote
    from optimize.report import study_report_data
    from optimize.search import run_search

    promoted: list[tuple[float, float]] = []

    def fake(design, emitter, settings=None, **_):
        if getattr(settings, "fidelity", "screen") == "full":
            promoted.append((design.period_um, design.thickness_um))
        return _evaluation(design)

    monkeypatch.setattr(search, "evaluate", fake)
    monkeypatch.setattr(promotion_mod, "evaluate", fake)
    spec = SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("period_um", "thickness_um"),
                      bounds={"period_um": (0.22, 0.30), "thickness_um": (0.15, 0.25)},
                      objectives=("brightness",), sampler="random", seed=5, tune="scale")
    study = run_search(spec, study_name="s", storage_url=str(tmp_path / "s.journal"),
                       run_dir=tmp_path, total_trials=4, show_progress_bar=False,
                       cache_dir=False)
    best = max(study.trials, key=lambda t: t.values[0])
    assert TUNED_ATTR in best.user_attrs  # a random start is off the line: it was scaled
    promote(study, top=1, run_dir=tmp_path, cache_dir=False)
    want = trial_params(best)
    assert promoted == [(want["period_um"], want["thickness_um"])]
    assert promoted[0][0] != best.params["period_um"]
    data = study_report_data(study, tmp_path / "report")
    assert data["best_designs"][0]["params"]["period_um"] == pytest.approx(want["period_um"])
    assert data["search"]["tuning"] == "scale"


def test_the_cli_option_reaches_the_stored_search(tmp_path, capsys):
    """``--tune scale`` is part of the search stored in the study (workers and resumes read it
    from there); a search stored before tuning existed reads as untuned."""
    import json

    from optimize.cli import main
    from optimize.search import SPEC_ATTR
    from optimize.storage import open_storage

    url = f"sqlite:///{tmp_path / 'study.db'}"
    assert main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um,period_um",
                 "--n-trials", "0", "--study", "t", "--storage", url, "--tune", "scale",
                 "--out", str(tmp_path / "run"), "--quiet"]) == 0, capsys.readouterr().err
    study = optuna.load_study(study_name="t", storage=open_storage(url))
    stored = study.user_attrs[SPEC_ATTR]
    assert SearchSpec.from_json(stored).tune == "scale"
    old = json.loads(stored)
    del old["tune"]
    assert SearchSpec.from_json(json.dumps(old)).tune == "none"


def test_tuning_judges_the_resonance_the_constraint_judges():
    """With a grid-error estimate the constraint uses the extrapolated λ; so does tuning."""
    from optimize.objectives import detuning_nm
    from optimize.tuning import _wavelength_nm
    from tests.optimize_tests._fixtures import synthetic_evaluation

    ev = synthetic_evaluation(with_accuracy=True)
    raw = 1e3 * ev.sim.resonance.wavelength_um
    assert abs(_wavelength_nm(ev) - raw) > 0.1  # the extrapolation moved it
    assert abs(_wavelength_nm(ev) - LINE_NM) == pytest.approx(detuning_nm(ev), abs=1e-9)


def _spec(preset: str, params: tuple[str, ...], **kw) -> SearchSpec:
    return SearchSpec(base_design=get_preset(preset).to_dict(), params=params, **kw)


def test_auto_tunes_searches_over_a_length_that_sets_the_mode_scale():
    """The default (``tune="auto"``) scales a trial when it can move the resonance onto the
    line: a searched period, lattice constant or diameter under an on-resonance rule. It leaves
    alone searches over details (a trench, an end-hole shift), broadband searches
    (``on_resonance="none"``) and grid sweeps (the user's own designs)."""
    cases = [
        (_spec("bullseye_sin_520", ("disk_radius_um", "trench_width_um")), "scale"),
        (_spec("bullseye_sin_520", ("trench_width_um",)), "none"),
        (_spec("bullseye_sin_520", ("period_um",), on_resonance="none"), "none"),
        (_spec("bullseye_sin_520", ("period_um",), sampler="grid",
               grid={"period_um": (0.30, 0.31)}), "none"),
        (_spec("bullseye_sin_520", ("period_um",), tune="none"), "none"),
        (_spec("bullseye_sin_520", ("trench_width_um",), tune="scale"), "scale"),
        (_spec("sin_l3_520", ("end_hole_shift_um", "end_hole_radius_um")), "none"),
        (_spec("sin_l3_520", ("lattice_um", "end_hole_shift_um")), "scale"),
        (_spec("tio2_pillar_520", ("diameter_um",)), "scale"),
    ]
    for spec, want in cases:
        print(f"{spec.base_design['family']} {spec.params} rule {spec.on_resonance} "
              f"sampler {spec.sampler} tune {spec.tune}: {spec.tuning}")
        assert spec.tuning == want
    assert _spec("bullseye_sin_520", ("period_um",)).tune == "auto"  # the default


def test_a_resumed_study_keeps_its_stored_tuning(tmp_path, monkeypatch):
    """A study made untuned (or before tuning existed) resumes untuned under the default
    ``auto``; an explicit, different choice is refused, as any other change of the search."""
    monkeypatch.setattr(search, "evaluate", lambda design, emitter, settings=None, **_:
                        _evaluation(design))
    url = str(tmp_path / "s.journal")
    base = dict(bounds={"period_um": (0.22, 0.30)}, objectives=("brightness",),
                sampler="random", seed=2)
    search.run_search(_spec("bullseye_sin_520", ("period_um",), tune="none", **base),
                      study_name="s", storage_url=url, run_dir=tmp_path, total_trials=2,
                      show_progress_bar=False, cache_dir=False)
    study = search.run_search(_spec("bullseye_sin_520", ("period_um",), **base),
                              study_name="s", storage_url=url, run_dir=tmp_path,
                              total_trials=4, resume=True, show_progress_bar=False,
                              cache_dir=False)
    assert len(study.trials) == 4
    assert all("tune_evaluations" not in t.user_attrs for t in study.trials)
    with pytest.raises(ValueError, match="different search"):
        search.run_search(_spec("bullseye_sin_520", ("period_um",), tune="scale", **base),
                          study_name="s", storage_url=url, run_dir=tmp_path, total_trials=5,
                          resume=True, show_progress_bar=False, cache_dir=False)


def test_a_probe_runs_the_coarse_grid_of_the_two_grid_evaluation(monkeypatch):
    """A tuning probe (``error_estimate="off"``) simulates exactly the structure and grid that
    the two-grid evaluation of the same design starts with, so the chosen design's coarse grid
    comes from the simulation cache and only its finer grid is new."""
    import sims.runner
    from optimize import evaluate as evaluate_mod
    from optimize.evaluate import EvalSettings

    runs: list[tuple[str, object]] = []

    def fake(structure, config, **_):
        runs.append((sims.runner.result_key(structure, config), config))
        sim = synthetic_sim_result(wavelength_um=0.52, quality_factor=80.0)
        return dataclasses.replace(sim, provenance=dataclasses.replace(
            sim.provenance, resolution_px_per_um=config.resolution_px_per_um))

    monkeypatch.setattr(sims.runner, "simulate", fake)
    monkeypatch.setattr(evaluate_mod, "simulate", fake)
    design = get_preset("bullseye_sin_520")
    settings = EvalSettings()
    evaluate_mod.evaluate(design, EMITTER, dataclasses.replace(settings, error_estimate="off"),
                          cache_dir=False)
    evaluate_mod.evaluate(design, EMITTER, settings, cache_dir=False)
    probe, coarse, fine = runs
    print("probe / two-grid resolutions:", probe[1].resolution_px_per_um,
          coarse[1].resolution_px_per_um, fine[1].resolution_px_per_um)
    assert probe == coarse  # the runner's cache key, hence one simulation
    assert fine[1].resolution_px_per_um > coarse[1].resolution_px_per_um


def _recording(calls: list[str], kind: str, offset_nm: float):
    """An evaluation of the synthetic cavity off by ``offset_nm`` that logs ``kind``."""
    def evaluation(q):
        calls.append(kind)
        return _evaluation(get_preset("bullseye_sin_520").replace(**q), offset_nm)
    return evaluation


def _tune_with_a_probe_off_by(offset_nm: float):
    """Tune from 608 nm with runs that are exact and probes ``offset_nm`` off; the tuned
    design lands within half the 5 nm tolerance. Returns the result and the calls."""
    calls: list[str] = []
    make = partial(_recording, calls)
    t = tune_by_scale({"period_um": 0.30, "thickness_um": 0.20}, ("period_um", "thickness_um"),
                      LINE_NM, 5.0, make("run", 0.0), probe=make("probe", offset_nm))
    lam = _resonance_nm(t.params["period_um"], t.params["thickness_um"])
    print(f"calls {calls}: tuned λ {lam:.2f} nm (line {LINE_NM:.2f} nm)")
    assert abs(lam - LINE_NM) <= 2.5
    return t, calls


def test_a_misleading_probe_is_corrected_with_runs():
    """A probe 4 nm off (beyond half the 5 nm tolerance) lands the kept design off the line
    by the two-grid run's measure; the probes are then aimed at the line shifted by the error
    that run revealed, and the design they find is run and kept."""
    t, calls = _tune_with_a_probe_off_by(4.0)
    first_run = calls.index("run")  # probes, a run, probes aimed again, a second run
    assert calls.count("run") == 2 and calls[-1] == "run" and calls[first_run + 1] == "probe"
    assert t.probe_error_nm == pytest.approx(-4.0)  # what later trials aim with
    assert t.evaluations == len(calls)


def test_a_probe_that_sees_another_peak_hands_over_to_runs():
    """When the run's resonance differs from the probe's by more than the tolerance (the two
    grids picked another peak), the probes cannot aim: the tuning goes on with runs."""
    t, calls = _tune_with_a_probe_off_by(25.0)
    assert calls[:3] == ["probe", "probe", "run"] and set(calls[3:]) == {"run"}
    assert t.probe_error_nm is None  # not an error to aim later trials with


def test_a_single_run_screen_tunes_without_probes(tmp_path, monkeypatch):
    """Probes are for screens that run two grids (cylindrical Meep); the guided-mode-expansion
    screen of a photonic crystal is one run, so its tuning evaluates with runs only (a probe
    would only repeat the run, or without a cache compute it twice)."""
    kinds: list[str] = []

    def fake(design, emitter, settings, cache_dir=None):
        kinds.append(settings.error_estimate)
        if design.family == "bullseye":
            return _evaluation(design)
        lam_um = 2.5 * design.lattice_um  # a synthetic scale-invariant resonance
        sim = dataclasses.replace(synthetic_sim_result(wavelength_um=lam_um, quality_factor=1e3),
                                  structure={"name": "synthetic", "collection_na": 0.65,
                                             "collection_direction": "up"})
        return Evaluation(key=f"{design.lattice_um:.4f}", design=design.to_dict(),
                          emitter=emitter_dict(EMITTER), settings={"fidelity": "screen"},
                          sim=sim, score=score(CavityResponse.from_sim_result(sim), EMITTER))

    monkeypatch.setattr(search, "evaluate", fake)
    for preset, param, bound, want in (("sin_l3_520", "lattice_um", (0.19, 0.23), {"auto"}),
                                       ("bullseye_sin_520", "period_um", (0.26, 0.34),
                                        {"auto", "off"})):
        kinds.clear()
        spec = SearchSpec(base_design=get_preset(preset).to_dict(), params=(param,),
                          bounds={param: bound}, objectives=("brightness",), sampler="random",
                          seed=4)
        study = optuna.create_study(direction="maximize", sampler=make_sampler(StudySpec(
            study_name="t", storage_url="unused", sampler="random", seed=4)))
        study.optimize(make_evaluator(spec, run_dir=tmp_path / preset, cache_dir=None),
                       n_trials=3)
        print(f"{preset}: evaluations with error_estimate {sorted(set(kinds))}")
        assert set(kinds) == want
