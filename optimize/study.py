"""Studies that survive: create or resume an Optuna study, run trials with failures recorded,
fabrication violations pruned, and a whole-study trial budget.

``optimize.study`` owns the storage; everything that knows about cavities or emitters comes in
through the ``objective`` callable.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cavities.base import FabricationViolation
from optimize.storage import open_storage, redact
from optimize.termination import Termination, WorkerTerminated

SAMPLERS = ("tpe", "gp", "nsga2", "random", "qmc", "grid")


@dataclass(frozen=True, kw_only=True)
class StudySpec:
    """What identifies a study: name, storage, directions and sampler.

    Args:
        study_name: Optuna study name.
        storage_url: Optuna storage URL or journal path (see :mod:`optimize.storage`).
        directions: one entry per objective, ``"maximize"`` or ``"minimize"``.
        sampler: one of :data:`SAMPLERS` (``"tpe"`` single-objective default, ``"gp"``
            Optuna's Gaussian-process sampler (needs PyTorch), ``"nsga2"`` for multi-objective,
            ``"grid"``/``"qmc"`` for sweeps).
        seed: sampler seed.
        grid: the search space of a grid sweep (parameter -> values).
        constraints_func: Optuna constraints (values <= 0 feasible), used by TPE and NSGA-II.
        metric_names: one name per objective (e.g. ``("purcell", "g2")``), shown by Optuna's
            dashboard and plots (``Study.set_metric_names``); empty: not set.
    """

    study_name: str
    storage_url: str
    directions: tuple[str, ...] = ("maximize",)
    sampler: str = "tpe"
    seed: int = 0
    grid: dict[str, tuple[Any, ...]] | None = None
    constraints_func: Callable[[Any], Sequence[float]] | None = field(default=None,
                                                                     compare=False)
    metric_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.sampler not in SAMPLERS:
            raise ValueError(f"`sampler` must be one of {SAMPLERS}, but got "
                             f"sampler={self.sampler!r}.")
        for d in self.directions:
            if d not in ("maximize", "minimize"):
                raise ValueError(f"directions must be 'maximize' or 'minimize', but got {d!r}.")
        if self.sampler == "grid" and not self.grid:
            raise ValueError("a grid sweep needs `grid` (parameter -> values).")
        if self.metric_names and len(self.metric_names) != len(self.directions):
            raise ValueError("`metric_names` needs one name per direction, but got "
                             f"metric_names={self.metric_names!r}, "
                             f"directions={self.directions!r}.")


def _constraints_kwargs(spec: StudySpec) -> dict[str, Any]:
    """Optuna >= 5 takes constraints from ``Trial.set_constraint``; older ones need
    ``constraints_func`` on the sampler."""
    import optuna

    if spec.constraints_func is None or hasattr(optuna.trial.Trial, "set_constraint"):
        return {}
    return {"constraints_func": spec.constraints_func}


def make_sampler(spec: StudySpec) -> Any:
    """The study's sampler. Optuna marks QMC and GP as experimental; the tool chose them
    knowingly, so that warning is not passed on."""
    import warnings

    import optuna

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return _sampler(spec)


def _sampler(spec: StudySpec) -> Any:
    import optuna

    if spec.sampler == "tpe":
        return optuna.samplers.TPESampler(seed=spec.seed, multivariate=True,
                                          constant_liar=True, **_constraints_kwargs(spec))
    if spec.sampler == "gp":
        try:
            import torch  # noqa: F401  (GPSampler's dependency, imported lazily by Optuna)
        except ImportError:
            raise ValueError("sampler 'gp' (Optuna's GPSampler) needs PyTorch: "
                             "`pip install torch` (the CPU build is enough).") from None
        return optuna.samplers.GPSampler(seed=spec.seed, deterministic_objective=True,
                                         **_constraints_kwargs(spec))
    if spec.sampler == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=spec.seed, **_constraints_kwargs(spec))
    if spec.sampler == "random":
        return optuna.samplers.RandomSampler(seed=spec.seed)
    if spec.sampler == "qmc":
        return optuna.samplers.QMCSampler(seed=spec.seed, scramble=True,
                                          warn_independent_sampling=False)
    assert spec.grid is not None
    return optuna.samplers.GridSampler({k: list(v) for k, v in spec.grid.items()},
                                       seed=spec.seed)


def open_study(spec: StudySpec, *, create: bool = True) -> Any:
    """Create the study, or load it if it exists (``--resume`` and workers). With
    ``spec.metric_names`` the objectives are named for Optuna's dashboard (also on a study
    created before the names were set)."""
    import optuna

    from optimize._optuna_compat import set_metric_names

    storage = open_storage(spec.storage_url)
    if not create:
        try:
            study = optuna.load_study(study_name=spec.study_name, storage=storage,
                                      sampler=make_sampler(spec))
        except KeyError:
            raise ValueError(f"no study named {spec.study_name!r} in storage "
                             f"{redact(spec.storage_url)}; create it first.") from None
    else:
        study = optuna.create_study(study_name=spec.study_name, storage=storage,
                                    sampler=make_sampler(spec),
                                    directions=list(spec.directions), load_if_exists=True)
        if tuple(d.name.lower() for d in study.directions) != spec.directions:
            raise ValueError(
                f"study {spec.study_name!r} exists with directions "
                f"{[d.name.lower() for d in study.directions]}, not {list(spec.directions)}.")
    if spec.metric_names and len(study.directions) == len(spec.metric_names):
        set_metric_names(study, spec.metric_names)
    return study


def count_complete(study: Any) -> int:
    from optuna.trial import TrialState

    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


def wrap_objective(evaluate: Callable[[Any], Sequence[float]],
                   failure_types: tuple[type[BaseException], ...], *,
                   termination: Termination | None = None) -> Callable[[Any], Any]:
    """Optuna objective around ``evaluate(trial) -> objective values``.

    * :class:`FabricationViolation` -> the trial is PRUNED, reason in user attr ``pruned_reason``;
    * one of ``failure_types`` (simulation diverged, crashed, timed out) -> FAILED, reason in
      user attr ``fail_reason`` (the study goes on);
    * non-finite objective values -> FAILED with the reason;
    * the worker was told to stop (``termination``, see :mod:`optimize.termination`) -> FAILED
      with the reason, its parameters enqueued again, and :class:`WorkerTerminated` raised on
      (it ends ``study.optimize``).
    """
    import optuna

    def objective(trial: Any) -> Any:
        try:
            if termination is not None:
                termination.check()
            values = list(evaluate(trial))
        except FabricationViolation as err:
            trial.set_user_attr("pruned_reason", redact(str(err)))
            raise optuna.TrialPruned(str(err)) from None
        except failure_types as err:
            trial.set_user_attr("fail_reason", redact(f"{type(err).__name__}: {err}"))
            raise
        except WorkerTerminated as err:
            trial.set_user_attr("fail_reason", f"WorkerTerminated: {err}")
            if trial.params:  # another worker (or a resume) runs this design again
                trial.study.enqueue_trial(dict(trial.params),
                                          user_attrs={"requeued_from": trial.number},
                                          skip_if_exists=False)
            raise
        if not all(math.isfinite(v) for v in values):
            trial.set_user_attr("fail_reason", f"non-finite objective values {values}")
            raise FloatingPointError(f"non-finite objective values {values}")
        return values[0] if len(values) == 1 else values

    return objective


def run_until_budget(study: Any, objective: Callable[[Any], Any], *, total_trials: int,
                     failure_types: tuple[type[BaseException], ...],
                     show_progress_bar: bool = True,
                     termination: Termination | None = None) -> None:
    """Run trials until the study holds ``total_trials`` COMPLETE trials (a budget for the whole
    study, shared by every worker attached to it), or until ``termination`` asks to stop (then
    it returns with no trial of this process left RUNNING)."""
    import optuna
    from optuna.trial import TrialState

    # Failed and pruned trials do not count towards the budget: run rounds of the remaining
    # number (so the progress bar is right) until the budget is met, with a cap on attempts so
    # that a study whose every trial fails still ends. MaxTrialsCallback stops this process as
    # soon as other workers have filled the budget.
    max_attempts = 4 * total_trials + 8
    attempts = 0
    callbacks: list[Any] = [optuna.study.MaxTrialsCallback(total_trials,
                                                           states=(TrialState.COMPLETE,))]
    if termination is not None:
        callbacks.append(termination.stop_callback)

    def stopped() -> bool:
        return termination is not None and termination.requested

    try:
        while not stopped():
            remaining = total_trials - count_complete(study)
            if remaining <= 0 or attempts >= max_attempts:
                break
            n = min(remaining, max_attempts - attempts)
            before = len(study.get_trials(deepcopy=False))
            study.optimize(
                objective, n_trials=n, catch=(*failure_types, FloatingPointError),
                callbacks=callbacks, show_progress_bar=show_progress_bar, gc_after_trial=False,
            )
            attempts += max(1, len(study.get_trials(deepcopy=False)) - before)
        if total_trials > 0 and not stopped():
            drain_running_trials(study, objective, failure_types=failure_types,
                                 termination=termination,
                                 log=_stderr if show_progress_bar else None)
    except WorkerTerminated:
        pass  # the trial is FAILED and enqueued again (wrap_objective)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def drain_running_trials(study: Any, objective: Callable[[Any], Any], *,
                         failure_types: tuple[type[BaseException], ...],
                         termination: Termination | None = None,
                         log: Callable[[str], None] | None = None) -> None:
    """After the budget is met: fail the trials of dead workers and run their retries, then
    return.

    A trial whose worker died stays RUNNING until some process notices its silent heartbeat
    (longer than the grace period); Optuna does that only when a trial starts. So a worker whose
    budget is met runs Optuna's ``fail_stale_trials`` (which queues the retries through the
    retry callback) and runs the retries it queued (each retry is queued, and so run, by exactly
    one worker), and it does not leave while a trial may belong to a
    dead worker: it watches the RUNNING trials for two heartbeat intervals (Optuna's own default
    for "stale"), and a trial silent for longer than that is waited for until its grace period
    ends and it can be failed and retried. Without this the last live worker would exit before
    the grace period ends and leave a dead worker's trial RUNNING for ever. Trials that keep
    beating belong to live workers: their workers make the same check when they are done.
    Storages without heartbeats return at once.
    """
    import warnings

    import optuna
    from optuna.trial import TrialState

    from optimize._optuna_compat import (heartbeat_interval_s, retries_queued_here,
                                         silent_trial_numbers)

    interval = heartbeat_interval_s(study)
    if interval is None:
        return
    watch = 2.0 * interval
    watch_start: float | None = None
    waiting_for: set[int] = set()
    while termination is None or not termination.requested:
        with warnings.catch_warnings():  # experimental since Optuna 2.9, used by optimize()
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(study)
        mine = retries_queued_here(study)  # a retry is run by the worker that queued it
        if any(t.system_attrs.get("failed_trial") in mine
               for t in study.get_trials(deepcopy=False, states=(TrialState.WAITING,))):
            study.optimize(objective, n_trials=1, catch=(*failure_types, FloatingPointError),
                           show_progress_bar=False, gc_after_trial=False)
            continue
        silent = silent_trial_numbers(study, watch)
        if silent:
            if silent != waiting_for and log is not None:
                log(f"budget met; waiting for trial(s) {sorted(silent)}, silent for more than "
                    f"{watch:.0f} s (their worker seems to have died), to pass the heartbeat "
                    "grace period, then running their retries")
            waiting_for = silent
        else:
            if not study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
                return
            now = time.monotonic()
            watch_start = now if watch_start is None else watch_start
            if now - watch_start > watch + 1.0:
                return  # every RUNNING trial kept beating: their workers are alive
        time.sleep(interval)
