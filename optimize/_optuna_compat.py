"""Every use of Optuna's private names (and of its renamed APIs) in one place.

Supported Optuna versions: **4.0 to 5.0** (tested with 5.0.0). 4.0 is the lower bound because
it introduced the ``optuna.storages.journal`` package (``JournalStorage``,
``JournalFileBackend`` and ``journal._file.get_lock_file``) that :mod:`optimize.storage` uses;
importing this module with an older Optuna raises an :class:`ImportError` that says so.

The shims, each exercised by ``tests/optimize_tests/test_optuna_compat.py``:

* :func:`heartbeat_journal_class`: the journal storage plugged into Optuna's heartbeat protocol
  (``optuna.storages._heartbeat.BaseHeartbeat``, its ``_get_stale_trial_ids`` hook and
  ``FrozenTrial._trial_id``; Optuna 4.9 renamed ``get_failed_trial_callback`` to
  ``get_heartbeat_stale_trial_callback``, so both are provided);
* :func:`is_heartbeat_enabled`: ``optuna.storages._heartbeat.is_heartbeat_enabled`` applied to
  ``Study._storage``;
* :func:`journal_write_lock`: ``journal._file.get_lock_file(JournalFileBackend._lock)``;
* :func:`retry_callback`: ``RetryHeartbeatStaleTrialCallback`` (Optuna >= 4.9) or
  ``RetryFailedTrialCallback``, built without its "experimental" warning and wrapped so that
  :func:`retries_queued_here` knows which retries this process queued
  (``get_heartbeat_stale_trial_callback`` / ``get_failed_trial_callback`` of ``Study._storage``);
* :func:`rdb_heartbeat_kwargs`: the RDB storage's callback keyword
  (``heartbeat_stale_trial_callback`` since 4.9, ``failed_trial_callback`` before);
* :func:`silent_trial_numbers`: the storage's ``_get_stale_trial_ids`` asked with a shorter
  silence than its grace period (``RDBStorage.grace_period`` or the journal's ``_grace_period``,
  behind ``_CachedStorage._backend``); :func:`heartbeat_interval_s`: ``get_heartbeat_interval``
  of ``Study._storage``;
* :func:`set_metric_names`: ``Study.set_metric_names`` (experimental since Optuna 3.2, so in
  every supported version; called without its "experimental" warning, and skipped when an
  Optuna lacks it);
* :func:`upload_trial_artifact`: ``optuna.artifacts.FileSystemArtifactStore`` and
  ``upload_artifact`` with keyword arguments (Optuna >= 4.0; positional arguments are
  deprecated there).
"""

from __future__ import annotations

import contextlib
import inspect
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import optuna

MIN_OPTUNA = (4, 0)
"""The oldest Optuna this project runs with (``optuna>=4.0`` in ``pyproject.toml``)."""
HEARTBEAT_ATTR = "pnc_heartbeat_unix_s"
"""Trial system attribute holding a journal trial's last heartbeat (Unix time)."""


def require_supported(version: str) -> None:
    """Raise ImportError unless Optuna ``version`` is at least :data:`MIN_OPTUNA`.

    Example:
        >>> require_supported("5.0.0")
    """
    parts: list[int] = []
    for piece in version.split(".")[:2]:
        digits = "".join(c for c in piece if c.isdigit()) or "0"
        parts.append(int(digits))
    if tuple(parts) < MIN_OPTUNA:
        need = ".".join(map(str, MIN_OPTUNA))
        raise ImportError(
            f"pnc-cavity-designer needs optuna>={need} (its journal storage API, "
            f"optuna.storages.journal), but optuna {version} is installed; upgrade it with "
            f"`pip install 'optuna>={need}'`.")


require_supported(optuna.__version__)


def is_heartbeat_enabled(study: Any) -> bool:
    """Whether the study's storage records heartbeats (and so fails stale trials)."""
    from optuna.storages._heartbeat import is_heartbeat_enabled as enabled

    return bool(enabled(study._storage))


@contextlib.contextmanager
def journal_write_lock(backend: Any) -> Iterator[None]:
    """Hold a ``JournalFileBackend``'s own write lock (the one its appends take)."""
    from optuna.storages.journal._file import get_lock_file

    with get_lock_file(backend._lock):
        yield


class RecordingRetry:
    """Optuna's retry callback, remembering which failed trials this process queued again.

    ``fail_stale_trials`` fails a stale trial in exactly one process (the state change is
    atomic) and calls this there, so :attr:`enqueued` tells a worker which retries are its own
    to run (:func:`retries_queued_here`): two workers never race for one retry.
    """

    def __init__(self, inner: Callable[[Any, Any], None]) -> None:
        self._inner = inner
        self.enqueued: set[int] = set()

    def __call__(self, study: Any, trial: Any) -> None:
        self._inner(study, trial)
        self.enqueued.add(trial.number)


