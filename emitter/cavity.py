"""The cavity response an emitter sees: Purcell spectra, Q, V, resonance, collection.

Built from a simulation (:meth:`CavityResponse.from_sim_result`), as an ideal single-mode cavity
(:meth:`CavityResponse.lorentzian`), as a flat broadband enhancement (:meth:`CavityResponse.flat`,
plasmonic-like), as a planar multilayer without a cavity (:meth:`CavityResponse.layered`, exact:
the reference of an enhancement measured beside a device) or as no cavity at all
(:meth:`CavityResponse.bare`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cavities._validate import require_nonnegative, require_positive
from emitter._constants import PURCELL_PREFACTOR, energy_ev

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sims.local_stack import LocalStack

MODELS = ("tabulated", "lorentzian", "flat")


def _tuple(values: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@dataclass(frozen=True, kw_only=True)
class CavityResponse:
    """Purcell spectra at the emitter site, normalised to the homogeneous host (REFERENCES A0).

    Args:
        wavelength_um: grid of ``purcell_total`` (vacuum µm).
        purcell_total: LDOS(structure)/LDOS(host) for the simulated dipole: total decay-rate
            enhancement, including absorption (REFERENCES A0, D3).
        radiative_wavelength_um: grid of ``purcell_radiative`` and ``collection_efficiency``.
        purcell_radiative: radiated power / the same dipole in the host (F_rad, D3).
        collection_efficiency: fraction of radiated power into the collection NA (or None).
        resonance_wavelength_um: resonance of the selected mode (None for none/flat).
        quality_factor: Q of that mode.
        mode_volume_lambda_n3: peak mode volume V in (λ/n)³ (REFERENCES A0 definition).
        mode_volume_um3: the same in µm³ (optional, informational).
        refractive_index: n at the emitter (host index).
        field_factor: ε(r)|û·E(r)|² / max ε|E|² = V/V_r for the simulated dipole (REFERENCES A1):
            position/orientation factor of the closed form.
        background_purcell: off-resonant total enhancement (what a dipole not coupled to the
            mode sees); None → estimated from the spectrum away from the resonance.
        model: ``"tabulated"`` (interpolate the spectra), ``"lorentzian"`` (evaluate the ideal
            single-mode form exactly) or ``"flat"``.
        radiative_efficiency: F_rad/F_tot for the analytic models.
        axis_coupling: (a_x, a_y, a_z), the mode part of the Purcell spectrum seen by a dipole
            along each cavity axis, relative to the tabulated dipole (x by convention):
            F_i(λ) = F_bg + a_i·(F(λ) − F_bg), e.g. a_i = |E_i|²/|E_x|² at the emitter. A simulation
            gives one dipole, so the default (1, 0, 0) puts the mode field along it (the other
            axes see the background). Used by the orientation averages of
            :func:`emitter.purcell.orientation_factor` (REFERENCES A1).
        source: free text (where this came from).
        warnings: inherited warnings (e.g. from the simulation).
    """

    wavelength_um: tuple[float, ...]
    purcell_total: tuple[float, ...]
    radiative_wavelength_um: tuple[float, ...]
    purcell_radiative: tuple[float, ...]
    collection_efficiency: tuple[float, ...] | None = None
    resonance_wavelength_um: float | None = None
    quality_factor: float | None = None
    mode_volume_lambda_n3: float | None = None
    mode_volume_um3: float | None = None
    refractive_index: float = 1.0
    field_factor: float = 1.0
    background_purcell: float | None = None
    model: str = "tabulated"
    radiative_efficiency: float = 1.0
    axis_coupling: tuple[float, float, float] = (1.0, 0.0, 0.0)
    source: str = ""
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        axes = _tuple(self.axis_coupling)
        if len(axes) != 3 or not all(math.isfinite(a) and a >= 0 for a in axes):
            raise ValueError("`axis_coupling` must be 3 finite numbers >= 0, but got "
                             f"axis_coupling={self.axis_coupling!r}.")
        object.__setattr__(self, "axis_coupling", axes)
        for name in ("wavelength_um", "purcell_total", "radiative_wavelength_um",
                     "purcell_radiative"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        if self.collection_efficiency is not None:
            object.__setattr__(self, "collection_efficiency", _tuple(self.collection_efficiency))
        if self.model not in MODELS:
            raise ValueError(f"`model` must be one of {MODELS}, but got model={self.model!r}.")
        if len(self.wavelength_um) != len(self.purcell_total) or len(self.wavelength_um) < 2:
            raise ValueError("`len(wavelength_um) == len(purcell_total) >= 2` must hold, but got "
                             f"{len(self.wavelength_um)} and {len(self.purcell_total)} points.")
        if len(self.radiative_wavelength_um) != len(self.purcell_radiative) or len(
                self.radiative_wavelength_um) < 2:
            raise ValueError("`len(radiative_wavelength_um) == len(purcell_radiative) >= 2` must "
                             f"hold, but got {len(self.radiative_wavelength_um)} and "
                             f"{len(self.purcell_radiative)} points.")
        if self.collection_efficiency is not None and len(self.collection_efficiency) != len(
                self.radiative_wavelength_um):
            raise ValueError("`collection_efficiency` must be on `radiative_wavelength_um`, but got "
                             f"{len(self.collection_efficiency)} points for "
                             f"{len(self.radiative_wavelength_um)}.")
        for name in ("wavelength_um", "radiative_wavelength_um"):
            arr = np.asarray(getattr(self, name))
            if not (np.all(np.isfinite(arr)) and np.all(arr > 0)):
                raise ValueError(f"`{name} > 0` must hold everywhere, but got {name}={arr!r}.")
        for name in ("purcell_total", "purcell_radiative"):
            arr = np.asarray(getattr(self, name))
            if not (np.all(np.isfinite(arr)) and np.all(arr >= 0)):
                raise ValueError(f"`{name} >= 0` must hold everywhere (finite), but got "
                                 f"min={np.nanmin(arr)!r}.")
        require_positive(refractive_index=self.refractive_index, field_factor=self.field_factor)
        require_nonnegative(radiative_efficiency=self.radiative_efficiency)
        for name in ("resonance_wavelength_um", "quality_factor", "mode_volume_lambda_n3",
                     "mode_volume_um3"):
            v = getattr(self, name)
            if v is not None:
                require_positive(**{name: v})
        if self.background_purcell is not None:
            require_nonnegative(background_purcell=self.background_purcell)
        if self.model == "lorentzian" and (self.resonance_wavelength_um is None
                                           or self.quality_factor is None
                                           or self.mode_volume_lambda_n3 is None):
            raise ValueError("a `lorentzian` response needs resonance_wavelength_um, "
                             "quality_factor and mode_volume_lambda_n3.")

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def bare(cls, refractive_index: float = 1.0) -> CavityResponse:
        """No cavity: F_tot = F_rad = 1 everywhere, no collection optics (η = 1 by convention)."""
        return cls.flat(purcell=1.0, refractive_index=refractive_index, source="bare host")

    @classmethod
    def flat(cls, *, purcell: float, radiative_efficiency: float = 1.0,
             refractive_index: float = 1.0, collection_efficiency: float | None = None,
             source: str = "flat broadband enhancement") -> CavityResponse:
        """Broadband (plasmonic-like) enhancement: F_tot = purcell, F_rad = purcell·η_rad at all λ."""
        require_nonnegative(purcell=purcell, radiative_efficiency=radiative_efficiency)
        grid = (0.2, 3.0)
        coll = None if collection_efficiency is None else (collection_efficiency,) * 2
        return cls(wavelength_um=grid, purcell_total=(purcell, purcell),
                   radiative_wavelength_um=grid,
                   purcell_radiative=(purcell * radiative_efficiency,) * 2,
                   collection_efficiency=coll, refractive_index=refractive_index,
                   background_purcell=purcell, model="flat",
                   radiative_efficiency=radiative_efficiency, source=source)

    @classmethod
    def lorentzian(cls, *, wavelength_um: float, quality_factor: float,
                   mode_volume_lambda_n3: float | None = None, mode_volume_um3: float | None = None,
                   refractive_index: float = 1.0, background: float = 1.0,
                   radiative_efficiency: float = 1.0, field_factor: float = 1.0,
                   collection_efficiency: float | None = None,
                   axis_coupling: tuple[float, float, float] = (1.0, 0.0, 0.0)
                   ) -> CavityResponse:
        """Ideal single-mode cavity: F(E) = F_bg + F_p·ff / (1 + 4Q²(E/E_c − 1)²).

        F_p = 3/(4π²)·Q/V with V in (λ/n)³ (REFERENCES A1); Lorentzian in frequency with FWHM
        E_c/Q. Give the volume in (λ/n)³ or in µm³ (converted with λ/n at the given index).
        The background F_bg is added for all orientations; F_rad = F_tot·radiative_efficiency.
        ``axis_coupling``: mode part seen along x, y, z relative to this dipole (class docs).

        Example:
            >>> c = CavityResponse.lorentzian(wavelength_um=0.69, quality_factor=300,
            ...                               mode_volume_um3=0.5, refractive_index=1.5)
            >>> round(c.peak_purcell, 2)
            4.44
        """
        require_positive(wavelength_um=wavelength_um, quality_factor=quality_factor,
                         refractive_index=refractive_index, field_factor=field_factor)
        require_nonnegative(background=background, radiative_efficiency=radiative_efficiency)
        if (mode_volume_lambda_n3 is None) == (mode_volume_um3 is None):
            raise ValueError("give exactly one of `mode_volume_lambda_n3` and `mode_volume_um3`, "
                             f"but got mode_volume_lambda_n3={mode_volume_lambda_n3!r}, "
                             f"mode_volume_um3={mode_volume_um3!r}.")
        cube = (wavelength_um / refractive_index) ** 3
        if mode_volume_um3 is not None:
            require_positive(mode_volume_um3=mode_volume_um3)
            mode_volume_lambda_n3 = mode_volume_um3 / cube
        else:
            require_positive(mode_volume_lambda_n3=mode_volume_lambda_n3)  # type: ignore[arg-type]
            mode_volume_um3 = mode_volume_lambda_n3 * cube  # type: ignore[operator]
        ec = energy_ev(wavelength_um)
        # tabulated copy (for plots / JSON): a wide linear grid plus points dense near the peak
        u = np.linspace(-0.499 * math.pi, 0.499 * math.pi, 801)
        e = ec * (1 + np.tan(u) / (2 * quality_factor))
        e = e[(e > ec * 0.3) & (e < ec * 3)]
        lam = np.unique(np.concatenate([1.239841984 / e, np.linspace(0.3, 2.0, 341)]))
        self_ = cls(wavelength_um=(0.3, 2.0), purcell_total=(1.0, 1.0),
                    radiative_wavelength_um=(0.3, 2.0), purcell_radiative=(1.0, 1.0),
                    resonance_wavelength_um=wavelength_um, quality_factor=quality_factor,
                    mode_volume_lambda_n3=mode_volume_lambda_n3, mode_volume_um3=mode_volume_um3,
                    refractive_index=refractive_index, field_factor=field_factor,
                    background_purcell=background, model="lorentzian",
                    radiative_efficiency=radiative_efficiency, axis_coupling=axis_coupling,
                    source=f"ideal Lorentzian cavity Q={quality_factor:g}, "
                           f"V={mode_volume_lambda_n3:.4g} (λ/n)³")
        tot = self_.total_at(lam)
        coll = None if collection_efficiency is None else (collection_efficiency,) * lam.size
        return cls(**{**self_.__dict__, "wavelength_um": lam, "purcell_total": tot,
                      "radiative_wavelength_um": lam,
                      "purcell_radiative": tot * radiative_efficiency,
                      "collection_efficiency": coll})

    @classmethod
    def layered(cls, *, wavelengths_um: Sequence[float], stack: Callable[[float], LocalStack],
                orientation: str = "parallel", collection_na: float | None = None,
                source: str = "planar stack, exact (sims.layered)") -> CavityResponse:
        """No cavity: a dipole in a planar multilayer, exact (the Sommerfeld integrals of
        :mod:`sims.layered`): its total rate, its far-field radiation (up and down) and, with
        ``collection_na``, the fraction of that radiation inside the NA on the upper side, each
        on the wavelength grid. ``stack(λ)`` gives the emitter's layer and what lies below and
        above it at λ (a :class:`sims.local_stack.LocalStack`; e.g. ``lambda lam:
        local_stack(structure, lam)`` for the layers under a device's emitter). ``orientation``:
        ``"parallel"`` (the tabulated dipole lies in the plane, x) or ``"perpendicular"``.

        Example (a flat-lying dipole 5 nm above glass, collected from the air side, NA 0.65):
            >>> from sims.layered import Side
            >>> from sims.local_stack import LocalStack
            >>> glass = LocalStack(emitter_index=1.0, below=Side(
            ...     distance_um=0.005, half_space_permittivity=2.13), above=None)
            >>> c = CavityResponse.layered(wavelengths_um=(0.50, 0.54),
            ...                            stack=lambda lam: glass, collection_na=0.65)
            >>> round(c.purcell_total[0], 2), round(c.collection_efficiency[0], 3)
            (1.29, 0.081)
        """
        from sims import layered

        lam = _tuple(wavelengths_um)
        tot, rad, coll = [], [], []
        n_em = None
        for w in lam:
            st = stack(w)
            n_em = st.emitter_index if n_em is None else n_em
            r = layered.layered_radiation(wavelength_um=w, emitter_index=st.emitter_index,
                                          below=st.below, above=st.above,
                                          orientation=orientation, na=collection_na)
            tot.append(r.total)
            rad.append(r.radiated)
            if collection_na is not None:
                coll.append(r.radiated_up_in_na / r.radiated if r.radiated > 0 else 0.0)
        return cls(wavelength_um=lam, purcell_total=tuple(tot), radiative_wavelength_um=lam,
                   purcell_radiative=tuple(rad),
                   collection_efficiency=tuple(coll) if collection_na is not None else None,
                   refractive_index=float(n_em or 1.0), source=source)

    @classmethod
    def from_sim_result(cls, result: Any) -> CavityResponse:
        """From a :class:`sims.results.SimResult`, its dict, or a path to its JSON file.

        Uses the LDOS (total) and flux (radiative) spectra, the selected mode's Q and resonance,
        the peak mode volume and the emitter-site volume (field factor = V_peak / V_emitter).
        In 2D the mode "volume" is an area, so no closed form is possible (V left unset).

        Raises:
            sims.errors.LdosNotConverged: the LDOS spectrum is clearly negative (a long-lived
                mode cut at the time cap), so it is not a Purcell spectrum.
        """
        from sims.analysis import negative_ldos
        from sims.errors import LdosNotConverged
        from sims.results import SimResult

        if isinstance(result, (str, Path)):
            result = SimResult.from_json(Path(result).read_text())
        elif isinstance(result, dict):
            result = SimResult.from_dict(result)
        if not isinstance(result, SimResult):
            raise ValueError("`result` must be a SimResult, its dict or a JSON path, but got "
                             f"result={type(result).__name__}.")
        warns = list(result.warnings)
        sp = result.spectra
        negative = negative_ldos(sp.wavelength_um, sp.purcell_total)
        if negative is not None:
            raise LdosNotConverged(
                f"{negative} (run stopped: {result.provenance.stop_reason}): the spectral "
                "overlap, brightness and g2 need a converged Purcell spectrum. Re-run with a "
                "larger max_periods, or at a fidelity whose mode leaks out (3D).")
        lam, tot = _finite_pairs(sp.wavelength_um, sp.purcell_total)
        flam, rad = _finite_pairs(sp.flux_wavelength_um, sp.purcell_radiative)
        coll = None
        if sp.collection_efficiency is not None:
            c = np.asarray(sp.collection_efficiency, float)
            fl = np.asarray(sp.flux_wavelength_um, float)
            ok = np.isfinite(c) & np.isfinite(fl)
            cl, cv = fl[ok], np.clip(c[ok], 0, 1)
            coll = np.interp(flam, cl[np.argsort(cl)], cv[np.argsort(cl)]) if cl.size >= 2 else None
        rad = np.clip(rad, 0, None)
        tot = np.clip(tot, 0, None)
        mode = result.resonance
        res_wl = q = None
        if mode is not None and math.isfinite(mode.wavelength_um) and mode.wavelength_um > 0:
            res_wl = mode.wavelength_um
            if math.isfinite(mode.quality_factor) and mode.quality_factor > 0:
                q = mode.quality_factor
        v_n3 = v_um3 = None
        ff = 1.0
        mv = result.mode_volume
        if mv is not None and mv.peak_volume_lambda_n3 is not None:
            v_n3, v_um3 = mv.peak_volume_lambda_n3, mv.peak_volume_um3
            if mv.emitter_volume_lambda_n3 is not None and mv.emitter_volume_lambda_n3 > 0:
                ff = min(max(mv.peak_volume_lambda_n3 / mv.emitter_volume_lambda_n3, 1e-12), 1.0)
        elif mv is not None:
            warns.append("2D result: the mode area gives no 3D Q/V closed form "
                         "(purcell_x_closed_form uses the spectrum peak instead).")
        n = result.refractive_index_at_emitter
        return cls(wavelength_um=lam, purcell_total=tot, radiative_wavelength_um=flam,
                   purcell_radiative=rad, collection_efficiency=coll, resonance_wavelength_um=res_wl,
                   quality_factor=q, mode_volume_lambda_n3=v_n3,
                   mode_volume_um3=v_um3 if (v_um3 is not None and v_um3 > 0) else None,
                   refractive_index=n if (math.isfinite(n) and n > 0) else 1.0, field_factor=ff,
                   model="tabulated", source=f"SimResult ({result.structure.get('type', '?')})"
                   if isinstance(result.structure, dict) else "SimResult",
                   warnings=tuple(warns))

    # -- evaluation -----------------------------------------------------------------------------
    @property
    def peak_purcell(self) -> float:
        """Ideal Purcell factor 3/(4π²)·Q/V (REFERENCES A1), or the spectrum maximum if no Q/V."""
        if self.quality_factor is not None and self.mode_volume_lambda_n3 is not None:
            return PURCELL_PREFACTOR * self.quality_factor / self.mode_volume_lambda_n3
        return float(np.max(self.purcell_total))

    @property
    def background(self) -> float:
        """Off-resonant F_tot seen by a dipole not coupled to the mode.

        Given explicitly, or the median of the total spectrum more than 5 linewidths from the
        resonance (whole spectrum minimum if no such points; 1 if no resonance is known).
        """
        if self.background_purcell is not None:
            return self.background_purcell
        return self._estimate_background(self.wavelength_um, self.purcell_total)

    @property
    def background_radiative(self) -> float:
        if self.model != "tabulated":
            return self.background * self.radiative_efficiency
        return self._estimate_background(self.radiative_wavelength_um, self.purcell_radiative)

    def _estimate_background(self, wl: tuple[float, ...], vals: tuple[float, ...]) -> float:
        if self.resonance_wavelength_um is None or self.quality_factor is None:
            return 1.0
        lam, f = np.asarray(wl), np.asarray(vals)
        far = np.abs(lam / self.resonance_wavelength_um - 1) > 5 / self.quality_factor
        return float(np.median(f[far])) if far.sum() >= 3 else float(np.min(f))

    def total_at(self, wavelength_um: Any) -> np.ndarray:
        """F_tot at vacuum wavelengths (µm); clamped to the end values outside the grid."""
        lam = np.asarray(wavelength_um, float)
        if self.model == "lorentzian":
            return self._lorentz(lam)
        if self.model == "flat":
            return np.full_like(lam, self.purcell_total[0])
        return _interp(lam, self.wavelength_um, self.purcell_total)

    def radiative_at(self, wavelength_um: Any) -> np.ndarray:
        lam = np.asarray(wavelength_um, float)
        if self.model != "tabulated":
            return self.total_at(lam) * self.radiative_efficiency
        return self.total_at(lam) * _interp(lam, self.radiative_wavelength_um,
                                            self.radiative_efficiency_spectrum)

    @property
    def radiative_efficiency_spectrum(self) -> tuple[float, ...]:
        """F_rad/F_tot on the radiative grid (smooth even when the flux grid under-resolves the
        resonance, so F_rad(λ) = F_tot(λ)·η_rad(λ) keeps the fine LDOS line shape)."""
        tot = self.total_at(np.asarray(self.radiative_wavelength_um))
        rad = np.asarray(self.purcell_radiative)
        return tuple(np.where(tot > 0, rad / np.where(tot > 0, tot, 1.0), 0.0))

    def collection_at(self, wavelength_um: Any) -> np.ndarray | None:
        if self.collection_efficiency is None:
            return None
        return _interp(np.asarray(wavelength_um, float), self.radiative_wavelength_um,
                       self.collection_efficiency)

    def _lorentz(self, lam: np.ndarray) -> np.ndarray:
        ec = energy_ev(self.resonance_wavelength_um)  # type: ignore[arg-type]
        e = 1.239841984 / lam
        q = self.quality_factor
        return self.background + self.peak_purcell * self.field_factor / (
            1 + 4 * q**2 * (e / ec - 1) ** 2)  # type: ignore[operator]

    @property
    def window_um(self) -> tuple[float, float]:
        """Simulated wavelength window (intersection of the total and radiative grids)."""
        if self.model != "tabulated":
            return (0.0, math.inf)
        return (max(min(self.wavelength_um), min(self.radiative_wavelength_um)),
                min(max(self.wavelength_um), max(self.radiative_wavelength_um)))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in self.__dict__.items():
            out[k] = list(v) if isinstance(v, tuple) else v
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)


def _finite_pairs(xs: Any, ys: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0)
    x, y = x[ok], y[ok]
    order = np.argsort(x)
    if x.size < 2:
        raise ValueError(f"a spectrum needs >= 2 finite points, but got {x.size}.")
    return x[order], y[order]


def _interp(x: np.ndarray, xs: tuple[float, ...], ys: tuple[float, ...]) -> np.ndarray:
    xa, ya = np.asarray(xs), np.asarray(ys)
    order = np.argsort(xa)
    return np.interp(x, xa[order], ya[order])
