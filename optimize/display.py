"""Human-readable views of an :class:`~optimize.evaluate.Evaluation`: text, HTML and figures.

The rows are those of ``evaluation.md`` (:func:`optimize.report.evaluation_table`): the
simulated numbers carry their grid error (``± err``) when the simulation has an error estimate.
matplotlib is imported only by :func:`plot_evaluation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _title(ev: Any) -> str:
    family = ev.design.get("family", "design")
    return f"{family} for {ev.emitter.get('name', '?')} (evaluation {ev.key})"


def _warnings(ev: Any) -> list[str]:
    return list(dict.fromkeys((*ev.sim.warnings, *ev.score.warnings)))


def evaluation_summary(ev: Any) -> str:
    """Aligned text: the title, one line per quantity, then the warnings."""
    from optimize.report import evaluation_table

    rows = evaluation_table(ev)
    width = max(len(q) for q, _, _ in rows)
    lines = [_title(ev)]
    lines += [f"  {q:<{width}}  {v}{' ' + u if u else ''}" for q, v, u in rows]
    lines += [f"  warning: {w}" for w in _warnings(ev)]
    return "\n".join(lines)


def evaluation_html(ev: Any) -> str:
    """The table of :func:`evaluation_summary` as HTML (for notebooks)."""
    from optimize.report import evaluation_table
    from sims.display import html_table

    return html_table(evaluation_table(ev), title=_title(ev), warnings=_warnings(ev))


PLOTS = ("spectra", "field_map", "geometry")


def plot_evaluation(ev: Any, kind: str = "spectra", path: str | Path | None = None,
                    **kwargs: Any) -> Any:
    """A matplotlib figure of an evaluation.

    Args:
        ev: the evaluation.
        kind: ``"spectra"`` (:func:`sims.plotting.plot_spectra` with the exciton X and
            biexciton XX lines marked, as in ``evaluation.md``), ``"field_map"``
            (:func:`sims.plotting.plot_field_map`) or ``"geometry"`` (the design's
            cross-sections at the evaluated fidelity, :func:`cavities.plotting.plot_structure`).
        path: image file to write (None: only return the figure).
        kwargs: passed on to the plotting function.
    """
    if kind not in PLOTS:
        raise ValueError(f"`kind` must be one of {PLOTS}, but got kind={kind!r}.")
    if kind == "geometry":
        from cavities.registry import design_from_dict

        fig = design_from_dict(ev.design).plot_geometry(ev.settings.get("fidelity", "screen"),
                                                        **kwargs)
        if path is not None:
            fig.savefig(path, dpi=130)
        return fig
    if kind == "spectra":
        kwargs.setdefault("marks_um", {"X": ev.score.exciton_wavelength_um,
                                       "XX": ev.score.biexciton_wavelength_um})
    return ev.sim.plot(kind, path, **kwargs)
