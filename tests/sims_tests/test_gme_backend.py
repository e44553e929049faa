"""The GME backend against legume's own code and against independent quadrature, and the GME
screen end to end on a small supercell (a few seconds each on one core)."""

from __future__ import annotations

import builtins
import json
import math

import numpy as np
import pytest

from cavities.families.photonic_crystal import L3Cavity
from sims import gme_modes

legume = pytest.importorskip("legume", reason="needs legume-gme (pip install -e '.[gme]')")

from sims import _gme_backend as gb  # noqa: E402
from sims.gme import GmeConfig, simulate_gme  # noqa: E402

A = 0.42


def _small_l3(**kw) -> L3Cavity:
    """Akahane's L3 cross-section (Si n = 3.4, r = 0.29a, t = 0.6a) in a 12 × 8-row supercell."""
    args = dict(lattice_um=A, hole_radius_um=0.29 * A, slab_thickness_um=0.6 * A,
                slab_material="Si", slab_index=3.4, end_hole_shift_um=0.0,
                target_wavelength_um=1.57, window_um=0.3, n_periods_x=6, n_periods_y=4)
    args.update(kw)
    return L3Cavity(**args)


def _crystal():
    m = _small_l3(end_hole_shift_um=0.1 * A).gme_model()
    return m, gb.build_crystal(legume, m.supercell, m.lattice_um)


def test_fast_setup_gives_legumes_own_modes_and_losses():
    """The replaced Fourier-matrix set-up and Cholesky inverse change nothing: frequencies
    and radiative rates equal legume 1.0.3's own to 1e-12 (k off Γ, y-mirror parity)."""
    _, phc = _crystal()
    out = []
    for cls in (legume.GuidedModeExp, gb._fast_gme_class(legume)):
        g = cls(phc, gmax=1.5 + 1e-9)
        g.run(kpoints=np.array([[0.2], [0.0]]), angles=np.array([0.0]), kz_symmetry="odd",
              gmode_inds=[0], numeig=6, eig_sigma=0.27, compute_im=False, verbose=False,
              use_sparse=True)
        f_im, _, _ = g.compute_rad(0, list(range(6)))
        out.append((np.asarray(g.freqs[0]), np.asarray(f_im)))
    print(f"max |Δf| = {np.max(np.abs(out[0][0] - out[1][0])):.1e}, max |Δ Im f| / Im f = "
          f"{np.max(np.abs(out[0][1] / out[1][1] - 1)):.1e} (tolerance 1e-12, 1e-9)")
    assert np.allclose(out[0][0], out[1][0], rtol=0, atol=1e-12)
    assert np.allclose(out[0][1], out[1][1], rtol=1e-9, atol=0)


def test_eigen_window_returns_the_full_solvers_eigenvalues_in_the_window():
    _, phc = _crystal()
    fast = gb._fast_gme_class(legume)
    g = fast(phc, gmax=1.5 + 1e-9)
    g.run(kpoints=np.array([[0.0], [0.0]]), numeig=60, eig_sigma=0.27, gmode_inds=[0],
          compute_im=False, verbose=False)
    full = np.asarray(g.freqs[0])
    lo, hi = 0.255, 0.30
    g2 = fast(phc, gmax=1.5 + 1e-9)
    with gb.eigen_window(legume, lo, hi):
        g2.run(kpoints=np.array([[0.0], [0.0]]), numeig=60, eig_sigma=0.27, gmode_inds=[0],
               compute_im=False, verbose=False)
    windowed = np.asarray(g2.freqs[0])
    windowed = windowed[(windowed >= lo) & (windowed <= hi)]
    expected = np.sort(full[(full >= lo) & (full <= hi)])
    print(f"{expected.size} eigenvalues in [{lo}, {hi}]: {np.round(expected, 6)}")
    assert expected.size >= 2
    assert np.allclose(np.sort(windowed), expected, rtol=0, atol=1e-10)
    assert "eigh" not in vars(__import__("sys").modules["legume.backend"].backend)


