"""Which modules a piece of code loads, in a fresh interpreter (the test process has loaded
everything already): for checks that a pure module does not pull in Meep or matplotlib."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules_loaded_by(code: str, modules: Sequence[str] = ("meep",)) -> dict[str, bool]:
    """Run ``code`` in a new Python from the repository root and report, per module name,
    whether it ended up in ``sys.modules``.

    Example:
        >>> modules_loaded_by("import json", ["json", "meep"])
        {'json': True, 'meep': False}
    """
    probe = f"{code}\nimport json as _j, sys as _s\nprint(_j.dumps({{m: m in _s.modules for m in {list(modules)!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
