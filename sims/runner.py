"""Run simulations: content-hash cache -> Meep outside this process -> normalised SimResult.

:func:`simulate` is the façade; the pieces each live in a module of their own:
:mod:`sims.cache` (keys, atomic writes), :mod:`sims.reference` (the homogeneous-host
normalisation run), :mod:`sims.process` (the Meep worker, MPI launch, timeouts),
:mod:`sims.compatibility` (what Meep cannot run here), :mod:`sims.normalise` (LDOS and flux
ratios, the resonance pick) and :mod:`sims.screen` (the two-grid extrapolated screen).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from cavities.structure import Structure
from sims.cache import (  # noqa: F401  (public re-exports)
    CACHE_ENV,
    CODE_VERSION,
    atomic_write,
    clear_cache,
    content_hash,
    default_cache_dir,
    resolve_cache_dir,
)
from sims.compatibility import check_compatible
from sims.config import SimConfig
from sims.far_field import wants_far_field
from sims.metal_alignment import aligned_to_grid
from sims.metal_boxes import with_box_smoothing
from sims.metal_sidewalls import with_sidewall_smoothing
from sims.metal_smoothing import with_metal_smoothing
from sims.normalise import combine, interp_many, pick_resonance  # noqa: F401
from sims.peaks import ldos_peak_mode  # noqa: F401
from sims.process import choose_ranks, grid_pixels, mpi_command, run_raw  # noqa: F401
from sims.reference import reference_config, reference_structure
from sims.results import RawRun, SimResult
from sims.rounded_edges import with_terraced_edges


def cached_raw(kind: str, structure: Structure, config: SimConfig, cache_dir: Path | None,
               **kwargs: Any) -> RawRun:
    """A raw run from the cache, or simulated and stored there."""
    path = None
    if cache_dir is not None:
        path = cache_dir / "raw" / f"{kind}-{content_hash(kind, structure, config)}.json"
        if path.exists():
            try:
                return RawRun.from_json(path.read_text())
            except (ValueError, KeyError):
                path.unlink(missing_ok=True)  # truncated or stale: simulate again
    raw = run_raw(structure, config, label=f"{kind}:{structure.name}", **kwargs)
    if path is not None:
        atomic_write(path, raw.to_json())
    return raw


def simulate(structure: Structure, config: SimConfig | None = None, *,
             cache_dir: str | Path | None | bool = True, mpi_ranks: int = 1,
             launcher: str | None = None, timeout_s: float | None = None) -> SimResult:
    """Simulate a structure and return its normalised, typed result.

    A cylindrical structure with its emitter off the axis (and no ``cylindrical_m``) is a
    point dipole: its azimuthal harmonics are run one by one and summed
    (:func:`sims.azimuthal_sum.simulate_off_axis`).

    Args:
        structure: what to simulate (lengths in µm).
        config: numerical settings (default :class:`SimConfig`).
        cache_dir: directory of the content-hash cache; True for :func:`default_cache_dir`,
            None/False for no cache.
        mpi_ranks: MPI ranks for the structure run (``mpirun -np``); 1 runs serially.
        launcher: MPI launcher instead of mpirun, e.g. ``"srun"``.
        timeout_s: wall-clock limit per Meep run; exceeded -> :class:`SimulationTimeout`.

    Raises:
        SimulationDiverged: the fields became NaN (the message names the likely cause).
        UnphysicalResult: the LDOS is clearly negative although the fields decayed.
        SimulationError: the run crashed or Meep is missing.
        ValueError: settings Meep cannot run correctly here (:func:`check_compatible`).
    """
    config = config or SimConfig()
    check_compatible(structure, config)
    if structure.is_off_axis_dipole:
        from sims.azimuthal_sum import simulate_off_axis

        return simulate_off_axis(structure, config, cache_dir=cache_dir, mpi_ranks=mpi_ranks,
                                 launcher=launcher, timeout_s=timeout_s)
    cache = resolve_cache_dir(cache_dir)
    hit = None if cache is None else cache / "results" / f"{result_key(structure, config)}.json"
    if hit is not None and hit.exists():
        try:
            return SimResult.from_json(hit.read_text())
        except (ValueError, KeyError):
            hit.unlink(missing_ok=True)
    raw, ref, rank_note = raw_runs(structure, config, cache, mpi_ranks=mpi_ranks,
                                   launcher=launcher, timeout_s=timeout_s)
    result = combine(structure, config, raw, ref)
    if rank_note is not None:
        result = dataclasses.replace(result, warnings=(*result.warnings, rank_note))
    if hit is not None:
        atomic_write(hit, result.to_json())
    return result


def _run_structure(structure: Structure, config: SimConfig) -> Structure:
    # horizontal metal faces on grid planes get their voxel mean (sims.metal_smoothing), metal
    # sidewalls of cylinders theirs per field component (sims.metal_sidewalls), in 3D the
    # faces and edges of metal boxes on grid planes theirs (sims.metal_boxes); the smoothed
    # structure is what runs and what the cache keys hold (unchanged without metal); first the
    # structure moves by < Δ/2 so that its metal face nearest to the emitter is on a grid plane
    # (sims.metal_alignment) and so is smoothed; rounded cylinder rims become terraces on the
    # grid planes (sims.rounded_edges), with or without smoothing
    res = config.resolution_px_per_um
    if not config.eps_averaging:
        return with_terraced_edges(structure, res)
    structure = with_terraced_edges(aligned_to_grid(structure, res), res)
    if structure.dimensions == "3d":  # faces of metal boxes on grid planes (sims.metal_boxes)
        return with_box_smoothing(structure, structure, res)
    return with_sidewall_smoothing(with_metal_smoothing(structure, res), structure, res)


def _far_field_tag(structure: Structure) -> str:
    # near a metal the radiated power is the far field (sims.far_field): such runs have keys
    # of their own, so results cached before it existed are not reused
    return "-far-field" if wants_far_field(structure) else ""


def result_key(structure: Structure, config: SimConfig) -> str:
    """Cache key of the normalised result of ``structure``."""
    return content_hash("result" + _far_field_tag(structure),
                        _run_structure(structure, config), config)


def raw_runs(structure: Structure, config: SimConfig, cache: Path | None, *,
             mpi_ranks: int = 1, launcher: str | None = None, timeout_s: float | None = None
             ) -> tuple[RawRun, RawRun, str | None]:
    """(structure run, host reference run, note on the MPI ranks used or None), each from the
    cache or simulated (:func:`check_compatible` is the caller's)."""
    run_structure = _run_structure(structure, config)
    ranks, rank_note = choose_ranks(structure.dimensions, mpi_ranks,
                                    grid_pixels(run_structure, config))
    if rank_note is not None:
        print(f"[{structure.name}] {rank_note}", file=sys.stderr, flush=True)
        launcher = None if ranks == 1 else launcher
    # the host reference takes the emitter's sub-pixel offset from the structure as it runs
    aligned = aligned_to_grid(structure, config.resolution_px_per_um) if (
        config.eps_averaging) else structure
    ref = cached_raw("reference", reference_structure(aligned, config),
                     reference_config(config), cache, want_modes=False, timeout_s=timeout_s)
    raw = cached_raw("structure" + _far_field_tag(structure), run_structure, config, cache,
                     want_modes=True, mpi_ranks=ranks, launcher=launcher, timeout_s=timeout_s)
    return raw, ref, rank_note
