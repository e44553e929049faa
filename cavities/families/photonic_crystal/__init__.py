"""Photonic-crystal slab cavities: L3 and H1 defects in a triangular lattice of air holes, and
the 1D nanobeam (Quan-Lončar deterministic design). REFERENCES B1, B2.

One module per concept: :mod:`.slab` (the slab shared by all: materials, effective index,
emitter site, structures), :mod:`.supercell` (the periodic-supercell description the
guided-mode expansion simulates), :mod:`.l3`, :mod:`.h1`, :mod:`.nanobeam` (one cavity each)
and :mod:`.presets`. Importing this package registers the families and the presets.
"""

from cavities.families.photonic_crystal import presets  # noqa: F401  (registers presets)
from cavities.families.photonic_crystal.h1 import H1Cavity
from cavities.families.photonic_crystal.l3 import L3Cavity
from cavities.families.photonic_crystal.nanobeam import GME_AIR_GAP_WAVELENGTHS, Nanobeam
from cavities.families.photonic_crystal.slab import (
    SITES,
    SLAB_MATERIALS,
    SUBSTRATES,
    PhotonicCrystalSlab,
    TriangularLatticeSlab,
    _PhotonicCrystalSlab,
    slab_effective_index,
)
from cavities.families.photonic_crystal.supercell import GmeModel, PeriodicSlab

__all__ = ["GME_AIR_GAP_WAVELENGTHS", "SITES", "SLAB_MATERIALS", "SUBSTRATES", "GmeModel",
           "H1Cavity", "L3Cavity", "Nanobeam", "PeriodicSlab", "PhotonicCrystalSlab",
           "TriangularLatticeSlab", "_PhotonicCrystalSlab", "slab_effective_index"]
