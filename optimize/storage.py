"""Optuna storages: SQLite for one process, journal file for several processes on one machine or a
shared file system, PostgreSQL (or any SQLAlchemy URL) for clusters.

Passwords never leave this module: :func:`redact` masks them in every message.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

STORAGE_ENV = "PNC_STORAGE"
HEARTBEAT_INTERVAL_S = 30
GRACE_PERIOD_S = 90
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


def open_storage(url: str, *, heartbeat: bool = True) -> Any:
    """An Optuna storage object for ``url`` (see module docstring).

    RDB storages (SQLite, PostgreSQL) get heartbeats and Optuna's
    :class:`~optuna.storages.RetryFailedTrialCallback`: a trial whose worker died is marked FAILED
    after the grace period and its parameters are enqueued again. Journal storages have no
    heartbeat in Optuna; stale RUNNING trials there are handled by :mod:`optimize.study`.

    Raises:
        StorageError: unreachable server, wrong password, missing driver (one line, redacted).
    """
    import optuna

    kind = kind_of(url)
    try:
        if kind == "journal":
            path = Path(url.removeprefix("journal:"))
            path.parent.mkdir(parents=True, exist_ok=True)
            from optuna.storages.journal import JournalFileBackend, JournalStorage

            return JournalStorage(JournalFileBackend(str(path)))
        if kind == "sqlite":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if heartbeat:
            kwargs.update(
                heartbeat_interval=HEARTBEAT_INTERVAL_S, grace_period=GRACE_PERIOD_S,
                failed_trial_callback=optuna.storages.RetryFailedTrialCallback(
                    max_retry=MAX_RETRY))
        engine_kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("postgresql"):
            engine_kwargs["connect_args"] = {"connect_timeout": 10}
        return optuna.storages.RDBStorage(url, engine_kwargs=engine_kwargs, **kwargs)
    except ImportError as err:
        raise StorageError(
            f"cannot open storage {redact(url)}: missing database driver ({err}); for PostgreSQL "
            "install `psycopg2-binary` (pip install 'pnc-cavity-designer[postgres]')."
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
