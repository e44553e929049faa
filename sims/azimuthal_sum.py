"""A point dipole off the axis of a rotationally symmetric structure: the sum over its
azimuthal harmonics (:mod:`sims.azimuthal`), run one cylindrical simulation per m.

Each harmonic m is a Structure with ``cylindrical_m = m`` and its own host reference (the same
ring in the homogeneous host), so it is cached like any run. Every harmonic is driven by the
same ring source, so their powers add (±m counted twice). What is summed:

* **LDOS**: the host's own harmonic is subtracted and its exact share put back,
  P = Σ_m [c_m (S_m − H_m) + w_m H],  H = the point dipole's host power,
  because Meep's LDOS of a high harmonic of a ring a few grid steps wide is a grid artefact of
  the source's reactive near field, the same in the host and in the structure: measured on the
  nanocube screen (r0 = 5.6 grid steps, 200 px/µm), the host LDOS of m = 8-11 was 15.5 (m = 0:
  1-2.5) with a structure/host ratio of 1.00, and summing S_m alone added ~8 % per harmonic
  without end. S_m − H_m is the power the structure scatters back, which is local to neither.
* **H** is estimated from the harmonics that carry an appreciable share (w_m > 1e-3), as their
  host power over their analytic share; Meep's host harmonics match the shares within 1 % for
  m ≤ 2 and 2-3 % for m = 3 at k r0 ≈ 1.2, 60-80 px/µm.
* **Fluxes** (box flux, far field, collected power) carry no reactive part: Σ_m c_m X_m / H_flux.

The sums go through the same normalisation and resonance pick as a single run
(:func:`sims.normalise.combine`).

**Near a metal face** (the nearest metal a horizontal face above or below the emitter: a
nanocube's gap, a film) each harmonic is paired with the planar stack through the emitter
(:mod:`sims.planar_reference`): its term is (S_m − S_m,planar)/H + the stack's exact harmonic
(:mod:`sims.layered_harmonics`), and the harmonics not run are the stack's exact tail, so

    P = P_planar,exact + Σ_{m ≤ M} (S_m − S_m,planar)/H.

The grid error of the near field (Meep's planar harmonics were 1.3-4× low at 200 px/µm in an
8 nm gap) cancels in the differences, which vanish for the harmonics whose field stays near
the emitter: the stop rule below then applies to the differences, and the sum stops after a
few m instead of after the slowly falling quenching harmonics.

Where to stop: after m ≥ k·r0 + 1 (the harmonics the homogeneous host radiates), once two
successive terms each add less than ``tolerance`` of the running LDOS at every wavelength. Near
a metal the high harmonics carry the near-field (quenching) decay, which falls slowly in m
(about m ~ r0/d for a dipole d from the metal), so the stop is on the simulated terms. The
unsummed tail is extrapolated from the last two terms as a geometric series, added to the LDOS
and reported in the warnings as the truncation error.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from cavities.structure import Structure
from sims.azimuthal import harmonic_weight, harmonics_needed
from sims.cache import atomic_write, resolve_cache_dir
from sims.config import SimConfig
from sims.errors import SimulationDiverged
from sims.normalise import combine
from sims.planar_reference import exact_planar_rate, planar_structure
from sims.results import RawRun, SimResult

DEFAULT_TOLERANCE = 0.01
"""Stop once two successive harmonics each add less than this fraction of the running sum."""
ACCURATE_SHARE = 1e-3
"""Host harmonics with at least this share of the point dipole's host power estimate it."""
MAX_HARMONIC = 40
SUM_VERSION = 7
"""Part of the cache key of a summed result: raise it when the summation changes."""


@dataclasses.dataclass(frozen=True)
class HarmonicSum:
    """Bookkeeping of a finished sum: the harmonics run and the estimated unsummed tail."""

    harmonics: int
    """Number of harmonics run (m = 0 .. harmonics − 1)."""
    term_share: tuple[float, ...]
    """Largest relative contribution of each harmonic to the LDOS sum over the window."""
    tail_relative: float
    """Largest relative size, over the window, of the harmonics not run (geometric
    extrapolation from the last two; added to the LDOS, and its error bar)."""
    converged: bool
    planar_tail: float | None = None
    """With the planar reference: the largest relative size of the stack's exact tail
    (harmonics not run, added to the LDOS); None without it."""


