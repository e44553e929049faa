"""cavities package."""