def retry_callback(*, max_retry: int) -> RecordingRetry:
    """Optuna's callback that enqueues a stale (dead worker's) trial again."""
    cls = getattr(optuna.storages, "RetryHeartbeatStaleTrialCallback", None) or \
        optuna.storages.RetryFailedTrialCallback
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return RecordingRetry(cls(max_retry=max_retry))


def retries_queued_here(study: Any) -> set[int]:
    """Numbers of the failed trials whose retry this process queued (see :class:`RecordingRetry`)."""
    storage = study._storage
    getter = getattr(storage, "get_heartbeat_stale_trial_callback", None) or \
        getattr(storage, "get_failed_trial_callback", None)  # Optuna < 4.9
    callback = getter() if getter is not None else None
    return set(getattr(callback, "enqueued", ()))


def rdb_heartbeat_kwargs(callback: Callable[[Any, Any], None] | None) -> dict[str, Any]:
    """``RDBStorage`` keyword for the stale-trial callback under this Optuna's name."""
    params = inspect.signature(optuna.storages.RDBStorage).parameters
    key = ("heartbeat_stale_trial_callback" if "heartbeat_stale_trial_callback" in params
           else "failed_trial_callback")  # Optuna < 4.9
    return {key: callback}


def heartbeat_interval_s(study: Any) -> float | None:
    """Seconds between a running trial's heartbeats (None: the storage records none)."""
    if not is_heartbeat_enabled(study):
        return None
    return float(study._storage.get_heartbeat_interval())


def silent_trial_numbers(study: Any, seconds: float) -> set[int]:
    """Numbers of the study's RUNNING trials whose heartbeat is older than ``seconds``.

    The storage's own stale-trial query, asked with ``seconds`` in place of its grace period
    (a trial silent that long has very likely lost its worker, but Optuna fails it only after
    the grace period). Storages without heartbeats give an empty set.
    """
    from optuna.storages._cached_storage import _CachedStorage

    if not is_heartbeat_enabled(study):
        return set()
    storage = study._storage
    if isinstance(storage, _CachedStorage):
        storage = storage._backend
    name = "grace_period" if hasattr(storage, "grace_period") else "_grace_period"
    saved = getattr(storage, name)
    setattr(storage, name, max(1, int(seconds)))
    try:
        ids = set(storage._get_stale_trial_ids(study._study_id))
    finally:
        setattr(storage, name, saved)
    return {t.number for t in study.get_trials(deepcopy=False) if t._trial_id in ids}


def heartbeat_journal_class() -> type:
    """Optuna's JournalStorage with Optuna's heartbeat protocol (``BaseHeartbeat``).

    Optuna gives heartbeats (and with them the stale-trial retry callback) only to RDB
    storages. This plugs the journal file storage into the same protocol: Optuna's own
    heartbeat thread calls ``record_heartbeat`` every ``heartbeat_interval`` seconds while a
    trial runs (stored as the trial system attribute :data:`HEARTBEAT_ATTR`, i.e. one journal
    line), and Optuna's ``fail_stale_trials`` (run before each new trial) asks
    ``_get_stale_trial_ids`` for RUNNING trials silent for more than ``grace_period`` seconds,
    marks them FAILED and hands them to the retry callback. Worker clocks must agree (NTP) as
    they do on a cluster.
    """
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


def set_metric_names(study: Any, names: list[str] | tuple[str, ...]) -> bool:
    """Name the study's objectives for Optuna's dashboard and plots; False if this Optuna
    cannot (no ``Study.set_metric_names``). Names already set are left alone (no write)."""
    setter = getattr(study, "set_metric_names", None)
    if setter is None:
        return False
    names = list(names)
    if getattr(study, "metric_names", None) == names:
        return True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        setter(names)
    return True


def upload_trial_artifact(trial: Any, file_path: str, *, base_path: str) -> str:
    """Store ``file_path`` as an artifact of ``trial`` in a file-system artifact store at
    ``base_path`` (what ``optuna-dashboard --artifact-dir base_path`` shows); the artifact id."""
    from optuna.artifacts import FileSystemArtifactStore, upload_artifact

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        store = FileSystemArtifactStore(base_path=base_path)
        return str(upload_artifact(artifact_store=store, file_path=file_path,
                                   study_or_trial=trial))
