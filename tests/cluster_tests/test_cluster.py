"""Cluster behaviour with real components: worker processes of the real CLI, real Meep trials,
a real PostgreSQL server (``make test-cluster`` starts it and sets ``PNC_TEST_PG_URL``), and
Optuna's journal file storage. Run with ``make test-cluster``; skipped otherwise.

Each test prints the counts it measured (``pytest -s``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from optimize.storage import open_storage
from sims._child import FAULT_ENV

pytestmark = pytest.mark.cluster

PG_URL = os.environ.get("PNC_TEST_PG_URL", "")
PASSWORD = os.environ.get("PNC_TEST_PG_PASSWORD", "")
ROOT = Path(__file__).resolve().parents[2]
COARSE = ["--resolution", "20", "--sim-set", "n_freqs=101", "--sim-set", "n_freqs_flux=11",
          "--set", "n_rings=2", "--tolerance-nm", "40"]
HEARTBEAT_ENV = {"PNC_HEARTBEAT_S": "2", "PNC_GRACE_S": "10"}


def _env(storage: str, cache: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PNC_STORAGE=storage, PNC_CAVITY_CACHE=str(cache), **HEARTBEAT_ENV)
    env.pop(FAULT_ENV, None)
    env.update(extra)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as fh:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "optimize", *args], env=env, stdout=fh,
                                stderr=subprocess.STDOUT, cwd=ROOT)


def _create_study(storage: str, study: str, out: Path, cache: Path) -> None:
    env = _env(storage, cache)
    proc = _cli(["optimize", "bullseye_sin_520", *COARSE, "--params", "disk_radius_um",
                 "--bound", "disk_radius_um=[0.2,0.3]", "--n-trials", "0", "--study", study,
                 "--out", str(out), "--quiet"], env, out.parent / f"{study}-create.log")
    assert proc.wait(timeout=120) == 0, (out.parent / f"{study}-create.log").read_text()


def _load(storage: str, study: str):
    """The study's trials, read through a storage that is closed again (no open connections)."""
    st = open_storage(storage, heartbeat=False)
    try:
        return _Snapshot(optuna.load_study(study_name=study, storage=st).get_trials())
    finally:
        engine = getattr(getattr(st, "_backend", st), "engine", None)
        if engine is not None:
            engine.dispose()


class _Snapshot:
    def __init__(self, trials: list) -> None:
        self._trials = trials

    def get_trials(self, states: tuple | None = None) -> list:
        return [t for t in self._trials if states is None or t.state in states]


def _all_output(tmp: Path) -> str:
    text = []
    for p in tmp.rglob("*"):
        if p.is_file() and p.suffix in (".log", ".md", ".json", ".csv", ".txt", ".sbatch"):
            text.append(p.read_text(errors="replace"))
    return "\n".join(text)


def _kill_test(storage: str, tmp: Path, *, budget: int = 6, workers: int = 3) -> dict:
    study_name = "kill"
    out, cache = tmp / "run", tmp / "cache"
    out.mkdir(parents=True)
    _create_study(storage, study_name, out, cache)
    procs = [_cli(["worker", "--study", study_name, "--n-trials", str(budget), "--out",
                   str(out), "--quiet"], _env(storage, cache), tmp / f"worker{i}.log")
             for i in range(workers)]
    victim = procs[0]
    killed_trial = None
    deadline = time.time() + 300
    while time.time() < deadline and killed_trial is None:
        time.sleep(1.0)
        for t in _load(storage, study_name).get_trials(states=(TrialState.RUNNING,)):
            if t.user_attrs.get("worker", "").endswith(f":{victim.pid}"):
                time.sleep(1.0)  # inside its simulation
                victim.send_signal(signal.SIGKILL)
                killed_trial = t.number
                break
    assert killed_trial is not None, "the victim never started a trial"
    victim.wait()
    # the trial it died in (a coarse trial may have ended during the sleep and the next begun)
    died_in = [t.number for t in _load(storage, study_name).get_trials(
        states=(TrialState.RUNNING,)) if t.user_attrs.get("worker", "").endswith(f":{victim.pid}")]
    assert len(died_in) == 1, f"the victim was killed between trials: {died_in}"
    killed_trial = died_in[0]
    complete_before = {t.number: (t.params, t.values)
                       for t in _load(storage, study_name).get_trials(
                           states=(TrialState.COMPLETE,))}
    for p in procs[1:]:
        assert p.wait(timeout=900) == 0
    study = _load(storage, study_name)
    trials = study.get_trials()
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    killed = trials[killed_trial]
    retries = [t for t in trials if t.system_attrs.get("failed_trial") == killed_trial]
    counts = {s.name: sum(t.state == s for t in trials) for s in TrialState}
    print(f"\n{storage.split(':')[0]}: budget {budget}, {workers} workers, killed trial "
          f"{killed_trial}; states {counts}; retried as {[t.number for t in retries]}")
    assert budget <= len(complete) <= budget + workers - 1, counts
    assert killed.state == TrialState.FAIL, killed.state
    assert retries and retries[0].params == killed.params, "killed trial not retried"
    for n, (params, values) in complete_before.items():
        assert trials[n].state == TrialState.COMPLETE and trials[n].params == params \
            and trials[n].values == values, f"COMPLETE trial {n} lost or changed"
    return {"counts": counts, "killed": killed_trial}


