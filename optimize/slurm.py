"""Slurm job scripts for studies: an array of ``pnc-optimize worker`` tasks.

Every value that goes into the script is validated and shell-quoted (:func:`shlex.quote`), in
the ``#SBATCH`` lines too, so a study name, path or account cannot inject shell code. Only
``setup`` is shell code by design (the user's own line that activates the environment).

``sbatch`` reads the ``#SBATCH`` lines with its own parser, not a shell: it understands single
and double quotes, but a backslash escapes the next character even inside single quotes, so
backslashes are doubled there (:func:`sbatch_quote`). In ``--output`` Slurm also expands ``%``
patterns (``%%`` is a literal ``%``), and a backslash there turns all patterns off (and is
dropped), so ``%`` in the run folder is doubled and a run folder with a backslash is refused.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

LAUNCHERS = ("srun", "mpirun", "mpiexec")
"""Programs a trial's MPI run may start with (first word of ``--launcher``)."""
DEFAULT_SIGNAL_GRACE_S = 300
"""Seconds before the time limit at which Slurm sends SIGTERM (``--signal=B:TERM@...``)."""
MAX_SIGNAL_GRACE_S = 65535  # Slurm's largest sig_time
_TIME_FORMATS = (
    re.compile(r"(?P<m>\d+)"),
    re.compile(r"(?P<m>\d+):(?P<s>\d{1,2})"),
    re.compile(r"(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2})"),
    re.compile(r"(?P<d>\d+)-(?P<h>\d{1,2})"),
    re.compile(r"(?P<d>\d+)-(?P<h>\d{1,2}):(?P<m>\d{1,2})"),
    re.compile(r"(?P<d>\d+)-(?P<h>\d{1,2}):(?P<m>\d{1,2}):(?P<s>\d{1,2})"),
)
_MEM = re.compile(r"\d+[KMGT]?", re.IGNORECASE)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def slurm_time_s(text: str) -> int:
    """Seconds of a Slurm time limit: ``minutes``, ``MM:SS``, ``HH:MM:SS``, ``D-HH``,
    ``D-HH:MM`` or ``D-HH:MM:SS``.

    Example:
        >>> slurm_time_s("1-02:00:00"), slurm_time_s("90"), slurm_time_s("05:30")
        (93600, 5400, 330)
    """
    for fmt in _TIME_FORMATS:
        m = fmt.fullmatch(text.strip())
        if m is None:
            continue
        parts = {k: int(v) for k, v in m.groupdict().items() if v is not None}
        leading = next(iter(parts))
        limits = {"h": 24 if "d" in parts else None, "m": 60, "s": 60}
        for k, v in parts.items():
            limit = limits.get(k)
            if k != leading and limit is not None and v >= limit:
                raise ValueError(f"`--time` field {k}={v} must be below {limit}, but got "
                                 f"time={text!r}.")
        total = (parts.get("d", 0) * 86400 + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60
                 + parts.get("s", 0))
        if total <= 0:
            raise ValueError(f"`--time` must be a positive time limit, but got time={text!r}.")
        return total
    raise ValueError(f"`--time` must be a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, "
                     f"D-HH:MM or D-HH:MM:SS, e.g. 1-00:00:00), but got time={text!r}.")


def parse_launcher(text: str) -> str:
    """The validated MPI launcher command (``srun --mpi=pmix``, ``mpirun --allow-run-as-root``).

    Its first word must be one of :data:`LAUNCHERS`; the words are shell-split and joined
    again with single spaces, the form :func:`sims.process.mpi_command` splits. Words that
    themselves contain white space cannot pass through it and are refused.

    Example:
        >>> parse_launcher("  srun   --mpi=pmix ")
        'srun --mpi=pmix'
    """
    try:
        words = shlex.split(text)
    except ValueError as err:
        raise ValueError(f"`--launcher` must be a command line, but got launcher={text!r} "
                         f"({err}).") from None
    if not words or Path(words[0]).name not in LAUNCHERS:
        raise ValueError(f"`--launcher` must start with one of {list(LAUNCHERS)}, but got "
                         f"launcher={text!r}.")
    for w in words:
        if not w or any(c.isspace() for c in w) or not w.isprintable():
            raise ValueError(f"`--launcher` words must not contain white space or control "
                             f"characters, but got the word {w!r} in launcher={text!r}.")
    return " ".join(words)


