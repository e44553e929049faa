"""Reports: one evaluation (JSON + figures + Markdown) and a whole study (Markdown page with the
best designs, Pareto front, history, and the best design's figures; CSV/JSON of all trials).
Optuna's own matplotlib visualisations are used for history and Pareto front.
"""

from __future__ import annotations

import csv
import json
import math
import warnings
from pathlib import Path
from typing import Any

from cavities.registry import get_family
from optimize.evaluate import Evaluation
from optimize.objectives import HALF_MAX, ON_RESONANCE_RULES
from optimize.search import SPEC_ATTR
from optimize.tuning import resolved_tune, trial_params

_UNITS = {"purcell": "", "brightness": "photons/s", "g2": "", "risk": "",
          "collection": ""}


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        if not math.isfinite(x):
            return "—"
        return f"{x:.{digits}g}"
    return str(x)


def _single_mode_note(estimate: float | None, simulated: float | None) -> str:
    """A flag when a Q/V-based number disagrees with the simulated (LDOS) one by over 2x: the
    single-mode Lorentzian picture does not describe the resonance (low Q on a background,
    several modes, or a mode volume from a mixed field), so the LDOS value is the one to use."""
    if not estimate or not simulated or 0.5 <= estimate / simulated <= 2:
        return ""
    return (f"⚠ {estimate / simulated:.2g}× the simulated value: the single-mode Q/V picture "
            "does not hold here; use the LDOS/overlap value")


def _pm(value: float | None, ev: Evaluation, quantity: str, scale: float = 1.0,
        digits: int = 4) -> str:
    """A value with its discretisation error (``sims.accuracy``) when the result has one."""
    acc = ev.sim.accuracy
    err = None if acc is None or quantity not in acc.estimates else acc.error(quantity)
    text = _fmt(None if value is None else scale * value, digits)
    if value is None or err is None:
        return text
    return f"{text} ± {_fmt(scale * err, 2)}" + ("" if acc.converged else " (not converged)")


def evaluation_table(ev: Evaluation) -> list[tuple[str, str, str]]:
    """(quantity, value, unit) rows of an evaluation; grid-error bars where the result has
    them (``sims.screen``), flagged when not converged."""
    sim, sc = ev.sim, ev.score
    mode = sim.resonance
    mv = sim.mode_volume
    rows = [
        ("resonance wavelength", _pm(None if mode is None else mode.wavelength_um, ev,
                                     "resonance_wavelength_um", 1e3, 5), "nm"),
        ("quality factor Q", _pm(None if mode is None else mode.quality_factor, ev,
                                 "quality_factor"), ""),
        ("mode volume (peak)",
         _fmt(None if mv is None else mv.peak_volume_lambda_n3), "(λ/n)³"),
        ("mode volume at the emitter",
         _fmt(None if mv is None else mv.emitter_volume_lambda_n3), "(λ/n)³"),
        ("Purcell (LDOS) at resonance", _pm(sim.purcell_total_at_resonance, ev,
                                            "purcell_total"), ""),
        ("Purcell (radiative) at resonance", _pm(sim.purcell_radiative_at_resonance, ev,
                                                 "purcell_radiative"), ""),
        ("analytic 3/(4π²)(λ/n)³Q/V", _fmt(sim.analytic_purcell),
         _single_mode_note(sim.analytic_purcell, sim.purcell_total_at_resonance)),
        ("collection efficiency at resonance", _pm(sim.collection_efficiency_at_resonance, ev,
                                                   "collection_efficiency"),
         f"NA {sim.structure['collection_na']}"),
        ("exciton line", _fmt(1e3 * sc.exciton_wavelength_um, 5), "nm"),
        ("biexciton line", _fmt(1e3 * sc.biexciton_wavelength_um, 5), "nm"),
        ("dipole orientation", f"{sc.orientation} (factor {_fmt(sc.orientation_factor)})", ""),
        ("exciton Purcell factor (line overlap)", _fmt(sc.purcell_x), ""),
        ("exciton Purcell factor (closed form)", _fmt(sc.purcell_x_closed_form),
         _single_mode_note(sc.purcell_x_closed_form, sc.purcell_x)),
        ("biexciton Purcell factor", _fmt(sc.purcell_xx), ""),
        ("exciton QY bare → cavity", f"{_fmt(sc.qy_x_bare)} → {_fmt(sc.qy_x_cavity)}", ""),
        ("g2(0) bare → cavity", f"{_fmt(sc.g2_bare)} → {_fmt(sc.g2_cavity)}", ""),
        ("biexciton-enhancement risk", _fmt(sc.biexciton_risk), "g2 ratio"),
        ("lifetime bare → cavity",
         f"{_fmt(sc.lifetime_bare_ns)} → {_fmt(sc.lifetime_cavity_ns)}", "ns"),
        ("brightness at first lens (pulsed)", _fmt(sc.brightness_cps), "photons/s"),
        ("brightness at first lens (CW)", _fmt(sc.brightness_cw_cps), "photons/s"),
        ("coupling g", _fmt(sc.g_ueV),
         "µeV" + (" ⚠ from the mode volume, see the Q/V row" if _single_mode_note(
             sim.analytic_purcell, sim.purcell_total_at_resonance) else "")),
        ("regime", sc.regime, ""),
        ("β (into the cavity mode)", _fmt(sc.beta), ""),
        ("indistinguishability", _fmt(sc.indistinguishability), ""),
        ("simulation", f"{sim.provenance.dimensions}, {sim.provenance.resolution_px_per_um:g} "
         f"px/µm, {sim.provenance.wall_time_s + sim.provenance.reference_wall_time_s:.1f} s",
         ""),
    ]
    return rows


