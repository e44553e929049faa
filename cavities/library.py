"""Named optical materials for 450-700 nm, usable in Meep (stable fits only).

Every entry states its source and the window where it was checked against the refractive
indices of REFERENCES C5 (``tests/cavities_tests/test_library.py``). Lossless Sellmeier terms
``B λ²/(λ² − C)`` are exactly one lossless Lorentzian pole (σ = B, resonance hc/√C); metals use
Meep's Rakić Lorentz-Drude parameters (``meep.materials.Ag`` / ``Au``, converted to eV), never
``Ag_visible``, whose fit diverges, or fits of Johnson & Christy's measured data (``Ag_JC``,
``Au_JC``: less loss in the red, checked against the data). Add your own with
:func:`register_material`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import Any

from cavities.materials import HC_EV_UM, PEC, VACUUM, Material, Pole, constant_index


def _sellmeier_pole(b: float, c_um2: float) -> Pole:
    """One Sellmeier term B λ²/(λ² − C) (C in µm²) as a lossless Lorentzian pole."""
    return Pole(kind="lorentzian", frequency_ev=HC_EV_UM / math.sqrt(c_um2), gamma_ev=0.0,
                sigma=b)


def _rakic(plasma_ev: float, f0: float, gamma0_ev: float,
           terms: list[tuple[float, float, float]]) -> tuple[Pole, ...]:
    """Rakić et al., Appl. Opt. 37, 5271 (1998) Lorentz-Drude model in Meep's form.

    Meep writes the Drude term as a Lorentzian-normalised pole at a tiny frequency f_d with
    σ = f0 ω_p²/f_d²; the product σ f_d² = f0 ω_p² is what matters, so a Drude pole with
    frequency ω_p √f0 and σ = 1 is the same susceptibility: −f0 ω_p²/(ω² + iωγ).
    """
    poles = [Pole(kind="drude", frequency_ev=plasma_ev * math.sqrt(f0), gamma_ev=gamma0_ev,
                  sigma=1.0)]
    for fj, wj, gj in terms:
        poles.append(Pole(kind="lorentzian", frequency_ev=wj, gamma_ev=gj,
                          sigma=fj * plasma_ev**2 / wj**2))
    return tuple(poles)


_BUILTIN: dict[str, Material] = {}


def _add(m: Material) -> None:
    _BUILTIN[m.name] = m


_add(VACUUM)
_add(Material(name="air", epsilon_inf=1.0, valid_range_um=(0.01, 1000.0), source="n = 1"))
_add(PEC)
_add(Material(
    name="SiO2", epsilon_inf=1.0,
    poles=(_sellmeier_pole(0.6961663, 0.0684043**2), _sellmeier_pole(0.4079426, 0.1162414**2),
           _sellmeier_pole(0.8974794, 9.896161**2)),
    valid_range_um=(0.21, 3.71),
    source="fused silica, Malitson, JOSA 55, 1205 (1965) Sellmeier (n = 1.4613 at 520 nm)"))
_add(Material(
    name="Si3N4", epsilon_inf=1.0, poles=(_sellmeier_pole(3.01812, 0.1353406**2),),
    valid_range_um=(0.42, 0.75),
    source="Luke et al., Opt. Lett. 40, 4823 (2015) (= Meep Si3N4_NIR) without its far-IR "
           "term (a pole at 1240 µm with σ = 4e4 that diverges in coarse Meep runs and shifts "
           "n by < 0.002 here), B refitted so that n = 2.0585 at 520 nm (REFERENCES C5); "
           "within 0.0015 of Luke's formula over 450-700 nm"))
_add(Material(
    name="PMMA", epsilon_inf=1.0, poles=(_sellmeier_pole(1.1819, 0.011313),),
    valid_range_um=(0.437, 1.052),
    source="Sultanova et al., Acta Phys. Pol. A 116, 585 (2009) (REFERENCES C5)"))
_add(Material(
    name="polystyrene", epsilon_inf=1.0, poles=(_sellmeier_pole(1.4435, 0.020216),),
    valid_range_um=(0.437, 1.052),
    source="Sultanova et al., Acta Phys. Pol. A 116, 585 (2009) (REFERENCES C5)"))
_add(Material(
    name="TiO2", epsilon_inf=1.0, poles=(_sellmeier_pole(4.37085, 0.0364392),),
    valid_range_um=(0.45, 0.75),
    source="one-term Sellmeier through n = 2.46 at 520 nm (ALD TiO2, Siefke et al., Adv. Opt. "
           "Mater. 4, 1780 (2016); REFERENCES C5) and n = 2.41 at 633 nm (model assumption for "
           "the dispersion slope, typical of ALD/sputtered anatase); k ~ 2e-7 neglected"))
_add(Material(
    name="GaP", epsilon_inf=1.0, poles=(_sellmeier_pole(7.85687, 0.0844846),),
    valid_range_um=(0.48, 0.75),
    source="one-term Sellmeier through Re n = 3.535 at 516.6 nm (Aspnes & Studna, PRB 27, 985 "
           "(1983); REFERENCES C5) and n = 3.31 at 633 nm (model assumption, handbook value); "
           "the weak absorption (k = 0.004 at 517 nm; indirect gap 549 nm) is neglected"))
_add(constant_index(
    "Si", complex(4.215, 0.060), at_wavelength_um=0.5166,
    source="crystalline Si at 516.6 nm, Aspnes & Studna 1983 (REFERENCES C5): constant "
           "n + ik with a conductivity loss exact at 516.6 nm; use only near 520 nm"))
_add(constant_index(
    "CsPbBr3", 2.3,
    source="model: CsPbBr3 n ≈ 2.2-2.4 near its 520 nm band edge (Yan et al., Opt. Express "
           "28, 15706 (2020), REFERENCES C5); absorption above the gap not modelled"))
_add(Material(
    name="Ag", epsilon_inf=1.0,
    poles=_rakic(9.01, 0.845, 0.048, [(0.065, 0.816, 3.886), (0.124, 4.481, 0.452),
                                      (0.011, 8.185, 0.065), (0.840, 9.083, 0.916),
                                      (5.646, 20.29, 2.419)]),
    valid_range_um=(0.248, 12.4),
    source="Rakić et al., Appl. Opt. 37, 5271 (1998) Lorentz-Drude (= Meep materials.Ag)"))
_add(Material(
    name="Au", epsilon_inf=1.0,
    poles=_rakic(9.03, 0.760, 0.053, [(0.024, 0.415, 0.241), (0.010, 0.830, 0.345),
                                      (0.071, 2.969, 0.870), (0.601, 4.304, 2.494),
                                      (4.384, 13.32, 2.214)]),
    valid_range_um=(0.248, 6.2),
    source="Rakić et al., Appl. Opt. 37, 5271 (1998) Lorentz-Drude (= Meep materials.Au)"))
_add(Material(
    name="Ag_JC", epsilon_inf=3.88045,
    poles=(Pole(kind="drude", frequency_ev=9.18321, gamma_ev=0.0247044, sigma=1.0),),
    valid_range_um=(0.45, 1.0),
    source="Johnson & Christy, PRB 6, 4370 (1972) (refractiveindex.info main/Ag/Johnson): a "
           "Drude pole over ε∞ fitted to n, k over 0.45-1.0 µm with "
           "cavities.measured_materials.fit_lorentz_drude (max |Δn|, |Δk| = 0.035, 0.04; Re ε "
           "within 3 %). Its loss is the data's only on average: Im ε is 0.4-0.7× the data's "
           "below 700 nm and 1.3-1.9× above 750 nm (a Drude term's λ³ against the data's flat "
           "0.3-0.5), and 0.24-0.3× Rakić's (Ag) in 600-750 nm. Fits that follow the data's "
           "Im ε within 25 % (a broad Lorentz pole; Drude damping 0.011 eV) diverged in Meep; "
           "this one too as a Layer through the cylindrical PML in long runs: use it for finite "
           "shapes (README, \"The metals' data set\")"))
_add(Material(
    name="Au_JC", epsilon_inf=4.98095,
    poles=(Pole(kind="drude", frequency_ev=8.69392, gamma_ev=0.05882, sigma=1.0),
           Pole(kind="lorentzian", frequency_ev=2.84093, gamma_ev=0.53123, sigma=1.67363)),
    valid_range_um=(0.48, 1.0),
    source="Johnson & Christy, PRB 6, 4370 (1972) (refractiveindex.info main/Au/Johnson), "
           "Drude + 1 Lorentz pole fitted over 0.48-1.0 µm with "
           "cavities.measured_materials.fit_lorentz_drude: max |Δn|, |Δk| = 0.036, 0.014. "
           "Im ε is 0.65-0.7× Rakić's (Au) in 600-750 nm, within 25 % of the data's"))

_USER: dict[str, Material] = {}


def register_material(material: Material, *, overwrite: bool = False) -> None:
    """Make a user material available by name (to families and JSON designs)."""
    if not overwrite and (material.name in _BUILTIN or material.name in _USER):
        raise ValueError(f"a material named {material.name!r} exists; pass overwrite=True to "
                         "replace it.")
    _USER[material.name] = material


def user_materials_in(data: Any) -> dict[str, Material]:
    """The registered (user) materials that a design's ``to_dict()`` names, name -> Material.

    A design refers to materials by name only; the definition behind a user name can differ
    between processes (two fits called "SiN_pecvd"), so whatever keys or ships a design
    (evaluation cache keys, a study's workers) must carry these definitions with it.
    """
    found: dict[str, Material] = {}

    def walk(v: Any) -> None:
        if isinstance(v, str):
            if v in _USER:
                found[v] = _USER[v]
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(data)
    return dict(sorted(found.items()))


def registered_names() -> list[str]:
    """Names of the materials added with :func:`register_material` (this process only)."""
    return sorted(_USER)


def require_material(name: str, value: str, builtin: Sequence[str]) -> None:
    """Check a family's material field: one of its built-in choices or a registered material.

    The built-in choices are the materials the family was designed and tested with; a material
    added with :func:`register_material` (e.g. a fit of measured n, k data from
    :mod:`cavities.measured_materials`) is accepted in any material field, on the user's
    judgement that it suits that role.
    """
    if value in builtin or value in _USER:
        return
    raise ValueError(
        f"`{name}` must be one of {tuple(builtin)} or a material registered with "
        f"cavities.library.register_material() (registered now: {sorted(_USER)}), but got "
        f"{name}={value!r}.")


def material_names() -> list[str]:
    return sorted({**_BUILTIN, **_USER})


def get_material(name: str, at_wavelength_um: float | None = None) -> Material:
    """The material called ``name`` (user-registered first, then built-in).

    With ``at_wavelength_um``, a lossless dispersive dielectric (Sellmeier poles only) is
    returned as a constant index equal to Re n there (same name). Use it for media that run
    into the PML, substrates and claddings: Lorentzian poles inside a PML can grow slowly and
    make long runs diverge (measured here: a glass substrate under a gold film diverged after
    ~390 fs at any Courant factor), and over a ±50 nm window the index of glass or polymers
    changes by < 0.5 %. Metals and absorbing materials are returned unchanged.
    """
    material = _lookup(name)
    if at_wavelength_um is None or not material.poles:
        return material
    if any(p.kind == "drude" or p.gamma_ev > 0 for p in material.poles) or \
            material.epsilon_imag:
        return material
    n = material.index(at_wavelength_um).real
    return constant_index(material.name, n,
                          source=f"{material.source}; constant n = {n:.4f} at "
                                 f"{1e3 * at_wavelength_um:.0f} nm")


def _lookup(name: str) -> Material:
    if name in _USER:
        return _USER[name]
    if name in _BUILTIN:
        return _BUILTIN[name]
    close = difflib.get_close_matches(name, material_names(), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"unknown material {name!r}; known: {material_names()}.{hint}")
