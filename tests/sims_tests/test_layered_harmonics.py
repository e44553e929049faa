"""The layered-medium rate of one azimuthal harmonic (sims.layered_harmonics), the stack through
an emitter (sims.local_stack) and the planar reference built from it (sims.planar_reference),
against independent results (pure, no Meep)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cavities.registry import get_preset
from sims.azimuthal import harmonic_weight
from sims.layered import Side, layered_rate, mim_rate
from sims.layered_harmonics import layered_harmonic_rate, planar_tail
from sims.local_stack import local_stack
from sims.planar_reference import _exact_at, exact_planar_rate, planar_structure

AG = complex(-8.5744, 0.7765)  # Meep's Rakić Ag at 520 nm
KIND = {"z": "perpendicular", "x": "parallel", "y": "parallel"}


@pytest.mark.parametrize("orientation", ["z", "x", "y"])
@pytest.mark.parametrize("k_r0", [0.3, 2.0, 6.0])
def test_without_interfaces_each_harmonic_is_its_free_space_share(orientation, k_r0):
    """No interface (the half-space below is the emitter's own medium): the Sommerfeld
    integral weighted by the J_m', m J_m/x forms must give the shares of sims.azimuthal,
    derived with J_{m±1} and a cross term and checked there against a ring of 96 point
    dipoles. Measured agreement ~1e-14; tolerance 1e-9."""
    lam, n = 0.5, 1.3
    r0 = k_r0 * lam / (2 * math.pi * n)
    same = Side(distance_um=0.05, half_space_permittivity=n**2)
    for m in range(6):
        layered = layered_harmonic_rate(m, radius_um=r0, wavelength_um=lam, emitter_index=n,
                                        below=same, orientation=orientation)
        share = float(harmonic_weight(m, k_r0, orientation)[0])
        assert layered == pytest.approx(share, abs=1e-9)


@pytest.mark.parametrize("orientation", ["z", "x", "y"])
def test_harmonics_of_a_metal_gap_add_up_to_the_whole_rate(orientation):
    """A 20 nm air gap between Ag half-spaces, dipole mid-gap 12 nm from the axis: the
    harmonics' own sum (16 of them, the rest < 1e-7) equals mim_rate, measured within 1e-8
    relative, tolerance 1e-6; each one is positive; planar_tail is the complement."""
    kw = dict(wavelength_um=0.52, emitter_index=1.0,
              below=Side(distance_um=0.01, half_space_permittivity=AG),
              above=Side(distance_um=0.01, half_space_permittivity=AG))
    whole = mim_rate(gap_um=0.02, wavelength_um=0.52, permittivity_below=AG,
                     orientation=KIND[orientation])
    terms = [layered_harmonic_rate(m, radius_um=0.012, orientation=orientation, **kw)
             for m in range(16)]
    print(orientation, f"whole {whole:.8g}, 16 harmonics {sum(terms):.8g}, "
          f"first {[round(t, 3) for t in terms[:5]]}")
    assert all(t > 0 for t in terms[:10])
    assert sum(terms) == pytest.approx(whole, rel=1e-6)
    assert planar_tail(3, radius_um=0.012, orientation=orientation, **kw) == pytest.approx(
        whole - sum(terms[:3]), rel=1e-9)


def test_on_the_axis_limit():
    """r0 → 0: only m = 0 (z) or m = 1 (in-plane) remain, each the whole rate."""
    kw = dict(wavelength_um=0.52, emitter_index=1.0,
              below=Side(distance_um=0.01, half_space_permittivity=AG))
    for orientation, m_on in (("z", 0), ("x", 1), ("y", 1)):
        whole = layered_rate(orientation=KIND[orientation], **kw)
        rates = [layered_harmonic_rate(m, radius_um=1e-7, orientation=orientation, **kw)
                 for m in range(3)]
        assert rates[m_on] == pytest.approx(whole, rel=1e-6)
        assert sum(rates) - rates[m_on] == pytest.approx(0, abs=1e-6 * whole)


def test_local_stack_of_the_nanocube_screen():
    """akselrod_2014's screen: the emitter mid-gap (4 nm to each face) under the disk sees PMMA
    between a 50 nm Au film on glass and the 75 nm Ag disk under vacuum, at the distances and
    thicknesses of the preset's parameters."""
    design = get_preset("akselrod_2014")
    s = design.to_structure("screen")
    st = local_stack(s, 0.65)
    assert st is not None
    assert st.below.distance_um == pytest.approx(design.gap_um / 2)
    assert st.above.distance_um == pytest.approx(design.gap_um / 2)
    assert [t for _, t in st.below.films] == pytest.approx([design.film_thickness_um])
    assert [t for _, t in st.above.films] == pytest.approx([design.cube_edge_um])
    assert st.above.half_space_permittivity == 1
    assert st.emitter_index == pytest.approx(1.488, abs=2e-3)  # PMMA at 650 nm
    assert st.below.half_space_permittivity.real == pytest.approx(1.4565**2, rel=1e-3)


def test_no_local_stack_where_the_nearest_metal_is_not_a_face():
    """An emitter beside an Ag sphere (the nearest metal curved) and one in a dielectric
    structure (no metal) have no planar model."""
    from sims import metal_cases

    sphere = metal_cases.sphere("Ag", 0.03, 0.01, "z").structure
    assert local_stack(sphere, 0.52) is None
    assert planar_structure(sphere) is None
    bullseye = get_preset("bullseye_sin_520").to_structure("screen")
    assert local_stack(bullseye, 0.52) is None


def test_planar_structure_and_its_exact_rate():
    """The planar reference of the nanocube screen: Layers only, same cell and emitter; its
    exact rate interpolated from 25 wavelengths equals the directly computed one within 1e-3
    (measured 1e-4), and its m = 1 harmonic is the gap plasmon's share (largest term)."""
    s = get_preset("akselrod_2014").to_structure("screen")
    flat = planar_structure(s)
    assert flat is not None and all(sh.type == "layer" for sh in flat.shapes)
    assert flat.emitter_position_um == s.emitter_position_um
    assert flat.cell_size_um == s.cell_size_um
    lam = np.linspace(s.wavelength_min_um, s.wavelength_max_um, 101)
    whole = exact_planar_rate(s, lam)
    for w in (0.5371, 0.6523, 0.7702):
        direct = _exact_at(s, w, None)
        assert float(np.interp(w, lam, whole)) == pytest.approx(direct, rel=1e-3)
    harmonics = [_exact_at(s, 0.65, m) for m in range(4)]
    assert max(harmonics) == harmonics[1]
