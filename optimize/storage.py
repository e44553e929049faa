"""Optuna storages: SQLite for one process, journal file for several processes on one machine or a
shared file system, PostgreSQL (or any SQLAlchemy URL) for clusters.

Passwords never leave this module: :func:`redact` masks them in every message.
"""

from __future__ import annotations

import os
import sys
import time
import re
from pathlib import Path
from typing import Any

STORAGE_ENV = "PNC_STORAGE"
HEARTBEAT_INTERVAL_S = int(os.environ.get("PNC_HEARTBEAT_S", "30"))
"""Seconds between a running trial's heartbeats (env ``PNC_HEARTBEAT_S``)."""
GRACE_PERIOD_S = int(os.environ.get("PNC_GRACE_S", "90"))
"""A RUNNING trial silent for longer is FAILED and retried (env ``PNC_GRACE_S``)."""
MAX_RETRY = 3


class StorageError(RuntimeError):
    """The storage cannot be opened (the message is one line and has no password)."""


_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:)(?P<pw>[^@]*)(?P<tail>@)")


def redact(text: str) -> str:
    """Mask the password of any URL in ``text``.

    Example:
        >>> redact("postgresql://optuna:s3cret@db:5432/study")
        'postgresql://optuna:***@db:5432/study'
    """
    return _PASSWORD.sub(lambda m: f"{m['head']}***{m['tail']}", text)


def storage_url(option: str | None, run_dir: Path) -> str:
    """The storage to use: the option, else ``$PNC_STORAGE``, else SQLite in the run folder.

    A path ending in ``.log`` or ``.journal`` (or ``journal:PATH``) means journal file storage.
    """
    url = option or os.environ.get(STORAGE_ENV)
    if not url:
        return f"sqlite:///{(run_dir / 'study.db').resolve()}"
    return url


def kind_of(url: str) -> str:
    if url.startswith("journal:") or url.endswith((".log", ".journal")):
        return "journal"
    if url.startswith("sqlite:"):
        return "sqlite"
    return "rdb"


HEARTBEAT_ATTR = "pnc_heartbeat_unix_s"


def _heartbeat_journal_class() -> type:
    """Optuna's JournalStorage with Optuna's heartbeat protocol (``BaseHeartbeat``).

    Optuna gives heartbeats (and with them the stale-trial retry callback) only to RDB
    storages. This plugs the journal file storage into the same protocol: Optuna's own
    heartbeat thread calls :meth:`record_heartbeat` every ``heartbeat_interval`` seconds while a
    trial runs (stored as a trial system attribute, i.e. one journal line), and Optuna's
    ``fail_stale_trials`` (run before each new trial) asks :meth:`_get_stale_trial_ids` for
    RUNNING trials silent for more than ``grace_period`` seconds, marks them FAILED and hands
    them to the retry callback. Worker clocks must agree (NTP) as they do on a cluster.
    """
    import time

    from optuna.storages._heartbeat import BaseHeartbeat
    from optuna.storages.journal import JournalStorage
    from optuna.trial import TrialState

    class HeartbeatJournalStorage(JournalStorage, BaseHeartbeat):  # type: ignore[misc]
        def __init__(self, backend: Any, *, heartbeat_interval: int | None,
                     grace_period: int, stale_trial_callback: Any) -> None:
            super().__init__(backend)
            self._heartbeat_interval = heartbeat_interval
            self._grace_period = grace_period
            self._stale_callback = stale_trial_callback

        def record_heartbeat(self, trial_id: int) -> None:
            try:
                self.set_trial_system_attr(trial_id, HEARTBEAT_ATTR, time.time())
            except Exception:  # noqa: BLE001 - the trial just finished: nothing to record
                pass

        def _get_stale_trial_ids(self, study_id: int) -> list[int]:
            now = time.time()
            stale = []
            for t in self.get_all_trials(study_id, deepcopy=False,
                                         states=(TrialState.RUNNING,)):
                beat = t.system_attrs.get(HEARTBEAT_ATTR)
                if beat is None and t.datetime_start is not None:
                    beat = t.datetime_start.timestamp()
                if beat is not None and now - float(beat) > self._grace_period:
                    stale.append(t._trial_id)
            return stale

        def get_heartbeat_interval(self) -> int | None:
            return self._heartbeat_interval

        def get_heartbeat_stale_trial_callback(self) -> Any:
            return self._stale_callback

        def get_failed_trial_callback(self) -> Any:  # Optuna < 4.9 name
            return self._stale_callback

    return HeartbeatJournalStorage


