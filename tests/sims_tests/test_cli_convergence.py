"""pnc-sim command line and the convergence helper (real Meep, small 2D cases)."""

from __future__ import annotations

import json

import pytest

from cavities.materials import Material
from cavities.shapes import Block
from cavities.structure import Structure
from sims.cli import main
from sims.config import SimConfig
from sims.convergence import convergence_study
from sims.results import SimResult
from tests.conftest import requires_meep


def _box_2d() -> Structure:
    """A 2D dielectric block resonator: cheap, with a clear low-Q resonance."""
    return Structure(name="block-2d",
                     shapes=(Block(center_um=(0, 0, 0), size_um=(0.5, 0.5, 1.0),
                                   material=Material(name="n2.5", epsilon_inf=6.25)),),
                     cell_size_um=(1.2, 1.2, 0.0), dimensions="2d", dipole_orientation="z",
                     wavelength_min_um=0.65, wavelength_max_um=0.85)


def test_cli_usage_errors(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing.json"), "--out", str(tmp_path)]) == 2
    assert "missing.json" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**_box_2d().to_dict(), "dipole_orientation": "q"}))
    assert main(["run", str(bad), "--out", str(tmp_path)]) == 2
    assert "dipole_orientation" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_box_2d().to_dict()))
    assert main(["run", str(good), "--out", str(tmp_path), "--set", "resolutions=3"]) == 2
    assert "unknown SimConfig field 'resolutions'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["frobnicate"])


def test_cli_template_round_trips(capsys):
    assert main(["template"]) == 0
    Structure.from_dict(json.loads(capsys.readouterr().out))


@pytest.mark.meep
@requires_meep
def test_cli_run_writes_result_and_plot(tmp_path, capsys, sim_cache):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(_box_2d().to_dict()))
    out = tmp_path / "out"
    code = main(["run", str(path), "--out", str(out), "--cache", str(sim_cache),
                 "--set", "resolution_px_per_um=30", "--set", "n_freqs=51"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == str(out / "result.json")
    result = SimResult.from_json((out / "result.json").read_text())
    assert result.config["resolution_px_per_um"] == 30
    assert (out / "purcell_spectrum.png").stat().st_size > 10_000
    assert "Purcell" in captured.err


@pytest.mark.meep
@requires_meep
def test_convergence_report(sim_cache):
    report = convergence_study(_box_2d(), SimConfig(n_freqs=51, n_freqs_flux=5), [20, 30, 40],
                               cache_dir=sim_cache)
    print(report.to_markdown())
    assert report.resolutions_px_per_um == (20.0, 30.0, 40.0)
    lam = report.values["resonance_wavelength_um"]
    assert all(v is not None for v in lam)
    # a smooth low-Q resonance: the two finest grids agree to better than 2 %
    assert report.relative_change["resonance_wavelength_um"] < 0.02
    assert report.relative_change["purcell_total"] < 0.1
    json.loads(report.to_json())
