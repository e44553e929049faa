"""Meep units: THE ONLY place that converts between micrometres / eV and Meep's units.

Meep is scale-invariant: we fix its length unit to ``a_um`` micrometres (default 1 µm), so Meep
frequency is in units of c/a, i.e. ``f_mu = a_um / λ_um``, and Meep time in units of a/c.
"""

from __future__ import annotations

from dataclasses import dataclass

C_UM_PER_FS = 0.299792458  # speed of light in µm/fs (exact)
HC_EV_UM = 1.23984198  # h c in eV·µm


@dataclass(frozen=True, kw_only=True)
class MeepUnits:
    """Conversion between micrometres and Meep units (length a, frequency c/a, time a/c).

    Example:
        >>> u = MeepUnits(a_um=1.0)
        >>> round(u.frequency_mu(wavelength_um=1.55), 4)   # Meep docs: 1/1.55 = 0.6452
        0.6452
        >>> round(u.time_fs(0.05), 5)   # Meep docs quote 0.16667 fs (c rounded to 0.3 µm/fs)
        0.16678
    """

    a_um: float = 1.0

    def __post_init__(self) -> None:
        if not self.a_um > 0:
            raise ValueError(f"`a_um > 0` must hold, but got a_um={self.a_um!r}.")

    def length_mu(self, length_um: float) -> float:
        return length_um / self.a_um

    def length_um(self, length_mu: float) -> float:
        return length_mu * self.a_um

    def frequency_mu(self, *, wavelength_um: float) -> float:
        return self.a_um / wavelength_um

    def wavelength_um(self, *, frequency_mu: float) -> float:
        return self.a_um / frequency_mu

    def frequency_mu_from_ev(self, energy_ev: float) -> float:
        return energy_ev * self.a_um / HC_EV_UM

    def resolution_mu(self, *, px_per_um: float) -> float:
        return px_per_um * self.a_um

    def time_fs(self, time_mu: float) -> float:
        return time_mu * self.a_um / C_UM_PER_FS

    def time_mu(self, time_fs: float) -> float:
        return time_fs * C_UM_PER_FS / self.a_um

    def area_um2(self, area_mu2: float) -> float:
        return area_mu2 * self.a_um**2

    def volume_um3(self, volume_mu3: float) -> float:
        return volume_mu3 * self.a_um**3
