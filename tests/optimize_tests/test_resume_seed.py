"""A resumed study's sampler seed is a function of its state, not of the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from optimize.cli import main
from optimize.search import resumed_seed

ROOT = Path(__file__).resolve().parents[2]
# Resume the study in a fresh process and print the seed its sampler gets.
RESUME = """
import sys
import optimize.search as search
seeds = []
real_open_study = search.open_study
def spy(spec, **kwargs):
    seeds.append(spec.seed)
    return real_open_study(spec, **kwargs)
search.open_study = spy
kwargs = {"worker_index": int(sys.argv[2])} if len(sys.argv) > 2 else {}
search.create_or_resume(None, study_name="r", storage_url=sys.argv[1], resume=True, **kwargs)
print(seeds[0])
"""


def _resume_seed(url: str, *index: str) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", RESUME, url, *index], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


def test_two_resumes_of_the_same_state_get_the_same_seed(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    assert main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--n-trials",
                 "0", "--study", "r", "--storage", url, "--seed", "7", "--out",
                 str(tmp_path / "run"), "--quiet"]) == 0, capsys.readouterr().err
    first, second = _resume_seed(url), _resume_seed(url)
    assert first == second


def test_resumed_seed_depends_on_seed_trials_and_worker_index():
    base = resumed_seed(seed=7, n_trials=1, worker_index=0)
    assert base == resumed_seed(seed=7, n_trials=1, worker_index=0)
    others = {resumed_seed(seed=8, n_trials=1, worker_index=0),
              resumed_seed(seed=7, n_trials=2, worker_index=0),
              resumed_seed(seed=7, n_trials=1, worker_index=1)}
    assert base not in others and len(others) == 3
    assert all(0 <= s < 2**31 for s in (base, *others))


def test_worker_index_reaches_the_seed(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    assert main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--n-trials",
                 "0", "--study", "r", "--storage", url, "--seed", "7", "--out",
                 str(tmp_path / "run"), "--quiet"]) == 0, capsys.readouterr().err
    assert _resume_seed(url, "0") == resumed_seed(seed=7, n_trials=1, worker_index=0)
    assert _resume_seed(url, "3") == resumed_seed(seed=7, n_trials=1, worker_index=3)
