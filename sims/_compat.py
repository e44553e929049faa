"""Finding the real Meep, and saying clearly how to install it when it is missing.

PyPI's package called ``meep`` is an unrelated task runner that also installs a top-level
``meep`` module; importing it "works" but has no ``Simulation``. This module tells the two apart
without importing Meep at package-import time.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

INSTALL_HINT = (
    "Install the real Meep (MIT's FDTD solver), not PyPI's `meep` task runner:\n"
    "  * Debian/Ubuntu: `sudo apt-get install python3-meep-openmpi python3-mpi4py`, then create the\n"
    "    virtual environment with `/usr/bin/python3 -m venv --system-site-packages .venv` and\n"
    "    `pip install 'numpy<2'` in it (`make setup` does all of this);\n"
    "  * conda-forge (HPC clusters): `conda env create -f environment.yml` (package `pymeep`).\n"
    "If `pip install meep` was run, undo it with `pip uninstall meep`."
)


class MeepUnavailableError(ImportError):
    """Raised when the real Meep cannot be imported."""


def _load_meep() -> Any:
    try:
        module = importlib.import_module("meep")
    except ImportError as err:
        raise MeepUnavailableError(f"Meep is not installed ({err}).\n{INSTALL_HINT}") from err
    if not hasattr(module, "Simulation"):
        origin = getattr(module, "__file__", "?")
        raise MeepUnavailableError(
            f"The module `meep` imported from {origin} is not MIT Meep (it has no `Simulation`); "
            f"it is probably PyPI's unrelated `meep` task runner.\n{INSTALL_HINT}"
        )
    return module


def require_meep() -> Any:
    """Import and return the real Meep module, or raise :class:`MeepUnavailableError`."""
    return _load_meep()


def meep_available() -> bool:
    """True if the real Meep can be imported (imports it, so call it in a child process if the
    caller must stay Meep-free)."""
    if importlib.util.find_spec("meep") is None:
        return False
    try:
        _load_meep()
    except MeepUnavailableError:
        return False
    return True


def meep_version() -> str:
    """Version string of the installed Meep (raises :class:`MeepUnavailableError` if missing)."""
    return str(getattr(_load_meep(), "__version__", "unknown"))
