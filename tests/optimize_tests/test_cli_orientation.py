"""pnc-optimize --orientation offers every orientation model of the emitter package (no Meep)."""

from __future__ import annotations

import argparse

import pytest

from emitter.purcell import ORIENTATIONS
from optimize.cli import _search_spec, _settings, build_parser
from optimize.search import SearchSpec

PRESET = "bullseye_sin_520"


def _orientation_choices(parser: argparse.ArgumentParser, command: str) -> tuple[str, ...]:
    args = parser.parse_args([command, PRESET])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    action = next(a for a in sub.choices[command]._actions if a.dest == "orientation")
    assert args.orientation == action.default == "aligned"
    return tuple(action.choices)


@pytest.mark.parametrize("command", ["evaluate", "optimize", "sweep"])
def test_choices_are_the_emitter_models(command):
    assert "planar" in ORIENTATIONS
    choices = _orientation_choices(build_parser(), command)
    assert choices == ORIENTATIONS, f"{command=}, {choices=}"


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_each_orientation_reaches_the_evaluation_settings(orientation):
    args = build_parser().parse_args(["evaluate", PRESET, "--orientation", orientation])
    settings = _settings(args)
    assert settings.orientation == orientation
    assert settings.key_dict()["orientation"] == orientation  # part of the evaluation key


def test_planar_reaches_the_stored_search_spec():
    """What a worker reads back from the study (SearchSpec JSON) keeps ``planar``."""
    args = build_parser().parse_args(["optimize", PRESET, "--params", "disk_radius_um",
                                      "--orientation", "planar"])
    spec = _search_spec(args, "tpe", None)
    assert spec.settings.orientation == "planar"
    assert SearchSpec.from_json(spec.to_json()).settings.orientation == "planar"


def test_unknown_orientation_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["evaluate", PRESET, "--orientation", "vertical"])
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert "invalid choice: 'vertical'" in err and "planar" in err, err
