"""The report's comparison with published designs (optimize.anchors): like with like only."""

from __future__ import annotations

from optimize.anchors import ANCHORS, anchor_lines


def test_collection_is_compared_only_at_the_anchors_na() -> None:
    lines = anchor_lines("bullseye", collection=0.425, collection_error=0.02, na=0.65,
                         purcell=3.0)
    liu = next(line for line in lines if "Liu" in line)
    assert "0.42 ± 0.02" in liu and "| 0.50 |" in liu  # 0.425 / 0.85
    for line in lines:
        if "into NA 0.5" in line or "into NA 0.7" in line:
            assert "not comparable (this design: NA 0.65)" in line
    davanco_purcell = next(line for line in lines if "Purcell factor: Davanco" in line)
    assert "| 3 | 0.25 |" in davanco_purcell


def test_families_without_anchors_get_no_section() -> None:
    assert anchor_lines("mie_pillar", collection=0.1, collection_error=None, na=0.65,
                        purcell=2.0) == []


def test_every_anchor_names_its_source_in_references() -> None:
    assert all("REFERENCES" in a.source for a in ANCHORS)
