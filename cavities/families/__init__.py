"""The cavity families; importing this package registers them and their presets."""

from cavities.families import (bullseye, microsphere, nanocube, open_cavity, photonic_crystal,
                               pillar)

__all__ = ["bullseye", "microsphere", "nanocube", "open_cavity", "photonic_crystal", "pillar"]