def sbatch_quote(word: str) -> str:
    r"""``word`` quoted for an ``#SBATCH`` line: :func:`shlex.quote` with backslashes doubled
    (``sbatch``'s parser, unlike a shell, treats them as escapes inside single quotes too).

    Example:
        >>> print(sbatch_quote("--job-name=pnc-a\\b c"))
        '--job-name=pnc-a\\b c'
    """
    return shlex.quote(word).replace("\\", "\\\\")


def _one_line(name: str, value: str) -> str:
    if not value or not value.isprintable():
        raise ValueError(f"`--{name}` must be a non-empty single line of printable text, but "
                         f"got {name}={value!r}.")
    return value


@dataclass(frozen=True, kw_only=True)
class SlurmJob:
    """A Slurm array of workers on one study.

    Args:
        study: study name.
        n_trials: COMPLETE trials the whole study should reach.
        workers: array tasks (one worker process each).
        ranks: MPI ranks per trial (``--ntasks``, all on one node).
        time: time limit per array task (Slurm format, see :func:`slurm_time_s`).
        out_dir: run folder (resolved path) for the logs and the worker's output.
        cache_dir: shared result cache (resolved path).
        storage_env: environment variable holding the storage URL at submission.
        launcher: MPI launcher of each trial (see :func:`parse_launcher`).
        signal_grace_s: SIGTERM this many seconds before the time limit (workers then stop).
        timeout_s: wall-clock limit per simulation (None: none).
        partition, account, qos, mem, constraint: passed to ``#SBATCH`` (None: omitted).
        setup: shell line that activates the environment (inserted as is).
        artifact_dir: shared folder for each trial's spectrum figure as an Optuna artifact
            (resolved path; None: no figures). User materials need no option: the study
            stores their definitions for every worker (``optimize.search.MATERIALS_ATTR``).
    """

    study: str
    n_trials: int
    workers: int = 8
    ranks: int = 4
    time: str = "24:00:00"
    out_dir: Path
    cache_dir: Path
    storage_env: str = "PNC_STORAGE"
    launcher: str = "srun"
    signal_grace_s: int = DEFAULT_SIGNAL_GRACE_S
    timeout_s: float | None = None
    partition: str | None = None
    account: str | None = None
    qos: str | None = None
    mem: str | None = None
    constraint: str | None = None
    setup: str | None = None
    artifact_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.workers < 1 or self.ranks < 1 or self.n_trials < 0:
            raise ValueError(f"`workers >= 1`, `ranks >= 1` and `n_trials >= 0` must hold, but "
                             f"got workers={self.workers}, ranks={self.ranks}, "
                             f"n_trials={self.n_trials}.")
        _one_line("study", self.study)
        _one_line("out", str(self.out_dir))
        if "\\" in str(self.out_dir):
            raise ValueError(f"`--out` must not contain a backslash (Slurm drops it from "
                             f"`#SBATCH --output` and then ignores the %A_%a pattern, so the "
                             f"logs would be lost), but got out={str(self.out_dir)!r}.")
        _one_line("cache", str(self.cache_dir))
        if self.artifact_dir is not None:
            _one_line("artifacts", str(self.artifact_dir))
        limit_s = slurm_time_s(self.time)
        if not 0 < self.signal_grace_s <= MAX_SIGNAL_GRACE_S:
            raise ValueError(f"`0 < signal_grace_s <= {MAX_SIGNAL_GRACE_S}` must hold, but got "
                             f"signal_grace_s={self.signal_grace_s}.")
        if self.signal_grace_s >= limit_s:
            raise ValueError(f"`signal_grace_s < time limit` must hold (the workers would be "
                             f"told to stop at once), but got signal_grace_s="
                             f"{self.signal_grace_s}, time={self.time!r} ({limit_s} s).")
        if not _ENV_NAME.fullmatch(self.storage_env):
            raise ValueError(f"`--storage-env` must be an environment variable name, but got "
                             f"storage_env={self.storage_env!r}.")
        object.__setattr__(self, "launcher", parse_launcher(self.launcher))
        if self.timeout_s is not None and not self.timeout_s > 0:
            raise ValueError(f"`timeout_s > 0` must hold, but got timeout_s={self.timeout_s}.")
        for name in ("partition", "account", "qos", "constraint"):
            value = getattr(self, name)
            if value is not None:
                _one_line(name, value)
        if self.mem is not None and not _MEM.fullmatch(self.mem):
            raise ValueError(f"`--mem` must be a size such as 4000, 16G or 512M, but got "
                             f"mem={self.mem!r}.")

    def sbatch_options(self) -> list[str]:
        """The ``#SBATCH`` options, each one word quoted for ``sbatch`` (:func:`sbatch_quote`)."""
        opts = [f"--job-name=pnc-{self.study}", f"--array=0-{self.workers - 1}", "--nodes=1",
                f"--ntasks={self.ranks}", "--cpus-per-task=1", f"--time={self.time.strip()}",
                f"--signal=B:TERM@{self.signal_grace_s}",
                # `%` is Slurm's file-name pattern character: `%%` is a literal one
                f"--output={str(self.out_dir).replace('%', '%%')}/slurm-%A_%a.out"]
        for name in ("partition", "account", "qos", "mem", "constraint"):
            value = getattr(self, name)
            if value is not None:
                opts.append(f"--{name}={value}")
        return [sbatch_quote(o) for o in opts]

    def worker_argv(self) -> list[str]:
        """The worker's command line (unquoted words; the array index is added by the shell,
        the cache comes from ``PNC_CAVITY_CACHE``)."""
        argv = ["pnc-optimize", "worker", "--study", self.study, "--n-trials",
                str(self.n_trials), "--ranks", str(self.ranks), "--launcher", self.launcher]
        if self.timeout_s is not None:
            argv += ["--timeout-s", f"{self.timeout_s:g}"]
        if self.artifact_dir is not None:
            argv += ["--artifacts", str(self.artifact_dir)]
        return [*argv, "--out", str(self.out_dir), "--quiet"]

    def script(self) -> str:
        env, q = self.storage_env, shlex.quote
        first = self.launcher.split()[0]
        header = (
            f"# Written by `pnc-optimize slurm`: {self.workers} workers (array tasks), each\n"
            f"# running trials of study {self.study!r} until it holds {self.n_trials} COMPLETE\n"
            f"# trials; each trial's Meep run uses {self.ranks} MPI rank(s) on one node through\n"
            f"# {first}. Slurm sends SIGTERM {self.signal_grace_s} s before the time limit: the\n"
            "# worker then fails its running trial (queued again for another worker) and exits.\n"
            "# The storage URL (with its password) comes from the environment, never from this\n"
            f"# file: export {env}=postgresql://USER:PASSWORD@HOST:5432/DB before sbatch."
        )
        exec_line = ("exec " + " ".join(q(w) for w in self.worker_argv())
                     + ' --worker-index "${SLURM_ARRAY_TASK_ID:-0}"')
        lines = [
            "#!/bin/bash",
            header,
            *(f"#SBATCH {o}" for o in self.sbatch_options()),
            "set -euo pipefail",
            "export OMP_NUM_THREADS=1",
            f': "${{{env}:?set {env} to the study storage URL}}"',
            f'export PNC_STORAGE="${{{env}}}"',
            f"export PNC_CAVITY_CACHE={q(str(self.cache_dir))}",
            self.setup or "# (activate your environment here, e.g. conda activate pnc)",
            "# exec: the worker itself gets Slurm's SIGTERM (the batch shell would not pass it)",
            exec_line,
        ]
        return "\n".join(lines) + "\n"

    def script_name(self) -> str:
        """A file name for the script derived from the study name (no path separators)."""
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", self.study).strip("._") or "study"
        return f"{stem}.sbatch"
