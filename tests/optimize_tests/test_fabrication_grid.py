"""Searches on a fabrication grid (``SearchSpec.step_um``, ``--grid-step-nm``): every sampled
length is a multiple of the step, so trials repeat grid points (whose evaluations the
content-hash cache of ``optimize.evaluate`` then shares). No Meep: the evaluation is a synthetic
one."""

from __future__ import annotations

import math

import optuna
import pytest

from cavities.registry import get_preset
from optimize import search
from optimize.search import SearchSpec, grid_bounds, make_evaluator
from optimize.study import StudySpec, make_sampler
from tests.optimize_tests._fixtures import synthetic_evaluation


def test_grid_bounds_are_the_first_and_last_multiples_inside() -> None:
    assert grid_bounds(0.12, 0.6, 0.005) == (0.12, 0.6)
    assert grid_bounds(0.1201, 0.4049, 0.005) == (0.125, 0.4)
    with pytest.raises(ValueError, match="no multiple of step_um"):
        grid_bounds(0.1201, 0.1249, 0.005)


@pytest.mark.parametrize("sampler", ["tpe", "random", "qmc", "gp"])
def test_sampled_lengths_lie_on_the_grid(
        tmp_path, monkeypatch, sampler: str) -> None:
    if sampler == "gp":
        pytest.importorskip("torch", reason="the GP sampler needs PyTorch (extra 'gp')")
    calls: list[tuple[float, ...]] = []

    def fake_evaluate(design, emitter, settings, cache_dir=None):
        calls.append((design.disk_radius_um, design.period_um))
        return synthetic_evaluation(design=design)

    monkeypatch.setattr(search, "evaluate", fake_evaluate)
    spec = SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("disk_radius_um", "period_um"),
                      bounds={"disk_radius_um": (0.25, 0.27), "period_um": (0.30, 0.31)},
                      objectives=("brightness",), sampler=sampler, step_um=0.005,
                      tune="none")  # the sampled designs themselves, unscaled
    study = optuna.create_study(direction="maximize", sampler=make_sampler(StudySpec(
        study_name="grid", storage_url="unused", sampler=sampler, seed=1)))
    study.optimize(make_evaluator(spec, run_dir=tmp_path, cache_dir=None), n_trials=20)
    values = [t.params for t in study.trials]
    for params in values:
        for name, v in params.items():
            k = v / 0.005
            assert math.isclose(k, round(k), abs_tol=1e-6), f"{name}={v} is off the 5 nm grid"
    points = {tuple(sorted(p.items())) for p in values}
    print(f"{sampler}: {len(values)} trials on {len(points)} grid points (at most 5 × 3 = 15)")
    assert len(points) <= 15 < len(values)  # 20 trials on at most 15 points: repeats
    assert set(calls) <= {(r, p) for r in (0.25, 0.255, 0.26, 0.265, 0.27)
                          for p in (0.30, 0.305, 0.31)}


def test_step_must_be_positive() -> None:
    with pytest.raises(ValueError, match="step_um > 0"):
        SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                   params=("disk_radius_um",), step_um=0.0)


def test_the_start_design_is_snapped_to_the_grid(tmp_path, monkeypatch) -> None:
    """The first trial of a search is the preset; on a fabrication grid it is the nearest grid
    point (bullseye_sin_520: R 0.257 -> 0.255, Λ 0.307 -> 0.305 µm on a 5 nm grid)."""
    monkeypatch.setattr(search, "evaluate",
                        lambda design, emitter, settings, cache_dir=None:
                        synthetic_evaluation(design=design))
    spec = SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("disk_radius_um", "period_um"), objectives=("brightness",),
                      step_um=0.005)
    study = search.run_search(spec, study_name="s", storage_url=str(tmp_path / "s.journal"),
                              run_dir=tmp_path, total_trials=1, show_progress_bar=False,
                              cache_dir=False)
    assert study.trials[0].params == {"disk_radius_um": 0.255, "period_um": 0.305}