def _weights(structure: Structure, m: int, wavelengths_um: np.ndarray) -> np.ndarray:
    host = structure.emitter_material
    n = np.array([host.index(float(w)).real for w in wavelengths_um])
    k_r0 = 2 * math.pi * n * structure.emitter_position_um[0] / wavelengths_um
    return harmonic_weight(m, k_r0, structure.dipole_orientation)


_FLUX_KEYS = ("box_flux", "plane_flux", "plane_collected", "far_up", "far_down", "far_cone")


def _measured(raw: RawRun, ref: RawRun, structure: Structure, m: int,
              planar: RawRun | None = None) -> dict[str, np.ndarray | None]:
    """One harmonic's powers, ±m counted twice (Meep units; the same ring source for every m,
    so they add), with the host's powers and the harmonic's analytic share of them; with a
    planar reference run, its LDOS and the stack's exact harmonic."""
    c = 1.0 if m == 0 else 2.0

    def arr(values: tuple[float, ...] | None) -> np.ndarray | None:
        return None if values is None else c * np.asarray(values, dtype=float)

    far = raw.far_field or (None, None, None)
    return {
        "ldos": arr(raw.ldos), "box_flux": arr(raw.box_flux), "plane_flux": arr(raw.plane_flux),
        "plane_collected": arr(raw.plane_collected), "far_up": arr(far[0]),
        "far_down": arr(far[1]), "far_cone": arr(far[2]),
        "host_ldos": arr(ref.ldos), "host_box_flux": arr(ref.box_flux),
        "share": _weights(structure, m, 1.0 / np.asarray(raw.freqs_mu)),
        "share_flux": _weights(structure, m, 1.0 / np.asarray(raw.flux_freqs_mu)),
        "planar_ldos": None if planar is None else arr(planar.ldos),
        "planar_exact": None if planar is None else exact_planar_rate(
            structure, 1.0 / np.asarray(raw.freqs_mu), m),
    }


def _host_total(terms: list[dict[str, np.ndarray | None]], host: str, share: str
                ) -> np.ndarray:
    """The point dipole's host power: the harmonics with an appreciable share, over it."""
    num = sum(np.where(t[share] > ACCURATE_SHARE, t[host], 0.0) for t in terms)
    den = sum(np.where(t[share] > ACCURATE_SHARE, t[share], 0.0) for t in terms)
    return np.asarray(num) / np.asarray(den)


def _ldos_terms(terms: list[dict[str, np.ndarray | None]]) -> list[np.ndarray]:
    """Each harmonic's LDOS over the host's point-dipole LDOS: its part scattered by the
    structure (or, with a planar reference, by what differs from the stack) plus the host's
    (the stack's) exact share."""
    host = _host_total(terms, "host_ldos", "share")
    ref, exact = ("host_ldos", "share") if terms[0]["planar_ldos"] is None else (
        "planar_ldos", "planar_exact")
    return [(np.asarray(t["ldos"]) - np.asarray(t[ref])) / host + np.asarray(t[exact])
            for t in terms]


def _differences(terms: list[dict[str, np.ndarray | None]], ldos: list[np.ndarray]
                 ) -> list[np.ndarray]:
    """What each harmonic adds beyond what is already counted: its whole term, or with a
    planar reference its difference from the stack (whose exact tail is in the sum)."""
    if terms[0]["planar_ldos"] is None:
        return ldos
    return [term - np.asarray(t["planar_exact"]) for t, term in zip(terms, ldos, strict=True)]


def _planar_tail(structure: Structure, terms: list[dict[str, np.ndarray | None]],
                 wavelengths_um: np.ndarray) -> np.ndarray:
    """The stack's exact rate of the harmonics not run (zero without a planar reference)."""
    if terms[0]["planar_ldos"] is None:
        return np.zeros_like(wavelengths_um)
    whole = exact_planar_rate(structure, wavelengths_um)
    return whole - sum(np.asarray(t["planar_exact"]) for t in terms)


def _flux_sum(terms: list[dict[str, np.ndarray | None]], key: str, host: np.ndarray
              ) -> np.ndarray | None:
    if any(t[key] is None for t in terms):
        return None
    return sum(np.asarray(t[key]) for t in terms) / host


