"""One entry point: a cavity response + an emitter → everything that matters for a PNC source.

:func:`score` combines :mod:`emitter.purcell` (exciton and biexciton enhancement),
:mod:`emitter.biexciton` (QY, g2(0), gating, filtering), :mod:`emitter.brightness` and
:mod:`emitter.coherence` (g, regime, β, indistinguishability) into a typed, JSON-safe
:class:`EmitterScore`. Pure Python + numpy/scipy; never imports Meep.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from cavities._validate import require_choice
from emitter._constants import HC_EV_UM, mev_to_rate_per_ns
from emitter.biexciton import (
    detected_photon_statistics,
    g2_zero,
    gate_count_fraction,
    quantum_yield,
)
from emitter.brightness import Excitation, cw_brightness_cps, pulsed_brightness_cps
from emitter.cavity import CavityResponse
from emitter.coherence import (
    averaged_over_diffusion,
    beta_closed_form,
    coupling_rate_per_ns,
    rate_per_ns_to_uev,
    regime,
)
from emitter.params import EmitterParams
from emitter.purcell import (
    ORIENTATIONS,
    line_average,
    orientation_factor,
    oriented,
    purcell_closed_form,
    purcell_overlap,
)

SCORE_SCHEMA = 1
WEAK_EXCITATION_MAX = 0.3  # ⟨N⟩ above which g2 = QY_XX/QY_X (weak excitation) is questionable


@dataclass(frozen=True, kw_only=True)
class EmitterScore:
    """What a cavity does to one nanocrystal (all rates relative to the bare host).

    Purcell factors are total-rate (``purcell_*``) or radiative-rate (``purcell_radiative_*``)
    enhancements averaged over the emitter line; ``purcell_x_closed_form`` is the background plus
    the A1 closed form for the Voigt line (None without Q and a 3D mode volume). ``orientation``
    and ``orientation_factor`` say which dipole model the Purcell factors are for (aligned,
    random, triplet, planar; :func:`emitter.purcell.orientation_factor`).
    ``g2_bare``/``g2_cavity`` are g2(0) = QY_XX/QY_X at weak pulsed excitation; ``g2_detected``
    is the photon-counting g2(0) at the actual ⟨N⟩ behind the gate and filter of the
    :class:`Excitation` (:func:`emitter.biexciton.detected_photon_statistics`).
    ``brightness_cps`` (pulsed) and ``brightness_cw_cps`` are X photons/s after the collection
    optics and ``setup_efficiency`` (= at the first lens for the default setup_efficiency = 1);
    ``brightness_detected_cps`` is all detected photons/s (X and XX lines) behind the gate and
    filter too; ``detected_fraction`` is the fraction of X photons kept by gate, filter and setup.
    Energies in µeV, lifetimes in ns.
    """

    emitter_name: str
    orientation: str
    orientation_factor: float
    exciton_wavelength_um: float
    biexciton_wavelength_um: float
    purcell_x: float
    purcell_x_closed_form: float | None
    purcell_radiative_x: float
    purcell_xx: float
    purcell_radiative_xx: float
    qy_x_bare: float
    qy_x_cavity: float
    qy_xx_bare: float
    qy_xx_cavity: float
    g2_bare: float
    g2_cavity: float
    biexciton_risk: float
    g2_detected: float
    detected_fraction: float
    collection_efficiency: float
    mean_excitons: float
    brightness_cps: float
    brightness_detected_cps: float
    brightness_cw_cps: float
    lifetime_bare_ns: float
    lifetime_cavity_ns: float
    g_ueV: float
    kappa_ueV: float | None
    emitter_linewidth_ueV: float
    regime: str
    beta: float
    beta_closed_form: float
    indistinguishability: float
    indistinguishability_bare: float
    warnings: tuple[str, ...] = ()
    schema_version: int = SCORE_SCHEMA

    def summary(self) -> str:
        """A few lines of text: the orientation model and the headline numbers."""
        closed = "" if self.purcell_x_closed_form is None else \
            f" (closed form {self.purcell_x_closed_form:.4g})"
        return "\n".join([
            (f"{self.emitter_name}: X {1e3 * self.exciton_wavelength_um:.1f} nm, "
             f"XX {1e3 * self.biexciton_wavelength_um:.1f} nm"),
            f"dipole orientation: {self.orientation} (factor {self.orientation_factor:.4g})",
            f"Purcell X {self.purcell_x:.4g}{closed}, XX {self.purcell_xx:.4g}",
            (f"g2(0) bare {self.g2_bare:.4g} → cavity {self.g2_cavity:.4g}, detected "
             f"{self.g2_detected:.4g}"),
            (f"brightness pulsed {self.brightness_cps:.4g} /s, CW {self.brightness_cw_cps:.4g} /s, "
             f"detected {self.brightness_detected_cps:.4g} /s"),
            f"regime {self.regime}, β {self.beta:.4g}, I {self.indistinguishability:.4g}",
        ])

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (no NaN/inf: non-finite numbers become None)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EmitterScore:
        if d.get("schema_version", SCORE_SCHEMA) != SCORE_SCHEMA:
            raise ValueError(f"score schema_version={d.get('schema_version')!r} is not supported "
                             f"(expects {SCORE_SCHEMA}).")
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        kw["warnings"] = tuple(kw.get("warnings", ()))
        for k, v in list(kw.items()):
            if v is None and k not in ("purcell_x_closed_form", "kappa_ueV"):
                kw[k] = math.nan
        return cls(**kw)

    @classmethod
    def from_json(cls, text: str) -> EmitterScore:
        return cls.from_dict(json.loads(text))


def _gauss_filter(center_um: float, fwhm_nm: float) -> Any:
    sigma = fwhm_nm * 1e-3 / (2 * math.sqrt(2 * math.log(2)))

    def t(lam: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * ((lam - center_um) / sigma) ** 2)
    return t


def score(response: CavityResponse, emitter: EmitterParams, *,
          excitation: Excitation | None = None, orientation: str = "aligned") -> EmitterScore:
    """Score a cavity response for one emitter (REFERENCES A1, C, D1-D4).

    Args:
        response: the cavity (simulated, ideal Lorentzian, flat or bare).
        emitter: the nanocrystal (see :func:`emitter.preset_emitter`).
        excitation: pump and post-selection (default :class:`Excitation`).
        orientation: ``"aligned"``, ``"random"``, ``"triplet"`` or ``"planar"`` (see
            :func:`emitter.purcell.orientation_factor`; averages use the response's
            ``axis_coupling``).
    """
    require_choice("orientation", orientation, ORIENTATIONS)
    exc = excitation or Excitation()
    warns: list[str] = list(response.warnings)
    o = orientation_factor(orientation, emitter, response.axis_coupling)
    e_x, e_xx = emitter.exciton_energy_ev, emitter.biexciton_energy_ev
    sd = emitter.spectral_diffusion_mev
    line_x = dict(center_ev=e_x, lorentz_fwhm_mev=emitter.homogeneous_linewidth_mev,
                  gauss_fwhm_mev=sd)
    line_xx = dict(center_ev=e_xx, lorentz_fwhm_mev=emitter.biexciton_linewidth_mev,
                   gauss_fwhm_mev=sd)

    lo, hi = response.window_um
    for label, lam in (("exciton", emitter.exciton_wavelength_um),
                       ("biexciton", emitter.biexciton_wavelength_um)):
        if not lo <= lam <= hi:
            warns.append(f"{label} line {1e3 * lam:.1f} nm is outside the simulated window "
                         f"{1e3 * lo:.1f}-{1e3 * hi:.1f} nm (spectrum clamped to its end values).")

    # -- Purcell factors (overlap) --------------------------------------------------------------
    f_x = purcell_overlap(response, orientation=o, **line_x)
    f_rad_x = purcell_overlap(response, orientation=o, radiative=True, **line_x)
    f_xx = purcell_overlap(response, orientation=o, **line_xx)
    f_rad_xx = purcell_overlap(response, orientation=o, radiative=True, **line_xx)

    # -- closed form (A1) -----------------------------------------------------------------------
    closed: float | None = None
    if response.model == "flat":
        closed = float(response.background)
    elif response.quality_factor is not None and response.mode_volume_lambda_n3 is not None:
        closed = response.background + purcell_closed_form(
            quality_factor=response.quality_factor,
            mode_volume_lambda_n3=response.mode_volume_lambda_n3,
            emitter_linewidth_mev=emitter.homogeneous_linewidth_mev, emitter_gauss_fwhm_mev=sd,
            emitter_energy_ev=e_x, cavity_energy_ev=HC_EV_UM / response.resonance_wavelength_um,
            field_factor=response.field_factor, orientation_factor=o)
        if response.model == "tabulated" and not 0.5 < closed / max(f_x, 1e-300) < 2:
            warns.append(f"closed-form Purcell {closed:.3g} and LDOS overlap {f_x:.3g} differ by "
                         "more than 2x (multimode, lossy/plasmonic or poorly resolved cavity; "
                         "trust the overlap, REFERENCES D5.4).")

    # -- quantum yields and g2 (D3, D4) ---------------------------------------------------------
    kr, knr = emitter.radiative_rate_x_per_ns, emitter.nonradiative_rate_x_per_ns
    krxx, ka = emitter.radiative_rate_xx_per_ns, emitter.auger_rate_xx_per_ns
    qy_x0, qy_xx0 = emitter.qy_x, emitter.qy_xx
    qy_x = quantum_yield(radiative_rate=kr, nonradiative_rate=knr, purcell_total=f_x,
                         purcell_radiative=f_rad_x)
    qy_xx = quantum_yield(radiative_rate=krxx, nonradiative_rate=ka, purcell_total=f_xx,
                          purcell_radiative=f_rad_xx)
    g2_0 = g2_zero(qy_xx=qy_xx0, qy_x=qy_x0)
    if qy_x > 0:
        g2_c = g2_zero(qy_xx=qy_xx, qy_x=qy_x)
    else:
        g2_c = math.inf
        warns.append("exciton fully quenched (QY_X = 0): g2 undefined.")
    gam_x = f_x * kr + knr  # 1/ns
    gam_xx = f_xx * krxx + ka
    kept = gate_count_fraction(gamma_x_total=gam_x, gate=exc.gate_ns)
    rad_weight = oriented(response, o, radiative=True)
    t_x = t_xx = 1.0
    if exc.filter_center_um is not None:
        filt = _gauss_filter(exc.filter_center_um, exc.filter_fwhm_nm)
        e_f = HC_EV_UM / exc.filter_center_um
        sig_e = e_f**2 / HC_EV_UM * exc.filter_fwhm_nm * 1e-3 / (2 * math.sqrt(2 * math.log(2)))
        f_grid = e_f + sig_e * np.linspace(-9, 9, 721)  # resolve the pass band on the grid
        t_x = line_average(filt, response=response, weight_at=rad_weight, extra_ev=f_grid,
                           **line_x)
        t_xx = line_average(filt, response=response, weight_at=rad_weight, extra_ev=f_grid,
                            **line_xx)
        if t_x <= 1e-12:
            warns.append("the spectral filter blocks the exciton line.")
        kept *= t_x
    if exc.gate_ns > 0 and gam_xx < 2 * gam_x:
        warns.append("time gating cannot purify here: Γ_XX < 2Γ_X (it raises g2).")

    # -- brightness (D3) ------------------------------------------------------------------------
    coll_line = coll_xx = None
    if response.collection_efficiency is not None:
        coll_line = line_average(response.collection_at, response=response,
                                 weight_at=rad_weight, **line_x)
        coll_xx = line_average(response.collection_at, response=response,
                               weight_at=rad_weight, **line_xx)
    if coll_line is None or coll_xx is None:
        coll_line = coll_xx = 1.0
        warns.append("no collection efficiency in the response: η_coll = 1 assumed "
                     "(brightness is an upper bound).")
    n_mean = exc.mean_excitons(emitter.absorption_cross_section_cm2)
    if n_mean > WEAK_EXCITATION_MAX:
        warns.append(f"⟨N⟩ = {n_mean:.2g} > {WEAK_EXCITATION_MAX}: g2_bare/g2_cavity = "
                     "QY_XX/QY_X are weak-excitation values (REFERENCES D4); g2_detected "
                     "includes ⟨N⟩.")
    bright = pulsed_brightness_cps(repetition_rate_hz=exc.repetition_rate_hz, mean_excitons=n_mean,
                                   qy_x=qy_x, collection_efficiency=coll_line,
                                   setup_efficiency=exc.setup_efficiency)
    if 5.0 / gam_x > 1e9 / exc.repetition_rate_hz:
        warns.append("the exciton does not decay fully between pulses (5τ > 1/f_rep).")
    bright_cw = cw_brightness_cps(intensity_w_per_cm2=exc.cw_intensity_w_per_cm2,
                                  photon_energy_j=exc.photon_energy_j,
                                  cross_section_cm2=emitter.absorption_cross_section_cm2,
                                  radiative_rate_per_s=f_rad_x * kr * 1e9,
                                  total_rate_per_s=gam_x * 1e9,
                                  collection_efficiency=coll_line,
                                  setup_efficiency=exc.setup_efficiency)

    # -- detected photons and g2 (photon counting of the XX→X cascade, D3/D4) -------------------
    counts = detected_photon_statistics(
        mean_excitons=n_mean, qy_x=qy_x, qy_xx=qy_xx, detection_x=coll_line * t_x,
        detection_xx=coll_xx * t_xx, gamma_x_total=gam_x, gamma_xx_total=gam_xx,
        gate=exc.gate_ns)
    g2_det = counts.g2 if math.isfinite(g2_c) else g2_c
    if math.isnan(g2_det):
        warns.append("no photons detected (zero fluence, or gate/filter remove everything): "
                     "g2_detected undefined.")
    bright_det = exc.repetition_rate_hz * counts.mean * exc.setup_efficiency

    # -- coherence (D1, D2) ---------------------------------------------------------------------
    gamma_star = emitter.pure_dephasing_rate_per_ns
    gam_em = emitter.total_rate_x_per_ns + gamma_star  # bare FWHM as a rate
    sd_rate = mev_to_rate_per_ns(sd)
    i_bare = emitter.total_rate_x_per_ns / gam_em
    g = 0.0
    kappa_ueV: float | None = None
    reg = "weak"
    if response.quality_factor is not None and response.resonance_wavelength_um is not None:
        lam_c = response.resonance_wavelength_um
        e_c = HC_EV_UM / lam_c
        kappa = mev_to_rate_per_ns(1e3 * e_c / response.quality_factor)
        kappa_ueV = rate_per_ns_to_uev(kappa)
        v_um3 = response.mode_volume_um3
        if v_um3 is None and response.mode_volume_lambda_n3 is not None:
            v_um3 = response.mode_volume_lambda_n3 * (lam_c / response.refractive_index) ** 3
        bg = response.background
        if v_um3 is not None:
            g = coupling_rate_per_ns(radiative_rate_per_ns=kr, wavelength_um=lam_c,
                                     refractive_index=response.refractive_index,
                                     mode_volume_um3=v_um3, field_factor=response.field_factor,
                                     orientation_factor=o)
        else:  # from the peak of the spectrum: F_p = 4g²/(κγ0) (D1)
            f_peak = float(response.total_at(lam_c)) - bg
            g = math.sqrt(max(o * f_peak, 0.0) * kappa * kr / 4)
        gamma = bg * kr + knr
        detuning = mev_to_rate_per_ns(1e3 * (e_x - e_c))
        reg = regime(g=g, kappa=kappa, gamma_emitter=gamma + gamma_star)
        coh = averaged_over_diffusion(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star,
                                      detuning=detuning, diffusion_fwhm=sd_rate)
        beta, indist = coh.beta, coh.indistinguishability
        beta_cf = beta_closed_form(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star,
                                   detuning=detuning)
        if reg == "strong":
            warns.append("strong coupling: Purcell factors, lifetimes and the QY/g2 model assume "
                         "weak coupling; use beta and indistinguishability (exact model).")
    else:  # no mode: Purcell-broadened free-space emission (bad-cavity form of D2 with R → 0)
        beta = beta_cf = 0.0
        gam_tot = gam_x
        indist = gam_tot / (gam_tot + gamma_star)

    # -- sanity: everything finite ---------------------------------------------------------------
    return EmitterScore(
        emitter_name=emitter.name, orientation=orientation, orientation_factor=o,
        exciton_wavelength_um=emitter.exciton_wavelength_um,
        biexciton_wavelength_um=emitter.biexciton_wavelength_um,
        purcell_x=f_x, purcell_x_closed_form=closed, purcell_radiative_x=f_rad_x,
        purcell_xx=f_xx, purcell_radiative_xx=f_rad_xx,
        qy_x_bare=qy_x0, qy_x_cavity=qy_x, qy_xx_bare=qy_xx0, qy_xx_cavity=qy_xx,
        g2_bare=g2_0, g2_cavity=g2_c, biexciton_risk=g2_c / g2_0 if g2_0 > 0 else 1.0,
        g2_detected=g2_det, detected_fraction=kept * exc.setup_efficiency,
        collection_efficiency=coll_line, mean_excitons=n_mean, brightness_cps=bright,
        brightness_detected_cps=bright_det,
        brightness_cw_cps=bright_cw,
        lifetime_bare_ns=emitter.lifetime_x_ns, lifetime_cavity_ns=1.0 / gam_x,
        g_ueV=rate_per_ns_to_uev(g), kappa_ueV=kappa_ueV,
        emitter_linewidth_ueV=rate_per_ns_to_uev(gam_em), regime=reg,
        beta=beta, beta_closed_form=beta_cf, indistinguishability=indist,
        indistinguishability_bare=i_bare, warnings=tuple(dict.fromkeys(warns)))
