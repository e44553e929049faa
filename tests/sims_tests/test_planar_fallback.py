"""When a harmonic's planar stack diverges (Meep's Ag as a Layer through a cylindrical PML can),
the off-axis sum falls back to Meep's harmonics alone and says so; a divergence of the
structure's own run still raises (no Meep: the runner is replaced by fakes)."""

from __future__ import annotations

import pytest

import sims.runner
from cavities.registry import get_preset
from sims import azimuthal_sum
from sims.config import SimConfig
from sims.errors import SimulationDiverged
from sims.planar_reference import PLANAR_META


def _off_axis_nanocube():
    s = get_preset("akselrod_2014").to_structure("screen")
    assert s.is_off_axis_dipole
    return s


def test_a_diverging_planar_stack_raises_its_own_error(monkeypatch):
    calls = []

    def fake_raw_runs(structure, config, cache, **kwargs):
        calls.append((structure.name, bool(structure.meta.get(PLANAR_META))))
        if structure.meta.get(PLANAR_META):
            raise SimulationDiverged("|E|^2 = 3e58 at 310 fs")
        return object(), object(), None

    monkeypatch.setattr(sims.runner, "raw_runs", fake_raw_runs)
    with pytest.raises(azimuthal_sum.PlanarReferenceDiverged, match="harmonic m=0: .*3e58"):
        azimuthal_sum._sum_harmonics(
            _off_axis_nanocube(), SimConfig(resolution_px_per_um=250.0), cache_dir=None,
            mpi_ranks=1, launcher=None, timeout_s=None, tolerance=0.01, max_harmonic=4,
            planar_reference=True)
    assert calls[0][1] is False and calls[1][1] is True  # the structure ran, then its stack


def test_a_diverging_structure_is_not_caught(monkeypatch):
    def fake_raw_runs(structure, config, cache, **kwargs):
        raise SimulationDiverged("the structure itself")

    monkeypatch.setattr(sims.runner, "raw_runs", fake_raw_runs)
    with pytest.raises(SimulationDiverged, match="the structure itself") as info:
        azimuthal_sum.simulate_off_axis(_off_axis_nanocube(),
                                        SimConfig(resolution_px_per_um=250.0), cache_dir=None)
    assert not isinstance(info.value, azimuthal_sum.PlanarReferenceDiverged)


def test_simulate_off_axis_falls_back_to_the_meep_only_sum(monkeypatch, capsys):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Result:
        warnings: tuple[str, ...]

    seen = []

    def fake_sum(structure, config, *, planar_reference, **kwargs):
        seen.append(planar_reference)
        if planar_reference:
            raise azimuthal_sum.PlanarReferenceDiverged("harmonic m=2: NaN")
        return Result(warnings=("metal grid-step warning",))

    monkeypatch.setattr(azimuthal_sum, "_sum_harmonics", fake_sum)
    out = azimuthal_sum.simulate_off_axis(_off_axis_nanocube(),
                                          SimConfig(resolution_px_per_um=250.0))
    assert seen == [True, False]
    assert out.warnings[0].startswith("the planar reference diverged (harmonic m=2: NaN)")
    assert out.warnings[1] == "metal grid-step warning"
    assert "planar reference diverged" in capsys.readouterr().err
