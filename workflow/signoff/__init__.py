"""Progress updates, their evidence, and the path through sign-off."""
