"""Numerical settings of a simulation (the physics lives in ``cavities.Structure``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cavities._validate import require_choice, require_positive


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
        decay_by: the run stops when |E|² at the emitter has decayed by this factor from its
            maximum (checked every ``decay_check_periods``).
        harminv_periods: optical periods (at the window centre) of ring-down given to Harminv
            before the mode-volume DFT starts.
        max_periods: hard cap on the run after the source (in optical periods): the run stops
            there with a warning (the LDOS of a very high-Q mode is then not converged).
        courant: Courant factor (Meep default 0.5; lower it if a dispersive material diverges).
        symmetries: ``"auto"`` (the mirror planes the structure and dipole allow) or ``"none"``.
        compute_mode_volume: whether to record the DFT fields at the resonance for V.
        compute_collection: whether to record the collection-plane fields.
        eps_averaging: Meep's subpixel averaging.
        progress_interval_s: seconds between progress lines on stderr (0 disables them).
    """

    resolution_px_per_um: float = 25.0
    pml_um: float = 1.0
    boundary_layer: str = "pml"
    n_freqs: int = 401
    n_freqs_flux: int = 41
    decay_by: float = 1e-6
    decay_check_periods: float = 10.0
    harminv_periods: float = 150.0
    max_periods: float = 3000.0
    courant: float = 0.5
    symmetries: str = "auto"
    compute_mode_volume: bool = True
    compute_collection: bool = True
    eps_averaging: bool = True
    progress_interval_s: float = 10.0

    def __post_init__(self) -> None:
        require_positive(resolution_px_per_um=self.resolution_px_per_um, pml_um=self.pml_um,
                         n_freqs=self.n_freqs, n_freqs_flux=self.n_freqs_flux,
                         decay_by=self.decay_by, decay_check_periods=self.decay_check_periods,
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
