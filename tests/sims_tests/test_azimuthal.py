"""The azimuthal harmonics of an off-axis point dipole (sims.azimuthal) against a second method:
a discrete ring of point dipoles whose power is summed with the closed-form free-space Green's
function, Im G(R) (no Bessel functions, no plane waves); and the Structure rules for harmonics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cavities.library import get_material
from cavities.shapes import Layer
from cavities.structure import Structure
from sims.azimuthal import harmonic_weight, harmonics_needed


def _im_green(r: np.ndarray) -> np.ndarray:
    """Im G(R) of free space, k = 1, per pair: shape (..., 3, 3); Im G(0) = I/6π."""
    d = np.linalg.norm(r, axis=-1)
    safe = np.where(d > 0, d, 1.0)
    s, c = np.sin(safe), np.cos(safe)
    a = np.where(d > 0, s / safe + c / safe**2 - s / safe**3, 2.0 / 3.0)
    b = np.where(d > 0, -s / safe - 3 * c / safe**2 + 3 * s / safe**3, 0.0)
    rhat = r / safe[..., None]
    return (a[..., None, None] * np.eye(3) + b[..., None, None] * rhat[..., :, None]
            * rhat[..., None, :]) / (4 * math.pi)


def _ring_share(m: int, k_r0: float, orientation: str, n: int = 96) -> float:
    """Power of the ring e^{imφ} ê(φ)/n (points at k r0) over that of one point dipole, ±m
    counted twice: the share of harmonic pair ±m by direct dipole sums."""
    phi = 2 * math.pi * np.arange(n) / n
    pos = np.stack([k_r0 * np.cos(phi), k_r0 * np.sin(phi), 0 * phi], axis=-1)
    unit = {"x": np.stack([np.cos(phi), np.sin(phi), 0 * phi], -1),
            "y": np.stack([-np.sin(phi), np.cos(phi), 0 * phi], -1),
            "z": np.stack([0 * phi, 0 * phi, 1 + 0 * phi], -1)}[orientation]
    p = unit * (np.exp(1j * m * phi) / n)[:, None]
    g = _im_green(pos[:, None, :] - pos[None, :, :])
    power = np.real(np.einsum("ia,ijab,jb->", p.conj(), g, p))
    return (1.0 if m == 0 else 2.0) * power / (1 / (6 * math.pi))


@pytest.mark.parametrize("orientation", ["x", "y", "z"])
@pytest.mark.parametrize("k_r0", [0.3, 2.0, 6.0])
def test_harmonic_share_equals_a_ring_of_point_dipoles(orientation, k_r0):
    for m in range(6):
        ring = _ring_share(m, k_r0, orientation)
        w = float(harmonic_weight(m, k_r0, orientation)[0])
        assert w == pytest.approx(ring, rel=1e-6, abs=1e-12), (m, w, ring)


@pytest.mark.parametrize("orientation", ["x", "y", "z"])
def test_shares_add_up_to_the_point_dipole(orientation):
    x = np.array([0.0, 0.5, 3.0, 12.0])
    total = sum(harmonic_weight(m, x, orientation) for m in range(60))
    np.testing.assert_allclose(total, 1.0, rtol=1e-10)


def test_on_the_axis_only_the_coupled_harmonic_remains():
    assert harmonic_weight(0, 0.0, "z")[0] == pytest.approx(1.0, rel=1e-12)
    assert harmonic_weight(1, 0.0, "x")[0] == pytest.approx(1.0, rel=1e-12)
    assert harmonic_weight(1, 0.0, "z")[0] == 0.0
    assert harmonics_needed(0.0) == 1 and harmonics_needed(2.2) == 4


def test_bad_arguments_name_the_rule():
    with pytest.raises(ValueError, match="orientation"):
        harmonic_weight(0, 1.0, "r")
    with pytest.raises(ValueError, match="m >= 0|`m`"):
        harmonic_weight(-1, 1.0, "z")


def _cyl(**kw) -> Structure:
    args = dict(shapes=(Layer(material=get_material("SiO2", 0.52), z_min_um=-1e3,
                              z_max_um=-0.1),),
                cell_size_um=(1.0, 1.0, 1.0), dimensions="cylindrical",
                wavelength_min_um=0.5, wavelength_max_um=0.55)
    args.update(kw)
    return Structure(**args)


def test_structure_harmonic_rules():
    assert _cyl(emitter_position_um=(0.1, 0, 0)).is_off_axis_dipole
    assert not _cyl(emitter_position_um=(0.1, 0, 0), cylindrical_m=2).is_off_axis_dipole
    assert not _cyl().is_off_axis_dipole
    with pytest.raises(ValueError, match="couples to m = 0 only"):
        _cyl(dipole_orientation="z", cylindrical_m=1)
    with pytest.raises(ValueError, match="r0 >= 0"):
        _cyl(emitter_position_um=(-0.1, 0, 0))
    with pytest.raises(ValueError, match="r0 >= 0"):
        _cyl(emitter_position_um=(0.1, 0.1, 0))
    with pytest.raises(ValueError, match="integer >= 0"):
        _cyl(emitter_position_um=(0.1, 0, 0), cylindrical_m=-1)
    with pytest.raises(ValueError, match="cylindrical.* only"):
        Structure(cell_size_um=(1, 1, 1), wavelength_min_um=0.5, wavelength_max_um=0.55,
                  cylindrical_m=0)


def test_harmonic_is_serialised_only_when_set():
    """Structures without a harmonic keep their dict (and so their cache keys)."""
    assert "cylindrical_m" not in _cyl().to_dict()
    s = _cyl(emitter_position_um=(0.1, 0, 0), cylindrical_m=3)
    assert Structure.from_dict(s.to_dict()) == s
