"""CavityResponse.layered: the planar reference of an enhancement measured beside a device."""

from __future__ import annotations

import doctest

import pytest

import emitter.cavity
from emitter import CavityResponse, preset_emitter, score
from sims import layered
from sims.layered import Side
from sims.local_stack import LocalStack

AG_520 = complex(-8.5744, 0.7765)


def test_docstring_examples_hold():
    failed, attempted = doctest.testmod(emitter.cavity, verbose=False)
    assert attempted >= 2 and failed == 0


def test_tabulates_the_layered_rates_and_scores_them():
    """Each tabulated number is sims.layered's (validated there against A4 and the reflected
    dipole pattern); a dipole 10 nm above Ag is quenched: its exciton QY drops below the bare
    one and its lifetime shortens by the total rate."""
    stack = LocalStack(emitter_index=1.0, below=Side(distance_um=0.01,
                                                     half_space_permittivity=AG_520),
                       above=None)
    c = CavityResponse.layered(wavelengths_um=(0.50, 0.52, 0.54), stack=lambda lam: stack,
                               collection_na=0.65)
    ref = layered.layered_radiation(wavelength_um=0.52, emitter_index=1.0, below=stack.below,
                                    orientation="parallel", na=0.65)
    assert c.purcell_total[1] == pytest.approx(ref.total, rel=1e-12)
    assert c.purcell_radiative[1] == pytest.approx(ref.radiated, rel=1e-12)
    assert c.collection_efficiency[1] == pytest.approx(ref.radiated_up_in_na / ref.radiated,
                                                       rel=1e-12)
    assert CavityResponse.layered(wavelengths_um=(0.5, 0.54),
                                  stack=lambda lam: stack).collection_efficiency is None
    nc = preset_emitter("CsPbBr3", edge_nm=10, temperature_k=295)
    s, bare = score(c, nc), score(CavityResponse.bare(1.0), nc)
    assert s.qy_x_cavity < bare.qy_x_cavity
    assert s.lifetime_cavity_ns < bare.lifetime_cavity_ns
