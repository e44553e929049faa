"""``sims.field_maps``: the stored ε|E|² map and point values of DFT fields (pure, no Meep)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sims.field_maps import field_map, interp_abs2_at
from sims.results import FIELD_MAP_MAX_PX


# -- field_map ---------------------------------------------------------------------------------
def test_field_map_downsamples_by_a_whole_stride_and_normalises_to_one(rng):
    """[v, h] = 100 × 400 samples: stride 1 along v, ceil(400/160) = 3 along h (134 columns).
    Values are the strided samples of |energy| / their max, rounded to 6 decimals: abs 5e-7."""
    h = np.linspace(-2.0, 2.0, 400)
    v = np.linspace(-0.5, 1.0, 100)
    energy = rng.uniform(0.1, 3.0, size=(100, 400)) * np.exp(1j * rng.uniform(0, 6, (100, 400)))
    eps = rng.uniform(1.0, 4.0, size=(100, 400)) + 0.1j
    fm = field_map("xz", h, v, energy, eps)
    assert fm.plane == "xz"
    assert fm.h_um == tuple(h[::3]) and fm.v_um == tuple(v)       # a = 1 µm: same numbers
    got = np.array(fm.energy)
    assert got.shape == (100, 134)
    want = np.abs(energy[:, ::3]) / np.abs(energy[:, ::3]).max()
    np.testing.assert_allclose(got, want, rtol=0, atol=5e-7)
    assert got.max() == 1.0
    np.testing.assert_allclose(np.array(fm.epsilon), eps.real[:, ::3], rtol=0, atol=5e-7)


@pytest.mark.parametrize(("n", "n_kept"), [(1, 1), (159, 159), (160, 160), (161, 81), (320, 160),
                                           (321, 107), (1000, 143), (5000, 157)])
def test_field_map_never_exceeds_the_maximum_size(n, n_kept):
    """n samples keep ceil(n / ceil(n / FIELD_MAP_MAX_PX)) <= FIELD_MAP_MAX_PX of them (exact)."""
    assert n_kept == math.ceil(n / math.ceil(n / FIELD_MAP_MAX_PX)) <= FIELD_MAP_MAX_PX
    axis = np.arange(n, dtype=float)
    fm = field_map("rz", axis, axis[:3], np.ones((3, n)), np.ones((3, n)))
    assert len(fm.h_um) == n_kept and all(len(row) == n_kept for row in fm.energy)
    fm = field_map("rz", axis[:3], axis, np.ones((n, 3)), np.ones((n, 3)))
    assert len(fm.v_um) == n_kept == len(fm.energy)


def test_field_map_of_a_zero_field_is_zero():
    fm = field_map("xy", np.arange(4.0), np.arange(3.0), np.zeros((3, 4)), np.ones((3, 4)))
    assert np.array(fm.energy).max() == 0.0


# -- interp_abs2_at ----------------------------------------------------------------------------
def _multilinear(coef: np.ndarray, *coords: np.ndarray) -> np.ndarray:
    """Σ c_S Π_{i in S} x_i over the subsets S of the axes: the functions multilinear
    interpolation reproduces exactly (here with complex coefficients)."""
    out = np.zeros(np.broadcast(*coords).shape, dtype=complex)
    for mask in range(2 ** len(coords)):
        term = np.full(out.shape, coef[mask], dtype=complex)
        for i, x in enumerate(coords):
            if mask >> i & 1:
                term = term * x
        out += term
    return out


@pytest.mark.parametrize("dims", [2, 3])
def test_interpolation_of_a_multilinear_complex_field_is_exact(dims, rng):
    """Uneven axes, complex multilinear field: |f(p)|² is exact to rounding (rel 1e-12) inside
    the grid and, by linear extrapolation of the edge cell, slightly outside it."""
    axes = [np.sort(rng.uniform(-1.0, 1.0, size=7 + i)) for i in range(dims)]
    coef = rng.normal(size=2**dims) + 1j * rng.normal(size=2**dims)
    grids = np.meshgrid(*axes, indexing="ij")
    field = _multilinear(coef, *grids)
    inside = [tuple(rng.uniform(a[0], a[-1]) for a in axes) for _ in range(20)]
    outside = [tuple(a[-1] + 0.01 for a in axes), tuple(a[0] - 0.01 for a in axes)]
    for point in inside + outside:
        want = abs(_multilinear(coef, *[np.array(c) for c in point])[()]) ** 2
        got = interp_abs2_at(field, axes, point)
        assert got == pytest.approx(want, rel=1e-12), f"{point=}"


def test_interpolation_is_of_the_complex_field_not_of_its_modulus():
    """f = x − 1/2 on x ∈ {0, 1} vanishes at x = 1/2; interpolating |f|² would give 1/4. A 2D
    map accepts the 3D emitter position (the z coordinate is ignored). Exact."""
    x, y = np.array([0.0, 1.0]), np.array([-1.0, 1.0])
    field = (x[:, None] - 0.5) * np.ones_like(y)[None, :] * (1 + 1j)
    assert interp_abs2_at(field, [x, y], (0.5, 0.3, 7.0)) == 0.0
    assert interp_abs2_at(field, [x, y], (0.25, 0.0, 0.0)) == pytest.approx(2 * 0.25**2,
                                                                          rel=1e-12)


def test_interpolation_with_a_single_sample_axis_takes_the_nearest_sample():
    x, y = np.linspace(0.0, 1.0, 5), np.array([0.2])
    field = (x + 1j)[:, None] * np.ones((5, 1))
    got = interp_abs2_at(field, [x, y], (0.3, 0.2))
    assert got == pytest.approx(abs(0.25 + 1j) ** 2, rel=1e-12)    # x = 0.25, not 0.3
