"""Human-readable views of a :class:`~sims.results.SimResult`: a text summary and an HTML table.

``SimResult.summary()`` and ``SimResult._repr_html_()`` (the table a Jupyter notebook shows)
come from here. Headline numbers carry their grid error (``± err``) when the result has an
error estimate (``result.accuracy``, :mod:`sims.screen`), and the table says when the
estimate is not converged. Pure Python; matplotlib is never imported here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

Row = tuple[str, str, str]
"""(quantity, value, unit) of a table."""


def fmt(x: Any, digits: int = 4) -> str:
    """A number with ``digits`` significant digits; None and non-finite numbers are "—"."""
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:.{digits}g}" if math.isfinite(x) else "—"
    return str(x)


def with_error(value: float | None, accuracy: Any, quantity: str, *, scale: float = 1.0,
               digits: int = 4) -> str:
    """``value ± error`` (both times ``scale``) when ``accuracy`` estimates ``quantity``.

    Example:
        >>> with_error(0.5181, None, "resonance_wavelength_um", scale=1e3, digits=5)
        '518.1'
    """
    text = fmt(None if value is None else scale * value, digits)
    est = None if accuracy is None else accuracy.estimates.get(quantity)
    if value is None or est is None or est.error is None:
        return text
    flag = "" if accuracy.converged else " (not converged)"
    return f"{text} ± {fmt(scale * est.error, 2)}{flag}"


def headline_rows(result: Any) -> list[Row]:
    """The headline numbers of a result, with grid errors where it has them."""
    acc = result.accuracy
    mode, mv = result.resonance, result.mode_volume
    rows: list[Row] = [
        ("resonance wavelength", with_error(None if mode is None else mode.wavelength_um, acc,
                                            "resonance_wavelength_um", scale=1e3, digits=5),
         "nm"),
        ("quality factor Q", with_error(None if mode is None else mode.quality_factor, acc,
                                        "quality_factor"), ""),
        ("Purcell (LDOS) at resonance", with_error(result.purcell_total_at_resonance, acc,
                                                   "purcell_total"), ""),
        ("Purcell (radiative) at resonance", with_error(result.purcell_radiative_at_resonance,
                                                        acc, "purcell_radiative"), ""),
        ("collection efficiency at resonance",
         with_error(result.collection_efficiency_at_resonance, acc, "collection_efficiency"),
         f"NA {result.structure.get('collection_na', '?')}"),
    ]
    if mv is not None and mv.peak_volume_lambda_n3 is not None:
        rows += [("mode volume (peak)", fmt(mv.peak_volume_lambda_n3), "(λ/n)³"),
                 ("mode volume at the emitter", fmt(mv.emitter_volume_lambda_n3), "(λ/n)³")]
    elif mv is not None:
        rows += [("mode area (peak)", fmt(mv.peak_area_lambda_n2), "(λ/n)²"),
                 ("mode area at the emitter", fmt(mv.emitter_area_lambda_n2), "(λ/n)²")]
    rows += [
        ("analytic 3/(4π²)(λ/n)³Q/V", fmt(result.analytic_purcell),
         "" if result.analytic_over_ldos is None
         else f"{fmt(result.analytic_over_ldos, 3)} × LDOS"),
        ("refractive index at the emitter", fmt(result.refractive_index_at_emitter), ""),
    ]
    prov = result.provenance
    rows.append(("simulation", f"{prov.dimensions}, {prov.resolution_px_per_um:g} px/µm, "
                 f"{prov.wall_time_s + prov.reference_wall_time_s:.1f} s, stop: "
                 f"{prov.stop_reason}", ""))
    rows.append(("grid error", accuracy_text(acc), ""))
    return rows


def accuracy_text(accuracy: Any) -> str:
    """What the error estimate is, or that there is none."""
    if accuracy is None:
        return "none (one grid: unknown discretisation error)"
    grids = ", ".join(f"{r:g}" for r in accuracy.resolutions_px_per_um)
    state = "converged" if accuracy.converged else "NOT converged: " + "; ".join(accuracy.notes)
    if accuracy.method.startswith("gme"):
        return f"{accuracy.method}; {state}"
    return f"Richardson from {grids} px/µm, {state}"


def text_summary(result: Any) -> str:
    """A few human-readable lines about a SimResult (what ``pnc-sim run`` prints)."""
    prov = result.provenance
    lines = [f"structure {result.structure.get('name', '?')!r} ({prov.dimensions}, "
             f"{prov.resolution_px_per_um:g} px/µm, symmetries "
             f"{list(prov.symmetries) or 'none'}), n at emitter "
             f"{result.refractive_index_at_emitter:.4g}"]
    mode = result.resonance
    if mode is not None:
        lines.append(f"  resonance {1e3 * mode.wavelength_um:.2f} nm, "
                     f"Q = {mode.quality_factor:.4g}")
    if result.mode_volume is not None:
        mv = result.mode_volume
        if mv.peak_volume_um3 is not None:
            lines.append(f"  mode volume {fmt(mv.peak_volume_um3)} µm³ = "
                         f"{fmt(mv.peak_volume_lambda_n3)} (λ/n)³; at the emitter "
                         f"{fmt(mv.emitter_volume_lambda_n3)} (λ/n)³")
        else:
            lines.append(f"  mode area {fmt(mv.peak_area_um2)} µm² = "
                         f"{fmt(mv.peak_area_lambda_n2)} (λ/n)²; at the emitter "
                         f"{fmt(mv.emitter_area_lambda_n2)} (λ/n)²")
    if result.purcell_total_at_resonance is not None:
        lines.append(f"  Purcell at resonance: total {fmt(result.purcell_total_at_resonance)}, "
                     f"radiative {fmt(result.purcell_radiative_at_resonance)}")
    if result.analytic_purcell is not None:
        lines.append(f"  analytic Q/V estimate {fmt(result.analytic_purcell)} "
                     f"(ratio to LDOS {fmt(result.analytic_over_ldos, 3)})")
    if result.collection_efficiency_at_resonance is not None:
        lines.append(f"  collection into NA {result.structure.get('collection_na', '?')} "
                     f"({result.structure.get('collection_direction', '?')}): "
                     f"{result.collection_efficiency_at_resonance:.3g}")
    sp = result.spectra
    if sp.purcell_total:
        i = max(range(len(sp.purcell_total)), key=lambda k: sp.purcell_total[k])
        lines.append(f"  spectrum {1e3 * min(sp.wavelength_um):.0f}-"
                     f"{1e3 * max(sp.wavelength_um):.0f} nm: peak total Purcell "
                     f"{sp.purcell_total[i]:.4g} at {1e3 * sp.wavelength_um[i]:.2f} nm")
    lines.append(f"  wall time {prov.wall_time_s:.1f} s (Meep stepping "
                 f"{prov.meep_time_s:.1f} s), stop: {prov.stop_reason}")
    acc = result.accuracy
    if acc is not None:
        lines.append(f"  grid error ({acc.method}): {acc.summary()}")
    else:
        lines.append("  no grid-error estimate: one grid only, so these numbers carry an unknown "
                     "discretisation error; run `pnc-sim convergence` on it, or evaluate the "
                     "design with `pnc-optimize evaluate --error-estimate on`.")
    lines.extend(f"  warning: {w}" for w in result.warnings)
    return "\n".join(lines)


def html_table(rows: Sequence[Row], *, title: str, warnings: Iterable[str] = ()) -> str:
    """A small self-contained HTML table (every text escaped), the warnings listed under it."""
    esc = html.escape
    out = [f"<div class=\"pnc-result\"><strong>{esc(title)}</strong>",
           "<table>", "<thead><tr><th style=\"text-align:left\">quantity</th>"
           "<th style=\"text-align:left\">value</th><th style=\"text-align:left\">unit</th>"
           "</tr></thead>", "<tbody>"]
    out += [f"<tr><td style=\"text-align:left\">{esc(q)}</td>"
            f"<td style=\"text-align:left\">{esc(v)}</td>"
            f"<td style=\"text-align:left\">{esc(u)}</td></tr>" for q, v, u in rows]
    out += ["</tbody>", "</table>"]
    warnings = list(dict.fromkeys(warnings))
    if warnings:
        out.append("<p>Warnings:</p><ul>")
        out += [f"<li>{esc(w)}</li>" for w in warnings]
        out.append("</ul>")
    out.append("</div>")
    return "\n".join(out)


def result_html(result: Any) -> str:
    """The HTML table of a SimResult (its ``_repr_html_``)."""
    return html_table(headline_rows(result),
                      title=f"SimResult {result.structure.get('name', '')}".strip(),
                      warnings=result.warnings)
