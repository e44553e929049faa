"""Orientation-averaged Purcell factor (REFERENCES A1: ⟨cos²θ⟩ = 1/3; thermally mixed triplet
≈ (F_x + F_y + F_z)/3; a dipole degenerate in a plane averages two components).

The cavity carries per-axis couplings a_i (mode part seen by a dipole along x, y, z relative to
the tabulated one). The per-axis Purcell factors F_i are built independently as aligned dipoles
in Lorentzian cavities whose field factor is a_i times the original one.
"""

from __future__ import annotations

import pytest

from emitter import CavityResponse, preset_emitter, score
from emitter._constants import PURCELL_PREFACTOR
from emitter.cli import format_table

AXES = (1.0, 0.45, 0.1)
KW = {"quality_factor": 3000, "mode_volume_lambda_n3": 0.6, "refractive_index": 2.0,
      "background": 1.2}


def _setup(t: float = 77.0):
    e = preset_emitter("CsPbBr3", temperature_k=t).replace(spectral_diffusion_mev=0.0)
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, field_factor=0.8,
                                    axis_coupling=AXES, **KW)
    per_axis = [score(CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um,
                                                field_factor=0.8 * a, **KW), e).purcell_x
                for a in AXES]
    return e, cav, per_axis


def test_aligned_unchanged() -> None:
    """aligned = the tabulated dipole, whatever the other axes see; = background + closed form."""
    e, cav, per_axis = _setup()
    plain = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, field_factor=0.8,
                                      **KW)
    s, s0 = score(cav, e), score(plain, e)
    assert s.purcell_x == pytest.approx(s0.purcell_x, rel=1e-12)
    assert s.purcell_x == pytest.approx(per_axis[0], rel=1e-12)
    assert (s.orientation, s.orientation_factor) == ("aligned", 1.0)
    q_eff = 1 / (1 / 3000 + 1e-3 * e.homogeneous_linewidth_mev / e.exciton_energy_ev)
    assert s.purcell_x - 1.2 == pytest.approx(PURCELL_PREFACTOR * q_eff / 0.6 * 0.8, rel=1e-3)


@pytest.mark.parametrize("t", [4.0, 77.0, 295.0])
def test_averages_equal_analytic_averages(t: float) -> None:
    e, cav, (fx, fy, fz) = _setup(t)
    rnd = score(cav, e, orientation="random")
    assert rnd.purcell_x == pytest.approx((fx + fy + fz) / 3, rel=1e-9)
    assert rnd.orientation_factor == pytest.approx(sum(AXES) / 3, rel=1e-12)
    planar = score(cav, e, orientation="planar")
    assert planar.purcell_x == pytest.approx((fx + fy) / 2, rel=1e-9)
    w = e.triplet_weights
    trip = score(cav, e, orientation="triplet")
    assert trip.purcell_x == pytest.approx(w[0] * fx + w[1] * fy + w[2] * fz, rel=1e-9)
    if t == 295.0:  # thermally mixed triplet ≈ isotropic average (A1)
        assert trip.purcell_x == pytest.approx(rnd.purcell_x, rel=0.01)
    # the closed form follows the same average
    assert rnd.purcell_x_closed_form == pytest.approx(rnd.purcell_x, rel=1e-3)


def test_default_single_simulated_dipole_keeps_old_factors() -> None:
    """Only one simulated dipole (a = (1, 0, 0)): random 1/3, planar 1/2, triplet w_x."""
    e = preset_emitter("CsPbBr3", temperature_k=4)
    cav = CavityResponse.lorentzian(wavelength_um=e.exciton_wavelength_um, **KW)
    assert score(cav, e, orientation="random").orientation_factor == pytest.approx(1 / 3)
    assert score(cav, e, orientation="planar").orientation_factor == pytest.approx(1 / 2)
    assert score(cav, e, orientation="triplet").orientation_factor == pytest.approx(
        e.triplet_weights[0])


def test_orientation_in_summary_text() -> None:
    e, cav, _ = _setup()
    s = score(cav, e, orientation="planar")
    assert "planar" in format_table(s.to_dict())
    assert "planar" in s.summary()


def test_bad_axis_coupling() -> None:
    with pytest.raises(ValueError, match="axis_coupling"):
        CavityResponse.lorentzian(wavelength_um=0.5, axis_coupling=(1.0, -0.1, 0.0), **KW)
