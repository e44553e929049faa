"""The evaluation cache key covers the simulation code's version and the Meep version."""

from __future__ import annotations

import re
from pathlib import Path

import sims.cache
from cavities.registry import get_preset
from optimize.evaluate import EvalSettings, evaluation_key
from optimize.search import EmitterSpec
from tests._imports import modules_loaded_by

ROOT = Path(__file__).resolve().parents[2]


def _key() -> str:
    return evaluation_key(get_preset("bullseye_sin_520"), EmitterSpec().build(),
                          EvalSettings())


def test_code_version_changes_the_evaluation_key(monkeypatch):
    before = _key()
    assert _key() == before
    monkeypatch.setattr(sims.cache, "CODE_VERSION", sims.cache.CODE_VERSION + "-next")
    assert _key() != before


def test_meep_version_changes_the_evaluation_key(monkeypatch):
    before = _key()
    monkeypatch.setattr(sims.cache, "meep_version_tag", lambda: "9.99.0")
    assert _key() != before


def test_the_key_does_not_import_meep():
    code = "from tests.optimize_tests.test_evaluation_key import _key; _key()"
    assert modules_loaded_by(code) == {"meep": False}


def test_one_atomic_write_helper():
    """Temporary-file writes live in sims.cache.atomic_write only (unique names, no PIDs)."""
    for path in [*ROOT.joinpath("optimize").glob("*.py"), ROOT / "sims" / "runner.py"]:
        text = path.read_text()
        assert not re.search(r"mkstemp|os\.replace|getpid\(\)[^\n]*tmp", text), path


def test_a_family_grid_change_changes_the_evaluation_key(monkeypatch):
    """A cached evaluation made at a family's old default grid must not be served after the
    default changes (the user's settings say `resolution_px_per_um=None` in both cases)."""
    from cavities.families.bullseye import Bullseye

    before = _key()
    monkeypatch.setattr(Bullseye, "RESOLUTION_PX_PER_UM", {"screen": 40.0, "full": 80.0})
    assert _key() != before
    monkeypatch.undo()
    monkeypatch.setattr(Bullseye, "ERROR_GRID_RATIO", 1.5)
    assert _key() != before
