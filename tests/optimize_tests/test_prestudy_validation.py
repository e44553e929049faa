"""Bad search options are usage errors (exit 2, one line) before the study is created."""

from __future__ import annotations

import optuna
import pytest

from optimize.cli import main


@pytest.mark.parametrize(("extra", "message"), [
    (["--emitter", "CsPbCl3"], "CsPbCl3"),
    (["--edge-nm", "-3"], "edge_nm"),
    (["--sim-set", "n_freq=101"], "Did you mean 'n_freqs'"),
    (["--set", "disk_radius_um=5"], "disk_radius_um=5"),
    (["--bound", "disk_radius_um=[0.2,0.3]", "--set", "disk_radius_um=0.5"], "disk_radius_um"),
])
def test_bad_search_option_is_refused_before_the_study_exists(extra, message, capsys,
                                                              tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    argv = ["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--n-trials", "0",
            "--study", "s", "--storage", url, "--out", str(tmp_path / "run"), "--quiet"]
    code = main([*argv, *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    if (tmp_path / "study.db").exists():
        assert "s" not in optuna.get_all_study_names(storage=url)
    # the corrected command then creates the study (no "already exists")
    assert main(argv) == 0, capsys.readouterr().err
    assert optuna.get_all_study_names(storage=url) == ["s"]


def test_sim_set_typo_is_refused_by_evaluate_too(capsys, tmp_path):
    code = main(["evaluate", "bullseye_sin_520", "--sim-set", "n_freq=101",
                 "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "n_freq" in err and "Traceback" not in err, err


def test_set_inside_the_bound_is_accepted(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    assert main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--set",
                 "disk_radius_um=0.3", "--set", "n_rings=2", "--n-trials", "0", "--storage",
                 url, "--out", str(tmp_path / "run"), "--quiet"]) == 0, capsys.readouterr().err
