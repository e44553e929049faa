"""Optical materials as pure data: constant index, Lorentz-Drude dispersion, or perfect conductor.

Conventions follow Meep (time dependence exp(-iωt), so Im ε > 0 is loss). Dispersion terms are given
with photon energies in eV; conversion to Meep frequency units happens in ``sims.units`` only.

* Lorentzian term: ``σ f_n² / (f_n² − f² − i f γ_n)``
* Drude term:      ``−σ f_n² / (f² + i f γ_n)``

where ``f`` is the photon energy (or frequency, any unit, as long as all terms share it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cavities._validate import require_choice, require_positive

HC_EV_UM = 1.23984198  # h c in eV·µm (CODATA 2018: 1.239841984 eV µm)

_KINDS = ("lorentzian", "drude")


@dataclass(frozen=True, kw_only=True)
class Pole:
    """One susceptibility term of a Lorentz-Drude model (Meep's convention).

    Args:
        kind: ``"lorentzian"`` or ``"drude"``.
        frequency_ev: resonance (Lorentzian) or plasma-scale (Drude) energy in eV.
        gamma_ev: damping energy in eV.
        sigma: dimensionless oscillator strength.
    """

    kind: str
    frequency_ev: float
    gamma_ev: float
    sigma: float

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, _KINDS)
        require_positive(frequency_ev=self.frequency_ev)
        if not (math.isfinite(self.gamma_ev) and self.gamma_ev >= 0):
            raise ValueError(f"`gamma_ev >= 0` must hold, but got gamma_ev={self.gamma_ev!r}.")
        if not math.isfinite(self.sigma):
            raise ValueError(f"`sigma` must be finite, but got sigma={self.sigma!r}.")

    def susceptibility(self, energy_ev: float) -> complex:
        f, fn, g = energy_ev, self.frequency_ev, self.gamma_ev
        if self.kind == "lorentzian":
            return self.sigma * fn**2 / (fn**2 - f**2 - 1j * f * g)
        return -self.sigma * fn**2 / (f**2 + 1j * f * g)


@dataclass(frozen=True, kw_only=True)
class Material:
    """An isotropic optical material.

    Args:
        name: short key, e.g. ``"SiN"``.
        epsilon_inf: high-frequency (or constant) relative permittivity.
        poles: Lorentz-Drude terms (empty for a constant-index material).
        loss_tangent_at_um: for a constant complex index ``n + ik`` the loss is modelled as a
            conductivity chosen to give the right Im ε at this wavelength (µm); None if lossless.
        epsilon_imag: Im ε at ``loss_tangent_at_um`` (only with a constant index).
        perfect_conductor: True for a perfect electric conductor (Meep ``mp.metal``).
        valid_range_um: wavelength range (µm) where the model was checked.
        source: where the numbers come from.

    Example:
        >>> round(constant_index("glass", 1.5).index(0.52).real, 6)
        1.5
    """

    name: str
    epsilon_inf: float = 1.0
    poles: tuple[Pole, ...] = ()
    loss_tangent_at_um: float | None = None
    epsilon_imag: float = 0.0
    perfect_conductor: bool = False
    valid_range_um: tuple[float, float] = (0.4, 0.8)
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("`name` must be a non-empty string, but got name=''.")
        if not (math.isfinite(self.epsilon_inf) and self.epsilon_inf > 0):
            raise ValueError(
                f"`epsilon_inf > 0` must hold, but got epsilon_inf={self.epsilon_inf!r} "
                f"(material {self.name!r})."
            )
        if self.epsilon_imag < 0:
            raise ValueError(
                f"`epsilon_imag >= 0` must hold (gain media are not supported), but got "
                f"epsilon_imag={self.epsilon_imag!r} (material {self.name!r})."
            )
        object.__setattr__(self, "poles", tuple(self.poles))
        object.__setattr__(self, "valid_range_um", tuple(float(v) for v in self.valid_range_um))

    @property
    def is_dispersive(self) -> bool:
        return bool(self.poles)

    def permittivity(self, wavelength_um: float) -> complex:
        """Relative permittivity at a vacuum wavelength (µm). A PEC returns -inf."""
        require_positive(wavelength_um=wavelength_um)
        if self.perfect_conductor:
            return complex(-math.inf, 0.0)
        energy_ev = HC_EV_UM / wavelength_um
        eps = complex(self.epsilon_inf) + sum(p.susceptibility(energy_ev) for p in self.poles)
        if self.epsilon_imag and self.loss_tangent_at_um:
            # conductivity model: Im ε ∝ 1/f, pinned to epsilon_imag at loss_tangent_at_um
            eps += 1j * self.epsilon_imag * wavelength_um / self.loss_tangent_at_um
        return eps

    def index(self, wavelength_um: float) -> complex:
        """Complex refractive index n + ik at a vacuum wavelength (µm)."""
        eps = self.permittivity(wavelength_um)
        if self.perfect_conductor:
            raise ValueError(f"material {self.name!r} is a perfect conductor: it has no index.")
        n = complex(eps) ** 0.5
        return n if n.imag >= 0 else -n

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "epsilon_inf": self.epsilon_inf,
            "poles": [
                {"kind": p.kind, "frequency_ev": p.frequency_ev, "gamma_ev": p.gamma_ev,
                 "sigma": p.sigma}
                for p in self.poles
            ],
            "loss_tangent_at_um": self.loss_tangent_at_um,
            "epsilon_imag": self.epsilon_imag,
            "perfect_conductor": self.perfect_conductor,
            "valid_range_um": list(self.valid_range_um),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Material:
        d = dict(data)
        d["poles"] = tuple(Pole(**p) for p in d.get("poles", ()))
        d["valid_range_um"] = tuple(d.get("valid_range_um", (0.4, 0.8)))
        return cls(**d)


def constant_index(name: str, n: float | complex, *, at_wavelength_um: float = 0.52,
                   source: str = "") -> Material:
    """A non-dispersive material of index ``n`` (complex ``n + ik`` adds a conductivity loss
    that reproduces Im ε exactly at ``at_wavelength_um`` and scales as 1/f elsewhere)."""
    eps = complex(n) ** 2
    if eps.real <= 0:
        raise ValueError(f"`Re(n²) > 0` must hold for a constant-index material, but got n={n!r}.")
    if eps.imag > 0:
        return Material(name=name, epsilon_inf=eps.real, epsilon_imag=eps.imag,
                        loss_tangent_at_um=at_wavelength_um, source=source)
    return Material(name=name, epsilon_inf=eps.real, source=source)


VACUUM = Material(name="vacuum", epsilon_inf=1.0, valid_range_um=(0.01, 1000.0),
                  source="exact")
PEC = Material(name="PEC", perfect_conductor=True, valid_range_um=(0.01, 1000.0),
               source="ideal perfect electric conductor (Meep mp.metal)")
