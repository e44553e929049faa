"""The job script of ``pnc-optimize slurm`` on a real Slurm: a single node on this machine
(``make test-cluster`` starts it with tests/cluster_tests/start_slurm.sh and sets SLURM_CONF;
skipped otherwise). A fake ``pnc-optimize`` on PATH prints the command line it got as JSON (and,
for the signal test, sleeps until Slurm's SIGTERM), so no trial is run. About 1 minute.

What a single-node Slurm without accounting can check: ``--partition`` (only ``debug`` exists),
``--mem`` (up to the node's 1024 MB), ``--constraint`` (the node has features ``pnc,fast``) and
``--account`` (stored as given) are accepted; ``--qos`` is accepted and dropped (no QOS without
slurmdbd). Not covered here: ``--account``/``--qos`` validation by slurmdbd, more ranks than the
node's 2 CPUs (sbatch refuses ``--ntasks=4``, the CLI default, with "Requested node configuration
is not available"), and the ``srun`` launcher inside a trial (the fake worker runs no MPI).

Each test prints what it measured (``pytest -s``)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimize.cli import main
from optimize.slurm import slurm_time_s

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(shutil.which("sbatch") is None,
                       reason="needs Slurm's sbatch on PATH (make test-cluster installs it)"),
    pytest.mark.skipif(not os.environ.get("SLURM_CONF"),
                       reason="needs SLURM_CONF of a running Slurm: eval \"$(bash "
                       "tests/cluster_tests/start_slurm.sh)\" (make test-cluster does)"),
]

STUDY = "my \"study\" it's; touch INJECTED $(touch INJECTED2) `touch INJECTED3` a\\b #1 50%j"
ENDED = {"COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "OUT_OF_MEMORY",
         "PREEMPTED", "BOOT_FAIL", "DEADLINE"}
"""Job states of an ended job."""
FAKE = """#!{python}
import json, os, signal, sys, time
t0 = time.time()
argv = sys.argv[1:]
out = argv[argv.index("--out") + 1]
task = os.environ.get("SLURM_ARRAY_TASK_ID", "")


def on_term(signum, frame):
    with open(os.path.join(out, "sigterm-" + task + ".json"), "w") as fh:
        json.dump({{"elapsed_s": time.time() - t0}}, fh)
    sys.exit(0)


signal.signal(signal.SIGTERM, on_term)
env = {{k: os.environ.get(k) for k in
       ("PNC_STORAGE", "PNC_CAVITY_CACHE", "OMP_NUM_THREADS", "PNC_TEST_SETUP")}}
print(json.dumps({{"argv": argv, "task": task, "env": env}}), flush=True)
time.sleep(float(os.environ.get("PNC_FAKE_SLEEP_S", "0")))
"""


@pytest.fixture
def fake_env(tmp_path: Path) -> dict[str, str]:
    """The environment of sbatch (Slurm passes it to the job): the fake worker first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pnc-optimize"
    fake.write_text(FAKE.format(python=sys.executable))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                PNC_STORAGE="postgresql://user:secret@db.example:5432/pnc")


