"""``--version`` of every console script: the package version (pnc-sim: also code and Meep)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from cavities._version import DISTRIBUTION
from sims.cache import CODE_VERSION
from tests.conftest import MEEP_OK

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VERSION = metadata.version(DISTRIBUTION)


def test_distribution_name_and_scripts_match_pyproject():
    assert PYPROJECT["project"]["name"] == DISTRIBUTION
    assert VERSION == PYPROJECT["project"]["version"]
    assert set(PYPROJECT["project"]["scripts"]) == {"pnc-sim", "pnc-cavity", "pnc-emitter",
                                                    "pnc-optimize"}


def _version_of(main, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    captured = capsys.readouterr()
    assert exc.value.code == 0, captured.err
    return captured.out


def test_pnc_cavity_version(capsys):
    from cavities.cli import main

    assert _version_of(main, capsys) == f"pnc-cavity ({DISTRIBUTION}) {VERSION}\n"


def test_pnc_emitter_version(capsys):
    from emitter.cli import main

    assert _version_of(main, capsys) == f"pnc-emitter ({DISTRIBUTION}) {VERSION}\n"


def test_pnc_optimize_version(capsys):
    from optimize.cli import main

    assert _version_of(main, capsys) == f"pnc-optimize ({DISTRIBUTION}) {VERSION}\n"


def test_pnc_sim_version_in_a_fresh_process():
    """The real entry point: Meep's import banner and exit message stay out of the output."""
    out = subprocess.run([sys.executable, "-m", "sims", "--version"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[:2] == [f"pnc-sim ({DISTRIBUTION}) {VERSION}",
                         f"simulation code {CODE_VERSION}"], out.stdout
    assert len(lines) == 3, out.stdout
    if MEEP_OK:
        from sims.cache import meep_version_tag

        assert lines[2] == f"Meep {meep_version_tag()}", out.stdout
    else:
        assert lines[2].startswith("Meep not available ("), out.stdout


def test_pnc_sim_version_without_meep(capsys, monkeypatch):
    """Meep that fails to import is reported on the Meep line; --version still exits 0."""
    import sims._compat
    from sims.cli import main

    def broken() -> str:
        raise sims._compat.MeepUnavailableError("Meep is not installed (test).\nhint")

    monkeypatch.setattr(sims._compat, "meep_version", broken)
    assert _version_of(main, capsys) == (f"pnc-sim ({DISTRIBUTION}) {VERSION}\n"
                                         f"simulation code {CODE_VERSION}\n"
                                         "Meep not available (Meep is not installed (test).)\n")
