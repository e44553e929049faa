"""End-to-end studies with real Meep at coarse resolution (a 2-ring bullseye, ~10 s a trial)."""

from __future__ import annotations

import json

import pytest
from optuna.trial import TrialState

import sims.runner
from cavities.registry import get_preset
from optimize import search as search_mod
from optimize.evaluate import EvalSettings, evaluate
from optimize.search import EmitterSpec, SearchSpec, run_search
from sims._child import FAULT_ENV
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep]

COARSE = EvalSettings(resolution_px_per_um=20.0,
                      sim_overrides={"n_freqs": 101, "n_freqs_flux": 11})


def _spec(**kw) -> SearchSpec:
    base = get_preset("bullseye_sin_520", n_rings=2)
    args = dict(base_design=base.to_dict(), params=("disk_radius_um",),
                bounds={"disk_radius_um": (0.2, 0.3)}, objectives=("purcell",),
                emitter=EmitterSpec(), settings=COARSE, tolerance_nm=30.0, seed=3)
    args.update(kw)
    return SearchSpec(**args)


def _states(study) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in study.get_trials(deepcopy=False):
        out[t.state.name] = out.get(t.state.name, 0) + 1
    return out


def test_study_stops_and_resumes_without_losing_or_repeating(tmp_path, sim_cache):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    spec = _spec()
    study = run_search(spec, study_name="s", storage_url=url, run_dir=tmp_path,
                       total_trials=2, show_progress_bar=False, cache_dir=sim_cache)
    first = {t.number: t.params for t in study.trials if t.state == TrialState.COMPLETE}
    assert len(first) == 2, _states(study)
    with pytest.raises(ValueError, match="--resume"):
        run_search(spec, study_name="s", storage_url=url, run_dir=tmp_path, total_trials=3,
                   show_progress_bar=False, cache_dir=sim_cache)
    study = run_search(None, study_name="s", storage_url=url, run_dir=tmp_path,
                       total_trials=3, resume=True, show_progress_bar=False,
                       cache_dir=sim_cache)
    complete = {t.number: t.params for t in study.trials if t.state == TrialState.COMPLETE}
    assert len(complete) == 3, _states(study)
    for n, p in first.items():
        assert complete[n] == p, "a completed trial changed on resume"
    numbers = [t.number for t in study.trials]
    assert len(numbers) == len(set(numbers))
    values = [p["disk_radius_um"] for p in complete.values()]
    assert len(set(values)) == len(values), f"a design was proposed twice: {values}"
    t0 = study.trials[0]
    for key in ("resonance_nm", "purcell", "g2", "brightness_cps", "evaluation_key"):
        assert key in t0.user_attrs, key
    assert (tmp_path / "evaluations" / f"{t0.user_attrs['evaluation_key']}.json").exists()
    # the report of a real study is written
    from optimize.report import write_study_report

    report = write_study_report(study, tmp_path / "report", run_dir=tmp_path)
    text = report.read_text()
    assert "Best designs" in text and "history.png" in text
    assert (tmp_path / "report" / "best" / "spectrum.png").stat().st_size > 10_000


def test_forced_failure_is_failed_with_reason_and_study_completes(tmp_path, sim_cache,
                                                                  monkeypatch):
    # The first simulation that actually runs crashes (cached evaluations start no process).
    monkeypatch.setenv(FAULT_ENV, f"crash:once={tmp_path / 'crashed-once'}")
    url = f"sqlite:///{tmp_path / 'study.db'}"
    study = run_search(_spec(seed=5), study_name="f", storage_url=url, run_dir=tmp_path, total_trials=2,
        show_progress_bar=False, cache_dir=sim_cache)
    states = _states(study)
    assert states.get("FAIL") == 1 and states.get("COMPLETE") == 2, states
    failed = [t for t in study.trials if t.state == TrialState.FAIL][0]
    assert "crashed" in failed.user_attrs["fail_reason"], failed.user_attrs


def test_fabrication_violation_is_pruned_with_reason(tmp_path, sim_cache):
    spec = _spec(params=("trench_width_um",), bounds={"trench_width_um": (0.005, 0.01)})
    url = f"sqlite:///{tmp_path / 'study.db'}"
    study = search_mod.create_or_resume(spec, study_name="p", storage_url=url, resume=False)[0]
    from optimize.study import wrap_objective

    objective = wrap_objective(search_mod.make_evaluator(spec, run_dir=tmp_path,
                                                         cache_dir=sim_cache),
                               search_mod.FAILURE_TYPES)
    study.optimize(objective, n_trials=2)
    assert all(t.state == TrialState.PRUNED for t in study.trials)
    reason = study.trials[0].user_attrs["pruned_reason"]
    assert "trench_width_um" in reason and "minimum feature" in reason, reason


def test_cached_design_is_not_simulated_again(tmp_path, monkeypatch):
    design = get_preset("bullseye_sin_520", n_rings=2)
    emitter = EmitterSpec().build()
    first = evaluate(design, emitter, COARSE, cache_dir=tmp_path)
    calls = {"n": 0}

    def no_sim(*args, **kwargs):
        calls["n"] += 1
        raise AssertionError("simulated again")

    monkeypatch.setattr(sims.runner, "run_raw", no_sim)
    again = evaluate(design, emitter, COARSE, cache_dir=tmp_path)
    assert calls["n"] == 0
    assert again.to_json() == first.to_json()
    # the simulation cache alone (a new emitter on the same design) also avoids Meep
    other = evaluate(design, EmitterSpec(edge_nm=8.0).build(), COARSE, cache_dir=tmp_path)
    assert calls["n"] == 0
    assert other.sim.to_json() == first.sim.to_json()
    assert json.loads(first.to_json())["score"]["purcell_x"] > 0