def write_evaluation_report(ev: Evaluation, out: Path) -> Path:
    """evaluation.json, geometry.png, spectrum.png, field_map.png, collection.png and
    evaluation.md in ``out``; returns the Markdown path."""
    import matplotlib.pyplot as plt

    from cavities.registry import design_from_dict
    from sims.plotting import plot_field_map, plot_spectra

    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(ev.to_json())
    design = design_from_dict(ev.design)
    figs = {}
    fig = design.plot_geometry(ev.settings.get("fidelity", "screen"))
    fig.savefig(out / "geometry.png", dpi=120)
    plt.close(fig)
    figs["geometry"] = "geometry.png"
    fig = plot_spectra(ev.sim, marks_um={"X": ev.score.exciton_wavelength_um,
                                         "XX": ev.score.biexciton_wavelength_um})
    fig.savefig(out / "spectrum.png", dpi=120)
    plt.close(fig)
    figs["Purcell spectrum (exciton X and biexciton XX lines marked)"] = "spectrum.png"
    if ev.sim.field_map is not None:
        fig = plot_field_map(ev.sim)
        fig.savefig(out / "field_map.png", dpi=120)
        plt.close(fig)
        figs["field map of the resonance"] = "field_map.png"
    sp = ev.sim.spectra
    if sp.collection_efficiency is not None:
        fig, ax = plt.subplots(figsize=(6.0, 3.6), constrained_layout=True)
        nm = [1e3 * w for w in sp.flux_wavelength_um]
        ax.plot(nm, sp.collection_efficiency, "s-", ms=3,
                label=f"into NA {ev.sim.structure['collection_na']} "
                      f"({ev.sim.structure['collection_direction']})")
        if sp.direction_fraction is not None:
            ax.plot(nm, sp.direction_fraction, "o--", ms=3,
                    label=f"all light going {ev.sim.structure['collection_direction']}")
        ax.plot(nm, sp.radiative_efficiency, ":", label="radiative efficiency (1 − absorbed)")
        ax.axvline(1e3 * ev.score.exciton_wavelength_um, color="C3", ls=":", label="X")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("wavelength (nm)")
        ax.set_ylabel("fraction of emitted power")
        ax.legend(fontsize=8)
        ax.set_title("where the light goes (near-to-far-field collection)", fontsize=10)
        fig.savefig(out / "collection.png", dpi=120)
        plt.close(fig)
        figs["collection efficiency"] = "collection.png"
    lines = [f"# {design.family}: evaluation {ev.key}", "",
             f"Emitter: {ev.emitter.get('name', '?')}; settings: "
             f"`{json.dumps(ev.settings, sort_keys=True)}`", "",
             "| quantity | value | unit |", "|---|---|---|"]
    lines += [f"| {q} | {v} | {u} |" for q, v, u in evaluation_table(ev)]
    lines += ["", "Design parameters (µm):", "", "```json",
              json.dumps(ev.design, indent=1), "```", ""]
    if ev.sim.warnings or ev.score.warnings:
        lines += ["Warnings:", ""] + [f"- {w}" for w in dict.fromkeys(
            (*ev.sim.warnings, *ev.score.warnings))]
        lines.append("")
    for title, name in figs.items():
        lines += [f"## {title}", "", f"![{title}]({name})", ""]
    path = out / "evaluation.md"
    path.write_text("\n".join(lines))
    return path


