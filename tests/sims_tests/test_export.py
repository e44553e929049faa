"""netCDF export of a SimResult (sims.export, ``pnc-sim export``) from synthetic results: no Meep.

Round trips are exact (``assert_array_equal``, NaN equal to NaN): netCDF stores float64.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from importlib import metadata

import numpy as np
import pytest

from sims.accuracy import estimate
from sims.cache import CODE_VERSION
from sims.cli import main
from sims.export import HEADLINE, ExportUnavailableError, to_dataset, write_netcdf
from sims.results import FieldMap, Mode, SimResult
from tests.emitter_tests._fixtures import synthetic_sim_result

xr = pytest.importorskip("xarray", reason="needs the extra `export` (xarray)")
pytest.importorskip("h5netcdf", reason="needs the extra `export` (h5netcdf)")
pytest.importorskip("h5py", reason="needs the extra `export` (h5py)")

SPECTRA = {"purcell_total": "wavelength_ldos_um", "purcell_radiative": "wavelength_flux_um",
           "radiative_efficiency": "wavelength_flux_um",
           "collection_efficiency": "wavelength_flux_um",
           "direction_fraction": "wavelength_flux_um"}


def _full_result() -> SimResult:
    """Every optional part set (grid-error estimate, field map, two modes, direction spectrum,
    a NaN point), passed through JSON like a result file."""
    base = synthetic_sim_result()
    sp = base.spectra
    radiative = list(sp.purcell_radiative)
    radiative[3] = math.nan  # written as null, read back as NaN
    direction = np.linspace(0.3, 0.5, len(sp.flux_wavelength_um))
    spectra = dataclasses.replace(sp, purcell_radiative=tuple(radiative),
                                  direction_fraction=tuple(direction))
    grids = [{"resonance_wavelength_um": 0.5195, "quality_factor": 1900.0, "purcell_total": 90.0,
              "purcell_radiative": 80.0, "collection_efficiency": 0.41},
             {"resonance_wavelength_um": 0.5180, "quality_factor": 1960.0, "purcell_total": 95.0,
              "purcell_radiative": 84.0, "collection_efficiency": None}]
    accuracy = estimate(grids, [40.0, 60.0], order=1.0)
    field_map = FieldMap(plane="rz", h_um=(0.0, 0.05, 0.1), v_um=(-0.05, 0.0),
                         energy=((0.1, 1.0, 0.2), (0.0, 0.5, 0.25)),
                         epsilon=((4.0, 4.0, 1.0), (1.0, 1.0, 1.0)))
    modes = (*base.modes, Mode(wavelength_um=0.49, quality_factor=12.5, amplitude_abs=0.1,
                               harminv_error=0.0, method="ldos_peak"))
    prov = dataclasses.replace(base.provenance, dimensions="cylindrical", cylindrical_m=1,
                               symmetries=(), meep_version="1.25.0", stop_reason="ldos converged")
    result = dataclasses.replace(
        base, structure={"name": "synthetic-bullseye", "collection_na": 0.65},
        config={"resolution_px_per_um": 60, "n_freqs": 2401}, spectra=spectra, modes=modes,
        accuracy=accuracy, field_map=field_map, provenance=prov,
        warnings=("first warning", "second warning"))
    return SimResult.from_json(result.to_json())


def _read(path):
    return xr.load_dataset(path, engine="h5netcdf")


def test_round_trip_is_exact(tmp_path):
    result = _full_result()
    ds = _read(write_netcdf(result, tmp_path / "sub" / "r.nc"))
    sp = result.spectra
    assert ds.sizes["wavelength_ldos_um"] == len(sp.wavelength_um) == 2401
    assert ds.sizes["wavelength_flux_um"] == len(sp.flux_wavelength_um) == 241
    np.testing.assert_array_equal(ds["wavelength_ldos_um"].values, sp.wavelength_um)
    np.testing.assert_array_equal(ds["wavelength_flux_um"].values, sp.flux_wavelength_um)
    for name, dim in SPECTRA.items():
        assert ds[name].dims == (dim,), name
        np.testing.assert_array_equal(ds[name].values, getattr(sp, name), err_msg=name)
    assert math.isnan(ds["purcell_radiative"].values[3])
    # headline numbers and their grid errors
    mode = result.resonance
    assert float(ds["resonance_wavelength_um"]) == mode.wavelength_um
    assert float(ds["quality_factor"]) == mode.quality_factor
    assert float(ds["purcell_total_at_resonance"]) == result.purcell_total_at_resonance
    assert float(ds["emitter_volume_lambda_n3"]) == result.mode_volume.emitter_volume_lambda_n3
    assert float(ds["peak_volume_um3"]) == result.mode_volume.peak_volume_um3
    assert math.isnan(float(ds["peak_area_um2"]))  # a 3D mode volume has no area
    acc = result.accuracy
    np.testing.assert_array_equal(ds["grid_resolution_px_per_um"].values, [40.0, 60.0])
    for quantity, name in [("resonance_wavelength_um", "resonance_wavelength_um"),
                           ("quality_factor", "quality_factor"),
                           ("purcell_total", "purcell_total_at_resonance"),
                           ("purcell_radiative", "purcell_radiative_at_resonance")]:
        assert float(ds[f"{name}_error"]) == acc.error(quantity), name
        assert ds[f"{name}_error"].attrs["units"] == ds[name].attrs["units"]
        np.testing.assert_array_equal(ds[f"{name}_per_grid"].values,
                                      acc.estimates[quantity].values, err_msg=name)
    # a quantity missing on one grid has no error
    assert math.isnan(float(ds["collection_efficiency_at_resonance_error"]))
    np.testing.assert_array_equal(ds["collection_efficiency_at_resonance_per_grid"].values,
                                  [0.41, np.nan])
    # modes and field map
    np.testing.assert_array_equal(ds["mode_wavelength_um"].values,
                                  [m.wavelength_um for m in result.modes])
    assert list(ds["mode_method"].values) == ["harminv", "ldos_peak"]
    np.testing.assert_array_equal(ds["field_energy"].values, result.field_map.energy)
    np.testing.assert_array_equal(ds["field_epsilon"].values, result.field_map.epsilon)
    np.testing.assert_array_equal(ds["field_h_um"].values, result.field_map.h_um)
    assert ds["field_energy"].dims == ("field_v_um", "field_h_um")


def test_units_and_names_on_every_variable(tmp_path):
    ds = _read(write_netcdf(_full_result(), tmp_path / "r.nc"))
    for name in ("wavelength_ldos_um", "wavelength_flux_um", "field_h_um", "field_v_um"):
        assert ds[name].attrs["units"] == "um", name
    assert ds["grid_resolution_px_per_um"].attrs["units"] == "px/um"
    for name, var in ds.data_vars.items():
        assert var.attrs.get("long_name"), name
        if var.dtype.kind == "f":
            assert var.attrs.get("units") in ("1", "um", "um2", "um3"), name
    assert ds["resonance_wavelength_um"].attrs["units"] == "um"
    assert ds["purcell_total"].attrs["units"] == "1"


def test_global_attributes_hold_the_provenance(tmp_path):
    result = _full_result()
    attrs = _read(write_netcdf(result, tmp_path / "r.nc")).attrs
    prov = result.provenance
    assert attrs["meep_version"] == "1.25.0"
    assert attrs["resolution_px_per_um"] == prov.resolution_px_per_um
    assert attrs["stop_reason"] == "ldos converged"
    assert attrs["dimensions"] == "cylindrical" and attrs["cylindrical_m"] == 1
    assert list(attrs["cell_size_um"]) == list(prov.cell_size_um)
    assert attrs["symmetries"] == ""
    assert attrs["mpi_ranks"] == prov.mpi_ranks
    assert attrs["exported_by_sims_code_version"] == CODE_VERSION
    assert attrs["exported_by_package_version"] == metadata.version("pnc-cavity-designer")
    assert attrs["schema_version"] == result.schema_version
    assert attrs["structure_name"] == "synthetic-bullseye"
    assert json.loads(attrs["structure_json"]) == result.structure
    assert json.loads(attrs["config_json"]) == result.config
    assert attrs["warnings"].split("\n") == list(result.warnings)
    assert attrs["selected_mode"] == result.selected_mode
    assert attrs["has_error_estimate"] == 1
    assert attrs["accuracy_method"] == result.accuracy.method
    assert attrs["accuracy_converged"] == int(result.accuracy.converged)
    assert attrs["accuracy_notes"].split("\n") == list(result.accuracy.notes)


def test_minimal_result_has_no_optional_parts(tmp_path):
    """One grid, no field map, no direction spectrum, Purcell factor withheld."""
    result = dataclasses.replace(synthetic_sim_result(), purcell_total_at_resonance=None)
    ds = to_dataset(result)
    assert "direction_fraction" not in ds and "field_energy" not in ds
    assert "grid_resolution_px_per_um" not in ds.dims
    assert not [name for name in HEADLINE if f"{name}_error" in ds], list(ds.data_vars)
    assert math.isnan(float(ds["purcell_total_at_resonance"]))
    assert ds.attrs["has_error_estimate"] == 0 and "accuracy_method" not in ds.attrs
    assert "cylindrical_m" not in ds.attrs  # None in the provenance
    back = _read(write_netcdf(result, tmp_path / "r.nc"))
    np.testing.assert_array_equal(back["collection_efficiency"].values,
                                  result.spectra.collection_efficiency)


def test_missing_xarray_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "xarray", None)  # import xarray fails
    with pytest.raises(ExportUnavailableError, match=r"pnc-cavity-designer\[export\]"):
        to_dataset(synthetic_sim_result())


def test_no_partial_file_is_left_when_writing_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(xr.Dataset, "to_netcdf", lambda self, *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_netcdf(synthetic_sim_result(), tmp_path / "r.nc")
    assert list(tmp_path.iterdir()) == []


# -- pnc-sim export ------------------------------------------------------------------------------
def test_cli_exports_result_json(tmp_path, capsys):
    result = _full_result()
    src = tmp_path / "run" / "result.json"
    src.parent.mkdir()
    src.write_text(result.to_json())
    out = tmp_path / "result.nc"
    assert main(["export", str(src), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert "2401 LDOS and 241 flux wavelengths, with grid-error estimate" in captured.err
    ds = _read(out)
    np.testing.assert_array_equal(ds["purcell_total"].values, result.spectra.purcell_total)
    assert float(ds["quality_factor_error"]) == result.accuracy.error("quality_factor")
    # a run folder and an evaluation.json (SimResult under "sim") give the same file content
    assert main(["export", str(src.parent), "--out", str(tmp_path / "dir.nc")]) == 0
    evaluation = tmp_path / "evaluation.json"
    evaluation.write_text(json.dumps({"schema_version": 1, "key": "k", "design": {},
                                      "sim": result.to_dict(), "score": {}}))
    assert main(["export", str(evaluation), "--out", str(tmp_path / "ev.nc")]) == 0
    capsys.readouterr()
    for other in ("dir.nc", "ev.nc"):
        assert _read(tmp_path / other).identical(ds), other


@pytest.mark.parametrize(("content", "out", "message"), [
    (None, "r.nc", "does not exist"),
    ("{not json", "r.nc", "not valid JSON"),
    ('{"schema_version": 1, "spectra": {}}', "r.nc", "is not a SimResult JSON (missing key"),
    ("[1, 2]", "r.nc", "must hold a JSON object"),
    ("RESULT", "r.h5", "must end in .nc"),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path, capsys, content, out, message):
    src = tmp_path / "result.json"
    if content is not None:
        src.write_text(synthetic_sim_result().to_json() if content == "RESULT" else content)
    code = main(["export", str(src), "--out", str(tmp_path / out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / out).exists()


def test_cli_without_xarray_says_how_to_install(tmp_path, capsys, monkeypatch):
    src = tmp_path / "result.json"
    src.write_text(synthetic_sim_result().to_json())
    monkeypatch.setitem(sys.modules, "xarray", None)
    code = main(["export", str(src), "--out", str(tmp_path / "r.nc")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "pip install 'pnc-cavity-designer[export]'" in err and "Traceback" not in err, err
