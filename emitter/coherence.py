"""Coupling strength, regime, efficiency β and indistinguishability (REFERENCES D1, D2).

Model (Grange et al., PRL 114, 193601 (2015) [V]): a two-level emitter and one cavity mode,
H = ħΔ σ†σ + ħg(σ†a + a†σ) (cavity frame), Lindblad operators √γ σ (decay into non-cavity
modes, incl. non-radiative), √γ* σ†σ (pure dephasing; bare FWHM = γ + γ*) and √κ a.
Starting from |e,0⟩ the dynamics stays in the one-excitation sector plus the ground state, so
all time integrals are closed linear (Lyapunov) equations: no time stepping.

All rates are angular-frequency population rates (FWHM) in one consistent unit (we use 1/ns).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve, solve_continuous_lyapunov

from cavities._validate import require_finite, require_nonnegative, require_positive
from emitter._constants import C_M_S, HBAR_MEV_PS


def coupling_rate_per_ns(*, radiative_rate_per_ns: float, wavelength_um: float,
                         refractive_index: float, mode_volume_um3: float,
                         field_factor: float = 1.0, orientation_factor: float = 1.0) -> float:
    """g = sqrt(3π c³ γ0 / (2 ω² n³ V)) · |û·Ê(r)| (REFERENCES D1 [C]), in rad/ns.

    γ0 is the radiative rate in the bulk host (measured rates include the NC local field).
    Consistent with F_p = 4g²/(κγ0) = 3/(4π²)(λ/n)³Q/V.
    """
    require_positive(radiative_rate_per_ns=radiative_rate_per_ns, wavelength_um=wavelength_um,
                     refractive_index=refractive_index, mode_volume_um3=mode_volume_um3)
    require_nonnegative(field_factor=field_factor, orientation_factor=orientation_factor)
    c = C_M_S * 1e-3  # µm/ns
    omega = 2 * math.pi * c / wavelength_um  # rad/ns
    g2 = 3 * math.pi * c**3 * radiative_rate_per_ns / (
        2 * omega**2 * refractive_index**3 * mode_volume_um3)
    return math.sqrt(g2 * field_factor * orientation_factor)


def rate_per_ns_to_uev(rate_per_ns: float) -> float:
    """ħ·rate in µeV (rate in rad/ns)."""
    return HBAR_MEV_PS * rate_per_ns  # meV·ps × 1/ns = µeV


def regime(*, g: float, kappa: float, gamma_emitter: float) -> str:
    """``"strong"`` if an anticrossing exists, g > |κ − Γ_em|/4, Γ_em = γ + γ* (REFERENCES D1)."""
    return "strong" if g > abs(kappa - gamma_emitter) / 4 else "weak"


def transfer_rate(*, g: float, kappa: float, gamma: float, gamma_star: float,
                  detuning: float = 0.0) -> float:
    """Emitter→cavity rate R = 4g²Γt/(Γt² + 4Δ²), Γt = κ + γ + γ* (REFERENCES D1/D2 [C])."""
    gt = kappa + gamma + gamma_star
    return 4 * g**2 * gt / (gt**2 + 4 * detuning**2)


def beta_closed_form(*, g: float, kappa: float, gamma: float, gamma_star: float,
                     detuning: float = 0.0) -> float:
    """β = κR/(κR + γ(κ + R)) (REFERENCES D2, exact in this model [C])."""
    r = transfer_rate(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star, detuning=detuning)
    den = kappa * r + gamma * (kappa + r)
    return kappa * r / den if den > 0 else 0.0


def indistinguishability_bad_cavity(*, g: float, kappa: float, gamma: float, gamma_star: float,
                                    detuning: float = 0.0) -> float:
    """Purcell regime (κ ≫ g, γ*): I ≈ (γ + R)/(γ + R + γ*) (REFERENCES D2 [C])."""
    r = transfer_rate(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star, detuning=detuning)
    return (gamma + r) / (gamma + r + gamma_star)


def indistinguishability_funnelling(*, g: float, kappa: float, gamma: float, gamma_star: float,
                                    detuning: float = 0.0) -> float:
    """Cavity-funnelling regime (κ, g ≪ γ*): I ≈ (γ + κR/(κ+R))/(γ + κ + 2R) (REFERENCES D2 [C]).

    This is the indistinguishability of the photons leaving through the cavity.
    """
    r = transfer_rate(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star, detuning=detuning)
    return (gamma + kappa * r / (kappa + r)) / (gamma + kappa + 2 * r)


@dataclass(frozen=True, kw_only=True)
class CoherenceResult:
    """Exact solution of the emitter-cavity model.

    Args:
        beta: probability that the excitation leaves as a photon through the cavity (κ channel).
        indistinguishability: HOM I of the cavity photons,
            I = 2∫∫_{τ≥0}|⟨a†(t+τ)a(t)⟩|² dt dτ / (∫⟨a†a⟩dt)².
        mean_cavity_photons: ∫⟨a†a⟩ dt (= β/κ).
    """

    beta: float
    indistinguishability: float
    mean_cavity_photons: float


def _one_excitation_generator(g: float, kappa: float, gamma: float, gamma_star: float,
                              detuning: float) -> np.ndarray:
    """Matrix L with d vec(R)/dt = L vec(R) for the 2×2 block R in basis (|e,0⟩, |g,1⟩).

    dR/dt = −i[H,R] − ½{D,R} + γ* R_ee |e⟩⟨e|,  D = diag(γ + γ*, κ) (jumps by σ, a leave the
    sector to |g,0⟩). vec is row-major: (R_ee, R_ec, R_ce, R_cc).
    """
    h = np.array([[detuning, g], [g, 0.0]], dtype=complex)
    d = np.diag([gamma + gamma_star, kappa]).astype(complex)
    eye = np.eye(2)
    heff = -1j * h - 0.5 * d  # R -> heff R + R heff^†
    # row-major vec: vec(A R B) = (A ⊗ Bᵀ) vec(R)
    gen = np.kron(heff, eye) + np.kron(eye, heff.conj())
    gen[0, 0] += gamma_star  # + γ* R_ee |e⟩⟨e|
    return gen


def solve_emitter_cavity(*, g: float, kappa: float, gamma: float, gamma_star: float,
                         detuning: float = 0.0) -> CoherenceResult:
    """β and I of a cavity-coupled dephased emitter, exactly (REFERENCES D2; Grange et al. 2015).

    Populations: ∫R dt = −L⁻¹R(0). Two-time correlation by the quantum regression theorem:
    y(τ) = (⟨g0|Λ|e0⟩, ⟨g0|Λ|g1⟩) with Λ(0) = aρ(t) obeys dy/dτ = B y, B = (iH − ½D)ᵀ, and
    ⟨a†(t+τ)a(t)⟩ = y_c(τ). Both integrals are Lyapunov equations.

    Args:
        g, kappa, gamma, gamma_star, detuning: rates in one unit (e.g. rad/ns), FWHM convention.
    """
    require_nonnegative(g=g, gamma=gamma, gamma_star=gamma_star)
    require_positive(kappa=kappa)
    require_finite(detuning=detuning)
    if gamma + g == 0:
        raise ValueError("`gamma + g > 0` must hold (the emitter must be able to decay), but got "
                         f"gamma={gamma!r}, g={g!r}.")
    gen = _one_excitation_generator(g, kappa, gamma, gamma_star, detuning)
    r0 = np.array([1, 0, 0, 0], dtype=complex)
    integ = solve(gen, -r0)  # ∫ vec(R) dt
    n_cav = float(integ[3].real)
    beta = kappa * n_cav
    # τ-evolution of y = (y_e, y_c): dy/dτ = B y with B = (iH − ½D)ᵀ
    h = np.array([[detuning, g], [g, 0.0]], dtype=complex)
    d = np.diag([gamma + gamma_star, kappa]).astype(complex)
    b = (1j * h - 0.5 * d).T
    ec = np.zeros((2, 2), dtype=complex)
    ec[1, 1] = 1.0
    # P = ∫ e^{B†τ} e_c e_cᵀ e^{Bτ} dτ solves B†P + PB = −e_c e_cᵀ
    p = solve_continuous_lyapunov(b.conj().T, -ec)
    # y(0) = (R_ce, R_cc) = S vec(R), S picks row-major indices 2 (R_ce = ⟨g1|R|e0⟩) and 3
    s = np.zeros((2, 4), dtype=complex)
    s[0, 2] = 1.0
    s[1, 3] = 1.0
    w = s.conj().T @ p @ s
    w = 0.5 * (w + w.conj().T)
    # X = ∫ e^{L†t} W e^{Lt} dt solves L†X + XL = −W
    x = solve_continuous_lyapunov(gen.conj().T, -w)
    num = float(np.real(r0.conj() @ x @ r0))
    indist = 2 * num / n_cav**2 if n_cav > 0 else 0.0
    return CoherenceResult(beta=float(beta), indistinguishability=float(min(max(indist, 0.0), 1.0)),
                           mean_cavity_photons=n_cav)


def averaged_over_diffusion(*, g: float, kappa: float, gamma: float, gamma_star: float,
                            detuning: float, diffusion_fwhm: float, n: int = 21) -> CoherenceResult:
    """Average β(Δ) and I(Δ) over a Gaussian spectral-diffusion distribution of Δ (REFERENCES D2
    note: spectral diffusion is not pure dephasing). Gauss-Hermite quadrature with ``n`` nodes."""
    require_nonnegative(diffusion_fwhm=diffusion_fwhm)
    if diffusion_fwhm == 0:
        return solve_emitter_cavity(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star,
                                    detuning=detuning)
    sigma = diffusion_fwhm / (2 * math.sqrt(2 * math.log(2)))
    nodes, weights = np.polynomial.hermite_e.hermegauss(n)
    weights = weights / weights.sum()
    b = i = m = 0.0
    for x, wt in zip(nodes, weights, strict=True):
        r = solve_emitter_cavity(g=g, kappa=kappa, gamma=gamma, gamma_star=gamma_star,
                                 detuning=detuning + sigma * x)
        b += wt * r.beta
        i += wt * r.indistinguishability * r.beta  # photon-weighted
        m += wt * r.mean_cavity_photons
    return CoherenceResult(beta=b, indistinguishability=i / b if b > 0 else 0.0,
                           mean_cavity_photons=m)
