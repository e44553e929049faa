"""User materials reach every process that evaluates a design: the evaluation key holds their
definitions, a study stores them for its workers, `pnc-optimize --material` registers files,
and `pnc-optimize slurm` passes `--artifacts` to the workers. No Meep."""

from __future__ import annotations

import json
import shlex

import pytest

from cavities import library
from cavities.materials import Material
from cavities.registry import design_from_dict, get_preset
from optimize.cli import main
from optimize.evaluate import EvalSettings, evaluation_key
from optimize.search import MATERIALS_ATTR, EmitterSpec, SearchSpec, create_or_resume

NAME = "SiN_userfit"


@pytest.fixture(autouse=True)
def _private_registry(monkeypatch):
    """Materials registered by a test vanish after it."""
    monkeypatch.setattr(library, "_USER", {})


def _material(eps: float) -> Material:
    return Material(name=NAME, epsilon_inf=eps, source="test: constant index")


def _design():
    return get_preset("bullseye_sin_520", membrane=NAME)


def _key(design) -> str:
    return evaluation_key(design, EmitterSpec().build(), EvalSettings())


def test_two_definitions_of_one_material_name_do_not_share_a_cache_key():
    library.register_material(_material(4.0))
    design = _design()
    first = _key(design)
    library.register_material(_material(4.0), overwrite=True)
    assert _key(design) == first  # the same definition again: the same key
    library.register_material(_material(4.2), overwrite=True)  # another fit, same name
    assert _key(design) != first


def test_a_registered_material_the_design_does_not_name_leaves_its_key_alone():
    preset = get_preset("bullseye_sin_520")
    before = _key(preset)
    library.register_material(_material(4.0))
    assert _key(preset) == before


def _spec() -> SearchSpec:
    return SearchSpec(base_design=_design().to_dict(), params=("disk_radius_um",))


def test_a_worker_without_the_material_file_gets_the_studys_definition(tmp_path, capsys):
    library.register_material(_material(4.1))
    url = f"sqlite:///{tmp_path / 'study.db'}"
    study, _ = create_or_resume(_spec(), study_name="s", storage_url=url, resume=False)
    assert study.user_attrs[MATERIALS_ATTR][NAME]["epsilon_inf"] == 4.1

    library._USER.clear()  # a worker in another process: nothing registered
    with pytest.raises(ValueError, match="register_material"):
        SearchSpec.from_json(study.user_attrs["pnc_search_spec"])
    _, spec = create_or_resume(None, study_name="s", storage_url=url, resume=True)
    assert library.get_material(NAME).epsilon_inf == 4.1
    assert design_from_dict(spec.base_design).membrane == NAME

    library.register_material(_material(3.9), overwrite=True)  # a stale local definition
    create_or_resume(None, study_name="s", storage_url=url, resume=True)
    assert library.get_material(NAME).epsilon_inf == 4.1
    assert "different definition" in capsys.readouterr().err


def test_a_study_without_user_materials_stores_none(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    spec = SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("disk_radius_um",))
    study, _ = create_or_resume(spec, study_name="s", storage_url=url, resume=False)
    assert MATERIALS_ATTR not in study.user_attrs


def test_material_option_registers_the_file_before_the_design_is_read(tmp_path, capsys):
    design = tmp_path / "design.json"
    library.register_material(_material(4.0))
    design.write_text(json.dumps(_design().to_dict()))
    library._USER.clear()
    args = ["optimize", str(design), "--params", "disk_radius_um", "--n-trials", "0",
            "--out", str(tmp_path / "run"), "--quiet"]
    assert main(args) == 2
    assert f"membrane={NAME!r}" in capsys.readouterr().err

    mat = tmp_path / "mat.json"
    mat.write_text(json.dumps({"material": _material(4.0).to_dict()}))
    assert main([*args, "--material", str(mat)]) == 0, capsys.readouterr().err
    assert library.get_material(NAME).epsilon_inf == 4.0


def test_material_option_names_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"material": {"nme": "x"}}')
    code = main(["optimize", "bullseye_sin_520", "--params", "disk_radius_um", "--n-trials",
                 "0", "--material", str(bad), "--out", str(tmp_path / "run")])
    assert code == 2
    assert "bad.json" in capsys.readouterr().err


def test_slurm_passes_the_artifact_folder_to_every_worker(tmp_path, capsys):
    code = main(["slurm", "--n-trials", "5", "--out", str(tmp_path / "o"), "--artifacts",
                 "figs dir", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    (line,) = [ln for ln in out.splitlines() if ln.startswith("exec ")]
    argv = shlex.split(line)
    assert argv[argv.index("--artifacts") + 1].endswith("/figs dir")
    assert argv[argv.index("--artifacts") + 1].startswith("/")  # resolved: workers' cwd differ
