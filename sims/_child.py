"""Child-process entry point: ``python -m sims._child REQUEST.json OUT.json``.

Runs one Meep simulation (possibly under ``mpirun``) and writes a RawRun JSON, or an error JSON
``{"error": {"type": ..., "message": ...}}``, atomically to OUT.json (rank 0 only).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import traceback
import warnings
from pathlib import Path

from sims.cache import atomic_write


FAULT_ENV = "PNC_FAULT_INJECT"
"""Testing hook (fault-injection tests of workers): ``hang`` makes structure runs sleep
forever, ``crash`` makes rank 0 die (exit 17) without a result, as a crashed MPI rank would.
``hang:once=PATH`` / ``crash:once=PATH`` fire only in the first run that creates PATH."""


def _inject_fault(label: str) -> None:
    fault = os.environ.get(FAULT_ENV, "")
    if not fault or not label.startswith("structure"):
        return
    if ":once=" in fault:
        fault, marker = fault.split(":once=", 1)
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        except OSError:  # another rank of the same run, or an unwritable path
            return
    if fault == "hang":
        import time

        while True:
            time.sleep(60)
    if fault == "crash":
        os._exit(17)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    request_path, out_path = Path(args[0]), Path(args[1])
    request = json.loads(request_path.read_text())
    _inject_fault(request["label"])
    rank = 0
    try:
        import meep as mp

        from cavities.structure import Structure
        from sims import _meep_backend as backend
        from sims.config import SimConfig

        rank = mp.my_rank()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw = backend.run(Structure.from_dict(request["structure"]),
                              SimConfig.from_dict(request["config"]), label=request["label"],
                              want_modes=request["want_modes"])
        extra = tuple(dict.fromkeys(f"Meep: {w.message}" for w in caught))
        if extra:
            raw = dataclasses.replace(raw, warnings=raw.warnings + extra)
        if rank == 0:
            atomic_write(out_path, raw.to_json())
        return 0
    except BaseException as err:  # noqa: BLE001 - everything is reported to the parent
        if rank == 0:
            atomic_write(out_path, json.dumps({"error": {
                "type": type(err).__name__, "message": str(err),
                "traceback": traceback.format_exc()}}))
        return 1


if __name__ == "__main__":
    sys.exit(main())
