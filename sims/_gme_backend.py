"""The guided-mode expansion backend: the only module that imports ``legume`` (legume-gme).

Turns a :class:`~cavities.families.photonic_crystal.supercell.GmeModel` into the raw numbers of
one plane-wave cut-off (:class:`sims.gme_modes.GmeSolve`): the bulk crystal's gap, the
eigenmodes of the emitter's mirror parity inside it, each candidate's field at the emitter, its
mid-plane energy map (localisation, peak), and the picked mode's radiative loss rate and
NA-collected fraction at every k-point. Units inside: lengths in a (the lattice constant),
frequencies a/λ; legume's fields are normalised to ∫ε|E|² dV = ∫|H|² dV = 1 (a³), which :mod:`sims.gme_modes` uses.

Two speed-ups over legume 1.0.3, with results identical to its own code (tested in
``tests/sims_tests/test_gme_backend.py``): the permittivity Fourier matrix of a supercell is
built from the difference indices without ``numpy.unique`` over N² pairs, and inverted by
Cholesky when it is real (a centrosymmetric cell); and eigenpairs are computed only inside the
gap (LAPACK's MRRR with a value window) instead of all N.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from cavities.families.photonic_crystal.supercell import GmeModel, PeriodicSlab
from sims import gme_modes

INSTALL_HINT = "pip install 'legume-gme==1.0.3' (or pip install -e '.[gme]')"
BULK_GMAX = 4.0
"""Plane-wave cut-off (2π/a) of the bulk band calculation (≈ 50 plane waves per primitive
cell; the gap edges move < 0.3 % from 3 to 5)."""
BULK_POINTS_PER_SEGMENT = 8
FAR_EIGENVALUE = 1e30
NUMEIG = 40
"""Most eigenmodes kept per k-point (all of them lie in the gap window)."""
SYMM_THR = 1e-6
"""Largest coupling between the two mirror parities legume accepts as round-off (its default
1e-8 rejects the polygon Fourier transforms of the nanobeam's air blocks at 3e-8; the
matrix elements are ~(2π a/λ)² ~ 1-10)."""
MAP_POINTS_PER_PERIOD = 8
"""Mid-plane energy map sampling (points per lattice constant) for localisation and the peak."""


def require_legume() -> Any:
    """``import legume`` or raise ImportError naming the install command."""
    try:
        import legume
    except ImportError as err:
        raise ImportError(f"the GME screen needs legume-gme: {INSTALL_HINT}.") from err
    return legume


def _fast_gme_class(legume: Any) -> type:
    import scipy.linalg as sla

    class FastGME(legume.GuidedModeExp):  # type: ignore[misc,name-defined]
        """legume's GME with the two setup steps of a big supercell made cheap."""

        def _compute_ft_abs(self) -> None:
            i1, i2 = np.asarray(self.inds1, int), np.asarray(self.inds2, int)
            d1 = (i1[None, :] - i1[:, None]).ravel()
            d2 = (i2[None, :] - i2[:, None]).ravel()
            gx, gy = self.gvec[0, :], self.gvec[1, :]
            self.G1 = np.vstack(((gx[None, :] - gx[:, None]).ravel(),
                                 (gy[None, :] - gy[:, None]).ravel()))
            m1, m2 = int(np.max(np.abs(d1))), int(np.max(np.abs(d2)))
            j1, j2 = np.meshgrid(np.arange(-m1, m1 + 1), np.arange(-m2, m2 + 1), indexing="ij")
            lat = self.phc.lattice
            grid = lat.b1[:, None] * j1.ravel()[None, :] + lat.b2[:, None] * j2.ravel()[None, :]
            flat = (d1 + m1) * (2 * m2 + 1) + (d2 + m2)
            self.T1, self.T1_unique, self.G1_unique = [], [], grid
            for layer in [self.phc.claddings[0], *self.phc.layers, self.phc.claddings[1]]:
                ft = layer.compute_ft(grid)
                self.T1_unique.append(ft)
                self.T1.append(ft[flat])

        def compute_eps_inv(self, only_gmodes: bool = False) -> None:
            if hasattr(self, "eps_inv_mat"):
                return
            n = self.gvec.shape[1]
            self.eps_inv_mat, self.eps_mat, self.hom_layer = [], [], []
            mod = np.hypot(self.G1[0], self.G1[1])
            i0 = int(np.argmin(mod))
            for t1 in self.T1:
                if only_gmodes or np.sum(np.abs(t1[mod > 1e-10])) < 1e-10:
                    self.hom_layer.append(True)
                    self.eps_mat.append(np.eye(n) * t1[i0])
                    self.eps_inv_mat.append(np.eye(n) / t1[i0])
                    continue
                m = t1.reshape(n, n)
                self.hom_layer.append(False)
                self.eps_mat.append(m)
                if np.max(np.abs(m.imag)) <= 1e-12 * np.max(np.abs(m.real)):
                    c = sla.cho_factor(m.real, lower=True, check_finite=False)
                    inv = sla.cho_solve(c, np.eye(n), check_finite=False)
                    self.eps_inv_mat.append(0.5 * (inv + inv.T))
                else:
                    self.eps_inv_mat.append(np.linalg.inv(m))

    return FastGME


