"""The persistent Meep worker (sims.process, sims._worker): every run starts from pristine Meep
state, the worker survives a crashed or hung simulation, and it gives the numbers the
fresh-process path gives."""

from __future__ import annotations

import dataclasses

import pytest

from cavities.materials import constant_index
from cavities.shapes import Block
from cavities.structure import Structure
from sims import process
from sims.config import SimConfig
from sims.errors import SimulationError, SimulationTimeout
from tests.conftest import requires_meep

pytestmark = [pytest.mark.meep, requires_meep]

CFG = SimConfig(resolution_px_per_um=20, pml_um=0.3, n_freqs=5, n_freqs_flux=3,
                compute_collection=False, compute_mode_volume=False, progress_interval_s=0)


def _structure(index: float = 2.0) -> Structure:
    return Structure(name=f"block-{index}", shapes=(Block(
        center_um=(0.3, 0.0, 0.0), size_um=(0.2, 0.4, 0.2), material=constant_index("d", index)),),
        cell_size_um=(1.2, 1.2, 0.0), dimensions="2d", dipole_orientation="z",
        wavelength_min_um=0.5, wavelength_max_um=0.6)


def test_runs_are_isolated_and_share_one_worker():
    """A, B, A in one worker: the second A is bit-identical to the first (B left nothing
    behind), and no new worker was started."""
    first = process.run_raw(_structure(2.0), CFG, label="structure:a")
    worker = process.current_worker()
    other = process.run_raw(_structure(3.0), CFG, label="structure:b")
    again = process.run_raw(_structure(2.0), CFG, label="structure:a")
    assert process.current_worker() is worker and worker is not None and worker.alive()
    assert again.ldos == first.ldos and again.box_flux == first.box_flux
    assert other.ldos != first.ldos


def test_each_thread_has_its_own_worker():
    """Harmonics of an off-axis dipole run from several threads at once (sims.azimuthal_sum):
    a worker serves one request at a time, so every thread gets its own."""
    from concurrent.futures import ThreadPoolExecutor

    def run(scale: float):
        raw = process.run_raw(_structure(scale), CFG, label=f"structure:t{scale}")
        return raw, process.current_worker()

    with ThreadPoolExecutor(max_workers=2) as pool:
        (a, wa), (b, wb) = pool.map(run, (2.0, 3.0))
    assert wa is not None and wb is not None and wa is not wb
    assert a.ldos == process.run_raw(_structure(2.0), CFG, label="structure:t-again").ldos
    assert b.ldos != a.ldos


def test_worker_matches_the_fresh_process_path(monkeypatch):
    via_worker = process.run_raw(_structure(2.5), CFG, label="structure:w")
    monkeypatch.setenv(process.WORKER_ENV, "0")
    fresh = process.run_raw(_structure(2.5), CFG, label="structure:f")
    assert fresh.ldos == via_worker.ldos


def test_crash_is_reported_and_the_worker_survives(monkeypatch):
    monkeypatch.setenv("PNC_FAULT_INJECT", "crash")
    with pytest.raises(SimulationError, match="exit code 17"):
        process.run_raw(_structure(), CFG, label="structure:crash")
    monkeypatch.delenv("PNC_FAULT_INJECT")
    assert process.run_raw(_structure(), CFG, label="structure:after").ldos


def test_hang_times_out_and_a_new_worker_takes_over(monkeypatch):
    monkeypatch.setenv("PNC_FAULT_INJECT", "hang")
    with pytest.raises(SimulationTimeout, match="timeout"):
        process.run_raw(_structure(), CFG, label="structure:hang", timeout_s=3)
    monkeypatch.delenv("PNC_FAULT_INJECT")
    assert process.run_raw(_structure(), CFG, label="structure:after", timeout_s=60).ldos


def test_small_cylindrical_runs_get_one_rank_unless_forced(monkeypatch):
    """benchmarks/mpi_scaling.py measured 2 ranks 0.69x (slower) on a 13 818-pixel cylindrical
    grid, 1.06-1.43x from 25 990 pixels up and 1.10-1.28x on a 3D run: the policy follows the
    measurement and says why."""
    monkeypatch.delenv(process.FORCE_MPI_ENV, raising=False)
    ranks, note = process.choose_ranks("cylindrical", 2, 13_818)
    assert ranks == 1 and "0.69x" in note and "13818 pixels" in note
    assert process.FORCE_MPI_ENV in note
    assert process.choose_ranks("cylindrical", 2)[0] == 1  # size unknown: small
    assert process.choose_ranks("cylindrical", 2, 55_272) == (2, None)
    assert process.choose_ranks("3d", 2) == (2, None)
    assert process.choose_ranks("cylindrical", 1, 13_818) == (1, None)
    monkeypatch.setenv(process.FORCE_MPI_ENV, "1")
    assert process.choose_ranks("cylindrical", 2, 13_818) == (2, None)


def test_grid_pixels_counts_the_cell_with_its_pml():
    """The bullseye's cylindrical cell at 80 px/µm: (R + PML) x (height + 2 PML) pixels."""
    from cavities.registry import get_preset
    from optimize.evaluate import EvalSettings
    from sims.layout import CellLayout

    design = get_preset("bullseye_sin_520")
    structure = design.to_structure("screen")
    cfg = EvalSettings(resolution_px_per_um=80).sim_config(design)
    r, _, z = CellLayout(structure, cfg).cell_size()
    assert process.grid_pixels(structure, cfg) == round(r * 80) * round(z * 80)
    half = dataclasses.replace(cfg, resolution_px_per_um=40)
    assert process.grid_pixels(structure, half) == pytest.approx(
        process.grid_pixels(structure, cfg) / 4, rel=0.02)
