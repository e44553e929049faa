"""The default sampler ("auto"): the GP sampler for one objective when PyTorch is installed
(benchmarks/search_efficiency.py: it reached 95 % of the best design in a median of 16 trials
where TPE and random sampling did not within 40), TPE without PyTorch, NSGA-II for several
objectives. No Meep."""

from __future__ import annotations

import pytest

from cavities.registry import get_preset
from optimize import search
from optimize.cli import build_parser
from optimize.search import SearchSpec


def _spec(objectives: tuple[str, ...], sampler: str = "auto") -> SearchSpec:
    return SearchSpec(base_design=get_preset("bullseye_sin_520").to_dict(),
                      params=("disk_radius_um",), objectives=objectives, sampler=sampler)


@pytest.mark.parametrize(("torch", "objectives", "expected"), [
    (True, ("brightness",), "gp"),
    (False, ("brightness",), "tpe"),
    (True, ("brightness", "g2"), "nsga2"),
    (False, ("brightness", "g2"), "nsga2"),
])
def test_auto_resolves_by_objectives_and_pytorch(monkeypatch, torch, objectives, expected):
    monkeypatch.setattr(search, "torch_available", lambda: torch)
    assert _spec(objectives).sampler == expected


def test_an_explicit_sampler_is_kept(monkeypatch):
    monkeypatch.setattr(search, "torch_available", lambda: True)
    assert _spec(("brightness",), "tpe").sampler == "tpe"
    assert _spec(("brightness",), "random").sampler == "random"


def test_the_cli_default_is_auto():
    args = build_parser().parse_args(["optimize", "bullseye_sin_520"])
    assert args.sampler == "auto"