def _write_script(capsys, out: Path, *args: str) -> Path:
    code = main(["slurm", "--n-trials", "5", "--ranks", "1", "--out", str(out), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    path = Path(captured.out.strip())
    assert path.is_file(), captured.out
    return path


def _sbatch(script: Path, env: dict[str, str], cwd: Path, *opts: str,
            timeout: float = 60) -> tuple[str, float]:
    """Submit; the job id and the wall time (``--wait``: until every array task ended)."""
    t0 = time.monotonic()
    proc = subprocess.run(["sbatch", "--parsable", *opts, str(script)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False)
    wall = time.monotonic() - t0
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout.strip().split(";")[0], wall


def _job(job_id: str) -> list[str]:
    """``scontrol -o show job`` lines (one per array task; kept MinJobAge=300 s after the end)."""
    proc = subprocess.run(["scontrol", "-o", "show", "job", job_id], capture_output=True,
                          text=True, timeout=30, check=True)
    return proc.stdout.splitlines()


def _wait(job_id: str, timeout: float) -> list[str]:
    """The job's lines once every array task ended (polled each second; ``sbatch --wait``
    polls with growing sleeps, here up to ~25 s after the end)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = _job(job_id)
        if lines and all(_field(ln, "JobState", "Reason") in ENDED for ln in lines):
            return lines
        time.sleep(1)
    raise AssertionError(f"job {job_id} still running after {timeout} s: {_job(job_id)}")


def _field(line: str, key: str, next_key: str) -> str:
    """A field of a ``scontrol -o`` line (values may hold spaces: up to the next key)."""
    m = re.search(rf"(?:^| ){re.escape(key)}=(.*?) {re.escape(next_key)}=", line)
    assert m, (key, line)
    return m.group(1)


def _seconds(text: str) -> int:
    """Seconds of a time as scontrol prints it: ``[D-]HH:MM:SS``."""
    d, _, hms = text.rpartition("-")
    h, m, s = (int(x) for x in hms.split(":"))
    return int(d or 0) * 86400 + h * 3600 + m * 60 + s


def _worker_output(path: Path) -> dict:
    lines = [ln for ln in path.read_text().splitlines() if ln.startswith("{")]
    assert len(lines) == 1, path.read_text()
    return json.loads(lines[0])


def _no_injected(tmp: Path) -> None:
    """No INJECTED file under ``tmp`` (the job's working directory) nor in the other folders a
    stray ``touch`` could have used."""
    found = list(tmp.rglob("INJECTED*"))
    for folder in (Path.cwd(), Path.home(), Path("/"), Path("/tmp")):
        found += folder.glob("INJECTED*")
    assert not found, found


def test_array_tasks_get_the_exact_study_name_and_their_index(capsys, tmp_path, fake_env):
    out = tmp_path / "run dir 100%j"  # a space and Slurm's pattern character `%`
    script = _write_script(capsys, out, "--study", STUDY, "--workers", "2", "--time", "5",
                           "--signal-grace-s", "60", "--setup", "export PNC_TEST_SETUP=ran")
    job_id, wall = _sbatch(script, fake_env, tmp_path, "--wait")
    logs = sorted(out.glob("slurm-*.out"))
    assert [p.name for p in logs] == [f"slurm-{job_id}_0.out", f"slurm-{job_id}_1.out"], (
        sorted(p.name for p in tmp_path.rglob("slurm-*")))
    for index, log in enumerate(logs):
        got = _worker_output(log)
        assert got["task"] == str(index)
        argv = got["argv"]
        assert argv[0] == "worker"
        assert argv[argv.index("--study") + 1] == STUDY
        assert argv[argv.index("--out") + 1] == str(out.resolve())
        assert argv[-2:] == ["--worker-index", str(index)]
        assert got["env"] == {"PNC_STORAGE": fake_env["PNC_STORAGE"],
                              "PNC_CAVITY_CACHE": str(out.resolve() / "cache"),
                              "OMP_NUM_THREADS": "1", "PNC_TEST_SETUP": "ran"}
    names = {_field(ln, "JobName", "UserId") for ln in _job(job_id)}
    assert names == {f"pnc-{STUDY}"}, names  # sbatch's own #SBATCH parser
    states = {_field(ln, "JobState", "Reason") for ln in _job(job_id)}
    assert states == {"COMPLETED"}, states
    _no_injected(tmp_path)
    print(f"\nslurm job {job_id}: 2 array tasks, exact argv and index each, {wall:.1f} s")


def test_worker_gets_sigterm_grace_seconds_before_the_time_limit(capsys, tmp_path, fake_env):
    """``--time 2`` (the smallest whole-minute limit above the grace, Slurm's time unit is the
    minute) with ``--signal-grace-s 60``. Slurm checks time limits every 30 s and documents
    that the signal may come up to 60 s early, so SIGTERM is due 60-120 s before the limit."""
    limit_s, grace_s = 120, 60
    out = tmp_path / "sig"
    script = _write_script(capsys, out, "--study", "sig", "--workers", "1", "--time", "2",
                           "--signal-grace-s", str(grace_s))
    env = dict(fake_env, PNC_FAKE_SLEEP_S="300")  # longer than the limit: only a signal ends it
    t0 = time.monotonic()
    job_id, _ = _sbatch(script, env, tmp_path)
    (line,) = _wait(job_id, timeout=limit_s + 60)
    wall = time.monotonic() - t0
    marker = out / "sigterm-0.json"
    log = out / f"slurm-{job_id}_0.out"
    assert marker.is_file(), log.read_text() if log.exists() else "no log"
    elapsed = json.loads(marker.read_text())["elapsed_s"]
    left = limit_s - elapsed
    assert grace_s - 5 <= left <= grace_s + 60 + 5, (elapsed, log.read_text())
    assert _field(line, "JobState", "Reason") == "COMPLETED", line  # not TIMEOUT
    assert _field(line, "ExitCode", "RunTime") == "0:0", line
    run_s = _seconds(_field(line, "RunTime", "TimeLimit"))
    assert run_s < limit_s - grace_s + 15, line  # the worker stopped on SIGTERM, not at the limit
    print(f"\nslurm job {job_id}: SIGTERM {elapsed:.1f} s after the worker started, "
          f"{left:.1f} s before the {limit_s} s limit (grace {grace_s} s); job ran {run_s} s, "
          f"ended {wall:.1f} s after sbatch")


def test_sbatch_accepts_the_options(capsys, tmp_path, fake_env):
    out = tmp_path / "opts dir"
    script = _write_script(capsys, out, "--study", "opts", "--workers", "3", "--ranks", "2",
                           "--time", "1-06:30", "--signal-grace-s", "120", "--partition",
                           "debug", "--account", "proj x", "--qos", "normal", "--mem", "512M",
                           "--constraint", "pnc&fast")
    job_id, _ = _sbatch(script, fake_env, tmp_path, "--hold")  # checked, queued, never run
    try:
        (line,) = _job(job_id)  # a pending array is one record
        want = {("JobName", "UserId"): "pnc-opts", ("ArrayTaskId", "JobName"): "0-2",
                ("Account", "QOS"): "proj x", ("Partition", "AllocNode:Sid"): "debug",
                ("TimeLimit", "TimeMin"): "1-06:30:00", ("NumNodes", "NumCPUs"): "1-1",
                ("NumTasks", "CPUs/Task"): "2", ("CPUs/Task", "ReqB:S:C:T"): "1",
                ("MinMemoryNode", "MinTmpDiskNode"): "512M",
                ("Features", "DelayBoot"): "pnc&fast"}
        got = {k: _field(line, *k) for k in want}
        assert got == want, line
        assert _field(line, "StdOut", "Power").startswith(f"{out.resolve()}/slurm-{job_id}_")
    finally:
        subprocess.run(["scancel", job_id], timeout=30, check=False)
    limits = {}
    for text in ("90", "05:30", "24:00:00", "2-12", "1-06:30", "1-00:00:00"):
        path = _write_script(capsys, tmp_path / f"t{len(limits)}", "--study", "t", "--time",
                             text, "--signal-grace-s", "10")
        job_id, _ = _sbatch(path, fake_env, tmp_path, "--hold")
        try:
            (line,) = _job(job_id)
            limits[text] = _field(line, "TimeLimit", "TimeMin")
        finally:
            subprocess.run(["scancel", job_id], timeout=30, check=False)
        # Slurm's unit is the minute: seconds round up
        want_s = 60 * math.ceil(slurm_time_s(text) / 60)
        assert _seconds(limits[text]) == want_s, (text, limits[text])
    print(f"\nsbatch accepted the options; time limits as Slurm reads them: {limits}")
