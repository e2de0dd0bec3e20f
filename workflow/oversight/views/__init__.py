"""The oversight blueprints: dashboard, home, search and the calendar feed."""
