"""Pure tests of the analysis: mode choice, mode volume, angular-spectrum collection."""

from __future__ import annotations

import numpy as np
import pytest

from sims import analysis
from sims.results import Mode


def _m(wl, q=1000.0, amp=1.0, err=1e-6):
    return Mode(wavelength_um=wl, quality_factor=q, amplitude_abs=amp, harminv_error=err)


def test_mode_selection_rule():
    window = (0.45, 0.60)
    modes = [_m(0.50), _m(0.53, amp=0.01), _m(0.55, q=-5), _m(0.52, err=0.5), _m(0.70),
             _m(0.56, q=50)]
    # 0.53 is too weak, 0.55 grows, 0.52 unreliable, 0.70 outside: 0.56 is nearest to 0.54
    assert analysis.select_mode(modes, target_um=0.54, window_um=window) == 5
    assert analysis.select_mode([_m(0.7)], target_um=0.54, window_um=window) is None


def test_mode_volume_of_a_standing_wave_box():
    # E = sin(πx/a) sin(πy/b) sin(πz/c) in a box: V = abc/8 (peak), exact by quadrature
    a, b, c, n = 1.0, 0.7, 0.5, 80
    x = (np.arange(n) + 0.5) * a / n
    y = (np.arange(n) + 0.5) * b / n
    z = (np.arange(n) + 0.5) * c / n
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    e2 = (np.sin(np.pi * X / a) * np.sin(np.pi * Y / b) * np.sin(np.pi * Z / c)) ** 2
    w = (a / n) * (b / n) * (c / n)
    v_peak, v_em, _ = analysis.mode_volume(eps=np.full(e2.shape, 4.0), e2=e2, weights=w,
                                           emitter_eps=4.0, emitter_e2=0.25)
    assert v_peak == pytest.approx(a * b * c / 8, rel=2e-3), "analytic abc/8"
    assert v_em == pytest.approx(4 * a * b * c / 8, rel=2e-3), "referred to |E|² = 1/4"


def _gaussian_beam(kx_frac: float, k0: float, n: int = 256, size: float = 20.0):
    x = (np.arange(n) - n / 2) * size / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    env = np.exp(-(X**2 + Y**2) / 3.0**2)
    ex = env * np.exp(1j * kx_frac * k0 * X)
    return ex, np.zeros_like(ex), np.zeros_like(ex), ex.copy(), size / n


def test_collection_cartesian_inside_and_outside_cone():
    k0 = 2 * np.pi / 0.5
    ex, ey, hx, hy, d = _gaussian_beam(0.3, k0)
    total = analysis.plane_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=d, dy=d)
    inside = analysis.collected_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=d, dy=d, k0=k0,
                                                na=0.6)
    outside = analysis.collected_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=d, dy=d, k0=k0,
                                                 na=0.1)
    assert inside == pytest.approx(total, rel=1e-6), "beam at sinθ = 0.3 is inside NA 0.6"
    assert abs(outside) < 1e-6 * total, "and outside NA 0.1"


@pytest.mark.parametrize("m", [-1, 0, 1])
def test_collection_cylindrical_equals_cartesian(m):
    """The Hankel-transform route equals the 2D FFT of the same exp(imφ) field (m = ±1 use the
    Bessel orders ±2 and 0 of ``sims.collection.bessel_j``, m = 0 the orders ±1)."""
    k0 = 2 * np.pi / 0.5
    w = 0.6
    dr = 0.01
    r = (np.arange(400) + 0.5) * dr

    def prof(rr):
        return (rr / w) * np.exp(-(rr**2) / w**2)

    er, ep = prof(r), 0.4j * prof(r)
    hr, hp = -0.3 * prof(r), prof(r)
    n, size = 200, 8.0
    x = (np.arange(n) - n / 2 + 0.5) * size / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    R, PHI = np.hypot(X, Y), np.arctan2(Y, X)
    ph = np.exp(1j * m * PHI)
    Er, Ep, Hr, Hp = prof(R) * ph, 0.4j * prof(R) * ph, -0.3 * prof(R) * ph, prof(R) * ph
    ex, ey = Er * np.cos(PHI) - Ep * np.sin(PHI), Er * np.sin(PHI) + Ep * np.cos(PHI)
    hx, hy = Hr * np.cos(PHI) - Hp * np.sin(PHI), Hr * np.sin(PHI) + Hp * np.cos(PHI)
    d = size / n
    tot_cart = analysis.plane_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=d, dy=d)
    tot_cyl = analysis.plane_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr)
    assert tot_cyl == pytest.approx(tot_cart, rel=1e-3)
    for na in (0.2, 0.5, 0.9):
        cart = analysis.collected_power_cartesian(ex=ex, ey=ey, hx=hx, hy=hy, dx=d, dy=d, k0=k0,
                                                  na=na, pad=8)
        cyl = analysis.collected_power_cylindrical(er=er, ep=ep, hr=hr, hp=hp, r=r, dr=dr, m=m,
                                                   k0=k0, na=na)
        assert cyl == pytest.approx(cart, rel=0.01), f"NA {na}, m {m}: {cyl} vs {cart}"



def test_negative_ldos_is_detected_but_dft_noise_is_not():
    """A passive structure has LDOS >= 0: a clearly negative normalised LDOS (here the −75…+24
    that an Ag film with Meep's Absorber gave) is reported; noise of a few per cent of the
    peak inside a band gap is not."""
    lam = tuple(np.linspace(0.55, 0.95, 5))
    assert analysis.negative_ldos(lam, [0.001, -0.004, 40.0, 0.002, -0.3]) is None
    msg = analysis.negative_ldos(lam, [-75.4, -41.3, -11.3, 6.9, 23.9])
    assert msg == "the normalised LDOS is negative (-75.4 at 550.0 nm; largest value 23.9)"
    assert analysis.negative_ldos(lam, [1.0, 0.9, -0.2, 0.9, 1.0]) is not None
