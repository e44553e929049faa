"""A Meep-loaded fork server: ``python -m sims._worker`` (started by :mod:`sims.process`).

``import meep`` costs ~1.6 s, and every simulation used to pay it in a fresh child process. This
server imports Meep and the backend once, never builds a simulation itself, and forks a copy of
itself for each request: every simulation still starts from Meep's pristine process state
(nothing of one structure's C state reaches the next), without the start-up cost.

Protocol (one JSON object per line): the client writes ``{"request": PATH, "out": PATH,
"env": {...}}`` on stdin; the server answers ``{"pid": N}`` when the copy started and
``{"pid": N, "exit": CODE}`` when it ended (a negative code is the signal that killed it). The
copy writes its RawRun (or error) JSON to ``out`` exactly as :mod:`sims._child` does. The copy's
stdout goes to the server's stderr, so Meep's chatter cannot corrupt the protocol. Both the
server and each copy die with their parent (Linux ``PR_SET_PDEATHSIG``).

Serial runs only: an MPI run (``mpirun -np N``) keeps using :mod:`sims._child`.
"""

from __future__ import annotations

import json
import os
import sys


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
        except OSError:
            pass


def _serve_one(line: str, reply: object) -> None:
    msg = json.loads(line)
    pid = os.fork()
    if pid == 0:  # the copy: run one simulation, never return into the server loop
        code = 1
        try:
            _die_with_parent()
            os.environ.update(msg.get("env", {}))
            from sims import _child

            code = _child.main([msg["request"], msg["out"]])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    print(json.dumps({"pid": pid}), file=reply, flush=True)  # type: ignore[call-overload]
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"pid": pid, "exit": code}), file=reply, flush=True)  # type: ignore[call-overload]


def main() -> int:
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # Meep and the simulations print to stdout: send that to stderr
    _die_with_parent()
    import meep  # noqa: F401  (the point of this process: load Meep once)

    from sims import _child, _meep_backend  # noqa: F401

    print(json.dumps({"ready": os.getpid()}), file=reply, flush=True)
    for line in sys.stdin:
        if line.strip():
            _serve_one(line, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
