"""The SIGTERM handler logic of workers (optimize.termination) on in-memory studies."""

from __future__ import annotations

import os
import signal
import time

import optuna
import pytest
from optuna.trial import TrialState

from optimize.study import run_until_budget, wrap_objective
from optimize.termination import Termination, WorkerTerminated


def _sigterm_self() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(1.0)  # the handler runs here


def test_handler_is_installed_and_restored():
    before = signal.getsignal(signal.SIGTERM)
    with Termination() as t:
        assert signal.getsignal(signal.SIGTERM) == t._handle
    assert signal.getsignal(signal.SIGTERM) == before


def test_signal_interrupts_only_the_interruptible_region_and_only_once():
    with Termination() as t:
        _sigterm_self()  # outside a simulation: only the flag
        assert t.requested and t.signal_name == "SIGTERM"
        with pytest.raises(WorkerTerminated), t.interruptible():
            pass  # a stop was requested: no new simulation starts
    with Termination() as t:
        with pytest.raises(WorkerTerminated, match="during the trial"), t.interruptible():
            _sigterm_self()
        _sigterm_self()  # a second signal during the clean-up raises nothing
        assert t.requested


def _study() -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    return optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))


def test_sigterm_during_a_trial_fails_and_requeues_it_and_stops():
    study = _study()
    calls = []

    def evaluate(trial):
        x = trial.suggest_float("x", 0, 1)
        calls.append(x)
        with termination.interruptible():
            _sigterm_self()
        return [x]

    with Termination() as termination:
        run_until_budget(study, wrap_objective(evaluate, (), termination=termination),
                         total_trials=5, failure_types=(), show_progress_bar=False,
                         termination=termination)
    trials = study.get_trials()
    assert len(calls) == 1
    assert [t.state for t in trials] == [TrialState.FAIL, TrialState.WAITING]
    assert "SIGTERM" in trials[0].user_attrs["fail_reason"]
    assert trials[1].system_attrs["fixed_params"] == trials[0].params


def test_sigterm_between_trials_lets_the_trial_finish_and_starts_no_new_one():
    study = _study()

    def evaluate(trial):
        x = trial.suggest_float("x", 0, 1)
        _sigterm_self()  # outside the simulation (e.g. recording results): not interrupted
        return [x]

    with Termination() as termination:
        run_until_budget(study, wrap_objective(evaluate, (), termination=termination),
                         total_trials=5, failure_types=(), show_progress_bar=False,
                         termination=termination)
    assert [t.state for t in study.get_trials()] == [TrialState.COMPLETE]