def _tail(previous: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The harmonics not run, per wavelength, as the geometric series that the last two terms
    start (ratio capped at 0.9: at most 9x the last term; none where they change sign)."""
    q = np.clip(np.divide(last, previous, out=np.zeros_like(last), where=previous != 0),
                0.0, 0.9)
    return last * q / (1.0 - q)


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(workers: int) -> ThreadPoolExecutor | None:
    """A thread pool kept for the process (None for one worker: the caller's thread). Each
    thread keeps its Meep worker (sims.process), so reusing the threads reuses the workers
    instead of starting new ones for every sum."""
    if workers <= 1:
        return None
    if workers not in _POOLS:
        _POOLS[workers] = ThreadPoolExecutor(max_workers=workers,
                                             thread_name_prefix="harmonic")
    return _POOLS[workers]


class PlanarReferenceDiverged(SimulationDiverged):
    """The planar stack of a harmonic diverged (a metal Layer through the PML: Meep's Ag in a
    cylindrical PML can); the structure's own runs did not."""


def simulate_off_axis(structure: Structure, config: SimConfig, *,
                      cache_dir: str | Path | None | bool = True, mpi_ranks: int = 1,
                      launcher: str | None = None, timeout_s: float | None = None,
                      tolerance: float = DEFAULT_TOLERANCE,
                      max_harmonic: int = MAX_HARMONIC,
                      planar_reference: bool = True) -> SimResult:
    """Simulate a point dipole at (r0, 0, z), r0 > 0, of a cylindrical structure as the sum of
    its azimuthal harmonics; the result reads like a single run's (spectra, resonance, Purcell
    factors, collection) with the number of harmonics and the truncation estimate in its
    warnings. See :func:`sims.runner.simulate` for the arguments and errors; ``mpi_ranks``
    is the number of harmonics run at once here (each serially, so ``launcher`` is not used:
    on a cluster, give the job that many cores). ``planar_reference=False`` sums Meep's
    harmonics alone even near a metal face (the validation of the harmonics themselves).

    If a harmonic's planar stack diverges, the sum is redone without the planar reference
    (the structure's runs come from the cache) and the result says so first in its warnings:
    its near-metal LDOS then carries the grid-step warning instead of the stack's exact near
    field."""
    kwargs = dict(cache_dir=cache_dir, mpi_ranks=mpi_ranks, launcher=launcher,
                  timeout_s=timeout_s, tolerance=tolerance, max_harmonic=max_harmonic)
    try:
        return _sum_harmonics(structure, config, planar_reference=planar_reference, **kwargs)
    except PlanarReferenceDiverged as err:
        text = (f"the planar reference diverged ({err}); this is the sum of Meep's harmonics "
                "alone, without the exact near field of the planar stack: near the metal its "
                "LDOS is only as good as the grid (see the metal warning).")
        print(f"[{structure.name}] {text}", file=sys.stderr, flush=True)
        result = _sum_harmonics(structure, config, planar_reference=False, **kwargs)
        return dataclasses.replace(result, warnings=(text, *result.warnings))


def _sum_harmonics(structure: Structure, config: SimConfig, *,
                   cache_dir: str | Path | None | bool, mpi_ranks: int, launcher: str | None,
                   timeout_s: float | None, tolerance: float, max_harmonic: int,
                   planar_reference: bool) -> SimResult:
    from sims.runner import raw_runs, result_key

    if not structure.is_off_axis_dipole:
        raise ValueError("simulate_off_axis needs a cylindrical structure with its emitter off "
                         "the axis (emitter_position_um x > 0) and cylindrical_m=None, but got "
                         f"emitter_position_um={structure.emitter_position_um}, "
                         f"cylindrical_m={structure.cylindrical_m}.")
    cache = resolve_cache_dir(cache_dir)
    planar = planar_structure(structure) if planar_reference else None
    key = (f"{result_key(structure, config)}-azimuthal{SUM_VERSION}-{tolerance:g}-{max_harmonic}"
           f"{'' if planar_reference else '-no-planar'}")
    hit = None if cache is None else cache / "results" / f"{key}.json"
    if hit is not None and hit.exists():
        try:
            return SimResult.from_json(hit.read_text())
        except (ValueError, KeyError):
            hit.unlink(missing_ok=True)
    # the per-harmonic runs measure no mode volume: it belongs to one mode, not to a harmonic
    cfg = dataclasses.replace(config, compute_mode_volume=False)
    # the largest k·r0 in the window: at its shortest wavelength
    n_em = structure.emitter_index()
    m_min = harmonics_needed(2 * math.pi * n_em * structure.emitter_position_um[0]
                             / structure.wavelength_min_um)
    terms: list[dict[str, np.ndarray | None]] = []
    shares: list[float] = []
    runs: list[tuple[RawRun, RawRun]] = []
    planar_runs: list[RawRun] = []
    notes: list[str] = []
    converged = False
    workers = max(1, mpi_ranks)
    lam = np.ones(1)  # the LDOS wavelengths, set from the first run
    if planar is not None:
        print(f"[{structure.name}] near a metal face: each harmonic is paired with the planar "
              "stack through the emitter (sims.planar_reference)", file=sys.stderr, flush=True)

    def run(m: int) -> tuple[RawRun, RawRun, str | None, RawRun | None]:
        sub = dataclasses.replace(structure, cylindrical_m=m, name=f"{structure.name}-m{m}")
        raw, ref, note = raw_runs(sub, cfg, cache, launcher=None, timeout_s=timeout_s)
        if planar is None:
            return raw, ref, note, None
        flat = dataclasses.replace(planar, cylindrical_m=m, name=f"{planar.name}-m{m}")
        try:
            flat_raw = raw_runs(flat, cfg, cache, launcher=None, timeout_s=timeout_s)[0]
        except SimulationDiverged as err:
            raise PlanarReferenceDiverged(f"harmonic m={m}: {err}") from err
        return raw, ref, note, flat_raw

    # harmonics are independent runs: with mpi_ranks = N, N of them run at once (one process
    # each; a cylindrical cell this size gains little from MPI ranks)
    pool = _pool(workers)
    for start in range(0, max_harmonic + 1, workers):
        batch = range(start, min(start + workers, max_harmonic + 1))
        results = map(run, batch) if pool is None else pool.map(run, batch)
        for m, (raw, ref, note, flat) in zip(batch, results, strict=True):
            if note is not None and note not in notes:
                notes.append(note)
            runs.append((raw, ref))
            if flat is not None:
                planar_runs.append(flat)
            terms.append(_measured(raw, ref, structure, m, flat))
            lam = 1.0 / np.asarray(raw.freqs_mu)
            ldos = _ldos_terms(terms)
            extra = _differences(terms, ldos)
            running = np.maximum(np.abs(sum(ldos) + _planar_tail(structure, terms, lam)), 1e-300)
            shares.append(float(np.max(np.abs(extra[-1]) / running)))
            what = "of the LDOS" if planar is None else "beyond the planar stack's"
            seconds = raw.provenance.wall_time_s + (0.0 if flat is None
                                                    else flat.provenance.wall_time_s)
            print(f"[{structure.name}] harmonic m={m}: adds up to {100 * shares[-1]:.3g} % "
                  f"{what} ({seconds:.0f} s)", file=sys.stderr, flush=True)
            # the same stop for any number of workers (a harmonic run beyond it stays in
            # the cache, unused), so the result does not depend on them
            if m >= m_min and max(shares[-2:]) < tolerance:
                converged = True
                break
        if converged:
            break
    ldos = _ldos_terms(terms)
    extra = _differences(terms, ldos)
    flat_tail = _planar_tail(structure, terms, lam)
    total = sum(ldos) + flat_tail
    # the near-field (quenching) harmonics can decay slowly in m: add their geometric tail
    # (with a planar reference: the tail of the differences from the stack)
    tail = _tail(extra[-2], extra[-1]) if len(extra) >= 2 else np.zeros_like(total)
    scale = np.maximum(np.abs(total), 1e-300)
    summary = HarmonicSum(harmonics=len(shares), term_share=tuple(shares),
                          tail_relative=float(np.max(np.abs(tail) / scale)),
                          converged=converged,
                          planar_tail=None if planar is None else float(np.max(flat_tail / scale)))
    raw_sum, ref_unit = _as_raw_pair(total + tail, terms, runs, planar_runs)
    result = combine(structure, config, raw_sum, ref_unit, planar_reference=planar is not None)
    return _finish(result, summary, notes, hit, tolerance)


def _as_raw_pair(ldos: np.ndarray, terms: list[dict[str, np.ndarray | None]],
                 runs: list[tuple[RawRun, RawRun]], planar_runs: list[RawRun]
                 ) -> tuple[RawRun, RawRun]:
    """The sums (already over the host) as a structure run over a unit reference, for
    :func:`combine`; the wall and Meep times include the planar-stack runs."""
    first = runs[0][0]
    host_flux = _host_total(terms, "host_box_flux", "share_flux")
    sums = {key: _flux_sum(terms, key, host_flux) for key in _FLUX_KEYS}

    def tup(a: np.ndarray | None) -> tuple[float, ...] | None:
        return None if a is None else tuple(float(v) for v in a)

    far = None
    if sums["far_up"] is not None:
        far = (tup(sums["far_up"]), tup(sums["far_down"]), tup(sums["far_cone"]))
    modes = tuple(mode for raw, _ in runs for mode in raw.modes)
    stops = {raw.provenance.stop_reason for raw, _ in runs}
    prov = dataclasses.replace(
        first.provenance, cylindrical_m=None,
        wall_time_s=sum(r.provenance.wall_time_s for r in (*(r for r, _ in runs), *planar_runs)),
        meep_time_s=sum(r.provenance.meep_time_s for r in (*(r for r, _ in runs), *planar_runs)),
        time_steps=max(r.provenance.time_steps for r, _ in runs),
        stop_reason="time cap" if "time cap" in stops else first.provenance.stop_reason,
    )
    warnings: list[str] = []
    for raw, _ in runs:
        warnings.extend(w for w in raw.warnings if w not in warnings)
    raw_sum = RawRun(
        freqs_mu=first.freqs_mu, ldos=tup(ldos) or (), flux_freqs_mu=first.flux_freqs_mu,
        box_flux=tup(sums["box_flux"]) or (), plane_flux=tup(sums["plane_flux"]),
        plane_collected=tup(sums["plane_collected"]), modes=modes, selected_mode=None,
        mode_volume=None, provenance=prov, warnings=tuple(warnings), far_field=far)
    ones_f = tuple(1.0 for _ in first.freqs_mu)
    ones_flux = tuple(1.0 for _ in first.flux_freqs_mu)
    ref_prov = dataclasses.replace(
        runs[0][1].provenance, wall_time_s=sum(ref.provenance.wall_time_s for _, ref in runs))
    ref_unit = RawRun(freqs_mu=first.freqs_mu, ldos=ones_f, flux_freqs_mu=first.flux_freqs_mu,
                      box_flux=ones_flux, plane_flux=None, plane_collected=None, modes=(),
                      selected_mode=None, mode_volume=None, provenance=ref_prov)
    return raw_sum, ref_unit


def _finish(result: SimResult, summary: HarmonicSum, notes: list[str], hit: Path | None,
            tolerance: float) -> SimResult:
    shares = ", ".join(f"{100 * s:.2g}" for s in summary.term_share)
    beyond = "" if summary.planar_tail is None else " beyond the planar stack through the emitter"
    text = (f"off-axis point dipole: sum over {summary.harmonics} azimuthal harmonics "
            f"(m = 0..{summary.harmonics - 1}; each adds at most [{shares}] % of the LDOS"
            f"{beyond}); ")
    if summary.planar_tail is not None:
        text += (f"the stack's exact harmonics m >= {summary.harmonics} add up to "
                 f"{100 * summary.planar_tail:.2g} %; near the metal faces the grid's near field "
                 "is replaced by the exact one of the planar stack through the emitter "
                 "(sims.planar_reference), so what the grid contributes is what the finite "
                 "structure changes (its resonance, edges, radiation): on one grid that part "
                 "has NO error estimate and is not known to be converged (the two-grid screen, "
                 "sims.screen.simulate_with_error, measures it); ")
    text += (f"the harmonics not run, extrapolated as a geometric series, add "
             f"{100 * summary.tail_relative:.2g} % to the LDOS (included; take it as the "
             "truncation error)")
    if not summary.converged:
        text += (f": NOT converged in m (tolerance {100 * tolerance:g} %); the Purcell factors "
                 "are lower bounds")
    result = dataclasses.replace(result, warnings=(*result.warnings, text + ".", *notes))
    if hit is not None:
        atomic_write(hit, result.to_json())
    return result
