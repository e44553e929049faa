"""Published designs a study's best design is compared with (REFERENCES B3-B5).

Each anchor is a number a paper reports for a cavity of the same family, with the collection
NA it refers to: a collection efficiency is only compared with an anchor at the same NA (a
larger NA collects more), and the report says which anchors it could not compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """One published figure.

    Args:
        family: cavity family (registry name).
        quantity: ``"collection"`` (fraction into the NA) or ``"purcell"``.
        value: the published value.
        na: collection NA it refers to (None for a Purcell factor).
        source: citation (REFERENCES section).
        note: what kind of design and emitter it was (simulated or measured).
    """

    family: str
    quantity: str
    value: float
    na: float | None
    source: str
    note: str


ANCHORS: tuple[Anchor, ...] = (
    Anchor(family="bullseye", quantity="collection", value=0.85, na=0.65,
           source="Liu et al., Nat. Nanotech. 14, 586 (2019) (REFERENCES B3)",
           note="hybrid GaAs CBG on SiO2/Au, measured single-photon extraction, GaAs QD"),
    Anchor(family="bullseye", quantity="collection", value=0.82, na=0.5,
           source="Abudayyeh & Rapaport, arXiv 1703.00163 (REFERENCES B3)",
           note="hybrid metal-dielectric antenna for a broadband RT emitter, simulated"),
    Anchor(family="bullseye", quantity="collection", value=0.80, na=0.7,
           source="Davanco et al., APL 99, 041102 (2011) (REFERENCES B3)",
           note="suspended GaAs CBG, simulated (> 80 %, with 12× Purcell)"),
    Anchor(family="bullseye", quantity="purcell", value=12.0, na=None,
           source="Davanco et al., APL 99, 041102 (2011) (REFERENCES B3)",
           note="suspended GaAs CBG (n = 3.5), simulated, narrow-band QD"),
    Anchor(family="nanocube_on_mirror", quantity="purcell", value=1000.0, na=None,
           source="Akselrod et al., Nat. Photon. 8, 835 (2014) (REFERENCES B5)",
           note="Ag cube on Au film, rate enhancement > 1000, measured"),
)


def anchor_lines(family: str, *, collection: float | None, collection_error: float | None,
                 na: float, purcell: float | None) -> list[str]:
    """Markdown rows comparing a design's collection (at ``na``) and Purcell factor with the
    family's anchors; anchors at another NA are listed as not comparable."""
    rows = [a for a in ANCHORS if a.family == family]
    if not rows:
        return []
    lines = ["## Against published designs", "",
             "| published | value | this design | ratio | note |", "|---|---|---|---|---|"]
    for a in rows:
        if a.quantity == "collection":
            label = f"collection into NA {a.na:g}"
            if a.na != na or collection is None:
                lines.append(f"| {label}: {a.source} | {a.value:.2f} | not comparable (this "
                             f"design: NA {na:g}) | — | {a.note} |")
                continue
            err = "" if collection_error is None else f" ± {collection_error:.2g}"
            lines.append(f"| {label}: {a.source} | {a.value:.2f} | {collection:.2f}{err} | "
                         f"{collection / a.value:.2f} | {a.note} |")
        else:
            mine = "—" if purcell is None else f"{purcell:.3g}"
            ratio = "—" if purcell is None else f"{purcell / a.value:.2g}"
            lines.append(f"| Purcell factor: {a.source} | {a.value:g} | {mine} | {ratio} | "
                         f"{a.note} |")
    return lines + ["", "The anchors differ in material (GaAs, n ≈ 3.5, against Si3N4, n ≈ 2.06, "
                    "for a bullseye here), emitter linewidth and metal mirror: a ratio below 1 "
                    "says how far this design is from them, not that the tool is off.", ""]


def best_design_anchor_lines(ev: Any) -> list[str]:
    """:func:`anchor_lines` for an :class:`optimize.evaluate.Evaluation`."""
    acc = ev.sim.accuracy
    err = None if acc is None else acc.error("collection_efficiency")
    return anchor_lines(ev.design["family"], collection=ev.score.collection_efficiency,
                        collection_error=err,
                        na=float(ev.sim.structure.get("collection_na", 0.65)),
                        purcell=ev.score.purcell_x)
