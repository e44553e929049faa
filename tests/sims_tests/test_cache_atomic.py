"""sims.cache.atomic_write: concurrent writers of one cache entry never collide."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from sims.cache import atomic_write


def _write_many(path: str, tag: str, n: int) -> None:
    for i in range(n):
        atomic_write(Path(path), f"{tag}-{i}\n" + tag * 2000)


def _check(path: Path, tags: set[str]) -> None:
    text = path.read_text()
    head, body = text.split("\n", 1)
    tag = head.split("-")[0]
    assert tag in tags and body == tag * 2000, head  # one writer's whole text
    assert [p.name for p in path.parent.iterdir()] == [path.name], "temporary files left"


def test_two_threads_of_one_process_do_not_collide(tmp_path):
    # same PID: a PID-named temporary file would be shared by both writers
    path = tmp_path / "cache" / "entry.json"
    errors: list[BaseException] = []

    def run(tag: str) -> None:
        try:
            _write_many(str(path), tag, 200)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(t,)) for t in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    _check(path, {"a", "b"})


def test_two_processes_do_not_collide(tmp_path):
    path = tmp_path / "cache" / "entry.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), t, 100)) for t in "cd"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    _check(path, {"c", "d"})


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "entry.json"
    try:
        atomic_write(path, object())  # type: ignore[arg-type]
    except TypeError:
        pass
    assert list(tmp_path.iterdir()) == []
