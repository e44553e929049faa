"""Numerical settings of a simulation (the physics lives in ``cavities.Structure``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cavities._validate import require_choice, require_positive


CYL_RING_RADIUS_PX = 1.5
"""Default radius of the cylindrical in-plane ring source, in grid steps: the smallest that is
right in Meep 1.25 (0.5 and 1.0 fail, ``tests/sims_tests``)."""


@dataclass(frozen=True, kw_only=True)
class SimConfig:
    """Numerical settings. Lengths in µm.

    Args:
        resolution_px_per_um: grid points per µm.
        pml_um: thickness of the absorbing boundary layer.
        boundary_layer: ``"pml"`` (default) or ``"absorber"`` (Meep's graded-conductivity
            Absorber: needs a thicker layer for the same reflection, but stays stable where a
            Drude metal such as Ag runs into the boundary, which makes a PML diverge). 2D and
            3D only: Meep does not support it in cylindrical coordinates (meep#2824).
        n_freqs: frequencies of the LDOS (total Purcell) spectrum across the window.
        n_freqs_flux: frequencies of the flux-box (radiative) and collection spectra.
        decay_by: the run stops when the oscillating field at the emitter (its sample-to-sample
            change, so the static field a pulsed dipole leaves behind drops out) has decayed
            in power by this factor from its maximum after the source (checked every
            ``decay_check_periods``; :mod:`sims.ring_down`) ...
        ldos_tolerance: ... or when the running LDOS spectrum changed by less than this
            fraction of its maximum over two consecutive checks (the quantity reported has
            converged), whichever comes first.
        harminv_periods: minimum ring-down after the source, in optical periods at the window
            centre. The run then continues until the LDOS has converged or the field at the
            emitter has decayed by ``decay_by`` (or ``max_periods``), and Harminv analyses the whole ring-down. Before, every run
            rang down a fixed 150 periods although the fields of the low-Q families decayed
            within 30-60; the LDOS spectrum did not change (< 0.1 %).
        max_periods: hard cap on the run after the source (in optical periods): the run stops
            there with a warning (the LDOS of a very high-Q mode is then not converged).
        courant: Courant factor (Meep default 0.5; lower it if a dispersive material diverges).
        symmetries: ``"auto"`` (the mirror planes the structure and dipole allow) or ``"none"``.
        compute_mode_volume: whether to record the DFT fields at the resonance for V.
        compute_collection: whether to record the collection-plane fields.
        eps_averaging: Meep's subpixel averaging.
        progress_interval_s: seconds between progress lines on stderr (0 disables them).
        ring_source_radius_um: radius of the ring current that stands for an in-plane dipole
            on the axis in cylindrical coordinates (None: 1.5 grid steps, the smallest radius
            that is right in Meep 1.25), so the source converges to the point dipole with the
            grid, at second order (bare membrane, dipole 5 nm above: −11.3/−5.0/−2.9/−1.3 % at
            40/60/80/120 px/µm against the exact LDOS). A fixed radius is the same source on
            every grid but not a point dipole: 37.5 nm gave −12 to −14 % on all of them.
        ldos_extrapolation: structure runs may also stop when the LDOS spectrum an infinitely
            long ring-down would give has converged (to ``ldos_tolerance``): the resonances of
            the ring-down so far (Harminv) are fitted to the running DFT
            (:mod:`sims.spectral_tail`), and the run reports that limit. Long-lived modes
            (the bullseye's Q ≈ 200 side modes) then no longer set the run length: 7714
            instead of 20094 steps for bullseye_sin_520 at 60 px/µm, LDOS spectrum within
            2.7e-4 of its maximum. Only the LDOS is extrapolated (the flux spectra are the
            run's own; they differed by ≤ 1.2 % of their maximum, 0.01 % at the resonance).
    """

    resolution_px_per_um: float = 25.0
    pml_um: float = 1.0
    boundary_layer: str = "pml"
    n_freqs: int = 401
    n_freqs_flux: int = 41
    decay_by: float = 1e-6
    decay_check_periods: float = 10.0
    ldos_tolerance: float = 2e-4
    harminv_periods: float = 20.0
    max_periods: float = 3000.0
    courant: float = 0.5
    symmetries: str = "auto"
    compute_mode_volume: bool = True
    compute_collection: bool = True
    eps_averaging: bool = True
    progress_interval_s: float = 10.0
    ring_source_radius_um: float | None = None
    ldos_extrapolation: bool = True

    def __post_init__(self) -> None:
        # 250 and 250.0 are the same grid: one cache key for both (an int used to miss the
        # cache of the float, measured: a 250 px/µm nanocube screen simulated twice)
        for name in ("resolution_px_per_um", "pml_um"):
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, float(value))
        require_positive(resolution_px_per_um=self.resolution_px_per_um, pml_um=self.pml_um,
                         n_freqs=self.n_freqs, n_freqs_flux=self.n_freqs_flux,
                         decay_by=self.decay_by, decay_check_periods=self.decay_check_periods,
                         ldos_tolerance=self.ldos_tolerance,
                         harminv_periods=self.harminv_periods, max_periods=self.max_periods,
                         courant=self.courant)
        if not self.decay_by < 1:
            raise ValueError(f"`decay_by < 1` must hold, but got decay_by={self.decay_by!r}.")
        if not self.courant <= 0.5:
            raise ValueError(
                f"`courant <= 0.5` must hold for stability in 3D, but got courant={self.courant!r}."
            )
        if self.n_freqs < 2 or self.n_freqs_flux < 2:
            raise ValueError(
                "`n_freqs >= 2` and `n_freqs_flux >= 2` must hold, but got "
                f"n_freqs={self.n_freqs}, n_freqs_flux={self.n_freqs_flux}."
            )
        if self.ring_source_radius_um is not None:
            require_positive(ring_source_radius_um=self.ring_source_radius_um)
        require_choice("symmetries", self.symmetries, ("auto", "none"))
        require_choice("boundary_layer", self.boundary_layer, ("pml", "absorber"))
        if self.harminv_periods < 20:
            raise ValueError(
                "`harminv_periods >= 20` must hold (Harminv needs a ring-down to analyse), but got "
                f"harminv_periods={self.harminv_periods!r}."
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown SimConfig field(s) {sorted(unknown)}; known: {sorted(known)}.")
        return cls(**data)
