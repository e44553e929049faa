"""emitter package."""
