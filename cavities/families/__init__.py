"""The cavity families; importing this package registers them and their presets."""

import importlib

for _name in ("bullseye", "photonic_crystal", "pillar", "nanocube"):
    try:
        importlib.import_module(f"cavities.families.{_name}")
    except ModuleNotFoundError as _err:  # a family still being written
        if _err.name != f"cavities.families.{_name}":
            raise
