"""Fidelity promotion without Meep: the best feasible screen designs are evaluated again at the
full fidelity, the study keeps both values, and the report shows them with their ratio. The
simulations are synthetic evaluations whose Q depends on the design and the fidelity."""

from __future__ import annotations

import hashlib
import json

import pytest

from cavities.registry import get_preset
from optimize import promotion as promotion_mod
from optimize import search as search_mod
from optimize.cli import main
from optimize.promotion import promote, stored_promotions
from optimize.search import EmitterSpec, SearchSpec, run_search
from tests.optimize_tests._fixtures import synthetic_evaluation

FULL_Q_FACTOR = 0.8
fake_evaluate_ranks: list[tuple[str, int]] = []
"""(fidelity, MPI ranks) of every call of the fake evaluate."""


@pytest.fixture
def fake_evaluate(monkeypatch):
    calls: list[str] = []
    ranks = fake_evaluate_ranks
    ranks.clear()

    def fake(design, emitter, settings=None, **_):
        fidelity = getattr(settings, "fidelity", "screen")
        calls.append(fidelity)
        ranks.append((fidelity, getattr(settings, "mpi_ranks", 1)))
        key = hashlib.sha256(json.dumps([design.to_dict(), fidelity],
                                        sort_keys=True).encode()).hexdigest()[:24]
        q = (1000.0 + 5000.0 * design.disk_radius_um) * (FULL_Q_FACTOR if fidelity == "full"
                                                         else 1.0)
        return synthetic_evaluation(key=key, design=design, emitter=emitter, quality_factor=q)

    monkeypatch.setattr(search_mod, "evaluate", fake)
    monkeypatch.setattr(promotion_mod, "evaluate", fake)
    return calls


def _study(tmp_path, n=6):
    base = get_preset("bullseye_sin_520", n_rings=2)
    spec = SearchSpec(base_design=base.to_dict(), params=("disk_radius_um",),
                      bounds={"disk_radius_um": (0.2, 0.3)}, objectives=("purcell",),
                      emitter=EmitterSpec(), tolerance_nm=30.0, seed=3, sampler="random")
    url = str(tmp_path / "study.journal")
    study = run_search(spec, study_name="s", storage_url=url, run_dir=tmp_path,
                       total_trials=n, show_progress_bar=False, cache_dir=False)
    return study, url


def test_top_designs_are_promoted_with_both_values(tmp_path, fake_evaluate):
    study, _ = _study(tmp_path)
    ranked = sorted(study.trials, key=lambda t: -t.values[0])
    promos = promote(study, top=2, run_dir=tmp_path, cache_dir=False)
    assert [p.trial for p in promos] == [t.number for t in ranked[:2]]
    assert fake_evaluate.count("full") == 2
    for p, t in zip(promos, ranked, strict=False):
        assert p.screen["purcell"] == pytest.approx(t.values[0], rel=1e-12)
        full = json.loads((tmp_path / "evaluations" / f"{p.promoted_key}.json").read_text())
        assert p.promoted["purcell"] == pytest.approx(full["score"]["purcell_x"], rel=1e-12)
        assert p.ratios()["purcell"] == pytest.approx(p.promoted["purcell"]
                                                      / p.screen["purcell"], rel=1e-12)
        assert p.ratios()["purcell"] < 1  # the full fidelity's Q is 0.8x the screen's
    assert [p.trial for p in stored_promotions(study)] == [p.trial for p in promos]


def test_report_shows_the_promotion(tmp_path, fake_evaluate, capsys):
    _, url = _study(tmp_path, n=4)
    assert main(["promote", "--study", "s", "--storage", url, "--out", str(tmp_path),
                 "--promote", "1"]) == 0
    report = (tmp_path / "report.md").read_text()
    assert "## Promoted designs: screen against full fidelity" in report
    capsys.readouterr()  # the report path printed by `promote`
    assert main(["report", "--study", "s", "--storage", url, "--out", str(tmp_path),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["promoted"]) == 1 and data["promoted"][0]["fidelity"] == "full"


def test_top_must_be_positive(tmp_path, fake_evaluate):
    study, _ = _study(tmp_path, n=1)
    with pytest.raises(ValueError, match="top >= 1"):
        promote(study, top=0, run_dir=tmp_path)


def test_promotion_runs_on_the_ranks_asked_for(tmp_path, fake_evaluate, capsys):
    """The full fidelity's grids are large enough to gain from MPI while the screen's are not:
    --promote-ranks sets the promotion's ranks only."""
    _, url = _study(tmp_path, n=3)
    assert main(["promote", "--study", "s", "--storage", url, "--out", str(tmp_path),
                 "--promote", "1", "--promote-ranks", "2"]) == 0
    assert ("full", 2) in fake_evaluate_ranks
    assert {r for f, r in fake_evaluate_ranks if f == "screen"} == {1}
    with pytest.raises(ValueError, match="mpi_ranks >= 1"):
        promote(_study(tmp_path / "b", n=1)[0], top=1, run_dir=tmp_path, mpi_ranks=0)
