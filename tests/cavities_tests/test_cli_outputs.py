"""``pnc-cavity presets/bounds --json`` and the simulation regions of ``pnc-cavity show``."""

from __future__ import annotations

import json
import re

import pytest

from cavities.cli import main
from cavities.registry import get_family, list_presets

REGIONS = ("simulation-cell", "pml", "flux-box", "collection-plane", "na-cone")


def test_presets_json_holds_the_table(capsys):
    assert main(["presets", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["name"], d["family"], d["description"]) for d in data] == list_presets()


def test_bounds_json_holds_the_table(capsys):
    assert main(["bounds", "bullseye", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    bounds = get_family("bullseye").BOUNDS
    assert list(data) == list(bounds)
    for name, b in bounds.items():
        assert data[name] == {"low": b.low, "high": b.high, "unit": b.unit, "log": b.log}


@pytest.mark.parametrize(("preset", "views"), [("bullseye_sin_520", ("side", "top")),
                                              ("sin_l3_520", ("2d",))])
def test_show_draws_cell_pml_monitors_and_cone_as_svg(preset, views, tmp_path, capsys):
    figure = tmp_path / "fig" / "geometry.svg"
    assert main(["show", preset, "--fidelity", "screen", "--out", str(tmp_path),
                 "--figure", str(figure)]) == 0
    assert capsys.readouterr().out.strip() == str(figure)
    svg = figure.read_text()
    ids = set(re.findall(r'id="([a-z0-9-]+)"', svg))
    for view in views:
        present = {r for r in REGIONS if f"{r}-{view}" in ids}
        expected = set(REGIONS) if view == "side" else {"simulation-cell", "pml", "flux-box"}
        assert present == expected, (view, sorted(present))


def test_show_writes_pdf_and_rejects_unknown_suffix(tmp_path, capsys):
    assert main(["show", "tio2_pillar_520", "--fidelity", "screen", "--out", str(tmp_path),
                 "--figure", str(tmp_path / "g.pdf")]) == 0
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    out = tmp_path / "bad"
    assert main(["show", "tio2_pillar_520", "--out", str(out),
                 "--figure", str(tmp_path / "g.docx")]) == 2
    assert ".svg or .pdf" in capsys.readouterr().err
    assert not out.exists()  # checked before anything is written
