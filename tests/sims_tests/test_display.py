"""SimResult.summary(), ._repr_html_() and .plot(), and the same for Evaluation (no Meep).

Built from synthetic results (tests/emitter_tests/_fixtures.py); the error bars come from a
two-grid estimate (sims.accuracy.estimate), so every headline number has one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from optimize.report import evaluation_table
from tests.emitter_tests._fixtures import synthetic_sim_result
from tests.optimize_tests._fixtures import sim_with_accuracy, synthetic_evaluation
from tests._imports import modules_loaded_by

ROOT = Path(__file__).resolve().parents[2]
HEADLINE_WITH_ERROR = ("resonance wavelength", "quality factor Q", "Purcell (LDOS) at resonance",
                       "Purcell (radiative) at resonance", "collection efficiency at resonance")


def _cells(html_text: str) -> dict[str, list[str]]:
    """Rows of the (well-formed) HTML table: quantity -> [value, unit]."""
    root = ET.fromstring(html_text)  # raises on malformed markup or unescaped text
    rows = {}
    for tr in root.iter("tr"):
        cells = ["".join(td.itertext()) for td in tr.findall("td")]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def test_sim_result_summary_is_the_cli_text():
    from sims.cli import summary

    r = sim_with_accuracy()
    text = r.summary()
    assert text == summary(r)
    assert "resonance 517.00 nm, Q = 2000" in text, text
    assert "grid error" in text and "warning: second warning" in text, text


def test_sim_result_html_has_errors_and_escaped_warnings():
    r = sim_with_accuracy()
    rows = _cells(r._repr_html_())
    for q in HEADLINE_WITH_ERROR:
        assert " ± " in rows[q][0], (q, rows[q])
    acc = r.accuracy
    assert rows["resonance wavelength"][1] == "nm"
    assert rows["resonance wavelength"][0].split(" ± ")[1].startswith(
        f"{1e3 * acc.error('resonance_wavelength_um'):.2g}"), rows["resonance wavelength"]
    html_text = r._repr_html_()
    assert "field &lt;E&gt; &amp; &lt;H&gt; not converged" in html_text
    assert "<li>second warning</li>" in html_text


def test_sim_result_html_without_estimate_has_no_error_bars():
    r = synthetic_sim_result()
    rows = _cells(r._repr_html_())
    assert all("±" not in v[0] for v in rows.values()), rows
    assert rows["grid error"][0].startswith("none"), rows["grid error"]


def test_sim_result_plot_delegates_to_sims_plotting(tmp_path):
    r = sim_with_accuracy()
    fig = r.plot(path=tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 5000
    assert "resonance Q" in " ".join(t.get_text() for t in fig.axes[0].get_legend().texts)
    with pytest.raises(ValueError, match="this result has no field map"):
        r.plot("field_map")
    with pytest.raises(ValueError, match="kind='nope'"):
        r.plot("nope")


def test_evaluation_summary_html_and_plot(tmp_path):
    ev = synthetic_evaluation()
    text = ev.summary()
    for q, v, _ in evaluation_table(ev):
        assert q in text and v in text, (q, v)
    assert "warning: second warning" in text
    rows = _cells(ev._repr_html_())
    assert {q: [v, u] for q, v, u in evaluation_table(ev)} == rows
    for q in HEADLINE_WITH_ERROR:
        assert " ± " in rows[q][0], (q, rows[q])
    fig = ev.plot()
    labels = [t.get_text() for t in fig.axes[0].get_legend().texts]
    assert "X" in labels and "XX" in labels, labels
    ev.plot("geometry", path=tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="kind='nope'"):
        ev.plot("nope")


def test_importing_results_and_evaluations_does_not_import_matplotlib():
    code = "import sims.results, sims.display, optimize.evaluate, optimize.display"
    assert modules_loaded_by(code, ["matplotlib"]) == {"matplotlib": False}
