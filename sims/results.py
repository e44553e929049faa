"""Typed, versioned, JSON-round-trippable simulation results (never a bare dict).

Non-finite numbers are written as ``null`` (``allow_nan=False``), with an explanatory warning.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

SCHEMA_VERSION = 1


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("json", True)}
    if isinstance(value, complex):
        return {"re": _encode(value.real), "im": _encode(value.imag)}
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(math.nan if v is None else float(v) for v in values)


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, kw_only=True)
class Mode:
    """One resonance found by Harminv (filter diagonalisation) in the ring-down.

    Args:
        wavelength_um: vacuum wavelength of the resonance.
        quality_factor: Q = f / (2 · decay rate). A small negative Q is a growing (unphysical)
            mode; |Q| > 1e6 with either sign means lossless within Harminv's precision.
        amplitude_abs: |complex amplitude| (arbitrary units; relative size of modes).
        harminv_error: Harminv's relative error estimate (small is trustworthy); 0 for a
            mode read off the LDOS peak.
        method: ``"harminv"``, or ``"ldos_peak"`` when Harminv found nothing (Q ≲ 5, e.g. a Mie
            resonator or a plasmon): the LDOS maximum in the window, Q = λ/FWHM.
    """

    wavelength_um: float
    quality_factor: float
    amplitude_abs: float
    harminv_error: float
    method: str = "harminv"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mode:
        return cls(**{k: (v if k == "method" else float(v) if v is not None else math.nan)
                      for k, v in d.items()})


@dataclass(frozen=True, kw_only=True)
class ModeVolume:
    """Mode volume from the DFT fields at the resonance.

    ``V = ∫ε|E|² dV / max(ε|E|²)`` (peak) and ``V_r = ∫ε|E|² dV / (ε(r0)|u·E(r0)|²)`` (emitter,
    with u the dipole direction, the volume that enters the Purcell factor at the emitter).
    In 2D the same with areas (per unit length): the ``*_area_*`` fields are set instead.
    """

    wavelength_um: float
    refractive_index: float
    peak_volume_um3: float | None = None
    emitter_volume_um3: float | None = None
    peak_volume_lambda_n3: float | None = None
    emitter_volume_lambda_n3: float | None = None
    peak_area_um2: float | None = None
    emitter_area_um2: float | None = None
    peak_area_lambda_n2: float | None = None
    emitter_area_lambda_n2: float | None = None
    peak_position_um: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModeVolume:
        d = dict(d)
        d["peak_position_um"] = tuple(d.get("peak_position_um", (0.0, 0.0, 0.0)))
        return cls(**d)


@dataclass(frozen=True, kw_only=True)
class FieldMap:
    """ε|E|² of the resonant mode on a cross-section through the emitter (DFT at resonance).

    Args:
        plane: ``"xz"`` (3D, at the emitter's y), ``"rz"`` (cylindrical: r ≥ 0) or ``"xy"`` (2D).
        h_um, v_um: horizontal and vertical axis coordinates (µm).
        energy: ε|E|² normalised to its maximum on the plane, indexed [v][h], downsampled to at
            most :data:`FIELD_MAP_MAX_PX` points per axis.
        epsilon: Re ε on the same grid (for drawing the geometry outline).
    """

    plane: str
    h_um: tuple[float, ...]
    v_um: tuple[float, ...]
    energy: tuple[tuple[float, ...], ...]
    epsilon: tuple[tuple[float, ...], ...]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FieldMap:
        return cls(plane=d["plane"], h_um=_floats(d["h_um"]), v_um=_floats(d["v_um"]),
                   energy=tuple(_floats(row) for row in d["energy"]),
                   epsilon=tuple(_floats(row) for row in d["epsilon"]))


FIELD_MAP_MAX_PX = 160


@dataclass(frozen=True, kw_only=True)
class Spectra:
    """Purcell spectra normalised to the same dipole in the homogeneous host at the emitter.

    Args:
        wavelength_um: grid of the LDOS spectrum.
        purcell_total: LDOS(structure)/LDOS(host): total decay-rate enhancement (includes
            absorption in lossy materials).
        flux_wavelength_um: grid of the flux spectra (coarser).
        purcell_radiative: power through a closed box around the structure / the same in the host.
        radiative_efficiency: purcell_radiative / purcell_total (fraction not absorbed).
        collection_efficiency: fraction of the radiated power that leaves within the
            collection NA in the collection direction (None if not computed).
        direction_fraction: fraction of the radiated power crossing the collection plane.
        purcell_bound: for cylindrical runs near a metal, where ``purcell_radiative`` is the
            far field (:mod:`sims.far_field`): the power that leaves the flux box bound to the
            planar layers (surface plasmons, guided modes), over the host's radiated power.
            None otherwise.
    """

    wavelength_um: tuple[float, ...]
    purcell_total: tuple[float, ...]
    flux_wavelength_um: tuple[float, ...]
    purcell_radiative: tuple[float, ...]
    radiative_efficiency: tuple[float, ...]
    collection_efficiency: tuple[float, ...] | None = None
    direction_fraction: tuple[float, ...] | None = None
    purcell_bound: tuple[float, ...] | None = None

    def total_at(self, wavelength_um: float) -> float:
        return _interp(wavelength_um, self.wavelength_um, self.purcell_total)

    def radiative_at(self, wavelength_um: float) -> float:
        return _interp(wavelength_um, self.flux_wavelength_um, self.purcell_radiative)

    def collection_at(self, wavelength_um: float) -> float | None:
        if self.collection_efficiency is None:
            return None
        return _interp(wavelength_um, self.flux_wavelength_um, self.collection_efficiency)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Spectra:
        out: dict[str, Any] = {}
        for k, v in d.items():
            out[k] = None if v is None else _floats(v)
        return cls(**out)


def _interp(x: float, xs: tuple[float, ...], ys: tuple[float, ...]) -> float:
    order = np.argsort(xs)
    return float(np.interp(x, np.asarray(xs)[order], np.asarray(ys)[order]))


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """How the numbers were made."""

    dimensions: str
    resolution_px_per_um: float
    cell_size_um: tuple[float, float, float]
    pml_um: float
    symmetries: tuple[str, ...]
    cylindrical_m: int | None
    source_offset_um: tuple[float, float, float]
    meep_version: str
    mpi_ranks: int
    time_steps: int
    sim_time_fs: float
    wall_time_s: float
    meep_time_s: float
    stop_reason: str
    reference_wall_time_s: float = 0.0
    ldos_tail_correction: float | None = None
    """When the run stopped on the extrapolated LDOS (``sims.spectral_tail``): the largest
    change the extrapolation made to the running LDOS, relative to the spectrum's maximum."""
    ldos_tail_s: float = 0.0
    """Wall time of the LDOS extrapolation (snapshots and fits) inside ``meep_time_s``."""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Provenance:
        d = dict(d)
        d["cell_size_um"] = tuple(d["cell_size_um"])
        d["symmetries"] = tuple(d["symmetries"])
        d["source_offset_um"] = tuple(d["source_offset_um"])
        return cls(**d)


def _accuracy(d: dict[str, Any]) -> Any:
    from sims.accuracy import Accuracy

    return Accuracy.from_dict(d)


@dataclass(frozen=True, kw_only=True)
class SimResult:
    """Everything one simulation of one structure gives.

    ``structure`` and ``config`` are the inputs (as dicts) so that a result file is
    self-describing and reproducible.
    """

    SCHEMA: ClassVar[int] = SCHEMA_VERSION
    structure: dict[str, Any]
    config: dict[str, Any]
    modes: tuple[Mode, ...]
    selected_mode: int | None
    mode_selection_rule: str
    refractive_index_at_emitter: float
    spectra: Spectra
    mode_volume: ModeVolume | None
    purcell_total_at_resonance: float | None
    purcell_radiative_at_resonance: float | None
    collection_efficiency_at_resonance: float | None
    analytic_purcell: float | None
    analytic_over_ldos: float | None
    provenance: Provenance
    warnings: tuple[str, ...] = ()
    field_map: FieldMap | None = None
    accuracy: Any | None = None
    """:class:`sims.accuracy.Accuracy` when the result was run with an error estimate
    (:func:`sims.screen.simulate_with_error`): extrapolated values and their errors."""
    schema_version: int = field(default=SCHEMA_VERSION)

    # -- convenience ---------------------------------------------------------------------------
    @property
    def resonance(self) -> Mode | None:
        return None if self.selected_mode is None else self.modes[self.selected_mode]

    def summary(self) -> str:
        """A few lines of text: resonance, mode volume, Purcell factors, collection, run
        time, grid error and warnings (what ``pnc-sim run`` prints)."""
        from sims.display import text_summary

        return text_summary(self)

    def _repr_html_(self) -> str:
        """The headline numbers (each ``± error`` when the result has an error estimate) and
        the warnings as an HTML table, shown by Jupyter notebooks."""
        from sims.display import result_html

        return result_html(self)

    def plot(self, kind: str = "spectra", path: str | Path | None = None, **kwargs: Any) -> Any:
        """A matplotlib figure of the result (:mod:`sims.plotting`, imported when called).

        Args:
            kind: ``"spectra"`` (Purcell and collection spectra,
                :func:`~sims.plotting.plot_spectra`; keyword arguments ``marks_um`` and
                ``references`` are passed on) or ``"field_map"``
                (:func:`~sims.plotting.plot_field_map`).
            path: image file to write (None: only return the figure).
        """
        from sims import plotting

        plots = {"spectra": plotting.plot_spectra, "field_map": plotting.plot_field_map}
        if kind not in plots:
            raise ValueError(f"`kind` must be one of {tuple(plots)}, but got kind={kind!r}.")
        return plots[kind](self, path, **kwargs)

    # -- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = _encode(self)
        return data  # type: ignore[no-any-return]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SimResult:
        version = d.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"result schema_version={version!r} is not supported by this version of the tool "
                f"(expects {SCHEMA_VERSION}); re-run the simulation or upgrade."
            )
        return cls(
            structure=d["structure"],
            config=d["config"],
            modes=tuple(Mode.from_dict(m) for m in d["modes"]),
            selected_mode=d["selected_mode"],
            mode_selection_rule=d["mode_selection_rule"],
            refractive_index_at_emitter=float(d["refractive_index_at_emitter"]),
            spectra=Spectra.from_dict(d["spectra"]),
            mode_volume=None if d["mode_volume"] is None else ModeVolume.from_dict(
                d["mode_volume"]),
            purcell_total_at_resonance=_opt_float(d["purcell_total_at_resonance"]),
            purcell_radiative_at_resonance=_opt_float(d["purcell_radiative_at_resonance"]),
            collection_efficiency_at_resonance=_opt_float(
                d["collection_efficiency_at_resonance"]),
            analytic_purcell=_opt_float(d["analytic_purcell"]),
            analytic_over_ldos=_opt_float(d["analytic_over_ldos"]),
            provenance=Provenance.from_dict(d["provenance"]),
            warnings=tuple(d.get("warnings", ())),
            field_map=None if d.get("field_map") is None else FieldMap.from_dict(d["field_map"]),
            accuracy=None if d.get("accuracy") is None else _accuracy(d["accuracy"]),
            schema_version=version,
        )

    @classmethod
    def from_json(cls, text: str) -> SimResult:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True, kw_only=True)