@contextlib.contextmanager
def eigen_window(legume: Any, f_lo: float, f_hi: float) -> Iterator[None]:
    """Within the block, legume's dense eigensolver returns only the eigenpairs with
    a/λ in [f_lo, f_hi] (LAPACK ``evr`` with a value window, real arithmetic when the matrix
    is real). legume's matrix is ω² + 1 with ω = 2π a/λ."""
    import sys

    import scipy.linalg as sla

    bd = sys.modules["legume.backend"].backend
    lo, hi = (2 * math.pi * f_lo) ** 2 + 1, (2 * math.pi * f_hi) ** 2 + 1

    def eigh(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # legume expects all N eigenpairs: the ones outside the window are padded with a far
        # eigenvalue (a/λ ~ 1e14, dropped by solve()) and zero vectors
        m = np.asarray(mat)
        if np.iscomplexobj(m) and np.max(np.abs(m.imag)) <= 1e-13 * np.max(np.abs(m.real)):
            m = m.real
        w, v = sla.eigh(m, subset_by_value=(lo, hi), driver="evr", check_finite=False)
        n = m.shape[0]
        w_all = np.full(n, FAR_EIGENVALUE)
        w_all[:w.size] = w
        v_all = np.zeros((n, n), dtype=v.dtype)
        v_all[:, :w.size] = v
        return w_all, v_all

    had = "eigh" in vars(bd)
    old = vars(bd).get("eigh")
    bd.eigh = eigh
    try:
        yield
    finally:
        if had:
            bd.eigh = old
        else:
            del bd.eigh


def build_crystal(legume: Any, slab: PeriodicSlab, lattice_um: float) -> Any:
    """legume PhotCryst of a periodic slab, lengths in units of ``lattice_um``."""
    (a1x, a1y), (a2x, a2y) = slab.lattice_vectors_um
    s = 1.0 / lattice_um
    lat = legume.Lattice([a1x * s, a1y * s], [a2x * s, a2y * s])
    phc = legume.PhotCryst(lat, eps_l=slab.lower_index ** 2, eps_u=slab.upper_index ** 2)
    phc.add_layer(d=slab.slab_thickness_um * s, eps_b=slab.slab_index ** 2)
    for x, y, r in slab.holes_um:
        phc.add_shape(legume.Circle(eps=1.0, x_cent=x * s, y_cent=y * s, r=r * s))
    for x, y, wx, wy in slab.air_blocks_um:
        xs = [(x - wx / 2) * s, (x + wx / 2) * s, (x + wx / 2) * s, (x - wx / 2) * s]
        ys = [(y - wy / 2) * s, (y - wy / 2) * s, (y + wy / 2) * s, (y + wy / 2) * s]
        phc.add_shape(legume.Poly(eps=1.0, x_edges=xs, y_edges=ys))
    return phc


def _options(model: GmeModel, slab: PeriodicSlab) -> dict[str, Any]:
    symmetric = abs(slab.upper_index - slab.lower_index) < 1e-12
    return {"gmode_inds": [0] if symmetric else [0, 1], "compute_im": False, "verbose": False,
            "eps_eff": model.guided_basis, "gradients": "approx"}


def _path(corners: tuple[tuple[float, float], ...], n: int) -> np.ndarray:
    pts = [np.asarray(corners[0], float)]
    for a, b in zip(corners[:-1], corners[1:], strict=True):
        for t in np.linspace(0, 1, n + 1)[1:]:
            pts.append((1 - t) * np.asarray(a, float) + t * np.asarray(b, float))
    return np.array(pts).T


def bulk_gap(legume: Any, model: GmeModel) -> tuple[float, float, bool]:
    """(lower, upper, found) edge of the bulk band gap in a/λ, from the bands below the
    light line of the denser cladding along the model's k-path (parity-separated when the path
    runs along x in a rectangular cell, as for a nanobeam's mirror)."""
    bulk = model.bulk
    phc = build_crystal(legume, bulk, model.lattice_um)
    n_below = model.bulk_band_below_gap
    gme = _fast_gme_class(legume)(phc, gmax=BULK_GMAX + 1e-9)
    ks = _path(model.bulk_k_path_per_um, BULK_POINTS_PER_SEGMENT) * model.lattice_um
    kwargs = _options(model, bulk)
    along_x = bool(np.all(np.abs(ks[1]) < 1e-12)) and bulk.is_rectangular
    if along_x:
        kwargs.update(kz_symmetry=gme_modes.parity(model.dipole_orientation, 0.0),
                      angles=np.zeros(ks.shape[1]), use_sparse=True, symm_thr=SYMM_THR)
    gme.run(kpoints=ks, numeig=n_below + 2, eig_sigma=0.0, **kwargs)
    freqs = np.asarray(gme.freqs)
    n_clad = max(bulk.upper_index, bulk.lower_index)
    light = np.hypot(ks[0], ks[1]) / (2 * math.pi * n_clad)
    lower, upper = freqs[:, n_below - 1], freqs[:, n_below]
    below_lo, below_hi = lower < light, upper < light
    f_lo = float(np.max(lower[below_lo])) if below_lo.any() else float(np.max(lower))
    f_hi = float(np.min(upper[below_hi])) if below_hi.any() else float(np.max(light))
    return f_lo, f_hi, f_hi > f_lo


def _k_angle(k: tuple[float, float]) -> float | None:
    if abs(k[1]) < 1e-14:
        return 0.0
    if abs(k[0]) < 1e-14:
        return 90.0
    return None


def solve(model: GmeModel, *, gmax: float, k_fractions: tuple[tuple[float, float], ...],
          gap: tuple[float, float, bool] | None = None) -> gme_modes.GmeSolve:
    """One plane-wave cut-off: eigenmodes of the emitter's parity in the gap, the pick, and
    its loss rate and collection at each k-point.

    Args:
        model: the cavity.
        gmax: plane-wave cut-off in units of 2π/a.
        k_fractions: k-points as fractions of the supercell's half reciprocal vectors
            (π/Lx, π/Ly); (0, 0) must come first.
        gap: the bulk gap (from :func:`bulk_gap`), computed if None.
    """
    legume = require_legume()
    t0 = time.monotonic()
    a = model.lattice_um
    if gap is None:
        gap = bulk_gap(legume, model)
    f_lo, f_hi, found = gap
    if not found:  # no gap: the wavelength window bounds the search
        f_lo, f_hi = a / model.wavelength_max_um, a / model.wavelength_min_um
    cell = model.supercell
    phc = build_crystal(legume, cell, a)
    gme = _fast_gme_class(legume)(phc, gmax=gmax + 1e-9)
    (lx, _), (_, ly) = cell.lattice_vectors_um
    lx, ly = lx / a, ly / a
    ex, ey, ez = (c / a for c in model.emitter_position_um)
    z_leg = ez + cell.slab_thickness_um / (2 * a)
    on_planes = abs(ex) < 1e-12 and abs(ey) < 1e-12
    opts = _options(model, cell)
    maps = gme_modes.MapGrid.for_cell(lx, ly, MAP_POINTS_PER_PERIOD)
    eps_em = model.emitter_index ** 2
    kpoints: list[tuple[float, float]] = []
    loss: list[float] = []
    freqs: list[float] = []
    coll: list[float] = []
    candidates: tuple[gme_modes.Candidate, ...] = ()
    picked: int | None = None
    energy_map = None
    for kf in k_fractions:
        k = (kf[0] * math.pi / lx, kf[1] * math.pi / ly)
        angle = _k_angle(k) if on_planes else None
        kw = dict(opts)
        if angle is not None:
            kw.update(kz_symmetry=gme_modes.parity(model.dipole_orientation, angle),
                      angles=np.array([angle]), use_sparse=True, symm_thr=SYMM_THR)
        with eigen_window(legume, f_lo, f_hi):
            gme.run(kpoints=np.array([[k[0]], [k[1]]]), numeig=NUMEIG,
                    eig_sigma=0.5 * (f_lo + f_hi), **kw)
        fs = np.asarray(gme.freqs[0])
        fs = fs[(fs >= f_lo) & (fs <= f_hi)]  # legume sorts by frequency: the window first
        if not kpoints:  # Γ: describe every candidate and apply the rule
            candidates = tuple(_candidate(gme, i, float(fs[i]), (ex, ey, z_leg), model,
                                          eps_em, maps, cell.slab_thickness_um / (2 * a))
                               for i in range(fs.size))
            picked = gme_modes.pick_cavity_mode(candidates, a / model.target_wavelength_um)
            if picked is None:
                break
            index = picked
            energy_map = _energy(gme, index, maps, cell.slab_thickness_um / (2 * a))
        else:
            index = _match(gme, fs, candidates[picked], (ex, ey, z_leg), model)  # type: ignore
            if index is None:
                continue
        f_im, coup, gvecs = gme.compute_rad(0, [index])
        kpoints.append((k[0], k[1]))
        loss.append(float(f_im[0]))
        freqs.append(float(fs[index]))
        coll.append(gme_modes.collected_fraction(
            coupling={key: np.asarray(v[0]) for key, v in coup.items()},
            gvec={key: np.asarray(v[0]) for key, v in gvecs.items()}, k=k,
            omega=2 * math.pi * float(fs[index]), na=model.collection_na,
            direction=model.collection_direction))
    return gme_modes.GmeSolve(gmax=gmax, n_plane_waves=int(gme.gvec.shape[1]),
                              gap=(gap[0], gap[1]),
                    gap_found=gap[2], candidates=candidates, picked=picked,
                    kpoints=tuple(kpoints), loss_rates=tuple(loss), frequencies=tuple(freqs),
                    collected=tuple(coll), wall_time_s=time.monotonic() - t0,
                    energy_map=None if energy_map is None else (
                        tuple(a * maps.x), tuple(a * maps.y),
                        tuple(tuple(float(v) for v in row) for row in energy_map)))


def _emitter_field(gme: Any, i: int, r0: tuple[float, float, float],
                   e_ft: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
    """E of mode i at r0; ``e_ft``: its plane-wave coefficients at z = r0[2] if known."""
    ex, ey, ez = gme.ft_field_xy("e", 0, i, r0[2]) if e_ft is None else e_ft
    phase = np.exp(1j * (gme.gvec[0] * r0[0] + gme.gvec[1] * r0[1]))
    return np.array([np.sum(ex * phase), np.sum(ey * phase), np.sum(ez * phase)])


def _energy(gme: Any, i: int, maps: gme_modes.MapGrid, z_mid: float,
            e_ft: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
    """ε|E|² of mode i on the mid-plane map (legume units); ``e_ft`` as above, at z_mid."""
    e_ft = gme.ft_field_xy("e", 0, i, z_mid) if e_ft is None else e_ft
    d_ft = gme.ft_field_xy("d", 0, i, z_mid)
    return maps.energy_density(gme.inds1, gme.inds2, e_ft, d_ft)


def _candidate(gme: Any, i: int, f: float, r0: tuple[float, float, float], model: GmeModel,
               eps_em: float, maps: gme_modes.MapGrid, z_mid: float) -> gme_modes.Candidate:
    # an emitter on the mid-plane needs E's coefficients there once, not twice
    e_mid = gme.ft_field_xy("e", 0, i, z_mid) if abs(r0[2] - z_mid) < 1e-12 else None
    e0 = _emitter_field(gme, i, r0, e_mid)
    energy = _energy(gme, i, maps, z_mid, e_mid)
    return gme_modes.Candidate.from_map(frequency=f, emitter_field=e0, emitter_eps=eps_em,
                                        dipole=model.dipole_orientation, grid=maps,
                                        energy=energy)


def _match(gme: Any, fs: np.ndarray, ref: gme_modes.Candidate,
           r0: tuple[float, float, float], model: GmeModel) -> int | None:
    """The mode at k ≠ 0 that continues the Γ pick: nearest in frequency among those whose
    coupling to the emitter is at least half the pick's."""
    axis = "xyz".index(model.dipole_orientation)
    best, best_df = None, math.inf
    for i, f in enumerate(fs):
        c = abs(_emitter_field(gme, i, r0)[axis]) ** 2
        if c >= 0.5 * ref.emitter_coupling / (model.emitter_index ** 2):
            if abs(f - ref.frequency) < best_df:
                best, best_df = i, abs(f - ref.frequency)
    return best
