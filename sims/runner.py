"""Run simulations: content-hash cache -> fresh child process (optionally MPI) -> SimResult.

Each Meep run happens in its own process (Meep keeps process-wide C state). The normalisation
run (the same dipole in the homogeneous host, same grid offset) is cached separately and shared
by every design with the same host, resolution and window.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import warnings as _warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cavities.structure import Structure
from sims.analysis import MODE_SELECTION_RULE, negative_ldos
from sims.config import SimConfig
from sims.errors import SimulationDiverged, SimulationError, SimulationTimeout, UnphysicalResult
from sims.results import SCHEMA_VERSION, Mode, RawRun, SimResult, Spectra

CACHE_ENV = "PNC_CAVITY_CACHE"
CODE_VERSION = "sims-3"  # bump when a change alters numbers, to invalidate caches
# sims-2: Harminv keeps Q > 2 and analyses the ring-down only; mode-volume DFT starts after a
# 10-period probe; stable Courant factor; LDOS-peak resonance fallback. sims-3: mode selection
# by spectral peak height.


def default_cache_dir() -> Path:
    """``$PNC_CAVITY_CACHE`` or ``~/.cache/pnc-cavity-designer``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pnc-cavity-designer"


def content_hash(kind: str, structure: Structure, config: SimConfig) -> str:
    """sha256 over (kind, structure, config, schema, code version): the cache key."""
    payload = json.dumps({"kind": kind, "structure": structure.to_dict(),
                          "config": config.to_dict(), "schema": SCHEMA_VERSION,
                          "code": CODE_VERSION}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


# -- the homogeneous-host reference -------------------------------------------------------------
def reference_structure(structure: Structure, config: SimConfig) -> Structure:
    """The same dipole in the homogeneous host that surrounds the emitter.

    Same dimensions, orientation, window and sub-pixel offset of the source; open (PML)
    boundaries; a cell of about one host wavelength.
    """
    host = structure.emitter_material
    lossy_poles = any(p.kind == "drude" or p.gamma_ev > 0 for p in host.poles)
    if host.perfect_conductor or lossy_poles or host.epsilon_imag:
        raise ValueError(
            "the emitter must sit in a lossless medium (the homogeneous host that normalises "
            f"the LDOS; lossless dispersion is fine), but the material at emitter_position_um="
            f"{structure.emitter_position_um} is {host.name!r}."
        )
    n = host.index(structure.target_um).real
    dx = 1.0 / config.resolution_px_per_um
    half = max(structure.wavelength_max_um / n, 6 * dx) + 3 * dx
    size = 2 * half
    pos = [round(p - dx * round(p / dx), 9) + 0.0 for p in structure.emitter_position_um]
    if structure.dimensions == "cylindrical":
        pos[0] = pos[1] = 0.0
    if structure.dimensions == "2d":
        pos[2] = 0.0
    return Structure(
        name=f"host-{host.name}", shapes=(), background=host, cell_size_um=(size, size, size),
        dimensions=structure.dimensions, boundaries=("pml", "pml", "pml"),
        emitter_position_um=tuple(pos), dipole_orientation=structure.dipole_orientation,
        wavelength_min_um=structure.wavelength_min_um,
        wavelength_max_um=structure.wavelength_max_um,
    )


def _reference_config(config: SimConfig) -> SimConfig:
    # the homogeneous host has nothing to destabilise a PML: the reference always uses one
    return dataclasses.replace(config, compute_mode_volume=False, compute_collection=False,
                               symmetries="auto", boundary_layer="pml")


# -- child processes ----------------------------------------------------------------------------
def mpi_command(ranks: int, launcher: str | None = None) -> list[str]:
    """Command prefix for ``ranks`` MPI ranks (``mpirun`` locally, or e.g. ``srun``)."""
    if ranks <= 1 and not launcher:
        return []
    if launcher:
        return [*launcher.split(), "-n", str(ranks)]
    cmd = ["mpirun", "-np", str(ranks)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--allow-run-as-root")
    return cmd


def _die_with_parent() -> None:
    """In the child (Linux): receive SIGKILL when the parent dies, so that a worker killed
    with SIGKILL does not leave its simulation running."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
        except OSError:
            pass


def _kill_group(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """SIGKILL the child's process group (mpirun and all ranks) and reap it."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def run_raw(structure: Structure, config: SimConfig, *, label: str, want_modes: bool = True,
            mpi_ranks: int = 1, launcher: str | None = None, timeout_s: float | None = None,
            ) -> RawRun:
    """Run the Meep backend in a fresh child process and return its RawRun."""
    check_compatible(structure, config)
    with tempfile.TemporaryDirectory(prefix="pnc-sim-") as tmp:
        req, out = Path(tmp) / "request.json", Path(tmp) / "raw.json"
        req.write_text(json.dumps({"structure": structure.to_dict(), "config": config.to_dict(),
                                   "label": label, "want_modes": want_modes}))
        cmd = [*mpi_command(mpi_ranks, launcher), sys.executable, "-m", "sims._child",
               str(req), str(out)]
        env = dict(os.environ, OMP_NUM_THREADS="1")
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:
            stream_fd = sys.stderr.fileno()  # progress goes straight to our stderr
        except (AttributeError, OSError, ValueError):
            stream_fd = None  # stderr is captured (e.g. by pytest): collect, then forward
        try:
            # a new session, so that a timeout kills mpirun *and* its ranks
            proc = subprocess.Popen(cmd, stdout=stream_fd if stream_fd is not None else
                                    subprocess.PIPE, stderr=None if stream_fd is not None else
                                    subprocess.STDOUT, env=env, text=True,
                                    start_new_session=True, preexec_fn=_die_with_parent)
            try:
                captured, _ = proc.communicate(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                raise
            except BaseException:  # interrupted (Ctrl-C, worker killed): take the ranks along
                _kill_group(proc)
                raise
            if stream_fd is None and captured:
                sys.stderr.write(captured)
        except subprocess.TimeoutExpired as err:
            raise SimulationTimeout(
                f"timeout: simulation {label!r} exceeded its wall-clock limit of {timeout_s} s "
                "and was killed."
            ) from err
        except FileNotFoundError as err:
            raise SimulationError(f"cannot start {cmd[0]!r}: {err}") from err
        if not out.exists():
            raise SimulationError(
                f"simulation {label!r} crashed (exit code {proc.returncode}) without writing a "
                "result; see the messages above."
            )
        text = out.read_text()
        data = json.loads(text)
        if "error" in data:
            err_type, msg = data["error"]["type"], data["error"]["message"]
            if err_type == "SimulationDiverged":
                raise SimulationDiverged(msg)
            if err_type == "MeepUnavailableError" or err_type == "ModuleNotFoundError":
                from sims._compat import INSTALL_HINT

                raise SimulationError(f"{msg}\n{INSTALL_HINT}")
            raise SimulationError(f"simulation {label!r} failed: {err_type}: {msg}")
        return RawRun.from_json(text)


def _cached_raw(kind: str, structure: Structure, config: SimConfig, cache_dir: Path | None,
                **kwargs: Any) -> RawRun:
    if cache_dir is not None:
        path = cache_dir / "raw" / f"{kind}-{content_hash(kind, structure, config)}.json"
        if path.exists():
            return RawRun.from_json(path.read_text())
    raw = run_raw(structure, config, label=f"{kind}:{structure.name}", **kwargs)
    if cache_dir is not None:
        _atomic_write(path, raw.to_json())
    return raw


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


# -- the public entry point ---------------------------------------------------------------------
def simulate(structure: Structure, config: SimConfig | None = None, *,
             cache_dir: str | Path | None | bool = True, mpi_ranks: int = 1,
             launcher: str | None = None, timeout_s: float | None = None) -> SimResult:
    """Simulate a structure and return its normalised, typed result.

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
    cache = default_cache_dir() if cache_dir is True else (Path(cache_dir) if cache_dir else None)
    if cache is not None:
        hit = cache / "results" / f"{content_hash('result', structure, config)}.json"
        if hit.exists():
            return SimResult.from_json(hit.read_text())
    ref_struct = reference_structure(structure, config)
    ref = _cached_raw("reference", ref_struct, _reference_config(config), cache,
                      want_modes=False, timeout_s=timeout_s)
    raw = _cached_raw("structure", structure, config, cache, want_modes=True,
                      mpi_ranks=mpi_ranks, launcher=launcher, timeout_s=timeout_s)
    result = combine(structure, config, raw, ref)
    if cache is not None:
        _atomic_write(hit, result.to_json())
    return result


def check_compatible(structure: Structure, config: SimConfig) -> None:
    """Reject settings that Meep 1.25 cannot run correctly for this structure; warn about a
    Drude-metal Layer running into a PML (user structures; the families end their films).

    Raises:
        ValueError: ``boundary_layer="absorber"`` in cylindrical coordinates: Meep does not
            support its Absorber there (NanoComp/meep#2824; measured here, a dipole in glass
            gave an LDOS 3-5x too large).
    """
    metal_layers = [sh.material.name for sh in structure.shapes if sh.type == "layer" and any(
        pole.kind == "drude" for pole in sh.material.poles)]
    if metal_layers and config.boundary_layer == "pml":
        _warnings.warn(
            f"structure {structure.name!r}: a metal Layer ({', '.join(metal_layers)}) runs into "
            "the PML, where a Drude metal can make the run diverge (an Ag film did here). "
            "Build the film as a Block (3D) or Cylinder (cylindrical) that ends at the cell edge, "
            "as the cavity families do.", stacklevel=3)
    if config.boundary_layer == "absorber" and structure.dimensions == "cylindrical":
        raise ValueError(
            "`boundary_layer='absorber'` is not supported in cylindrical coordinates: Meep's "
            "Absorber gives wrong powers there (NanoComp/meep#2824; a dipole in glass came out "
            "with a 3-5x LDOS). Use a PML, or the 3D structure with the absorber."
        )


def combine(structure: Structure, config: SimConfig, raw: RawRun, ref: RawRun) -> SimResult:
    """Normalise a structure run by its host reference run (pure)."""
    from sims import analytic

    warnings = list(raw.warnings)
    if tuple(raw.freqs_mu) != tuple(ref.freqs_mu):
        raise SimulationError("structure and reference runs have different frequency grids.")
    total = [a / b for a, b in zip(raw.ldos, ref.ldos, strict=True)]
    negative = negative_ldos(tuple(1.0 / f for f in raw.freqs_mu), total)
    cut = raw.provenance.stop_reason == "time cap"
    if negative is not None and not cut:
        raise UnphysicalResult(
            f"{negative}: the structure gave energy to the dipole although its fields decayed, "
            "which no passive structure does. Likely causes: a dispersive metal (e.g. an Ag film) "
            "running into the boundary layer, or an unstable material fit. Nothing of this run "
            "is reported.")
    if negative is not None:
        warnings.append(
            f"{negative}: a long-lived mode was cut at the time cap, and the finite Fourier "
            "transform of its ring-down oscillates below zero. The LDOS spectrum is not a Purcell "
            "spectrum here: no LDOS Purcell factor is reported (Harminv's Q, the mode volume and "
            "the Q/V estimate still are). Raise max_periods, or use a 3D/full fidelity run whose "
            "mode leaks out.")
    radiative = [a / b for a, b in zip(raw.box_flux, ref.box_flux, strict=True)]
    lam = tuple(1.0 / f for f in raw.freqs_mu)  # a = 1 µm (sims.units)
    flux_lam = tuple(1.0 / f for f in raw.flux_freqs_mu)
    total_at_flux = _interp_many(flux_lam, lam, total)
    efficiency = [r / t if t > 0 else math.nan for r, t in zip(radiative, total_at_flux,
                                                                 strict=True)]
    collection = direction = None
    if raw.plane_collected is not None and raw.plane_flux is not None:
        collection = tuple(c / b for c, b in zip(raw.plane_collected, raw.box_flux, strict=True))
        direction = tuple(p / b for p, b in zip(raw.plane_flux, raw.box_flux, strict=True))
    spectra = Spectra(wavelength_um=lam, purcell_total=tuple(total), flux_wavelength_um=flux_lam,
                      purcell_radiative=tuple(radiative), radiative_efficiency=tuple(efficiency),
                      collection_efficiency=collection, direction_fraction=direction)
    n_em = structure.emitter_index()
    modes, selected = raw.modes, raw.selected_mode
    if selected is None and negative is None:
        peak = ldos_peak_mode(lam, total)
        if peak is not None:
            modes, selected = (*modes, peak), len(modes)
            warnings.append(
                f"Harminv found no resonance in the window; the resonance is the LDOS peak at "
                f"{1e3 * peak.wavelength_um:.1f} nm with Q = λ/FWHM = {peak.quality_factor:.3g} "
                "(a low-Q resonance); no mode volume.")
    mode = None if selected is None else modes[selected]
    f_tot = f_rad = coll = analytic_f = ratio = None
    if mode is None:
        warnings.append("no resonance found in the window (see modes)"
                        + ("." if negative else "; spectra are still valid."))
    else:
        if negative is None:
            f_tot = spectra.total_at(mode.wavelength_um)
            f_rad = spectra.radiative_at(mode.wavelength_um)
        coll = spectra.collection_at(mode.wavelength_um)
        spacing = abs(lam[0] - lam[-1]) / (len(lam) - 1)
        if 0 < mode.wavelength_um / mode.quality_factor < 3 * spacing:
            warnings.append(
                f"the resonance linewidth λ/Q = {1e3 * mode.wavelength_um / mode.quality_factor:.3g}"
                f" nm is under-resolved by the LDOS grid ({1e3 * spacing:.3g} nm): the peak Purcell "
                "factor is underestimated; raise n_freqs or narrow the window."
            )
        if mode.quality_factor < 0:
            warnings.append(
                f"the selected mode's decay is not resolved by the run (Harminv Q = "
                f"{mode.quality_factor:.3g} < 0: lossless within Harminv's precision); |Q| is a "
                "lower bound and no Q/V estimate is made. Raise harminv_periods to measure it.")
        mv = raw.mode_volume
        if mv is not None and mode.quality_factor > 0:
            if structure.dimensions == "2d" and mv.emitter_area_lambda_n2:
                analytic_f = analytic.purcell_q_over_a_2d(
                    quality_factor=mode.quality_factor,
                    mode_area_lambda_n2=mv.emitter_area_lambda_n2,
                    dipole="out_of_plane" if structure.dipole_orientation == "z" else "in_plane")
            elif mv.emitter_volume_lambda_n3:
                analytic_f = analytic.purcell_q_over_v(
                    quality_factor=mode.quality_factor,
                    mode_volume_lambda_n3=mv.emitter_volume_lambda_n3)
            if analytic_f is not None and f_tot:
                ratio = analytic_f / f_tot
    prov = dataclasses.replace(raw.provenance, reference_wall_time_s=ref.provenance.wall_time_s)
    return SimResult(
        structure=structure.to_dict(), config=config.to_dict(), modes=modes,
        selected_mode=selected, mode_selection_rule=MODE_SELECTION_RULE,
        refractive_index_at_emitter=n_em, spectra=spectra, mode_volume=raw.mode_volume,
        purcell_total_at_resonance=f_tot, purcell_radiative_at_resonance=f_rad,
        collection_efficiency_at_resonance=coll, analytic_purcell=analytic_f,
        analytic_over_ldos=ratio, provenance=prov, warnings=tuple(warnings),
        field_map=raw.field_map,
    )


def ldos_peak_mode(wavelength_um: Sequence[float], purcell: Sequence[float]) -> Mode | None:
    """The LDOS maximum inside the window as a Mode (Q = λ/FWHM above the spectrum's minimum),
    or None if the maximum sits at the window's edge or its half-maximum is not crossed on both
    sides (no resolved peak)."""
    import numpy as np

    lam = np.asarray(wavelength_um, dtype=float)
    f = np.asarray(purcell, dtype=float)
    order = np.argsort(lam)
    lam, f = lam[order], f[order]
    i = int(np.argmax(f))
    if i == 0 or i == len(f) - 1:
        return None
    half = 0.5 * (f[i] + f.min())
    left = np.nonzero(f[:i] < half)[0]
    right = np.nonzero(f[i:] < half)[0]
    if left.size == 0 or right.size == 0:
        return None
    a, b = left[-1], i + right[0]
    lam_l = np.interp(half, [f[a], f[a + 1]], [lam[a], lam[a + 1]])
    lam_r = np.interp(half, [f[b], f[b - 1]], [lam[b], lam[b - 1]])
    fwhm = lam_r - lam_l
    if not fwhm > 0:
        return None
    return Mode(wavelength_um=float(lam[i]), quality_factor=float(lam[i] / fwhm),
                amplitude_abs=float(f[i]), harminv_error=0.0, method="ldos_peak")


def _interp_many(x: Sequence[float], xs: Sequence[float], ys: Sequence[float]) -> list[float]:
    import numpy as np

    order = np.argsort(xs)
    return list(np.interp(x, np.asarray(xs)[order], np.asarray(ys)[order]))


def clear_cache(cache_dir: str | Path) -> None:
    """Delete a cache directory."""
    shutil.rmtree(cache_dir, ignore_errors=True)
