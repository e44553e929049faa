"""The content-hash cache of simulation results (``$PNC_CAVITY_CACHE``).

A key covers everything that changes the numbers: the structure, the settings, the result
schema, this code's version (:data:`CODE_VERSION`) and the Meep version that ran it, so a
Debian-Meep laptop and a conda-Meep cluster sharing one cache never mix their results.
Writes are atomic (a unique temporary name in the same directory, then a rename), so parallel
workers on a shared file system never see a half-written entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from cavities.structure import Structure
from sims.config import SimConfig
from sims.results import SCHEMA_VERSION

CACHE_ENV = "PNC_CAVITY_CACHE"
CODE_VERSION = "sims-13"  # bump when a change alters numbers, to invalidate caches
# sims-2: Harminv keeps Q > 2 and analyses the ring-down only; mode-volume DFT starts after a
# 10-period probe; stable Courant factor; LDOS-peak resonance fallback. sims-3: mode selection
# by spectral peak height. sims-4: ring-down until decay (not a fixed 150-period Harminv span);
# the resonance is the LDOS-spectrum peak; Meep version in the key. sims-5: PML in whole
# pixels (a fractional cell was rounded by Meep and broke the normalisation). sims-6:
# horizontal faces smoothed in cylindrical runs (sims.z_smoothing). sims-7: runs stop when
# the LDOS spectrum has converged or |E|² decayed from its post-source maximum. sims-12: runs
# may stop on the extrapolated LDOS (sims.spectral_tail). sims-13: its fit uses <= 120 snapshots.
ANALYSIS_VERSION = "analysis-2"
"""Version of what turns raw runs into a result (normalisation, resonance pick: sims.normalise,
sims.peaks, and the two-grid estimate of sims.screen). It keys results and evaluations but not
the raw runs, so a change of the pick re-analyses cached runs instead of simulating them again.
analysis-1: Q of a peak that several Harminv modes form is its λ/FWHM. analysis-2: the two
grids' picks are the same resonance also when a high-Q mode moved by more than its width but
stays closer to its counterpart than to any other mode (sims.screen._same_resonance)."""
RAW_KINDS = ("structure", "reference")


def default_cache_dir() -> Path:
    """``$PNC_CAVITY_CACHE`` or ``~/.cache/pnc-cavity-designer``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pnc-cavity-designer"


def resolve_cache_dir(cache_dir: str | Path | None | bool) -> Path | None:
    """True -> :func:`default_cache_dir`; None/False -> no cache; a path -> that path."""
    if cache_dir is True:
        return default_cache_dir()
    return Path(cache_dir) if cache_dir else None


@functools.lru_cache(maxsize=1)
def meep_version_tag() -> str:
    """The Meep version that will run the simulations, without importing Meep (which costs
    ~1.6 s): the installed distribution's metadata, else ``"unknown"``."""
    from importlib import metadata

    for dist in ("meep", "pymeep"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        if dist == "meep" and not version.startswith("1."):
            continue  # PyPI's unrelated task runner called "meep"
        return version
    return _debian_meep_version()


def _debian_meep_version() -> str:
    # Debian's python3-meep* ships no dist-info: read __version__ from the package's source
    import importlib.util
    import re

    spec = importlib.util.find_spec("meep")
    if spec is None or spec.origin is None:
        return "unknown"
    try:
        text = Path(spec.origin).read_text(errors="replace")
    except OSError:
        return "unknown"
    match = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
    return match.group(1) if match else "unknown"


def content_hash(kind: str, structure: Structure, config: SimConfig) -> str:
    """sha256 over (kind, structure, config, schema, code and Meep versions, and for anything
    but a raw run the analysis version): the cache key."""
    content = {"kind": kind, "structure": structure.to_dict(), "config": config.to_dict(),
               "schema": SCHEMA_VERSION, "code": CODE_VERSION, "meep": meep_version_tag()}
    if (structure.cylindrical_m or 0) > 1:
        # harmonics m > 1 run with Meep's accurate fields near the axis (sims._meep_backend);
        # runs made before that zeroed the fields within m pixels of the axis
        content["near_axis"] = "accurate"
    if kind not in RAW_KINDS:
        content["analysis"] = ANALYSIS_VERSION
    payload = json.dumps(content, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a unique temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clear_cache(cache_dir: str | Path) -> None:
    """Delete a cache directory."""
    shutil.rmtree(cache_dir, ignore_errors=True)