def test_legume_fields_are_normalised_to_unit_electric_energy():
    """The mode volumes use ∫ε|E|² dV = 1 (legume's normalisation). Independent check:
    Gauss quadrature over z of the in-plane Parseval sum A Σ_G Re(E_G*·D_G)(z) and of
    A Σ_G |H_G|²(z) for the L3 mode, slab and both claddings (to 4 decay lengths of a)."""
    m, phc = _crystal()
    g = gb._fast_gme_class(legume)(phc, gmax=1.5 + 1e-9)
    g.run(kpoints=np.array([[0.0], [0.0]]), numeig=12, eig_sigma=0.27, gmode_inds=[0],
          compute_im=False, verbose=False)
    i = int(np.argmin(np.abs(np.asarray(g.freqs[0]) - 0.268)))
    area, t = g.phc.lattice.ec_area, 0.6

    def electric(z: float) -> float:
        e, d = g.ft_field_xy("e", 0, i, z), g.ft_field_xy("d", 0, i, z)
        return area * sum(float(np.real(np.vdot(a, b))) for a, b in zip(e, d, strict=True))

    def magnetic(z: float) -> float:
        return area * sum(float(np.real(np.vdot(h, h))) for h in g.ft_field_xy("h", 0, i, z))

    xs, ws = np.polynomial.legendre.leggauss(24)
    zs, wz = 0.5 * t * (xs + 1), 0.5 * t * ws
    xu, wu = np.polynomial.legendre.leggauss(60)
    u, wu = 0.5 * (xu + 1), 0.5 * wu
    zc, wc = -np.log(1 - u), wu / (1 - u)  # z - t from 0 to ∞, decay length ~ a
    for density, name in ((electric, "∫ε|E|²"), (magnetic, "∫|H|²")):
        total = sum(w * density(z) for z, w in zip(zs, wz, strict=True)) + sum(
            w * (density(t + z) + density(-z)) for z, w in zip(zc, wc, strict=True))
        print(f"{name} dV = {total:.10f} (reference 1, tolerance 1e-6)")
        assert total == pytest.approx(1.0, abs=1e-6)


def test_missing_legume_names_the_install_command(monkeypatch):
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "legume" or name.startswith("legume."):
            raise ImportError("No module named 'legume'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"pip install 'legume-gme==1.0.3'"):
        gb.require_legume()


TINY = GmeConfig(gmax=1.0, gmax_coarse=0.75, gmax_check=1.25,
                 k_fractions=((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)))


def test_screen_end_to_end_on_a_small_supercell(tmp_path):
    """A SimResult the emitter model scores, cached, JSON round trip; the mode is Akahane's
    L3 fundamental (E_y at the centre) near 1.57 µm with Q ~ 10³-10⁴ at this tiny cut-off."""
    from emitter import CavityResponse, score
    from emitter.params import preset_emitter

    d = _small_l3()
    r = simulate_gme(d.gme_model(), TINY, cache_dir=tmp_path)
    mode = r.resonance
    print(r.summary())
    assert mode is not None and mode.method == "gme"
    assert 1.5 < mode.wavelength_um < 1.65
    assert 1e3 < mode.quality_factor < 1e5
    mv = r.mode_volume
    assert 0.4 < mv.emitter_volume_lambda_n3 < 1.5
    assert mv.peak_volume_lambda_n3 <= mv.emitter_volume_lambda_n3 * (1 + 1e-12)
    assert r.analytic_purcell == pytest.approx(
        gme_modes.purcell_q_over_v(quality_factor=mode.quality_factor,
                                   volume_um3=mv.emitter_volume_um3,
                                   wavelength_um=mode.wavelength_um,
                                   refractive_index=3.4), rel=1e-9)
    assert r.accuracy is not None and r.accuracy.method.startswith("gme")
    assert r.accuracy.error("resonance_wavelength_um") is not None
    assert any("in-plane leakage" in w for w in r.warnings)
    # the 2D estimate of the finite crystal's leakage ran and is part of Q's error
    assert any(w.startswith("in-plane leakage (2D effective-index") for w in r.warnings)
    assert "in-plane leakage's effect" in r.accuracy.method
    again = type(r).from_json(r.to_json())
    assert again.to_json() == r.to_json()
    assert simulate_gme(d.gme_model(), TINY, cache_dir=tmp_path).to_json() == r.to_json()
    assert len(list((tmp_path / "gme").glob("*.json"))) == 1
    response = CavityResponse.from_sim_result(r)
    assert response.quality_factor == pytest.approx(mode.quality_factor)
    em = preset_emitter("CsPbBr3", temperature_k=4.0,
                        exciton_wavelength_um=mode.wavelength_um)
    sc = score(response, em)
    f_closed = sc.purcell_x_closed_form
    print(f"emitter: Purcell X {sc.purcell_x:.4g} (closed form {f_closed:.4g})")
    assert sc.purcell_x > 1
    assert json.loads(r.to_json())["config"]["method"] == "gme"
    assert math.isfinite(r.purcell_total_at_resonance)
