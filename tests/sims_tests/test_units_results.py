"""Pure tests of units, results (JSON round trip), the normalisation arithmetic and hashing."""

from __future__ import annotations

import dataclasses
import json

import pytest

from cavities.materials import constant_index
from cavities.structure import Structure
from sims.config import SimConfig
from sims.results import Mode, ModeVolume, Provenance, RawRun, SimResult
from sims.runner import combine, content_hash, reference_structure
from sims.units import C_UM_PER_FS, MeepUnits


def test_units_against_meep_docs():
    u = MeepUnits(a_um=1.0)
    # Meep docs: a = 1 µm, 10 px/µm, Courant 0.5 -> dt = 0.05 = 0.16667 fs (c rounded to 0.3)
    assert u.time_fs(0.05) == pytest.approx(0.05 / C_UM_PER_FS, rel=1e-12)
    assert u.time_fs(0.05) == pytest.approx(0.16667, rel=1e-3)
    assert u.frequency_mu(wavelength_um=0.5) == 2.0
    u2 = MeepUnits(a_um=0.42)
    assert u2.wavelength_um(frequency_mu=u2.frequency_mu(wavelength_um=1.6)) == pytest.approx(
        1.6, rel=1e-12)
    assert u2.frequency_mu_from_ev(1.23984198) == pytest.approx(0.42, rel=1e-12)
    with pytest.raises(ValueError, match="a_um=0"):
        MeepUnits(a_um=0)


def _structure(**kw) -> Structure:
    base = dict(name="t", background=constant_index("glass", 1.5), cell_size_um=(1.0, 1.0, 1.0),
                emitter_position_um=(0.0, 0.0, 0.013), wavelength_min_um=0.5,
                wavelength_max_um=0.6)
    base.update(kw)
    return Structure(**base)


def _prov() -> Provenance:
    return Provenance(dimensions="3d", resolution_px_per_um=20.0, cell_size_um=(3.0, 3.0, 3.0),
                      pml_um=1.0, symmetries=("mirror_x(-1)",), cylindrical_m=None,
                      source_offset_um=(0.0, 0.0, 0.013), meep_version="1.25.0", mpi_ranks=1,
                      time_steps=100, sim_time_fs=10.0, wall_time_s=1.0, meep_time_s=0.9,
                      stop_reason="fields decayed")


def _raw(scale: float, *, plane: bool = True) -> RawRun:
    freqs = (1 / 0.6, 1 / 0.55, 1 / 0.5)
    return RawRun(
        freqs_mu=freqs, ldos=tuple(scale * f for f in (1.0, 2.0, 3.0)), flux_freqs_mu=freqs,
        box_flux=tuple(scale * f * 0.5 for f in (1.0, 2.0, 3.0)),
        plane_flux=(0.1, 0.2, 0.3) if plane else None,
        plane_collected=(0.05, 0.1, 0.15) if plane else None,
        modes=(Mode(wavelength_um=0.55, quality_factor=100.0, amplitude_abs=1.0,
                    harminv_error=1e-6),),
        selected_mode=0,
        mode_volume=ModeVolume(wavelength_um=0.55, refractive_index=1.5, peak_volume_um3=0.1,
                               emitter_volume_um3=0.2, peak_volume_lambda_n3=1.0,
                               emitter_volume_lambda_n3=2.0),
        provenance=_prov(), warnings=())


def test_combine_normalises_by_reference_and_round_trips():
    s = _structure()
    cfg = SimConfig(n_freqs=3, n_freqs_flux=3)
    result = combine(s, cfg, _raw(4.0), _raw(2.0, plane=False))
    assert result.spectra.purcell_total == pytest.approx((2.0, 2.0, 2.0), rel=1e-12)
    assert result.spectra.purcell_radiative == pytest.approx((2.0, 2.0, 2.0), rel=1e-12)
    assert result.spectra.radiative_efficiency == pytest.approx((1.0, 1.0, 1.0), rel=1e-12)
    # collection = plane-collected / box flux of the structure run
    assert result.spectra.collection_efficiency == pytest.approx((0.025, 0.025, 0.025))
    # analytic estimate 3/(4π²) Q / V_emitter
    assert result.analytic_purcell == pytest.approx(0.0759909 * 100 / 2.0, rel=1e-5)
    assert result.analytic_over_ldos == pytest.approx(result.analytic_purcell / 2.0, rel=1e-12)
    text = result.to_json()
    json.loads(text)  # valid JSON (allow_nan=False)
    assert SimResult.from_json(text) == result


