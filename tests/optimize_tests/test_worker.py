"""Real `pnc-optimize worker` processes on a real SQLite study, with a fake simulation (no Meep):
SIGTERM handling and a worker whose budget is met."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState

from optimize.cli import main
from optimize.storage import open_storage

ROOT = Path(__file__).resolve().parents[2]
# The real worker CLI, with the simulation replaced by one that never ends (it writes a marker
# file first, so the test knows a trial is running).
HANGING_WORKER = """
import pathlib, sys, time
import optimize.search as search
marker = pathlib.Path(sys.argv[1])
def hanging_evaluate(*args, **kwargs):
    marker.write_text("running")
    while True:
        time.sleep(0.05)
search.evaluate = hanging_evaluate
from optimize.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, PNC_CAVITY_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    env.pop("PNC_STORAGE", None)
    return env


def _create(tmp_path: Path, capsys) -> str:
    url = f"sqlite:///{tmp_path / 'study.db'}"
    code = main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--n-trials",
                 "0", "--study", "w", "--storage", url, "--out", str(tmp_path / "run"),
                 "--quiet"])
    assert code == 0, capsys.readouterr().err
    return url


def _trials(url: str) -> list:
    return optuna.load_study(study_name="w",
                             storage=open_storage(url, heartbeat=False)).get_trials()


def test_sigterm_fails_and_requeues_the_running_trial_and_exits_0(tmp_path, capsys):
    url = _create(tmp_path, capsys)
    marker = tmp_path / "running"
    proc = subprocess.Popen(
        [sys.executable, "-c", HANGING_WORKER, str(marker), "worker", "--study", "w",
         "--n-trials", "2", "--storage", url, "--out", str(tmp_path / "run"), "--quiet"],
        env=_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        deadline = time.time() + 90
        while not marker.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert marker.exists(), proc.communicate(timeout=10)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped by SIGTERM" in err, err
    assert "Traceback" not in err, err
    trials = _trials(url)
    states = [t.state for t in trials]
    assert TrialState.RUNNING not in states, states
    failed = [t for t in trials if t.state == TrialState.FAIL]
    assert len(failed) == 1 and "SIGTERM" in failed[0].user_attrs["fail_reason"], failed
    requeued = [t for t in trials if t.state == TrialState.WAITING]
    assert len(requeued) == 1, states
    assert requeued[0].system_attrs["fixed_params"] == failed[0].params
    assert requeued[0].user_attrs["requeued_from"] == failed[0].number


def test_worker_whose_budget_is_met_leaves_a_live_workers_trial_after_one_watch(tmp_path,
                                                                                capsys):
    """The budget is met and another worker's trial is RUNNING and not silent: the worker
    watches it for two heartbeat intervals (2 × 2 s here), then exits, leaving it RUNNING."""
    url = _create(tmp_path, capsys)
    study = optuna.load_study(study_name="w", storage=open_storage(url, heartbeat=False))
    study.add_trial(optuna.trial.create_trial(
        params={"disk_radius_um": 0.3}, value=1.0,
        distributions={"disk_radius_um": FloatDistribution(0.12, 0.6)}))
    study.ask()  # a live worker's trial: RUNNING for as long as it likes (no heartbeat row)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "optimize", "worker", "--study", "w", "--n-trials", "1",
         "--storage", url, "--out", str(tmp_path / "run"), "--quiet"],
        env={**_env(tmp_path), "PNC_HEARTBEAT_S": "2", "PNC_GRACE_S": "10"}, cwd=ROOT,
        capture_output=True, text=True, check=False, timeout=90)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    assert 4.0 < elapsed < 40, elapsed
    assert "1 COMPLETE trials" in proc.stderr, proc.stderr
    assert [t.state for t in _trials(url)].count(TrialState.RUNNING) == 1