class RawRun:
    """What the Meep backend measures in one run, before normalisation (Meep units inside sims).

    Internal: the runner combines a structure run and a host reference run into a SimResult.
    """

    freqs_mu: tuple[float, ...]
    ldos: tuple[float, ...]
    flux_freqs_mu: tuple[float, ...]
    box_flux: tuple[float, ...]
    plane_flux: tuple[float, ...] | None
    plane_collected: tuple[float, ...] | None
    modes: tuple[Mode, ...]
    selected_mode: int | None
    mode_volume: ModeVolume | None
    provenance: Provenance
    warnings: tuple[str, ...] = ()
    field_map: FieldMap | None = None
    far_field: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] | None = None
    """(up, down, inside the collection NA) far-field power per flux frequency, in the box
    flux's units (:mod:`sims._meep_far_field`), or None."""

    def to_json(self) -> str:
        return json.dumps(_encode(self), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> RawRun:
        d = json.loads(text)
        return cls(
            freqs_mu=_floats(d["freqs_mu"]),
            ldos=_floats(d["ldos"]),
            flux_freqs_mu=_floats(d["flux_freqs_mu"]),
            box_flux=_floats(d["box_flux"]),
            plane_flux=None if d["plane_flux"] is None else _floats(d["plane_flux"]),
            plane_collected=None if d["plane_collected"] is None else _floats(
                d["plane_collected"]),
            modes=tuple(Mode.from_dict(m) for m in d["modes"]),
            selected_mode=d["selected_mode"],
            mode_volume=None if d["mode_volume"] is None else ModeVolume.from_dict(
                d["mode_volume"]),
            provenance=Provenance.from_dict(d["provenance"]),
            warnings=tuple(d["warnings"]),
            field_map=None if d.get("field_map") is None else FieldMap.from_dict(d["field_map"]),
            far_field=None if d.get("far_field") is None else tuple(
                _floats(v) for v in d["far_field"]),  # type: ignore[arg-type]
        )
