"""A synthetic SimResult (Lorentzian LDOS) for CLI / adapter tests: no Meep needed."""

from __future__ import annotations

import numpy as np

from emitter import CavityResponse
from sims.results import Mode, ModeVolume, Provenance, SimResult, Spectra


def synthetic_sim_result(*, wavelength_um: float = 0.517, quality_factor: float = 2000.0,
                         mode_volume_lambda_n3: float = 0.8, n: float = 1.5,
                         collection: float = 0.4) -> SimResult:
    ideal = CavityResponse.lorentzian(wavelength_um=wavelength_um, quality_factor=quality_factor,
                                      mode_volume_lambda_n3=mode_volume_lambda_n3,
                                      refractive_index=n)
    lam = np.linspace(wavelength_um - 0.06, wavelength_um + 0.06, 2401)
    flam = np.linspace(wavelength_um - 0.06, wavelength_um + 0.06, 241)
    tot = ideal.total_at(lam)
    rad = 0.9 * ideal.total_at(flam)
    cube = (wavelength_um / n) ** 3
    return SimResult(
        structure={"type": "synthetic"}, config={},
        modes=(Mode(wavelength_um=wavelength_um, quality_factor=quality_factor, amplitude_abs=1.0,
                    harminv_error=1e-9),),
        selected_mode=0, mode_selection_rule="synthetic", refractive_index_at_emitter=n,
        spectra=Spectra(wavelength_um=tuple(lam), purcell_total=tuple(tot),
                        flux_wavelength_um=tuple(flam), purcell_radiative=tuple(rad),
                        radiative_efficiency=tuple(rad / ideal.total_at(flam)),
                        collection_efficiency=tuple(np.full(flam.size, collection))),
        mode_volume=ModeVolume(wavelength_um=wavelength_um, refractive_index=n,
                               peak_volume_um3=mode_volume_lambda_n3 * cube,
                               emitter_volume_um3=mode_volume_lambda_n3 * cube,
                               peak_volume_lambda_n3=mode_volume_lambda_n3,
                               emitter_volume_lambda_n3=mode_volume_lambda_n3),
        purcell_total_at_resonance=float(ideal.total_at(wavelength_um)),
        purcell_radiative_at_resonance=float(0.9 * ideal.total_at(wavelength_um)),
        collection_efficiency_at_resonance=collection, analytic_purcell=ideal.peak_purcell,
        analytic_over_ldos=1.0,
        provenance=Provenance(dimensions="3d", resolution_px_per_um=20, cell_size_um=(1, 1, 1),
                              pml_um=0.5, symmetries=(), cylindrical_m=None,
                              source_offset_um=(0, 0, 0), meep_version="synthetic", mpi_ranks=1,
                              time_steps=0, sim_time_fs=0.0, wall_time_s=0.0, meep_time_s=0.0,
                              stop_reason="synthetic"),
    )
