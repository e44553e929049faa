"""Meep simulation core: structure + settings in micrometres -> typed, versioned results.

Only ``sims._meep_backend`` imports Meep; it runs in a fresh child process (``sims.runner``).
"""

from sims._compat import MeepUnavailableError, meep_available, meep_version, require_meep

__all__ = ["MeepUnavailableError", "meep_available", "meep_version", "require_meep"]
