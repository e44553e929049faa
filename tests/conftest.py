"""Shared fixtures: Agg backend, figure clean-up, a per-session Meep result cache."""

from __future__ import annotations

import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


def _meep_ok() -> bool:
    code = "import meep; meep.Simulation"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


MEEP_OK = _meep_ok()
requires_meep = pytest.mark.skipif(
    not MEEP_OK, reason="needs Meep (Debian python3-meep-openmpi or conda-forge pymeep)")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(36523525)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def sim_cache(tmp_path_factory: pytest.TempPathFactory):
    """One result cache for the whole test session (reference runs are shared)."""
    path = tmp_path_factory.mktemp("sim-cache")
    os.environ["PNC_CAVITY_CACHE"] = str(path)
    return path
