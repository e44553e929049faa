"""`pnc-sim run` with bad JSON files: clean one-line errors naming the file and the key."""

from __future__ import annotations

import json

import pytest

from sims.cli import demo_structure, main


def _run(capsys, tmp_path, structure: str, *extra: str) -> str:
    code = main(["run", structure, "--out", str(tmp_path / "out"), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def test_unknown_structure_key_names_key_and_file(capsys, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**demo_structure().to_dict(), "emiter_position_um": [0, 0, 0]}))
    err = _run(capsys, tmp_path, str(path))
    assert "emiter_position_um" in err and str(path) in err, err


def test_unknown_shape_key_names_key_and_file(capsys, tmp_path):
    data = demo_structure().to_dict()
    data["shapes"][0]["radius"] = 0.1
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    err = _run(capsys, tmp_path, str(path))
    assert "radius" in err and "shapes[0]" in err and str(path) in err, err


def test_malformed_json_names_the_file(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",')
    err = _run(capsys, tmp_path, str(path))
    assert str(path) in err and "not valid JSON" in err and "line 1" in err, err


@pytest.mark.parametrize(("text", "message"), [('{"n_freq": 3}', "n_freq"),
                                               ("[1, 2", "not valid JSON")])
def test_bad_config_file_names_the_file(text, message, capsys, tmp_path):
    structure = tmp_path / "s.json"
    structure.write_text(json.dumps(demo_structure().to_dict()))
    config = tmp_path / "c.json"
    config.write_text(text)
    err = _run(capsys, tmp_path, str(structure), "--config", str(config))
    assert message in err and str(config) in err, err
