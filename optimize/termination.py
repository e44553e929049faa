"""Graceful stop of a worker on SIGTERM (Slurm's ``--signal=B:TERM@<grace>``, ``scancel``).

On the first SIGTERM the worker starts no new trial. A trial whose simulation is running is
stopped at once: :class:`WorkerTerminated` is raised inside the simulation wait (only there,
never inside Optuna's storage writes), which kills the Meep run (``sims.process`` takes its
processes along on any exception); the trial is then FAILED with the reason in user attr
``fail_reason`` and its parameters are enqueued again for another worker, so no trial is left
RUNNING. The worker then exits with code 0 and a message.

Example:
    >>> guard = Termination()
    >>> guard.requested
    False
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any


class WorkerTerminated(Exception):
    """The worker was told to stop (SIGTERM) while a trial ran."""


class _NoTerminationTraceback(logging.Filter):
    """Optuna logs every failed trial with its traceback; a stop on request needs none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], WorkerTerminated):
            record.exc_info, record.exc_text = None, None
        return True


class Termination:
    """The SIGTERM flag of one worker process and where it may interrupt a trial.

    Use as a context manager in the main thread: the handler is installed on entry and the
    previous one restored on exit.
    """

    def __init__(self, signals: tuple[int, ...] = (signal.SIGTERM,)) -> None:
        self.signals = signals
        self.requested = False
        self.signal_name: str | None = None
        self._interruptible = False
        self._previous: dict[int, Any] = {}
        self._log_filter = _NoTerminationTraceback()
        self._filtered: list[logging.Handler] = []

    def __enter__(self) -> Termination:
        for sig in self.signals:
            self._previous[sig] = signal.signal(sig, self._handle)
        import optuna  # noqa: F401 - sets up the "optuna" logger's handler filtered here

        for handler in logging.getLogger("optuna").handlers:
            handler.addFilter(self._log_filter)
            self._filtered.append(handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
        for h in self._filtered:
            h.removeFilter(self._log_filter)
        self._filtered.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        first = not self.requested
        self.requested = True
        self.signal_name = signal.Signals(signum).name
        if first and self._interruptible:
            self._interruptible = False  # raise once: later signals do not cut the clean-up
            raise WorkerTerminated(f"worker received {self.signal_name} during the trial")

    def request(self, reason: str = "SIGTERM") -> None:
        """Ask for a stop as the signal would (for callers and tests)."""
        self.requested = True
        self.signal_name = reason

    def check(self) -> None:
        """Raise :class:`WorkerTerminated` if a stop was requested (call before a trial)."""
        if self.requested:
            raise WorkerTerminated(f"worker received {self.signal_name} before the trial "
                                   "started")

    @contextlib.contextmanager
    def interruptible(self) -> Iterator[None]:
        """The region a signal may interrupt at once (the wait for the simulation)."""
        self.check()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False

    def stop_callback(self, study: Any, trial: Any) -> None:
        """Optuna callback: end ``study.optimize`` after this trial once a stop is requested."""
        if self.requested:
            study.stop()