def promotion_lines(study: Any) -> list[str]:
    """The report section of :mod:`optimize.promotion` (nothing if the study has none)."""
    from optimize.promotion import stored_promotions

    promos = stored_promotions(study)
    if not promos:
        return []
    lines = ["## Promoted designs: screen against " + promos[0].fidelity + " fidelity", "",
             "The best screen designs, evaluated again at the higher fidelity "
             "(`pnc-optimize promote`, or `--promote K` after a search). The ratio is "
             "promoted / screen.", "",
             "| trial | quantity | screen | " + promos[0].fidelity + " | ratio |",
             "|---|---|---|---|---|"]
    for p in promos:
        ratios = p.ratios()
        shown: list[tuple[Any, Any]] = []
        for q in p.screen:
            pair = (p.screen[q], p.promoted.get(q))
            if pair in shown:  # an objective that is a headline quantity (brightness)
                continue
            shown.append(pair)
            lines.append(f"| {p.trial} | {q} | {_fmt(p.screen[q])} | {_fmt(p.promoted.get(q))}"
                         f" | {_fmt(ratios.get(q))} |")
        verdict = ("meets" if p.feasible else "**no longer meets**")
        conv = ("" if p.converged is None else "; its error estimate says "
                + ("converged" if p.converged else "**not converged**"))
        lines.append(f"| {p.trial} | resonance constraint | | {verdict} it{conv} | |")
    return lines + [""]


def _tuning(spec: dict[str, Any]) -> str:
    """``"scale"`` or ``"none"``: whether the stored search tuned its trials."""
    family = get_family(spec["base_design"]["family"])
    return resolved_tune(spec.get("tune", "none"), tuple(spec["params"]), family.SCALE_LENGTHS,
                         spec.get("on_resonance", "detuning"), spec["sampler"])


def _tuning_text(spec: dict[str, Any]) -> str:
    if _tuning(spec) != "scale":
        return ""
    return (", each trial's searched lengths scaled onto the exciton line (the table's "
            "parameters are the scaled design's)")


def _on_resonance_text(spec: dict[str, Any]) -> str:
    """The study's feasibility rule in words."""
    rule = spec.get("on_resonance", "detuning")
    if rule == "detuning":
        return f"resonance within {spec['tolerance_nm']} nm of the exciton line"
    return ON_RESONANCE_RULES[rule]


def _feasibility_lines(study: Any, spec: dict[str, Any]) -> list[str]:
    """How many completed trials are feasible, by the study's rule and by both rules (each
    trial records its detuning and its line/peak LDOS ratio), so two rules can be compared on
    the same designs."""
    from optuna.trial import TrialState

    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not done:
        return []
    ruled = sum(all(v <= 0 for v in t.user_attrs.get("constraint", [1.0])) for t in done)
    tol = spec["tolerance_nm"]
    det = [t.user_attrs.get("detuning_nm") for t in done]
    lop = [t.user_attrs.get("line_over_peak") for t in done]
    line = f"Feasible: **{ruled} of {len(done)}** completed trials"
    if all(r is not None for r in lop):  # trials made before these attributes have neither
        n_det = sum(d is not None and d <= tol for d in det)  # None: no resonance found
        n_half = sum(r >= HALF_MAX for r in lop)
        line += (f" (resonance within {tol} nm: {n_det}; line inside the peak's half-maximum "
                 f"band: {n_half})")
    return [line + ".", ""]


