"""The written action plan: one builder gathers approved data, one renderer per format."""
