"""Families and presets by name, and designs from JSON."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from typing import Any

from cavities.base import CavityDesign

FAMILIES: dict[str, type[CavityDesign]] = {}
PRESETS: dict[str, tuple[Callable[[], CavityDesign], str]] = {}


def register_family(cls: type[CavityDesign]) -> type[CavityDesign]:
    """Class decorator: make a family available by its ``family`` name."""
    if not cls.family:
        raise ValueError(f"{cls.__name__}.family must be a non-empty name.")
    FAMILIES[cls.family] = cls
    return cls


def register_preset(name: str, description: str) -> Callable[[Callable[[], CavityDesign]],
                                                             Callable[[], CavityDesign]]:
    """Function decorator: a zero-argument factory of a published or reference design.

    ``description`` says where the design comes from (paper, REFERENCES section, reasoning).
    """
    def deco(factory: Callable[[], CavityDesign]) -> Callable[[], CavityDesign]:
        PRESETS[name] = (factory, description)
        return factory
    return deco


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def get_family(name: str) -> type[CavityDesign]:
    _load()
    if name not in FAMILIES:
        raise ValueError(f"unknown cavity family {name!r}; known: {sorted(FAMILIES)}."
                         + _suggest(name, list(FAMILIES)))
    return FAMILIES[name]


def get_preset(name: str, **overrides: Any) -> CavityDesign:
    """The preset design ``name``, with optional parameter overrides (validated)."""
    _load()
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; known presets: {sorted(PRESETS)}."
                         + _suggest(name, list(PRESETS)))
    design = PRESETS[name][0]()
    return design.replace(**overrides) if overrides else design


def list_presets() -> list[tuple[str, str, str]]:
    """(name, family, description) of every preset."""
    _load()
    return [(n, f().family, d) for n, (f, d) in sorted(PRESETS.items())]


def design_from_dict(data: dict[str, Any]) -> CavityDesign:
    """Inverse of ``CavityDesign.to_dict``: ``{"family": ..., "params": {...}}``."""
    if "family" not in data or "params" not in data:
        raise ValueError("a design needs the keys 'family' and 'params', but got "
                         f"{sorted(data)}.")
    cls = get_family(data["family"])
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data["params"]) - set(known))
    if unknown:
        raise ValueError(f"{cls.family} has no parameter(s) {unknown}; known parameters: "
                         f"{sorted(known)}.")
    params = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data["params"].items()}
    return cls(**params)


def _load() -> None:
    # Families register themselves on import; import them all once.
    import cavities.families  # noqa: F401
