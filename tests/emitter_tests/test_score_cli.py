"""score() as the optimiser sees it: JSON safety, SimResult adapter, warnings, CLI, purity."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from emitter import CavityResponse, EmitterScore, Excitation, preset_emitter, score
from emitter.cli import main
from tests.emitter_tests._fixtures import synthetic_sim_result
from tests._imports import modules_loaded_by


def test_score_json_roundtrip_no_nan() -> None:
    e = preset_emitter("CsPbBr3", temperature_k=4.0)
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, quality_factor=5000,
                                    mode_volume_lambda_n3=0.6, refractive_index=1.5,
                                    collection_efficiency=0.3)
    s = score(cav, e, excitation=Excitation(gate_ns=0.02), orientation="triplet")
    text = s.to_json()  # allow_nan=False: raises on NaN
    assert EmitterScore.from_json(text) == s
    for k, v in s.to_dict().items():
        assert not (isinstance(v, float) and not math.isfinite(v)), k
    assert s.collection_efficiency == pytest.approx(0.3)


def test_from_sim_result_all_inputs(tmp_path: Path) -> None:
    r = synthetic_sim_result()
    path = tmp_path / "result.json"
    path.write_text(r.to_json())
    a = CavityResponse.from_sim_result(r)
    assert CavityResponse.from_sim_result(r.to_dict()) == a
    assert CavityResponse.from_sim_result(path) == a
    assert (a.quality_factor, a.mode_volume_lambda_n3, a.refractive_index) == (2000.0, 0.8, 1.5)
    s = score(a, preset_emitter("CsPbBr3", exciton_wavelength_um=0.517))
    assert s.purcell_x == pytest.approx(s.purcell_x_closed_form, rel=0.01)
    assert s.purcell_radiative_x == pytest.approx(0.9 * s.purcell_x, rel=0.01)
    assert s.collection_efficiency == pytest.approx(0.4, rel=1e-6)
    assert s.qy_x_cavity < s.qy_x_bare * 1.2  # quenching: F_rad = 0.9 F_tot


def test_line_outside_window_warns() -> None:
    r = synthetic_sim_result(wavelength_um=0.60)
    s = score(CavityResponse.from_sim_result(r), preset_emitter("CsPbBr3"))
    assert any("outside the simulated window" in w for w in s.warnings)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="orientation='sideways'"):
        score(CavityResponse.bare(), preset_emitter("CsPbBr3"), orientation="sideways")
    with pytest.raises(ValueError, match="quality_factor=-1"):
        CavityResponse.lorentzian(wavelength_um=0.5, quality_factor=-1, mode_volume_lambda_n3=1)
    with pytest.raises(ValueError, match="gate_ns=-1"):
        Excitation(gate_ns=-1)


def test_cli_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "result.json"
    path.write_text(synthetic_sim_result().to_json())
    out = tmp_path / "score.json"
    rc = main(["evaluate", str(path), "--emitter", "CsPbBr3", "--temperature-k", "4",
               "--set", "qy_x=0.95", "--orientation", "random", "--out", str(out)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "biexciton-enhancement risk" in text
    d = json.loads(out.read_text())
    assert EmitterScore.from_dict(d).orientation == "random"


@pytest.mark.parametrize("argv", [
    ["evaluate", "missing.json"],
    ["evaluate", "{result}", "--emitter", "CsSnI3"],
    ["evaluate", "{result}", "--set", "nonsense"],
    ["evaluate", "{result}", "--set", "bogus=1"],
    ["evaluate", "{bad}"],
])
def test_cli_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              argv: list[str]) -> None:
    good, bad = tmp_path / "r.json", tmp_path / "bad.json"
    good.write_text(synthetic_sim_result().to_json())
    bad.write_text("{\"schema_version\": 1}")
    argv = [a.format(result=good, bad=bad) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pnc-emitter: error:"), err


def test_cli_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets"]) == 0
    assert "CsPbI3" in capsys.readouterr().out


def test_emitter_does_not_import_meep() -> None:
    loaded = modules_loaded_by("import emitter, emitter.cli; from emitter import score",
                               ["meep", "sims._meep_backend", "sims.runner"])
    assert not any(loaded.values()), loaded


def test_example_g2_risk_writes_png(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "emitter_g2_risk", Path(__file__).parents[2] / "examples" / "emitter_g2_risk.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    out = tmp_path / "g2.png"
    assert mod.main([str(out)]) == 0
    assert out.stat().st_size > 10_000
