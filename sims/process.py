"""Process control of Meep runs: a Meep-loaded fork server for serial runs, ``mpirun`` for MPI.

Every simulation runs outside the caller's process (Meep keeps process-wide C state):

* serial runs go to a persistent :mod:`sims._worker` of this process, which imports Meep once
  and forks a pristine copy per simulation (saves ~1.6 s of ``import meep`` per run);
* MPI runs (``mpi_ranks > 1`` or a ``launcher``) start ``mpirun``/``srun`` with
  :mod:`sims._child`, as does every run when ``PNC_SIM_WORKER=0``.

Timeouts kill the whole process group (the server or mpirun and everything below it); a worker
that was killed is started again for the next run.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cavities.structure import Structure
from sims.config import SimConfig
from sims.errors import SimulationDiverged, SimulationError, SimulationTimeout
from sims.results import RawRun

WORKER_ENV = "PNC_SIM_WORKER"
"""``0`` disables the persistent worker (each run then starts a fresh ``sims._child``)."""
FORCE_MPI_ENV = "PNC_FORCE_MPI"
"""``1`` runs cylindrical structures on the requested ranks although one rank is faster."""
FORWARDED_ENV = ("PNC_FAULT_INJECT",)
"""Variables a forked copy takes from the caller's environment at request time."""


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


MPI_MIN_CYLINDRICAL_PIXELS = 20_000
"""Cylindrical grids smaller than this run on one rank (see :func:`choose_ranks`)."""


def grid_pixels(structure: Structure, config: SimConfig) -> int:
    """Number of grid pixels of Meep's cell (PML included) for ``structure`` at ``config``."""
    from sims.layout import CellLayout

    layout = CellLayout(structure, config)
    pixels = 1
    for size in layout.cell_size():
        if size:
            pixels *= max(1, round(size * layout.res))
    return pixels


def choose_ranks(dimensions: str, requested: int, pixels: int | None = None
                 ) -> tuple[int, str | None]:
    """The MPI ranks a run gets, and why if fewer than requested.

    Measured (``benchmarks/mpi_scaling.py``, 2 ranks on 2 cores, idle machine, from the
    caller: ``mpirun`` and ``import meep`` on every rank cost ~3.5 s per run): cylindrical
    grids of 13 818 pixels (bullseye, 40 px/µm) 0.69x, 25 990 (pillar, 120 px/µm) 1.15x,
    30 806 (bullseye, 60 px/µm) 1.06x, 55 272 (bullseye, 80 px/µm) 1.36-1.43x (two runs);
    a 3D pillar at 40 px/µm 1.10-1.28x. Cylindrical grids below
    :data:`MPI_MIN_CYLINDRICAL_PIXELS` (``pixels``; unknown counts as small) therefore run on
    one rank unless ``PNC_FORCE_MPI=1``; larger ones, 2D and 3D runs get what was requested.
    """
    small = pixels is None or pixels < MPI_MIN_CYLINDRICAL_PIXELS
    if (requested > 1 and dimensions == "cylindrical" and small
            and os.environ.get(FORCE_MPI_ENV) != "1"):
        size = "" if pixels is None else f" ({pixels} pixels)"
        return 1, (f"ran on 1 MPI rank, not the {requested} requested: a cylindrical grid "
                   f"this small{size} is faster on one rank (measured 0.69x on 2 ranks at "
                   f"13 818 pixels, 1.15x at 25 990; benchmarks/mpi_scaling.py); set "
                   f"{FORCE_MPI_ENV}=1 to override.")
    return requested, None


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


def _child_env() -> dict[str, str]:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()  # progress goes straight to our stderr
    except (AttributeError, OSError, ValueError):
        return None  # stderr is captured (e.g. by pytest): collect, then forward


class _Worker:
    """One persistent :mod:`sims._worker` server and its protocol."""

    def __init__(self) -> None:
        fd = _stderr_fd()
        self.log = None if fd is not None else tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sims._worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=fd if fd is not None else self.log, env=_child_env(),
            text=True, start_new_session=True, preexec_fn=_die_with_parent)
        self.owner = os.getpid()
        self._buffer = b""
        ready = self._read(timeout_s=120.0)
        if ready is None or "ready" not in ready:
            self.kill()
            raise SimulationError(f"the Meep worker did not start (got {ready!r}); see the "
                                  "messages above, or set PNC_SIM_WORKER=0.")

    def alive(self) -> bool:
        return self.proc.poll() is None and self.owner == os.getpid()

    def _read(self, timeout_s: float | None) -> dict | None:
        """The next protocol message (raw fd reads: no buffered line hides behind select)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise subprocess.TimeoutExpired("sims._worker", timeout_s or 0.0)
            chunk = os.read(fd, 65536)
            if not chunk:
                return None  # the server died
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line) if line.strip() else self._read(timeout_s)

    def _forward_log(self) -> None:
        if self.log is not None and not self.log.closed:
            self.log.seek(0)
            text = self.log.read()
            self.log.seek(0)
            self.log.truncate()
            if text:
                sys.stderr.write(text)

    def run(self, request: Path, out: Path, timeout_s: float | None) -> int | None:
        """Run one request; the copy's exit code, or None if the server itself died."""
        assert self.proc.stdin is not None
        env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        start = time.monotonic()
        try:
            self.proc.stdin.write(json.dumps({"request": str(request), "out": str(out),
                                              "env": env}) + "\n")
            self.proc.stdin.flush()
            started = self._read(timeout_s)
            if started is None:
                return None
            left = None if timeout_s is None else max(0.0, timeout_s - (time.monotonic()
                                                                          - start))
            done = self._read(left)
        except BaseException:  # timeout, Ctrl-C, worker killed: take the simulation along
            self._forward_log()
            self.kill()
            raise
        finally:
            self._forward_log()
        return None if done is None else int(done["exit"])

    def kill(self) -> None:
        """SIGKILL the server and its running copy; close the pipes."""
        _kill_group(self.proc)
        self.close()

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.log):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


