"""A :class:`~sims.results.SimResult` as a labelled xarray Dataset, and as a netCDF file.

Needs the optional extra ``export`` (``pip install 'pnc-cavity-designer[export]'``: xarray and
the h5py-based netCDF engine h5netcdf); xarray is imported only when a function here is called.

Layout of :func:`to_dataset`:

- dimensions ``wavelength_ldos_um`` (the LDOS grid, ``SimConfig.n_freqs`` points) and
  ``wavelength_flux_um`` (the coarser flux grid, ``n_freqs_flux`` points), each a coordinate in
  µm in the order the result holds it (uniform in frequency, so wavelength decreases);
- one variable per spectrum present: ``purcell_total`` on the LDOS grid; ``purcell_radiative``,
  ``radiative_efficiency`` and, when computed, ``collection_efficiency`` and
  ``direction_fraction`` on the flux grid;
- 0-d variables for the headline numbers (:data:`HEADLINE`; NaN when the result has none), each
  with ``units`` and ``long_name``; with a grid-error estimate (``result.accuracy``) also
  ``<name>_error`` and ``<name>_per_grid`` (dimension ``grid_resolution_px_per_um``);
- the Harminv modes on dimension ``mode``, and the field map (``field_energy``,
  ``field_epsilon``) on ``field_v_um`` × ``field_h_um`` when the result has one;
- global attributes: the provenance (Meep version, resolution, stop reason, ...), the warnings,
  the structure and settings as JSON, and the package and simulation-code versions that wrote
  the file (a result does not record the code version that ran it; the cache key does).

Dimensionless quantities carry ``units = "1"`` (the CF convention).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from sims.results import SimResult

EXTRA_HINT = "pip install 'pnc-cavity-designer[export]'"
NETCDF_ENGINE = "h5netcdf"

SPECTRA = {
    # Spectra field: (grid, units, long_name)
    "purcell_total": ("ldos", "1", "total Purcell factor LDOS/LDOS_host (includes absorption)"),
    "purcell_radiative": ("flux", "1", "radiative Purcell factor (flux through a closed box "
                                       "around the structure / the same in the host)"),
    "radiative_efficiency": ("flux", "1", "radiative efficiency purcell_radiative/purcell_total"),
    "collection_efficiency": ("flux", "1", "fraction of the radiated power within the "
                                           "collection NA in the collection direction"),
    "direction_fraction": ("flux", "1", "fraction of the radiated power crossing the "
                                        "collection plane"),
}
GRIDS = {"ldos": ("wavelength_ldos_um", "wavelength_um", "LDOS"),
         "flux": ("wavelength_flux_um", "flux_wavelength_um", "flux")}

HEADLINE = {
    # variable: (units, long_name)
    "resonance_wavelength_um": ("um", "vacuum wavelength of the selected resonance"),
    "quality_factor": ("1", "quality factor Q of the selected resonance"),
    "purcell_total_at_resonance": ("1", "total Purcell factor at the resonance"),
    "purcell_radiative_at_resonance": ("1", "radiative Purcell factor at the resonance"),
    "collection_efficiency_at_resonance": ("1", "collection efficiency at the resonance"),
    "analytic_purcell": ("1", "analytic estimate 3/(4 pi^2) Q/V at the emitter"),
    "analytic_over_ldos": ("1", "analytic_purcell / purcell_total_at_resonance"),
    "refractive_index_at_emitter": ("1", "refractive index of the medium at the emitter"),
    "peak_volume_um3": ("um3", "mode volume (peak normalisation)"),
    "emitter_volume_um3": ("um3", "mode volume at the emitter"),
    "peak_volume_lambda_n3": ("1", "mode volume (peak normalisation) in units of (lambda/n)^3"),
    "emitter_volume_lambda_n3": ("1", "mode volume at the emitter in units of (lambda/n)^3"),
    "peak_area_um2": ("um2", "mode area (2D, peak normalisation)"),
    "emitter_area_um2": ("um2", "mode area (2D) at the emitter"),
    "peak_area_lambda_n2": ("1", "mode area (2D, peak normalisation) in units of (lambda/n)^2"),
    "emitter_area_lambda_n2": ("1", "mode area (2D) at the emitter in units of (lambda/n)^2"),
}
ACCURACY_NAMES = {
    # sims.accuracy quantity -> headline variable
    "resonance_wavelength_um": "resonance_wavelength_um",
    "quality_factor": "quality_factor",
    "purcell_total": "purcell_total_at_resonance",
    "purcell_radiative": "purcell_radiative_at_resonance",
    "collection_efficiency": "collection_efficiency_at_resonance",
}
_MODE_VOLUME_FIELDS = [k for k in HEADLINE if k.startswith(("peak_", "emitter_"))]


class ExportUnavailableError(ImportError):
    """xarray or the netCDF engine is not installed (the optional extra ``export``)."""


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ExportUnavailableError(
            f"exporting a result to xarray/netCDF needs {module!r}, which is not installed "
            f"({err}); install the optional extra with `{EXTRA_HINT}`.") from err


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _headline(result: SimResult) -> dict[str, float]:
    mode, mv = result.resonance, result.mode_volume
    values = {
        "resonance_wavelength_um": None if mode is None else mode.wavelength_um,
        "quality_factor": None if mode is None else mode.quality_factor,
        "purcell_total_at_resonance": result.purcell_total_at_resonance,
        "purcell_radiative_at_resonance": result.purcell_radiative_at_resonance,
        "collection_efficiency_at_resonance": result.collection_efficiency_at_resonance,
        "analytic_purcell": result.analytic_purcell,
        "analytic_over_ldos": result.analytic_over_ldos,
        "refractive_index_at_emitter": result.refractive_index_at_emitter,
    }
    values.update({k: None if mv is None else getattr(mv, k) for k in _MODE_VOLUME_FIELDS})
    return {k: _num(v) for k, v in values.items()}


def _versions() -> dict[str, str]:
    from cavities._version import package_version
    from sims.cache import CODE_VERSION

    return {"exported_by_package_version": package_version(),
            "exported_by_sims_code_version": CODE_VERSION}


def _global_attrs(result: SimResult) -> dict[str, Any]:
    prov = result.provenance
    name = str(result.structure.get("name", ""))
    attrs: dict[str, Any] = {
        "title": f"pnc-cavity-designer simulation result: {name or 'unnamed structure'}",
        "source": f"Meep {prov.meep_version} FDTD ({prov.dimensions})",
        "schema_version": result.schema_version,
        "structure_name": name,
        "meep_version": prov.meep_version,
        "dimensions": prov.dimensions,
        "resolution_px_per_um": prov.resolution_px_per_um,
        "cell_size_um": list(prov.cell_size_um),
        "pml_um": prov.pml_um,
        "symmetries": ",".join(prov.symmetries),
        "source_offset_um": list(prov.source_offset_um),
        "mpi_ranks": prov.mpi_ranks,
        "time_steps": prov.time_steps,
        "sim_time_fs": prov.sim_time_fs,
        "wall_time_s": prov.wall_time_s,
        "meep_time_s": prov.meep_time_s,
        "reference_wall_time_s": prov.reference_wall_time_s,
        "stop_reason": prov.stop_reason,
        "mode_selection_rule": result.mode_selection_rule,
        "selected_mode": -1 if result.selected_mode is None else result.selected_mode,
        "warnings": "\n".join(result.warnings),
        "structure_json": json.dumps(result.structure, sort_keys=True),
        "config_json": json.dumps(result.config, sort_keys=True),
        "has_error_estimate": int(result.accuracy is not None),
        **_versions(),
    }
    if prov.cylindrical_m is not None:
        attrs["cylindrical_m"] = prov.cylindrical_m
    acc = result.accuracy
    if acc is not None:
        attrs.update({"accuracy_method": acc.method, "accuracy_order": acc.order,
                      "accuracy_converged": int(acc.converged),
                      "accuracy_notes": "\n".join(acc.notes)})
    return attrs


def to_dataset(result: SimResult) -> Any:
    """The result as an :class:`xarray.Dataset` (layout: see the module docstring).

    Raises:
        ExportUnavailableError: xarray is not installed (``pip install
            'pnc-cavity-designer[export]'``).
    """
    xr = _require("xarray")
    import numpy as np

    sp = result.spectra
    coords: dict[str, Any] = {}
    for dim, field_name, label in GRIDS.values():
        coords[dim] = (dim, np.asarray(getattr(sp, field_name), dtype=float),
                       {"units": "um", "long_name": f"vacuum wavelength ({label} grid)"})
    data: dict[str, Any] = {}
    for name, (grid, units, long_name) in SPECTRA.items():
        values = getattr(sp, name)
        if values is not None:
            data[name] = (GRIDS[grid][0], np.asarray(values, dtype=float),
                          {"units": units, "long_name": long_name})
    for name, value in _headline(result).items():
        units, long_name = HEADLINE[name]
        data[name] = ((), value, {"units": units, "long_name": long_name})
    if result.modes:
        coords["mode"] = ("mode", np.arange(len(result.modes)),
                          {"long_name": "index into the Harminv modes (attr selected_mode)"})
        data.update({
            "mode_wavelength_um": ("mode", [m.wavelength_um for m in result.modes],
                                   {"units": "um", "long_name": "vacuum wavelength of the mode"}),
            "mode_quality_factor": ("mode", [m.quality_factor for m in result.modes],
                                    {"units": "1", "long_name": "quality factor of the mode"}),
            "mode_amplitude_abs": ("mode", [m.amplitude_abs for m in result.modes],
                                   {"units": "1", "long_name": "|Harminv amplitude| (a.u.)"}),
            "mode_harminv_error": ("mode", [m.harminv_error for m in result.modes],
                                   {"units": "1", "long_name": "Harminv relative error"}),
            "mode_method": ("mode", np.array([m.method for m in result.modes], dtype=object),
                            {"long_name": "how the mode was found (harminv or ldos_peak)"}),
        })
    acc = result.accuracy
    if acc is not None:
        coords["grid_resolution_px_per_um"] = (
            "grid_resolution_px_per_um", np.asarray(acc.resolutions_px_per_um, dtype=float),
            {"units": "px/um", "long_name": "resolution of each grid of the error estimate"})
        for quantity, name in ACCURACY_NAMES.items():
            est = acc.estimates.get(quantity)
            if est is None:
                continue
            units, long_name = HEADLINE[name]
            data[f"{name}_error"] = ((), _num(est.error), {
                "units": units, "long_name": f"error estimate of {name} (grid convergence "
                                            "index, sims.accuracy)"})
            data[f"{name}_per_grid"] = ("grid_resolution_px_per_um",
                                        [_num(v) for v in est.values],
                                        {"units": units, "long_name": f"{long_name}, per grid"})
    fm = result.field_map
    if fm is not None:
        coords["field_h_um"] = ("field_h_um", np.asarray(fm.h_um, dtype=float),
                                {"units": "um", "long_name": f"horizontal axis of the "
                                                             f"{fm.plane} field map"})
        coords["field_v_um"] = ("field_v_um", np.asarray(fm.v_um, dtype=float),
                                {"units": "um", "long_name": f"vertical axis of the "
                                                             f"{fm.plane} field map"})
        dims = ("field_v_um", "field_h_um")
        data["field_energy"] = (dims, np.asarray(fm.energy, dtype=float), {
            "units": "1", "long_name": "eps |E|^2 of the resonant mode / its maximum on the plane",
            "plane": fm.plane})
        data["field_epsilon"] = (dims, np.asarray(fm.epsilon, dtype=float),
                                 {"units": "1", "long_name": "Re epsilon", "plane": fm.plane})
    return xr.Dataset(data_vars=data, coords=coords, attrs=_global_attrs(result))


def write_netcdf(result: SimResult, path: str | Path) -> Path:
    """Write :func:`to_dataset` of ``result`` to a netCDF-4 file (engine h5netcdf); returns the
    path. The file is written under a temporary name and renamed, so a reader never sees a
    half-written file.

    Read it back with ``xarray.load_dataset(path, engine="h5netcdf")`` (or any netCDF-4 tool).

    Raises:
        ExportUnavailableError: xarray or h5netcdf is not installed.
    """
    dataset = to_dataset(result)
    _require(NETCDF_ENGINE)
    _require("h5py")  # h5netcdf >= 1.8 makes h5py optional; the writer needs it
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        dataset.to_netcdf(tmp, engine=NETCDF_ENGINE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