def _retry_callback() -> Any:
    """Optuna's retry callback (renamed RetryHeartbeatStaleTrialCallback in Optuna 5); built
    without its "experimental" warning."""
    import warnings

    import optuna

    cls = getattr(optuna.storages, "RetryHeartbeatStaleTrialCallback", None) or \
        optuna.storages.RetryFailedTrialCallback

    def make(**kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return cls(**kwargs)

    return make


def _repair_cut_journal(path: Path, backend: Any) -> None:
    """Cut off a journal's incomplete last line (a writer died mid-write), keeping it aside.

    Optuna tolerates an incomplete last line only while nothing follows it: the next append
    would glue a new record onto it and every later read of the study would fail. The check
    runs under the journal's own write lock, so an incomplete line then cannot be a write in
    progress. The cut bytes go to ``<journal>.cut-<unix time>`` and a warning says so.
    """
    from optuna.storages.journal._file import get_lock_file

    if not path.exists() or path.stat().st_size == 0:
        return
    with get_lock_file(backend._lock):
        data = path.read_bytes()
        if data.endswith(b"\n"):
            return
        keep = data.rfind(b"\n") + 1
        aside = path.with_name(f"{path.name}.cut-{int(time.time())}")
        aside.write_bytes(data[keep:])
        with path.open("r+b") as fh:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
    print(f"pnc-optimize: warning: journal {path} ended in an incomplete record ({len(data) - keep}"
          f" bytes, a writer died mid-write); cut off and kept in {aside}", file=sys.stderr)


def open_storage(url: str, *, heartbeat: bool = True) -> Any:
    """An Optuna storage object for ``url`` (see module docstring).

    RDB storages (SQLite, PostgreSQL) get heartbeats and Optuna's
    :class:`~optuna.storages.RetryFailedTrialCallback`: a trial whose worker died is marked FAILED
    after the grace period and its parameters are enqueued again. Journal storages get the same
    through :func:`_heartbeat_journal_class` (Optuna gives heartbeats to RDB storages only).

    Raises:
        StorageError: unreachable server, wrong password, missing driver (one line, redacted).
    """
    import optuna

    kind = kind_of(url)
    try:
        if kind == "journal":
            path = Path(url.removeprefix("journal:"))
            path.parent.mkdir(parents=True, exist_ok=True)
            from optuna.storages.journal import JournalFileBackend

            backend = JournalFileBackend(str(path))
            _repair_cut_journal(path, backend)
            storage_cls = _heartbeat_journal_class()
            return storage_cls(backend,
                               heartbeat_interval=HEARTBEAT_INTERVAL_S if heartbeat else None,
                               grace_period=GRACE_PERIOD_S,
                               stale_trial_callback=_retry_callback()(max_retry=MAX_RETRY)
                               if heartbeat else None)
        if kind == "sqlite":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if heartbeat:
            import inspect

            params = inspect.signature(optuna.storages.RDBStorage).parameters
            key = ("heartbeat_stale_trial_callback" if "heartbeat_stale_trial_callback" in params
                   else "failed_trial_callback")  # Optuna < 4.9
            kwargs.update({"heartbeat_interval": HEARTBEAT_INTERVAL_S,
                           "grace_period": GRACE_PERIOD_S,
                           key: _retry_callback()(max_retry=MAX_RETRY)})
        engine_kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("postgresql"):
            engine_kwargs["connect_args"] = {"connect_timeout": 10}
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return optuna.storages.RDBStorage(url, engine_kwargs=engine_kwargs, **kwargs)
    except ImportError as err:
        raise StorageError(
            f"cannot open storage {redact(url)}: missing database driver ({err}); for PostgreSQL "
            "install `psycopg[binary]` (pip install 'pnc-cavity-designer[postgres]')."
        ) from None
    except Exception as err:  # noqa: BLE001 - SQLAlchemy raises many types; report one line
        first = redact(str(err).strip().splitlines()[0] if str(err).strip() else repr(err))
        hint = ""
        if "password authentication failed" in first:
            hint = " (wrong user name or password)"
        elif "Connection refused" in first or "could not translate host" in first \
                or "timeout expired" in first:
            hint = " (is the database server running and reachable?)"
        raise StorageError(f"cannot open storage {redact(url)}: {first}{hint}") from None
