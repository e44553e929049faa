"""pnc-optimize: exit codes, output files and error messages (entry point called directly)."""

from __future__ import annotations

import json

import pytest

from optimize.cli import main
from tests.conftest import requires_meep

COARSE = ["--resolution", "20", "--sim-set", "n_freqs=101", "--sim-set", "n_freqs_flux=11",
          "--set", "n_rings=2"]


def test_presets_lists_every_family(capsys):
    assert main(["presets", "-v"]) == 0
    out = capsys.readouterr().out
    for name in ("bullseye_sin_520", "akahane_l3_si", "CsPbBr3"):
        assert name in out
    assert "disk_radius_um" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["evaluate", "bulleye_sin_520"], "Did you mean 'bullseye_sin_520'"),
    (["evaluate", "bullseye_sin_520", "--set", "disc_radius_um=0.3"], "disc_radius_um"),
    (["evaluate", "bullseye_sin_520", "--set", "disk_radius_um=-0.3"], "disk_radius_um"),
    (["evaluate", "bullseye_sin_520", "--set", "trench_width_um=0.01"], "minimum feature"),
    (["evaluate", "missing.json"], "does not exist"),
    (["evaluate", "bullseye_sin_520", "--emitter", "CsSnI3"], "CsSnI3"),
    (["optimize", "bullseye_sin_520", "--params", "radius"], "radius"),
    (["sweep", "bullseye_sin_520", "--grid", "disk_radius_um=0.2,0.3", "--objective", "g2",
      "--objective", "g2"], "distinct"),
])
def test_usage_errors_exit_2_with_a_clear_message(argv, message, capsys, tmp_path):
    code = main([*argv, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err, err
    assert "Traceback" not in err


def test_unreachable_storage_is_one_line_without_password(capsys, tmp_path):
    url = "postgresql://pnc:hunter2secret@127.0.0.1:9/db"
    code = main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--storage", url,
                 "--out", str(tmp_path), "--n-trials", "1"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "hunter2secret" not in captured.err + captured.out
    assert "cannot open storage postgresql://pnc:***@127.0.0.1:9/db" in captured.err
    assert len(captured.err.strip().splitlines()) <= 2, captured.err


def test_slurm_dry_run_has_no_password(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PNC_STORAGE", "postgresql://pnc:hunter2secret@db/pnc")
    assert main(["slurm", "--study", "s", "--n-trials", "50", "--workers", "4", "--ranks", "2",
                 "--dry-run", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "#SBATCH --array=0-3" in out and "--ranks 2 --launcher srun" in out
    assert "hunter2secret" not in out


@pytest.mark.meep
@requires_meep
def test_evaluate_writes_result_and_figures(capsys, tmp_path, sim_cache):
    out = tmp_path / "ev"
    code = main(["evaluate", "bullseye_sin_520", *COARSE, "--cache", str(sim_cache),
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == str(out / "evaluation.md")
    ev = json.loads((out / "evaluation.json").read_text())
    assert ev["design"]["params"]["n_rings"] == 2
    for png in ("geometry.png", "spectrum.png", "collection.png"):
        assert (out / png).stat().st_size > 10_000, png
    assert "exciton Purcell factor" in (out / "evaluation.md").read_text()


@pytest.mark.meep
@requires_meep
def test_sweep_grid_and_report(capsys, tmp_path, sim_cache):
    out = tmp_path / "sweep"
    code = main(["sweep", "bullseye_sin_520", *COARSE, "--grid", "disk_radius_um=0.22,0.26",
                 "--cache", str(sim_cache), "--out", str(out), "--study", "g", "--quiet",
                 "--tolerance-nm", "40"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = json.loads((out / "trials.json").read_text())
    assert sorted(r["disk_radius_um"] for r in rows) == [0.22, 0.26]
    assert (out / "trials.csv").exists() and (out / "report.md").exists()
    assert main(["report", "--study", "g", "--out", str(out)]) == 0
