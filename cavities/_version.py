"""``--version`` for the console scripts: the installed package version, plus lines a script adds.

The extra lines are computed only when ``--version`` is given (``pnc-sim`` imports Meep for its
version, which costs ~1-2 s), so building a parser stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

DISTRIBUTION = "pnc-cavity-designer"


def package_version() -> str:
    """The installed version of :data:`DISTRIBUTION` (``"unknown"`` when run from a source tree
    that was never installed).

    Example:
        >>> package_version() != ""
        True
    """
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed; run `pip install -e .`)"


class _VersionAction(argparse.Action):
    """Print ``PROG (pnc-cavity-designer) VERSION`` and the extra lines to stdout, exit 0.

    Unlike argparse's ``action="version"`` the text is built when the option is used and printed
    as is (argparse's formatter would join the lines).
    """

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None,
                 extra: Callable[[], list[str]] | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)
        self.extra = extra

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        lines = [f"{parser.prog} ({DISTRIBUTION}) {package_version()}"]
        if self.extra is not None:
            lines.extend(self.extra())
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        parser.exit(0)


def add_version_option(parser: argparse.ArgumentParser, *,
                       extra: Callable[[], list[str]] | None = None) -> None:
    """Add ``--version`` to ``parser``; ``extra()`` returns further lines (called lazily)."""
    parser.add_argument("--version", action=_VersionAction, extra=extra,
                        help="print the version and exit")
