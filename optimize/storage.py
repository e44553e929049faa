"""Optuna storages: SQLite for one process, journal file for several processes on one machine or a
shared file system, PostgreSQL (or any SQLAlchemy URL) for clusters.

Passwords never leave this module: :func:`redact` masks them in every message.
"""

from __future__ import annotations

import os
import re
import sys
import time
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


def _repair_cut_journal(path: Path, backend: Any) -> None:
    """Cut off a journal's incomplete last line (a writer died mid-write), keeping it aside.

    Optuna tolerates an incomplete last line only while nothing follows it: the next append
    would glue a new record onto it and every later read of the study would fail. The check
    runs under the journal's own write lock, so an incomplete line then cannot be a write in
    progress. The cut bytes go to ``<journal>.cut-<unix time>`` and a warning says so.
    """
    from optimize._optuna_compat import journal_write_lock

    if not path.exists() or path.stat().st_size == 0:
        return
    with journal_write_lock(backend):
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

    RDB storages (SQLite, PostgreSQL) get heartbeats and Optuna's retry callback
    (:func:`optimize._optuna_compat.retry_callback`): a trial whose worker died is marked FAILED
    after the grace period and its parameters are enqueued again. Journal storages get the same
    through :func:`optimize._optuna_compat.heartbeat_journal_class` (Optuna gives heartbeats to
    RDB storages only).

    Raises:
        StorageError: unreachable server, wrong password, missing driver (one line, redacted).
    """
    import optuna

    from optimize import _optuna_compat as compat

    kind = kind_of(url)
    try:
        if kind == "journal":
            path = Path(url.removeprefix("journal:"))
            path.parent.mkdir(parents=True, exist_ok=True)
            from optuna.storages.journal import JournalFileBackend

            backend = JournalFileBackend(str(path))
            _repair_cut_journal(path, backend)
            storage_cls = compat.heartbeat_journal_class()
            return storage_cls(backend,
                               heartbeat_interval=HEARTBEAT_INTERVAL_S if heartbeat else None,
                               grace_period=GRACE_PERIOD_S,
                               stale_trial_callback=compat.retry_callback(max_retry=MAX_RETRY)
                               if heartbeat else None)
        if kind == "sqlite":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if heartbeat:
            kwargs.update({"heartbeat_interval": HEARTBEAT_INTERVAL_S,
                           "grace_period": GRACE_PERIOD_S,
                           **compat.rdb_heartbeat_kwargs(
                               compat.retry_callback(max_retry=MAX_RETRY))})
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
