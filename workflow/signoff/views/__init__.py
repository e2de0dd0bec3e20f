"""The sign-off blueprints: progress updates and evidence downloads."""
