"""The plan's renderers, one module per format, all fed by the one builder."""
