"""What Meep 1.25 cannot run correctly here: refused (ValueError) or warned before a run."""

from __future__ import annotations

import warnings as _warnings

from cavities.structure import Structure
from sims.config import SimConfig


def drude_layers(structure: Structure) -> list[str]:
    """Names of the Drude-metal Layers of ``structure``: a Layer is unbounded sideways, so in a
    run it goes through the PML (and through the bottom or top PML if it reaches there)."""
    return [sh.material.name for sh in structure.shapes if sh.type == "layer" and any(
        pole.kind == "drude" for pole in sh.material.poles)]


def check_compatible(structure: Structure, config: SimConfig) -> None:
    """Reject settings that Meep 1.25 cannot run correctly for this structure; warn about a
    Drude-metal Layer running into the PML: any in 3D/2D (an Ag film diverged there), and Ag in
    cylindrical cells too (an Ag film Layer diverged at 250 px/µm, ag_cube_ag_film_perovskite);
    Au Layers in the cylindrical PML were stable in every run here and are how the nanocube
    screen lets an Au film's surface plasmons leave the cell.

    Raises:
        ValueError: ``boundary_layer="absorber"`` in cylindrical coordinates: Meep does not
            support its Absorber there (NanoComp/meep#2824; measured here, a dipole in glass
            gave an LDOS 3-5x too large).
    """
    cylindrical = structure.dimensions == "cylindrical"
    # cylindrical: only silver (also its voxel means from sims.metal_smoothing) diverged
    metal_layers = [name for name in drude_layers(structure)
                    if not (cylindrical and "Ag" not in name)]
    # a planar reference (sims.planar_reference) runs its stack through the PML on purpose
    planar = bool(structure.meta.get("planar_reference"))
    if metal_layers and config.boundary_layer == "pml" and not planar:
        _warnings.warn(
            f"structure {structure.name!r}: a metal Layer ({', '.join(metal_layers)}) runs into "
            "the PML, where a Drude metal can make the run diverge (an Ag film did here). "
            "Build the film as a Block (3D) or Cylinder (cylindrical) that ends at the cell edge, "
            "as the cavity families do.", stacklevel=3)
    if config.boundary_layer == "absorber" and structure.dimensions == "cylindrical":
        raise ValueError(
            "`boundary_layer='absorber'` is not supported in cylindrical coordinates: Meep's "
            "Absorber gives wrong powers there (NanoComp/meep#2824; a dipole in glass came out "
            "with a 3-5x LDOS). Use a PML, or the 3D structure with the absorber."
        )
