"""Each shim of optimize._optuna_compat against the installed Optuna, and the version floor."""

from __future__ import annotations

import importlib
import re
import threading
import time
import warnings
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from optimize import _optuna_compat as compat
from optimize.storage import open_storage

ROOT = Path(__file__).resolve().parents[2]


def test_installed_optuna_is_supported_and_old_ones_are_refused():
    compat.require_supported(optuna.__version__)
    compat.require_supported("4.0.0")
    with pytest.raises(ImportError, match=r"optuna>=4\.0.*optuna 3\.6\.2 is installed"):
        compat.require_supported("3.6.2")


def test_import_with_an_old_optuna_raises_a_clear_import_error(monkeypatch):
    monkeypatch.setattr(optuna, "__version__", "3.6.0")
    with pytest.raises(ImportError, match="optuna>=4.0"):
        importlib.reload(compat)
    monkeypatch.undo()
    importlib.reload(compat)


def test_pyproject_lower_bound_matches_the_compat_module():
    text = (ROOT / "pyproject.toml").read_text()
    bound = re.search(r'"optuna>=([0-9.]+)"', text)
    assert bound is not None
    assert tuple(int(p) for p in bound.group(1).split(".")[:2]) == compat.MIN_OPTUNA


def test_no_optuna_private_name_outside_the_compat_module():
    pattern = re.compile(r"optuna\.[a-z_.]*\._|\._storage\b|\._trial_id\b|\._lock\b")
    for path in (ROOT / "optimize").glob("*.py"):
        if path.name != "_optuna_compat.py":
            assert not pattern.search(path.read_text()), path


def test_heartbeat_journal_storage_fails_a_silent_trial_and_queues_its_retry(tmp_path):
    cls = compat.heartbeat_journal_class()
    from optuna.storages.journal import JournalFileBackend

    storage = cls(JournalFileBackend(str(tmp_path / "j.log")), heartbeat_interval=1,
                  grace_period=1, stale_trial_callback=compat.retry_callback(max_retry=2))
    study = optuna.create_study(storage=storage)
    assert compat.is_heartbeat_enabled(study)
    assert storage.get_heartbeat_interval() == 1
    assert storage.get_failed_trial_callback() is storage.get_heartbeat_stale_trial_callback()
    with warnings.catch_warnings():  # "Heartbeat ... supposed to be used with Study.optimize"
        warnings.simplefilter("ignore", UserWarning)
        trial = study.ask()
    trial.suggest_float("x", 0, 1)
    storage.record_heartbeat(trial._trial_id)
    beat = study.get_trials()[0].system_attrs[compat.HEARTBEAT_ATTR]
    assert abs(beat - time.time()) < 60
    time.sleep(1.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)
    states = [t.state for t in study.get_trials()]
    assert states == [TrialState.FAIL, TrialState.WAITING], states


def test_rdb_storage_takes_the_callback_keyword(tmp_path):
    kwargs = compat.rdb_heartbeat_kwargs(compat.retry_callback(max_retry=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        storage = optuna.storages.RDBStorage(f"sqlite:///{tmp_path / 's.db'}",
                                             heartbeat_interval=5, grace_period=10, **kwargs)
    study = optuna.create_study(storage=storage)
    assert compat.is_heartbeat_enabled(study)
    assert not compat.is_heartbeat_enabled(optuna.create_study())


def test_journal_write_lock_is_the_backend_lock(tmp_path):
    from optuna.storages.journal import JournalFileBackend

    backend = JournalFileBackend(str(tmp_path / "j.log"))
    entered = threading.Event()
    with compat.journal_write_lock(backend):
        writer = threading.Thread(target=lambda: (backend.append_logs([{"op": 1}]),
                                                  entered.set()))
        writer.start()
        assert not entered.wait(0.5), "an append ran while the lock was held"
    writer.join(10)
    assert entered.is_set()


def test_open_storage_repairs_a_cut_journal_under_the_lock(tmp_path, capsys):
    path = tmp_path / "study.journal"
    optuna.create_study(study_name="s", storage=open_storage(str(path)))
    with path.open("a") as fh:
        fh.write('{"op_code": 5, "cut')
    optuna.load_study(study_name="s", storage=open_storage(str(path)))
    assert path.read_bytes().endswith(b"\n")
    assert "incomplete record" in capsys.readouterr().err


def _silent_trial_study(storage):
    study = optuna.create_study(storage=storage)
    with warnings.catch_warnings():  # "Heartbeat ... supposed to be used with Study.optimize"
        warnings.simplefilter("ignore", UserWarning)
        beating, silent = study.ask(), study.ask()
    for t in (beating, silent):
        t.suggest_float("x", 0, 1)
    study._storage.record_heartbeat(silent._trial_id)
    time.sleep(3.2)  # SQLite's clock has whole seconds
    study._storage.record_heartbeat(beating._trial_id)
    return study, beating.number, silent.number


@pytest.mark.parametrize("kind", ["journal", "sqlite"])
def test_silent_trial_numbers_takes_a_shorter_silence_than_the_grace_period(tmp_path, kind):
    if kind == "journal":
        from optuna.storages.journal import JournalFileBackend

        storage = compat.heartbeat_journal_class()(
            JournalFileBackend(str(tmp_path / "j.log")), heartbeat_interval=1, grace_period=60,
            stale_trial_callback=None)
    else:
        with warnings.catch_warnings():  # heartbeat_interval is "experimental"
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            storage = optuna.storages.RDBStorage(f"sqlite:///{tmp_path / 's.db'}",
                                                 heartbeat_interval=1, grace_period=60)
    study, beating, silent = _silent_trial_study(storage)
    assert compat.heartbeat_interval_s(study) == 1.0
    assert compat.silent_trial_numbers(study, 2) == {silent}
    assert compat.silent_trial_numbers(study, 30) == set()
    # the storage's own grace period is untouched: nothing is stale yet
    grace = storage.grace_period if kind == "sqlite" else storage._grace_period
    assert grace == 60
    assert beating not in compat.silent_trial_numbers(study, 2)


def test_no_heartbeat_storage_has_no_silent_trials():
    study = optuna.create_study()
    assert compat.heartbeat_interval_s(study) is None
    assert compat.silent_trial_numbers(study, 1) == set()
