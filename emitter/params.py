"""Perovskite-nanocrystal emitter parameters and presets (CsPbBr3, CsPbI3, FAPbBr3, mixed Br/I).

Every default cites its entry in ``/work/shared/REFERENCES.md`` (sections C1-C4, D4) with the
tag used there: **[V]** seen in a source, **[M]** from memory / unverified, **[C]** derived.
Anything tagged [M] or not pinned down by the literature (in particular all size and temperature
dependences) is called a *model assumption* and its plausible range is given.

Units: wavelengths in µm, energies/linewidths in meV (FWHM), rates in 1/ns (population decay
rates), cross-sections in cm², edge length in nm, temperature in K.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from cavities._validate import require_finite, require_nonnegative, require_positive
from emitter._constants import (
    HBAR2_OVER_2M0_EV_NM2,
    K_B_MEV_PER_K,
    energy_ev,
    rate_per_ns_to_mev,
    wavelength_um,
)

#: Names accepted by :func:`preset_emitter` (the mixed halide also as ``CsPbBr{3-3x}I{3x}``).
EMITTER_PRESETS: tuple[str, ...] = ("CsPbBr3", "CsPbI3", "FAPbBr3", "CsPbBr1.5I1.5")

T_COLD_K = 4.0
T_WARM_K = 295.0


@dataclass(frozen=True, kw_only=True)
class EmitterParams:
    """One perovskite nanocrystal as a three-level X/XX emitter with a bright triplet.

    Build it with :func:`preset_emitter`; every field can be overridden there.

    Args:
        name: label (preset name).
        edge_nm: cube edge length L (nm).
        temperature_k: temperature (K).
        exciton_wavelength_um: vacuum wavelength of the exciton (X) zero-phonon line.
        homogeneous_linewidth_mev: X FWHM from lifetime + pure dephasing, ħ(γ + γ*) (REFERENCES
            D conventions). Must be at least the lifetime limit ħ(k_r + k_nr).
        spectral_diffusion_mev: Gaussian FWHM of the slow wandering of the line (not Markovian
            dephasing; REFERENCES D2, D5.2).
        radiative_rate_x_per_ns: X radiative rate k_rX in the bare host (includes the NC
            local-field factor; REFERENCES D1 note).
        nonradiative_rate_x_per_ns: X non-radiative rate k_nrX (sets QY_X).
        biexciton_binding_mev: Δ_XX; positive means the XX photon is red-shifted from X.
        radiative_rate_xx_per_ns: XX radiative rate k_rXX.
        auger_rate_xx_per_ns: XX non-radiative Auger rate k_A (fixed by the cavity; REFERENCES D4).
        biexciton_linewidth_mev: FWHM of the XX→X line.
        absorption_cross_section_cm2: one-photon σ at the excitation wavelength (~400 nm).
        triplet_weights: populations of the three orthogonal bright-triplet dipoles (x, y, z of
            the NC frame; the cavity field is taken along x for ``orientation="triplet"``).
        triplet_splitting_mev: spacing of the bright-triplet sublevels (used for the weights).
    """

    name: str = "custom"
    edge_nm: float = 10.0
    temperature_k: float = T_WARM_K
    exciton_wavelength_um: float
    homogeneous_linewidth_mev: float
    spectral_diffusion_mev: float = 0.0
    radiative_rate_x_per_ns: float
    nonradiative_rate_x_per_ns: float
    biexciton_binding_mev: float
    radiative_rate_xx_per_ns: float
    auger_rate_xx_per_ns: float
    biexciton_linewidth_mev: float
    absorption_cross_section_cm2: float
    triplet_weights: tuple[float, float, float] = (1 / 3, 1 / 3, 1 / 3)
    triplet_splitting_mev: float = 0.5

    def __post_init__(self) -> None:
        require_positive(edge_nm=self.edge_nm, temperature_k=self.temperature_k,
                         exciton_wavelength_um=self.exciton_wavelength_um,
                         homogeneous_linewidth_mev=self.homogeneous_linewidth_mev,
                         radiative_rate_x_per_ns=self.radiative_rate_x_per_ns,
                         radiative_rate_xx_per_ns=self.radiative_rate_xx_per_ns,
                         biexciton_linewidth_mev=self.biexciton_linewidth_mev,
                         absorption_cross_section_cm2=self.absorption_cross_section_cm2)
        require_nonnegative(spectral_diffusion_mev=self.spectral_diffusion_mev,
                            nonradiative_rate_x_per_ns=self.nonradiative_rate_x_per_ns,
                            auger_rate_xx_per_ns=self.auger_rate_xx_per_ns,
                            triplet_splitting_mev=self.triplet_splitting_mev)
        require_finite(biexciton_binding_mev=self.biexciton_binding_mev)
        limit = rate_per_ns_to_mev(self.radiative_rate_x_per_ns + self.nonradiative_rate_x_per_ns)
        if self.homogeneous_linewidth_mev < limit * (1 - 1e-9):
            raise ValueError(
                "`homogeneous_linewidth_mev >= ħ(k_r + k_nr)` must hold (a line cannot be narrower "
                f"than its lifetime limit {limit:.4g} meV), but got "
                f"homogeneous_linewidth_mev={self.homogeneous_linewidth_mev!r}.")
        w = tuple(float(x) for x in self.triplet_weights)
        if len(w) != 3 or any(not (math.isfinite(x) and x >= 0) for x in w) or abs(sum(w) - 1) > 1e-6:
            raise ValueError("`triplet_weights` must be 3 non-negative numbers summing to 1, but got "
                             f"triplet_weights={self.triplet_weights!r}.")
        object.__setattr__(self, "triplet_weights", w)
        if self.exciton_energy_ev - self.biexciton_binding_mev * 1e-3 <= 0:
            raise ValueError("`biexciton_binding_mev < exciton energy` must hold, but got "
                             f"biexciton_binding_mev={self.biexciton_binding_mev!r}.")

    # -- derived quantities -------------------------------------------------------------------
    @property
    def exciton_energy_ev(self) -> float:
        return energy_ev(self.exciton_wavelength_um)

    @property
    def biexciton_energy_ev(self) -> float:
        """Energy of the XX→X photon, E_X − Δ_XX (REFERENCES C3, D4)."""
        return self.exciton_energy_ev - 1e-3 * self.biexciton_binding_mev

    @property
    def biexciton_wavelength_um(self) -> float:
        return wavelength_um(self.biexciton_energy_ev)

    @property
    def total_rate_x_per_ns(self) -> float:
        return self.radiative_rate_x_per_ns + self.nonradiative_rate_x_per_ns

    @property
    def total_rate_xx_per_ns(self) -> float:
        return self.radiative_rate_xx_per_ns + self.auger_rate_xx_per_ns

    @property
    def qy_x(self) -> float:
        """QY_X = k_rX / (k_rX + k_nrX)."""
        return self.radiative_rate_x_per_ns / self.total_rate_x_per_ns

    @property
    def qy_xx(self) -> float:
        """QY_XX = k_rXX / (k_rXX + k_A)."""
        return self.radiative_rate_xx_per_ns / self.total_rate_xx_per_ns

    @property
    def lifetime_x_ns(self) -> float:
        return 1.0 / self.total_rate_x_per_ns

    @property
    def pure_dephasing_rate_per_ns(self) -> float:
        """γ* = Γ_hom − (k_r + k_nr), with Γ_hom the homogeneous FWHM as a rate (REFERENCES D)."""
        from emitter._constants import mev_to_rate_per_ns

        return max(mev_to_rate_per_ns(self.homogeneous_linewidth_mev) - self.total_rate_x_per_ns,
                   0.0)

    def replace(self, **changes: Any) -> EmitterParams:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["triplet_weights"] = list(self.triplet_weights)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EmitterParams:
        d = dict(d)
        if "triplet_weights" in d:
            d["triplet_weights"] = tuple(d["triplet_weights"])
        return cls(**d)


# -- composition anchors ------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Composition:
    bulk_exciton_ev: float  # room temperature (T_WARM_K)
    binding_mev_at_12nm: float
    confinement_mass_m0: float


_COMPOSITIONS: dict[str, _Composition] = {
    # CsPbBr3 at RT: bulk-like emission ~520-525 nm (REFERENCES C1 [M]) -> 522.5 nm = 2.373 eV.
    # Confinement mass 0.24 m0: least-squares fit of E(L) below to the C1 points at 6 nm (495)
    # and 10 nm (512) only, with that E_bulk; the 4, 8, 12 nm and bulk-like C1 points are held
    # out and reproduced within 2 nm (tests/emitter_tests/test_sizing.py). It is an effective
    # mass of the weak-confinement form, below m_e + m_h ≈ 0.29 m0 (Protesescu 2015 [M]), not a
    # band mass: it absorbs intermediate confinement, non-parabolicity and finite barriers.
    # XX binding 10-20 meV red shift at 12 nm (arXiv 2002.07636 [V], REFERENCES C3) -> 15 meV.
    "CsPbBr3": _Composition(bulk_exciton_ev=2.373, binding_mev_at_12nm=15.0,
                            confinement_mass_m0=0.24),
    # Model assumption: bulk CsPbI3 exciton 1.75 eV and M = 0.3 m0 (gives ~693 nm at 10 nm, the
    # ~690 nm of Farrow et al., REFERENCES A1/B6). XX binding: mean ~0 (Lubin et al. [V], C3).
    "CsPbI3": _Composition(bulk_exciton_ev=1.75, binding_mev_at_12nm=0.0,
                           confinement_mass_m0=0.3),
    # Model assumption: FAPbBr3 bulk-like 2.28 eV, M = 0.3 m0 (~535 nm at 10 nm); no XX value in
    # the references, so CsPbBr3's 15 meV is used (range 0-40 meV, review "up to -40 meV").
    "FAPbBr3": _Composition(bulk_exciton_ev=2.28, binding_mev_at_12nm=15.0,
                            confinement_mass_m0=0.3),
}

# Default confinement mass M for E(L) = E_bulk + 3π²ħ²/(2 M L²) (REFERENCES C1 model option [M]).
CONFINEMENT_MASS_M0 = 0.3

GAP_TEMPERATURE_COEFF_MEV_PER_K = 0.35
"""dE_X/dT > 0: lead-halide perovskite NC gaps blue-shift linearly with rising temperature
(CsPbBr3 NCs, 80 K to ambient: Fasahat et al., arXiv 2409.06374 [V] abstract; CsPbBr3/CsPbI3 QDs,
30-290 K: Lee et al., J. Phys. Chem. C 2017, doi:10.1021/acs.jpcc.7b06301 [V] abstract). The
magnitude 0.35 meV/K is the middle of the ~0.3-0.4 meV/K literature range [M] (not in
REFERENCES; range 0.2-0.4). Applied to every composition (model assumption; CsPbCl3-rich
compositions have the opposite sign, arXiv 2411.13727 [V], and are not modelled)."""
GAP_LINEAR_MIN_K = 80.0
"""Below this temperature the gap shift is frozen (model assumption: the linear range measured by
Fasahat et al. starts at 80 K; electron-phonon renormalisation saturates at low T)."""


def exciton_temperature_shift_ev(temperature_k: float) -> float:
    """E_X(T) − E_X(295 K) = α·(max(T, 80 K) − 295 K), α = 0.35 meV/K (model; see constants).

    Example:
        >>> round(1e3 * exciton_temperature_shift_ev(4.0), 2)
        -75.25
    """
    require_positive(temperature_k=temperature_k)
    return 1e-3 * GAP_TEMPERATURE_COEFF_MEV_PER_K * (max(temperature_k, GAP_LINEAR_MIN_K)
                                                     - T_WARM_K)


def confined_exciton_energy_ev(*, bulk_exciton_ev: float, edge_nm: float,
                               mass_m0: float = CONFINEMENT_MASS_M0) -> float:
    """Weak-confinement exciton energy E(L) = E_bulk + 3π²ħ²/(2 M L²) (REFERENCES C1, [M]).

    Example:
        >>> round(confined_exciton_energy_ev(bulk_exciton_ev=2.373, edge_nm=10.0, mass_m0=0.24), 4)
        2.42
    """
    require_positive(bulk_exciton_ev=bulk_exciton_ev, edge_nm=edge_nm, mass_m0=mass_m0)
    return bulk_exciton_ev + 3 * math.pi**2 * HBAR2_OVER_2M0_EV_NM2 / (mass_m0 * edge_nm**2)


def _temperature_fraction(temperature_k: float) -> float:
    """0 at 4 K, 1 at 295 K, linear in between, clamped outside (model assumption)."""
    return min(max((temperature_k - T_COLD_K) / (T_WARM_K - T_COLD_K), 0.0), 1.0)


def _lin(cold: float, warm: float, f: float) -> float:
    return cold + (warm - cold) * f


def _geo(cold: float, warm: float, f: float) -> float:
    return math.exp(math.log(cold) + (math.log(warm) - math.log(cold)) * f)


# Room-temperature anchors (10 nm CsPbBr3 unless noted).
RT_LINEWIDTH_MEV = 100.0
"""Single-QD RT FWHM: 70-120 meV as made, 35-65 meV after surface treatment (Zhu et al.,
Nat. Commun. 13, 2587 (2022) [V], REFERENCES C1). 100 meV = as-made NCs (upper half of the range);
override for treated NCs. Size dependence: none (model assumption; the review notes smaller NCs are
often broader)."""
RT_RADIATIVE_RATE_PER_NS = 0.2
"""k_rX at RT: τ_X = 4 ns, QY_X = 0.8 (REFERENCES D4 worked example [C]; single-NC RT lifetimes
2-10 ns and QY 0.6-0.95 are [M], C2). Size: none (RT lifetime vs size is non-monotonic, Abbas et
al. 2025 [V]; model assumption, range 0.1-0.5 /ns)."""
RT_QY_X = 0.8
CRYO_RADIATIVE_LIFETIME_NS = 0.21
"""Cryogenic radiative lifetime 210 ps (Utzat et al., Science 363, 1068 (2019) [V], REFERENCES C2);
taken for L = 10 nm."""
CRYO_RATE_SIZE_EXPONENT = 0.9
"""Model assumption: k_r(4 K) ∝ (L/10 nm)^0.9, fitted to 210 ps (10 nm) and the 80 ps minimum of
30 nm QDs (Zhu et al., Nature 2024 [V], REFERENCES C2: lifetime falls with size, superradiance).
Range 0 (no scaling) to 3 (full coherence-volume scaling)."""
CRYO_QY_X = 0.9
"""Model assumption: QY_X at 4 K = 0.9 (range 0.6-1.0; C2 gives RT 0.6-0.95 [M])."""
CRYO_T2_PS = 80.0
"""T2 = 80 ps at cryogenic T (Utzat 2019 [V], REFERENCES C2) → homogeneous FWHM 2ħ/T2 = 16.5 µeV,
consistent with < 20 µeV for CsPbI3 (Lv et al. 2019 [V], C1)."""
CRYO_SPECTRAL_DIFFUSION_MEV = 0.3
"""Spectrally diffused 4-10 K lines of ~0.1-1 meV (REFERENCES C1 [M]); model assumption 0.3 meV."""
AUGER_LIFETIME_PS_AT_10NM = 30.0
"""τ_A = 30 ps at 10 nm (REFERENCES D4 example; 10-50 ps for 6-12 nm CsPbBr3, Makarov 2016 [M])."""
AUGER_VOLUME_EXPONENT = 1.0
"""τ_A ∝ V^1: linear volume scaling under strong confinement (Castañeda et al., ACS Nano 2016 [V],
REFERENCES C3). Model assumption beyond the ~7 nm Bohr diameter: the scaling is sublinear to
exponential there (eLight 2023 [V]); range 0.5-1 for L ≤ 15 nm, not valid for L > 20 nm."""
XX_RADIATIVE_RATIO = 4.0
"""k_rXX ≈ 4 k_rX, statistical scaling (REFERENCES C3/D4 [M]; measured ratios ~2-4)."""
SIGMA_CM2_AT_10NM = 5e-14
"""σ(400 nm) ~ 3-10 × 10⁻¹⁴ cm² for a 10 nm CsPbBr3 cube (REFERENCES C4 [M]); 5e-14 used. Scaling
σ ∝ L^2.9 (arXiv 2004.05093 [V], C4). Other compositions: same value, model assumption."""
BINDING_SIZE_EXPONENT = 1.0
"""Model assumption: Δ_XX ∝ (12 nm / L)^1 (Coulomb scaling); range 0-2."""
TRIPLET_SPLITTING_MEV = 0.5
"""Bright-triplet splitting ~0.1-1 meV at 4-10 K (REFERENCES C1 [M]); 0.5 meV used for the weights."""


def _triplet_weights(splitting_mev: float, temperature_k: float) -> tuple[float, float, float]:
    """Boltzmann populations of sublevels at (0, s, 2s) (model assumption; at RT ≈ 1/3 each, the
    thermally mixed triplet of REFERENCES A1; at 4 K each line has its own dipole [M reasoning])."""
    if splitting_mev == 0:
        return (1 / 3, 1 / 3, 1 / 3)
    b = [math.exp(-i * splitting_mev / (K_B_MEV_PER_K * temperature_k)) for i in range(3)]
    s = sum(b)
    return (b[0] / s, b[1] / s, b[2] / s)


_MIXED = re.compile(r"^CsPbBr(?P<br>[0-9.]+)I(?P<i>[0-9.]+)$")

_ALIASES = {"qy_x", "lifetime_x_ns", "auger_lifetime_ps"}


def _base(comp: _Composition, *, edge_nm: float, temperature_k: float) -> dict[str, Any]:
    f = _temperature_fraction(temperature_k)
    size = edge_nm / 10.0
    kr_cold = (1.0 / CRYO_RADIATIVE_LIFETIME_NS) * size**CRYO_RATE_SIZE_EXPONENT
    kr = _geo(kr_cold, RT_RADIATIVE_RATE_PER_NS, f)
    qy = _lin(CRYO_QY_X, RT_QY_X, f)
    knr = kr * (1.0 / qy - 1.0)
    lifetime_limit = rate_per_ns_to_mev(kr + knr)
    hom_cold = max(2 * 0.6582119569 / CRYO_T2_PS, lifetime_limit)
    hom = max(_lin(hom_cold, RT_LINEWIDTH_MEV, f), lifetime_limit)
    return dict(
        edge_nm=edge_nm, temperature_k=temperature_k,
        exciton_wavelength_um=wavelength_um(confined_exciton_energy_ev(
            bulk_exciton_ev=comp.bulk_exciton_ev, edge_nm=edge_nm,
            mass_m0=comp.confinement_mass_m0) + exciton_temperature_shift_ev(temperature_k)),
        homogeneous_linewidth_mev=hom,
        spectral_diffusion_mev=_lin(CRYO_SPECTRAL_DIFFUSION_MEV, 0.0, f),
        radiative_rate_x_per_ns=kr, nonradiative_rate_x_per_ns=knr,
        biexciton_binding_mev=comp.binding_mev_at_12nm * (12.0 / edge_nm) ** BINDING_SIZE_EXPONENT,
        auger_rate_xx_per_ns=1e3 / (AUGER_LIFETIME_PS_AT_10NM * size ** (3 * AUGER_VOLUME_EXPONENT)),
        absorption_cross_section_cm2=SIGMA_CM2_AT_10NM * size**2.9,
        triplet_splitting_mev=TRIPLET_SPLITTING_MEV,
    )


def _composition(name: str) -> tuple[str, _Composition]:
    if name in _COMPOSITIONS:
        return name, _COMPOSITIONS[name]
    m = _MIXED.match(name)
    if m and abs(float(m["br"]) + float(m["i"]) - 3.0) < 1e-6:
        return name, _mixed(float(m["i"]) / 3.0)
    raise ValueError(f"`name` must be one of {EMITTER_PRESETS} or 'CsPbBr{{3-3x}}I{{3x}}', "
                     f"but got name={name!r}.")


def _mixed(iodide_fraction: float) -> _Composition:
    """Linear (Vegard-like, no bowing) interpolation of the anchors (model assumption)."""
    if not 0.0 <= iodide_fraction <= 1.0:
        raise ValueError("`0 <= iodide_fraction <= 1` must hold, but got "
                         f"iodide_fraction={iodide_fraction!r}.")
    a, b = _COMPOSITIONS["CsPbBr3"], _COMPOSITIONS["CsPbI3"]
    x = iodide_fraction
    return _Composition(bulk_exciton_ev=_lin(a.bulk_exciton_ev, b.bulk_exciton_ev, x),
                        binding_mev_at_12nm=_lin(a.binding_mev_at_12nm, b.binding_mev_at_12nm, x),
                        confinement_mass_m0=_lin(a.confinement_mass_m0, b.confinement_mass_m0, x))


def preset_emitter(name: str, *, edge_nm: float = 10.0, temperature_k: float = T_WARM_K,
                   **overrides: Any) -> EmitterParams:
    """A perovskite nanocrystal of a given composition, edge length and temperature.

    Values are anchored at 4 K and 295 K (module constants, each with its source) and
    interpolated in between (linewidths linearly, rates geometrically: model assumption).
    Overrides replace any field; ``radiative_rate_xx_per_ns`` (= 4·k_rX) and
    ``biexciton_linewidth_mev`` (X FWHM + the extra lifetime width of XX) are derived *after*
    the overrides unless overridden themselves. Convenience overrides: ``qy_x`` and
    ``lifetime_x_ns`` (set k_rX, k_nrX), ``auger_lifetime_ps``.

    Args:
        name: ``"CsPbBr3"``, ``"CsPbI3"``, ``"FAPbBr3"`` or ``"CsPbBr{3-3x}I{3x}"`` (e.g.
            ``"CsPbBr1.5I1.5"``).
        edge_nm: cube edge (nm), 3-30.
        temperature_k: temperature (K); 4 K and 295 K are the anchors.

    Example:
        >>> e = preset_emitter("CsPbBr3")
        >>> round(e.exciton_wavelength_um * 1e3), round(e.qy_x, 2)
        (512, 0.8)
    """
    require_positive(edge_nm=edge_nm, temperature_k=temperature_k)
    if not 3.0 <= edge_nm <= 30.0:
        raise ValueError(f"`3 <= edge_nm <= 30` must hold (range of the size models), but got "
                         f"edge_nm={edge_nm!r}.")
    label, comp = _composition(name)
    d = _base(comp, edge_nm=edge_nm, temperature_k=temperature_k)
    d["name"] = label
    fields = {f.name: f for f in dataclasses.fields(EmitterParams)}
    unknown = sorted(set(overrides) - set(fields) - _ALIASES)
    if unknown:
        raise ValueError(f"unknown emitter override(s) {unknown}; valid names are "
                         f"{sorted(set(fields) | _ALIASES)}.")
    over = {k: (float(v) if isinstance(v, (str, int)) and k not in ("name", "triplet_weights")
                else v) for k, v in overrides.items()}
    if "qy_x" in over or "lifetime_x_ns" in over:
        qy = float(over.pop("qy_x", d["radiative_rate_x_per_ns"] / (
            d["radiative_rate_x_per_ns"] + d["nonradiative_rate_x_per_ns"])))
        tau = float(over.pop("lifetime_x_ns", 1.0 / (
            d["radiative_rate_x_per_ns"] + d["nonradiative_rate_x_per_ns"])))
        require_positive(qy_x=qy, lifetime_x_ns=tau)
        if qy > 1:
            raise ValueError(f"`qy_x <= 1` must hold, but got qy_x={qy!r}.")
        d["radiative_rate_x_per_ns"] = qy / tau
        d["nonradiative_rate_x_per_ns"] = (1 - qy) / tau
    if "auger_lifetime_ps" in over:
        tau_a = float(over.pop("auger_lifetime_ps"))
        require_positive(auger_lifetime_ps=tau_a)
        d["auger_rate_xx_per_ns"] = 1e3 / tau_a
    d.update(over)
    if "triplet_weights" not in over:
        d["triplet_weights"] = _triplet_weights(float(d["triplet_splitting_mev"]),
                                                float(d["temperature_k"]))
    d.setdefault("radiative_rate_xx_per_ns", XX_RADIATIVE_RATIO * d["radiative_rate_x_per_ns"])
    if "homogeneous_linewidth_mev" not in over:
        d["homogeneous_linewidth_mev"] = max(d["homogeneous_linewidth_mev"], rate_per_ns_to_mev(
            d["radiative_rate_x_per_ns"] + d["nonradiative_rate_x_per_ns"]))
    if "biexciton_linewidth_mev" not in d:
        extra = rate_per_ns_to_mev(d["radiative_rate_xx_per_ns"] + d["auger_rate_xx_per_ns"]
                                   - d["radiative_rate_x_per_ns"] - d["nonradiative_rate_x_per_ns"])
        d["biexciton_linewidth_mev"] = d["homogeneous_linewidth_mev"] + max(extra, 0.0)
    return EmitterParams(**d)


def mixed_halide_emitter(*, iodide_fraction: float, edge_nm: float = 10.0,
                         temperature_k: float = T_WARM_K, **overrides: Any) -> EmitterParams:
    """CsPbBr(3-3x)I(3x) with x = ``iodide_fraction`` (linear interpolation, model assumption)."""
    x = float(iodide_fraction)
    _mixed(x)
    name = f"CsPbBr{3 - 3 * x:g}I{3 * x:g}"
    if x == 0:
        name = "CsPbBr3"
    elif x == 1:
        name = "CsPbI3"
    return preset_emitter(name, edge_nm=edge_nm, temperature_k=temperature_k, **overrides)
