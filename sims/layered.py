"""Dipole in a planar multilayer: total decay rate, far-field radiation and surface plasmons
(pure numpy/scipy; the analytic oracle for emitters near metal films and in metal gaps).

The emitter sits in a lossless layer ("the gap", permittivity ε1 = n1²). Below it lies a stack
of films on a half-space, and above it either the same kind of stack (a metal-insulator-metal
gap, a film-coated mirror) or nothing (the gap layer is then the upper half-space, as for a
dipole above a substrate). With s = k∥/k1, s_z = sqrt(1 − s²) (Im ≥ 0), the generalised
reflection coefficients R_a (above) and R_b (below) of the two stacks, seen from the gap at its
interfaces, and e_a = exp(2i k1 s_z d_a), e_b = exp(2i k1 s_z d_b), e_L = e_a e_b (d_a, d_b the
emitter's distances to the two interfaces), the decay rate over the bulk rate in the gap is

    Γ⊥/Γ0 = (3/2) Re ∫0^∞ (s³/s_z) (1 + R_a^p e_a)(1 + R_b^p e_b) / (1 − R_a^p R_b^p e_L) ds
    Γ∥/Γ0 = (3/4) Re ∫0^∞ (s/s_z) [ (1 + R_a^s e_a)(1 + R_b^s e_b) / (1 − R_a^s R_b^s e_L)
                                    + s_z² (1 − R_a^p e_a)(1 − R_b^p e_b) / (1 − R_a^p R_b^p e_L) ] ds

(the multiple-reflection series of the image dipoles summed; Chance, Prock & Silbey, Adv.
Chem. Phys. 37, 1 (1978); Novotny & Hecht, Principles of Nano-Optics, ch. 10). With nothing
above (R_a = 0) it is the half-space formula of REFERENCES A4 (:func:`sims.analytic.
interface_rate`), with perfect mirrors the planar-cavity mode sum of REFERENCES A3
(:func:`sims.analytic.planar_cavity_rate`); both limits are tests. R_p is the reflection of
the TM magnetic field (→ +1 at a perfect conductor), R_s that of the TE electric field.

Radiation to the far field is the part of the plane-wave spectrum that propagates in a lossless
outer half-space. A plane-wave component of the dipole with amplitude factor a(s)
(s/s_z, 1/s_z and 1 for the p-wave of a ⊥ dipole, the s-wave and the p-wave of a ∥ dipole)
reaches the outer half-space j with amplitude a·G·T, where T is the stack's transmission and
G = p (σ + R' p'²) / (1 − R_a R_b e_L) sums the reflections in the gap (p = exp(i k1 s_z d) to
that side's interface, p' to the other one, R' the other side's reflection, σ = −1 for the
p-wave of a ∥ dipole, +1 otherwise). It carries the power

    P_j/P0 = c Re ∫ s |a G T|² w_j ds,   w_j = Re(s_zj ε1/ε_j) (p) or Re(s_zj) (s),

with s_zj = sqrt(ε_j/ε1 − s²), c = 3/4 (⊥) or 3/8 (∥): a free dipole gives 1/2 each way. A
lossy outer medium (a metal half-space) takes no far-field power. The remainder, total −
radiated, is absorbed: quenching by lossy surface waves and surface plasmons that decay in the
metal. The surface-plasmon part is the residue of the integrand at its pole (the bound mode of
the stack; :func:`layered_radiation` returns it separately).
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, kw_only=True)
class Side:
    """What lies on one side of the emitter's layer, in µm.

    Args:
        distance_um: emitter to the first interface on this side.
        half_space_permittivity: permittivity of the outermost (semi-infinite) medium (complex:
            Im > 0 is loss, time dependence exp(−iωt) as in Meep).
        films: (permittivity, thickness_um) of the films between the emitter's layer and the
            half-space, nearest to the emitter first.
    """

    distance_um: float
    half_space_permittivity: complex
    films: tuple[tuple[complex, float], ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.distance_um) and self.distance_um > 0):
            raise ValueError(f"`distance_um > 0` must hold, but got distance_um={self.distance_um!r}.")
        for i, (_, t) in enumerate(self.films):
            if not (math.isfinite(t) and t > 0):
                raise ValueError(f"`films[{i}] thickness > 0` must hold (µm), but got {t!r}.")
        object.__setattr__(self, "films", tuple((complex(e), float(t)) for e, t in self.films))


Array = np.ndarray

# Gauss-Kronrod 7-15 nodes and weights on [-1, 1] (QUADPACK's qk15)
_XGK = np.array([0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                 0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                 0.207784955007898467600689403773245, 0.0])
_WGK = np.array([0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                 0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                 0.204432940075298892414161999234649, 0.209482141084727828012999174891714])
_WG = np.array([0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                0.381830050505118944950369775488975, 0.417959183673469387755102040816327])
NODES = np.concatenate([-_XGK[:-1], _XGK[::-1]])
"""The 15 Kronrod nodes on [-1, 1], ascending."""
KRONROD = np.concatenate([_WGK[:-1], _WGK[::-1]])
GAUSS = np.zeros(15)
GAUSS[1:14:2] = np.concatenate([_WG[:-1], _WG[::-1]])
EPS_REL = 1e-10
"""Relative accuracy the adaptive quadrature aims at (checked against a dense trapezoid rule
and scipy's QUADPACK in tests/sims_tests/test_layered.py)."""


def gauss_kronrod(f: Callable[[Array], Array], edges: Sequence[float], *,
                  eps_rel: float = EPS_REL, eps_abs: float = 1e-13,
                  max_rounds: int = 60, max_intervals: int = 20_000) -> float:
    """∫ f over [edges[0], edges[-1]] by adaptive Gauss-Kronrod (7-15) quadrature, with every
    interval of a round evaluated in one vectorised call of ``f``: intervals whose error
    estimate |K15 − G7| exceeds their share of the target are halved until the summed error
    is below ``max(eps_abs, eps_rel |∫|)``.

    Example:
        >>> round(gauss_kronrod(np.exp, [0.0, 1.0]) - (math.e - 1), 14)
        0.0
    """
    a = np.asarray(edges[:-1], dtype=float)
    b = np.asarray(edges[1:], dtype=float)
    keep = b > a
    a, b = a[keep], b[keep]
    done = 0.0
    for _ in range(max_rounds):
        if a.size == 0:
            return done
        if a.size > max_intervals:
            break
        half, mid = 0.5 * (b - a), 0.5 * (b + a)
        x = mid[:, None] + half[:, None] * NODES[None, :]
        fx = f(x.ravel()).reshape(x.shape)
        kron = half * (fx @ KRONROD)
        err = np.abs(kron - half * (fx @ GAUSS))
        estimate = done + float(kron.sum())
        target = max(eps_abs, eps_rel * abs(estimate))
        if float(err.sum()) <= target:
            return estimate
        split = err > target / (4 * err.size)
        done += float(kron[~split].sum())
        a, b, m = a[split], b[split], mid[split]
        a, b = np.concatenate([a, m]), np.concatenate([m, b])
    raise ArithmeticError(
        "layered-medium quadrature did not converge: the integrand has a pole on the real axis "
        "(a guided mode of a lossless stack). Give the guiding layer a small loss (Im ε ~ 1e-3) "
        "and extrapolate to zero loss, as sims.analytic.slab_rate does.")


def _kz(eps_rel: complex, s: Array) -> Array:
    """s_z of a medium with ε/ε1 = eps_rel, branch Im ≥ 0 (Re ≥ 0 on the real axis)."""
    kz = np.sqrt(eps_rel - s * s + 0j)
    flip = (kz.imag < 0) | ((kz.imag == 0) & (kz.real < 0))
    return np.where(flip, -kz, kz)


def _stack(eps1: float, side: Side, s: Array, k1: float) -> tuple[Array, Array, Array, Array]:
    """(R_s, R_p, T_s, T_p) of one side's stack at the in-plane wavevectors ``s``, seen from the
    emitter's layer at its interface (T: amplitude in the half-space at its top interface for a
    unit wave incident from the emitter's layer; E for s waves, H for p waves)."""
    eps = [1.0 + 0j, *(e / eps1 for e, _ in side.films), complex(side.half_space_permittivity) / eps1]
    thick = [0.0, *(t for _, t in side.films)]
    kz = [_kz(e, s) for e in eps]
    n = len(eps)
    out = []
    for pol in ("s", "p"):
        def fresnel(i: int) -> Array:
            a, b = kz[i], kz[i + 1]
            if eps[i] == eps[i + 1]:
                return np.zeros_like(a)  # no interface (also at s_z = 0, where it is 0/0)
            if pol == "s":
                return (a - b) / (a + b)
            return (eps[i + 1] * a - eps[i] * b) / (eps[i + 1] * a + eps[i] * b)
        # generalised reflection from the outside in; T accumulates from the inside out
        fr = [fresnel(i) for i in range(n - 1)]
        refl = [np.zeros_like(s, dtype=complex)] * n
        refl[n - 2] = fr[n - 2]
        for i in range(n - 3, -1, -1):
            ph = np.exp(2j * k1 * kz[i + 1] * thick[i + 1])
            refl[i] = (fr[i] + refl[i + 1] * ph) / (1 + fr[i] * refl[i + 1] * ph)
        trans = np.ones_like(s, dtype=complex)
        for i in range(n - 2):
            ph = np.exp(1j * k1 * kz[i + 1] * thick[i + 1])
            trans = trans * (1 + fr[i]) * ph / (1 + fr[i] * refl[i + 1] * ph * ph)
        trans = trans * (1 + fr[n - 2])
        out.append((refl[0], trans))
    (rs, ts), (rp, tp) = out
    return rs, rp, ts, tp


class _Geometry:
    """The emitter's layer and its two sides, with the integrands in s (vectorised)."""

    def __init__(self, *, wavelength_um: float, emitter_index: float, below: Side,
                 above: Side | None) -> None:
        if not (math.isfinite(wavelength_um) and wavelength_um > 0):
            raise ValueError(f"`wavelength_um > 0` must hold, but got wavelength_um={wavelength_um!r}.")
        if not (math.isfinite(emitter_index) and emitter_index > 0):
            raise ValueError(f"`emitter_index > 0` must hold (a lossless layer), but got "
                             f"emitter_index={emitter_index!r}.")
        self.eps1 = emitter_index**2
        self.k1 = 2 * math.pi * emitter_index / wavelength_um
        self.below, self.above = below, above

    def sides(self, s: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        """Stacks below and above (nothing above: R = 0, T = 1)."""
        b = _stack(self.eps1, self.below, s, self.k1)
        if self.above is None:
            zero, one = np.zeros_like(s, dtype=complex), np.ones_like(s, dtype=complex)
            return b, (zero, zero, one, one)
        return b, _stack(self.eps1, self.above, s, self.k1)

    def phases(self, sz: Array) -> tuple[Array, Array]:
        """(p_b, p_a) = exp(i k1 s_z d) to the interface below and above (p_a = 1 without one:
        only |p_a| enters, for propagating waves)."""
        pb = np.exp(1j * self.k1 * sz * self.below.distance_um)
        pa = (np.ones_like(pb) if self.above is None
              else np.exp(1j * self.k1 * sz * self.above.distance_um))
        return pb, pa

    def rate_integrand(self, s: Array, sz: Array, orientation: str) -> Array:
        """Integrand of Γ/Γ0 in ds (its real part integrates to the rate)."""
        s_wave, p_wave = self.rate_parts(s, sz, orientation)
        return s_wave + p_wave

    def rate_parts(self, s: Array, sz: Array, orientation: str) -> tuple[Array, Array]:
        """The s-wave (TE) and p-wave (TM) parts of :meth:`rate_integrand`, each averaged over
        the direction of the in-plane wavevector (:mod:`sims.layered_harmonics` weights them
        per azimuthal harmonic)."""
        (rsb, rpb, _, _), (rsa, rpa, _, _) = self.sides(s)
        pb, pa = self.phases(sz)
        eb, ea = pb * pb, pa * pa

        def gap(ra: Array, rb: Array, sign: int) -> Array:
            return (1 + sign * ra * ea) * (1 + sign * rb * eb) / (1 - ra * rb * ea * eb)

        if orientation == "perpendicular":
            return np.zeros_like(s), 1.5 * s**3 / sz * gap(rpa, rpb, 1)
        return 0.75 * s / sz * gap(rsa, rsb, 1), 0.75 * s / sz * sz * sz * gap(rpa, rpb, -1)

    def denominators(self, s: Array, sz: Array) -> tuple[Array, Array]:
        """(1 − R_a R_b e_L) for s and p waves, or (1/R_b^s, 1/R_b^p) without a layer above,
        whose small values mark the bound modes (poles) of the integrand."""
        (rsb, rpb, _, _), (rsa, rpa, _, _) = self.sides(s)
        if self.above is None:
            tiny = 1e-300
            return 1 / np.where(rsb == 0, tiny, rsb), 1 / np.where(rpb == 0, tiny, rpb)
        pb, pa = self.phases(sz)
        el = (pa * pb) ** 2
        return 1 - rsa * rsb * el, 1 - rpa * rpb * el


def _special_points(geo: _Geometry) -> list[float]:
    """Branch points s = Re n_j/n1 > 1 of every medium and the single-interface plasmon poles,
    in the evanescent variable u = sqrt(s² − 1)."""
    eps = [geo.below.half_space_permittivity, *(e for e, _ in geo.below.films)]
    if geo.above is not None:
        eps += [geo.above.half_space_permittivity, *(e for e, _ in geo.above.films)]
    out = []
    for e in eps:
        rel = complex(e) / geo.eps1
        for sp in (cmath.sqrt(rel), cmath.sqrt(rel / (1 + rel)) if rel != -1 else 0j):
            if sp.real > 1:
                out.append(math.sqrt(sp.real**2 - 1))
    return out


def _minima(vals: Array, grid: Array) -> list[float]:
    inner = (vals[1:-1] <= vals[:-2]) & (vals[1:-1] <= vals[2:])
    return [float(x) for x in grid[1:-1][inner]]


POLE_DEPTH = 0.5
"""A minimum of the TM denominator |1 − R_a R_b e_L| (or |1/R_b|) below this, beyond the light
line, is taken as a bound mode whose pole :func:`surface_plasmon_rate` locates."""


def _breaks(geo: _Geometry, u_max: float) -> tuple[list[float], list[float], list[float]]:
    """Break points in t (s = sin t, propagating) and in u (evanescent): the branch points,
    the plasmon poles and every local minimum of |denominator| (the stack's modes, found on a
    fine grid), each bracketed so that the quadrature starts with a narrow peak resolved;
    and the u of the TM minima deep enough to be bound modes (:data:`POLE_DEPTH`)."""
    t_grid = np.linspace(0, math.pi / 2, 4001)
    ds, dp = geo.denominators(np.sin(t_grid) + 0j, np.cos(t_grid) + 0j)
    t_pts = _minima(np.minimum(np.abs(ds), np.abs(dp)), t_grid)
    u_grid = np.concatenate([np.linspace(0, min(u_max, 5.0), 2001),
                             np.geomspace(5.0, max(u_max, 5.01), 2001)[1:]])
    ds, dp = geo.denominators(np.sqrt(1 + u_grid**2) + 0j, 1j * u_grid)
    u_pts = _minima(np.minimum(np.abs(ds), np.abs(dp)), u_grid) + _special_points(geo)
    deep = [u for u in _minima(np.abs(dp), u_grid)
            if np.abs(dp)[np.searchsorted(u_grid, u)] < POLE_DEPTH]
    dt = t_grid[1] - t_grid[0]
    t_out = sorted({min(max(x + k * dt, 0.0), math.pi / 2) for x in t_pts for k in (-1, 0, 1)})
    u_out: set[float] = set()
    for x in u_pts:
        h = max(1e-3, 2e-3 * x)
        u_out.update((max(x - h, 0.0), x, x + h))
    return t_out, sorted(p for p in u_out if 0 < p < u_max), deep


def _integrate(geo: _Geometry, f: Callable[[Array, Array], Array], *, u_max: float,
               s_max: float | None = None) -> float:
    """Re ∫ f(s, s_z) ds over [0, ∞) (or [0, s_max]), split at s = 1: s = sin t below,
    s = sqrt(1 + u²) above, with break points at the stack's modes."""
    t_pts, u_pts, _ = _breaks(geo, u_max)

    def f_t(t: Array) -> Array:
        sz = np.cos(t) + 0j
        return np.real(f(np.sin(t) + 0j, sz) * sz)  # ds = s_z dt

    def f_u(u: Array) -> Array:
        s = np.sqrt(1 + u * u) + 0j
        with np.errstate(invalid="ignore", divide="ignore"):
            val = np.real(f(s, 1j * u) * u / s)  # ds = u du / s
        return np.where(u > 0, val, 0.0)

    t_top = math.pi / 2 if s_max is None or s_max >= 1 else math.asin(s_max)
    total = gauss_kronrod(f_t, [0.0, *(p for p in t_pts if 0 < p < t_top), t_top])
    top = u_max if s_max is None else math.sqrt(max(s_max**2 - 1, 0.0))
    if top > 0:
        total += gauss_kronrod(f_u, [0.0, *(p for p in u_pts if 0 < p < top), top])
    return total


def _u_max(geo: _Geometry) -> float:
    d = min(geo.below.distance_um, geo.above.distance_um if geo.above else math.inf)
    scale = max([1.0, *_special_points(geo)])
    return max(60.0 / (geo.k1 * d), 20.0 * scale)


def _orient(orientation: str) -> None:
    if orientation not in ("perpendicular", "parallel"):
        raise ValueError("`orientation` must be 'perpendicular' or 'parallel', but got "
                         f"orientation={orientation!r}.")


def layered_rate(*, wavelength_um: float, emitter_index: float, below: Side,
                 above: Side | None = None, orientation: str) -> float:
    """Total decay rate over the bulk rate in the emitter's layer (see the module docstring).

    Args:
        wavelength_um: vacuum wavelength.
        emitter_index: refractive index of the (lossless) layer holding the emitter.
        below: the stack below the emitter.
        above: the stack above it (None: the emitter's layer is the upper half-space).
        orientation: ``"perpendicular"`` (dipole along the normal) or ``"parallel"``.

    Example (10 nm air gap between Ag half-spaces, ε(520 nm) of Meep's Rakić fit):
        >>> ag = complex(-8.5744, 0.7765)
        >>> round(layered_rate(wavelength_um=0.52, emitter_index=1.0,
        ...                    below=Side(distance_um=0.005, half_space_permittivity=ag),
        ...                    above=Side(distance_um=0.005, half_space_permittivity=ag),
        ...                    orientation="perpendicular"), 1)
        607.6
    """
    _orient(orientation)
    geo = _Geometry(wavelength_um=wavelength_um, emitter_index=emitter_index, below=below,
                    above=above)
    return _integrate(geo, lambda s, sz: geo.rate_integrand(s, sz, orientation),
                      u_max=_u_max(geo))


def mim_rate(*, gap_um: float, position_fraction: float = 0.5, wavelength_um: float,
             gap_index: float = 1.0, permittivity_below: complex,
             permittivity_above: complex | None = None, orientation: str) -> float:
    """Dipole in a dielectric gap of width ``gap_um`` between two metal half-spaces (a planar
    metal-insulator-metal stack), at ``position_fraction`` of the gap from the lower metal.

    Example:
        >>> round(mim_rate(gap_um=0.01, wavelength_um=0.52,
        ...                permittivity_below=complex(-8.5744, 0.7765),
        ...                orientation="parallel"), 2)
        36.27
    """
    if not 0 < position_fraction < 1:
        raise ValueError("`0 < position_fraction < 1` must hold, but got "
                         f"position_fraction={position_fraction!r}.")
    if not (math.isfinite(gap_um) and gap_um > 0):
        raise ValueError(f"`gap_um > 0` must hold, but got gap_um={gap_um!r}.")
    top = permittivity_below if permittivity_above is None else permittivity_above
    return layered_rate(
        wavelength_um=wavelength_um, emitter_index=gap_index,
        below=Side(distance_um=position_fraction * gap_um, half_space_permittivity=permittivity_below),
        above=Side(distance_um=(1 - position_fraction) * gap_um, half_space_permittivity=top),
        orientation=orientation)


# -- far field and surface plasmons -----------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class LayeredRates:
    """Where a dipole's power goes, each over the bulk rate in the emitter's layer.

    ``total = radiated_up + radiated_down + absorbed``; ``surface_plasmon`` is the part of
    ``absorbed`` launched into the stack's bound mode (the area of its pole's Lorentzian,
    :func:`surface_plasmon_rate`), the rest is quenching (lossy surface waves).
    """

    total: float
    radiated_up: float
    radiated_down: float
    surface_plasmon: float
    radiated_up_in_na: float | None = None
    """The part of ``radiated_up`` inside the collection cone (when an NA was given)."""

    @property
    def radiated(self) -> float:
        return self.radiated_up + self.radiated_down

    @property
    def absorbed(self) -> float:
        return self.total - self.radiated


def _outer(side: Side | None, eps1: float) -> complex:
    return complex(eps1) if side is None else complex(side.half_space_permittivity)


def _radiated(geo: _Geometry, orientation: str, direction: str,
              na: float | None = None) -> float:
    """Far-field power into the outer half-space above (``"up"``) or below (``"down"``), or
    only its part inside the cone n_out sin θ ≤ ``na``."""
    side = geo.above if direction == "up" else geo.below
    eps_out = _outer(side, geo.eps1)
    if eps_out.imag > 1e-12 * abs(eps_out) or eps_out.real <= 0:
        return 0.0  # an absorbing half-space takes no far-field power
    rel = eps_out / geo.eps1
    s_max = math.sqrt(rel.real)
    if na is not None:  # n_out sin θ = n1 s
        s_max = min(s_max, na / math.sqrt(geo.eps1))

    def amplitude(b: tuple[Array, ...], a: tuple[Array, ...], pb: Array, pa: Array, i: int,
                  sigma: int) -> Array:
        """G·T of the module docstring (i = 0: s wave, 1: p wave)."""
        rb, tb, ra, ta = b[i], b[2 + i], a[i], a[2 + i]
        den = 1 - ra * rb * (pa * pb) ** 2
        if direction == "up":
            return pa * (1 + sigma * rb * pb * pb) / den * ta
        return pb * (sigma + ra * pa * pa) / den * tb

    def f(s: Array, sz: Array) -> Array:
        b, a = geo.sides(s)
        pb, pa = geo.phases(sz)
        kz_out = _kz(rel, s)
        w_p, w_s = np.real(kz_out / rel), np.real(kz_out)
        az2 = np.abs(sz) ** 2
        amp_p = np.abs(amplitude(b, a, pb, pa, 1, 1 if orientation == "perpendicular" else -1))
        if orientation == "perpendicular":
            return 0.75 * s**3 / az2 * amp_p**2 * w_p
        amp_s = np.abs(amplitude(b, a, pb, pa, 0, 1))
        return 0.375 * s * (amp_s**2 * w_s / az2 + amp_p**2 * w_p)

    return _integrate(geo, f, u_max=max(math.sqrt(max(s_max**2 - 1, 0.0)), 1e-9), s_max=s_max)


def _pole(geo: _Geometry, guess_u: float) -> complex | None:
    """The zero of the stack's TM denominator (its bound mode) near s = sqrt(1 + guess_u²), by
    the secant method in the complex s plane (None if it does not converge there)."""
    def den(s: complex) -> complex:
        arr = np.array([s])
        with np.errstate(all="ignore"):
            return complex(geo.denominators(arr, _kz(1.0, arr))[1][0])

    s0 = complex(math.sqrt(1 + guess_u**2), 1e-3)
    s1 = s0 * (1 + 1e-4)
    f0, f1 = den(s0), den(s1)
    for _ in range(100):
        if f1 == f0:
            break
        s2 = s1 - f1 * (s1 - s0) / (f1 - f0)
        if not (cmath.isfinite(s2) and abs(s2) < 1e6):
            return None
        s0, f0, s1, f1 = s1, f1, s2, den(s2)
        if abs(s1 - s0) < 1e-13 * abs(s1):
            return s1 if s1.real > 1 and s1.imag >= 0 else None
    return None


def surface_plasmon_rate(*, wavelength_um: float, emitter_index: float, below: Side,
                         above: Side | None = None, orientation: str) -> float:
    """Decay rate into the stack's bound TM modes (surface plasmons, gap plasmons), over the
    bulk rate: for each pole s_p of the integrand beyond the light line (Im s_p > 0 with loss),
    the area of its Lorentzian along the real axis, Re(iπ Res_{s_p}), which is exactly the
    power the emitter gives the mode in the lossless limit (Ford & Weber, Phys. Rep. 113, 195
    (1984); Barnes, J. Mod. Opt. 45, 661 (1998)). Meaningful when the mode is narrow (Ag);
    for a lossy metal (Au at 520 nm) the peak merges with the quenching background."""
    _orient(orientation)
    geo = _Geometry(wavelength_um=wavelength_um, emitter_index=emitter_index, below=below,
                    above=above)
    u_max = _u_max(geo)
    poles: list[complex] = []
    for u in _breaks(geo, u_max)[2]:
        p = _pole(geo, u)
        if p is not None and not any(abs(p - q) < 1e-8 * abs(p) for q in poles):
            poles.append(p)
    total = 0.0
    for sp in poles:
        h = 1e-6 * abs(sp)

        pts = np.array([sp + h, sp - h])
        inv = 1 / geo.rate_integrand(pts, _kz(1.0, pts), orientation)
        deriv = (inv[0] - inv[1]) / (2 * h)
        total += float(np.real(1j * math.pi / deriv))
    return total


def layered_radiation(*, wavelength_um: float, emitter_index: float, below: Side,
                      above: Side | None = None, orientation: str,
                      na: float | None = None) -> LayeredRates:
    """Total rate, far-field radiation up and down, and the surface-plasmon part (see the
    module docstring), each over the bulk rate in the emitter's layer.

    Example (dipole 20 nm above Ag, 520 nm: most of the power is quenched):
        >>> r = layered_radiation(wavelength_um=0.52, emitter_index=1.0,
        ...                       below=Side(distance_um=0.02,
        ...                                  half_space_permittivity=complex(-8.5744, 0.7765)),
        ...                       orientation="perpendicular")
        >>> round(r.total, 3), round(r.radiated_up, 3), r.radiated_down, round(r.surface_plasmon, 2)
        (4.919, 0.709, 0.0, 3.28)
    """
    kwargs = {"wavelength_um": wavelength_um, "emitter_index": emitter_index, "below": below,
              "above": above, "orientation": orientation}
    total = layered_rate(**kwargs)
    geo = _Geometry(wavelength_um=wavelength_um, emitter_index=emitter_index, below=below,
                    above=above)
    return LayeredRates(total=total, radiated_up=_radiated(geo, orientation, "up"),
                        radiated_down=_radiated(geo, orientation, "down"),
                        surface_plasmon=surface_plasmon_rate(**kwargs),
                        radiated_up_in_na=None if na is None else _radiated(
                            geo, orientation, "up", na))


def normal_incidence_reflection(*, wavelength_um: float, incident_permittivity: complex,
                                films: Sequence[tuple[complex, float]],
                                half_space_permittivity: complex) -> complex:
    """Amplitude reflection coefficient (E field) at normal incidence of films (nearest
    first, (permittivity, thickness_um)) on a half-space, seen from a lossless incident medium
    and referred to the first interface (time dependence exp(−iωt), as everywhere here).

    Example (a bare glass surface, (1 − n)/(1 + n)):
        >>> round(normal_incidence_reflection(wavelength_um=0.52, incident_permittivity=1.0,
        ...       films=(), half_space_permittivity=1.5**2).real, 6)
        -0.2
    """
    eps1 = float(np.real(incident_permittivity))
    if not eps1 > 0:
        raise ValueError(f"`incident_permittivity > 0` must hold (lossless), but got "
                         f"{incident_permittivity!r}.")
    side = Side(distance_um=1.0, half_space_permittivity=half_space_permittivity,
                films=tuple(films))
    k1 = 2 * math.pi * math.sqrt(eps1) / wavelength_um
    rs, _, _, _ = _stack(eps1, side, np.zeros(1), k1)
    return complex(rs[0])
