"""A worker whose budget is met fails a dead worker's trial (once its grace period has passed)
and runs the retry, even when no other worker is left; it does not wait for live trials."""

from __future__ import annotations

import threading
import time
import warnings

import optuna
from optuna.trial import TrialState

from optimize import _optuna_compat as compat
from optimize.study import drain_running_trials


def _journal_study(tmp_path, *, interval: int, grace: int):
    from optuna.storages.journal import JournalFileBackend

    storage = compat.heartbeat_journal_class()(
        JournalFileBackend(str(tmp_path / "j.log")), heartbeat_interval=interval,
        grace_period=grace, stale_trial_callback=compat.retry_callback(max_retry=2))
    return optuna.create_study(storage=storage)


def _running_trial(study, beat_age_s: float) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        trial = study.ask()
    trial.suggest_float("x", 0, 1)
    study._storage.set_trial_system_attr(trial._trial_id, compat.HEARTBEAT_ATTR,
                                         time.time() - beat_age_s)
    return trial.number


def _objective(trial):
    return trial.suggest_float("x", 0, 1)


def test_a_dead_workers_trial_is_failed_after_the_grace_period_and_retried(tmp_path):
    study = _journal_study(tmp_path, interval=1, grace=4)
    dead = _running_trial(study, beat_age_s=2.5)  # silent > 2 intervals, inside the grace
    messages: list[str] = []
    start = time.time()
    drain_running_trials(study, _objective, failure_types=(), log=messages.append)
    waited = time.time() - start
    trials = study.get_trials()
    assert trials[dead].state == TrialState.FAIL
    retries = [t for t in trials if t.system_attrs.get("failed_trial") == dead]
    assert [t.state for t in retries] == [TrialState.COMPLETE]
    assert retries[0].params == trials[dead].params
    assert 0.5 < waited < 10, waited  # waited out the rest of the grace period, not longer
    assert len(messages) == 1 and f"[{dead}]" in messages[0]


def _beat(study, number: int, stop: threading.Event) -> None:
    trial_id = study.get_trials()[number]._trial_id
    while not stop.wait(0.3):
        study._storage.record_heartbeat(trial_id)


def test_a_live_workers_trial_is_watched_for_two_intervals_then_left_running(tmp_path):
    study = _journal_study(tmp_path, interval=1, grace=60)
    live = _running_trial(study, beat_age_s=0.0)
    stop = threading.Event()
    beater = threading.Thread(target=_beat, args=(study, live, stop))
    beater.start()
    try:
        start = time.time()
        drain_running_trials(study, _objective, failure_types=())
        waited = time.time() - start
    finally:
        stop.set()
        beater.join()
    assert 2.0 < waited < 6.0, waited  # one watch of 2 heartbeat intervals (+1 s), no more
    assert study.get_trials()[live].state == TrialState.RUNNING


def test_a_worker_that_dies_just_before_the_others_finish_is_still_retried(tmp_path):
    """The cluster case: the trial still has a fresh heartbeat when the last live worker's
    budget is met; the watch sees it fall silent, then it is failed and retried."""
    study = _journal_study(tmp_path, interval=1, grace=4)
    dead = _running_trial(study, beat_age_s=0.0)
    drain_running_trials(study, _objective, failure_types=())
    trials = study.get_trials()
    assert trials[dead].state == TrialState.FAIL
    assert [t.state for t in trials if t.system_attrs.get("failed_trial") == dead] == \
        [TrialState.COMPLETE]


def test_no_running_trial_returns_at_once(tmp_path):
    study = _journal_study(tmp_path, interval=1, grace=60)
    start = time.time()
    drain_running_trials(study, _objective, failure_types=())
    assert time.time() - start < 1.0


def test_a_retry_is_run_by_the_worker_that_queued_it_only(tmp_path):
    """Two workers that both see a queued retry must not both call ``optimize``: one would run
    the retry and the other a freshly sampled trial beyond the budget (the overshoot the
    PostgreSQL kill test caught). Each worker runs only the retries it queued itself."""
    from optuna.storages.journal import JournalFileBackend

    first = _journal_study(tmp_path, interval=1, grace=1)
    dead = _running_trial(first, beat_age_s=5.0)
    other = compat.heartbeat_journal_class()(
        JournalFileBackend(str(tmp_path / "j.log")), heartbeat_interval=1, grace_period=1,
        stale_trial_callback=compat.retry_callback(max_retry=2))
    second = optuna.load_study(study_name=first.study_name, storage=other)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(first)  # the first worker fails it and queues the retry
    assert compat.retries_queued_here(first) == {dead}
    assert compat.retries_queued_here(second) == set()
    drain_running_trials(second, _objective, failure_types=())
    assert [t.state for t in first.get_trials()] == [TrialState.FAIL, TrialState.WAITING]
    drain_running_trials(first, _objective, failure_types=())
    assert [t.state for t in first.get_trials()] == [TrialState.FAIL, TrialState.COMPLETE]