_WORKER_FAILED = False
_LOCAL = threading.local()
"""Each thread has its own worker: a worker serves one request at a time, and
:mod:`sims.azimuthal_sum` runs harmonics from several threads at once."""
_ALL: list[_Worker] = []
_ALL_LOCK = threading.Lock()


def _worker() -> _Worker | None:
    """This thread's worker, started on first use; None if it cannot start (then every run
    takes the fresh-child path, whose error message says what is missing)."""
    global _WORKER_FAILED
    if _WORKER_FAILED:
        return None
    worker: _Worker | None = getattr(_LOCAL, "worker", None)
    if worker is not None and not worker.alive() and worker.owner == os.getpid():
        worker.kill()  # died (or was killed): reap it and close its pipes
    if worker is None or not worker.alive():
        try:
            worker = _Worker()
        except SimulationError:
            _WORKER_FAILED = True
            return None
        _LOCAL.worker = worker
        with _ALL_LOCK:
            _ALL.append(worker)
    return worker


def current_worker() -> _Worker | None:
    """This thread's worker if one has started (for tests and diagnostics)."""
    return getattr(_LOCAL, "worker", None)


def shutdown_worker() -> None:
    """Stop this process's Meep workers (also done at exit)."""
    with _ALL_LOCK:
        workers = [w for w in _ALL if w.owner == os.getpid()]
        _ALL.clear()
    for worker in workers:
        try:
            assert worker.proc.stdin is not None
            worker.proc.stdin.close()
            worker.proc.wait(timeout=10)
            worker.close()
        except (OSError, subprocess.TimeoutExpired):
            worker.kill()
    _LOCAL.worker = None


atexit.register(shutdown_worker)


def use_worker(mpi_ranks: int, launcher: str | None) -> bool:
    return mpi_ranks <= 1 and not launcher and os.environ.get(WORKER_ENV, "1") != "0"


def _run_subprocess(cmd: list[str], timeout_s: float | None) -> int:
    stream_fd = _stderr_fd()
    # a new session, so that a timeout kills mpirun *and* its ranks
    proc = subprocess.Popen(cmd, stdout=stream_fd if stream_fd is not None else
                            subprocess.PIPE, stderr=None if stream_fd is not None else
                            subprocess.STDOUT, env=_child_env(), text=True,
                            start_new_session=True, preexec_fn=_die_with_parent)
    try:
        captured, _ = proc.communicate(timeout=timeout_s)
    except BaseException:  # timeout, Ctrl-C, worker killed: take the ranks along
        _kill_group(proc)
        raise
    if stream_fd is None and captured:
        sys.stderr.write(captured)
    return proc.returncode


def run_raw(structure: Structure, config: SimConfig, *, label: str, want_modes: bool = True,
            mpi_ranks: int = 1, launcher: str | None = None, timeout_s: float | None = None,
            ) -> RawRun:
    """Run the Meep backend outside this process and return its RawRun."""
    from sims.compatibility import check_compatible

    check_compatible(structure, config)
    with tempfile.TemporaryDirectory(prefix="pnc-sim-") as tmp:
        req, out = Path(tmp) / "request.json", Path(tmp) / "raw.json"
        req.write_text(json.dumps({"structure": structure.to_dict(), "config": config.to_dict(),
                                   "label": label, "want_modes": want_modes}))
        cmd = [*mpi_command(mpi_ranks, launcher), sys.executable, "-m", "sims._child",
               str(req), str(out)]
        try:
            worker = _worker() if use_worker(mpi_ranks, launcher) else None
            if worker is not None:
                code = worker.run(req, out, timeout_s)
                if code is None:
                    raise SimulationError(
                        f"simulation {label!r}: the Meep worker process died; see the messages "
                        "above.")
            else:
                code = _run_subprocess(cmd, timeout_s)
        except subprocess.TimeoutExpired as err:
            raise SimulationTimeout(
                f"timeout: simulation {label!r} exceeded its wall-clock limit of {timeout_s} s "
                "and was killed."
            ) from err
        except FileNotFoundError as err:
            raise SimulationError(f"cannot start {cmd[0]!r}: {err}") from err
        if not out.exists():
            raise SimulationError(
                f"simulation {label!r} crashed (exit code {code}) without writing a "
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