@pytest.mark.skipif(not PG_URL, reason="needs PNC_TEST_PG_URL (make test-cluster)")
def test_kill_a_worker_postgresql(tmp_path):
    _kill_test(PG_URL, tmp_path)
    if PASSWORD:
        assert PASSWORD not in _all_output(tmp_path)


def test_kill_a_worker_journal(tmp_path):
    _kill_test(str(tmp_path / "study.journal"), tmp_path)


def test_journal_with_a_cut_last_line(tmp_path):
    journal = tmp_path / "study.journal"
    out, cache = tmp_path / "run", tmp_path / "cache"
    out.mkdir()
    _create_study(str(journal), "cut", out, cache)
    with journal.open("a") as fh:  # a worker died in the middle of writing a line
        fh.write('{"op_code": 5, "worker_id": "dead", "study_id": 0, "datetime_st')
    proc = _cli(["worker", "--study", "cut", "--n-trials", "2", "--out", str(out), "--quiet"],
                _env(str(journal), cache), tmp_path / "w.log")
    assert proc.wait(timeout=600) == 0, (tmp_path / "w.log").read_text()
    study = _load(str(journal), "cut")
    n = sum(t.state == TrialState.COMPLETE for t in study.get_trials())
    print(f"\njournal with a cut line: {n} COMPLETE trials")
    assert n == 2
    assert [p.read_bytes() for p in tmp_path.glob("study.journal.cut-*")] == \
        [b'{"op_code": 5, "worker_id": "dead", "study_id": 0, "datetime_st'], "cut bytes not kept"


@pytest.mark.parametrize(("fault", "ranks", "reason"), [("hang", 1, "timeout"),
                                                         ("crash", 2, "crashed")])
def test_injected_fault_fails_the_trial_and_the_study_completes(tmp_path, fault, ranks,
                                                                reason):
    journal = str(tmp_path / "study.journal")
    out, cache = tmp_path / "run", tmp_path / "cache"
    out.mkdir()
    _create_study(journal, "fault", out, cache)
    # a cylindrical run gets 1 rank unless forced (sims.process.choose_ranks): force it, so that
    # the crash of an mpirun-launched rank is what this tests
    env = _env(journal, cache, **{FAULT_ENV: f"{fault}:once={tmp_path / 'fired'}",
                                  "PNC_FORCE_MPI": "1"})
    proc = _cli(["worker", "--study", "fault", "--n-trials", "2", "--out", str(out), "--quiet",
                 "--timeout-s", "60", "--ranks", str(ranks)], env, tmp_path / "w.log")
    assert proc.wait(timeout=900) == 0, (tmp_path / "w.log").read_text()
    trials = _load(journal, "fault").get_trials()
    failed = [t for t in trials if t.state == TrialState.FAIL]
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    print(f"\n{fault}: FAIL {[t.user_attrs.get('fail_reason') for t in failed]}, "
          f"COMPLETE {len(complete)}, ranks {[t.user_attrs.get('mpi_ranks') for t in complete]}")
    assert len(failed) == 1 and reason in failed[0].user_attrs["fail_reason"]
    assert len(complete) == 2
    assert all(t.user_attrs.get("mpi_ranks") == ranks for t in complete)


@pytest.mark.skipif(not PG_URL, reason="needs PNC_TEST_PG_URL (make test-cluster)")
@pytest.mark.parametrize("case", ["wrong_password", "unreachable_host"])
def test_storage_errors_are_one_line_without_password(tmp_path, case):
    from urllib.parse import urlsplit

    u = urlsplit(PG_URL)
    if case == "wrong_password":
        secret = "definitely-wrong-pw-71"
        url = f"postgresql://{u.username}:{secret}@{u.hostname}:{u.port or 5432}{u.path}"
    else:
        secret = PASSWORD or "unused"
        url = f"postgresql://{u.username}:{secret}@127.0.0.1:9{u.path}"
    proc = subprocess.run([sys.executable, "-m", "optimize", "report", "--study", "x",
                           "--out", str(tmp_path)], env=_env(url, tmp_path / "c"),
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    text = proc.stdout + proc.stderr
    print(f"\n{case}: exit {proc.returncode}: {text.strip()}")
    assert proc.returncode == 1
    assert secret not in text
    assert len(text.strip().splitlines()) == 1
    assert ("password" in text) if case == "wrong_password" else ("reachable" in text)