def clean_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameter values to 15 significant digits, sorted by name: Optuna's stepped floats carry
    float noise (0.1 + 0.2 = 0.30000000000000004), which the tables should not show."""
    return {k: float(f"{v:.15g}") if isinstance(v, float) else v
            for k, v in sorted(params.items())}


def _trial_rows(study: Any) -> list[dict[str, Any]]:
    rows = []
    names = _objective_names(study)
    for t in study.get_trials(deepcopy=False):
        row: dict[str, Any] = {"number": t.number, "state": t.state.name}
        row.update(clean_params(trial_params(t)))  # the design scored (tuned, if it was)
        if t.values is not None:
            row.update({n: v for n, v in zip(names, t.values, strict=True)})
        for k in ("resonance_nm", "quality_factor", "purcell", "brightness_cps", "g2", "risk",
                  "collection", "detuning_nm", "line_over_peak", "wall_time_s", "mpi_ranks",
                  "evaluation_key"):
            row[k] = t.user_attrs.get(k)
        c = t.user_attrs.get("constraint")
        row["feasible"] = None if c is None else all(v <= 0 for v in c)
        row["reason"] = t.user_attrs.get("pruned_reason") or t.user_attrs.get("fail_reason")
        rows.append(row)
    return rows


def _best_trials(study: Any) -> list[Any]:
    from optuna.trial import TrialState

    complete = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    feasible = [t for t in complete
                if all(v <= 0 for v in t.user_attrs.get("constraint", [0.0]))]
    pool = feasible or complete
    if not pool:
        return []
    if len(study.directions) > 1:
        best = [t for t in study.best_trials if t in pool] or study.best_trials
        return sorted(best, key=lambda t: t.number)
    sign = -1 if study.direction.name.lower() == "maximize" else 1
    return sorted(pool, key=lambda t: sign * t.values[0])


def _objective_names(study: Any) -> list[str]:
    return [study.user_attrs.get(f"objective_{i}", f"objective_{i}")
            for i in range(len(study.directions))]


def _finite_or_none(x: Any) -> Any:
    return None if isinstance(x, float) and not math.isfinite(x) else x


def _promotions_data(study: Any) -> list[dict[str, Any]]:
    from optimize.promotion import stored_promotions

    return [p.to_dict() for p in stored_promotions(study)]


def study_report_data(study: Any, out: Path, *, top: int = 5,
                      run_dir: Path | None = None) -> dict[str, Any]:
    """What ``report.md`` shows, as JSON-safe data (``pnc-optimize report --json``): trial
    counts, objectives, the search, the best designs (the ``top`` rows of the table, unrounded),
    the best design's evaluation table, failed and pruned trials with their reasons, and the
    files of the report in ``out``."""
    rows = _trial_rows(study)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    names = _objective_names(study)
    spec = study.user_attrs.get(SPEC_ATTR)
    search = None
    if spec:
        s = json.loads(spec)
        search = {"family": s["base_design"]["family"], "params": s["params"],
                  "emitter": s["emitter"], "tolerance_nm": s["tolerance_nm"],
                  "on_resonance": s.get("on_resonance", "detuning"),
                  "sampler": s["sampler"], "fidelity": s["settings"]["fidelity"],
                  "tuning": _tuning(s)}
    best = _best_trials(study)
    by_number = {r["number"]: r for r in rows}
    best_rows = [{**{k: _finite_or_none(v) for k, v in by_number[t.number].items()},
                  "params": clean_params(trial_params(t)), "values": list(t.values)}
                 for t in best[:top]]
    data: dict[str, Any] = {
        "study": study.study_name, "trials": dict(sorted(counts.items())),
        "objectives": [{"name": n, "direction": d.name.lower()}
                       for n, d in zip(names, study.directions, strict=True)],
        "search": search, "length_unit": "um",
        "constraint_met": bool(best) and all(
            v <= 0 for v in best[0].user_attrs.get("constraint", [0.0])),
        "best_designs": best_rows, "best_evaluation": None,
        "promoted": _promotions_data(study),
        "failed_and_pruned": [{"trial": r["number"], "state": r["state"], "reason": r["reason"]}
                              for r in rows if r["state"] in ("FAIL", "PRUNED") and r["reason"]],
        "files": {"report": str(out / "report.md"), "trials_csv": str(out / "trials.csv"),
                  "trials_json": str(out / "trials.json")},
    }
    key = best[0].user_attrs.get("evaluation_key") if best else None
    path = (run_dir or out) / "evaluations" / f"{key}.json"
    if key and path.exists():
        ev = Evaluation.from_json(path.read_text())
        data["best_evaluation"] = {
            "trial": best[0].number, "evaluation_key": key, "evaluation": str(path),
            "table": [{"quantity": q, "value": v, "unit": u} for q, v, u in evaluation_table(ev)]}
    return data


def write_study_report(study: Any, out: Path, *, top: int = 5,
                       run_dir: Path | None = None) -> Path:
    """report.md with the best designs, Pareto front, history and the best design's figures;
    trials.csv and trials.json with every trial. Evaluations are read from
    ``run_dir/evaluations`` (default: ``out``)."""
    import matplotlib.pyplot as plt
    import optuna

    out.mkdir(parents=True, exist_ok=True)
    rows = _trial_rows(study)
    if rows:
        keys = list(dict.fromkeys(k for r in rows for k in r))
        with (out / "trials.csv").open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(rows)
    (out / "trials.json").write_text(json.dumps(rows, indent=1, default=str))
    names = _objective_names(study)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    lines = [f"# Study `{study.study_name}`", "",
             "Trials: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
             "", "Objectives: " + ", ".join(
                 f"{n} ({d.name.lower()})" for n, d in zip(names, study.directions,
                                                           strict=True)), ""]
    spec = study.user_attrs.get(SPEC_ATTR)
    if spec:
        s = json.loads(spec)
        lines += [f"Family `{s['base_design']['family']}`, varied: "
                  f"{', '.join(s['params'])}; emitter {s['emitter']['preset']} "
                  f"{s['emitter']['edge_nm']} nm at {s['emitter']['temperature_k']} K; "
                  f"feasible: {_on_resonance_text(s)}; sampler "
                  f"{s['sampler']}{_tuning_text(s)}; fidelity {s['settings']['fidelity']}.",
                  ""]
        lines += _feasibility_lines(study, s)
    best = _best_trials(study)
    if best:
        params = sorted(best[0].params)
        feasible = all(v <= 0 for v in best[0].user_attrs.get("constraint", [0.0]))
        rule = _on_resonance_text(json.loads(spec)) if spec else "the constraint"
        lines += ["## Best designs", ""]
        if not feasible:
            lines += [f"**No design is feasible yet** ({rule}); the table ranks all completed "
                      "designs. Run more trials (`--resume --n-trials N`), widen "
                      "`--tolerance-nm` or use `--on-resonance half-max`.", ""]
        lines += [
                  "| trial | " + " | ".join(f"{p}" for p in params)
                  + " | resonance (nm) | Q | Purcell | brightness (photons/s) | g2(0) | risk "
                  "| collection |",
                  "|---" * (len(params) + 8) + "|"]
        for t in best[:top]:
            a = t.user_attrs
            lines.append(
                f"| {t.number} | "
                + " | ".join(_fmt(trial_params(t)[p]) for p in params)
                + f" | {_fmt(a.get('resonance_nm'), 5)} | {_fmt(a.get('quality_factor'))} | "
                f"{_fmt(a.get('purcell'))} | {_fmt(a.get('brightness_cps'))} | "
                f"{_fmt(a.get('g2'))} | {_fmt(a.get('risk'))} | {_fmt(a.get('collection'))} |")
        lines += ["", "(lengths in µm)", ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        n_complete = counts.get("COMPLETE", 0)
        if n_complete >= 1:
            if len(study.directions) > 1:
                ax = optuna.visualization.matplotlib.plot_pareto_front(
                    study, target_names=names)
                ax.figure.savefig(out / "pareto.png", dpi=120, bbox_inches="tight")
                plt.close(ax.figure)
                lines += ["## Pareto front", "", "![Pareto front](pareto.png)", ""]
                for i, n in enumerate(names):
                    ax = optuna.visualization.matplotlib.plot_optimization_history(
                        study, target=lambda t, i=i: t.values[i], target_name=n)
                    ax.figure.savefig(out / f"history_{n}.png", dpi=120, bbox_inches="tight")
                    plt.close(ax.figure)
                    lines += [f"![history {n}](history_{n}.png)", ""]
            else:
                ax = optuna.visualization.matplotlib.plot_optimization_history(
                    study, target_name=names[0])
                ax.figure.savefig(out / "history.png", dpi=120, bbox_inches="tight")
                plt.close(ax.figure)
                lines += ["## Optimisation history", "", "![history](history.png)", ""]
    if best:
        key = best[0].user_attrs.get("evaluation_key")
        path = (run_dir or out) / "evaluations" / f"{key}.json"
        if key and path.exists():
            ev = Evaluation.from_json(path.read_text())
            write_evaluation_report(ev, out / "best")
            lines += [f"## Best design (trial {best[0].number})", "",
                      "| quantity | value | unit |", "|---|---|---|"]
            lines += [f"| {q} | {v} | {u} |" for q, v, u in evaluation_table(ev)]
            lines += ["", "![geometry](best/geometry.png)", "",
                      "![spectrum](best/spectrum.png)", ""]
            if (out / "best" / "field_map.png").exists():
                lines += ["![field map](best/field_map.png)", ""]
            if (out / "best" / "collection.png").exists():
                lines += ["![collection](best/collection.png)", ""]
            from optimize.anchors import best_design_anchor_lines

            lines += best_design_anchor_lines(ev)
    lines += promotion_lines(study)
    failed = [r for r in rows if r["state"] in ("FAIL", "PRUNED") and r["reason"]]
    if failed:
        lines += ["## Failed and pruned trials", "", "| trial | state | reason |",
                  "|---|---|---|"]
        lines += [f"| {r['number']} | {r['state']} | {str(r['reason'])[:200]} |"
                  for r in failed]
        lines.append("")
    lines += ["All trials: [trials.csv](trials.csv), [trials.json](trials.json).", ""]
    path = out / "report.md"
    path.write_text("\n".join(lines))
    return path
