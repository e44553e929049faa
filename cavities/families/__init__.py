"""The cavity families; importing this package registers them and their presets."""

from cavities.families import bullseye, nanocube, photonic_crystal, pillar

__all__ = ["bullseye", "nanocube", "photonic_crystal", "pillar"]
