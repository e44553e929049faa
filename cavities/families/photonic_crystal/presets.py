"""The photonic-crystal presets (published or reference designs; REFERENCES B1, B2)."""

from __future__ import annotations

from cavities.families.photonic_crystal.h1 import H1Cavity
from cavities.families.photonic_crystal.l3 import L3Cavity
from cavities.families.photonic_crystal.nanobeam import Nanobeam
from cavities.registry import register_preset


@register_preset(
    "akahane_l3_si",
    "Akahane et al., Nature 425, 944 (2003) (REFERENCES B1): Si L3 (lossless n = 3.4), "
    "a = 420 nm, r = 0.29a, t = 0.6a, end holes shifted by s = 0.15a; resonance near 1.6 µm, "
    "FDTD Q ~ 10⁵ (measured 4.5×10⁴).",
)
def _akahane_l3_si() -> L3Cavity:
    a = 0.42
    return L3Cavity(lattice_um=a, hole_radius_um=0.29 * a, slab_thickness_um=0.6 * a,
                    end_hole_shift_um=0.15 * a, slab_material="Si", slab_index=3.4,
                    target_wavelength_um=1.6, window_um=0.3, n_periods_x=8, n_periods_y=6)


@register_preset(
    "sin_l3_520",
    "Suspended Si3N4 (n = 2.06) L3 for CsPbBr3 emission at 520 nm. SiN's index contrast is "
    "much weaker than Si's, so the TE gap is narrow: larger holes (r = 0.32a) widen it and a "
    "thicker slab (t = a) raises n_eff (≈ 1.75) so the defect mode stays below the light "
    "line; end-hole shift 0.15a as Akahane (REFERENCES B1). a = 207 nm from a 3D run (a = "
    "200 nm gave λ = 503 nm, Q ≈ 900 at 14 px/a; λ scales with a). Crystal of 10 × 8 "
    "periods: with 8 × 6 the narrow gap leaked in-plane (3D Q 949 against the GME's "
    "out-of-plane 1585; "
    "2D in-plane estimate 4.6e3 there, 2.9e4 for 10 × 8; README 'Photonic-crystal slabs').",
)
def _sin_l3_520() -> L3Cavity:
    a = 0.207
    return L3Cavity(lattice_um=a, hole_radius_um=0.32 * a, slab_thickness_um=a,
                    end_hole_shift_um=0.15 * a, slab_material="Si3N4",
                    target_wavelength_um=0.52, window_um=0.1, n_periods_x=10, n_periods_y=8)


@register_preset(
    "h1_sin_520",
    "Suspended Si3N4 H1 for 520 nm: same lattice as sin_l3_520 (r = 0.32a, t = a), the six "
    "nearest holes shrunk to 0.25a and pushed out by 0.1a to pull the dipole mode into the "
    "gap (REFERENCES B1: unmodified H1 Q ~ 10²–10³). a = 207 nm as the L3 (3D at 70 px/µm: "
    "dipole mode at 517 nm). Crystal of 10 periods: with 6 the narrow gap leaked in-plane (3D "
    "Q 880 "
    "against the GME's out-of-plane 1890; 2D in-plane estimate 1.1e3 there, 5.4e4 for 10).",
)
def _h1_sin_520() -> H1Cavity:
    a = 0.207
    return H1Cavity(lattice_um=a, hole_radius_um=0.32 * a, slab_thickness_um=a,
                    nn_shift_um=0.1 * a, nn_radius_um=0.25 * a, slab_material="Si3N4",
                    target_wavelength_um=0.52, window_um=0.1, n_periods=10)


@register_preset(
    "nanobeam_sin_520",
    "Quan-Lončar deterministic nanobeam (Opt. Express 19, 18529 (2011); REFERENCES B2) in "
    "suspended Si3N4 for 520 nm: filling fraction 0.2 → 0.1 (quadratic) over 12 taper holes + "
    "6 mirror holes, as in the Si design; t = 200 nm and w = 400 nm (≈ the Si 220/700 nm beam "
    "scaled by λ/n); a = 163 nm from a 3D run (a = 170 nm gave the dielectric mode at 542 nm; "
    "λ scales with a); 3D at 70 px/µm: λ = 523 nm, Q ≈ 5.6×10³. Walls between the "
    "central holes are 34 nm.",
)
def _nanobeam_sin_520() -> Nanobeam:
    return Nanobeam(lattice_um=0.163, slab_thickness_um=0.2, beam_width_um=0.4,
                    center_fill_fraction=0.2, mirror_fill_fraction=0.1, n_taper=12, n_mirror=6,
                    slab_material="Si3N4", target_wavelength_um=0.52, window_um=0.1)


@register_preset(
    "nanobeam_si_1550",
    "Quan-Lončar Si nanobeam (REFERENCES B2 script values): a = 330 nm, t = 220 nm, w = 700 nm,"
    " lossless n = 3.46, filling fraction 0.2 → 0.1 over 20 taper holes + 10 mirror holes; "
    "dielectric mode near 1.55 µm.",
)
def _nanobeam_si_1550() -> Nanobeam:
    return Nanobeam(lattice_um=0.33, slab_thickness_um=0.22,
                    beam_width_um=0.7, center_fill_fraction=0.2, mirror_fill_fraction=0.1,
                    n_taper=20, n_mirror=10, slab_material="Si", slab_index=3.46,
                    target_wavelength_um=1.55, window_um=0.3)
