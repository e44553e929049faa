"""``sims.mode_volume.mode_volume`` on sampled analytic fields against closed forms (no Meep).

The reference field is a Gaussian |E|² = exp(−|r − r_c|²/w²), whose integral over all space is
π^{3/2} w³. (``test_analysis.py`` checks a standing wave in a box through the re-export.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from sims import analysis
from sims.mode_volume import mode_volume

W_UM = 0.3
V_GAUSS = math.pi**1.5 * W_UM**3


def test_gaussian_in_a_homogeneous_medium_is_exact():
    """A node at the centre, spacing h = w/4, cube ±6w. The lattice sum of a Gaussian equals its
    integral up to 2 exp(−π² w²/h²) ≈ 1e-69 per axis (Poisson summation) plus the cut tails
    erfc(6) ≈ 2e-17, so V = π^{3/2} w³ holds to rounding: rel 1e-12."""
    h = W_UM / 4
    x = np.arange(-24, 25) * h
    xx, yy, zz = np.meshgrid(x, x, x, indexing="ij")
    e2 = 7.0 * np.exp(-(xx**2 + yy**2 + zz**2) / W_UM**2)   # any normalisation
    eps = np.full(e2.shape, 2.25)
    r_em = (0.1, -0.05, 0.2)                                  # emitter off the peak
    e2_em = 7.0 * math.exp(-sum(c**2 for c in r_em) / W_UM**2)
    v_peak, v_em, i_peak = mode_volume(eps=eps, e2=e2, weights=h**3, emitter_eps=2.25,
                                       emitter_e2=e2_em)
    assert v_peak == pytest.approx(V_GAUSS, rel=1e-12), f"{v_peak=}, {V_GAUSS=}"
    # V_e = V · (peak / emitter energy density) = V exp(r_em²/w²)
    assert v_em == pytest.approx(V_GAUSS * 7.0 / e2_em, rel=1e-12), f"{v_em=}"
    assert np.unravel_index(i_peak, e2.shape) == (24, 24, 24)
    assert analysis.mode_volume is mode_volume                # the re-export


@pytest.mark.parametrize(("eps_below", "eps_above"), [(1.0, 4.0), (4.0, 12.0), (-10.0, 4.0)])
def test_gaussian_across_an_interface(eps_below, eps_above):
    """ε = eps_below for z < 0 and eps_above for z > 0, the Gaussian centred at z = c ≈ w in the
    upper medium; a negative eps_below (a metal) is left out of the energy integral.

    Closed form: ∫ ε|E|² dV = π w² · (√π w / 2) [max(ε₋, 0) erfc(c/w) + ε₊ erfc(−c/w)], and the
    peak of ε|E|² is ε₊ at the centre, so V = that / ε₊.

    Grid: cell centres with spacing h = w/8, the interface on a cell face (every sample has one
    ε), ±5w in x, y (exact, as above), z from −6w. The midpoint rule on each half-line leaves
    the Euler–Maclaurin endpoint term (ε₊ − ε₋) h²/24 · g'(0) · π w² (g(z) = exp(−(z − c)²/w²)),
    2.0e-4 of V for (1, 4): rel 1e-3 (5×). With that term added the agreement is rel 1e-6
    (the next term is O(h⁴)), which shows the residual is understood, not a bug.
    """
    h = W_UM / 8
    c = 8.5 * h                                               # a cell centre, ~ one waist up
    x = np.arange(-40, 41) * h
    z = (np.arange(-48, 49) + 0.5) * h
    xx, yy, zz = np.meshgrid(x, x, z, indexing="ij")
    e2 = np.exp(-(xx**2 + yy**2 + (zz - c) ** 2) / W_UM**2)
    eps = np.where(zz > 0, eps_above, eps_below)
    v_peak, v_em, i_peak = mode_volume(eps=eps, e2=e2, weights=h**3, emitter_eps=eps_above,
                                       emitter_e2=1.0)
    energy = (math.pi * W_UM**2 * math.sqrt(math.pi) * W_UM / 2
              * (max(eps_below, 0.0) * special.erfc(c / W_UM)
                 + eps_above * special.erfc(-c / W_UM)))
    want = energy / eps_above
    assert v_peak == pytest.approx(want, rel=1e-3), f"{eps_below=}, {eps_above=}: {v_peak=}"
    assert v_em == pytest.approx(v_peak, rel=1e-12), "emitter at the peak"
    assert zz.flat[i_peak] == pytest.approx(c, abs=1e-12) and xx.flat[i_peak] == 0
    g_prime_0 = 2 * c / W_UM**2 * math.exp(-(c**2) / W_UM**2)
    endpoint = (eps_above - max(eps_below, 0.0)) * h**2 / 24 * g_prime_0 * math.pi * W_UM**2
    assert v_peak == pytest.approx((energy + endpoint) / eps_above, rel=1e-6)


def test_cylindrical_weights_of_the_backend():
    """The Meep backend integrates an r-z map with weights 2π r Δr Δz at r = (i + 1/2) Δr. For the
    Gaussian (m = 0) that is the midpoint rule on f(r) = r exp(−r²/w²), whose endpoint term
    makes the sum larger by Δr²/(12 w²) (2.1e-4 at Δr = w/20; z is exact): rel 1e-3 for V_e
    referred to the true peak. V_peak uses the largest sample, at r = Δr/2, z = ±Δz/2, so it is
    larger by exp((Δr² + Δz²)/(4 w²)) on top."""
    d = W_UM / 20
    r = (np.arange(120) + 0.5) * d
    z = (np.arange(240) - 120 + 0.5) * d
    e2 = np.exp(-(r[None, :] ** 2 + z[:, None] ** 2) / W_UM**2)
    weights = 2 * math.pi * r[None, :] * d**2
    v_peak, v_em, _ = mode_volume(eps=np.ones(e2.shape), e2=e2, weights=weights, emitter_eps=1.0,
                                  emitter_e2=1.0)
    assert v_em == pytest.approx(V_GAUSS, rel=1e-3), f"{v_em=}, {V_GAUSS=}"
    assert v_peak == pytest.approx(V_GAUSS * math.exp(2 * (d / 2) ** 2 / W_UM**2), rel=1e-3)


def test_undefined_and_infinite_volumes():
    e2 = np.ones(5)
    with pytest.raises(ValueError, match="field energy is zero"):
        mode_volume(eps=np.ones(5), e2=np.zeros(5), weights=1.0, emitter_eps=1.0, emitter_e2=1.0)
    with pytest.raises(ValueError, match="field energy is zero"):      # all metal
        mode_volume(eps=-np.ones(5), e2=e2, weights=1.0, emitter_eps=1.0, emitter_e2=1.0)
    v_peak, v_em, _ = mode_volume(eps=np.ones(5), e2=e2, weights=0.5, emitter_eps=1.0,
                                  emitter_e2=0.0)
    assert v_peak == 2.5 and v_em == math.inf
