"""Study outputs without Meep: objective names for optuna-dashboard, ``pnc-optimize report
--json``, per-trial spectrum artifacts. The simulation is replaced by synthetic evaluations
(tests/optimize_tests/_fixtures.py), so a trial takes milliseconds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import optuna
import pytest

from cavities.registry import get_preset
from optimize import search as search_mod
from optimize.cli import main
from optimize.evaluate import Evaluation
from optimize.report import evaluation_table
from optimize.search import EmitterSpec, SearchSpec, run_search
from optimize.storage import open_storage
from optimize.study import StudySpec, open_study
from tests.optimize_tests._fixtures import synthetic_evaluation


@pytest.fixture
def fake_evaluate(monkeypatch):
    """optimize.search.evaluate -> a synthetic evaluation whose Q grows with the disk radius."""

    def fake(design, emitter, settings=None, **_):
        key = hashlib.sha256(json.dumps(design.to_dict(), sort_keys=True).encode()).hexdigest()
        return synthetic_evaluation(key=key[:24], design=design, emitter=emitter,
                                    quality_factor=1000.0 + 5000.0 * design.disk_radius_um)

    monkeypatch.setattr(search_mod, "evaluate", fake)
    return fake


def _spec(objectives=("purcell", "g2")) -> SearchSpec:
    base = get_preset("bullseye_sin_520", n_rings=2)
    return SearchSpec(base_design=base.to_dict(), params=("disk_radius_um",),
                      bounds={"disk_radius_um": (0.2, 0.3)}, objectives=objectives,
                      emitter=EmitterSpec(), tolerance_nm=30.0, seed=3, sampler="random")


def _run(tmp_path: Path, *, n: int, **kw):
    url = str(tmp_path / "study.journal")  # journal file: faster to create than SQLite
    study = run_search(_spec(**kw.pop("spec", {})), study_name="s", storage_url=url,
                       run_dir=tmp_path, total_trials=n, show_progress_bar=False,
                       cache_dir=False, **kw)
    return study, url


def test_objective_names_reach_optuna_dashboard(tmp_path, fake_evaluate):
    study, url = _run(tmp_path, n=0)
    fresh = optuna.load_study(study_name="s", storage=open_storage(url, heartbeat=False))
    assert fresh.metric_names == ["purcell", "g2"]


def test_names_are_added_to_a_study_made_before_them(tmp_path):
    url = str(tmp_path / "old.journal")
    old = open_study(StudySpec(study_name="o", storage_url=url, sampler="random"))
    assert old.metric_names is None
    study = open_study(StudySpec(study_name="o", storage_url=url, sampler="random",
                                 metric_names=("purcell",)), create=False)
    assert study.metric_names == ["purcell"]
    with pytest.raises(ValueError, match="one name per direction"):
        StudySpec(study_name="o", storage_url=url, metric_names=("purcell", "g2"))


def test_report_json_holds_the_report_tables(tmp_path, fake_evaluate, capsys):
    study, url = _run(tmp_path, n=3, spec={"objectives": ("purcell",)})
    assert main(["report", "--study", "s", "--storage", url, "--out", str(tmp_path),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["study"] == "s" and data["trials"] == {"COMPLETE": 3}
    assert data["objectives"] == [{"name": "purcell", "direction": "maximize"}]
    assert data["search"]["params"] == ["disk_radius_um"]
    trials = {r["number"]: r for r in json.loads((tmp_path / "trials.json").read_text())}
    best = data["best_designs"]
    assert [b["values"][0] for b in best] == sorted((t.values[0] for t in study.trials),
                                                    reverse=True)
    report = (tmp_path / "report.md").read_text()
    for b in best:
        row = trials[b["number"]]
        assert b["params"] == {"disk_radius_um": row["disk_radius_um"]}
        for key in ("resonance_nm", "quality_factor", "purcell", "brightness_cps", "g2"):
            assert b[key] == row[key], key
        assert f"| {b['number']} | {b['params']['disk_radius_um']:.4g} |" in report
    ev = Evaluation.from_json(
        (tmp_path / "evaluations" / f"{best[0]['evaluation_key']}.json").read_text())
    assert data["best_evaluation"]["table"] == [
        {"quantity": q, "value": v, "unit": u} for q, v, u in evaluation_table(ev)]
    assert Path(data["files"]["report"]).exists()


def test_spectrum_artifacts_only_when_asked(tmp_path, fake_evaluate):
    store = tmp_path / "artifacts"
    study, url = _run(tmp_path / "a", n=2, artifact_dir=store)
    storage = open_storage(url, heartbeat=False)
    for t in study.trials:
        artifact_id = t.user_attrs["spectrum_artifact_id"]
        assert (store / artifact_id).stat().st_size > 5000
        meta = optuna.artifacts.get_all_artifact_meta(t, storage=storage)
        assert [(m.artifact_id, m.mimetype) for m in meta] == [(artifact_id, "image/png")]
    plain, _ = _run(tmp_path / "b", n=1)
    assert all("spectrum_artifact_id" not in t.user_attrs for t in plain.trials)


def test_trial_table_lengths_carry_no_float_noise():
    """Optuna's stepped floats come back as 0.1 + 0.2 = 0.30000000000000004; the trial table
    (trials.csv/json, report) shows the grid value."""
    import optuna

    from optimize.report import _trial_rows

    study = optuna.create_study(direction="maximize")
    study.add_trial(optuna.trial.create_trial(
        params={"period_um": 0.1 + 0.2},
        distributions={"period_um": optuna.distributions.FloatDistribution(0.1, 0.5, step=0.05)},
        value=1.0))
    assert _trial_rows(study)[0]["period_um"] == 0.3
