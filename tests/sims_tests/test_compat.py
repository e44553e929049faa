"""Importing the wrong `meep` (PyPI's task runner) or none gives a clear message; the pure
packages never import Meep."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from tests._imports import modules_loaded_by

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, extra_path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (extra_path, str(ROOT)) if p)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False)


def test_wrong_meep_is_detected(tmp_path):
    fake = tmp_path / "meep"
    fake.mkdir()
    (fake / "__init__.py").write_text('"""Very light-weight task runner."""\n')
    out = _run("import sims; sims.require_meep()", extra_path=str(tmp_path))
    assert out.returncode != 0
    assert "not MIT Meep" in out.stderr and "pip uninstall meep" in out.stderr
    assert "python3-meep-openmpi" in out.stderr and "pymeep" in out.stderr


def test_pure_packages_do_not_import_meep():
    code = ("import cavities, cavities.structure, sims, sims.runner, sims.results, "
            "sims.analysis, sims.config, sims.cli, sims.convergence, sims.grid, "
            "sims.field_maps, sims.collection, sims.mode_volume")
    assert modules_loaded_by(code) == {"meep": False}
