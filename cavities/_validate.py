"""Validation helpers shared by the models (messages in the "`x > 0` must hold, but got x=…" form)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def require_positive(**values: float) -> None:
    """Raise ValueError naming the first field that is not a finite number > 0."""
    for name, value in values.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(f"`{name} > 0` must hold, but got {name}={value!r}.")


def require_nonnegative(**values: float) -> None:
    """Raise ValueError naming the first field that is not a finite number >= 0."""
    for name, value in values.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise ValueError(f"`{name} >= 0` must hold, but got {name}={value!r}.")


def require_finite(**values: float) -> None:
    """Raise ValueError naming the first field that is not a finite number."""
    for name, value in values.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"`{name}` must be a finite number, but got {name}={value!r}.")


def require_vector(name: str, value: Sequence[float], *, positive: bool = False) -> tuple[float, ...]:
    """Check a 3-vector of finite numbers (optionally > 0) and return it as a float tuple."""
    if len(value) != 3:
        raise ValueError(f"`{name}` must have 3 components (x, y, z), but got {name}={value!r}.")
    out = tuple(float(v) for v in value)
    for axis, v in zip("xyz", out, strict=True):
        if not math.isfinite(v) or (positive and not v > 0):
            cond = "> 0" if positive else "finite"
            raise ValueError(f"`{name}` {axis} component must be {cond}, but got {name}={value!r}.")
    return out


def require_choice(name: str, value: str, choices: Sequence[str]) -> None:
    """Raise ValueError unless value is one of choices."""
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {tuple(choices)}, but got {name}={value!r}.")