def test_negative_ldos_raises_if_decayed_and_is_withheld_if_cut():
    """LDOS < 0 after the fields decayed: unphysical, raises. LDOS < 0 at the time cap: the cut
    ring-down of a long-lived mode; Q and the Q/V estimate are kept, no LDOS Purcell factor, and
    the emitter model refuses to score it."""
    from emitter.cavity import CavityResponse
    from sims.errors import LdosNotConverged, UnphysicalResult

    s, cfg = _structure(), SimConfig(n_freqs=3, n_freqs_flux=3)
    bad = dataclasses.replace(_raw(1.0), ldos=(-2.0, 1.0, 3.0))
    with pytest.raises(UnphysicalResult, match="negative .* fields decayed"):
        combine(s, cfg, bad, _raw(1.0))
    cut = dataclasses.replace(bad, provenance=dataclasses.replace(_prov(),
                                                                  stop_reason="time cap"))
    result = combine(s, cfg, cut, _raw(1.0))
    assert result.purcell_total_at_resonance is None and result.analytic_over_ldos is None
    assert result.analytic_purcell == pytest.approx(0.0759909 * 100 / 2.0, rel=1e-5)
    assert any("time cap" in w and "negative" in w for w in result.warnings)
    with pytest.raises(LdosNotConverged, match="time cap"):
        CavityResponse.from_sim_result(result)


def test_result_refuses_unknown_schema():
    result = combine(_structure(), SimConfig(n_freqs=3, n_freqs_flux=3), _raw(1.0), _raw(1.0))
    data = result.to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version=99"):
        SimResult.from_dict(data)


def test_nonfinite_numbers_become_null():
    raw = dataclasses.replace(_raw(1.0), box_flux=(float("nan"), 1.0, 1.0))
    text = raw.to_json()
    assert "NaN" not in text and "null" in text


def test_reference_keeps_subpixel_offset_and_host():
    s = _structure(emitter_position_um=(0.0, 0.0, 0.013))
    cfg = SimConfig(resolution_px_per_um=20)
    ref = reference_structure(s, cfg)
    assert ref.shapes == () and ref.background == s.background
    assert ref.emitter_position_um[2] == pytest.approx(0.013 - 0.0, abs=1e-12)  # 0.013 < Δ/2
    s2 = _structure(emitter_position_um=(0.0, 0.0, 0.163))
    assert reference_structure(s2, cfg).emitter_position_um[2] == pytest.approx(0.013, abs=1e-9)
    assert all(b == "pml" for b in ref.boundaries)


def test_reference_rejects_lossy_emitter_medium():
    s = _structure(background=constant_index("Si", complex(4.2, 0.06)))
    with pytest.raises(ValueError, match="lossless medium"):
        reference_structure(s, SimConfig())


def test_content_hash_depends_on_inputs():
    s = _structure()
    a = content_hash("result", s, SimConfig())
    assert a == content_hash("result", s, SimConfig())
    assert a != content_hash("result", s, SimConfig(resolution_px_per_um=30))
    # the same grid written as an int or a float is one key (a 250 px/µm screen once ran twice)
    assert content_hash("result", s, SimConfig(resolution_px_per_um=250)) == content_hash(
        "result", s, SimConfig(resolution_px_per_um=250.0))
    assert a != content_hash("result", dataclasses.replace(s, dipole_orientation="z"),
                             SimConfig())


@pytest.mark.parametrize(("field", "value"), [("resolution_px_per_um", 0), ("courant", 0.7),
                                              ("decay_by", 2.0), ("symmetries", "some"),
                                              ("harminv_periods", 5)])
def test_config_validation_names_field(field, value):
    with pytest.raises(ValueError, match=field):
        SimConfig(**{field: value})
